//! PKCS#12: `tlsctl cert p12` writes what `openssl pkcs12` and `certtool
//! --p12-info` read (modern AES-256/PBKDF2 by default, `--legacy` 3DES),
//! and `tlsctl inspect F.p12` reads its own files and openssl's.

use std::os::unix::fs::PermissionsExt;

use crate::interop::{enabled, run_tool};
use crate::support::{Sandbox, json_of, stdout_of};

/// A leaf from an intermediate with its chain in `svc/`, and a password file.
fn material(sb: &Sandbox) {
    for args in [
        &["ca", "create", "root"][..],
        &["ca", "create", "inter", "--parent", "root"],
        &[
            "cert",
            "issue",
            "svc.example",
            "--ca",
            "inter",
            "--chain",
            "--out",
            "svc",
        ],
    ] {
        sb.cmd_realtime().args(args).assert().success();
    }
    sb.write("pw.txt", "correct horse\n");
}

fn inspect_kinds(sb: &Sandbox, file: &str) -> Vec<(String, String)> {
    let doc = json_of(
        sb.cmd()
            .args(["--json", "inspect", file, "--password-file", "pw.txt"]),
    );
    doc["files"][0]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            let what = match i["kind"].as_str().unwrap() {
                "certificate" => i["certificate"]["subject"].as_str().unwrap().to_owned(),
                _ => i["pin_sha256"].as_str().unwrap().to_owned(),
            };
            (i["kind"].as_str().unwrap().to_owned(), what)
        })
        .collect()
}

#[test]
fn a_p12_holds_the_key_the_leaf_and_the_chain_and_reads_back() {
    let sb = Sandbox::new();
    material(&sb);
    let doc = json_of(sb.cmd().args([
        "--json",
        "cert",
        "p12",
        "--cert",
        "svc/cert.pem",
        "--key",
        "svc/key.pem",
        "--out",
        "svc.p12",
        "--password-file",
        "pw.txt",
    ]));
    assert_eq!(doc["protection"], "modern");
    assert_eq!(doc["alias"], "svc.example");
    assert_eq!(
        doc["certificates"],
        serde_json::json!(["CN=svc.example", "O=tlsctl, CN=inter"])
    );
    let mode = std::fs::metadata(sb.path("svc.p12"))
        .unwrap()
        .permissions()
        .mode()
        & 0o777;
    assert_eq!(mode, 0o600, "the file holds the private key");
    let pin = stdout_of(sb.cmd().args(["pin", "--bare", "svc/key.pem"]));
    assert_eq!(
        inspect_kinds(&sb, "svc.p12"),
        [
            ("private_key".to_owned(), pin.trim().to_owned()),
            ("certificate".to_owned(), "CN=svc.example".to_owned()),
            ("certificate".to_owned(), "O=tlsctl, CN=inter".to_owned()),
        ]
    );
    // Never over an existing file without --force.
    sb.cmd()
        .args([
            "cert",
            "p12",
            "--cert",
            "svc/cert.pem",
            "--key",
            "svc/key.pem",
        ])
        .args(["--out", "svc.p12", "--password-file", "pw.txt"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--force"));
}

#[test]
fn a_wrong_password_or_a_foreign_key_is_refused() {
    let sb = Sandbox::new();
    material(&sb);
    sb.cmd()
        .args([
            "cert",
            "p12",
            "--cert",
            "svc/cert.pem",
            "--key",
            "svc/key.pem",
        ])
        .args(["--out", "svc.p12", "--password-file", "pw.txt", "--legacy"])
        .assert()
        .success()
        .stderr(predicates::str::contains("legacy protection"));
    sb.write("bad.txt", "wrong\n");
    sb.cmd()
        .args(["inspect", "svc.p12", "--password-file", "bad.txt"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("wrong password"));
    // No password and no terminal: the flag to pass.
    sb.cmd()
        .args(["inspect", "svc.p12"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--password-file"));
    let ca_key = sb.store().join("cas/root/ca.key");
    sb.cmd()
        .args(["cert", "p12", "--cert", "svc/cert.pem", "--key"])
        .arg(ca_key)
        .args(["--out", "x.p12", "--password-file", "pw.txt"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("not the key of"));
    assert!(!sb.path("x.p12").exists());
}

#[test]
fn openssl_and_certtool_read_what_tlsctl_writes_and_tlsctl_reads_openssl() {
    if !enabled() {
        return;
    }
    let sb = Sandbox::new();
    material(&sb);
    let dir = sb.dir.path();
    let sh = |script: &str| run_tool("bash", &["-euo", "pipefail", "-c", script], dir);
    sb.cmd()
        .args([
            "cert",
            "p12",
            "--cert",
            "svc/cert.pem",
            "--key",
            "svc/key.pem",
        ])
        .args([
            "--chain",
            "svc/ca.pem",
            "--out",
            "modern.p12",
            "--password-file",
            "pw.txt",
        ])
        .assert()
        .success();
    sb.cmd()
        .args([
            "cert",
            "p12",
            "--cert",
            "svc/cert.pem",
            "--key",
            "svc/key.pem",
        ])
        .args([
            "--out",
            "legacy.p12",
            "--password-file",
            "pw.txt",
            "--legacy",
        ])
        .assert()
        .success();
    let info = sh("openssl pkcs12 -info -nokeys -in modern.p12 -passin file:pw.txt 2>&1");
    assert!(info.contains("PBES2, PBKDF2, AES-256-CBC"), "{info}");
    assert!(info.contains("MAC: sha256"), "{info}");
    for s in [
        "subject=CN = svc.example",
        "subject=O = tlsctl, CN = inter",
        "subject=O = tlsctl, CN = root",
    ] {
        assert!(info.contains(s), "{s}: {info}");
    }
    // openssl extracts the same key.
    sh("openssl pkcs12 -in modern.p12 -passin file:pw.txt -nocerts -nodes -out k.pem 2>/dev/null");
    assert_eq!(
        stdout_of(sb.cmd().args(["pin", "--bare", "k.pem"])),
        stdout_of(sb.cmd().args(["pin", "--bare", "svc/key.pem"]))
    );
    let legacy = sh("openssl pkcs12 -legacy -info -nokeys -in legacy.p12 -passin file:pw.txt 2>&1");
    assert!(
        legacy.contains("pbeWithSHA1And3-KeyTripleDES-CBC"),
        "{legacy}"
    );
    assert!(legacy.contains("MAC: sha1"), "{legacy}");
    for f in ["modern.p12", "legacy.p12"] {
        let g = sh(&format!(
            "certtool --p12-info --inder --infile {f} --password 'correct horse' 2>&1"
        ));
        assert!(g.contains("svc.example"), "{f}: {g}");
        assert!(!g.to_lowercase().contains("error"), "{f}: {g}");
    }
    // tlsctl reads what openssl writes, modern and legacy (RC2-40 certs).
    sh(
        "openssl pkcs12 -export -in svc/cert.pem -inkey svc/key.pem -certfile svc/ca.pem \
        -out o.p12 -passout file:pw.txt",
    );
    sh(
        "openssl pkcs12 -export -legacy -in svc/cert.pem -inkey svc/key.pem -out ol.p12 \
        -passout file:pw.txt",
    );
    let pin = stdout_of(sb.cmd().args(["pin", "--bare", "svc/key.pem"]));
    for f in ["o.p12", "ol.p12"] {
        let kinds = inspect_kinds(&sb, f);
        assert_eq!(
            kinds[0],
            ("private_key".to_owned(), pin.trim().to_owned()),
            "{f}"
        );
        assert!(
            kinds.contains(&("certificate".to_owned(), "CN=svc.example".to_owned())),
            "{f}"
        );
    }
}
