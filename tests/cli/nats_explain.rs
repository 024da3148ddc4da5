//! `nats explain` on real nats-server logs recorded from 2.9.10 and 2.15.1
//! (tests/fixtures/natslog): every TLS and authentication failure line is
//! read, each failure gets its kind and connection, repeated lines group,
//! and a 2.15.1 line's SHA-256 leads to the local file holding that
//! certificate. The same failures are provoked on live servers in
//! interop_nats_explain.rs.

use serde_json::Value;

use crate::support::{Sandbox, fixture, tlsctl};

fn explain(args: &[&str], code: i32) -> Value {
    let out = tlsctl()
        .args(["--json", "nats", "explain"])
        .args(args)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(code),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn kinds(doc: &Value) -> Vec<(String, String)> {
    doc["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["connection"].as_str().unwrap().to_owned(),
                e["kind"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn has(doc: &Value, conn: &str, kind: &str) -> bool {
    kinds(doc).iter().any(|(c, k)| c == conn && k == kind)
}

/// The lines of a recorded log that are TLS or authentication failures,
/// counted without the parser.
fn failure_lines(rel: &str) -> usize {
    std::fs::read_to_string(fixture(rel))
        .unwrap()
        .lines()
        .filter(|l| {
            l.contains("handshake error:")
                || l.contains("authentication error")
                || l.contains("Authorization Violation")
        })
        .count()
}

const LOGS: [&str; 9] = [
    "client",
    "pinned",
    "auth",
    "route-n1",
    "route-n2",
    "gateway-g1",
    "gateway-g2",
    "leaf",
    "hub",
];

#[test]
fn every_failure_line_of_both_releases_is_read_and_none_is_left_unexplained() {
    for v in ["2.9.10", "2.15.1"] {
        for name in LOGS {
            let rel = format!("natslog/{v}/{name}.log");
            let doc = explain(&[&rel, "--no-store"], 1);
            assert_eq!(
                doc["lines_matched"].as_u64().unwrap() as usize,
                failure_lines(&rel),
                "{rel}"
            );
            let grouped: u64 = doc["events"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["count"].as_u64().unwrap())
                .sum();
            assert_eq!(grouped, doc["lines_matched"].as_u64().unwrap(), "{rel}");
            for e in doc["events"].as_array().unwrap() {
                assert_ne!(e["kind"], "handshake", "{rel}: unclassified: {e}");
                assert!(!e["explanation"].as_str().unwrap().is_empty());
                assert!(!e["fix"].as_str().unwrap().is_empty());
            }
        }
    }
}

#[test]
fn client_failures_are_told_apart_on_both_releases() {
    for v in ["2.9.10", "2.15.1"] {
        let doc = explain(&[&format!("natslog/{v}/client.log"), "--no-store"], 1);
        assert!(has(&doc, "client", "unknown-authority"), "{v}: {doc}");
        assert!(has(&doc, "client", "expired"), "{v}");
        assert!(has(&doc, "client", "no-client-certificate"), "{v}");
        let expired = doc["events"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["kind"] == "expired")
            .unwrap();
        assert!(
            expired["explanation"]
                .as_str()
                .unwrap()
                .contains("expired on 2020-01-05T23:59:00Z"),
            "{expired}"
        );
        let pinned = explain(&[&format!("natslog/{v}/pinned.log"), "--no-store"], 1);
        assert_eq!(kinds(&pinned), [("client".into(), "not-pinned".into())]);
        let auth = explain(&[&format!("natslog/{v}/auth.log"), "--no-store"], 1);
        assert_eq!(kinds(&auth), [("client".into(), "authentication".into())]);
    }
    // 2.15.1 names the user it refused; 2.9.10 logged the client's name
    // between the id and the message, which is not taken for the message.
    let auth = explain(&["natslog/2.15.1/auth.log", "--no-store"], 1);
    assert_eq!(auth["events"][0]["user"], "admin");
    let old = explain(&["natslog/2.9.10/auth.log", "--no-store"], 1);
    assert_eq!(old["events"][0]["message"], "authentication error");
    // A plain-text client on a TLS port (2.9.10 logs it).
    let doc = explain(&["natslog/2.9.10/client.log", "--no-store"], 1);
    assert!(has(&doc, "client", "not-tls"));
}

#[test]
fn routes_gateways_and_leafnodes_with_the_wrong_ca_are_explained_from_both_ends() {
    for v in ["2.9.10", "2.15.1"] {
        for (file, conn) in [
            ("route-n1", "route"),
            ("route-n2", "route"),
            ("gateway-g1", "gateway"),
            ("gateway-g2", "gateway"),
        ] {
            let doc = explain(&[&format!("natslog/{v}/{file}.log"), "--no-store"], 1);
            // Each end refuses the other's certificate, and hears the
            // other refuse its own.
            assert!(has(&doc, conn, "unknown-authority"), "{v} {file}: {doc}");
            assert!(has(&doc, conn, "peer-rejected"), "{v} {file}");
        }
        let leaf = explain(&[&format!("natslog/{v}/leaf.log"), "--no-store"], 1);
        assert_eq!(
            kinds(&leaf),
            [("leafnode".into(), "unknown-authority".into())]
        );
        let hub = explain(&[&format!("natslog/{v}/hub.log"), "--no-store"], 1);
        assert_eq!(kinds(&hub), [("leafnode".into(), "peer-rejected".into())]);
    }
}

#[test]
fn a_wrong_name_and_a_wrong_usage_are_told_apart_on_both_releases() {
    for v in ["2.9.10", "2.15.1"] {
        let leaf = explain(&[&format!("natslog/{v}/leaf-name.log"), "--no-store"], 1);
        assert!(has(&leaf, "leafnode", "name-mismatch"), "{v}: {leaf}");
        let e = &leaf["events"][0];
        assert!(
            e["explanation"]
                .as_str()
                .unwrap()
                .contains("dialed localhost (the name in its URL)"),
            "{e}"
        );
        assert!(
            e["explanation"]
                .as_str()
                .unwrap()
                .contains("far.example only")
        );
        let hub = explain(&[&format!("natslog/{v}/hub-name.log"), "--no-store"], 1);
        assert_eq!(kinds(&hub), [("leafnode".into(), "peer-rejected".into())]);
        let usage = explain(&[&format!("natslog/{v}/client-usage.log"), "--no-store"], 1);
        assert_eq!(kinds(&usage), [("client".into(), "key-usage".into())]);
    }
    // 2.9.10 also dialed the resolved IP, and said it has no IP SAN.
    let leaf = explain(&["natslog/2.9.10/leaf-name.log", "--no-store"], 1);
    assert!(leaf["events"].as_array().unwrap().iter().any(|e| {
        e["explanation"]
            .as_str()
            .unwrap()
            .contains("dialed 127.0.0.1 and the leafnode peer's certificate holds no IP SAN")
    }));
    // 2.15.1 names the certificates: the files are found.
    for (log, file) in [
        ("leaf-name", "natslog/certs/far.pem"),
        ("client-usage", "natslog/certs/srvonly.pem"),
    ] {
        let doc = explain(
            &[
                &format!("natslog/2.15.1/{log}.log"),
                "--no-store",
                "--bundle",
                "natslog/certs/far.pem",
                "--bundle",
                "natslog/certs/srvonly.pem",
            ],
            1,
        );
        assert_eq!(doc["events"][0]["matched_file"], file, "{log}");
    }
}

#[test]
fn a_reconnecting_route_is_one_event_with_a_count_and_first_and_last_times() {
    let rel = "natslog/2.15.1/route-n1.log";
    let doc = explain(&[rel, "--no-store"], 1);
    let text = std::fs::read_to_string(fixture(rel)).unwrap();
    let refused: Vec<&str> = text
        .lines()
        .filter(|l| l.contains("unknown authority"))
        .collect();
    let e = doc["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "unknown-authority")
        .unwrap();
    assert_eq!(e["count"].as_u64().unwrap() as usize, refused.len());
    // 2026/12/02 01:05:51.880259 -> 2026-12-02T01:05:51.880259
    let time_of = |l: &str| {
        let f: Vec<&str> = l.split_whitespace().collect();
        format!("{}T{}", f[1].replace('/', "-"), f[2])
    };
    assert_eq!(e["first"].as_str().unwrap(), time_of(refused[0]));
    assert_eq!(
        e["last"].as_str().unwrap(),
        time_of(refused[refused.len() - 1])
    );
}

#[test]
fn a_2_15_sha256_is_matched_to_the_file_holding_that_certificate() {
    let cases = [
        (
            "client",
            "CN=mallory",
            "natslog/certs/mallory.pem",
            "CN=evil",
        ),
        ("route-n1", "CN=n2", "natslog/certs/n2.pem", "CN=evil"),
        ("route-n2", "CN=n1", "natslog/certs/n1.pem", "CN=good"),
        ("gateway-g1", "CN=n2", "natslog/certs/n2.pem", "CN=evil"),
        ("leaf", "CN=n1", "natslog/certs/n1.pem", "CN=good"),
    ];
    let mut args: Vec<String> = Vec::new();
    for c in ["n1", "n2", "mallory", "old", "alice", "good-ca", "evil-ca"] {
        args.push("--bundle".into());
        args.push(format!("natslog/certs/{c}.pem"));
    }
    for (log, subject, file, issuer) in cases {
        let rel = format!("natslog/2.15.1/{log}.log");
        let mut a: Vec<&str> = vec![&rel, "--no-store"];
        a.extend(args.iter().map(String::as_str));
        let doc = explain(&a, 1);
        let e = doc["events"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["kind"] == "unknown-authority")
            .unwrap();
        assert_eq!(e["certificates"][0]["subject"], subject, "{log}");
        assert_eq!(e["matched_file"], file, "{log}");
        assert_eq!(e["matches"][0]["hash"], "fingerprint");
        assert!(
            e["matches"][0]["issuer"].as_str().unwrap().contains(issuer),
            "{log}: {e}"
        );
    }
    // The expired client's certificate too.
    let mut a: Vec<&str> = vec!["natslog/2.15.1/client.log", "--no-store"];
    a.extend(args.iter().map(String::as_str));
    let doc = explain(&a, 1);
    let e = doc["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "expired")
        .unwrap();
    assert_eq!(e["matched_file"], "natslog/certs/old.pem");
}

#[test]
fn an_spki_pin_in_a_line_is_told_apart_from_a_fingerprint() {
    let sb = Sandbox::new();
    let n2 = fixture("natslog/certs/n2.pem");
    let pin = tlsctl()
        .args(["pin", "--bare"])
        .arg(&n2)
        .output()
        .unwrap()
        .stdout;
    let pin = String::from_utf8(pin).unwrap().trim().to_owned();
    let line = format!(
        "[1] 2026/12/02 01:05:51.880259 [ERR] 127.0.0.1:17233 - rid:5 - TLS route handshake \
         error: tls: failed to verify certificate: x509: certificate signed by unknown \
         authority (CN=n2 SHA-256: {pin})\n"
    );
    let log = sb.write("pin.log", line);
    let out = sb
        .cmd()
        .args(["--json", "nats", "explain", "--no-store", "--bundle"])
        .arg(&n2)
        .arg(&log)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["events"][0]["matches"][0]["hash"], "pin");
    let human = sb
        .cmd()
        .args(["nats", "explain", "--no-store", "--bundle"])
        .arg(&n2)
        .arg(&log)
        .output()
        .unwrap();
    let text = String::from_utf8(human.stdout).unwrap();
    assert!(text.contains("SPKI pin, not its fingerprint"), "{text}");
}

#[test]
fn the_store_and_config_files_are_searched() {
    let sb = Sandbox::new();
    let n2 = fixture("natslog/certs/n2.pem");
    let ca = fixture("natslog/certs/evil-ca.pem");
    let conf = sb.write(
        "node.conf",
        format!(
            "cluster {{ name: c, port: 6222, tls {{ cert_file: \"{}\", key_file: \"k.pem\", \
             ca_file: \"{}\" }} }}\n",
            n2.display(),
            ca.display()
        ),
    );
    let out = sb
        .cmd()
        .args(["--json", "nats", "explain", "--no-store", "--conf"])
        .arg(&conf)
        .arg(fixture("natslog/2.15.1/route-n1.log"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        doc["events"][0]["matched_file"].as_str().unwrap(),
        n2.display().to_string()
    );
    assert_eq!(doc["searched"].as_array().unwrap().len(), 2);

    // Without --no-store, the store's CAs and issued certificates are searched.
    sb.cmd().args(["ca", "create", "acme"]).assert().success();
    sb.cmd()
        .args(["cert", "issue", "localhost", "--ca", "acme", "--out", "srv"])
        .assert()
        .success();
    let out = sb
        .cmd()
        .args(["--json", "nats", "explain"])
        .arg(fixture("natslog/2.15.1/route-n1.log"))
        .output()
        .unwrap();
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let searched: Vec<&str> = doc["searched"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    assert!(
        searched.iter().any(|s| s.ends_with("cas/acme/ca.pem"))
            && searched.iter().any(|s| s.ends_with("srv/cert.pem")),
        "{searched:?}"
    );
}

#[test]
fn with_the_servers_own_config_the_named_peer_is_checked_against_its_ca_file() {
    let sb = Sandbox::new();
    let n2 = fixture("natslog/certs/n2.pem");
    let check = |ca: &str| {
        let conf = sb.write(
            "n1.conf",
            format!(
                "cluster {{ name: c, port: 6222, tls {{ cert_file: \"{}\", key_file: k.pem, \
                 ca_file: \"{}\" }} }}\n",
                fixture("natslog/certs/n1.pem").display(),
                fixture(ca).display()
            ),
        );
        let out = sb
            .cmd()
            .args(["--json", "nats", "explain", "--no-store", "--bundle"])
            .arg(&n2)
            .arg("--conf")
            .arg(&conf)
            .arg(fixture("natslog/2.15.1/route-n1.log"))
            .output()
            .unwrap();
        let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
        let e = &doc["events"][0];
        assert_eq!(e["kind"], "unknown-authority");
        assert_eq!(e["blocks"][0]["block"], "cluster.tls");
        e["blocks"][0]["peer_check"].as_str().unwrap().to_owned()
    };
    // The ca_file n1 had: the peer's issuer (CN=evil) is missing.
    let refused = check("natslog/certs/good-ca.pem");
    assert!(refused.contains("does not verify against"), "{refused}");
    assert!(refused.contains("unknown issuer"), "{refused}");
    assert!(refused.contains("CN=evil"), "{refused}");
    // With the fix made (the issuer in ca_file), the same line is old news.
    let fixed = check("natslog/certs/evil-ca.pem");
    assert!(fixed.contains("verifies against"), "{fixed}");
}

#[test]
fn control_characters_from_the_log_are_escaped_and_stdin_is_read() {
    let line = "[1] 2026/12/02 01:05:51.880259 [ERR] 1.2.3.4:5 - cid:5 - TLS handshake error: \
                x509: certificate signed by unknown authority (CN=a\u{1b}]0;pwned\u{7} SHA-256: \
                2773ede963747fc42adcd4726f1b1b814bab18d7b9255e4ec531412e72357a20)\n";
    let out = tlsctl()
        .args(["nats", "explain", "--no-store", "-"])
        .write_stdin(line)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        !text.contains('\u{1b}') && !text.contains('\u{7}'),
        "{text}"
    );
    assert!(text.contains("CN=a\\u{1b}]0;pwned\\u{7}"), "{text}");
    assert!(text.starts_with("<stdin>: 1 problem"), "{text}");
    assert!(text.contains("no local file holds it"), "{text}");
}

#[test]
fn a_clean_log_exits_0_and_an_unreadable_one_exits_2() {
    let sb = Sandbox::new();
    let log = sb.write(
        "ok.log",
        "[1] 2026/12/02 01:05:51.880259 [INF] Server is ready\n",
    );
    let out = sb
        .cmd()
        .args(["nats", "explain", "--no-store"])
        .arg(&log)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(
        String::from_utf8(out.stdout)
            .unwrap()
            .contains("no TLS or authentication failure in 1 line(s)")
    );
    let out = sb
        .cmd()
        .args(["nats", "explain", "--no-store", "missing.log"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("missing.log: no such file"));
    let out = sb
        .cmd()
        .args(["nats", "explain", "--no-store"])
        .arg(sb.dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is a directory"));
    // A bundle that is not one is an input error too.
    let out = sb
        .cmd()
        .args(["nats", "explain", "--no-store", "--bundle"])
        .arg(&log)
        .arg(&log)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}
