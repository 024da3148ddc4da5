//! The JSON schema scripts rely on, pinned by test-side structs decoded from
//! every command's `--json` output (as ripgrep's tests/json.rs does): a
//! renamed or retyped field fails here. Every document carries `warnings`
//! as `{code, message}`; times are RFC 3339; a key is an object; an error is
//! a document too.

use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::support::{Sandbox, tlsctl};

#[derive(Debug, Deserialize)]
struct Warning {
    code: String,
    message: String,
}

#[derive(Debug, Deserialize)]
struct Key {
    algorithm: String,
    #[allow(dead_code)]
    bits: Option<u64>,
}

#[derive(Debug, Deserialize)]
struct Cert {
    subject: String,
    issuer: String,
    serial: String,
    not_before: String,
    not_after: String,
    days_left: i64,
    validity: String,
    is_ca: bool,
    key: Key,
    fingerprint_sha256: String,
    pin_sha256: String,
}

#[derive(Debug, Deserialize)]
struct CaEntry {
    name: String,
    role: String,
    parent: Option<String>,
    staged: bool,
    certificate: Cert,
}

#[derive(Debug, Deserialize)]
struct CaCreated {
    created: CaEntry,
    key_path: String,
    replaced: bool,
    warnings: Vec<Warning>,
}

#[derive(Debug, Deserialize)]
struct CaList {
    store: String,
    cas: Vec<CaEntry>,
    warnings: Vec<Warning>,
}

#[derive(Debug, Deserialize)]
struct Issued {
    name: String,
    ca: String,
    cert_path: String,
    key_path: String,
    layout: String,
    created_default_ca: bool,
    capped_at_ca_expiry: bool,
    previous_pin_sha256: Option<String>,
    pin_kept: Option<bool>,
    certificate: Cert,
    warnings: Vec<Warning>,
}

#[derive(Debug, Deserialize)]
struct Listed {
    index: usize,
    subject: String,
    role: String,
    key: Key,
    not_after: String,
    pin_sha256: String,
}

#[derive(Debug, Deserialize)]
struct BundleAdd {
    bundle: String,
    added: Vec<Listed>,
    total: usize,
    warnings: Vec<Warning>,
}

#[derive(Debug, Deserialize)]
struct BundleList {
    bundle: String,
    certificates: Vec<Listed>,
    warnings: Vec<Warning>,
}

#[derive(Debug, Deserialize)]
struct LintFile {
    file: String,
    error_count: usize,
    warning_count: usize,
}

#[derive(Debug, Deserialize)]
struct Lint {
    files: Vec<LintFile>,
    error_count: usize,
    warnings: Vec<Warning>,
}

#[derive(Debug, Deserialize)]
struct PurposeResult {
    purpose: String,
    ok: bool,
}

#[derive(Debug, Deserialize)]
struct Verify {
    file: String,
    bundle: String,
    at: String,
    ok: bool,
    results: Vec<PurposeResult>,
    warnings: Vec<Warning>,
}

#[derive(Debug, Deserialize)]
struct Pin {
    file: String,
    name: String,
    kind: String,
    pin_sha256: String,
}

#[derive(Debug, Deserialize)]
struct Pins {
    pins: Vec<Pin>,
    warnings: Vec<Warning>,
}

#[derive(Debug, Deserialize)]
struct NatsFinding {
    node: String,
    file: String,
    block: String,
    severity: String,
    code: String,
    message: String,
}

#[derive(Debug, Deserialize)]
struct NatsConnection {
    kind: String,
    from: String,
    to: String,
    verdict: String,
    reasons: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct NatsPeerVerdict {
    node: String,
    block: String,
    #[serde(rename = "as")]
    role: String,
    accepted: bool,
    reason: String,
}

#[derive(Debug, Deserialize)]
struct NatsPeer {
    peer: String,
    subject: String,
    pin_sha256: String,
    verdicts: Vec<NatsPeerVerdict>,
}

#[derive(Debug, Deserialize)]
struct NatsCheck {
    nodes: Vec<serde_json::Value>,
    findings: Vec<NatsFinding>,
    connections: Vec<NatsConnection>,
    #[serde(default)]
    peers: Vec<NatsPeer>,
    warnings: Vec<Warning>,
}

#[derive(Debug, Deserialize)]
struct ErrorBody {
    code: String,
    message: String,
    file: Option<String>,
}

#[derive(Debug, Deserialize)]
struct ErrorDocument {
    error: ErrorBody,
    warnings: Vec<Warning>,
}

fn decode<T: DeserializeOwned>(cmd: &mut assert_cmd::Command, code: i32) -> T {
    let out = cmd.output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(code),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not the expected document ({e}):\n{}",
            String::from_utf8_lossy(&out.stdout)
        )
    })
}

fn rfc3339(text: &str) -> bool {
    time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339).is_ok()
}

#[test]
fn every_command_writes_one_document_of_the_documented_shape() {
    let sb = Sandbox::new();
    let created: CaCreated = decode(sb.cmd().args(["--json", "ca", "create", "acme"]), 0);
    assert_eq!(
        (created.created.name.as_str(), created.created.role.as_str()),
        ("acme", "root")
    );
    assert!(!created.replaced && created.key_path.ends_with("ca.key"));
    assert!(created.warnings.is_empty());
    assert!(rfc3339(&created.created.certificate.not_after));

    let staged: CaCreated = decode(
        sb.cmd().args([
            "--json",
            "ca",
            "create",
            "r3",
            "--parent",
            "acme",
            "--not-before",
            "2027-07-01",
        ]),
        0,
    );
    assert!(staged.created.staged);
    assert_eq!(staged.created.parent.as_deref(), Some("acme"));

    let list: CaList = decode(sb.cmd().args(["--json", "ca", "list"]), 0);
    assert_eq!(list.cas.len(), 2);
    assert!(list.store.ends_with("store") && list.warnings.is_empty());

    let issued: Issued = decode(
        sb.cmd().args([
            "--json",
            "cert",
            "issue",
            "a.example",
            "--ca",
            "r3",
            "--out",
            "a",
        ]),
        0,
    );
    assert_eq!(
        (issued.name.as_str(), issued.ca.as_str()),
        ("a.example", "r3")
    );
    assert_eq!(issued.layout, "versioned");
    assert!(!issued.created_default_ca && !issued.capped_at_ca_expiry);
    assert!(issued.cert_path.ends_with("a/cert.pem") && issued.key_path.ends_with("a/key.pem"));
    assert_eq!(issued.warnings[0].code, "staged-ca");
    assert!(issued.warnings[0].message.contains("not valid until"));
    assert!(issued.previous_pin_sha256.is_none() && issued.pin_kept.is_none());
    assert_eq!(issued.certificate.key.algorithm, "ECDSA");
    assert!(!issued.certificate.is_ca && issued.certificate.days_left > 0);

    let renewed: Issued = decode(
        sb.cmd().env("TLSCTL_NOW", "2027-07-02T00:00:00Z").args([
            "--json",
            "cert",
            "renew",
            "a/cert.pem",
        ]),
        0,
    );
    assert_eq!(renewed.pin_kept, Some(true));
    assert_eq!(
        renewed.previous_pin_sha256.as_deref(),
        Some(issued.certificate.pin_sha256.as_str())
    );
    assert_ne!(renewed.certificate.serial, issued.certificate.serial);

    let ca = sb.store().join("cas/acme/ca.pem");
    let ca = ca.to_str().unwrap();
    let added: BundleAdd = decode(sb.cmd().args(["--json", "bundle", "add", "b.pem", ca]), 0);
    assert_eq!((added.total, added.added.len()), (1, 1));
    assert_eq!(added.added[0].key.algorithm, "ECDSA");
    assert!(added.bundle.ends_with("b.pem") && added.warnings.is_empty());

    let listed: BundleList = decode(sb.cmd().args(["--json", "bundle", "list", "b.pem"]), 0);
    assert_eq!(listed.certificates[0].index, 1);
    assert_eq!(listed.certificates[0].role, "root");
    assert!(rfc3339(&listed.certificates[0].not_after));
    assert!(listed.certificates[0].subject.contains("acme"));
    assert!(listed.bundle.ends_with("b.pem") && listed.warnings.is_empty());

    let lint: Lint = decode(
        sb.cmd()
            .env("TLSCTL_NOW", "2027-07-03T00:00:00Z")
            .args(["--json", "lint", "a/cert.pem"]),
        0,
    );
    assert_eq!(lint.files[0].file, "a/cert.pem");
    assert_eq!((lint.error_count, lint.files[0].error_count), (0, 0));
    assert_eq!(lint.files[0].warning_count, 0);
    assert!(lint.warnings.is_empty());

    let verify: Verify = decode(
        sb.cmd().args([
            "--json",
            "verify",
            "a/cert.pem",
            "--bundle",
            "b.pem",
            "--at",
            "2027-07-03",
        ]),
        0,
    );
    assert_eq!(
        (verify.file.as_str(), verify.bundle.as_str()),
        ("a/cert.pem", "b.pem")
    );
    assert!(verify.ok && rfc3339(&verify.at));
    assert_eq!(verify.results.len(), 2);
    assert!(verify.results.iter().all(|r| r.ok));
    assert_eq!(verify.results[0].purpose, "server");
    assert!(verify.warnings.is_empty());

    let pins: Pins = decode(sb.cmd().args(["--json", "pin", "a/cert.pem"]), 0);
    assert_eq!(pins.pins[0].file, "a/cert.pem");
    assert_eq!(pins.pins[0].kind, "certificate");
    assert_eq!(pins.pins[0].name, "a/cert.pem#1");
    assert_eq!(pins.pins[0].pin_sha256, renewed.certificate.pin_sha256);
    assert!(pins.warnings.is_empty());
    // nats check with a peer: findings, connections and each peer's
    // verdict per node, block and role.
    sb.write(
        "n1.conf",
        "server_name: n1\ntls {\n  cert_file: a/cert.pem\n  key_file: a/key.pem\n  ca_file: b.pem\n  verify: true\n}\n",
    );
    let check: NatsCheck = decode(
        sb.cmd()
            .args(["--json", "nats", "check", "n1.conf", "--peer", "a/cert.pem"]),
        0,
    );
    assert_eq!(check.nodes.len(), 1);
    assert!(check.connections.is_empty() && check.warnings.is_empty());
    for f in &check.findings {
        assert!(!f.node.is_empty() && !f.file.is_empty() && !f.block.is_empty());
        assert!(["error", "warning", "info"].contains(&f.severity.as_str()));
        assert!(!f.code.is_empty() && !f.message.is_empty());
    }
    for c in &check.connections {
        let _ = (&c.kind, &c.from, &c.to, &c.verdict, &c.reasons);
    }
    assert_eq!(check.peers.len(), 1);
    let peer = &check.peers[0];
    assert_eq!(peer.peer, "a/cert.pem");
    assert_eq!(peer.pin_sha256, renewed.certificate.pin_sha256);
    assert!(!peer.subject.is_empty());
    assert_eq!(peer.verdicts.len(), 1);
    let v = &peer.verdicts[0];
    assert_eq!(
        (v.node.as_str(), v.block.as_str(), v.role.as_str()),
        ("n1", "tls", "client")
    );
    // a/cert.pem comes from the staged R3: not valid yet, so refused.
    assert!(
        !v.accepted && v.reason.contains("not valid until"),
        "{}",
        v.reason
    );
    let _ = (
        &issued.certificate.subject,
        &issued.certificate.issuer,
        &issued.certificate.not_before,
        &issued.certificate.validity,
        &issued.certificate.fingerprint_sha256,
        &listed.certificates[0].pin_sha256,
        &added.added[0].not_after,
    );
}

#[test]
fn an_error_is_a_document_too_with_the_same_exit_code() {
    let doc: ErrorDocument = decode(
        tlsctl().args(["--json", "verify", "nope.pem", "--bundle", "chain/root.pem"]),
        2,
    );
    assert_eq!(doc.error.code, "not-found");
    assert_eq!(doc.error.file.as_deref(), Some("nope.pem"));
    assert!(doc.error.message.starts_with("nope.pem: no such file"));
    assert!(doc.warnings.is_empty());
    // The message is on stderr as well, once.
    tlsctl()
        .args(["--json", "verify", "nope.pem", "--bundle", "chain/root.pem"])
        .assert()
        .code(2)
        .stderr("tlsctl: nope.pem: no such file; check the path\n");

    let usage: ErrorDocument = decode(tlsctl().args(["--json", "bundle", "lint", "--bogus"]), 2);
    assert_eq!(usage.error.code, "usage");
    assert!(
        usage.error.message.contains("--bogus"),
        "{}",
        usage.error.message
    );

    let sb = Sandbox::new();
    sb.cmd().args(["ca", "create", "acme"]).assert().success();
    let exists: ErrorDocument = decode(sb.cmd().args(["--json", "ca", "create", "acme"]), 2);
    assert_eq!(exists.error.code, "exists");
    assert!(
        exists
            .error
            .message
            .ends_with("; pass --force to replace it")
    );
    assert!(exists.warnings.is_empty());
}
