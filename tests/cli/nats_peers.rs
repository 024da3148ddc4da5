//! `nats check CONF... --peer FILE|HOST:PORT`: a peer's chain judged by
//! every block of the fleet that would verify it, as a client of the blocks
//! that ask for a certificate and as a server to the blocks that dial. With
//! TLSCTL_INTEROP=1, the same against a live nats-server serving the chain.

use serde_json::Value;

use crate::interop::enabled;
use crate::natsrv::{NatsServer, free_port, nats_binaries};
use crate::support::{Sandbox, stdout_of};

/// Two nodes of cluster c1 (certificates from X3 and R3, ca_file the root)
/// with a client port that verifies; and three candidate peers: a dual-use
/// leaf from X3, a serverAuth-only one, and one from a stranger CA.
fn fleet(sb: &Sandbox) {
    sb.pki();
    let run = |args: &[&str]| {
        sb.cmd().args(args).assert().success();
    };
    run(&["ca", "create", "stranger", "--cn", "Stranger Root"]);
    run(&[
        "cert",
        "issue",
        "new.nats.internal",
        "127.0.0.1",
        "--ca",
        "x3",
        "--out",
        "good",
    ]);
    run(&[
        "cert",
        "issue",
        "web.nats.internal",
        "--ca",
        "x3",
        "--usage",
        "server",
        "--out",
        "web",
    ]);
    run(&[
        "cert",
        "issue",
        "evil.nats.internal",
        "--ca",
        "stranger",
        "--out",
        "evil",
    ]);
    for (n, other) in [("node-a", "node-b"), ("node-b", "node-a")] {
        sb.write(
            &format!("{n}.conf"),
            format!(
                "server_name: {n}\nport: 4222\ntls {{\n  cert_file: {n}/cert.pem\n  key_file: {n}/key.pem\n  ca_file: acme.pem\n  verify: true\n}}\ncluster {{\n  name: c1\n  listen: \"{n}.nats.internal:6222\"\n  routes: [\"nats-route://{other}.nats.internal:6222\"]\n  tls {{\n    cert_file: {n}/cert.pem\n    key_file: {n}/key.pem\n    ca_file: acme.pem\n  }}\n}}\n"
            ),
        );
    }
}

fn run(sb: &Sandbox, args: &[&str]) -> (Value, i32) {
    let out = sb
        .cmd()
        .args(["--json", "nats", "check", "node-a.conf", "node-b.conf"])
        .args(args)
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    (v, out.status.code().unwrap())
}

/// `(node, block, as) -> accepted` of one peer.
fn verdicts(peer: &Value) -> Vec<(String, String, String, bool)> {
    peer["verdicts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                v["node"].as_str().unwrap().to_owned(),
                v["block"].as_str().unwrap().to_owned(),
                v["as"].as_str().unwrap().to_owned(),
                v["accepted"].as_bool().unwrap(),
            )
        })
        .collect()
}

#[test]
fn each_peer_is_judged_by_every_block_that_verifies_it() {
    let sb = Sandbox::new();
    fleet(&sb);
    let (doc, code) = run(
        &sb,
        &[
            "--peer",
            "good/cert.pem",
            "--peer",
            "web/cert.pem",
            "--peer",
            "evil/cert.pem",
        ],
    );
    assert_eq!(code, 0, "without --check a refusal is a report: {doc:#}");
    let peers = doc["peers"].as_array().unwrap();
    assert_eq!(peers.len(), 3);
    let good = verdicts(&peers[0]);
    // tls (client), cluster.tls (client and server) on each node.
    assert_eq!(good.len(), 6, "{good:?}");
    assert!(good.iter().all(|v| v.3), "{good:?}");
    for (node, block, role) in [
        ("node-a", "tls", "client"),
        ("node-a", "cluster.tls", "client"),
        ("node-a", "cluster.tls", "server"),
    ] {
        assert!(
            good.iter()
                .any(|v| v.0 == node && v.1 == block && v.2 == role),
            "{good:?}"
        );
    }
    // serverAuth only: refused where it presents itself as a client,
    // accepted where a route dials it.
    let web = &peers[1];
    for v in web["verdicts"].as_array().unwrap() {
        let accepted = v["accepted"].as_bool().unwrap();
        assert_eq!(accepted, v["as"] == "server", "{v}");
        if !accepted {
            assert!(v["reason"].as_str().unwrap().contains("clientAuth"), "{v}");
        }
    }
    // A stranger CA: refused everywhere, saying why.
    let evil = verdicts(&peers[2]);
    assert!(evil.iter().all(|v| !v.3), "{evil:?}");
    assert!(
        peers[2]["verdicts"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("Stranger Root"),
        "{}",
        peers[2]
    );
    assert_eq!(peers[2]["subject"], "CN=evil.nats.internal");
    // --check: a refused peer exits 1; accepted ones 0.
    assert_eq!(run(&sb, &["--check", "--peer", "evil/cert.pem"]).1, 1);
    assert_eq!(run(&sb, &["--check", "--peer", "good/cert.pem"]).1, 0);
    // Human output names the verdicts.
    let text =
        stdout_of(
            sb.cmd()
                .args(["nats", "check", "node-a.conf", "--peer", "evil/cert.pem"]),
        );
    assert!(text.contains("Peers\n  evil/cert.pem"), "{text}");
    assert!(
        text.contains("refused  node-a cluster.tls as client"),
        "{text}"
    );
}

#[test]
fn a_peer_that_cannot_be_read_is_an_input_error() {
    let sb = Sandbox::new();
    fleet(&sb);
    let out = sb
        .cmd()
        .args(["nats", "check", "node-a.conf", "--peer", "missing.pem"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("missing.pem"));
    assert!(out.stdout.is_empty());
}

#[test]
fn a_live_node_serving_a_chain_is_judged_like_that_chain_file() {
    if !enabled() {
        return;
    }
    let sb = Sandbox::new();
    // Real time: nats-server checks validity with its own clock.
    let run = |args: &[&str]| {
        sb.cmd_realtime().args(args).assert().success();
    };
    run(&["ca", "create", "acme", "--cn", "Acme Root"]);
    run(&["ca", "create", "x3", "--parent", "acme", "--cn", "Acme X3"]);
    run(&["ca", "create", "stranger", "--cn", "Stranger Root"]);
    sb.write(
        "acme.pem",
        stdout_of(sb.cmd().args(["ca", "export", "acme"])),
    );
    sb.write(
        "stranger.pem",
        stdout_of(sb.cmd().args(["ca", "export", "stranger"])),
    );
    run(&[
        "cert",
        "issue",
        "node-a.nats.internal",
        "127.0.0.1",
        "--ca",
        "x3",
        "--out",
        "node-a",
    ]);
    run(&[
        "cert",
        "issue",
        "live.nats.internal",
        "127.0.0.1",
        "--ca",
        "x3",
        "--out",
        "live",
    ]);
    for (ca, name) in [("acme.pem", "trusting"), ("stranger.pem", "distrusting")] {
        sb.write(
            &format!("{name}.conf"),
            format!(
                "server_name: {name}\nport: 4222\ncluster {{\n  name: c1\n  listen: \"127.0.0.1:6222\"\n  tls {{\n    cert_file: node-a/cert.pem\n    key_file: node-a/key.pem\n    ca_file: {ca}\n  }}\n}}\n"
            ),
        );
    }
    for bin in nats_binaries() {
        let port = free_port();
        let d = sb.path("");
        let conf = format!(
            "listen: 127.0.0.1:{port}\ntls {{\n  cert_file: \"{d}/live/cert.pem\"\n  key_file: \"{d}/live/key.pem\"\n}}\n",
            d = d.display()
        );
        let server = NatsServer::start_with(&bin, &d, "live", &conf, port);
        let judge = |peer: &str| -> Value {
            let out = sb
                .cmd_realtime()
                .args([
                    "--json",
                    "nats",
                    "check",
                    "trusting.conf",
                    "distrusting.conf",
                    "--peer",
                    peer,
                ])
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            let v: Value = serde_json::from_slice(&out.stdout).unwrap();
            v["peers"][0].clone()
        };
        let live = judge(&server.addr());
        let file = judge("live/cert.pem");
        assert_eq!(live["peer"], server.addr());
        assert_eq!(live["pin_sha256"], file["pin_sha256"]);
        assert_eq!(verdicts(&live), verdicts(&file), "{} {live:#}", bin.version);
        let v = verdicts(&live);
        assert!(
            v.iter()
                .any(|v| v.0 == "trusting" && v.2 == "server" && v.3),
            "{} {live:#}",
            bin.version
        );
        assert!(
            v.iter().all(|v| v.0 != "distrusting" || !v.3),
            "{} {live:#}",
            bin.version
        );
    }
}
