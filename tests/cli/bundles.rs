//! `tlsctl bundle`, `verify` and `lint` on the openssl-made fixture PKI:
//! root -> intermediate X (active) and R (standby), node-a from X, node-b
//! from R. The X3 -> R3 roll is the story these tests tell.

use std::path::Path;

use predicates::prelude::*;
use serde_json::Value;

use crate::support::{Sandbox, fixture, stdout_of};

fn json(sb: &Sandbox, args: &[&str]) -> Value {
    serde_json::from_str(&stdout_of(sb.cmd().arg("--json").args(args))).unwrap()
}

fn json_status(sb: &Sandbox, args: &[&str], code: i32) -> Value {
    let out = sb
        .cmd()
        .arg("--json")
        .args(args)
        .assert()
        .code(code)
        .get_output()
        .stdout
        .clone();
    serde_json::from_slice(&out).unwrap()
}

/// A sandbox with the fixture chain files copied in.
fn pki() -> Sandbox {
    let sb = Sandbox::new();
    for f in [
        "root.pem",
        "inter.pem",
        "inter-r.pem",
        "leaf.pem",
        "leaf.key",
        "leaf-fullchain.pem",
        "leaf-r.pem",
        "leaf-r-fullchain.pem",
        "server-only.pem",
    ] {
        std::fs::copy(fixture(&format!("chain/{f}")), sb.path(f)).unwrap();
    }
    sb
}

fn blocks_in(path: &Path) -> usize {
    std::fs::read_to_string(path)
        .unwrap()
        .matches("-----BEGIN CERTIFICATE-----")
        .count()
}

#[test]
fn add_writes_a_canonical_bundle_with_comments_outside_the_blocks() {
    let sb = pki();
    stdout_of(
        sb.cmd()
            .args(["bundle", "add", "b.pem", "root.pem", "inter.pem"]),
    );
    let text = std::fs::read_to_string(sb.path("b.pem")).unwrap();
    assert!(text.starts_with("# Subject: O=tlsctl fixtures, CN=Fixture Root\n# Issuer: "));
    assert!(text.contains("# SPKI pin (sha256): "));
    // Comments sit outside the PEM blocks: no header lines inside any block.
    for block in text.split("-----BEGIN CERTIFICATE-----").skip(1) {
        let body = block.split("-----END CERTIFICATE-----").next().unwrap();
        assert!(!body.contains(':') && !body.contains('#'), "{body}");
    }
    // The order is kept, new certificates appended.
    stdout_of(sb.cmd().args(["bundle", "add", "b.pem", "inter-r.pem"]));
    let list = json(&sb, &["bundle", "list", "b.pem"]);
    let subjects: Vec<&str> = list["certificates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["subject"].as_str().unwrap())
        .collect();
    assert_eq!(
        subjects,
        [
            "O=tlsctl fixtures, CN=Fixture Root",
            "O=tlsctl fixtures, CN=Fixture Intermediate X",
            "O=tlsctl fixtures, CN=Fixture Intermediate R"
        ]
    );
}

#[test]
fn duplicates_are_dropped_and_reported() {
    let sb = pki();
    stdout_of(sb.cmd().args(["bundle", "add", "b.pem", "root.pem"]));
    let before = std::fs::read(sb.path("b.pem")).unwrap();
    let report = json(
        &sb,
        &[
            "bundle",
            "add",
            "b.pem",
            "root.pem",
            "inter.pem",
            "inter.pem",
        ],
    );
    assert_eq!(report["added"].as_array().unwrap().len(), 1);
    assert_eq!(report["duplicates"].as_array().unwrap().len(), 2);
    assert_eq!(report["total"], 2);
    assert_eq!(blocks_in(&sb.path("b.pem")), 2);
    let after = std::fs::read(sb.path("b.pem")).unwrap();
    assert!(
        after.starts_with(&before),
        "the existing certificate stays first"
    );
    // Adding only duplicates changes nothing on disk.
    sb.cmd()
        .args(["bundle", "add", "b.pem", "root.pem"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Nothing to add"));
    assert_eq!(std::fs::read(sb.path("b.pem")).unwrap(), after);
}

#[test]
fn refusals_write_nothing_from_any_file() {
    let sb = pki();
    stdout_of(sb.cmd().args(["bundle", "add", "b.pem", "root.pem"]));
    let before = std::fs::read(sb.path("b.pem")).unwrap();
    let key = fixture("chain/leaf.key");
    let truncated = fixture("misc/truncated-der.pem");
    let cases: Vec<(Vec<String>, &str)> = vec![
        (
            vec!["inter.pem".into(), key.display().to_string()],
            "is a private key",
        ),
        (
            vec!["inter.pem".into(), "leaf.pem".into()],
            "is not a CA certificate",
        ),
        (
            vec!["inter.pem".into(), truncated.display().to_string()],
            "block 1: certificate is truncated",
        ),
        (
            vec![
                "inter.pem".into(),
                fixture("misc/headers.pem").display().to_string(),
            ],
            "PEM headers",
        ),
    ];
    for (files, message) in cases {
        sb.cmd()
            .args(["bundle", "add", "b.pem"])
            .args(&files)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(message));
        assert_eq!(
            std::fs::read(sb.path("b.pem")).unwrap(),
            before,
            "{message}"
        );
    }
    // A leaf is allowed when asked for.
    stdout_of(
        sb.cmd()
            .args(["bundle", "add", "b.pem", "leaf.pem", "--allow-leaf"]),
    );
    assert_eq!(blocks_in(&sb.path("b.pem")), 2);
}

#[test]
fn dry_run_writes_nothing() {
    let sb = pki();
    sb.cmd()
        .args(["bundle", "add", "b.pem", "root.pem", "--dry-run"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Would add 1"));
    assert!(!sb.path("b.pem").exists());
    stdout_of(
        sb.cmd()
            .args(["bundle", "add", "b.pem", "root.pem", "inter.pem"]),
    );
    let before = std::fs::read(sb.path("b.pem")).unwrap();
    sb.cmd()
        .args([
            "bundle",
            "remove",
            "b.pem",
            "--subject",
            "intermediate",
            "--dry-run",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("Would remove 1"));
    assert_eq!(std::fs::read(sb.path("b.pem")).unwrap(), before);
}

#[test]
fn a_staged_standby_is_kept_and_marked() {
    let sb = Sandbox::new();
    sb.cmd().args(["ca", "create", "root"]).assert().success();
    sb.cmd()
        .args([
            "ca",
            "create",
            "r3",
            "--parent",
            "root",
            "--not-before",
            "2027-09-01",
        ])
        .assert()
        .success();
    let r3 = sb.store().join("cas/r3/ca.pem");
    sb.cmd()
        .args(["bundle", "add", "b.pem"])
        .arg(&r3)
        .assert()
        .success()
        .stdout(predicate::str::contains("staged: valid from 2027-09-01"));
    let text = std::fs::read_to_string(sb.path("b.pem")).unwrap();
    assert!(text.contains("(not valid yet: staged)"));
    let list = json(&sb, &["bundle", "list", "b.pem"]);
    assert_eq!(list["certificates"][0]["validity"], "not_yet_valid");
}

#[test]
fn remove_by_each_selector_and_nothing_removed_is_exit_1() {
    let sb = pki();
    stdout_of(sb.cmd().args([
        "bundle",
        "add",
        "b.pem",
        "root.pem",
        "inter.pem",
        "inter-r.pem",
    ]));
    let list = json(&sb, &["bundle", "list", "b.pem"]);
    let pin = list["certificates"][1]["pin_sha256"]
        .as_str()
        .unwrap()
        .to_owned();
    let fp = list["certificates"][2]["fingerprint_sha256"]
        .as_str()
        .unwrap()
        .to_owned();
    // A pin typed with colons and capitals still matches.
    let typed: String = pin
        .as_bytes()
        .chunks(2)
        .map(|c| String::from_utf8_lossy(c).to_uppercase())
        .collect::<Vec<_>>()
        .join(":");
    let removed = json(&sb, &["bundle", "remove", "b.pem", "--pin", &typed]);
    assert_eq!(
        removed["removed"][0]["subject"],
        "O=tlsctl fixtures, CN=Fixture Intermediate X"
    );
    assert_eq!(removed["remaining"], 2);
    let removed = json(&sb, &["bundle", "remove", "b.pem", "--fingerprint", &fp]);
    assert_eq!(
        removed["removed"][0]["subject"],
        "O=tlsctl fixtures, CN=Fixture Intermediate R"
    );
    sb.cmd()
        .args(["bundle", "remove", "b.pem", "--subject", "no such thing"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "nothing in b.pem matches --subject \"no such thing\"",
        ));
    sb.cmd()
        .args(["bundle", "remove", "b.pem", "--pin", "abc"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not a SHA-256 pin"));
    sb.cmd()
        .args(["bundle", "remove", "b.pem", "--subject", "root"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("empty bundle rejects every peer"));
    assert_eq!(blocks_in(&sb.path("b.pem")), 1);
}

#[test]
fn removing_several_needs_yes_without_a_terminal() {
    let sb = pki();
    stdout_of(sb.cmd().args([
        "bundle",
        "add",
        "b.pem",
        "root.pem",
        "inter.pem",
        "inter-r.pem",
    ]));
    sb.cmd()
        .args(["bundle", "remove", "b.pem", "--subject", "intermediate"])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("would remove 2 certificates")
                .and(predicate::str::contains("--yes")),
        );
    assert_eq!(blocks_in(&sb.path("b.pem")), 3);
    stdout_of(sb.cmd().args([
        "bundle",
        "remove",
        "b.pem",
        "--subject",
        "intermediate",
        "--yes",
    ]));
    assert_eq!(blocks_in(&sb.path("b.pem")), 1);
}

#[test]
fn expired_certificates_are_removed_with_expired() {
    let sb = Sandbox::new();
    sb.cmd()
        .args(["ca", "create", "old", "--days", "10"])
        .assert()
        .success();
    sb.cmd().args(["ca", "create", "new"]).assert().success();
    let old = sb.store().join("cas/old/ca.pem");
    let new = sb.store().join("cas/new/ca.pem");
    sb.cmd()
        .args(["bundle", "add", "b.pem"])
        .arg(&old)
        .arg(&new)
        .assert()
        .success();
    let later = "2027-07-01T00:00:00Z";
    let lint = sb
        .cmd()
        .env("TLSCTL_NOW", later)
        .args(["--json", "bundle", "lint", "b.pem"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let lint: Value = serde_json::from_slice(&lint).unwrap();
    assert!(
        lint["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["code"] == "expired")
    );
    sb.cmd()
        .env("TLSCTL_NOW", later)
        .args(["bundle", "remove", "b.pem", "--expired"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Removed 1"));
    assert_eq!(blocks_in(&sb.path("b.pem")), 1);
}

#[test]
fn lint_names_the_x3_trap_and_every_problem() {
    let sb = pki();
    stdout_of(sb.cmd().args(["bundle", "add", "x.pem", "inter.pem"]));
    let report = json(&sb, &["bundle", "lint", "x.pem"]);
    let trap = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "intermediates-only")
        .unwrap();
    assert!(
        trap["message"]
            .as_str()
            .unwrap()
            .contains("Fixture Intermediate X")
    );
    assert!(trap["fix"].as_str().unwrap().contains("standby"));
    // A hand-made bundle with everything wrong.
    let mut bad = String::new();
    for f in ["root.pem", "root.pem", "leaf.pem"] {
        bad.push_str(&std::fs::read_to_string(sb.path(f)).unwrap());
    }
    bad.push_str(&std::fs::read_to_string(fixture("chain/leaf.key")).unwrap());
    bad.push_str(&std::fs::read_to_string(fixture("misc/headers.pem")).unwrap());
    bad.push_str(&std::fs::read_to_string(fixture("certs/rsa2048.pem")).unwrap());
    sb.write("bad.pem", bad);
    let out = sb
        .cmd()
        .args(["--json", "bundle", "lint", "bad.pem"])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let report: Value = serde_json::from_slice(&out).unwrap();
    let codes: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    for code in ["duplicate", "not-ca", "private-key", "pem-headers"] {
        assert!(codes.contains(&code), "{code} missing from {codes:?}");
    }
    assert!(report["error_count"].as_u64().unwrap() >= 3);
    // The human form gives a fix for each.
    sb.cmd()
        .args(["bundle", "lint", "bad.pem"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "fix: remove the key from the bundle now",
        ));
}

#[test]
fn the_x3_to_r3_roll_is_called_before_it_happens() {
    let sb = pki();
    stdout_of(sb.cmd().args(["bundle", "add", "X.pem", "inter.pem"]));
    stdout_of(sb.cmd().args(["bundle", "add", "R.pem", "inter-r.pem"]));
    stdout_of(
        sb.cmd()
            .args(["bundle", "add", "XR.pem", "inter.pem", "inter-r.pem"]),
    );
    stdout_of(sb.cmd().args(["bundle", "add", "ROOT.pem", "root.pem"]));
    let peers = ["--peer", "leaf.pem", "--peer", "leaf-r.pem"];
    let verdicts = |report: &Value| -> Vec<(String, String)> {
        report["peers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                (
                    p["peer"].as_str().unwrap().to_owned(),
                    p["verdict"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    };
    // X -> R: node-a (issued by X) is lost: the split.
    let xr = json_status(
        &sb,
        &[
            &["bundle", "diff", "X.pem", "R.pem", "--check"][..],
            &peers[..],
        ]
        .concat(),
        1,
    );
    assert_eq!(
        verdicts(&xr),
        [
            ("leaf.pem".into(), "lost".into()),
            ("leaf-r.pem".into(), "gained".into())
        ]
    );
    let lost = &xr["peers"][0];
    assert_eq!(lost["new"]["server"]["reason"]["reason"], "unknown_issuer");
    assert_eq!(xr["summary"]["removed"], 1);
    assert_eq!(xr["summary"]["added"], 1);
    // X -> X+R: kept and gained; --check passes.
    let widened = json_status(
        &sb,
        &[
            &["bundle", "diff", "X.pem", "XR.pem", "--check"][..],
            &peers[..],
        ]
        .concat(),
        0,
    );
    assert_eq!(
        verdicts(&widened),
        [
            ("leaf-r.pem".into(), "gained".into()),
            ("leaf.pem".into(), "kept".into())
        ]
    );
    // X -> root: peers that send their chain are kept; a bare leaf is lost.
    let full = [
        "--peer",
        "leaf-fullchain.pem",
        "--peer",
        "leaf-r-fullchain.pem",
    ];
    let to_root = json_status(
        &sb,
        &[
            &["bundle", "diff", "X.pem", "ROOT.pem", "--check"][..],
            &full[..],
        ]
        .concat(),
        0,
    );
    assert_eq!(
        verdicts(&to_root),
        [
            ("leaf-r-fullchain.pem".into(), "gained".into()),
            ("leaf-fullchain.pem".into(), "kept".into())
        ]
    );
    let bare = json_status(
        &sb,
        &[
            "bundle", "diff", "X.pem", "ROOT.pem", "--check", "--peer", "leaf.pem",
        ],
        1,
    );
    assert_eq!(verdicts(&bare), [("leaf.pem".into(), "lost".into())]);
    // The review reads most important first.
    let human = sb
        .cmd()
        .args([&["bundle", "diff", "X.pem", "R.pem"][..], &peers[..]].concat())
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let human = String::from_utf8(human).unwrap();
    assert!(
        human
            .lines()
            .nth(1)
            .unwrap()
            .starts_with("LOST: 1 peer would be cut off"),
        "{human}"
    );
    assert!(human.contains("its issuer is O=tlsctl fixtures, CN=Fixture Intermediate X"));
}

#[test]
fn without_peers_the_diff_still_warns_what_a_removal_cuts_off() {
    let sb = pki();
    stdout_of(
        sb.cmd()
            .args(["bundle", "add", "XR.pem", "inter.pem", "inter-r.pem"]),
    );
    stdout_of(sb.cmd().args(["bundle", "add", "R.pem", "inter-r.pem"]));
    stdout_of(
        sb.cmd()
            .args(["bundle", "add", "RR.pem", "root.pem", "inter-r.pem"]),
    );
    let report = json(&sb, &["bundle", "diff", "XR.pem", "R.pem"]);
    let messages: Vec<&str> = report["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["message"].as_str().unwrap())
        .collect();
    assert!(
        messages
            .iter()
            .any(|m| m.contains("Fixture Intermediate X is removed: every peer")),
        "{messages:?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.starts_with("NEW holds only intermediates")),
        "{messages:?}"
    );
    let report = json(&sb, &["bundle", "diff", "XR.pem", "RR.pem"]);
    let messages: Vec<&str> = report["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["message"].as_str().unwrap())
        .collect();
    assert!(
        messages
            .iter()
            .any(|m| m.contains("still verify through its issuer")
                && m.contains("only if they send")),
        "{messages:?}"
    );
    assert!(
        !messages
            .iter()
            .any(|m| m.starts_with("NEW holds only intermediates"))
    );
}

#[test]
fn renewed_and_rekeyed_cas_are_told_apart() {
    let sb = Sandbox::new();
    sb.cmd().args(["ca", "create", "root"]).assert().success();
    sb.cmd()
        .args(["ca", "create", "x3", "--parent", "root"])
        .assert()
        .success();
    sb.cmd().args(["ca", "create", "other"]).assert().success();
    let ca = |n: &str| sb.store().join(format!("cas/{n}/ca.pem"));
    sb.cmd()
        .args(["bundle", "add", "old.pem"])
        .arg(ca("x3"))
        .arg(ca("other"))
        .assert()
        .success();
    // Rekeyed: a new x3 (same name and subject, new key).
    sb.cmd()
        .args(["ca", "create", "x3", "--parent", "root", "--force"])
        .assert()
        .success();
    sb.cmd()
        .args(["bundle", "add", "new.pem"])
        .arg(ca("x3"))
        .arg(ca("other"))
        .assert()
        .success();
    let report = json(&sb, &["bundle", "diff", "old.pem", "new.pem"]);
    assert_eq!(report["summary"]["rekeyed"], 1);
    assert_eq!(report["summary"]["unchanged"], 1);
    let rekeyed = report["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["class"] == "rekeyed")
        .unwrap();
    assert_ne!(rekeyed["old"]["pin_sha256"], rekeyed["new"]["pin_sha256"]);
    assert!(
        report["warnings"][0]["message"]
            .as_str()
            .unwrap()
            .contains("rekeyed")
    );
}

#[test]
fn verify_gives_one_clear_reason() {
    let sb = pki();
    stdout_of(sb.cmd().args(["bundle", "add", "ROOT.pem", "root.pem"]));
    stdout_of(sb.cmd().args(["bundle", "add", "X.pem", "inter.pem"]));
    let ok = json(
        &sb,
        &[
            "verify",
            "leaf-fullchain.pem",
            "--bundle",
            "ROOT.pem",
            "--host",
            "node-a.example.com",
        ],
    );
    assert_eq!(ok["ok"], true);
    assert_eq!(ok["results"][0]["path"].as_array().unwrap().len(), 3);
    let cases: Vec<(Vec<&str>, &str, &str)> = vec![
        (
            vec!["leaf.pem", "--bundle", "ROOT.pem"],
            "unknown_issuer",
            "its issuer is O=tlsctl fixtures, CN=Fixture Intermediate X",
        ),
        (
            vec!["leaf.pem", "--bundle", "X.pem", "--host", "other.example"],
            "name_mismatch",
            "other.example is not among the certificate's SANs (DNS:node-a.example.com, IP:127.0.0.1)",
        ),
        (
            vec!["leaf.pem", "--bundle", "X.pem", "--host", "127.0.0.2"],
            "name_mismatch",
            "127.0.0.2 is not among",
        ),
        (
            vec!["leaf.pem", "--bundle", "X.pem", "--at", "2099-01-01"],
            "expired",
            "CN=node-a.example.com expired on",
        ),
        (
            vec!["leaf.pem", "--bundle", "X.pem", "--at", "2001-01-01"],
            "not_yet_valid",
            "is not valid until",
        ),
        (
            vec![
                "server-only.pem",
                "--bundle",
                "X.pem",
                "--purpose",
                "client",
            ],
            "wrong_eku",
            "does not allow clientAuth (its extended key usage is serverAuth)",
        ),
    ];
    // A CA certificate presented as a leaf: Go (and so nats-server) accepts
    // it when it chains, so verify does too (webpki used to refuse it).
    let ca_leaf = json(&sb, &["verify", "inter.pem", "--bundle", "ROOT.pem"]);
    assert_eq!(ca_leaf["ok"], true, "{ca_leaf}");
    for (args, reason, message) in cases {
        let report = json_status(&sb, &[&["verify"][..], &args[..]].concat(), 1);
        let failed = report["results"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["ok"] == false)
            .unwrap();
        assert_eq!(failed["reason"]["reason"], reason, "{args:?}");
        assert!(
            failed["message"].as_str().unwrap().contains(message),
            "{args:?}: {}",
            failed["message"]
        );
    }
    // An intermediate missing from the file can come from --untrusted.
    let ok = json(
        &sb,
        &[
            "verify",
            "leaf.pem",
            "--bundle",
            "ROOT.pem",
            "--untrusted",
            "inter.pem",
        ],
    );
    assert_eq!(ok["ok"], true);
    // Human output: one line per purpose.
    sb.cmd()
        .args(["verify", "leaf.pem", "--bundle", "ROOT.pem"])
        .assert()
        .code(1)
        .stdout(predicate::str::starts_with(
            "FAIL leaf.pem for server: unknown issuer",
        ));
}

#[test]
fn an_expired_anchor_is_no_anchor_as_in_go() {
    // short-inter.pem expires long before outlives.pem, the leaf it issued.
    let sb = Sandbox::new();
    for f in ["short-inter.pem", "outlives.pem", "root.pem"] {
        std::fs::copy(fixture(&format!("chain/{f}")), sb.path(f)).unwrap();
    }
    let inter = json(&sb, &["inspect", "short-inter.pem"]);
    let expiry = inter["files"][0]["items"][0]["certificate"]["not_after"]
        .as_str()
        .unwrap();
    let after = time::OffsetDateTime::parse(expiry, &time::format_description::well_known::Rfc3339)
        .unwrap()
        + time::Duration::days(30);
    let at = after
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap();
    // Trusting the intermediate directly: webpki alone would accept, Go not.
    let report = json_status(
        &sb,
        &[
            "verify",
            "outlives.pem",
            "--bundle",
            "short-inter.pem",
            "--at",
            &at,
        ],
        1,
    );
    assert_eq!(report["results"][0]["reason"]["reason"], "anchor_expired");
    assert!(
        report["results"][0]["message"]
            .as_str()
            .unwrap()
            .contains("Go and NATS reject expired anchors")
    );
    // Before its expiry it verifies.
    let ok = json(
        &sb,
        &["verify", "outlives.pem", "--bundle", "short-inter.pem"],
    );
    assert_eq!(ok["ok"], true);
    // Through the root, the expired intermediate in the chain is named.
    std::fs::write(
        sb.path("chain.pem"),
        [
            std::fs::read(sb.path("outlives.pem")).unwrap(),
            std::fs::read(sb.path("short-inter.pem")).unwrap(),
        ]
        .concat(),
    )
    .unwrap();
    let report = json_status(
        &sb,
        &["verify", "chain.pem", "--bundle", "root.pem", "--at", &at],
        1,
    );
    assert_eq!(report["results"][0]["reason"]["reason"], "expired");
    assert!(
        report["results"][0]["message"]
            .as_str()
            .unwrap()
            .contains("Short-lived Intermediate expired on")
    );
}

#[test]
fn lint_checks_a_certificate_for_its_role() {
    let sb = pki();
    sb.cmd()
        .args([
            "cert",
            "issue",
            "route.example",
            "--usage",
            "server",
            "--cert-out",
            "route.pem",
            "--key-out",
            "route.key",
        ])
        .assert()
        .success();
    // serverAuth only: a route forms while the other node dials (nats-server
    // 2.9.10 and 2.15.1 measured), so it is fragile, not down.
    let report = json_status(&sb, &["lint", "route.pem", "--role", "nats-route"], 0);
    let f = &report["files"][0]["findings"][0];
    assert_eq!(f["severity"], "warning");
    assert_eq!(f["code"], "eku");
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .contains("form only while the other node dials this one: fragile"),
        "{f}"
    );
    assert_eq!(
        f["fix"],
        "route certificates need clientAuth too: reissue with --usage dual"
    );
    // A dual certificate passes for routes; a wildcard matches one label.
    sb.cmd()
        .args([
            "cert",
            "issue",
            "*.nats.example",
            "10.0.0.1",
            "--cert-out",
            "w.pem",
            "--key-out",
            "w.key",
        ])
        .assert()
        .success();
    json(
        &sb,
        &[
            "lint",
            "w.pem",
            "--role",
            "nats-route",
            "--host",
            "a.nats.example",
            "--host",
            "10.0.0.1",
        ],
    );
    let deep = json_status(&sb, &["lint", "w.pem", "--host", "a.b.nats.example"], 1);
    assert!(
        deep["files"][0]["findings"][0]["message"]
            .as_str()
            .unwrap()
            .contains("exactly one leftmost label")
    );
    let ip = json_status(&sb, &["lint", "w.pem", "--host", "10.0.0.2"], 1);
    assert_eq!(ip["files"][0]["findings"][0]["code"], "host-mismatch");
    // A CA used as a leaf, and an intermediate whose EKU restricts its leaves.
    // Go accepts a CA:TRUE leaf, so that is a warning (rustls refuses it);
    // this one has no SANs, which is the error.
    let ca = json_status(&sb, &["lint", "inter.pem", "--role", "server"], 1);
    let findings = ca["files"][0]["findings"].as_array().unwrap();
    let ca_leaf = findings.iter().find(|f| f["code"] == "ca-as-leaf").unwrap();
    assert_eq!(ca_leaf["severity"], "warning");
    assert!(
        !ca_leaf["message"]
            .as_str()
            .unwrap()
            .contains("peers reject")
    );
    assert_eq!(findings[0]["code"], "cn-only");
    // CN-only and IP-in-DNS certificates, made with openssl-like fixtures.
    let cn_only = json_status(
        &sb,
        &["lint", &fixture("misc/cn-only.pem").display().to_string()],
        1,
    );
    assert_eq!(cn_only["files"][0]["findings"][0]["code"], "cn-only");
    let ip_dns = json_status(
        &sb,
        &[
            "lint",
            &fixture("misc/ip-as-dns.pem").display().to_string(),
            "--host",
            "10.1.1.1",
        ],
        1,
    );
    let codes: Vec<&str> = ip_dns["files"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert!(
        codes.contains(&"ip-in-dns-san") && codes.contains(&"host-mismatch"),
        "{codes:?}"
    );
    let restricted = json_status(
        &sb,
        &[
            "lint",
            &fixture("misc/restricted-chain.pem").display().to_string(),
            "--role",
            "nats-gateway",
        ],
        1,
    );
    let codes: Vec<&str> = restricted["files"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"intermediate-eku"), "{codes:?}");
    // For a route the same restriction only makes it one-way: a warning.
    let route = json_status(
        &sb,
        &[
            "lint",
            &fixture("misc/restricted-chain.pem").display().to_string(),
            "--role",
            "nats-route",
        ],
        0,
    );
    let f = route["files"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "intermediate-eku")
        .unwrap()
        .clone();
    assert_eq!(f["severity"], "warning");
}

#[test]
fn concurrent_adds_to_one_bundle_lose_nothing() {
    let sb = Sandbox::new();
    let n = 8;
    for i in 0..n {
        sb.cmd()
            .args(["ca", "create", &format!("ca{i}")])
            .assert()
            .success();
    }
    let bin = assert_cmd::cargo::cargo_bin("tlsctl");
    let children: Vec<_> = (0..n)
        .map(|i| {
            std::process::Command::new(&bin)
                .args(["-q", "bundle", "add", "b.pem"])
                .arg(sb.store().join(format!("cas/ca{i}/ca.pem")))
                .env("TLSCTL_NOW", crate::support::NOW)
                .env("TLSCTL_HOME", sb.store())
                .current_dir(sb.dir.path())
                .spawn()
                .unwrap()
        })
        .collect();
    for mut child in children {
        assert!(child.wait().unwrap().success());
    }
    assert_eq!(blocks_in(&sb.path("b.pem")), n);
    let lint = json(&sb, &["bundle", "lint", "b.pem"]);
    assert_eq!(lint["error_count"], 0);
}

/// Runs `tlsctl ARGS` in the sandbox on a terminal (util-linux `script`
/// gives it a pseudo-terminal) with `answer` typed at it; returns the exit
/// code and what the terminal showed.
fn on_a_terminal(sb: &Sandbox, args: &[&str], answer: &str) -> (Option<i32>, String) {
    use std::io::Write as _;
    let bin = assert_cmd::cargo::cargo_bin("tlsctl");
    let line = std::iter::once(bin.to_str().unwrap())
        .chain(args.iter().copied())
        .map(|a| format!("'{a}'"))
        .collect::<Vec<_>>()
        .join(" ");
    let mut child = std::process::Command::new("script")
        .args(["-qec", &line, "/dev/null"])
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", sb.dir.path())
        .env("TLSCTL_HOME", sb.store())
        .env("TLSCTL_NOW", crate::support::NOW)
        .env("TERM", "dumb")
        .current_dir(sb.dir.path())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("util-linux script(1) runs a command on a pseudo-terminal");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(answer.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[test]
fn answering_no_at_the_removal_prompt_exits_1_and_removes_nothing() {
    let sb = pki();
    sb.cmd()
        .args([
            "bundle",
            "add",
            "trust.pem",
            "root.pem",
            "inter.pem",
            "inter-r.pem",
        ])
        .assert()
        .success();
    let before = std::fs::read(sb.path("trust.pem")).unwrap();
    let remove = ["bundle", "remove", "trust.pem", "--subject", "Intermediate"];
    let (code, shown) = on_a_terminal(&sb, &remove, "n");
    assert!(shown.contains("Remove them?"), "{shown}");
    assert!(
        shown.contains("tlsctl: nothing removed from trust.pem (you answered no)"),
        "{shown}"
    );
    assert_eq!(code, Some(1), "{shown}");
    assert_eq!(std::fs::read(sb.path("trust.pem")).unwrap(), before);
    // With --json the answer is a document too: nothing removed.
    let (code, shown) = on_a_terminal(&sb, &[&["--json"][..], &remove].concat(), "n");
    assert_eq!(code, Some(1), "{shown}");
    assert!(shown.contains("\"removed\": []"), "{shown}");
    // "yes" removes them, exit 0.
    let (code, shown) = on_a_terminal(&sb, &remove, "y");
    assert_eq!(code, Some(0), "{shown}");
    assert!(shown.contains("Removed 2 from trust.pem"), "{shown}");
}

#[test]
fn a_large_bundle_read_in_pieces_lists_lints_and_verifies_as_the_same_bundle_from_stdin() {
    // Over 1 MiB, `bundle list`, `bundle lint` and `verify --bundle` read
    // the file in pieces; standard input is read whole. Same documents.
    let fixture = |f: &str| std::fs::read(crate::support::fixture(f)).unwrap();
    let parts = [
        fixture("chain/root.pem"),
        fixture("chain/inter.pem"),
        fixture("chain/inter-r.pem"),
    ];
    let mut text = Vec::new();
    for i in 0..2500 {
        if i == 1700 {
            text.extend(fixture("misc/truncated-der.pem"));
        }
        text.extend(&parts[i % parts.len()]);
    }
    assert!(text.len() > 1 << 20);
    let sb = Sandbox::new();
    let path = sb.write("big.pem", &text);
    let path: &'static str = path.to_str().unwrap().to_owned().leak();
    let leaf = crate::support::fixture("chain/leaf.pem");
    let leaf = leaf.to_str().unwrap();
    let run = |args: &[&str], stdin: &[u8]| -> (String, String) {
        let out = sb
            .cmd()
            .arg("--json")
            .args(args)
            .write_stdin(stdin)
            .output()
            .unwrap();
        let named = |b: Vec<u8>| {
            String::from_utf8(b)
                .unwrap()
                .replace(path, "B")
                .replace("<stdin>", "B")
        };
        (named(out.stdout), named(out.stderr))
    };
    for args in [
        &["bundle", "list", "FILE"][..],
        &["bundle", "lint", "FILE"],
        &["verify", "--bundle", "FILE", leaf],
    ] {
        let with = |file: &'static str| -> Vec<&str> {
            args.iter()
                .map(|a| if *a == "FILE" { file } else { a })
                .collect()
        };
        let pieces = run(&with(path), b"");
        let said = format!("{}{}", pieces.0, pieces.1);
        assert!(
            said.contains("block 1701") || said.contains("\"block\": 1701"),
            "{args:?}: {said}"
        );
        assert_eq!(run(&with("-"), &text), pieces, "{args:?}");
    }
}
