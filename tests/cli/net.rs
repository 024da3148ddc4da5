//! `tlsctl probe`, `tlsctl serve` and `tlsctl nats config`, without any
//! outside tool: tlsctl serve is the TLS server, a small NATS imitation
//! (INFO, then TLS, then PONG) stands in for nats-server, and rustls is the
//! test's own client.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use predicates::prelude::*;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName};
use serde_json::Value;

use crate::support::{Sandbox, stdout_of};

fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::aws_lc_rs::default_provider())
}

fn certs(path: &Path) -> Vec<CertificateDer<'static>> {
    CertificateDer::pem_file_iter(path)
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

fn key(path: &Path) -> PrivateKeyDer<'static> {
    PrivateKeyDer::from_pem_file(path).unwrap()
}

/// A `tlsctl serve` child, killed when dropped.
pub(crate) struct Served {
    child: Child,
    pub(crate) addr: String,
    log: PathBuf,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Served {
    pub(crate) fn start(sb: &Sandbox, args: &[&str]) -> Served {
        let log = sb.path(&format!("serve-{}.log", std::process::id() ^ rand_u32()));
        let mut child = Command::new(assert_cmd::cargo::cargo_bin("tlsctl"))
            .arg("serve")
            .args(args)
            .args(["--listen", "127.0.0.1:0"])
            .env("TLSCTL_HOME", sb.store())
            .current_dir(sb.dir.path())
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let addr = line
            .strip_prefix("listening on ")
            .and_then(|l| l.split_whitespace().next())
            .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
            .to_owned();
        Served { child, addr, log }
    }

    fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Waits (at most 5 s) until the log holds `needle` `count` times.
    fn wait_for(&self, needle: &str, count: usize) {
        let deadline = Instant::now() + Duration::from_secs(5);
        while self.log_text().matches(needle).count() < count {
            assert!(
                Instant::now() < deadline,
                "no {needle:?} in the log:\n{}",
                self.log_text()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

fn rand_u32() -> u32 {
    let mut b = [0u8; 4];
    aws_lc_rs::rand::fill(&mut b).unwrap();
    u32::from_le_bytes(b)
}

/// A TLS client connection to `tlsctl serve`, trusting `root`.
struct Client {
    tls: rustls::StreamOwned<rustls::ClientConnection, TcpStream>,
}

impl Client {
    fn connect(
        addr: &str,
        root: &Path,
        client: Option<(&Path, &Path)>,
    ) -> std::io::Result<(Client, String)> {
        let mut roots = rustls::RootCertStore::empty();
        for c in certs(root) {
            roots.add(c).unwrap();
        }
        let builder = rustls::ClientConfig::builder_with_provider(provider())
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_root_certificates(roots);
        let config = match client {
            Some((c, k)) => builder.with_client_auth_cert(certs(c), key(k)).unwrap(),
            None => builder.with_no_client_auth(),
        };
        let conn = rustls::ClientConnection::new(
            Arc::new(config),
            ServerName::try_from("localhost").unwrap(),
        )
        .unwrap();
        let sock = TcpStream::connect(addr)?;
        sock.set_read_timeout(Some(Duration::from_secs(5)))?;
        let mut client = Client {
            tls: rustls::StreamOwned::new(conn, sock),
        };
        let greeting = client.line()?;
        Ok((client, greeting))
    }

    fn line(&mut self) -> std::io::Result<String> {
        let mut out = Vec::new();
        let mut byte = [0u8; 1];
        loop {
            match self.tls.read(&mut byte)? {
                0 => break,
                _ if byte[0] == b'\n' => break,
                _ => out.push(byte[0]),
            }
        }
        Ok(String::from_utf8_lossy(&out).into_owned())
    }

    fn echo(&mut self, text: &str) -> std::io::Result<String> {
        self.tls.write_all(format!("{text}\n").as_bytes())?;
        self.tls.flush()?;
        self.line()
    }
}

fn pin_of(sb: &Sandbox, file: &str) -> String {
    stdout_of(
        sb.cmd_realtime()
            .args(["pin", "--bare", "--leaf-only", file]),
    )
    .trim()
    .to_owned()
}

fn issue(sb: &Sandbox, args: &[&str]) {
    sb.cmd_realtime()
        .args(["cert", "issue"])
        .args(args)
        .assert()
        .success();
}

/// A sandbox with a root CA, a server certificate for localhost and a
/// client certificate, as plain files.
fn pki() -> Sandbox {
    let sb = Sandbox::new();
    sb.cmd_realtime()
        .args(["ca", "create", "root"])
        .assert()
        .success();
    sb.cmd_realtime()
        .args(["ca", "create", "other"])
        .assert()
        .success();
    issue(
        &sb,
        &[
            "localhost",
            "127.0.0.1",
            "--ca",
            "root",
            "--cert-out",
            "srv.pem",
            "--key-out",
            "srv.key",
        ],
    );
    issue(
        &sb,
        &[
            "client1",
            "--ca",
            "root",
            "--usage",
            "client",
            "--cert-out",
            "cl.pem",
            "--key-out",
            "cl.key",
        ],
    );
    issue(
        &sb,
        &[
            "intruder",
            "--ca",
            "other",
            "--usage",
            "client",
            "--cert-out",
            "bad.pem",
            "--key-out",
            "bad.key",
        ],
    );
    let root = std::fs::read(sb.store().join("cas/root/ca.pem")).unwrap();
    std::fs::write(sb.path("root.pem"), root).unwrap();
    let other = std::fs::read(sb.store().join("cas/other/ca.pem")).unwrap();
    std::fs::write(sb.path("other.pem"), other).unwrap();
    sb
}

fn probe_json(sb: &Sandbox, args: &[&str], code: i32) -> Value {
    let out = sb
        .cmd()
        .args(["--json", "probe"])
        .args(args)
        .assert()
        .code(code)
        .get_output()
        .stdout
        .clone();
    serde_json::from_slice(&out).unwrap()
}

#[test]
fn probe_shows_the_chain_verifies_it_and_checks_the_pin() {
    let sb = pki();
    let served = Served::start(&sb, &["--cert", "srv.pem", "--key", "srv.key"]);
    let pin = pin_of(&sb, "srv.pem");
    let report = probe_json(
        &sb,
        &[
            &served.addr,
            "--ca",
            "root.pem",
            "--sni",
            "localhost",
            "--pin",
            &pin,
        ],
        0,
    );
    assert_eq!(report["ok"], true);
    assert_eq!(report["chain"][0]["pin_sha256"], pin.as_str());
    assert_eq!(report["chain"][0]["subject"], "CN=localhost");
    assert_eq!(report["verified"]["ok"], true);
    assert_eq!(report["pin_matches"], true);
    assert!(report["nats"].is_null());
    // Without --sni the host (an IP) is the name: the IP SAN verifies too.
    let by_ip = probe_json(&sb, &[&served.addr, "--ca", "root.pem"], 0);
    assert_eq!(by_ip["verified"]["server_name"], "127.0.0.1");
    // A pin that is not the leaf's, and a bundle that does not trust it.
    let other_pin = pin_of(&sb, "cl.pem");
    let report = probe_json(&sb, &[&served.addr, "--pin", &other_pin], 1);
    assert!(
        report["failures"][0]
            .as_str()
            .unwrap()
            .starts_with("pin: the served leaf's pin")
    );
    let report = probe_json(
        &sb,
        &[&served.addr, "--ca", "other.pem", "--sni", "localhost"],
        1,
    );
    assert_eq!(report["verified"]["reason"]["reason"], "unknown_issuer");
    let report = probe_json(
        &sb,
        &[&served.addr, "--ca", "root.pem", "--sni", "other.example"],
        1,
    );
    assert_eq!(report["verified"]["reason"]["reason"], "name_mismatch");
    // The human form names what failed.
    sb.cmd_realtime()
        .args(["probe", &served.addr, "--pin", &other_pin])
        .assert()
        .code(1)
        .stdout(
            predicate::str::contains("Result: FAILED")
                .and(predicate::str::contains("pin: the served leaf's pin")),
        );
}

#[test]
fn probe_with_mtls_presents_a_client_certificate() {
    let sb = pki();
    let served = Served::start(
        &sb,
        &["--cert", "srv.pem", "--key", "srv.key", "--ca", "root.pem"],
    );
    let ok = probe_json(
        &sb,
        &[
            &served.addr,
            "--ca",
            "root.pem",
            "--sni",
            "localhost",
            "--cert",
            "cl.pem",
            "--key",
            "cl.key",
        ],
        0,
    );
    assert_eq!(ok["ok"], true);
    served.wait_for("client CN=client1", 1);
    let refused = probe_json(&sb, &[&served.addr, "--sni", "localhost"], 1);
    assert!(
        refused["failures"][0]
            .as_str()
            .unwrap()
            .contains("pass --cert and --key"),
        "{refused}"
    );
    let intruder = probe_json(
        &sb,
        &[
            &served.addr,
            "--sni",
            "localhost",
            "--cert",
            "bad.pem",
            "--key",
            "bad.key",
        ],
        1,
    );
    assert!(
        intruder["failures"][0]
            .as_str()
            .unwrap()
            .contains("refused this client certificate"),
        "{intruder}"
    );
}

#[test]
fn serve_rotates_new_handshakes_and_keeps_old_connections() {
    let sb = pki();
    std::fs::copy(sb.path("srv.pem"), sb.path("live.pem")).unwrap();
    std::fs::copy(sb.path("srv.key"), sb.path("live.key")).unwrap();
    let served = Served::start(&sb, &["--cert", "live.pem", "--key", "live.key", "--watch"]);
    let old_pin = pin_of(&sb, "srv.pem");
    let (mut before, greeting) = Client::connect(&served.addr, &sb.path("root.pem"), None).unwrap();
    assert_eq!(greeting, format!("hello from tlsctl serve: pin {old_pin}"));

    // A new certificate and key, written the wrong way round and broken on
    // the way: each bad state is logged and the old material kept.
    issue(
        &sb,
        &[
            "localhost",
            "127.0.0.1",
            "--ca",
            "root",
            "--cert-out",
            "new.pem",
            "--key-out",
            "new.key",
        ],
    );
    let new_pin = pin_of(&sb, "new.pem");
    let new_cert = std::fs::read(sb.path("new.pem")).unwrap();
    std::fs::write(sb.path("live.pem"), &new_cert[..new_cert.len() / 2]).unwrap();
    served.wait_for("kept the old material", 1);
    let (_, greeting) = Client::connect(&served.addr, &sb.path("root.pem"), None).unwrap();
    assert_eq!(
        greeting,
        format!("hello from tlsctl serve: pin {old_pin}"),
        "a half-written cert is not served"
    );
    std::fs::write(sb.path("live.pem"), &new_cert).unwrap();
    served.wait_for("do not match", 1);
    let (_, greeting) = Client::connect(&served.addr, &sb.path("root.pem"), None).unwrap();
    assert_eq!(
        greeting,
        format!("hello from tlsctl serve: pin {old_pin}"),
        "a mismatched pair is not served"
    );
    std::fs::copy(sb.path("new.key"), sb.path("live.key")).unwrap();
    served.wait_for("reloaded: now serving", 1);

    let (mut after, greeting) = Client::connect(&served.addr, &sb.path("root.pem"), None).unwrap();
    assert_eq!(greeting, format!("hello from tlsctl serve: pin {new_pin}"));
    assert_eq!(
        before.echo("still here").unwrap(),
        "still here",
        "the old connection survives"
    );
    assert_eq!(after.echo("new one").unwrap(), "new one");
    let log = served.log_text();
    assert!(
        log.contains(&format!("served pin {old_pin}"))
            && log.contains(&format!("served pin {new_pin}")),
        "{log}"
    );
}

#[test]
fn serve_follows_a_versioned_renewal() {
    let sb = pki();
    issue(
        &sb,
        &["localhost", "127.0.0.1", "--ca", "root", "--out", "node"],
    );
    let served = Served::start(
        &sb,
        &[
            "--cert",
            "node/cert.pem",
            "--key",
            "node/key.pem",
            "--watch",
        ],
    );
    let old_pin = pin_of(&sb, "node/cert.pem");
    let (mut before, _) = Client::connect(&served.addr, &sb.path("root.pem"), None).unwrap();
    sb.cmd_realtime()
        .args(["cert", "renew", "node/cert.pem", "--rekey"])
        .assert()
        .success();
    served.wait_for("reloaded: now serving", 1);
    let new_pin = pin_of(&sb, "node/cert.pem");
    assert_ne!(old_pin, new_pin);
    let (_, greeting) = Client::connect(&served.addr, &sb.path("root.pem"), None).unwrap();
    assert_eq!(greeting, format!("hello from tlsctl serve: pin {new_pin}"));
    assert_eq!(before.echo("ok").unwrap(), "ok");
    assert!(
        !served.log_text().contains("kept the old material"),
        "one rename, never a mixed pair:\n{}",
        served.log_text()
    );
}

/// Accepts one connection on a background thread and runs `f` on it.
fn fake_server(f: impl FnOnce(TcpStream) + Send + 'static) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    std::thread::spawn(move || {
        if let Ok((stream, _)) = listener.accept() {
            f(stream);
        }
    });
    addr
}

#[test]
fn probe_speaks_nats_upgrading_after_info() {
    let sb = pki();
    let config = rustls::ServerConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(certs(&sb.path("srv.pem")), key(&sb.path("srv.key")))
        .unwrap();
    let config = Arc::new(config);
    let addr = fake_server(move |mut stream| {
        stream
            .write_all(
                b"INFO {\"server_id\":\"NFAKE\",\"version\":\"2.9.10\",\"tls_required\":true}\r\n",
            )
            .unwrap();
        let conn = rustls::ServerConnection::new(config).unwrap();
        let mut tls = rustls::StreamOwned::new(conn, stream);
        // A real client sends CONNECT, then PING.
        let mut reader = BufReader::new(&mut tls);
        let mut connect = String::new();
        let mut ping = String::new();
        if reader.read_line(&mut connect).is_ok()
            && connect.starts_with("CONNECT {")
            && reader.read_line(&mut ping).is_ok()
            && ping == "PING\r\n"
        {
            let _ = tls.write_all(b"PONG\r\n");
            let _ = tls.flush();
        }
        std::thread::sleep(Duration::from_millis(200));
    });
    let report = probe_json(&sb, &[&addr, "--ca", "root.pem", "--sni", "localhost"], 0);
    assert_eq!(report["nats"]["version"], "2.9.10");
    assert_eq!(report["nats"]["tls_required"], true);
    assert_eq!(
        report["session"],
        "accepted: CONNECT and PING answered with PONG"
    );
    assert_eq!(report["outcome"], "ok");
    assert_eq!(report["verified"]["ok"], true);
}

#[test]
fn probe_failures_are_clear_and_bounded() {
    let sb = Sandbox::new();
    // Nothing listening.
    let free = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .to_string();
    sb.cmd_realtime()
        .args(["probe", &free])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("connection refused"));
    // Garbage instead of INFO or TLS.
    let addr = fake_server(|mut s| {
        let _ = s.write_all(b"HTTP/1.1 400 Bad Request\r\n\r\n");
        std::thread::sleep(Duration::from_millis(300));
    });
    sb.cmd_realtime()
        .args(["probe", &addr])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "neither a NATS INFO line nor TLS: HTTP/1.1 400",
        ));
    // A NATS server without TLS.
    let addr = fake_server(|mut s| {
        let _ = s.write_all(
            b"INFO {\"server_id\":\"N\",\"version\":\"2.9.10\",\"tls_required\":false}\r\n",
        );
        std::thread::sleep(Duration::from_millis(300));
    });
    sb.cmd_realtime()
        .args(["probe", &addr])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("does not offer TLS"));
    // A server that accepts and then says nothing, ever: the probe gives up
    // within its timeout.
    let addr = fake_server(|mut s| {
        let mut sink = Vec::new();
        let _ = s.read_to_end(&mut sink);
    });
    let start = Instant::now();
    sb.cmd_realtime()
        .args(["probe", &addr, "--timeout", "1.5"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no answer within 1.5s"));
    assert!(
        start.elapsed() < Duration::from_secs(4),
        "took {:?}",
        start.elapsed()
    );
    // A server that closes at once.
    let addr = fake_server(drop);
    sb.cmd_realtime()
        .args(["probe", &addr])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("closed the connection"));
    sb.cmd_realtime()
        .args(["probe", "no-port-here"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not a HOST:PORT address"));
}

#[test]
fn nats_config_prints_a_checked_block() {
    let sb = pki();
    let out = stdout_of(sb.cmd_realtime().args([
        "nats",
        "config",
        "--cert",
        "srv.pem",
        "--key",
        "srv.key",
        "--ca",
        "root.pem",
        "--verify",
        "--pin",
        "cl.pem",
        "--timeout",
        "3",
    ]));
    let dir = sb.dir.path().display().to_string();
    let pin = pin_of(&sb, "cl.pem");
    assert!(
        out.starts_with(
            "# tlsctl nats config: CN=localhost (serverAuth + clientAuth), valid until "
        ),
        "{out}"
    );
    assert!(out.contains(&format!("tls {{\n  cert_file: \"{dir}/srv.pem\"\n  key_file: \"{dir}/srv.key\"\n  ca_file: \"{dir}/root.pem\"\n  verify: true\n  timeout: 3\n  pinned_certs: [\n    # CN=client1 (cl.pem)\n    \"{pin}\"\n  ]\n}}\n")), "{out}");
    // Cluster: both EKUs needed; verify implied.
    issue(
        &sb,
        &[
            "route.example",
            "--ca",
            "root",
            "--usage",
            "server",
            "--cert-out",
            "r.pem",
            "--key-out",
            "r.key",
        ],
    );
    // A route forms when either direction verifies: a serverAuth-only node
    // is fragile (routes form only while the other node dials it), not down.
    sb.cmd_realtime()
        .args([
            "nats", "config", "--cert", "r.pem", "--key", "r.key", "--ca", "root.pem", "--block",
            "cluster",
        ])
        .assert()
        .success()
        .stderr(
            predicate::str::contains("lacks clientAuth: a route forms when either direction")
                .and(predicate::str::contains(
                    "only while the other node dials this one",
                ))
                .and(predicate::str::contains("--usage dual")),
        );
    // A gateway needs both.
    sb.cmd_realtime()
        .args([
            "nats", "config", "--cert", "r.pem", "--key", "r.key", "--ca", "root.pem", "--block",
            "gateway",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "lacks clientAuth for the gateway block",
        ));
    let cluster = stdout_of(sb.cmd_realtime().args([
        "nats", "config", "--cert", "srv.pem", "--key", "srv.key", "--ca", "root.pem", "--block",
        "cluster",
    ]));
    assert!(
        cluster.contains("cluster {\n")
            && cluster.contains("    # verify is always on for this block\n")
    );
    // Refusals and warnings.
    sb.cmd_realtime()
        .args([
            "nats", "config", "--cert", "srv.pem", "--key", "cl.key", "--ca", "root.pem",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("do not belong together"));
    sb.cmd_realtime()
        .args([
            "nats",
            "config",
            "--cert",
            "srv.pem",
            "--key",
            "srv.key",
            "--ca",
            "root.pem",
            "--verify-known-urls",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "accepted only in cluster and gateway",
        ));
    sb.cmd_realtime()
        .args([
            "nats", "config", "--cert", "srv.pem", "--key", "srv.key", "--ca", "root.pem", "--pin",
            "cl.pem",
        ])
        .assert()
        .success()
        .stderr(predicate::str::contains("pinned_certs without --verify"));
    sb.cmd_realtime()
        .args([
            "nats",
            "config",
            "--cert",
            "srv.pem",
            "--key",
            "srv.key",
            "--ca",
            "other.pem",
        ])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "does not verify against other.pem",
        ));
    sb.cmd_realtime()
        .args([
            "nats",
            "config",
            "--cert",
            "srv.pem",
            "--key",
            "srv.key",
            "--ca",
            "root.pem",
            "--handshake-first",
        ])
        .assert()
        .success()
        .stderr(predicate::str::contains("needs nats-server 2.10.4"))
        .stdout(predicate::str::contains("handshake_first: true"));
    let json: Value = serde_json::from_str(&stdout_of(sb.cmd_realtime().args([
        "--json", "nats", "config", "--cert", "srv.pem", "--key", "srv.key", "--ca", "root.pem",
    ])))
    .unwrap();
    assert!(
        json["config"]
            .as_str()
            .unwrap()
            .starts_with("# tlsctl nats config")
    );
    assert_eq!(json["block"]["block"], "tls");
}

#[test]
fn nats_config_refuses_a_ca_pin_and_warns_when_a_cluster_list_lacks_the_node() {
    let sb = pki();
    // A CA's pin admits no one: NATS pins the peer's leaf.
    sb.cmd_realtime()
        .args([
            "nats", "config", "--cert", "srv.pem", "--key", "srv.key", "--ca", "root.pem",
            "--verify", "--pin", "root.pem",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "--pin root.pem: O=tlsctl, CN=root is a CA certificate",
        ));
    // A shared cluster list without this node's own key: the other nodes
    // would refuse it.
    let out = sb
        .cmd_realtime()
        .args([
            "--json", "nats", "config", "--cert", "srv.pem", "--key", "srv.key", "--ca",
            "root.pem", "--block", "cluster", "--pin", "cl.pem",
        ])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "the pins lack this node's own key",
        ))
        .get_output()
        .stdout
        .clone();
    let doc: Value = serde_json::from_slice(&out).unwrap();
    assert!(
        doc["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w["code"] == "own-pin-missing"),
        "{doc}"
    );
    let with_own = sb
        .cmd_realtime()
        .args([
            "nats", "config", "--cert", "srv.pem", "--key", "srv.key", "--ca", "root.pem",
            "--block", "cluster", "--pin", "cl.pem", "--pin", "srv.pem",
        ])
        .assert()
        .success()
        .get_output()
        .stderr
        .clone();
    assert!(!String::from_utf8_lossy(&with_own).contains("own key"));
}

#[test]
fn handshake_first_is_written_where_nats_server_takes_it() {
    let sb = pki();
    let args = |block: &str| {
        vec![
            "nats".to_owned(),
            "config".into(),
            "--cert".into(),
            "srv.pem".into(),
            "--key".into(),
            "srv.key".into(),
            "--ca".into(),
            "root.pem".into(),
            "--block".into(),
            block.into(),
            "--handshake-first".into(),
        ]
    };
    // Leafnodes take it since 2.10.0.
    sb.cmd_realtime()
        .args(args("leafnodes"))
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "handshake_first in the leafnodes block needs nats-server 2.10.0",
        ))
        .stdout(predicate::str::contains("handshake_first: true"));
    // Routes do not.
    sb.cmd_realtime()
        .args(args("cluster"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "handshake_first applies to client and leafnode connections",
        ));
}

#[test]
fn a_live_endpoint_is_a_bundle_diff_peer_and_a_file_of_that_name_wins() {
    let sb = pki();
    let served = Served::start(&sb, &["--cert", "srv.pem", "--key", "srv.key"]);
    // The served chain is judged like a chain file: trusted by root.pem,
    // not by other.pem.
    let out = sb
        .cmd_realtime()
        .args([
            "--json",
            "bundle",
            "diff",
            "root.pem",
            "other.pem",
            "--peer",
            &served.addr,
        ])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["peers"][0]["peer"], served.addr.as_str());
    assert_eq!(doc["peers"][0]["verdict"], "lost");
    // A file named like the endpoint is read as the file, without network.
    std::fs::copy(sb.path("cl.pem"), sb.path(&served.addr)).unwrap();
    let out = sb
        .cmd_realtime()
        .args([
            "--json",
            "bundle",
            "diff",
            "root.pem",
            "other.pem",
            "--peer",
            &served.addr,
        ])
        .output()
        .unwrap();
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["peers"][0]["subject"], "CN=client1");
}

#[test]
fn probe_expires_within_fails_on_a_served_certificate_that_expires_soon() {
    let sb = pki();
    issue(
        &sb,
        &[
            "short.example",
            "--ca",
            "root",
            "--days",
            "10",
            "--cert-out",
            "short.pem",
            "--key-out",
            "short.key",
        ],
    );
    let served = Served::start(&sb, &["--cert", "short.pem", "--key", "short.key"]);
    sb.cmd_realtime()
        .args(["probe", &served.addr, "--expires-within", "30d"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("expiry: CN=short.example"));
    sb.cmd_realtime()
        .args(["probe", &served.addr, "--expires-within", "5d"])
        .assert()
        .success();
}

#[test]
fn serve_json_writes_one_event_a_line() {
    let sb = pki();
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("tlsctl"))
        .args([
            "--json",
            "serve",
            "--cert",
            "srv.pem",
            "--key",
            "srv.key",
            "--listen",
            "127.0.0.1:0",
        ])
        .env("TLSCTL_HOME", sb.store())
        .current_dir(sb.dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Bounded: a server that never says what the test waits for is killed.
    let pid = child.id().to_string();
    std::thread::spawn(move || {
        std::thread::sleep(Duration::from_secs(20));
        let _ = Command::new("kill").arg(&pid).status();
    });
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first: Value = serde_json::from_str(&lines.next().unwrap().unwrap()).unwrap();
    assert_eq!(first["event"], "listening");
    let addr = first["address"].as_str().unwrap().to_owned();
    let second: Value = serde_json::from_str(&lines.next().unwrap().unwrap()).unwrap();
    assert_eq!(second["event"], "log");
    assert!(
        second["message"]
            .as_str()
            .unwrap()
            .starts_with("serving CN=localhost")
    );
    assert!(second["time"].as_str().unwrap().ends_with('Z'));
    // A handshake is an event too.
    let _ = std::process::Command::new(assert_cmd::cargo::cargo_bin("tlsctl"))
        .args(["probe", &addr, "--timeout", "3"])
        .env("TLSCTL_HOME", sb.store())
        .output()
        .unwrap();
    let third: Value = serde_json::from_str(&lines.next().unwrap().unwrap()).unwrap();
    assert!(
        third["message"]
            .as_str()
            .unwrap()
            .contains("handshake from"),
        "{third}"
    );
    let _ = child.kill();
    let _ = child.wait();
}
