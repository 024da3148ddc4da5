//! The `bundle diff --json` document, decoded into test-side structs that
//! refuse unknown fields (ripgrep's tests/json.rs): an unchanged
//! certificate carries its index, subject and pin only, unless `--all`; a
//! changed one its full description; times are RFC 3339.

use serde::Deserialize;

use crate::support::{Sandbox, stdout_of};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Doc {
    old: String,
    new: String,
    at: String,
    summary: Summary,
    changes: Vec<Change>,
    peers: Vec<serde_json::Value>,
    warnings: Vec<Warning>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Summary {
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

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Change {
    class: String,
    old: Option<Side>,
    new: Option<Side>,
}

/// Either shape of a side; which one a side has is the point of the tests.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Side {
    Full(Full),
    Lean(Lean),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Full {
    index: usize,
    subject: String,
    issuer: String,
    not_after: String,
    is_ca: bool,
    self_signed: bool,
    pin_sha256: String,
    fingerprint_sha256: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Lean {
    index: usize,
    subject: String,
    pin_sha256: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Warning {
    code: String,
    message: String,
}

/// OLD trusts the root and X3, NEW the root and R3: the root unchanged,
/// X3 removed, R3 added.
fn rotation(sb: &Sandbox) -> crate::support::Pki {
    let pki = sb.pki();
    for (bundle, cas) in [
        ("old.pem", [&pki.root, &pki.x3]),
        ("new.pem", [&pki.root, &pki.r3]),
    ] {
        sb.cmd()
            .args(["bundle", "add", bundle])
            .args(cas)
            .assert()
            .success();
    }
    pki
}

fn diff(sb: &Sandbox, extra: &[&str]) -> Doc {
    let out = stdout_of(
        sb.cmd()
            .args(["--json", "bundle", "diff", "old.pem", "new.pem"])
            .args(extra),
    );
    serde_json::from_str(&out).unwrap()
}

fn pin_of(sb: &Sandbox, file: &std::path::Path) -> String {
    stdout_of(sb.cmd().args(["pin", "--bare"]).arg(file))
        .trim()
        .to_owned()
}

fn not_after_of(sb: &Sandbox, file: &std::path::Path) -> String {
    let out = stdout_of(sb.cmd().args(["--json", "inspect"]).arg(file));
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    doc["files"][0]["items"][0]["certificate"]["not_after"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[test]
fn an_unchanged_certificate_carries_its_index_subject_and_pin_and_a_change_its_full_detail() {
    let sb = Sandbox::new();
    let pki = rotation(&sb);
    // The leaf alone (as a peer that serves no chain): X3 leaves NEW, so it
    // is cut off. (Its file with the chain would still reach the root.)
    let text = std::fs::read_to_string(&pki.node_a).unwrap();
    let end = text.find("-----END CERTIFICATE-----").unwrap() + 26;
    let leaf = sb.write("node-a-leaf.pem", &text[..end]);
    let doc = diff(&sb, &["--peer", leaf.to_str().unwrap()]);
    assert_eq!((doc.old.as_str(), doc.new.as_str()), ("old.pem", "new.pem"));
    assert!(doc.at.ends_with('Z'), "{}", doc.at);
    let s = &doc.summary;
    assert_eq!(
        (s.unchanged, s.renewed, s.rekeyed, s.added, s.removed),
        (1, 0, 0, 1, 1)
    );
    assert_eq!(
        (s.peers_kept, s.peers_lost, s.peers_gained, s.peers_never),
        (0, 1, 0, 0)
    );
    assert_eq!(doc.peers.len(), 1);
    assert_eq!(doc.peers[0]["verdict"], "lost");
    assert!(
        doc.warnings
            .iter()
            .any(|w| w.code == "removed-ca" && w.message.contains("X3"))
    );
    // Every pair is in the document, each class once here.
    let classes: Vec<&str> = doc.changes.iter().map(|c| c.class.as_str()).collect();
    assert_eq!(classes, ["removed", "added", "unchanged"]);

    let unchanged = &doc.changes[2];
    let (Some(Side::Lean(old)), Some(Side::Lean(new))) = (&unchanged.old, &unchanged.new) else {
        panic!("an unchanged pair is lean by default: {unchanged:?}");
    };
    assert_eq!(old.subject, "O=tlsctl, CN=Acme Root");
    assert_eq!(new.subject, old.subject);
    assert_eq!(old.pin_sha256, pin_of(&sb, &pki.root));
    assert_eq!(new.pin_sha256, old.pin_sha256);
    assert_eq!((old.index, new.index), (1, 1));

    let removed = &doc.changes[0];
    assert!(removed.new.is_none());
    let Some(Side::Full(x3)) = &removed.old else {
        panic!("a removed certificate is described in full: {removed:?}");
    };
    assert_eq!(x3.subject, "O=tlsctl, CN=Acme X3");
    assert_eq!(x3.issuer, "O=tlsctl, CN=Acme Root");
    assert!(x3.is_ca && !x3.self_signed);
    assert_eq!(x3.index, 2, "the block number in OLD");
    assert_eq!(x3.pin_sha256, pin_of(&sb, &pki.x3));
    assert_eq!(x3.fingerprint_sha256.len(), 64);
    // RFC 3339, the same instant `inspect --json` writes.
    assert_eq!(x3.not_after, not_after_of(&sb, &pki.x3));
    assert!(!x3.not_after.contains(' ') && x3.not_after.ends_with('Z'));
    let added = &doc.changes[1];
    assert!(added.old.is_none());
    assert!(matches!(&added.new, Some(Side::Full(r3)) if r3.subject == "O=tlsctl, CN=Acme R3"));
}

#[test]
fn all_describes_unchanged_certificates_in_full() {
    let sb = Sandbox::new();
    let pki = rotation(&sb);
    let doc = diff(&sb, &["--all"]);
    let unchanged = doc.changes.iter().find(|c| c.class == "unchanged").unwrap();
    let (Some(Side::Full(old)), Some(Side::Full(new))) = (&unchanged.old, &unchanged.new) else {
        panic!("--all describes unchanged pairs in full: {unchanged:?}");
    };
    assert!(old.self_signed && old.is_ca);
    assert_eq!(old.subject, "O=tlsctl, CN=Acme Root");
    assert_eq!(old.not_after, not_after_of(&sb, &pki.root));
    assert_eq!(old.fingerprint_sha256, new.fingerprint_sha256);
    // The lean subject (walked from the DER) is the full parse's subject.
    let lean = diff(&sb, &[]);
    let unchanged = lean
        .changes
        .iter()
        .find(|c| c.class == "unchanged")
        .unwrap();
    assert!(matches!(&unchanged.old, Some(Side::Lean(l)) if l.subject == old.subject));
}

#[test]
fn all_lists_unchanged_certificates_in_the_review() {
    let sb = Sandbox::new();
    rotation(&sb);
    let plain = stdout_of(sb.cmd().args(["bundle", "diff", "old.pem", "new.pem"]));
    assert!(
        !plain.contains("unchanged  O=tlsctl, CN=Acme Root"),
        "{plain}"
    );
    let all = stdout_of(
        sb.cmd()
            .args(["bundle", "diff", "--all", "old.pem", "new.pem"]),
    );
    assert!(
        all.contains("unchanged O=tlsctl, CN=Acme Root  (the same certificate, pin "),
        "{all}"
    );
}

#[test]
fn a_large_bundle_read_in_pieces_diffs_as_the_same_bundle_read_whole_from_stdin() {
    // Over 1 MiB, a file is read in pieces; standard input is read whole.
    // Every class, index, verdict and warning (a block Go skips, by its
    // number) must be the same.
    let fixture = |f: &str| std::fs::read(crate::support::fixture(f)).unwrap();
    let parts = [
        fixture("chain/leaf.pem"),
        fixture("chain/inter.pem"),
        fixture("certs/p256.pem"),
        fixture("certs/rsa2048.pem"),
    ];
    let mut old = Vec::new();
    let mut new = Vec::new();
    for i in 0..2400 {
        let part = &parts[i % parts.len()];
        if i >= 300 {
            old.extend(part);
        }
        if i == 2000 {
            new.extend(fixture("misc/truncated-der.pem"));
        }
        if i < 2300 {
            new.extend(part);
        }
    }
    assert!(old.len() > 1 << 20 && new.len() > 1 << 20);
    let sb = Sandbox::new();
    let (a, b) = (sb.write("old.pem", &old), sb.write("new.pem", &new));
    let run = |args: &[&str], stdin: &[u8]| -> (String, serde_json::Value) {
        let out = sb
            .cmd()
            .env("TLSCTL_NOW", "2030-01-01T00:00:00Z")
            .args(["--json", "bundle", "diff"])
            .args(args)
            .write_stdin(stdin)
            .output()
            .unwrap();
        // The files' names aside (a warning names the file).
        let named = |text: String| {
            text.replace(a.to_str().unwrap(), "OLD")
                .replace(b.to_str().unwrap(), "NEW")
                .replace("<stdin>", "STDIN")
        };
        let stdout = named(String::from_utf8(out.stdout).unwrap());
        let mut doc: serde_json::Value = serde_json::from_str(&stdout).unwrap();
        doc["old"] = "OLD".into();
        doc["new"] = "NEW".into();
        let doc = serde_json::to_string(&doc)
            .unwrap()
            .replace("STDIN", if args[0] == "-" { "OLD" } else { "NEW" });
        let stderr = named(String::from_utf8(out.stderr).unwrap());
        let stderr = stderr.replace("STDIN", if args[0] == "-" { "OLD" } else { "NEW" });
        (stderr, serde_json::from_str(&doc).unwrap())
    };
    let (a, b) = (
        a.to_str().unwrap().to_owned(),
        b.to_str().unwrap().to_owned(),
    );
    let (a, b) = (a.as_str(), b.as_str());
    let pieces = run(&[a, b], b"");
    assert!(
        pieces
            .0
            .contains("NEW: block 2001: certificate is truncated"),
        "{}",
        pieces.0
    );
    let doc: Doc = serde_json::from_value(pieces.1.clone()).unwrap();
    assert_eq!(
        (
            doc.summary.unchanged,
            doc.summary.added,
            doc.summary.removed
        ),
        (2100, 200, 0),
        "four certificates repeated: 525 of each in OLD, 575 in NEW"
    );
    assert!(run(&["-", b], &old) == pieces, "OLD from stdin");
    let whole = run(&[a, "-"], &new);
    assert_eq!(whole.0, pieces.0, "NEW from stdin");
    assert!(whole.1 == pieces.1, "NEW from stdin");
}
