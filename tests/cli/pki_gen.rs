//! `tlsctl ca` and `tlsctl cert`: the store, safe key files, issuing and
//! renewal. Issued chains are checked with rustls-webpki, a parser and
//! verifier independent of the x509-parser tlsctl uses to describe them.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use predicates::prelude::*;
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, ServerName, UnixTime};
use serde_json::Value;

use crate::support::{NOW, Sandbox, stdout_of};

fn json(sandbox: &Sandbox, args: &[&str]) -> Value {
    let out = stdout_of(sandbox.cmd().arg("--json").args(args));
    serde_json::from_str(&out).unwrap()
}

fn certs_in(path: &Path) -> Vec<CertificateDer<'static>> {
    CertificateDer::pem_file_iter(path)
        .unwrap()
        .collect::<Result<Vec<_>, _>>()
        .unwrap()
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

fn now_unix() -> UnixTime {
    let t =
        time::OffsetDateTime::parse(NOW, &time::format_description::well_known::Rfc3339).unwrap();
    UnixTime::since_unix_epoch(std::time::Duration::from_secs(t.unix_timestamp() as u64))
}

/// Verifies `leaf` (with `intermediates`) up to `root` for a usage and name.
fn webpki_verify(
    root: &CertificateDer<'_>,
    leaf: &CertificateDer<'_>,
    intermediates: &[CertificateDer<'_>],
    usage: webpki::KeyUsage,
    name: &str,
) -> Result<(), webpki::Error> {
    let anchor = webpki::anchor_from_trusted_cert(root)?;
    let ee = webpki::EndEntityCert::try_from(leaf)?;
    ee.verify_for_usage(
        webpki::ALL_VERIFICATION_ALGS,
        &[anchor],
        intermediates,
        now_unix(),
        usage,
        None,
        None,
    )?;
    ee.verify_is_valid_for_subject_name(&ServerName::try_from(name).unwrap())
}

#[test]
fn a_fresh_store_gets_a_default_ca_and_a_verifiable_dual_use_leaf() {
    let sb = Sandbox::new();
    sb.cmd()
        .args(["cert", "issue", "localhost", "127.0.0.1", "::1"])
        .assert()
        .success()
        .stderr(predicate::str::contains("created the CA \"default\""))
        .stdout(predicate::str::contains("Next: tlsctl nats config --cert"));
    let dir = sb.store().join("certs/localhost");
    let root = &certs_in(&dir.join("ca.pem"))[0];
    let leaf = &certs_in(&dir.join("cert.pem"))[0];
    for name in ["localhost", "127.0.0.1", "::1"] {
        webpki_verify(root, leaf, &[], webpki::KeyUsage::server_auth(), name).unwrap();
        webpki_verify(root, leaf, &[], webpki::KeyUsage::client_auth(), name).unwrap();
    }
    assert!(
        webpki_verify(
            root,
            leaf,
            &[],
            webpki::KeyUsage::server_auth(),
            "other.example"
        )
        .is_err()
    );
    // The second issue uses the same CA and does not announce it again.
    sb.cmd()
        .args(["cert", "issue", "second.example"])
        .assert()
        .success()
        .stderr("");
    let second = &certs_in(&sb.store().join("certs/second.example/cert.pem"))[0];
    webpki_verify(
        root,
        second,
        &[],
        webpki::KeyUsage::server_auth(),
        "second.example",
    )
    .unwrap();
}

#[test]
fn keys_are_0600_and_store_directories_0700_even_under_umask_000() {
    let sb = Sandbox::new();
    let bin = assert_cmd::cargo::cargo_bin("tlsctl");
    let out = std::process::Command::new("sh")
        .args([
            "-c",
            &format!(
                "umask 000 && exec {} cert issue db.example --cert-out c.pem --key-out k.pem",
                bin.display()
            ),
        ])
        .env("TLSCTL_HOME", sb.store())
        .env("TLSCTL_NOW", NOW)
        .env("HOME", sb.dir.path())
        .current_dir(sb.dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(mode(&sb.path("k.pem")), 0o600);
    assert_eq!(mode(&sb.path("c.pem")), 0o644);
    assert_eq!(mode(&sb.store()), 0o700);
    assert_eq!(mode(&sb.store().join("cas/default")), 0o700);
    assert_eq!(mode(&sb.store().join("cas/default/ca.key")), 0o600);
    assert_eq!(mode(&sb.store().join("cas/default/ca.pem")), 0o644);
}

#[test]
fn san_kinds_come_from_the_text_and_unicode_becomes_punycode() {
    let sb = Sandbox::new();
    let report = json(
        &sb,
        &[
            "cert",
            "issue",
            "bücher.example",
            "*.nats.example",
            "10.1.2.3",
            "fe80::1",
            "ops@example.com",
            "spiffe://c/nats",
        ],
    );
    let sans: Vec<(String, String)> = report["certificate"]["sans"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["kind"].as_str().unwrap().to_owned(),
                s["value"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let expected = [
        ("dns", "xn--bcher-kva.example"),
        ("dns", "*.nats.example"),
        ("ip", "10.1.2.3"),
        ("ip", "fe80::1"),
        ("email", "ops@example.com"),
        ("uri", "spiffe://c/nats"),
    ];
    assert_eq!(
        sans,
        expected.map(|(k, v)| (k.to_owned(), v.to_owned())).to_vec()
    );
    assert_eq!(
        report["certificate"]["common_name"],
        "xn--bcher-kva.example"
    );
    assert_eq!(report["name"], "xn--bcher-kva.example");
}

#[test]
fn an_invalid_san_is_exit_2_naming_it_and_nothing_is_written() {
    let sb = Sandbox::new();
    sb.cmd()
        .args(["cert", "issue", "good.example", "bad_name.example"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "SAN \"bad_name.example\": '_' is not allowed",
        ));
    sb.cmd()
        .args(["cert", "issue", "a.*.example"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "only allowed as the whole leftmost label",
        ));
    assert!(
        !sb.store().exists(),
        "nothing may be written for a refused request"
    );
}

#[test]
fn no_sans_without_a_terminal_names_what_to_pass() {
    let sb = Sandbox::new();
    sb.cmd()
        .args(["cert", "issue"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no SANs given: name the hosts"));
}

#[test]
fn usage_sets_the_extended_key_usage() {
    let sb = Sandbox::new();
    for (usage, ekus) in [
        ("dual", vec!["serverAuth", "clientAuth"]),
        ("server", vec!["serverAuth"]),
        ("client", vec!["clientAuth"]),
    ] {
        let report = json(
            &sb,
            &[
                "cert",
                "issue",
                &format!("{usage}.example"),
                "--usage",
                usage,
            ],
        );
        let got: Vec<&str> = report["certificate"]["extended_key_usage"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        assert_eq!(got, ekus);
        let c = &report["certificate"];
        assert_eq!(c["basic_constraints"]["ca"], false);
        assert_eq!(c["key_usage"], serde_json::json!(["digitalSignature"]));
        assert!(c["subject_key_id"].is_string() && c["authority_key_id"].is_string());
    }
    let root = &certs_in(&sb.store().join("cas/default/ca.pem"))[0];
    let server = &certs_in(&sb.store().join("certs/server.example/cert.pem"))[0];
    assert!(
        webpki_verify(
            root,
            server,
            &[],
            webpki::KeyUsage::client_auth(),
            "server.example"
        )
        .is_err()
    );
}

#[test]
fn rsa_leaves_also_get_key_encipherment() {
    let sb = Sandbox::new();
    let report = json(
        &sb,
        &["cert", "issue", "rsa.example", "--key-type", "rsa-2048"],
    );
    assert_eq!(
        report["certificate"]["key_usage"],
        serde_json::json!(["digitalSignature", "keyEncipherment"])
    );
    assert_eq!(report["certificate"]["key"]["bits"], 2048);
}

#[test]
fn existing_files_are_never_overwritten_without_force() {
    let sb = Sandbox::new();
    sb.cmd()
        .args([
            "cert",
            "issue",
            "a.example",
            "--cert-out",
            "a.pem",
            "--key-out",
            "a.key",
        ])
        .assert()
        .success();
    let key_before = std::fs::read(sb.path("a.key")).unwrap();
    let cert_before = std::fs::read(sb.path("a.pem")).unwrap();
    sb.cmd()
        .args([
            "cert",
            "issue",
            "a.example",
            "--cert-out",
            "a.pem",
            "--key-out",
            "a.key",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "a.pem: already exists; pass --force",
        ));
    assert_eq!(std::fs::read(sb.path("a.key")).unwrap(), key_before);
    assert_eq!(std::fs::read(sb.path("a.pem")).unwrap(), cert_before);
    // A different cert path, but the key exists: still refused, key intact.
    sb.cmd()
        .args([
            "cert",
            "issue",
            "a.example",
            "--cert-out",
            "b.pem",
            "--key-out",
            "a.key",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("a.key: already exists"));
    assert!(!sb.path("b.pem").exists());
    assert_eq!(std::fs::read(sb.path("a.key")).unwrap(), key_before);
    sb.cmd()
        .args([
            "cert",
            "issue",
            "a.example",
            "--cert-out",
            "a.pem",
            "--key-out",
            "a.key",
            "--force",
        ])
        .assert()
        .success();
    assert_ne!(std::fs::read(sb.path("a.key")).unwrap(), key_before);
    // The default layout in the store refuses too.
    sb.cmd()
        .args(["cert", "issue", "c.example"])
        .assert()
        .success();
    sb.cmd()
        .args(["cert", "issue", "c.example"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("already exists; pass --force"));
}

#[test]
fn the_issue_output_never_holds_key_material() {
    let sb = Sandbox::new();
    let out = sb
        .cmd()
        .args([
            "cert",
            "issue",
            "k.example",
            "--cert-out",
            "k.pem",
            "--key-out",
            "k.key",
        ])
        .assert()
        .success()
        .get_output()
        .clone();
    let key = std::fs::read_to_string(sb.path("k.key")).unwrap();
    for line in key.lines().filter(|l| !l.starts_with("-----")) {
        assert!(!String::from_utf8_lossy(&out.stdout).contains(line));
        assert!(!String::from_utf8_lossy(&out.stderr).contains(line));
    }
}

#[test]
fn a_root_with_active_and_standby_intermediates_is_three_commands() {
    let sb = Sandbox::new();
    sb.cmd()
        .args(["ca", "create", "acme", "--cn", "Acme Root"])
        .assert()
        .success();
    sb.cmd()
        .args(["ca", "create", "x3", "--parent", "acme", "--cn", "Acme X3"])
        .assert()
        .success();
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
            "2027-07-01",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "staged: not valid until 2027-07-01",
        ));
    let list = json(&sb, &["ca", "list"]);
    let cas = list["cas"].as_array().unwrap();
    let names: Vec<&str> = cas.iter().map(|c| c["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["acme", "r3", "x3"]);
    assert_eq!(cas[0]["role"], "root");
    assert_eq!(
        cas[0]["certificate"]["basic_constraints"]["path_len"],
        Value::Null
    );
    let x3 = &cas[2]["certificate"];
    assert_eq!(cas[2]["parent"], "acme");
    assert_eq!(
        x3["basic_constraints"],
        serde_json::json!({"ca": true, "path_len": 0, "critical": true})
    );
    assert_eq!(
        x3["key_usage"],
        serde_json::json!(["keyCertSign", "cRLSign"])
    );
    assert_eq!(
        x3["authority_key_id"],
        cas[0]["certificate"]["subject_key_id"]
    );
    assert_ne!(x3["serial"], cas[1]["certificate"]["serial"]);
    assert_eq!(cas[1]["staged"], true);
    assert_eq!(list["store"], sb.store().display().to_string());
    // Human list: the store path in the header, the tree.
    let human = stdout_of(sb.cmd().args(["ca", "list"]));
    assert!(
        human.starts_with(&format!("Store: {}\n", sb.store().display())),
        "{human}"
    );
    assert!(
        human.contains("├─ r3") && human.contains("└─ x3"),
        "{human}"
    );
    assert!(human.contains("staged: from 2027-07-01"), "{human}");
}

#[test]
fn ca_refusals_name_what_to_do() {
    let sb = Sandbox::new();
    sb.cmd()
        .args(["ca", "create", "root", "--days", "100"])
        .assert()
        .success();
    sb.cmd()
        .args(["ca", "create", "root"])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("already exists").and(predicate::str::contains("--force")),
        );
    sb.cmd()
        .args(["ca", "create", "inter", "--parent", "root", "--days", "200"])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("would outlive its parent root")
                .and(predicate::str::contains("pass --days 100 or fewer")),
        );
    assert!(!sb.store().join("cas/inter").exists());
    sb.cmd()
        .args(["ca", "create", "inter", "--parent", "root", "--days", "50"])
        .assert()
        .success();
    sb.cmd()
        .args(["ca", "create", "sub", "--parent", "inter", "--days", "10"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("inter has path length 0"));
    sb.cmd()
        .args(["ca", "create", "x", "--parent", "missing"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no CA named \"missing\""));
    sb.cmd()
        .args(["ca", "create", "../evil"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is not a valid name"));
}

#[test]
fn export_prints_certificates_never_the_key() {
    let sb = Sandbox::new();
    sb.cmd().args(["ca", "create", "root"]).assert().success();
    sb.cmd()
        .args(["ca", "create", "inter", "--parent", "root"])
        .assert()
        .success();
    let one = stdout_of(sb.cmd().args(["ca", "export", "inter"]));
    let chain = stdout_of(sb.cmd().args(["ca", "export", "inter", "--chain"]));
    assert_eq!(one.matches("BEGIN CERTIFICATE").count(), 1);
    assert_eq!(chain.matches("BEGIN CERTIFICATE").count(), 2);
    assert!(chain.starts_with("# Subject: O=tlsctl, CN=inter\n"));
    for text in [&one, &chain] {
        assert!(!text.contains("PRIVATE"));
    }
    let key = std::fs::read_to_string(sb.store().join("cas/inter/ca.key")).unwrap();
    let body = key.lines().nth(1).unwrap();
    assert!(!chain.contains(body));
    let show = stdout_of(sb.cmd().args(["ca", "show", "inter"]));
    assert!(show.contains("intermediate CA under \"root\""));
    assert!(!show.contains(body));
}

#[test]
fn chain_puts_the_intermediates_after_the_leaf_but_not_the_root() {
    let sb = Sandbox::new();
    sb.cmd().args(["ca", "create", "root"]).assert().success();
    sb.cmd()
        .args(["ca", "create", "x3", "--parent", "root"])
        .assert()
        .success();
    sb.cmd()
        .args([
            "cert",
            "issue",
            "n.example",
            "--ca",
            "x3",
            "--out",
            "n",
            "--chain",
        ])
        .assert()
        .success();
    let certs = certs_in(&sb.path("n/cert.pem"));
    assert_eq!(certs.len(), 2);
    let x3 = &certs_in(&sb.store().join("cas/x3/ca.pem"))[0];
    assert_eq!(&certs[1], x3);
    let root = &certs_in(&sb.path("n/ca.pem"))[0];
    webpki_verify(
        root,
        &certs[0],
        &certs[1..],
        webpki::KeyUsage::server_auth(),
        "n.example",
    )
    .unwrap();
    // With --no-chain the leaf alone does not reach the root.
    sb.cmd()
        .args([
            "cert",
            "issue",
            "m.example",
            "--ca",
            "x3",
            "--out",
            "m",
            "--no-chain",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("leave out --no-chain"));
    let m = certs_in(&sb.path("m/cert.pem"));
    assert_eq!(m.len(), 1);
    assert!(
        webpki_verify(
            root,
            &m[0],
            &[],
            webpki::KeyUsage::server_auth(),
            "m.example"
        )
        .is_err()
    );
}

#[test]
fn reuse_key_keeps_the_pin() {
    let sb = Sandbox::new();
    let first = json(
        &sb,
        &[
            "cert",
            "issue",
            "r.example",
            "--cert-out",
            "r1.pem",
            "--key-out",
            "r.key",
        ],
    );
    let second = json(
        &sb,
        &[
            "cert",
            "issue",
            "r.example",
            "--cert-out",
            "r2.pem",
            "--reuse-key",
            "r.key",
        ],
    );
    assert_eq!(
        first["certificate"]["pin_sha256"],
        second["certificate"]["pin_sha256"]
    );
    assert_ne!(
        first["certificate"]["serial"],
        second["certificate"]["serial"]
    );
    assert_eq!(second["key_path"], sb.path("r.key").display().to_string());
}

#[test]
fn validity_is_capped_at_the_ca_with_a_warning() {
    let sb = Sandbox::new();
    sb.cmd()
        .args(["ca", "create", "short", "--days", "30"])
        .assert()
        .success();
    let out = sb
        .cmd()
        .args([
            "--json",
            "cert",
            "issue",
            "s.example",
            "--ca",
            "short",
            "--days",
            "365",
        ])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "validity was cut to the CA's expiry",
        ))
        .get_output()
        .stdout
        .clone();
    let report: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(report["capped_at_ca_expiry"], true);
    let ca = json(&sb, &["ca", "show", "short"]);
    assert_eq!(
        report["certificate"]["not_after"],
        ca["ca"]["certificate"]["not_after"]
    );
}

#[test]
fn renew_keeps_the_key_and_pin_and_switches_the_pair_at_once() {
    let sb = Sandbox::new();
    let issued = json(
        &sb,
        &[
            "cert",
            "issue",
            "n.example",
            "10.0.0.7",
            "--out",
            "n",
            "--usage",
            "server",
        ],
    );
    let key_before = std::fs::read(sb.path("n/key.pem")).unwrap();
    let renewed = json(&sb, &["cert", "renew", "n/cert.pem"]);
    let (old, new) = (&issued["certificate"], &renewed["certificate"]);
    assert_eq!(renewed["pin_kept"], true);
    assert_eq!(old["pin_sha256"], new["pin_sha256"]);
    assert_ne!(old["serial"], new["serial"]);
    assert_eq!(old["subject"], new["subject"]);
    assert_eq!(old["sans"], new["sans"]);
    assert_eq!(new["extended_key_usage"], serde_json::json!(["serverAuth"]));
    assert_eq!(std::fs::read(sb.path("n/key.pem")).unwrap(), key_before);
    // cert.pem and key.pem are links into ..data, which names the version.
    assert_eq!(
        std::fs::read_link(sb.path("n/cert.pem")).unwrap(),
        Path::new("..data/cert.pem")
    );
    assert_eq!(
        std::fs::read_link(sb.path("n/..data")).unwrap(),
        Path::new("..v2")
    );
    // The pair on disk matches.
    let pins = stdout_of(sb.cmd().args(["pin", "--bare", "n/cert.pem", "n/key.pem"]));
    let lines: Vec<&str> = pins.lines().collect();
    assert_eq!(lines[0], lines[1]);
}

#[test]
fn rekey_changes_the_pin_and_cert_and_key_still_match() {
    let sb = Sandbox::new();
    let issued = json(&sb, &["cert", "issue", "k.example", "--out", "k"]);
    let renewed = json(&sb, &["cert", "renew", "k/cert.pem", "--rekey"]);
    assert_eq!(renewed["pin_kept"], false);
    assert_ne!(
        issued["certificate"]["pin_sha256"],
        renewed["certificate"]["pin_sha256"]
    );
    let pins = stdout_of(sb.cmd().args(["pin", "--bare", "k/cert.pem", "k/key.pem"]));
    let lines: Vec<&str> = pins.lines().collect();
    assert_eq!(lines[0], lines[1]);
    assert_eq!(lines[0], renewed["certificate"]["pin_sha256"]);
    assert_eq!(mode(&sb.path("k/..data/key.pem")), 0o600);
    // Plain files: renewed in place with a warning about the window.
    sb.cmd()
        .args([
            "cert",
            "issue",
            "p.example",
            "--cert-out",
            "p.pem",
            "--key-out",
            "p.key",
        ])
        .assert()
        .success();
    sb.cmd()
        .args(["cert", "renew", "p.pem", "--rekey"])
        .assert()
        .success()
        .stderr(predicate::str::contains("separate files"));
    let pins = stdout_of(sb.cmd().args(["pin", "--bare", "p.pem", "p.key"]));
    let lines: Vec<&str> = pins.lines().collect();
    assert_eq!(lines[0], lines[1]);
    assert_eq!(mode(&sb.path("p.key")), 0o600);
}

#[test]
fn renew_finds_the_issuing_ca_and_can_move_to_the_standby() {
    let sb = Sandbox::new();
    sb.cmd().args(["ca", "create", "root"]).assert().success();
    sb.cmd()
        .args(["ca", "create", "x3", "--parent", "root"])
        .assert()
        .success();
    sb.cmd()
        .args(["ca", "create", "r3", "--parent", "root"])
        .assert()
        .success();
    sb.cmd()
        .args([
            "cert",
            "issue",
            "n.example",
            "--ca",
            "x3",
            "--out",
            "n",
            "--chain",
        ])
        .assert()
        .success();
    let renewed = json(&sb, &["cert", "renew", "n/cert.pem"]);
    assert_eq!(renewed["ca"], "x3");
    let moved = json(&sb, &["cert", "renew", "n/cert.pem", "--ca", "r3"]);
    assert_eq!(moved["ca"], "r3");
    let certs = certs_in(&sb.path("n/cert.pem"));
    let r3 = &certs_in(&sb.store().join("cas/r3/ca.pem"))[0];
    assert_eq!(&certs[1], r3, "the chain follows the new issuer");
    let root = &certs_in(&sb.path("n/ca.pem"))[0];
    webpki_verify(
        root,
        &certs[0],
        &certs[1..],
        webpki::KeyUsage::client_auth(),
        "n.example",
    )
    .unwrap();
}

#[test]
fn renew_refuses_what_it_cannot_renew() {
    let sb = Sandbox::new();
    let fixtures = crate::support::fixtures();
    sb.cmd()
        .args(["cert", "renew"])
        .arg(fixtures.join("chain/leaf.pem"))
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("no CA in").and(predicate::str::contains("pass --ca NAME")),
        );
    sb.cmd()
        .args(["cert", "renew"])
        .arg(fixtures.join("chain/root.pem"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is a CA certificate"));
}
