//! The README, run as written: its `console` transcripts and `sh` blocks,
//! top to bottom, in one fresh store (the conventions are the README's,
//! under the runbook; the runner is `docrun`). `sh server` blocks start real
//! nats-servers under TLSCTL_INTEROP=1. Nothing here repeats the README's
//! commands: edit the README and this test runs the new text.
//! `TLSCTL_BLESS=1` writes what the transcripts printed back into README.md.
//! Also the runbook's edges the README does not show, and the user mistakes
//! a first trial run found.

use predicates::prelude::*;
use serde_json::Value;

use crate::docrun::Runner;
use crate::interop::enabled;
use crate::natsrv::nats_binaries;
use crate::support::{Sandbox, fixture, stdout_of};

/// R3's not-before in the edge tests: two weeks after the tests' clock.
const R3_FROM: &str = "2027-06-15";

#[test]
fn the_readme_runs_as_written() {
    // Without nats-server: every block but the `sh server` ones.
    let runner = Runner::run_doc("README.md", None);
    runner.bless();
    // The store is the one the README filled: the tour's CAs and the
    // runbook's staged R3, no clash between them.
    let list = stdout_of(runner.sb.cmd().args(["ca", "list"]));
    for ca in ["acme", "x3", "r3"] {
        assert!(list.contains(ca), "{list}");
    }
}

#[test]
fn the_readme_runs_as_written_with_nats_server_2_9_and_2_15() {
    if !enabled() {
        return;
    }
    for bin in nats_binaries() {
        let runner = Runner::run_doc("README.md", Some(&bin));
        assert_eq!(runner.servers.len(), 2, "{}", bin.version);
    }
}

/// acme -> x3 (active); node-a and node-b issued from x3 into versioned
/// directories; old.pem is x3, what the nodes trust today.
fn cluster() -> Sandbox {
    let sb = Sandbox::new();
    for args in [
        &["ca", "create", "acme", "--cn", "Acme Root"][..],
        &["ca", "create", "x3", "--parent", "acme", "--cn", "Acme X3"],
        &[
            "cert",
            "issue",
            "node-a.example",
            "10.0.0.1",
            "--ca",
            "x3",
            "--out",
            "node-a",
        ],
        &[
            "cert",
            "issue",
            "node-b.example",
            "10.0.0.2",
            "--ca",
            "x3",
            "--out",
            "node-b",
        ],
    ] {
        sb.cmd().args(args).assert().success();
    }
    sb.write("old.pem", stdout_of(sb.cmd().args(["ca", "export", "x3"])));
    sb
}

#[test]
fn renew_from_a_staged_ca_with_force_stages_the_certificate() {
    let sb = cluster();
    sb.cmd()
        .args([
            "ca",
            "create",
            "r3",
            "--parent",
            "acme",
            "--not-before",
            R3_FROM,
        ])
        .assert()
        .success();
    sb.cmd()
        .args(["cert", "renew", "node-a/cert.pem", "--ca", "r3", "--force"])
        .assert()
        .success()
        .stderr(predicate::str::contains("not valid until"));
    let issuer: Value = serde_json::from_str(&stdout_of(sb.cmd().args([
        "--json",
        "inspect",
        "node-a/cert.pem",
    ])))
    .unwrap();
    assert!(
        issuer["files"][0]["items"][0]["certificate"]["issuer"]
            .as_str()
            .unwrap()
            .contains("CN=r3"),
        "{issuer}"
    );
}

#[test]
fn a_pin_as_bundle_list_shows_it_removes_that_certificate() {
    let sb = Sandbox::new();
    for f in ["root.pem", "inter.pem", "inter-r.pem"] {
        std::fs::copy(fixture(&format!("chain/{f}")), sb.path(f)).unwrap();
    }
    sb.cmd()
        .args([
            "bundle",
            "add",
            "b.pem",
            "root.pem",
            "inter.pem",
            "inter-r.pem",
        ])
        .assert()
        .success();
    // The 16 digits and the ellipsis, copied from the table.
    let list = stdout_of(sb.cmd().args(["bundle", "list", "b.pem"]));
    let row = list.lines().find(|l| l.contains("Intermediate X")).unwrap();
    let shown = row.split_whitespace().last().unwrap();
    assert!(shown.ends_with('…') && shown.chars().count() == 17, "{row}");
    sb.cmd()
        .args(["bundle", "remove", "b.pem", "--pin", shown])
        .assert()
        .success()
        .stdout(predicate::str::contains("Intermediate X"));
    assert!(
        !std::fs::read_to_string(sb.path("b.pem"))
            .unwrap()
            .contains("Intermediate X\n")
    );
    // Fewer than 8 digits is refused; so is a prefix two pins share.
    sb.cmd()
        .args(["bundle", "remove", "b.pem", "--pin", "abcdef1"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("or the first 8 or more"));
    // A whole pin is never ambiguous, even when it is shorter to type.
    let pins: Vec<String> = stdout_of(sb.cmd().args(["pin", "--bare", "b.pem"]))
        .lines()
        .map(str::to_owned)
        .collect();
    assert_eq!(pins.len(), 2);
    sb.cmd()
        .args([
            "bundle",
            "remove",
            "b.pem",
            "--pin",
            &pins[0][..8],
            "--dry-run",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("Would remove 1"));
}
