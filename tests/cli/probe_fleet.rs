//! `tlsctl probe` beyond one endpoint, without outside tools: the served
//! chain saved as PEM and carried in --json, credentials read only from
//! files (or a terminal), and a fleet found from a monitoring port (an
//! HTTP imitation written here) with what could not be reached named.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::Arc;
use std::time::{Duration, Instant};

use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;
use serde_json::Value;

use crate::probe_hostile::{drip, hostile, hostile_n, nats_like, tls_server};
use crate::support::Sandbox;

const INFO: &[u8] = b"INFO {\"server_id\":\"NFLEET\",\"server_name\":\"n1\",\"version\":\"2.15.1\",\"tls_required\":true,\"client_id\":3}\r\n";

/// A NATS imitation that answers every CONNECT+PING with PONG (n times).
fn pong_server(config: Arc<rustls::ServerConfig>) -> String {
    nats_like(config, INFO, |tls| {
        let _ = tls.write_all(b"PONG\r\n");
        let _ = tls.flush();
        std::thread::sleep(Duration::from_millis(200));
    })
}

fn certs(pem: &[u8]) -> Vec<CertificateDer<'static>> {
    CertificateDer::pem_slice_iter(pem)
        .collect::<Result<_, _>>()
        .unwrap()
}

#[test]
fn save_chain_writes_the_served_chain_and_json_carries_each_pem() {
    let (sb, config) = tls_server();
    let addr = pong_server(Arc::clone(&config));
    let out = sb
        .cmd_realtime()
        .args(["--json", "probe", &addr, "--save-chain", "served.pem"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let served = std::fs::read(sb.path("srv.pem")).unwrap();
    let saved = std::fs::read(sb.path("served.pem")).unwrap();
    assert_eq!(
        certs(&saved),
        certs(&served),
        "the saved chain is the one served"
    );
    let from_json: Vec<CertificateDer<'static>> = report["chain"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| certs(c["pem"].as_str().unwrap().as_bytes()))
        .collect();
    assert_eq!(from_json, certs(&served));
    assert_eq!(report["outcome"], "ok");
    assert_eq!(report["kind"], "client");
    // The saved file is a chain tlsctl itself reads, and its pin is the probe's.
    let pin = sb
        .cmd_realtime()
        .args(["pin", "--bare", "--leaf-only", "served.pem"])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&pin.stdout).trim(),
        report["chain"][0]["pin_sha256"].as_str().unwrap()
    );
    // Several endpoints cannot share one file.
    let out = sb
        .cmd_realtime()
        .args(["probe", &addr, &addr, "--save-chain", "x.pem"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--save-chain takes one endpoint"));
    assert!(!sb.path("x.pem").exists());
}

#[test]
fn a_password_never_comes_from_the_command_line() {
    let sb = Sandbox::new();
    // No terminal to ask on, and no file: refused before any connection.
    let out = sb
        .cmd()
        .args(["probe", "127.0.0.1:9", "--user", "alice"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("--user needs --password-file FILE"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = sb
        .cmd()
        .args(["probe", "127.0.0.1:9", "--password", "x"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "there is no --password flag");
    sb.write("empty.pass", "\n");
    let out = sb
        .cmd()
        .args([
            "probe",
            "127.0.0.1:9",
            "--user",
            "a",
            "--password-file",
            "empty.pass",
        ])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("empty.pass: the first line is empty"));
    sb.write("bad.creds", "not a creds file\n");
    let out = sb
        .cmd()
        .args(["probe", "127.0.0.1:9", "--creds", "bad.creds"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("bad.creds: no NATS USER JWT block"));
}

/// An HTTP imitation of a monitoring port: `pages` maps a path to a body;
/// anything else is a 404.
fn monitor(pages: Vec<(&'static str, String)>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    std::thread::spawn(move || {
        for _ in 0..16 {
            let Ok((mut s, _)) = listener.accept() else {
                return;
            };
            let mut request = Vec::new();
            let mut buf = [0u8; 1024];
            while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                match s.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => request.extend_from_slice(&buf[..n]),
                }
            }
            let line = String::from_utf8_lossy(&request).into_owned();
            let path = line.split_whitespace().nth(1).unwrap_or("").to_owned();
            let answer = match pages.iter().find(|(p, _)| *p == path) {
                Some((_, body)) => {
                    format!("HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n{body}")
                }
                None => "HTTP/1.0 404 Not Found\r\n\r\n".to_owned(),
            };
            let _ = s.write_all(answer.as_bytes());
        }
    });
    format!("http://{addr}")
}

#[test]
fn a_fleet_found_from_a_monitoring_port_is_probed_and_the_unreachable_named() {
    let (sb, config) = tls_server();
    let nats = pong_server(Arc::clone(&config));
    let nats_port: u16 = nats.rsplit_once(':').unwrap().1.parse().unwrap();
    let closed = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let varz = format!(
        r#"{{"server_name":"n1","host":"0.0.0.0","port":{nats_port},
            "cluster":{{"addr":"127.0.0.1","cluster_port":{closed}}},"gateway":{{}},"leaf":{{}}}}"#
    );
    let url = monitor(vec![
        ("/varz", varz),
        ("/leafz", r#"{"leafs":[]}"#.to_owned()),
    ]);
    let out = sb
        .cmd_realtime()
        .args(["--json", "probe", "--from-monitor", &url, "--timeout", "3"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["monitors"][0]["ok"], true);
    assert_eq!(report["monitors"][0]["found"], 2);
    let endpoints = report["endpoints"].as_array().unwrap();
    assert_eq!(endpoints.len(), 2, "{report}");
    // 0.0.0.0 is the monitor's host.
    assert_eq!(
        endpoints[0]["address"],
        format!("127.0.0.1:{nats_port}").as_str()
    );
    assert_eq!(endpoints[0]["source"], "n1 /varz client");
    assert_eq!(endpoints[0]["outcome"], "ok");
    assert_eq!(
        endpoints[1]["address"],
        format!("127.0.0.1:{closed}").as_str()
    );
    assert_eq!(endpoints[1]["source"], "n1 /varz cluster");
    assert_eq!(endpoints[1]["outcome"], "unreachable");
    assert!(
        endpoints[1]["error"]
            .as_str()
            .unwrap()
            .contains("connection refused")
    );
}

#[test]
fn a_monitor_that_cannot_be_read_is_named_within_the_deadline() {
    let sb = Sandbox::new();
    let dripping =
        hostile(|mut s| drip(&mut s, b"HTTP/1.0 200 OK\r\n", Duration::from_millis(300)));
    let not_http = hostile_n(3, |mut s| {
        let _ = s.write_all(b"INFO {}\r\n");
        std::thread::sleep(Duration::from_millis(200));
    });
    let start = Instant::now();
    let out = sb
        .cmd_realtime()
        .args([
            "probe",
            "--from-monitor",
            &format!("http://{dripping}"),
            "--from-monitor",
            &format!("http://{not_http}"),
            "--from-monitor",
            "https://secure.example:8222",
            "--timeout",
            "1.5",
        ])
        .output()
        .unwrap();
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "{:?}",
        start.elapsed()
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains(&format!(
            "Monitor http://{dripping}: could not be read: no complete answer within 1.5s"
        )),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "Monitor http://{not_http}: could not be read: not an HTTP answer"
        )),
        "{text}"
    );
    assert!(
        text.contains("not an http://HOST:PORT monitoring URL"),
        "{text}"
    );
    assert!(text.contains("Result: FAILED"), "{text}");
}

#[test]
fn an_info_line_that_comes_late_is_still_read() {
    // The server greets 300 ms after accepting: after the short wait a
    // loopback round trip earns, so the first attempt starts TLS too early;
    // the probe starts again with the full wait and gets it right.
    let (sb, config) = tls_server();
    let addr = hostile_n(2, move |mut s| {
        std::thread::sleep(Duration::from_millis(300));
        if s.write_all(INFO).is_err() {
            return;
        }
        let conn = rustls::ServerConnection::new(Arc::clone(&config)).unwrap();
        let mut tls = rustls::StreamOwned::new(conn, s);
        let mut buf = [0u8; 4096];
        let mut got = Vec::new();
        while !got.windows(6).any(|w| w == b"PING\r\n") {
            match tls.read(&mut buf) {
                Ok(0) | Err(_) => return,
                Ok(n) => got.extend_from_slice(&buf[..n]),
            }
        }
        let _ = tls.write_all(b"PONG\r\n");
        let _ = tls.flush();
        std::thread::sleep(Duration::from_millis(200));
    });
    let out = sb
        .cmd_realtime()
        .args(["--json", "probe", &addr])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["kind"], "client");
    assert_eq!(report["tls_first"], false);
    assert_eq!(report["outcome"], "ok");
}
