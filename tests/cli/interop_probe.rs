//! `tlsctl probe` against real nats-server 2.9.10 and 2.15.1, on every kind
//! of port: a client port with a user and password and with a token
//! (accepted with the credentials, "authentication refused" without, never
//! called a certificate problem), a leafnode port, a route and a gateway
//! with mutual TLS, `handshake_first` (2.15.1), and a client port with
//! `verify` that refuses a client certificate from another CA (TLS
//! refused). Run with TLSCTL_INTEROP=1 (as `.ci/run` does).

use serde_json::Value;

use crate::interop::enabled;
use crate::natsrv::{NatsBinary, NatsServer, free_port, nats_2_15, nats_binaries};
use crate::support::Sandbox;

fn run(sb: &Sandbox, args: &[&str]) {
    sb.cmd_realtime().args(args).assert().success();
}

/// A root CA, a dual-use certificate for localhost/127.0.0.1 (`srv/`), a
/// client certificate (`cl/`), one from another CA (`bad/`), and secret
/// files.
fn material() -> Sandbox {
    let sb = Sandbox::new();
    run(&sb, &["ca", "create", "root"]);
    run(&sb, &["ca", "create", "other"]);
    run(
        &sb,
        &[
            "cert",
            "issue",
            "localhost",
            "127.0.0.1",
            "--ca",
            "root",
            "--usage",
            "dual",
            "--out",
            "srv",
        ],
    );
    run(
        &sb,
        &[
            "cert", "issue", "client1", "--ca", "root", "--usage", "client", "--out", "cl",
        ],
    );
    run(
        &sb,
        &[
            "cert", "issue", "intruder", "--ca", "other", "--usage", "dual", "--out", "bad",
        ],
    );
    sb.write("alice.pass", "secret\n");
    sb.write("wrong.pass", "not-the-password\n");
    sb.write("token", "s3cr3t-token\n");
    sb
}

const TLS: &str = "tls { cert_file: srv/cert.pem, key_file: srv/key.pem }";
const MTLS: &str =
    "tls { cert_file: srv/cert.pem, key_file: srv/key.pem, ca_file: srv/ca.pem, verify: true }";

fn start(bin: &NatsBinary, sb: &Sandbox, name: &str, config: &str, port: u16) -> NatsServer {
    NatsServer::start_with(bin, sb.dir.path(), name, config, port)
}

/// `tlsctl --json probe ARGS`, asserting the exit code.
fn probe(sb: &Sandbox, args: &[&str], code: i32) -> Value {
    let out = sb
        .cmd_realtime()
        .args(["--json", "probe"])
        .args(args)
        .timeout(std::time::Duration::from_secs(30))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(code),
        "probe {args:?}: {stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_str(&stdout).unwrap()
}

fn failure(report: &Value) -> String {
    report["failures"][0]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

#[test]
fn a_client_port_with_a_password_or_a_token_is_an_authentication_matter() {
    if !enabled() {
        return;
    }
    let sb = material();
    for bin in nats_binaries() {
        let port = free_port();
        let server = start(
            &bin,
            &sb,
            "userpass",
            &format!(
                "listen: 127.0.0.1:{port}\n{TLS}\nauthorization {{ user: alice, password: secret }}\n"
            ),
            port,
        );
        let addr = server.addr();
        let ok = probe(
            &sb,
            &[
                &addr,
                "--ca",
                "srv/ca.pem",
                "--user",
                "alice",
                "--password-file",
                "alice.pass",
            ],
            0,
        );
        assert_eq!(ok["outcome"], "ok", "{bin:?} {ok}");
        assert_eq!(ok["kind"], "client");
        assert_eq!(ok["nats"]["version"], bin.version);
        assert_eq!(
            ok["session"],
            "accepted: CONNECT and PING answered with PONG"
        );
        // Without credentials: the handshake and the certificate are fine,
        // the login is not.
        let bare = probe(&sb, &[&addr, "--ca", "srv/ca.pem"], 1);
        assert_eq!(bare["outcome"], "auth_refused", "{bin:?} {bare}");
        assert_eq!(bare["verified"]["ok"], true);
        let f = failure(&bare);
        assert!(f.contains("Authorization Violation"), "{f}");
        assert!(f.contains("not a certificate problem"), "{f}");
        assert!(f.contains("--password-file"), "{f}");
        assert!(!f.contains("client certificate"), "{f}");
        let wrong = probe(
            &sb,
            &[&addr, "--user", "alice", "--password-file", "wrong.pass"],
            1,
        );
        assert_eq!(wrong["outcome"], "auth_refused");
        assert!(failure(&wrong).contains("it refused this user and password"));
        // The human words say the same.
        let out = sb.cmd_realtime().args(["probe", &addr]).output().unwrap();
        assert_eq!(out.status.code(), Some(1));
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            text.contains("Session: authentication refused after a good TLS handshake"),
            "{text}"
        );
        drop(server);

        let port = free_port();
        let server = start(
            &bin,
            &sb,
            "token",
            &format!("listen: 127.0.0.1:{port}\n{TLS}\nauthorization {{ token: s3cr3t-token }}\n"),
            port,
        );
        let addr = server.addr();
        let ok = probe(&sb, &[&addr, "--token-file", "token"], 0);
        assert_eq!(ok["outcome"], "ok", "{bin:?} {ok}");
        let bare = probe(&sb, &[&addr], 1);
        assert_eq!(bare["outcome"], "auth_refused", "{bin:?} {bare}");
        let wrong = probe(&sb, &[&addr, "--token-file", "wrong.pass"], 1);
        assert_eq!(wrong["outcome"], "auth_refused");
        assert!(failure(&wrong).contains("it refused this token"));
    }
}

#[test]
fn a_leafnode_port_is_found_and_its_login_checked() {
    if !enabled() {
        return;
    }
    let sb = material();
    sb.write("leaf.pass", "leafpw\n");
    for bin in nats_binaries() {
        let port = free_port();
        let leaf = free_port();
        let server = start(
            &bin,
            &sb,
            "leaf",
            &format!(
                "listen: 127.0.0.1:{port}\n{TLS}\nleafnodes {{ listen: 127.0.0.1:{leaf}\n{TLS}\n\
                 authorization {{ user: leaf, password: leafpw }} }}\n"
            ),
            port,
        );
        let addr = format!("127.0.0.1:{leaf}");
        let ok = probe(
            &sb,
            &[
                &addr,
                "--ca",
                "srv/ca.pem",
                "--user",
                "leaf",
                "--password-file",
                "leaf.pass",
            ],
            0,
        );
        assert_eq!(ok["kind"], "leafnode", "{bin:?} {ok}");
        assert_eq!(ok["outcome"], "ok");
        assert_eq!(ok["tls_first"], false);
        assert!(
            ok["session"]
                .as_str()
                .unwrap()
                .contains("leafnode port refuses client sessions"),
            "{ok}"
        );
        let bare = probe(&sb, &[&addr], 1);
        assert_eq!(bare["kind"], "leafnode");
        assert_eq!(bare["outcome"], "auth_refused", "{bin:?} {bare}");
        drop(server);
    }
}

#[test]
fn route_and_gateway_ports_with_mutual_tls_take_only_a_trusted_certificate() {
    if !enabled() {
        return;
    }
    let sb = material();
    for bin in nats_binaries() {
        let port = free_port();
        let route = free_port();
        let gateway = free_port();
        let server = start(
            &bin,
            &sb,
            "cluster",
            &format!(
                "listen: 127.0.0.1:{port}\nserver_name: n1\n{TLS}\n\
                 cluster {{ name: C1, listen: 127.0.0.1:{route}\n{MTLS} }}\n\
                 gateway {{ name: C1, listen: 127.0.0.1:{gateway}\n{MTLS} }}\n"
            ),
            port,
        );
        for (p, kind) in [(route, "route"), (gateway, "gateway")] {
            let addr = format!("127.0.0.1:{p}");
            let ok = probe(
                &sb,
                &[
                    &addr,
                    "--ca",
                    "srv/ca.pem",
                    "--sni",
                    "localhost",
                    "--cert",
                    "srv/cert.pem",
                    "--key",
                    "srv/key.pem",
                ],
                0,
            );
            assert_eq!(ok["kind"], kind, "{bin:?} {ok}");
            assert_eq!(ok["tls_first"], true, "a {kind} starts with TLS");
            assert_eq!(ok["outcome"], "ok");
            assert_eq!(ok["verified"]["ok"], true);
            let intruder = probe(
                &sb,
                &[&addr, "--cert", "bad/cert.pem", "--key", "bad/key.pem"],
                1,
            );
            assert_eq!(intruder["outcome"], "tls_refused", "{bin:?} {intruder}");
            assert!(failure(&intruder).contains("refused this client certificate"));
            let bare = probe(&sb, &[&addr], 1);
            assert_eq!(bare["outcome"], "tls_refused", "{bin:?} {bare}");
            assert!(failure(&bare).contains("pass --cert and --key"));
            // The served chain is there even when the session is refused.
            assert_eq!(bare["chain"][0]["subject"], "CN=localhost");
        }
        drop(server);
    }
}

#[test]
fn handshake_first_is_found_on_2_15() {
    if !enabled() {
        return;
    }
    let sb = material();
    let port = free_port();
    let _server = start(
        &nats_2_15(),
        &sb,
        "hsfirst",
        &format!(
            "listen: 127.0.0.1:{port}\n\
             tls {{ cert_file: srv/cert.pem, key_file: srv/key.pem, handshake_first: true }}\n"
        ),
        port,
    );
    let ok = probe(
        &sb,
        &[&format!("127.0.0.1:{port}"), "--ca", "srv/ca.pem"],
        0,
    );
    assert_eq!(ok["kind"], "client", "{ok}");
    assert_eq!(ok["tls_first"], true);
    assert_eq!(ok["nats"]["version"], "2.15.1");
    assert_eq!(ok["outcome"], "ok");
    let out = sb
        .cmd_realtime()
        .args(["probe", &format!("127.0.0.1:{port}")])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("client (handshake_first) port"));
}

/// The README runbook's step-4 check, against a client port with `verify`
/// and an authorization block: it passes with the client certificate and
/// the credentials; a certificate from another CA is TLS refused; the right
/// certificate without credentials is an authentication matter.
#[test]
fn a_client_port_with_verify_and_authorization_tells_certificate_from_login() {
    if !enabled() {
        return;
    }
    let sb = material();
    for bin in nats_binaries() {
        let port = free_port();
        let server = start(
            &bin,
            &sb,
            "verify",
            &format!(
                "listen: 127.0.0.1:{port}\n{MTLS}\nauthorization {{ user: alice, password: secret }}\n"
            ),
            port,
        );
        let addr = server.addr();
        let step4 = [
            addr.as_str(),
            "--ca",
            "srv/ca.pem",
            "--sni",
            "localhost",
            "--cert",
            "cl/cert.pem",
            "--key",
            "cl/key.pem",
        ];
        let mut with_login = step4.to_vec();
        with_login.extend(["--user", "alice", "--password-file", "alice.pass"]);
        let ok = probe(&sb, &with_login, 0);
        assert_eq!(ok["outcome"], "ok", "{bin:?} {ok}");
        assert_eq!(ok["nats"]["tls_verify"], true);
        let no_login = probe(&sb, &step4, 1);
        assert_eq!(no_login["outcome"], "auth_refused", "{bin:?} {no_login}");
        let intruder = probe(
            &sb,
            &[
                &addr,
                "--cert",
                "bad/cert.pem",
                "--key",
                "bad/key.pem",
                "--user",
                "alice",
                "--password-file",
                "alice.pass",
            ],
            1,
        );
        assert_eq!(intruder["outcome"], "tls_refused", "{bin:?} {intruder}");
        assert!(failure(&intruder).contains("the server refused this client certificate"));
        drop(server);
    }
}

/// Unpadded base64url, as JWTs and nats-server use it.
fn b64url(bytes: &[u8]) -> String {
    const ABC: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..=chunk.len() {
            out.push(ABC[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    out
}

/// A NATS JWT (v2) for `sub`, signed by `issuer`.
fn jwt(issuer: &nkeys::KeyPair, sub: &str, name: &str, nats: Value) -> String {
    let header = b64url(br#"{"typ":"JWT","alg":"ed25519-nkey"}"#);
    let claims = serde_json::json!({
        "jti": format!("{name}-{}", std::process::id()),
        "iat": 1_700_000_000,
        "iss": issuer.public_key(),
        "name": name,
        "sub": sub,
        "nats": nats,
    });
    let body = b64url(claims.to_string().as_bytes());
    let signed = format!("{header}.{body}");
    let sig = issuer.sign(signed.as_bytes()).unwrap();
    format!("{signed}.{}", b64url(&sig))
}

#[test]
fn a_creds_file_signs_the_nonce_in_operator_mode() {
    if !enabled() {
        return;
    }
    let sb = material();
    let operator = nkeys::KeyPair::new_operator();
    let account = nkeys::KeyPair::new_account();
    let user = nkeys::KeyPair::new_user();
    let op_jwt = jwt(
        &operator,
        &operator.public_key(),
        "op",
        serde_json::json!({"type": "operator", "version": 2}),
    );
    let acc_jwt = jwt(
        &operator,
        &account.public_key(),
        "acc",
        serde_json::json!({
            "limits": {"subs": -1, "data": -1, "payload": -1, "imports": -1, "exports": -1,
                       "wildcards": true, "conn": -1, "leaf": -1},
            "type": "account", "version": 2
        }),
    );
    let user_jwt = jwt(
        &account,
        &user.public_key(),
        "probe-user",
        serde_json::json!({"pub": {}, "sub": {}, "subs": -1, "data": -1, "payload": -1,
                           "type": "user", "version": 2}),
    );
    sb.write("op.jwt", &op_jwt);
    let creds = |seed: &str| {
        format!(
            "-----BEGIN NATS USER JWT-----\n{user_jwt}\n------END NATS USER JWT------\n\n\
             ************************* IMPORTANT *************************\n\
             NKEY Seed printed below can be used to sign and prove identity.\n\n\
             -----BEGIN USER NKEY SEED-----\n{seed}\n------END USER NKEY SEED------\n"
        )
    };
    sb.write("user.creds", creds(&user.seed().unwrap()));
    // The same JWT with another user's seed: the signature cannot match.
    sb.write(
        "stolen.creds",
        creds(&nkeys::KeyPair::new_user().seed().unwrap()),
    );
    for bin in nats_binaries() {
        let port = free_port();
        let server = start(
            &bin,
            &sb,
            "operator",
            &format!(
                "listen: 127.0.0.1:{port}\n{TLS}\noperator: op.jwt\nresolver: MEMORY\n\
                 resolver_preload: {{ {}: \"{acc_jwt}\" }}\n",
                account.public_key()
            ),
            port,
        );
        let addr = server.addr();
        let ok = probe(&sb, &[&addr, "--creds", "user.creds"], 0);
        assert_eq!(ok["outcome"], "ok", "{bin:?} {ok}\n{}", server.log_text());
        let stolen = probe(&sb, &[&addr, "--creds", "stolen.creds"], 1);
        assert_eq!(stolen["outcome"], "auth_refused", "{bin:?} {stolen}");
        assert!(failure(&stolen).contains("it refused this .creds file"));
        let bare = probe(&sb, &[&addr], 1);
        assert_eq!(bare["outcome"], "auth_refused");
        drop(server);
    }
}

#[test]
fn a_three_node_cluster_is_found_from_one_monitoring_url() {
    if !enabled() {
        return;
    }
    let sb = material();
    for bin in nats_binaries() {
        let clients: Vec<u16> = (0..3).map(|_| free_port()).collect();
        let routes: Vec<u16> = (0..3).map(|_| free_port()).collect();
        let http = free_port();
        let leaf = free_port();
        let seeds = routes
            .iter()
            .map(|p| format!("nats-route://127.0.0.1:{p}"))
            .collect::<Vec<_>>()
            .join(", ");
        let servers: Vec<NatsServer> = (0..3)
            .map(|i| {
                let extra = if i == 0 {
                    format!(
                        "http: 127.0.0.1:{http}\nleafnodes {{ listen: 127.0.0.1:{leaf}\n{TLS} }}\n"
                    )
                } else {
                    String::new()
                };
                start(
                    &bin,
                    &sb,
                    &format!("node{i}"),
                    &format!(
                        "listen: 127.0.0.1:{}\nserver_name: n{i}\n{TLS}\n{extra}\
                         cluster {{ name: C1, listen: 127.0.0.1:{}, routes: [{seeds}]\n{MTLS} }}\n",
                        clients[i], routes[i]
                    ),
                    clients[i],
                )
            })
            .collect();
        // Wait (bounded) until n0 has gossiped every member's client URL.
        let monitor = format!("http://127.0.0.1:{http}");
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        let report = loop {
            let out = sb
                .cmd_realtime()
                .args([
                    "--json",
                    "probe",
                    "--from-monitor",
                    &monitor,
                    "--ca",
                    "srv/ca.pem",
                    "--sni",
                    "localhost",
                    "--cert",
                    "srv/cert.pem",
                    "--key",
                    "srv/key.pem",
                    "--pin",
                    "srv/cert.pem",
                ])
                .output()
                .unwrap();
            let report: Value = serde_json::from_slice(&out.stdout).unwrap();
            if report["endpoints"].as_array().unwrap().len() >= 7 {
                assert_eq!(out.status.code(), Some(0), "{bin:?} {report}");
                break report;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "the cluster did not form: {report}"
            );
            std::thread::sleep(std::time::Duration::from_millis(200));
        };
        assert_eq!(report["monitors"][0]["ok"], true);
        let endpoints = report["endpoints"].as_array().unwrap();
        let kind_of = |port: u16| {
            endpoints
                .iter()
                .find(|e| e["address"] == format!("127.0.0.1:{port}").as_str())
                .unwrap_or_else(|| panic!("{port} not found in {report}"))["kind"]
                .clone()
        };
        for p in &clients {
            assert_eq!(kind_of(*p), "client", "{bin:?}");
        }
        for p in &routes {
            assert_eq!(kind_of(*p), "route", "{bin:?}");
        }
        assert_eq!(kind_of(leaf), "leafnode");
        for e in endpoints {
            assert_eq!(e["outcome"], "ok", "{e}");
            assert_eq!(e["pin_matches"], true);
            assert!(e["source"].as_str().unwrap().contains("/varz"));
        }
        // The table names every endpoint once.
        let text = String::from_utf8(
            sb.cmd_realtime()
                .args(["probe", "--from-monitor", &monitor])
                .output()
                .unwrap()
                .stdout,
        )
        .unwrap();
        assert!(text.starts_with("Monitor "), "{text}");
        assert!(text.contains("ENDPOINT"), "{text}");
        drop(servers);
    }
}
