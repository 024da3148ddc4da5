//! Interop with a real nats-server and a real NATS client (nats-py), on
//! material tlsctl makes: the config blocks it prints start nats-server,
//! mTLS with verify and pinned_certs admits exactly the pinned client, a
//! two-node cluster keeps its route across an intermediate roll exactly
//! when `bundle diff --check` says so, and `probe` reads a live server.
//! Run with TLSCTL_INTEROP=1 (as `.ci/run` does).

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::interop::enabled;
use crate::natsrv::{NatsServer, free_port};
use crate::support::{Sandbox, stdout_of};

fn run(sb: &Sandbox, args: &[&str]) {
    sb.cmd_realtime().args(args).assert().success();
}

fn natspy(dir: &Path, args: &[&str]) -> (bool, String) {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/interop/natspy_pubsub.py");
    let out = Command::new("timeout")
        .arg("20")
        .arg("python3")
        .arg(script)
        .args(args)
        .current_dir(dir)
        .output()
        .expect("python3 could not be run");
    (
        out.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

/// `tlsctl nats config` output.
fn nats_config(sb: &Sandbox, args: &[&str]) -> String {
    stdout_of(sb.cmd_realtime().args(["nats", "config"]).args(args))
}

#[test]
fn mtls_with_verify_and_pinned_certs_admits_exactly_the_pinned_client() {
    if !enabled() {
        return;
    }
    let sb = Sandbox::new();
    let dir = sb.dir.path();
    run(&sb, &["ca", "create", "root"]);
    run(
        &sb,
        &[
            "cert",
            "issue",
            "localhost",
            "127.0.0.1",
            "--ca",
            "root",
            "--out",
            "srv",
        ],
    );
    run(
        &sb,
        &[
            "cert", "issue", "alice", "--ca", "root", "--usage", "client", "--out", "alice",
        ],
    );
    run(
        &sb,
        &[
            "cert", "issue", "bob", "--ca", "root", "--usage", "client", "--out", "bob",
        ],
    );
    let block = nats_config(
        &sb,
        &[
            "--cert",
            "srv/cert.pem",
            "--key",
            "srv/key.pem",
            "--ca",
            "srv/ca.pem",
            "--verify",
            "--pin",
            "alice/cert.pem",
        ],
    );
    let port = free_port();
    let server = NatsServer::start(
        dir,
        "mtls",
        &format!("listen: 127.0.0.1:{port}\n{block}"),
        port,
    );
    let url = format!("tls://127.0.0.1:{port}");
    let (ok, out) = natspy(
        dir,
        &[
            &url,
            "--ca",
            "srv/ca.pem",
            "--cert",
            "alice/cert.pem",
            "--key",
            "alice/key.pem",
        ],
    );
    assert!(
        ok,
        "the pinned client must publish and receive: {out}\n{}",
        server.log_text()
    );
    assert_eq!(out.lines().next(), Some("hello over mTLS"));
    let (ok, out) = natspy(
        dir,
        &[
            &url,
            "--ca",
            "srv/ca.pem",
            "--cert",
            "bob/cert.pem",
            "--key",
            "bob/key.pem",
        ],
    );
    assert!(!ok, "a client whose pin is absent must be refused: {out}");
    assert!(
        server.log_text().contains("certificate not pinned"),
        "{}",
        server.log_text()
    );

    // And tlsctl probe agrees: alice's session is accepted, bob's refused.
    let addr = server.addr();
    let report: Value = serde_json::from_str(&stdout_of(sb.cmd_realtime().args([
        "--json",
        "probe",
        &addr,
        "--ca",
        "srv/ca.pem",
        "--sni",
        "localhost",
        "--cert",
        "alice/cert.pem",
        "--key",
        "alice/key.pem",
        "--pin",
        "srv/cert.pem",
    ])))
    .unwrap();
    assert_eq!(report["ok"], true, "{report}");
    assert_eq!(report["nats"]["version"], "2.9.10");
    assert_eq!(report["nats"]["tls_verify"], true);
    assert_eq!(report["pin_matches"], true);
    sb.cmd_realtime()
        .args([
            "probe",
            &addr,
            "--sni",
            "localhost",
            "--cert",
            "bob/cert.pem",
            "--key",
            "bob/key.pem",
        ])
        .assert()
        .code(1);
}

#[test]
fn every_block_kind_tlsctl_prints_is_accepted_by_nats_server() {
    if !enabled() {
        return;
    }
    let sb = Sandbox::new();
    let dir = sb.dir.path();
    run(&sb, &["ca", "create", "root"]);
    run(
        &sb,
        &[
            "cert",
            "issue",
            "localhost",
            "127.0.0.1",
            "--ca",
            "root",
            "--out",
            "n",
        ],
    );
    let base = [
        "--cert",
        "n/cert.pem",
        "--key",
        "n/key.pem",
        "--ca",
        "n/ca.pem",
    ];
    let cases: &[(&str, &[&str], &str)] = &[
        ("tls", &["--verify-and-map"], ""),
        (
            "cluster",
            &["--verify-known-urls", "--pin", "n/cert.pem"],
            "name: c1\n  listen: 127.0.0.1:-1",
        ),
        (
            "gateway",
            &["--pin", "n/cert.pem"],
            "name: g1\n  listen: 127.0.0.1:-1",
        ),
        (
            "leafnodes",
            &["--verify", "--timeout", "2.5"],
            "listen: 127.0.0.1:-1",
        ),
        ("websocket", &["--verify"], "listen: 127.0.0.1:-1"),
        ("mqtt", &["--verify"], "listen: 127.0.0.1:-1"),
    ];
    for (block, extra, listen) in cases {
        let mut args: Vec<&str> = base.to_vec();
        args.extend(["--block", block]);
        args.extend_from_slice(extra);
        let text = nats_config(&sb, &args);
        let text = text.replace(
            "  # name, listen and routes here, as you have them",
            &format!("  {listen}"),
        );
        let text = text.replace(
            "  # name, listen and gateways here, as you have them",
            &format!("  {listen}"),
        );
        let text = text.replace(
            "  # listen (the hub side; remotes read their own tls: --remote URL) here, as you have them",
            &format!("  {listen}"),
        );
        let text = text.replace("  # listen here, as you have them", &format!("  {listen}"));
        let config = format!(
            "port: -1\nserver_name: s1\njetstream {{ store_dir: \"{}/js\" }}\n{text}",
            dir.display()
        );
        std::fs::write(dir.join(format!("{block}.conf")), &config).unwrap();
        let out = Command::new("nats-server")
            .args(["-c", &format!("{block}.conf"), "-t"])
            .current_dir(dir)
            .output()
            .expect("nats-server could not be run");
        assert!(
            out.status.success(),
            "nats-server refused the {block} block:\n{config}\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// `num_routes` from a node's monitoring endpoint.
fn routes(mon_port: u16) -> Option<u64> {
    let mut s = TcpStream::connect(("127.0.0.1", mon_port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(2))).ok()?;
    s.write_all(b"GET /routez HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
        .ok()?;
    let mut body = String::new();
    s.read_to_string(&mut body).ok()?;
    let json = body.split("\r\n\r\n").nth(1)?;
    serde_json::from_str::<Value>(json).ok()?["num_routes"].as_u64()
}

/// Starts two nodes trusting `bundle` and reports whether their route
/// comes up (waiting up to 10 s for it, or 4 s to be sure it does not).
fn route_holds(sb: &Sandbox, bundle: &str, expect_up: bool) -> (bool, String) {
    let dir = sb.dir.path();
    let ports: Vec<u16> = (0..6).map(|_| free_port()).collect();
    let node = |name: &str, cert_dir: &str, client: u16, mon: u16, route: u16, peer_route: u16| {
        let block = nats_config(
            sb,
            &[
                "--cert",
                &format!("{cert_dir}/cert.pem"),
                "--key",
                &format!("{cert_dir}/key.pem"),
                "--ca",
                bundle,
                "--block",
                "cluster",
            ],
        );
        let block = block.replace(
            "  # name, listen and routes here, as you have them",
            &format!("  name: c1\n  listen: 127.0.0.1:{route}\n  routes: [\"nats-route://127.0.0.1:{peer_route}\"]"),
        );
        let config = format!(
            "server_name: {name}\nlisten: 127.0.0.1:{client}\nhttp: 127.0.0.1:{mon}\n{block}"
        );
        NatsServer::start(
            dir,
            &format!("{name}-{}", bundle.replace('.', "_")),
            &config,
            client,
        )
    };
    let a = node("node-a", "a", ports[0], ports[1], ports[2], ports[3]);
    let b = node("node-b", "b", ports[4], ports[5], ports[3], ports[2]);
    let up = || routes(ports[1]) == Some(1) && routes(ports[5]) == Some(1);
    let wait = if expect_up {
        Duration::from_secs(10)
    } else {
        Duration::from_secs(4)
    };
    let deadline = Instant::now() + wait;
    let mut held = up();
    while !held && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(100));
        held = up();
    }
    (
        held,
        format!("node-a:\n{}\nnode-b:\n{}", a.log_text(), b.log_text()),
    )
}

#[test]
fn a_cluster_keeps_its_route_across_a_roll_exactly_when_diff_check_says_so() {
    if !enabled() {
        return;
    }
    let sb = Sandbox::new();
    run(&sb, &["ca", "create", "root", "--cn", "Acme Root"]);
    run(
        &sb,
        &["ca", "create", "x3", "--parent", "root", "--cn", "Acme X3"],
    );
    run(
        &sb,
        &["ca", "create", "r3", "--parent", "root", "--cn", "Acme R3"],
    );
    // Node A stays on X3; node B is re-issued from the standby R3. Routes
    // dial 127.0.0.1, so both carry it as an IP SAN; both send their chain.
    run(
        &sb,
        &[
            "cert",
            "issue",
            "node-a",
            "127.0.0.1",
            "--ca",
            "x3",
            "--chain",
            "--out",
            "a",
        ],
    );
    run(
        &sb,
        &[
            "cert",
            "issue",
            "node-b",
            "127.0.0.1",
            "--ca",
            "r3",
            "--chain",
            "--out",
            "b",
        ],
    );
    let ca = |n: &str| {
        sb.store()
            .join(format!("cas/{n}/ca.pem"))
            .display()
            .to_string()
    };
    run(&sb, &["bundle", "add", "X.pem", &ca("x3")]);
    run(&sb, &["bundle", "add", "R.pem", &ca("r3")]);
    run(&sb, &["bundle", "add", "XR.pem", &ca("x3"), &ca("r3")]);
    run(&sb, &["bundle", "add", "ROOT.pem", &ca("root")]);
    let mut outcomes = Vec::new();
    for candidate in ["X.pem", "R.pem", "XR.pem", "ROOT.pem"] {
        let check = sb
            .cmd_realtime()
            .args([
                "bundle",
                "diff",
                "X.pem",
                candidate,
                "--peer",
                "a/cert.pem",
                "--peer",
                "b/cert.pem",
                "--check",
            ])
            .output()
            .unwrap();
        let predicted = check.status.code() == Some(0);
        let (held, logs) = route_holds(&sb, candidate, predicted);
        assert_eq!(
            held,
            predicted,
            "{candidate}: diff --check predicted the route would {}hold, it {}:\n{}\n{logs}",
            if predicted { "" } else { "not " },
            if held { "held" } else { "did not" },
            String::from_utf8_lossy(&check.stdout)
        );
        outcomes.push((candidate, held));
    }
    // The story: X alone or R alone splits the cluster; X+R or the root holds.
    assert_eq!(
        outcomes,
        [
            ("X.pem", false),
            ("R.pem", false),
            ("XR.pem", true),
            ("ROOT.pem", true)
        ]
    );
}
