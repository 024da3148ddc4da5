//! The JSON schema scripts rely on, pinned by test-side structs decoded from
//! every command's `--json` output (as ripgrep's tests/json.rs does): a
//! renamed or retyped field fails here. Every document carries `warnings`
//! as `{code, message}`; times are RFC 3339; a key is an object; an error is
//! a document too.

#![allow(dead_code)] // fields exist to be decoded, not all are read

use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::support::{Sandbox, tlsctl};

// The fields are there to be decoded: a field the program writes that is
// not here, or one here it stops writing, fails `deny_unknown_fields` or
// the decode. Not every test reads every field.

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Warning {
    code: String,
    message: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Key {
    algorithm: String,
    bits: Option<u64>,
    curve: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct San {
    kind: String,
    value: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct BasicConstraints {
    ca: bool,
    path_len: Option<u64>,
    critical: bool,
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
    key_usage: Vec<String>,
    extended_key_usage: Option<Vec<String>>,
    basic_constraints: Option<BasicConstraints>,
    is_ca: bool,
    self_signed: bool,
    key: Key,
    subject_key_id: Option<String>,
    authority_key_id: Option<String>,
    signature_algorithm: String,
    version: u64,
    fingerprint_sha256: String,
    pin_sha256: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CaEntry {
    name: String,
    role: String,
    parent: Option<String>,
    key_type: String,
    cert_path: String,
    staged: bool,
    certificate: Cert,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CaCreated {
    created: CaEntry,
    key_path: String,
    replaced: bool,
    warnings: Vec<Warning>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CaList {
    store: String,
    cas: Vec<CaEntry>,
    warnings: Vec<Warning>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct BundleExport {
    bundle: String,
    configmap: String,
    namespace: Option<String>,
    key: String,
    out: Option<String>,
    manifest: String,
    certificates: Vec<Listed>,
    warnings: Vec<Warning>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TrustStep {
    store: String,
    target: String,
    status: String,
    commands: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CaTrust {
    ca: String,
    subject: String,
    pin_sha256: String,
    action: String,
    dry_run: bool,
    steps: Vec<TrustStep>,
    warnings: Vec<Warning>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CaShow {
    ca: CaEntry,
    key_path: String,
    children: Vec<String>,
    warnings: Vec<Warning>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Exported {
    name: String,
    certificate: Cert,
    pem: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CaExport {
    certificates: Vec<Exported>,
    warnings: Vec<Warning>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CaImport {
    ca: CaEntry,
    chain_imported: Vec<String>,
    key_was_encrypted: bool,
    warnings: Vec<Warning>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Issued {
    name: String,
    ca: String,
    cert_path: String,
    key_path: String,
    ca_path: Option<String>,
    layout: String,
    created_default_ca: bool,
    capped_at_ca_expiry: bool,
    previous_pin_sha256: Option<String>,
    pin_kept: Option<bool>,
    certificate: Cert,
    warnings: Vec<Warning>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct P12 {
    file: String,
    protection: String,
    alias: Option<String>,
    certificates: Vec<String>,
    pin_sha256: Option<String>,
    warnings: Vec<Warning>,
}

#[derive(Debug, Deserialize)]
struct InspectItem {
    kind: String,
    block: usize,
    certificate: Option<Cert>,
    error: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct InspectFile {
    file: String,
    items: Vec<InspectItem>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Inspect {
    files: Vec<InspectFile>,
    warnings: Vec<Warning>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Listed {
    index: usize,
    subject: String,
    issuer: String,
    role: String,
    key: Key,
    not_before: String,
    not_after: String,
    days_left: i64,
    validity: String,
    pin_sha256: String,
    fingerprint_sha256: String,
    source: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct BundleAdd {
    bundle: String,
    dry_run: bool,
    written: bool,
    added: Vec<Listed>,
    duplicates: Vec<Listed>,
    total: usize,
    warnings: Vec<Warning>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct BundleList {
    bundle: String,
    certificates: Vec<Listed>,
    problems: Vec<serde_json::Value>,
    warnings: Vec<Warning>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Finding {
    severity: String,
    code: String,
    message: String,
    block: Option<usize>,
    subject: Option<String>,
    fix: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct BundleLint {
    bundle: String,
    findings: Vec<Finding>,
    error_count: usize,
    warning_count: usize,
    warnings: Vec<Warning>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct BundleRemove {
    bundle: String,
    dry_run: bool,
    removed: Vec<Listed>,
    remaining: usize,
    warnings: Vec<Warning>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DiffSummary {
    unchanged: usize,
    renewed: usize,
    rekeyed: usize,
    added: usize,
    removed: usize,
    peers_kept: usize,
    peers_lost: usize,
    peers_gained: usize,
    peers_never: usize,
}

/// A side of a change: in full, or (unchanged without `--all`) only
/// `{index, subject, pin_sha256}`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DiffSide {
    index: usize,
    subject: String,
    issuer: Option<String>,
    not_after: Option<String>,
    is_ca: Option<bool>,
    self_signed: Option<bool>,
    pin_sha256: String,
    fingerprint_sha256: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DiffChange {
    class: String,
    old: Option<DiffSide>,
    new: Option<DiffSide>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PeerCheck {
    trusted: bool,
    path: Option<Vec<String>>,
    reason: Option<String>,
    message: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PeerSide {
    trusted: bool,
    server: Option<PeerCheck>,
    client: Option<PeerCheck>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DiffPeer {
    peer: String,
    subject: String,
    verdict: String,
    old: PeerSide,
    new: PeerSide,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct BundleDiff {
    old: String,
    new: String,
    at: String,
    summary: DiffSummary,
    changes: Vec<DiffChange>,
    peers: Vec<DiffPeer>,
    warnings: Vec<Warning>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct NatsBlock {
    block: String,
    cert_file: String,
    key_file: String,
    ca_file: String,
    verify: Option<String>,
    pins: Vec<serde_json::Value>,
    timeout: Option<f64>,
    handshake_first: bool,
    header: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct NatsConfig {
    config: String,
    block: NatsBlock,
    certificate: Cert,
    warnings: Vec<Warning>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct NatsNode {
    name: String,
    file: String,
    tls_blocks: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct NatsCheck {
    nodes: Vec<NatsNode>,
    findings: Vec<NatsFinding>,
    connections: Vec<NatsConnection>,
    /// Only with `--peer`.
    #[serde(default)]
    peers: Vec<NatsPeer>,
    warnings: Vec<Warning>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct NatsFinding {
    node: String,
    file: String,
    block: String,
    severity: String,
    code: String,
    message: String,
    fix: Option<String>,
    /// FILE:LINE:COL, where the finding has a place in the config.
    location: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct NatsConnection {
    kind: String,
    from: String,
    to: String,
    verdict: String,
    reasons: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct NatsPeerVerdict {
    node: String,
    block: String,
    #[serde(rename = "as")]
    role: String,
    accepted: bool,
    reason: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct NatsPeer {
    peer: String,
    subject: String,
    pin_sha256: String,
    verdicts: Vec<NatsPeerVerdict>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Served {
    subject: String,
    issuer: String,
    not_after: String,
    days_left: i64,
    pin_sha256: String,
    fingerprint_sha256: String,
    pem: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Verified {
    ok: bool,
    server_name: String,
    path: Option<Vec<String>>,
    reason: Option<String>,
    message: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Probe {
    address: String,
    connected_to: String,
    kind: Option<String>,
    nats: Option<serde_json::Map<String, serde_json::Value>>,
    tls_first: bool,
    tls: bool,
    protocol: String,
    cipher_suite: String,
    chain: Vec<Served>,
    verified: Option<Verified>,
    pin_matches: Option<bool>,
    session: Option<String>,
    outcome: String,
    ok: bool,
    failures: Vec<String>,
    error: Option<String>,
    warnings: Vec<Warning>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LintFile {
    file: String,
    findings: Vec<Finding>,
    error_count: usize,
    warning_count: usize,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Lint {
    files: Vec<LintFile>,
    error_count: usize,
    warnings: Vec<Warning>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PurposeResult {
    purpose: String,
    ok: bool,
    path: Option<Vec<String>>,
    anchor_block: Option<usize>,
    reason: Option<String>,
    message: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Verify {
    file: String,
    subject: String,
    bundle: String,
    host: Option<String>,
    at: String,
    ok: bool,
    results: Vec<PurposeResult>,
    warnings: Vec<Warning>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Pin {
    file: String,
    item: usize,
    name: String,
    kind: String,
    subject: Option<String>,
    pin_sha256: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Pins {
    pins: Vec<Pin>,
    warnings: Vec<Warning>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ErrorBody {
    code: String,
    message: String,
    file: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
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

    // Nothing matched: exit 1, and still one document.
    let none: BundleRemove = decode(
        sb.cmd().args([
            "--json",
            "bundle",
            "remove",
            "b.pem",
            "--subject",
            "no such subject",
            "--dry-run",
        ]),
        1,
    );
    assert!(none.removed.is_empty() && none.dry_run);
    assert_eq!(none.remaining, listed.certificates.len());
    assert!(none.bundle.ends_with("b.pem"));

    let lint: BundleLint = decode(sb.cmd().args(["--json", "bundle", "lint", "b.pem"]), 0);
    assert!(lint.bundle.ends_with("b.pem") && lint.error_count == 0);

    let exported: BundleExport = decode(
        sb.cmd().args([
            "--json",
            "bundle",
            "export",
            "b.pem",
            "--configmap",
            "nats-ca",
            "--out",
            "b.yaml",
        ]),
        0,
    );
    assert_eq!(
        (exported.configmap.as_str(), exported.key.as_str()),
        ("nats-ca", "ca.pem")
    );
    assert!(exported.namespace.is_none() && exported.warnings.is_empty());
    assert!(exported.bundle.ends_with("b.pem"));
    assert!(
        exported
            .out
            .as_deref()
            .is_some_and(|o| o.ends_with("/b.yaml"))
    );
    assert_eq!(
        exported.manifest,
        std::fs::read_to_string(sb.path("b.yaml")).unwrap()
    );
    assert_eq!(
        exported.certificates[0].pin_sha256,
        listed.certificates[0].pin_sha256
    );

    // ca install --dry-run on a scratch system store (where the machine has
    // update-ca-certificates, as Debian does).
    if std::path::Path::new("/usr/sbin/update-ca-certificates").exists() {
        let trust: CaTrust = decode(
            sb.cmd()
                .env("TLSCTL_TRUST_ROOT", sb.path("scratch-root"))
                .args(["--json", "ca", "install", "acme", "--dry-run"]),
            0,
        );
        assert_eq!(
            (trust.ca.as_str(), trust.action.as_str()),
            ("acme", "install")
        );
        assert!(trust.dry_run && trust.subject.contains("acme"));
        assert_eq!(trust.pin_sha256.len(), 64);
        assert_eq!(
            (
                trust.steps[0].store.as_str(),
                trust.steps[0].status.as_str()
            ),
            ("system", "would-do")
        );
        assert!(trust.steps[0].target.ends_with("/tlsctl-acme.crt"));
        assert!(trust.steps[0].commands[1].contains("update-ca-certificates"));
        assert!(trust.warnings.is_empty());
        assert!(!sb.path("scratch-root").exists());
    }

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

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExplainMatch {
    file: String,
    subject: String,
    issuer: String,
    hash: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExplainCert {
    subject: String,
    sha256: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExplainEvent {
    kind: String,
    connection: String,
    remote: Option<String>,
    remotes: Vec<String>,
    count: u64,
    first: Option<String>,
    last: Option<String>,
    message: String,
    certificates: Vec<ExplainCert>,
    user: Option<String>,
    explanation: String,
    fix: String,
    matched_file: Option<String>,
    matches: Vec<ExplainMatch>,
    blocks: Vec<ExplainBlock>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExplainBlock {
    config: String,
    block: String,
    cert_file: Option<String>,
    ca_file: Option<String>,
    peer_check: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Explained {
    log: String,
    lines_read: u64,
    lines_matched: u64,
    searched: Vec<String>,
    events: Vec<ExplainEvent>,
    warnings: Vec<Warning>,
}

#[test]
fn nats_explain_writes_one_document_of_events() {
    let doc: Explained = decode(
        tlsctl().args([
            "--json",
            "nats",
            "explain",
            "natslog/2.15.1/route-n1.log",
            "--bundle",
            "natslog/certs/n2.pem",
        ]),
        1,
    );
    assert_eq!(doc.log, "natslog/2.15.1/route-n1.log");
    assert!(doc.lines_matched > 0 && doc.lines_matched < doc.lines_read);
    assert_eq!(doc.searched, ["natslog/certs/n2.pem"]);
    assert!(doc.warnings.is_empty());
    let e = &doc.events[0];
    assert_eq!(
        (e.kind.as_str(), e.connection.as_str()),
        ("unknown-authority", "route")
    );
    assert_eq!(e.remote.as_deref(), Some("127.0.0.1:17233"));
    assert!(e.count > 1 && !e.remotes.is_empty());
    assert!(e.first.is_some() && e.last.is_some() && e.first < e.last);
    assert_eq!(e.certificates[0].subject, "CN=n2");
    assert_eq!(e.certificates[0].sha256.len(), 64);
    assert_eq!(e.matched_file.as_deref(), Some("natslog/certs/n2.pem"));
    let m = &e.matches[0];
    assert_eq!(
        (m.hash.as_str(), m.subject.as_str()),
        ("fingerprint", "CN=n2")
    );
    assert!(m.issuer.contains("CN=evil"), "{}", m.issuer);
    assert!(m.file.ends_with("n2.pem"));
    assert!(!e.explanation.is_empty() && !e.fix.is_empty() && e.message.contains("x509"));
    assert!(e.user.is_none());
    assert!(doc.events.iter().any(|e| e.kind == "peer-rejected"));
    assert!(e.blocks.is_empty());

    // With the server's own config, the block that judged the route.
    let sb = Sandbox::new();
    let conf = sb.write(
        "n1.conf",
        "cluster { name: c, port: 6222, tls { cert_file: n1.pem, key_file: k.pem, ca_file: ca.pem } }\n",
    );
    let doc: Explained = decode(
        sb.cmd()
            .args(["--json", "nats", "explain", "--no-store", "--conf"])
            .arg(&conf)
            .arg(crate::support::fixture("natslog/2.15.1/route-n1.log")),
        1,
    );
    let b = &doc.events[0].blocks[0];
    assert_eq!(b.block, "cluster.tls");
    assert!(b.config.ends_with("n1.conf"));
    assert!(b.ca_file.as_deref().unwrap().ends_with("/ca.pem"));
    assert!(b.cert_file.as_deref().unwrap().ends_with("/n1.pem"));
    assert!(
        b.peer_check.is_none(),
        "no local file holds the peer's certificate"
    );
    assert_eq!(doc.warnings.len(), 2, "{:?}", doc.warnings);
    assert_eq!(doc.warnings[0].code, "config-file-unreadable");

    // Nothing failed: exit 0, an empty list.
    let clean: Explained = decode(
        tlsctl().args(["--json", "nats", "explain", "natslog/certs/n2.pem"]),
        0,
    );
    assert!(clean.events.is_empty());
    assert_eq!(clean.warnings[0].code, "not-a-nats-log");
    assert!(!clean.warnings[0].message.is_empty());
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

#[test]
fn json_md_runs_as_written() {
    crate::docrun::Runner::run_doc("JSON.md", None).bless();
}

#[test]
fn json_md_runs_as_written_with_nats_server() {
    if !crate::interop::enabled() {
        return;
    }
    crate::docrun::Runner::run_doc("JSON.md", Some(&crate::natsrv::nats_2_9())).bless();
}

/// Each example of JSON.md, by the section it is in: (heading, the command,
/// the document it printed).
fn json_md_examples() -> Vec<(String, String, String)> {
    let text = std::fs::read_to_string(crate::docrun::doc_path("JSON.md")).unwrap();
    let mut heading = String::new();
    let mut out = Vec::new();
    let mut in_console = false;
    let mut current: Option<(String, Vec<String>)> = None;
    let mut flush = |heading: &str, current: &mut Option<(String, Vec<String>)>| {
        if let Some((command, lines)) = current.take() {
            // The document: from its first line to its last (a message on
            // standard error may come before it).
            let start = lines.iter().position(|l| l.starts_with('{'));
            let end = lines.iter().rposition(|l| l.starts_with('}'));
            if let (Some(s), Some(e)) = (start, end) {
                out.push((heading.to_owned(), command, lines[s..=e].join("\n")));
            }
        }
    };
    for line in text.lines() {
        if let Some(h) = line.strip_prefix("## ") {
            heading = h.trim_matches('`').to_owned();
        } else if line.starts_with("```console") {
            in_console = true;
        } else if line.starts_with("```") && in_console {
            flush(&heading, &mut current);
            in_console = false;
        } else if in_console {
            if let Some(command) = line.strip_prefix("$ ") {
                flush(&heading, &mut current);
                current = Some((command.to_owned(), Vec::new()));
            } else if let Some((_, lines)) = &mut current {
                lines.push(line.to_owned());
            }
        }
    }
    out
}

fn decodes_as<T: DeserializeOwned>(heading: &str, command: &str, doc: &str) {
    if let Err(e) = serde_json::from_str::<T>(doc) {
        panic!("JSON.md, {heading}: the example of `{command}` is not the documented shape: {e}");
    }
}

#[test]
fn every_example_in_json_md_decodes_into_the_test_structs() {
    let examples = json_md_examples();
    let mut seen = std::collections::BTreeSet::new();
    for (heading, command, doc) in &examples {
        let (h, c, d) = (heading.as_str(), command.as_str(), doc.as_str());
        match h {
            "The error document" => decodes_as::<ErrorDocument>(h, c, d),
            "tlsctl ca create" => decodes_as::<CaCreated>(h, c, d),
            "tlsctl ca list" => decodes_as::<CaList>(h, c, d),
            "tlsctl ca show" => decodes_as::<CaShow>(h, c, d),
            "tlsctl ca export" => decodes_as::<CaExport>(h, c, d),
            "tlsctl ca import" => decodes_as::<CaImport>(h, c, d),
            "tlsctl ca install" => decodes_as::<CaTrust>(h, c, d),
            "tlsctl cert issue" | "tlsctl cert renew" => decodes_as::<Issued>(h, c, d),
            "tlsctl cert p12" => decodes_as::<P12>(h, c, d),
            "tlsctl inspect" => decodes_as::<Inspect>(h, c, d),
            "tlsctl lint" => decodes_as::<Lint>(h, c, d),
            "tlsctl verify" => decodes_as::<Verify>(h, c, d),
            "tlsctl pin" => decodes_as::<Pins>(h, c, d),
            "tlsctl bundle add" => decodes_as::<BundleAdd>(h, c, d),
            "tlsctl bundle list" => decodes_as::<BundleList>(h, c, d),
            "tlsctl bundle lint" => decodes_as::<BundleLint>(h, c, d),
            "tlsctl bundle diff" => decodes_as::<BundleDiff>(h, c, d),
            "tlsctl bundle remove" => decodes_as::<BundleRemove>(h, c, d),
            "tlsctl bundle export" => decodes_as::<BundleExport>(h, c, d),
            "tlsctl nats config" => decodes_as::<NatsConfig>(h, c, d),
            "tlsctl nats check" => decodes_as::<NatsCheck>(h, c, d),
            "tlsctl nats explain" => decodes_as::<Explained>(h, c, d),
            "tlsctl probe" => decodes_as::<Probe>(h, c, d),
            other => panic!("JSON.md: section {other:?} has no test struct: add one here"),
        }
        seen.insert(h.to_owned());
    }
    // Every section has its example, and the lean and --all diffs are both
    // there: an unchanged certificate lean without --all, in full with it.
    assert_eq!(seen.len(), 24, "{seen:?}");
    let diffs: Vec<BundleDiff> = examples
        .iter()
        .filter(|(h, ..)| h == "tlsctl bundle diff")
        .map(|(.., d)| serde_json::from_str(d).unwrap())
        .collect();
    let unchanged = |d: &BundleDiff| {
        d.changes
            .iter()
            .find(|c| c.class == "unchanged")
            .and_then(|c| c.new.as_ref().map(|s| s.fingerprint_sha256.is_some()))
    };
    assert_eq!(
        diffs.iter().map(unchanged).collect::<Vec<_>>(),
        [Some(false), Some(true)]
    );
}
