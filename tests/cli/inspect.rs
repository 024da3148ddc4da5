//! `tlsctl inspect`: every item kind, human and JSON, with pin and
//! fingerprint told apart.

use predicates::prelude::*;
use serde::Deserialize;

use crate::support::{fixture, openssl_pins, stdout_of, tlsctl};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Report {
    files: Vec<FileReport>,
    #[allow(dead_code)] // pinned: every document carries its warnings
    warnings: Vec<serde_json::Value>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileReport {
    file: String,
    error: Option<String>,
    items: Vec<serde_json::Value>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Cert {
    subject: String,
    issuer: String,
    common_name: Option<String>,
    serial: String,
    not_before: String,
    not_after: String,
    days_left: i64,
    validity: String,
    sans: Vec<San>,
    key_usage: Option<Vec<String>>,
    extended_key_usage: Option<Vec<String>>,
    basic_constraints: Option<BasicConstraints>,
    is_ca: bool,
    self_signed: bool,
    key: Key,
    subject_key_id: Option<String>,
    authority_key_id: Option<String>,
    signature_algorithm: String,
    version: u32,
    fingerprint_sha256: String,
    pin_sha256: String,
}

#[derive(Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
struct San {
    kind: String,
    value: String,
}

#[derive(Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
struct BasicConstraints {
    ca: bool,
    path_len: Option<u32>,
    critical: bool,
}

#[derive(Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
struct Key {
    algorithm: String,
    bits: u32,
    curve: Option<String>,
}

fn openssl_pin(file: &str) -> String {
    openssl_pins()
        .into_iter()
        .find(|(_, f)| f == file)
        .unwrap()
        .0
}

fn openssl_fingerprint(file: &str) -> String {
    // sha256 of the DER, as `openssl x509 -fingerprint -sha256` computes it.
    use sha2::{Digest, Sha256};
    let pem = std::fs::read(fixture(file)).unwrap();
    let der = rustls_pki_types::CertificateDer::from_pem_slice(&pem).unwrap();
    hex::encode(Sha256::digest(der.as_ref()))
}

use rustls_pki_types::pem::PemObject;

#[test]
fn human_output_labels_the_pin_and_the_fingerprint_apart() {
    let out = stdout_of(tlsctl().args(["inspect", "chain/leaf.pem"]));
    let pin = openssl_pin("chain/leaf.pem");
    let fp = openssl_fingerprint("chain/leaf.pem");
    let fp_colons: Vec<String> = fp
        .as_bytes()
        .chunks(2)
        .map(|c| String::from_utf8_lossy(c).to_uppercase())
        .collect();
    let pin_line = out.lines().find(|l| l.contains("SPKI pin:")).unwrap();
    assert!(pin_line.ends_with(&pin), "{pin_line}");
    let fp_line = out.lines().find(|l| l.contains("Fingerprint:")).unwrap();
    assert!(fp_line.ends_with(&fp_colons.join(":")), "{fp_line}");
    assert!(out.contains("the NATS pinned_certs value"));
    assert!(out.contains("not the pin"));
    for expected in [
        "Subject:            O=tlsctl fixtures, CN=node-a.example.com",
        "Issuer:             O=tlsctl fixtures, CN=Fixture Intermediate X",
        "Role:               leaf",
        "Serial:             2001",
        "SANs:               DNS:node-a.example.com, IP:127.0.0.1",
        "Key usage:          digitalSignature",
        "Extended key usage: serverAuth, clientAuth",
        "Basic constraints:  CA:FALSE (critical)",
        "Key:                ECDSA P-256",
        "Signature:          ecdsa-with-SHA256",
    ] {
        assert!(out.contains(expected), "missing {expected:?} in\n{out}");
    }
}

#[test]
fn days_left_is_counted_from_now() {
    let at = |now: &str| {
        let out = tlsctl()
            .env("TLSCTL_NOW", now)
            .args(["--json", "inspect", "chain/leaf.pem"])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        let report: Report = serde_json::from_slice(&out).unwrap();
        let cert: Cert =
            serde_json::from_value(report.files[0].items[0]["certificate"].clone()).unwrap();
        (cert.days_left, cert.validity)
    };
    let (d1, v1) = at("2030-01-01T00:00:00Z");
    let (d2, v2) = at("2030-01-11T00:00:00Z");
    assert_eq!(d1 - d2, 10);
    assert_eq!((v1.as_str(), v2.as_str()), ("valid", "valid"));
    let (d3, v3) = at("2040-01-01T00:00:00Z");
    assert!(d3 < 0);
    assert_eq!(v3, "expired");
    let (_, v4) = at("2001-01-01T00:00:00Z");
    assert_eq!(v4, "not_yet_valid");
}

#[test]
fn json_describes_a_certificate_completely() {
    let out = stdout_of(tlsctl().args(["--json", "inspect", "chain/inter.pem"]));
    let report: Report = serde_json::from_str(&out).unwrap();
    assert_eq!(report.files.len(), 1);
    assert_eq!(report.files[0].file, "chain/inter.pem");
    assert_eq!(report.files[0].error, None);
    let item = &report.files[0].items[0];
    assert_eq!(item["kind"], "certificate");
    assert_eq!(item["block"], 1);
    let cert: Cert = serde_json::from_value(item["certificate"].clone()).unwrap();
    assert_eq!(cert.subject, "O=tlsctl fixtures, CN=Fixture Intermediate X");
    assert_eq!(cert.issuer, "O=tlsctl fixtures, CN=Fixture Root");
    assert_eq!(cert.common_name.as_deref(), Some("Fixture Intermediate X"));
    assert_eq!(cert.serial, "1001");
    assert!(cert.not_before.ends_with('Z') && cert.not_after.ends_with('Z'));
    assert!(cert.sans.is_empty());
    assert_eq!(
        cert.key_usage,
        Some(vec!["keyCertSign".to_owned(), "cRLSign".to_owned()])
    );
    assert_eq!(cert.extended_key_usage, None);
    assert_eq!(
        cert.basic_constraints,
        Some(BasicConstraints {
            ca: true,
            path_len: Some(0),
            critical: true
        })
    );
    assert!(cert.is_ca && !cert.self_signed);
    assert_eq!(
        cert.key,
        Key {
            algorithm: "ECDSA".into(),
            bits: 256,
            curve: Some("P-256".into())
        }
    );
    assert!(cert.subject_key_id.is_some() && cert.authority_key_id.is_some());
    assert_eq!(cert.signature_algorithm, "ecdsa-with-SHA256");
    assert_eq!(cert.version, 3);
    assert_eq!(
        cert.fingerprint_sha256,
        openssl_fingerprint("chain/inter.pem")
    );
    assert_eq!(cert.pin_sha256, openssl_pin("chain/inter.pem"));
    assert!(cert.days_left > 0);
    assert_eq!(cert.validity, "valid");
}

#[test]
fn sans_of_each_kind_and_key_sizes_are_reported() {
    let out = stdout_of(tlsctl().args([
        "--json",
        "inspect",
        "certs/rsa3072.pem",
        "certs/p521.pem",
        "certs/ed25519.pem",
    ]));
    let report: Report = serde_json::from_str(&out).unwrap();
    let keys: Vec<Key> = report
        .files
        .iter()
        .map(|f| serde_json::from_value(f.items[0]["certificate"]["key"].clone()).unwrap())
        .collect();
    assert_eq!(
        keys,
        [
            Key {
                algorithm: "RSA".into(),
                bits: 3072,
                curve: None
            },
            Key {
                algorithm: "ECDSA".into(),
                bits: 521,
                curve: Some("P-521".into())
            },
            Key {
                algorithm: "Ed25519".into(),
                bits: 256,
                curve: None
            },
        ]
    );
    let sans: Vec<San> =
        serde_json::from_value(report.files[0].items[0]["certificate"]["sans"].clone()).unwrap();
    assert_eq!(
        sans,
        [
            San {
                kind: "dns".into(),
                value: "rsa3072.example.com".into()
            },
            San {
                kind: "ip".into(),
                value: "127.0.0.1".into()
            },
        ]
    );
}

#[test]
fn keys_public_keys_and_csrs_are_inspected() {
    let out = stdout_of(tlsctl().args([
        "--json",
        "inspect",
        "keys/p384.traditional.pem",
        "keys/rsa4096.pub.pem",
        "misc/p256.csr.pem",
    ]));
    let report: Report = serde_json::from_str(&out).unwrap();
    let key = &report.files[0].items[0];
    assert_eq!(key["kind"], "private_key");
    assert_eq!(key["format"], "SEC1");
    assert_eq!(key["key"]["curve"], "P-384");
    assert_eq!(key["pin_sha256"], openssl_pin("keys/p384.traditional.pem"));
    let public = &report.files[1].items[0];
    assert_eq!(public["kind"], "public_key");
    assert_eq!(public["key"]["bits"], 4096);
    let csr = &report.files[2].items[0];
    assert_eq!(csr["kind"], "csr");
    assert_eq!(csr["csr"]["subject"], "O=tlsctl fixtures, CN=csr");
    assert_eq!(csr["csr"]["sans"][1]["value"], "10.0.0.1");
    assert_eq!(csr["csr"]["pin_sha256"], openssl_pin("keys/p256.pem"));
}

#[test]
fn private_key_material_is_never_printed() {
    let key = std::fs::read_to_string(fixture("keys/p256.traditional.pem")).unwrap();
    let out = stdout_of(tlsctl().args(["inspect", "keys/p256.traditional.pem"]));
    assert!(out.contains("key material is never printed"));
    for line in key.lines().filter(|l| !l.starts_with("-----")) {
        assert!(!out.contains(line));
    }
}

#[test]
fn unreadable_blocks_are_named_after_the_readable_ones_are_shown() {
    tlsctl()
        .args(["inspect", "misc/second-block-truncated.pem"])
        .assert()
        .code(2)
        .stdout(predicate::str::contains(
            "misc/second-block-truncated.pem block 1: certificate",
        ))
        .stdout(predicate::str::contains("Fixture Root"))
        .stdout(predicate::str::contains(
            "block 2: unreadable CERTIFICATE: certificate is truncated",
        ))
        // The reason is on stdout with the rest; stderr names the block once.
        .stderr(
            "tlsctl: misc/second-block-truncated.pem: block 2 could not be read (why is shown \
             above)\n",
        );
}

#[test]
fn pem_headers_are_shown_with_a_warning() {
    tlsctl()
        .args(["inspect", "misc/headers.pem"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "carries PEM headers; Go and so NATS skip it silently",
        ))
        .stdout(predicate::str::contains("Fixture Root"));
}

#[test]
fn der_input_is_detected_by_content() {
    let out = stdout_of(tlsctl().args([
        "--json",
        "inspect",
        "certs/p256.der",
        "keys/rsa2048.der",
        "keys/rsa2048.pkcs8.der",
        "keys/p384.der",
        "keys/ed25519.der",
    ]));
    let report: Report = serde_json::from_str(&out).unwrap();
    assert_eq!(report.files[0].items[0]["kind"], "certificate");
    let formats: Vec<&str> = report.files[1..]
        .iter()
        .map(|f| f.items[0]["format"].as_str().unwrap())
        .collect();
    assert_eq!(formats, ["PKCS#1", "PKCS#8", "SEC1", "PKCS#8"]);
}

#[test]
fn a_missing_file_is_exit_2_naming_it() {
    tlsctl()
        .args(["inspect", "nope.pem"])
        .assert()
        .code(2)
        .stderr("tlsctl: nope.pem: no such file; check the path\n");
}

#[test]
fn an_unreadable_block_is_described_once_not_on_both_streams() {
    let out = crate::support::tlsctl()
        .args(["inspect", "misc/second-block-truncated.pem"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stdout.contains("block 2: unreadable CERTIFICATE: certificate is truncated"));
    assert!(!stderr.contains("is truncated"), "said twice: {stderr}");
    assert!(
        stderr.contains("misc/second-block-truncated.pem: block 2 could not be read"),
        "{stderr}"
    );
}
