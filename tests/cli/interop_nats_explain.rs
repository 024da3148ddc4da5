//! `nats explain` on the logs of live servers: nats-server 2.9.10 and
//! 2.15.1 are started from configs and certificates tlsctl made, each
//! failure is provoked for real (a client with an untrusted, an expired,
//! an unpinned, a server-only or no certificate, a wrong password, a hub
//! whose certificate names another host, a route and a leafnode
//! whose peers trust another CA), and the explanation of the captured log
//! must give the right kind for each, and, where the release logs the
//! certificate's SHA-256 (2.11.4 and later), the store file that holds it.
//! Run with TLSCTL_INTEROP=1 (as .ci/run does).

use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::interop::enabled;
use crate::natsrv::{NatsBinary, NatsServer, free_port, nats_binaries};
use crate::support::Sandbox;

/// Waits (bounded) until the server's log holds `n` lines containing `needle`.
fn wait_for_lines(server: &NatsServer, needle: &str, n: usize) {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let found = server
            .log_text()
            .lines()
            .filter(|l| l.contains(needle))
            .count();
        if found >= n {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "no {n} lines with {needle:?} in time:\n{}",
            server.log_text()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn explain(sb: &Sandbox, log: &Path) -> Value {
    let out = sb
        .cmd_realtime()
        .args(["--json", "nats", "explain"])
        .arg(log)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}\n{}",
        String::from_utf8_lossy(&out.stderr),
        String::from_utf8_lossy(&out.stdout)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn event<'a>(doc: &'a Value, conn: &str, kind: &str) -> &'a Value {
    doc["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["connection"] == conn && e["kind"] == kind)
        .unwrap_or_else(|| panic!("no {conn} {kind} event in {doc:#}"))
}

/// Where the release names the certificate (2.11.4 and later), the event
/// names the file in the store's records that holds it; 2.9 names none.
fn assert_matched(bin: &NatsBinary, e: &Value, file_suffix: &str, subject: &str) {
    if bin.version.starts_with("2.9") {
        assert!(e["certificates"].as_array().unwrap().is_empty(), "{e}");
        assert!(e["matched_file"].is_null(), "{e}");
        return;
    }
    assert_eq!(e["certificates"][0]["subject"], subject, "{e}");
    let file = e["matched_file"].as_str().unwrap_or_else(|| panic!("{e}"));
    assert!(file.ends_with(file_suffix), "{file} for {subject}");
    assert_eq!(e["matches"][0]["hash"], "fingerprint");
}

fn run(sb: &Sandbox, args: &[&str]) {
    sb.cmd_realtime().args(args).assert().success();
}

fn pki(sb: &Sandbox) {
    run(sb, &["ca", "create", "good"]);
    run(sb, &["ca", "create", "evil"]);
    for (name, ca, usage) in [("alice", "good", "client"), ("mallory", "evil", "client")] {
        run(
            sb,
            &[
                "cert", "issue", name, "--ca", ca, "--usage", usage, "--out", name,
            ],
        );
    }
    run(
        sb,
        &[
            "cert", "issue", "srvonly", "--ca", "good", "--usage", "server", "--out", "srvonly",
        ],
    );
    run(
        sb,
        &[
            "cert",
            "issue",
            "far.example",
            "--ca",
            "good",
            "--name",
            "far",
            "--out",
            "far",
        ],
    );
    for (name, ca) in [("srv", "good"), ("n1", "good"), ("n2", "evil")] {
        run(
            sb,
            &[
                "cert",
                "issue",
                "localhost",
                "127.0.0.1",
                "--ca",
                ca,
                "--name",
                name,
                "--out",
                name,
            ],
        );
    }
    // Expired five years ago.
    sb.cmd()
        .env("TLSCTL_NOW", "2020-01-01T00:00:00Z")
        .args([
            "cert", "issue", "old", "--ca", "good", "--usage", "client", "--days", "5", "--out",
            "old",
        ])
        .assert()
        .success();
    std::fs::write(sb.path("wrong.txt"), "not-the-password\n").unwrap();
}

fn probe(sb: &Sandbox, port: u16, extra: &[&str]) {
    // The probe fails (that is the point); the server logs why.
    let out = sb
        .cmd_realtime()
        .args(["probe", &format!("127.0.0.1:{port}"), "--ca", "srv/ca.pem"])
        .args(extra)
        .output()
        .unwrap();
    assert_ne!(
        out.status.code(),
        Some(0),
        "the probe was let in: {extra:?}"
    );
}

fn clients(bin: &NatsBinary, sb: &Sandbox) {
    let dir = sb.dir.path();
    let port = free_port();
    let server = NatsServer::start_with(
        bin,
        dir,
        "clients",
        &format!(
            "host: 127.0.0.1\nport: {port}\ntls {{ cert_file: srv/cert.pem, key_file: \
             srv/key.pem, ca_file: srv/ca.pem, verify: true }}\n"
        ),
        port,
    );
    probe(
        sb,
        port,
        &["--cert", "mallory/cert.pem", "--key", "mallory/key.pem"],
    );
    probe(
        sb,
        port,
        &["--cert", "old/cert.pem", "--key", "old/key.pem"],
    );
    probe(sb, port, &[]);
    probe(
        sb,
        port,
        &["--cert", "srvonly/cert.pem", "--key", "srvonly/key.pem"],
    );
    wait_for_lines(&server, "handshake error", 4);
    let doc = explain(sb, &server.log);
    let e = event(&doc, "client", "unknown-authority");
    assert_matched(bin, e, "mallory/cert.pem", "CN=mallory");
    let e = event(&doc, "client", "expired");
    assert_matched(bin, e, "old/cert.pem", "CN=old");
    event(&doc, "client", "no-client-certificate");
    let e = event(&doc, "client", "key-usage");
    assert_matched(bin, e, "srvonly/cert.pem", "CN=srvonly");
    drop(server);

    // pinned_certs naming alice only; n1 comes with a good certificate.
    let alice_pin = String::from_utf8(
        sb.cmd()
            .args(["pin", "--bare", "alice/cert.pem"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    let port = free_port();
    let server = NatsServer::start_with(
        bin,
        dir,
        "pinned",
        &format!(
            "host: 127.0.0.1\nport: {port}\ntls {{ cert_file: srv/cert.pem, key_file: \
             srv/key.pem, ca_file: srv/ca.pem, verify: true, pinned_certs: [\"{}\"] }}\n",
            alice_pin.trim()
        ),
        port,
    );
    probe(sb, port, &["--cert", "n1/cert.pem", "--key", "n1/key.pem"]);
    wait_for_lines(&server, "not pinned", 1);
    let doc = explain(sb, &server.log);
    event(&doc, "client", "not-pinned");
    drop(server);

    let port = free_port();
    let server = NatsServer::start_with(
        bin,
        dir,
        "auth",
        &format!(
            "host: 127.0.0.1\nport: {port}\ntls {{ cert_file: srv/cert.pem, key_file: \
             srv/key.pem, ca_file: srv/ca.pem }}\nauthorization {{ user: admin, password: \
             s3cret }}\n"
        ),
        port,
    );
    probe(
        sb,
        port,
        &["--user", "admin", "--password-file", "wrong.txt"],
    );
    wait_for_lines(&server, "authentication error", 1);
    let doc = explain(sb, &server.log);
    let e = event(&doc, "client", "authentication");
    assert!(e["explanation"].as_str().unwrap().contains("TLS worked"));
}

fn route(bin: &NatsBinary, sb: &Sandbox) {
    let dir = sb.dir.path();
    let (p1, p2, c1, c2) = (free_port(), free_port(), free_port(), free_port());
    let conf = |port: u16, me: u16, other: u16, node: &str| {
        format!(
            "host: 127.0.0.1\nport: {port}\nserver_name: {node}\ncluster {{ name: c, host: \
             127.0.0.1, port: {me}, routes: [\"nats://127.0.0.1:{other}\"], tls {{ cert_file: \
             {node}/cert.pem, key_file: {node}/key.pem, ca_file: {node}/ca.pem, timeout: 2 }} \
             }}\n"
        )
    };
    let n1 = NatsServer::start_with(bin, dir, "route-n1", &conf(p1, c1, c2, "n1"), p1);
    let n2 = NatsServer::start_with(bin, dir, "route-n2", &conf(p2, c2, c1, "n2"), p2);
    // A reconnecting route logs the same refusal again and again.
    wait_for_lines(&n1, "unknown authority", 3);
    wait_for_lines(&n2, "unknown authority", 1);
    let doc = explain(sb, &n1.log);
    let e = event(&doc, "route", "unknown-authority");
    assert!(e["count"].as_u64().unwrap() >= 3, "{e}");
    assert!(e["first"].as_str() < e["last"].as_str(), "{e}");
    assert_matched(bin, e, "n2/cert.pem", "CN=localhost");
    event(&doc, "route", "peer-rejected");
    let doc = explain(sb, &n2.log);
    let e = event(&doc, "route", "unknown-authority");
    assert_matched(bin, e, "n1/cert.pem", "CN=localhost");

    // With n1's own config, the block that refused, and (where the line
    // names the certificate) the refusal reproduced against its ca_file.
    let out = sb
        .cmd_realtime()
        .args(["--json", "nats", "explain", "--conf", "route-n1.conf"])
        .arg(&n1.log)
        .output()
        .unwrap();
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let e = event(&doc, "route", "unknown-authority");
    let b = &e["blocks"][0];
    assert_eq!(b["block"], "cluster.tls");
    assert!(b["ca_file"].as_str().unwrap().ends_with("n1/ca.pem"), "{b}");
    if bin.version.starts_with("2.9") {
        assert!(b["peer_check"].is_null(), "{b}");
    } else {
        let check = b["peer_check"].as_str().unwrap();
        assert!(check.contains("does not verify against"), "{check}");
        assert!(check.contains("unknown issuer"), "{check}");
    }
}

fn leafnode(bin: &NatsBinary, sb: &Sandbox) {
    let dir = sb.dir.path();
    let (hp, lp, hl) = (free_port(), free_port(), free_port());
    let hub = NatsServer::start_with(
        bin,
        dir,
        "hub",
        &format!(
            "host: 127.0.0.1\nport: {hp}\nserver_name: hub\nleafnodes {{ host: 127.0.0.1, \
             port: {hl}, tls {{ cert_file: n1/cert.pem, key_file: n1/key.pem, ca_file: \
             n1/ca.pem, verify: true, timeout: 2 }} }}\n"
        ),
        hp,
    );
    let leaf = NatsServer::start_with(
        bin,
        dir,
        "leaf",
        &format!(
            "host: 127.0.0.1\nport: {lp}\nserver_name: leaf\nleafnodes {{ remotes: [{{ url: \
             \"tls://127.0.0.1:{hl}\", tls {{ cert_file: n2/cert.pem, key_file: n2/key.pem, \
             ca_file: n2/ca.pem, timeout: 2 }} }}] }}\n"
        ),
        lp,
    );
    wait_for_lines(&leaf, "leafnode handshake error", 1);
    wait_for_lines(&hub, "leafnode handshake error", 1);
    let doc = explain(sb, &leaf.log);
    let e = event(&doc, "leafnode", "unknown-authority");
    assert_matched(bin, e, "n1/cert.pem", "CN=localhost");
    let doc = explain(sb, &hub.log);
    event(&doc, "leafnode", "peer-rejected");
    drop((hub, leaf));

    // A hub whose certificate holds another name than the remote's URL.
    let (hp, lp, hl) = (free_port(), free_port(), free_port());
    let _hub = NatsServer::start_with(
        bin,
        dir,
        "far-hub",
        &format!(
            "host: 127.0.0.1\nport: {hp}\nleafnodes {{ host: 127.0.0.1, port: {hl}, tls {{ \
             cert_file: far/cert.pem, key_file: far/key.pem, ca_file: far/ca.pem, timeout: 2 \
             }} }}\n"
        ),
        hp,
    );
    let leaf = NatsServer::start_with(
        bin,
        dir,
        "far-leaf",
        &format!(
            "host: 127.0.0.1\nport: {lp}\nleafnodes {{ remotes: [{{ url: \
             \"tls://localhost:{hl}\", tls {{ cert_file: n1/cert.pem, key_file: n1/key.pem, \
             ca_file: n1/ca.pem, timeout: 2 }} }}] }}\n"
        ),
        lp,
    );
    wait_for_lines(&leaf, "leafnode handshake error", 1);
    let doc = explain(sb, &leaf.log);
    let e = event(&doc, "leafnode", "name-mismatch");
    assert_matched(bin, e, "far/cert.pem", "CN=far.example");
}

#[test]
fn every_provoked_failure_is_explained_with_its_kind_and_file_on_both_releases() {
    if !enabled() {
        return;
    }
    for bin in nats_binaries() {
        let sb = Sandbox::new();
        pki(&sb);
        clients(&bin, &sb);
        route(&bin, &sb);
        leafnode(&bin, &sb);
    }
}
