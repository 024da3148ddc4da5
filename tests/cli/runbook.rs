//! The README's rotation runbook, step by step, typed as a user types it:
//! stage R3, widen the bundle, rehearse with `--at`, refuse an early
//! renewal, roll, narrow. Also the user mistakes a first trial run found.

use predicates::prelude::*;
use serde_json::Value;

use crate::support::{Sandbox, fixture, stdout_of};

/// R3's not-before: two weeks after the tests' clock (2027-06-01).
const R3_FROM: &str = "2027-06-15";
const AFTER_R3: &str = "2027-06-16T00:00:00Z";

fn verdicts(sb: &Sandbox, args: &[&str], code: i32) -> Vec<String> {
    let out = sb
        .cmd()
        .arg("--json")
        .args(args)
        .assert()
        .code(code)
        .get_output()
        .stdout
        .clone();
    let report: Value = serde_json::from_slice(&out).unwrap();
    report["peers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            format!(
                "{} {}",
                p["peer"].as_str().unwrap(),
                p["verdict"].as_str().unwrap()
            )
        })
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect()
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
fn the_readme_runbook_works_as_written() {
    let sb = cluster();
    // 1. Stage the standby.
    sb.cmd()
        .args([
            "ca",
            "create",
            "r3",
            "--parent",
            "acme",
            "--cn",
            "Acme R3",
            "--not-before",
            R3_FROM,
        ])
        .assert()
        .success();
    sb.write("r3.pem", stdout_of(sb.cmd().args(["ca", "export", "r3"])));
    sb.cmd()
        .args(["ca", "list"])
        .assert()
        .success()
        .stdout(predicate::str::contains("staged"));

    // 2. Widen the bundle; every current peer is kept. --peer takes
    // several files, as a shell glob gives them.
    std::fs::copy(sb.path("old.pem"), sb.path("trust.pem")).unwrap();
    sb.cmd()
        .args(["bundle", "add", "trust.pem", "r3.pem"])
        .assert()
        .success();
    let lint: Value = serde_json::from_str(&stdout_of(sb.cmd().args([
        "--json",
        "bundle",
        "lint",
        "trust.pem",
    ])))
    .unwrap();
    assert_eq!(lint["error_count"], 0);
    let peers = ["--peer", "node-a/cert.pem", "node-b/cert.pem"];
    assert_eq!(
        verdicts(
            &sb,
            &[
                &["bundle", "diff", "old.pem", "trust.pem", "--check"][..],
                &peers
            ]
            .concat(),
            0
        ),
        ["node-a/cert.pem kept", "node-b/cert.pem kept"]
    );

    // 3. Rehearse: a certificate from the staged R3 is not trusted today
    // (true), is trusted as of R3's first day, and old.pem would cut it off.
    sb.cmd()
        .args([
            "cert",
            "issue",
            "node-b.example",
            "10.0.0.2",
            "--ca",
            "r3",
            "--out",
            "scratch-b",
        ])
        .assert()
        .success()
        .stderr(predicate::str::contains("not valid until 2027-06-15"));
    let rehearsal = [
        "bundle",
        "diff",
        "old.pem",
        "trust.pem",
        "--peer",
        "node-a/cert.pem",
        "scratch-b/cert.pem",
        "--check",
    ];
    assert_eq!(
        verdicts(&sb, &rehearsal, 1),
        ["node-a/cert.pem kept", "scratch-b/cert.pem never"]
    );
    assert_eq!(
        verdicts(&sb, &[&rehearsal[..], &["--at", R3_FROM]].concat(), 0),
        ["node-a/cert.pem kept", "scratch-b/cert.pem gained"]
    );
    sb.cmd()
        .args(rehearsal)
        .args(["--at", R3_FROM])
        .assert()
        .success()
        .stdout(predicate::str::starts_with(
            "Rotation old.pem -> trust.pem as of 2027-06-15 00:00:00 UTC\n",
        ));
    let split = [
        "bundle",
        "diff",
        "trust.pem",
        "old.pem",
        "--peer",
        "node-a/cert.pem",
        "scratch-b/cert.pem",
        "--check",
        "--at",
        R3_FROM,
    ];
    assert_eq!(
        verdicts(&sb, &split, 1),
        ["node-a/cert.pem kept", "scratch-b/cert.pem lost"]
    );

    // 5. Roll the certificates: refused before R3 is valid (the node's
    // certificate is untouched), done after, with the pin kept.
    let before = std::fs::read(sb.path("node-a/cert.pem")).unwrap();
    let pin_before = stdout_of(
        sb.cmd()
            .args(["pin", "--bare", "--leaf-only", "node-a/cert.pem"]),
    );
    sb.cmd()
        .args(["cert", "renew", "node-a/cert.pem", "--ca", "r3"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "CA \"r3\" is not valid until 2027-06-15",
        ))
        .stderr(predicate::str::contains("--force"));
    assert_eq!(std::fs::read(sb.path("node-a/cert.pem")).unwrap(), before);
    for node in ["node-a", "node-b"] {
        sb.cmd()
            .env("TLSCTL_NOW", AFTER_R3)
            .args(["cert", "renew", &format!("{node}/cert.pem"), "--ca", "r3"])
            .assert()
            .success();
    }
    assert_ne!(std::fs::read(sb.path("node-a/cert.pem")).unwrap(), before);
    assert_eq!(
        stdout_of(
            sb.cmd()
                .args(["pin", "--bare", "--leaf-only", "node-a/cert.pem"])
        ),
        pin_before
    );

    // 6. Check the cluster with the new certificates.
    let after =
        |args: &[&str], code: i32| verdicts(&sb, &[args, &["--at", AFTER_R3]].concat(), code);
    assert_eq!(
        after(
            &[
                &["bundle", "diff", "old.pem", "trust.pem", "--check"][..],
                &peers
            ]
            .concat(),
            0
        ),
        ["node-a/cert.pem gained", "node-b/cert.pem gained"]
    );

    // 7. Narrow: a copy minus X3, checked before it ships.
    std::fs::copy(sb.path("trust.pem"), sb.path("narrow.pem")).unwrap();
    sb.cmd()
        .args(["bundle", "remove", "narrow.pem", "--subject", "Acme X3"])
        .assert()
        .success();
    assert_eq!(
        after(
            &[
                &["bundle", "diff", "trust.pem", "narrow.pem", "--check"][..],
                &peers
            ]
            .concat(),
            0
        ),
        ["node-a/cert.pem kept", "node-b/cert.pem kept"]
    );
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
