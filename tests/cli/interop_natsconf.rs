//! The oracle of the nats-server config reader: `nats-server -t -c FILE`
//! must accept exactly the configurations the reader accepts, over the
//! generated corpus of tests/cli/natsconf.rs, on Debian's 2.9.10 (read with
//! `Dialect::V2_9`) and on 2.15.1 (`Dialect::V2_15`). Runs under
//! TLSCTL_INTEROP=1; every server run is bounded by a timeout.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use tlsctl::pki::natsconf::Dialect;

use crate::interop::enabled;
use crate::natsconf::{Case, corpus, semantic_problem, write_case};
use crate::natsrv::{NatsBinary, nats_2_9, nats_2_15};

/// What a release says of a config: accepted, and its first output line.
fn server_verdict(bin: &NatsBinary, c: &Case, dir: &Path) -> (bool, String) {
    let mut cmd = Command::new(&bin.path);
    cmd.arg("-t")
        .arg("-c")
        .arg(dir.join("main.conf"))
        .current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in &c.env {
        cmd.env(k, v);
    }
    let mut child = cmd
        .spawn()
        .unwrap_or_else(|e| panic!("{} could not be run: {e}", bin.path.display()));
    let limit = if c.slow { 60 } else { 10 };
    let deadline = Instant::now() + Duration::from_secs(limit);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break Some(status);
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let out = child.wait_with_output().unwrap();
    let mut text = String::from_utf8_lossy(&out.stdout).into_owned();
    text.push_str(&String::from_utf8_lossy(&out.stderr));
    let first = text
        .lines()
        .next()
        .unwrap_or("")
        .chars()
        .take(160)
        .collect();
    match status {
        Some(s) => (s.success(), first),
        None => (false, format!("timed out after {limit}s")),
    }
}

fn reader_verdict(c: &Case, dir: &Path, dialect: Dialect) -> (bool, String) {
    match c.read(dir, dialect) {
        Ok(cfg) => match semantic_problem(&cfg, dialect) {
            None => (true, "ok".to_string()),
            Some(p) => (false, format!("parses; option check: {p}")),
        },
        Err(e) => (false, e.to_string()),
    }
}

#[test]
fn nats_server_accepts_exactly_what_the_reader_accepts_on_2_9_and_2_15() {
    if !enabled() {
        return;
    }
    let bins = [(nats_2_9(), Dialect::V2_9), (nats_2_15(), Dialect::V2_15)];
    let all = corpus();
    let tmp = tempfile::tempdir().unwrap();
    let mut disagreements = Vec::new();
    let mut releases_differ = Vec::new();
    let mut accepted = [0usize; 2];
    for (n, c) in all.iter().enumerate() {
        let dir = tmp.path().join(format!("case{n:03}"));
        write_case(c, &dir);
        let mut verdicts = Vec::new();
        for (k, (bin, dialect)) in bins.iter().enumerate() {
            let (server_ok, server_says) = server_verdict(bin, c, &dir);
            let (reader_ok, reader_says) = reader_verdict(c, &dir, *dialect);
            if server_ok {
                accepted[k] += 1;
            }
            if server_ok != reader_ok {
                disagreements.push(format!(
                    "{} on {}: server {} ({server_says}), reader {} ({reader_says})",
                    c.name,
                    bin.version,
                    if server_ok { "accepts" } else { "refuses" },
                    if reader_ok { "accepts" } else { "refuses" },
                ));
            }
            verdicts.push(server_ok);
        }
        if verdicts[0] != verdicts[1] {
            releases_differ.push(format!(
                "{}: 2.9.10 {}, 2.15.1 {}",
                c.name,
                if verdicts[0] { "accepts" } else { "refuses" },
                if verdicts[1] { "accepts" } else { "refuses" }
            ));
        }
    }
    eprintln!(
        "natsconf oracle: {} configs; 2.9.10 accepts {}, 2.15.1 accepts {}; {} disagreements",
        all.len(),
        accepted[0],
        accepted[1],
        disagreements.len()
    );
    eprintln!("where the releases differ ({}):", releases_differ.len());
    for d in &releases_differ {
        eprintln!("  {d}");
    }
    assert!(
        disagreements.is_empty(),
        "{} disagreements:\n{}",
        disagreements.len(),
        disagreements.join("\n")
    );
}

/// TLS blocks, each written so that at most one rule decides: the model's
/// error findings must say "refused" exactly when the release refuses it.
/// On Linux a Windows `cert_store` is refused too ("not compatible with
/// current operating system"), which the model reports as
/// `cert-store-windows-only`.
fn tls_cases() -> Vec<(&'static str, String)> {
    let hex = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    let t = |body: &str| format!("tls {{ cert_file: CERT, key_file: KEY, {body} }}");
    vec![
        ("plain", "tls { cert_file: CERT, key_file: KEY }".to_string()),
        ("file-and-store", t("cert_store: WindowsCurrentUser, cert_match: x")),
        ("store-only", "tls { cert_store: WindowsCurrentUser, cert_match: x }".into()),
        ("store-unknown", "tls { cert_store: Foo, cert_match: x }".into()),
        ("match-by-unknown", "tls { cert_store: windowscurrentuser, cert_match_by: Thumbprint, cert_match: x }".into()),
        ("cipher-unknown", t("cipher_suites: [TLS_FOO]")),
        ("cipher-gcm", t("cipher_suites: [TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256]")),
        ("cipher-rsa-cbc", t("cipher_suites: [TLS_RSA_WITH_AES_128_CBC_SHA]")),
        ("cipher-rsa-cbc-allowed", t("allow_insecure_cipher_suites: true, cipher_suites: [TLS_RSA_WITH_AES_128_CBC_SHA]")),
        ("cipher-chacha-sha256", t("cipher_suites: [TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256]")),
        ("cipher-chacha-old-name", t("cipher_suites: [TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305]")),
        ("cipher-lowercase", t("cipher_suites: [tls_aes_128_gcm_sha256]")),
        ("cipher-empty", t("cipher_suites: [ ]")),
        ("curve-mlkem", t("curve_preferences: [X25519MLKEM768]")),
        ("curve-unknown", t("curve_preferences: [P999]")),
        ("curve-ok", t("curve_preferences: [CurveP256, X25519]")),
        ("curve-empty", t("curve_preferences: [ ]")),
        ("insecure", t("insecure: true")),
        ("pin-short", t("pinned_certs: [abc]")),
        ("pin-ok", t(&format!("pinned_certs: [\"{hex}\"]"))),
        ("pin-upper", t(&format!("pinned_certs: [\"{}\"]", hex.to_uppercase()))),
        ("handshake-first", t("handshake_first: true")),
        ("handshake-first-bad", t("handshake_first: maybe")),
        ("handshake-first-auto", t("handshake_first: \"auto\"")),
        ("handshake-first-alias", t("first: \"300ms\"")),
        ("timeout-duration", t("timeout: \"2s\"")),
        ("timeout-bad", t("timeout: \"soon\"")),
        ("timeout-float", t("timeout: 0.5")),
        ("known-urls-client", t("verify_cert_and_check_known_urls: true")),
        ("known-urls-cluster", "cluster { port: 6222, tls { cert_file: CERT, key_file: KEY, verify_cert_and_check_known_urls: true } }".into()),
        ("known-urls-leaf", "leafnodes { port: 7422, tls { cert_file: CERT, key_file: KEY, verify_cert_and_check_known_urls: true } }".into()),
        ("known-urls-gateway", "gateway { name: g, port: 7222, tls { cert_file: CERT, key_file: KEY, verify_cert_and_check_known_urls: true } }".into()),
        ("cert-only", "tls { cert_file: CERT }".into()),
        ("key-only", "tls { key_file: KEY }".into()),
        ("ca-only", "tls { ca_file: CERT }".into()),
        ("unknown-field", t("bogus: true")),
        ("verify-string", t("verify: \"yes\"")),
        ("verify-and-map", t("verify_and_map: true")),
        ("cert-not-string", "tls { cert_file: 5, key_file: KEY }".into()),
        ("leaf-remote-handshake-first", "leafnodes { remotes: [ { url: \"tls://127.0.0.1:7422\", tls: { ca_file: CERT, handshake_first: true } } ] }".into()),
        ("cluster-handshake-first", "cluster { port: 6222, tls { cert_file: CERT, key_file: KEY, handshake_first: true } }".into()),
        ("ocsp-peer", t("ocsp_peer: false")),
        ("min-version", t("min_version: \"1.3\"")),
        ("cert-match-without-store", t("cert_match: x")),
    ]
}

#[test]
fn tls_findings_are_errors_exactly_where_nats_server_refuses() {
    if !enabled() {
        return;
    }
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/chain");
    let cert = fixtures.join("leaf.pem").display().to_string();
    let key = fixtures.join("leaf.key").display().to_string();
    let tmp = tempfile::tempdir().unwrap();
    let mut disagreements = Vec::new();
    let mut differ = Vec::new();
    for (n, (name, text)) in tls_cases().into_iter().enumerate() {
        let text = text
            .replace("CERT", &format!("\"{cert}\""))
            .replace("KEY", &format!("\"{key}\""));
        let c = Case {
            name: name.to_string(),
            main: text.into_bytes(),
            files: Vec::new(),
            env: Vec::new(),
            slow: false,
        };
        let dir = tmp.path().join(format!("tls{n:02}"));
        write_case(&c, &dir);
        let mut verdicts = Vec::new();
        for (bin, dialect) in [(nats_2_9(), Dialect::V2_9), (nats_2_15(), Dialect::V2_15)] {
            let (server_ok, says) = server_verdict(&bin, &c, &dir);
            let config = c
                .read(&dir, dialect)
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            let node = tlsctl::pki::natsconf::model::node(&config, dialect);
            let refusing: Vec<&str> = node
                .findings
                .iter()
                .filter(|f| {
                    f.severity == tlsctl::pki::natsconf::model::Severity::Error
                        || f.code == "cert-store-windows-only"
                })
                .map(|f| f.code)
                .collect();
            if server_ok != refusing.is_empty() {
                disagreements.push(format!(
                    "{name} on {}: server {} ({says}); model {refusing:?}",
                    bin.version,
                    if server_ok { "accepts" } else { "refuses" }
                ));
            }
            verdicts.push(server_ok);
        }
        if verdicts[0] != verdicts[1] {
            differ.push(format!(
                "{name}: 2.9.10 {}, 2.15.1 {}",
                verdicts[0], verdicts[1]
            ));
        }
    }
    eprintln!(
        "TLS blocks where the releases differ: {}",
        differ.join("; ")
    );
    assert!(disagreements.is_empty(), "{}", disagreements.join("\n"));
}
