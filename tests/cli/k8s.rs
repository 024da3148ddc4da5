//! `cert issue --k8s-secret NAME`: a kubernetes.io/tls Secret manifest
//! beside the issued files, 0600, that reads back (pki::k8s) to the same
//! certificate, chain, key and CA.

use std::os::unix::fs::PermissionsExt;

use tlsctl::pki::k8s;

use crate::support::Sandbox;

#[test]
fn an_issued_certificate_is_written_as_a_tls_secret_that_reads_back() {
    let sb = Sandbox::new();
    sb.cmd().args(["ca", "create", "root"]).assert().success();
    sb.cmd()
        .args(["ca", "create", "inter", "--parent", "root"])
        .assert()
        .success();
    sb.cmd()
        .args([
            "cert",
            "issue",
            "nats.prod.svc",
            "--ca",
            "inter",
            "--chain",
            "--out",
            "nats",
        ])
        .args(["--k8s-secret", "nats-tls", "--namespace", "prod"])
        .assert()
        .success()
        .stderr(predicates::str::contains("nats-tls.yaml"));
    let path = sb.path("nats-tls.yaml");
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "the manifest carries the key");
    let text = std::fs::read(&path).unwrap();
    assert!(String::from_utf8_lossy(&text).contains("type: kubernetes.io/tls"));
    let entries = k8s::read_manifest(&text).unwrap();
    let get = |key: &str| {
        entries
            .iter()
            .find(|e| e.key == key)
            .map(|e| e.bytes.clone())
            .unwrap()
    };
    assert_eq!(entries[0].object, "Secret/prod/nats-tls");
    assert_eq!(
        get("tls.crt"),
        std::fs::read(sb.path("nats/cert.pem")).unwrap()
    );
    assert_eq!(
        get("tls.key"),
        std::fs::read(sb.path("nats/key.pem")).unwrap()
    );
    assert_eq!(
        get("ca.crt"),
        std::fs::read(sb.path("nats/ca.pem")).unwrap()
    );
    assert_eq!(
        String::from_utf8(get("tls.crt"))
            .unwrap()
            .matches("BEGIN CERTIFICATE")
            .count(),
        2,
        "leaf and intermediate"
    );
    // Not replaced without --force; a bad name is refused before issuing.
    sb.cmd()
        .args([
            "cert",
            "issue",
            "other.svc",
            "--out",
            "other",
            "--k8s-secret",
            "nats-tls",
        ])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--force"));
    assert!(!sb.path("other").exists());
    sb.cmd()
        .args([
            "cert",
            "issue",
            "x.svc",
            "--out",
            "x",
            "--k8s-secret",
            "Bad_Name",
        ])
        .assert()
        .code(2);
    assert!(!sb.path("x").exists());
}

#[test]
fn lint_and_inspect_read_a_secret_manifest_and_file_key_picks_one_key() {
    let sb = Sandbox::new();
    sb.cmd()
        .args([
            "cert",
            "issue",
            "web.svc",
            "--out",
            "web",
            "--k8s-secret",
            "web-tls",
        ])
        .assert()
        .success();
    // inspect: certificates and, where a key is wanted, tls.key.
    let doc = crate::support::json_of(sb.cmd().args(["--json", "inspect", "web-tls.yaml"]));
    let kinds: Vec<&str> = doc["files"][0]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        ["certificate", "private_key", "certificate"],
        "tls.crt, tls.key, ca.crt"
    );
    let one = crate::support::json_of(sb.cmd().args(["--json", "inspect", "web-tls.yaml#ca.crt"]));
    assert_eq!(one["files"][0]["file"], "web-tls.yaml#ca.crt");
    assert_eq!(one["files"][0]["items"].as_array().unwrap().len(), 1);
    // lint: FILE#KEY names it; the leaf is linted.
    let out = crate::support::stdout_of(sb.cmd().args([
        "lint",
        "web-tls.yaml#tls.crt",
        "--role",
        "server",
    ]));
    assert!(out.starts_with("web-tls.yaml#tls.crt: CN=web.svc"), "{out}");
    sb.cmd()
        .args(["lint", "web-tls.yaml#nope.pem"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "keys there: tls.crt, tls.key, ca.crt",
        ));
    // A ConfigMap (text data), as a trust-manager Bundle target holds it.
    let ca = std::fs::read_to_string(sb.path("web/ca.pem")).unwrap();
    let indented: String = ca.lines().map(|l| format!("    {l}\n")).collect();
    sb.write(
        "trust.yaml",
        format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: trust\ndata:\n  ca.pem: |\n{indented}"),
    );
    let doc = crate::support::json_of(sb.cmd().args(["--json", "inspect", "trust.yaml"]));
    assert_eq!(doc["files"][0]["items"][0]["kind"], "certificate");
    // A PEM file is read as before, and a block number is not a key.
    crate::support::stdout_of(sb.cmd().args(["inspect", "web/cert.pem"]));
}

#[test]
fn a_bundle_exports_as_a_configmap_that_reads_back_to_the_same_certificates() {
    let sb = Sandbox::new();
    let pki = sb.pki();
    sb.cmd()
        .args(["bundle", "add", "trust.pem"])
        .arg(&pki.root)
        .arg(&pki.x3)
        .arg(&pki.r3)
        .assert()
        .success();
    // stdout by default: a ConfigMap with the canonical bundle as a literal block.
    let manifest = crate::support::stdout_of(sb.cmd().args([
        "bundle",
        "export",
        "trust.pem",
        "--configmap",
        "nats-ca",
        "--namespace",
        "nats",
    ]));
    assert!(
        manifest.starts_with(
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: nats-ca\n  namespace: nats\n\
             data:\n  ca.pem: |\n    # Subject: "
        ),
        "{manifest}"
    );
    let entries = k8s::read_manifest(manifest.as_bytes()).unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].object, "ConfigMap/nats/nats-ca");
    assert_eq!(
        entries[0].bytes,
        std::fs::read(sb.path("trust.pem")).unwrap(),
        "the key holds the bundle file byte for byte"
    );
    // --out: written atomically; list and verify read it as they read the PEM.
    sb.cmd()
        .args(["bundle", "export", "trust.pem", "--configmap", "nats-ca"])
        .args(["--key", "trust.pem", "--out", "trust.yaml"])
        .assert()
        .success()
        .stdout(predicates::str::contains("3 certificates under trust.pem"));
    let list = |file: &str| {
        let doc = crate::support::json_of(sb.cmd().args(["--json", "bundle", "list", file]));
        doc["certificates"].clone()
    };
    assert_eq!(list("trust.yaml"), list("trust.pem"));
    assert_eq!(list("trust.yaml#trust.pem"), list("trust.pem"));
    for leaf in [&pki.node_a, &pki.node_b] {
        sb.cmd()
            .arg("verify")
            .arg(leaf)
            .args(["--bundle", "trust.yaml"])
            .assert()
            .success();
    }
    // Not replaced without --force; with it, replaced.
    let before = std::fs::read(sb.path("trust.yaml")).unwrap();
    sb.cmd()
        .args([
            "bundle",
            "export",
            "trust.pem",
            "--configmap",
            "other",
            "--out",
            "trust.yaml",
        ])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--force"));
    assert_eq!(std::fs::read(sb.path("trust.yaml")).unwrap(), before);
    sb.cmd()
        .args([
            "bundle",
            "export",
            "trust.pem",
            "--configmap",
            "other",
            "--out",
            "trust.yaml",
        ])
        .arg("--force")
        .assert()
        .success();
    assert!(
        String::from_utf8(std::fs::read(sb.path("trust.yaml")).unwrap())
            .unwrap()
            .contains("name: other")
    );
    // Bad names and keys, a bundle with a bad block: exit 2, nothing written.
    for bad in [
        &["--configmap", "Bad_Name"][..],
        &["--configmap", "ok", "--key", "a/b"],
        &["--configmap", "ok", "--namespace", "-x"],
    ] {
        sb.cmd()
            .args(["bundle", "export", "trust.pem", "--out", "bad.yaml"])
            .args(bad)
            .assert()
            .code(2);
    }
    let mut broken = std::fs::read_to_string(sb.path("trust.pem")).unwrap();
    broken.push_str("-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n");
    sb.write("broken.pem", broken);
    sb.cmd()
        .args([
            "bundle",
            "export",
            "broken.pem",
            "--configmap",
            "ok",
            "--out",
            "bad.yaml",
        ])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("bundle lint"));
    assert!(!sb.path("bad.yaml").exists());
}
