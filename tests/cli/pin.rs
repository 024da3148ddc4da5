//! `tlsctl pin`: the pins equal what openssl computes, in every output form.

use predicates::prelude::*;
use serde::Deserialize;

use crate::support::{fixture, openssl_pins, stdout_of, tlsctl};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PinReport {
    pins: Vec<PinRow>,
    #[allow(dead_code)] // pinned: every document carries its warnings
    warnings: Vec<serde_json::Value>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PinRow {
    file: String,
    item: usize,
    name: String,
    kind: String,
    subject: Option<String>,
    pin_sha256: String,
}

#[test]
fn pins_equal_openssl_for_every_key_type_and_format() {
    // certs/*.pem for RSA 2048-4096, P-256/384/521, Ed25519; keys in PKCS#8,
    // traditional (PKCS#1 / SEC1), DER, and public keys.
    let expected = openssl_pins();
    assert!(expected.len() >= 30, "fixtures cover every key type");
    let files: Vec<&str> = expected.iter().map(|(_, f)| f.as_str()).collect();
    let out = stdout_of(tlsctl().arg("pin").args(&files));
    let got: Vec<(String, String)> = out
        .lines()
        .map(|l| {
            let (pin, file) = l.split_once("  ").expect("PIN  FILE");
            (pin.to_owned(), file.to_owned())
        })
        .collect();
    assert_eq!(got, expected);
}

#[test]
fn der_certificates_pin_like_their_pem() {
    let pem = stdout_of(tlsctl().args(["pin", "--bare", "certs/rsa2048.pem"]));
    let der = stdout_of(tlsctl().args(["pin", "--bare", "certs/rsa2048.der"]));
    assert_eq!(pem, der);
    assert_eq!(pem.trim().len(), 64);
}

#[test]
fn multi_certificate_files_number_each_certificate() {
    let out = stdout_of(tlsctl().args(["pin", "chain/leaf-fullchain.pem", "chain/root.pem"]));
    let names: Vec<&str> = out.lines().map(|l| l.split_once("  ").unwrap().1).collect();
    assert_eq!(
        names,
        [
            "chain/leaf-fullchain.pem#1",
            "chain/leaf-fullchain.pem#2",
            "chain/root.pem"
        ]
    );
    let pins = openssl_pins();
    let leaf = &pins.iter().find(|(_, f)| f == "chain/leaf.pem").unwrap().0;
    let inter = &pins.iter().find(|(_, f)| f == "chain/inter.pem").unwrap().0;
    assert!(out.lines().next().unwrap().starts_with(leaf.as_str()));
    assert!(out.lines().nth(1).unwrap().starts_with(inter.as_str()));
}

#[test]
fn bare_prints_only_lowercase_hex() {
    let out = stdout_of(tlsctl().args(["pin", "--bare", "chain/leaf-fullchain.pem"]));
    assert_eq!(out.lines().count(), 2);
    for line in out.lines() {
        assert_eq!(line.len(), 64);
        assert!(
            line.bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        );
    }
}

#[test]
fn leaf_only_takes_the_first_certificate_of_each_file() {
    let out = stdout_of(tlsctl().args([
        "pin",
        "--leaf-only",
        "chain/leaf-fullchain.pem",
        "misc/bundle-crlf-prose.pem",
    ]));
    let pins = openssl_pins();
    let pin_of = |f: &str| pins.iter().find(|(_, p)| p == f).unwrap().0.clone();
    assert_eq!(
        out,
        format!(
            "{}  chain/leaf-fullchain.pem\n{}  misc/bundle-crlf-prose.pem\n",
            pin_of("chain/leaf.pem"),
            pin_of("chain/root.pem")
        )
    );
}

#[test]
fn crlf_bom_and_prose_between_blocks_are_read() {
    let out = stdout_of(tlsctl().args(["pin", "--bare", "misc/bundle-crlf-prose.pem"]));
    let pins = openssl_pins();
    let pin_of = |f: &str| pins.iter().find(|(_, p)| p == f).unwrap().0.clone();
    assert_eq!(
        out,
        format!(
            "{}\n{}\n",
            pin_of("chain/root.pem"),
            pin_of("chain/inter.pem")
        )
    );
}

#[test]
fn stdin_is_read_for_dash() {
    let pem = std::fs::read(fixture("chain/root.pem")).unwrap();
    let out = stdout_of(tlsctl().args(["pin", "-"]).write_stdin(pem));
    let pins = openssl_pins();
    let root = &pins.iter().find(|(_, f)| f == "chain/root.pem").unwrap().0;
    assert_eq!(out, format!("{root}  <stdin>\n"));
}

#[test]
fn nats_block_names_each_subject_and_lists_a_key_once() {
    let out = stdout_of(tlsctl().args([
        "pin",
        "--nats",
        "chain/leaf.pem",
        "chain/leaf.key",
        "certs/p384.pem",
    ]));
    let pins = openssl_pins();
    let pin_of = |f: &str| pins.iter().find(|(_, p)| p == f).unwrap().0.clone();
    assert_eq!(
        out,
        format!(
            "pinned_certs: [\n  \
             # O=tlsctl fixtures, CN=node-a.example.com (chain/leaf.pem)\n  \
             # private key (PKCS#8) (chain/leaf.key)\n  \
             \"{}\"\n  \
             # O=tlsctl fixtures, CN=p384 leaf (certs/p384.pem)\n  \
             \"{}\"\n]\n",
            pin_of("chain/leaf.pem"),
            pin_of("certs/p384.pem")
        )
    );
}

#[test]
fn json_carries_file_item_kind_subject_and_pin() {
    let out = stdout_of(tlsctl().args([
        "--json",
        "pin",
        "chain/leaf-fullchain.pem",
        "keys/ed25519.pub.pem",
    ]));
    let report: PinReport = serde_json::from_str(&out).unwrap();
    assert_eq!(report.pins.len(), 3);
    let first = &report.pins[0];
    assert_eq!(first.file, "chain/leaf-fullchain.pem");
    assert_eq!(
        (first.item, first.name.as_str()),
        (1, "chain/leaf-fullchain.pem#1")
    );
    assert_eq!(first.kind, "certificate");
    assert_eq!(
        first.subject.as_deref(),
        Some("O=tlsctl fixtures, CN=node-a.example.com")
    );
    let key = &report.pins[2];
    assert_eq!(
        (key.kind.as_str(), key.subject.as_deref()),
        ("public key", None)
    );
    let pins = openssl_pins();
    let ed = &pins
        .iter()
        .find(|(_, f)| f == "keys/ed25519.pub.pem")
        .unwrap()
        .0;
    assert_eq!(&key.pin_sha256, ed);
}

#[test]
fn a_bad_block_anywhere_is_exit_2_with_nothing_on_stdout() {
    tlsctl()
        .args(["pin", "chain/root.pem", "misc/second-block-truncated.pem"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(
            "tlsctl: misc/second-block-truncated.pem: block 2: certificate is truncated \
             (its DER header says 454 bytes, 200 are present)\n",
        );
}

#[test]
fn encrypted_keys_and_pem_headers_are_reported_not_skipped() {
    for (file, message) in [
        ("misc/encrypted-pkcs8.pem", "block 1: encrypted private key"),
        (
            "misc/encrypted-traditional.pem",
            "block 1: encrypted private key",
        ),
        (
            "misc/headers.pem",
            "block 1: CERTIFICATE block carries PEM headers",
        ),
        (
            "misc/missing-end.pem",
            "block 1: BEGIN CERTIFICATE has no matching END line",
        ),
        (
            "misc/bad-base64.pem",
            "block 1: CERTIFICATE block has invalid base64 on line 3",
        ),
    ] {
        tlsctl()
            .args(["pin", file])
            .assert()
            .code(2)
            .stdout("")
            .stderr(predicate::str::contains(format!("{file}: {message}")));
    }
}

#[test]
fn pin_never_prints_key_material() {
    let key = std::fs::read_to_string(fixture("keys/rsa2048.pem")).unwrap();
    let body_line = key.lines().nth(5).unwrap();
    for args in [
        vec!["pin", "keys/rsa2048.pem"],
        vec!["--json", "pin", "keys/rsa2048.pem"],
    ] {
        let out = tlsctl().args(&args).assert().success().get_output().clone();
        assert!(!String::from_utf8_lossy(&out.stdout).contains(body_line));
        assert!(!String::from_utf8_lossy(&out.stderr).contains(body_line));
    }
}

#[test]
fn nats_pins_the_leaf_of_a_chain_file_and_all_certs_pins_every_block() {
    let pins = openssl_pins();
    let pin_of = |f: &str| pins.iter().find(|(_, p)| p == f).unwrap().0.clone();
    // NATS compares pinned_certs with the peer's leaf: the intermediate of
    // a chain file pins nothing, so it is left out.
    let out = stdout_of(tlsctl().args(["pin", "--nats", "chain/leaf-fullchain.pem"]));
    assert!(out.contains(&pin_of("chain/leaf.pem")), "{out}");
    assert!(!out.contains(&pin_of("chain/inter.pem")), "{out}");
    let all =
        stdout_of(tlsctl().args(["pin", "--nats", "--all-certs", "chain/leaf-fullchain.pem"]));
    assert!(all.contains(&pin_of("chain/inter.pem")), "{all}");
    // A bundle of CAs is not a chain file: every certificate is listed.
    let bundle = stdout_of(tlsctl().args(["pin", "--nats", "misc/bundle-crlf-prose.pem"]));
    assert!(bundle.matches("  \"").count() > 1, "{bundle}");
}

#[test]
fn nats_reports_an_unreadable_block_after_a_leaf_instead_of_pinning_the_leaf_alone() {
    // The file is read once: a chain file is told from the first block, but
    // a later block that cannot be read still fails the command.
    let sb = crate::support::Sandbox::new();
    let mut pem = std::fs::read(crate::support::fixture("chain/leaf-fullchain.pem")).unwrap();
    pem.extend(b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
    sb.write("broken.pem", &pem);
    let out = sb
        .cmd()
        .args(["pin", "--nats", "broken.pem"])
        .assert()
        .code(2)
        .get_output()
        .clone();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("broken.pem") && err.contains("block 3"),
        "{err}"
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn a_file_name_with_a_newline_or_backslash_is_written_as_sha256sum_writes_it() {
    let sb = crate::support::Sandbox::new();
    let pem = std::fs::read(crate::support::fixture("certs/p256.pem")).unwrap();
    sb.write("a\nb.pem", &pem);
    sb.write("c\\d.pem", &pem);
    let out = stdout_of(sb.cmd().args(["pin", "a\nb.pem", "c\\d.pem"]));
    let pin = &openssl_pins()
        .into_iter()
        .find(|(_, f)| f == "certs/p256.pem")
        .unwrap()
        .0;
    assert_eq!(
        out,
        format!("\\{pin}  a\\nb.pem\n\\{pin}  c\\\\d.pem\n"),
        "one line per file, never a second line from a name"
    );
    // sha256sum agrees on the convention.
    if let Ok(sum) = std::process::Command::new("sha256sum")
        .arg("a\nb.pem")
        .current_dir(sb.dir.path())
        .output()
    {
        let text = String::from_utf8_lossy(&sum.stdout);
        assert!(
            text.starts_with('\\') && text.ends_with("  a\\nb.pem\n"),
            "{text:?}"
        );
    }
}

/// A bundle over the size that is read and pinned on several threads:
/// `copies` blocks cycling through `parts`, with `bad` (if any) in place of
/// block `bad_at` (1-based).
fn large_bundle(
    parts: &[&str],
    copies: usize,
    bad: Option<(&str, usize)>,
) -> tempfile::NamedTempFile {
    let blocks: Vec<Vec<u8>> = parts
        .iter()
        .map(|p| std::fs::read(fixture(p)).unwrap())
        .collect();
    let mut text = Vec::new();
    for i in 0..copies {
        match bad {
            Some((file, at)) if at == i + 1 => text.extend(std::fs::read(fixture(file)).unwrap()),
            _ => text.extend(&blocks[i % blocks.len()]),
        }
    }
    assert!(text.len() > 2 * 1024 * 1024, "over the parallel threshold");
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), text).unwrap();
    file
}

#[test]
fn a_large_bundle_pins_each_block_in_order_under_its_own_number() {
    let parts = ["certs/rsa2048.pem", "certs/p256.pem", "certs/ed25519.pem"];
    let one: Vec<String> = parts
        .iter()
        .map(|p| {
            stdout_of(tlsctl().args(["pin", "--bare", p]))
                .trim()
                .to_owned()
        })
        .collect();
    let copies = 3001;
    let bundle = large_bundle(&parts, copies, None);
    let path = bundle.path().to_str().unwrap();
    let bare = stdout_of(tlsctl().args(["pin", "--bare", path]));
    let pins: Vec<&str> = bare.lines().collect();
    assert_eq!(pins.len(), copies);
    for (i, pin) in pins.iter().enumerate() {
        assert_eq!(*pin, one[i % parts.len()], "block {}", i + 1);
    }
    let json = stdout_of(tlsctl().args(["--json", "pin", path]));
    let report: PinReport = serde_json::from_str(&json).unwrap();
    assert_eq!(report.pins.len(), copies);
    for (i, row) in report.pins.iter().enumerate() {
        assert_eq!((row.item, row.file.as_str()), (i + 1, path));
        assert_eq!(row.name, format!("{path}#{}", i + 1));
        assert_eq!(row.pin_sha256, one[i % parts.len()]);
    }
}

#[test]
fn a_bad_block_deep_in_a_large_bundle_is_named_by_its_number_unless_only_the_leaf_is_pinned() {
    let parts = ["chain/leaf.pem", "chain/inter.pem"];
    let bundle = large_bundle(&parts, 3000, Some(("misc/truncated-der.pem", 2900)));
    let path = bundle.path().to_str().unwrap();
    tlsctl()
        .args(["pin", "--bare", path])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains(format!(
            "{path}: block 2900: certificate is truncated"
        )));
    // --leaf-only pins the first block and reads no further verdict.
    let leaf = stdout_of(tlsctl().args(["pin", "--bare", "chain/leaf.pem"]));
    assert_eq!(
        stdout_of(tlsctl().args(["pin", "--bare", "--leaf-only", path])),
        leaf
    );
    // --nats: a leaf followed by an unreadable block is reported, not pinned alone.
    tlsctl()
        .args(["pin", "--nats", path])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("block 2900"));
    // Without the bad block it is a chain file: --nats pins its leaf alone.
    let chain = large_bundle(&parts, 3000, None);
    let nats = stdout_of(tlsctl().args(["pin", "--nats", chain.path().to_str().unwrap()]));
    let leaf_pin = leaf.trim();
    assert_eq!(nats.matches(leaf_pin).count(), 1, "{nats}");
    assert_eq!(nats.matches("\n  \"").count(), 1, "one pin: {nats}");
}
