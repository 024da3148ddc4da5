//! Expiry checks for scripts: `--expires-within DURATION` on `lint`,
//! `bundle lint` and `verify` (exit 1, as `openssl x509 -checkend` does),
//! relative `--at +30d`, and "23 hours" where whole days would say 0.

use std::process::Command;

use crate::interop::enabled;
use crate::support::{Sandbox, fixture, json_of, stdout_of, tlsctl};

/// A sandbox with a dual-use leaf `leaf.pem` valid for `days` from NOW.
fn leaf_for(days: &str) -> Sandbox {
    let sb = Sandbox::new();
    sb.cmd()
        .args(["cert", "issue", "node.example", "--days", days])
        .args(["--cert-out", "leaf.pem", "--key-out", "leaf.key"])
        .assert()
        .success();
    sb
}

fn codes(doc: &serde_json::Value) -> Vec<String> {
    doc["files"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn lint_exits_1_when_a_certificate_expires_within_the_window() {
    let sb = leaf_for("10");
    let out = sb
        .cmd()
        .args(["lint", "leaf.pem", "--expires-within", "30d"])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    assert!(
        // Issued backdated by a minute: 9 days and 23 hours are left.
        text.contains("expires-within: CN=node.example expires in 9 days"),
        "{text}"
    );
    assert!(text.contains("within 30d"), "{text}");
    // A window it outlives: exit 0, and no such finding.
    sb.cmd()
        .args(["lint", "leaf.pem", "--expires-within", "216h"])
        .assert()
        .success();
    let doc = json_of(
        sb.cmd()
            .args(["--json", "lint", "leaf.pem", "--expires-within", "9d"]),
    );
    assert!(!codes(&doc).contains(&"expires-within".to_owned()));
    // Without the flag nothing changes: 10 days is only the usual warning.
    sb.cmd().args(["lint", "leaf.pem"]).assert().success();
}

#[test]
fn the_lint_window_covers_the_chain_after_the_leaf() {
    // The fixture intermediate "short-inter" ends 2027-12-27, 209 days after
    // the tests' clock; the leaf and the root live for years.
    let chain = Sandbox::new();
    let mut both = std::fs::read(fixture("chain/leaf.pem")).unwrap();
    both.extend(std::fs::read(fixture("chain/short-inter.pem")).unwrap());
    chain.write("chain.pem", both);
    let doc = {
        let out = chain
            .cmd()
            .args(["--json", "lint", "chain.pem", "--expires-within", "210d"])
            .assert()
            .code(1)
            .get_output()
            .stdout
            .clone();
        serde_json::from_slice::<serde_json::Value>(&out).unwrap()
    };
    let f = doc["files"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "expires-within")
        .expect("an expires-within finding");
    assert_eq!(f["severity"], "error");
    assert_eq!(f["block"], 2, "the second certificate of the file");
    assert!(f["subject"].as_str().unwrap().contains("Short"), "{f}");
    assert!(
        !codes(&json_of(chain.cmd().args([
            "--json",
            "lint",
            "chain.pem",
            "--expires-within",
            "200d"
        ])))
        .contains(&"expires-within".to_owned())
    );
}

#[test]
fn bundle_lint_exits_1_when_a_bundle_certificate_expires_within_the_window() {
    let out = tlsctl()
        .args([
            "bundle",
            "lint",
            "chain/short-inter.pem",
            "--expires-within",
            "30w",
        ])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    assert!(text.contains("block 1: expires-within:"), "{text}");
    assert!(text.contains("expires in 209 days"), "{text}");
    tlsctl()
        .args([
            "bundle",
            "lint",
            "chain/short-inter.pem",
            "--expires-within",
            "29w",
        ])
        .assert()
        .success();
    tlsctl()
        .args([
            "bundle",
            "lint",
            "chain/root.pem",
            "--expires-within",
            "3650d",
        ])
        .assert()
        .success();
}

#[test]
fn verify_exits_1_when_the_chain_expires_within_the_window_but_still_says_ok() {
    let args = [
        "--json",
        "verify",
        "chain/leaf.pem",
        "--bundle",
        "chain/root.pem",
        "--untrusted",
        "chain/inter.pem",
        "--expires-within",
    ];
    // The leaf and intermediate end 2036-11-19; the root in 2126.
    let out = tlsctl()
        .args(args)
        .arg("7300d")
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let doc: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(doc["ok"], true, "the chain itself verifies");
    assert_eq!(doc["expires_within"]["window"], "7300d");
    let expiring: Vec<&str> = doc["expires_within"]["expiring"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["subject"].as_str().unwrap())
        .collect();
    assert_eq!(expiring.len(), 2, "{expiring:?}");
    assert!(expiring[0].contains("node-a.example.com"));
    assert!(expiring[1].contains("Intermediate X"));
    assert_eq!(doc["warnings"], serde_json::json!([]));
    // The anchor it verified through counts too.
    let out = tlsctl()
        .args(args)
        .arg("40000d")
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let doc: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let expiring = doc["expires_within"]["expiring"].as_array().unwrap();
    assert_eq!(expiring.len(), 3, "{expiring:?}");
    assert!(
        expiring[2]["subject"]
            .as_str()
            .unwrap()
            .contains("Fixture Root")
    );
    let doc = json_of(tlsctl().args(args).arg("365d"));
    assert_eq!(doc["expires_within"]["expiring"], serde_json::json!([]));
    // Human output names each certificate.
    let out = tlsctl()
        .args(&args[1..])
        .arg("7300d")
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    assert!(
        String::from_utf8(out)
            .unwrap()
            .contains("EXPIRES O=tlsctl fixtures, CN=Fixture Intermediate X expires in")
    );
}

#[test]
fn malformed_windows_are_usage_errors() {
    for bad in ["30", "30x", "d", "-1d"] {
        let out = tlsctl()
            .args(["lint", "certs/p256.pem", "--expires-within", bad])
            .assert()
            .get_output()
            .clone();
        if bad == "30" {
            // A bare number is seconds, as openssl -checkend takes them.
            assert!(out.status.success());
            continue;
        }
        assert_eq!(out.status.code(), Some(2), "{bad}");
        if bad != "-1d" {
            assert!(String::from_utf8_lossy(&out.stderr).contains("not a duration"));
        }
    }
}

#[test]
fn at_takes_times_relative_to_now() {
    let doc = json_of(tlsctl().args([
        "--json",
        "verify",
        "chain/leaf.pem",
        "--bundle",
        "chain/root.pem",
        "--untrusted",
        "chain/inter.pem",
        "--at",
        "+30d",
    ]));
    assert_eq!(doc["at"], "2027-07-01T12:00:00Z");
    tlsctl()
        .args(["verify", "chain/leaf.pem", "--bundle", "chain/root.pem"])
        .args(["--untrusted", "chain/inter.pem", "--at", "-1d"])
        .assert()
        .success();
    // After the leaf's not-after, relative to the pinned clock: it fails.
    tlsctl()
        .args(["verify", "chain/leaf.pem", "--bundle", "chain/root.pem"])
        .args(["--untrusted", "chain/inter.pem", "--at", "+3650d"])
        .assert()
        .code(1);
    let doc = json_of(tlsctl().args([
        "--json",
        "bundle",
        "diff",
        "chain/root.pem",
        "chain/root.pem",
        // A value with a leading minus needs `=` where the flag is not
        // declared to take one.
        "--at=-12h",
    ]));
    assert_eq!(doc["at"], "2027-06-01T00:00:00Z");
    tlsctl()
        .args([
            "verify",
            "chain/leaf.pem",
            "--bundle",
            "chain/root.pem",
            "--at",
            "+soon",
        ])
        .assert()
        .code(2);
}

#[test]
fn less_than_a_day_left_is_said_in_hours() {
    let sb = leaf_for("1");
    // Issued at NOW backdated a minute: at 12:30 there are 23h29m left.
    let later = "2027-06-01T12:30:00Z";
    let inspect = stdout_of(
        sb.cmd()
            .env("TLSCTL_NOW", later)
            .args(["inspect", "leaf.pem"]),
    );
    assert!(inspect.contains("23 hours left"), "{inspect}");
    assert!(!inspect.contains("0 days"), "{inspect}");
    let out = sb
        .cmd()
        .env("TLSCTL_NOW", later)
        .args(["lint", "leaf.pem", "--expires-within", "1d"])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    assert!(text.contains("expires in 23 hours"), "{text}");
}

/// `openssl x509 -checkend SECONDS` exits 1 when the certificate expires
/// within SECONDS; tlsctl's `--expires-within SECONDS` must agree, on the
/// real clock, on either side of each certificate's not-after.
#[test]
fn expires_within_agrees_with_openssl_checkend() {
    if !enabled() {
        return;
    }
    let sb = Sandbox::new();
    sb.cmd_realtime()
        .args(["cert", "issue", "node.example", "--days", "3"])
        .args(["--cert-out", "three.pem", "--key-out", "three.key"])
        .assert()
        .success();
    let files = [
        sb.path("three.pem"),
        fixture("chain/short-inter.pem"),
        fixture("chain/leaf.pem"),
        fixture("certs/p256.pem"),
    ];
    let mut compared = 0;
    for file in &files {
        let file = file.to_str().unwrap();
        for seconds in [
            0u64,
            3600,
            2 * 86400,
            4 * 86400,
            400 * 86400,
            3650 * 86400,
            4000 * 86400,
        ] {
            let secs = seconds.to_string();
            let openssl = Command::new("openssl")
                .args(["x509", "-noout", "-checkend", &secs, "-in", file])
                .output()
                .expect("openssl");
            let ours = sb
                .cmd_realtime()
                .args(["--json", "lint", file, "--expires-within", &secs])
                .output()
                .unwrap();
            let doc: serde_json::Value = serde_json::from_slice(&ours.stdout).unwrap();
            let flagged = codes(&doc).contains(&"expires-within".to_owned());
            assert_eq!(
                flagged,
                openssl.status.code() == Some(1),
                "{file} -checkend {secs}: openssl {:?}",
                String::from_utf8_lossy(&openssl.stdout)
            );
            compared += 1;
        }
    }
    assert_eq!(compared, 28);
}

/// The `--json` document of a command that exits 1 (findings).
fn json_exit_1(cmd: &mut assert_cmd::Command) -> serde_json::Value {
    let out = cmd.assert().code(1).get_output().stdout.clone();
    serde_json::from_slice(&out).unwrap()
}

/// The `fix` of the `expires-within` finding(s) of a `--json` lint document
/// (`files[0]` for lint, the top level for bundle lint).
fn expiry_fixes(findings: &serde_json::Value) -> Vec<String> {
    findings
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "expires-within")
        .map(|f| f["fix"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn bundle_lint_names_the_bundle_to_renew_when_its_first_certificate_is_a_leaf() {
    let sb = leaf_for("10");
    std::fs::copy(sb.path("leaf.pem"), sb.path("soon.pem")).unwrap();
    let out = sb
        .cmd()
        .args(["bundle", "lint", "soon.pem", "--expires-within", "30d"])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    assert!(text.contains("tlsctl cert renew soon.pem"), "{text}");
    assert!(!text.contains("renew FILE"), "{text}");
    let doc = json_exit_1(sb.cmd().args([
        "--json",
        "bundle",
        "lint",
        "soon.pem",
        "--expires-within",
        "30d",
    ]));
    assert_eq!(
        expiry_fixes(&doc["findings"]),
        ["renew it: tlsctl cert renew soon.pem"]
    );
    // A leaf after the first certificate is not what cert renew reads: it
    // is renewed from its own file, then replaced in the bundle.
    let mut two = std::fs::read(fixture("chain/root.pem")).unwrap();
    two.extend(std::fs::read(sb.path("leaf.pem")).unwrap());
    sb.write("two.pem", two);
    let doc = json_exit_1(sb.cmd().args([
        "--json",
        "bundle",
        "lint",
        "two.pem",
        "--expires-within",
        "30d",
    ]));
    let fixes = expiry_fixes(&doc["findings"]);
    assert_eq!(fixes.len(), 1, "{doc}");
    assert!(fixes[0].contains("then replace it in two.pem"), "{fixes:?}");
    assert!(!fixes[0].contains("cert renew two.pem"), "{fixes:?}");
}

#[test]
fn an_expiring_ca_is_told_to_stage_a_new_ca_not_to_renew() {
    // bundle lint of a CA (the fixture intermediate ends in 209 days).
    let doc = json_exit_1(tlsctl().args([
        "--json",
        "bundle",
        "lint",
        "chain/short-inter.pem",
        "--expires-within",
        "30w",
    ]));
    let fixes = expiry_fixes(&doc["findings"]);
    assert_eq!(fixes.len(), 1, "{doc}");
    for want in ["tlsctl ca create", "--not-before", "rotation runbook"] {
        assert!(fixes[0].contains(want), "{want}: {fixes:?}");
    }
    assert!(!fixes[0].contains("cert renew"), "{fixes:?}");
    // lint of a chain whose intermediate expires: the same, for block 2.
    let chain = Sandbox::new();
    let mut both = std::fs::read(fixture("chain/leaf.pem")).unwrap();
    both.extend(std::fs::read(fixture("chain/short-inter.pem")).unwrap());
    chain.write("chain.pem", both);
    let doc =
        json_exit_1(
            chain
                .cmd()
                .args(["--json", "lint", "chain.pem", "--expires-within", "210d"]),
        );
    let fixes = expiry_fixes(&doc["files"][0]["findings"]);
    assert_eq!(fixes.len(), 1, "{doc}");
    assert!(fixes[0].contains("tlsctl ca create"), "{fixes:?}");
    assert!(!fixes[0].contains("cert renew"), "{fixes:?}");
}

#[test]
fn lint_of_an_expiring_ca_says_to_stage_a_new_ca() {
    let sb = Sandbox::new();
    sb.cmd()
        .args(["ca", "create", "acme", "--cn", "Acme Root", "--days", "10"])
        .assert()
        .success();
    sb.write(
        "acme.pem",
        stdout_of(sb.cmd().args(["ca", "export", "acme"])),
    );
    let doc = json_of(sb.cmd().args(["--json", "lint", "acme.pem"]));
    let fix = doc["files"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "expires-soon")
        .and_then(|f| f["fix"].as_str())
        .unwrap_or_else(|| panic!("an expires-soon fix: {doc}"))
        .to_owned();
    assert!(fix.contains("tlsctl ca create"), "{fix}");
    assert!(fix.contains("--not-before"), "{fix}");
    assert!(!fix.contains("cert renew"), "{fix}");
}
