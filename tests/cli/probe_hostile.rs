//! Hostile servers against `tlsctl probe`: each one is written here, on
//! loopback, and each probe must end within its one deadline (however the
//! peer drips bytes), with exit 2 and a message that says what happened.
//! A server that answers with control characters must not reach the
//! terminal raw.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use serde_json::Value;

use crate::support::Sandbox;

/// Slack over the deadline for process start and exit on a busy machine.
const MARGIN: Duration = Duration::from_millis(1500);

/// Accepts connections on a background thread, running `f` on each (at
/// most `n`), and returns the address.
pub fn hostile_n(n: usize, f: impl Fn(TcpStream) + Send + Sync + 'static) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let f = Arc::new(f);
    std::thread::spawn(move || {
        for _ in 0..n {
            let Ok((stream, _)) = listener.accept() else {
                return;
            };
            let f = Arc::clone(&f);
            std::thread::spawn(move || f(stream));
        }
    });
    addr
}

pub fn hostile(f: impl Fn(TcpStream) + Send + Sync + 'static) -> String {
    hostile_n(1, f)
}

/// Writes `bytes` one at a time, `every` apart, until the peer goes away
/// (or 60 s, a bound on the test itself).
pub fn drip(stream: &mut impl Write, bytes: &[u8], every: Duration) {
    let start = Instant::now();
    for b in bytes.iter().cycle() {
        if stream
            .write_all(&[*b])
            .and_then(|()| stream.flush())
            .is_err()
            || start.elapsed() > Duration::from_secs(60)
        {
            return;
        }
        std::thread::sleep(every);
    }
}

/// Runs `tlsctl probe ADDR --timeout SECS`, asserts exit 2 within the
/// deadline (plus MARGIN) and a message containing `want`; returns stderr.
fn probe_fails_in_time(addr: &str, secs: f64, want: &str) -> String {
    let sb = Sandbox::new();
    let start = Instant::now();
    let out = sb
        .cmd_realtime()
        .args(["probe", addr, "--timeout", &secs.to_string()])
        .timeout(Duration::from_secs(30))
        .output()
        .unwrap();
    let elapsed = start.elapsed();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(2), "stderr: {stderr}");
    assert!(stderr.contains(want), "wanted {want:?} in: {stderr}");
    assert!(
        elapsed < Duration::from_secs_f64(secs) + MARGIN,
        "took {elapsed:?} for a {secs}s deadline: {stderr}"
    );
    stderr
}

const INFO_TLS: &[u8] =
    b"INFO {\"server_id\":\"NHOSTILE\",\"version\":\"2.9.10\",\"tls_required\":true}\r\n";

#[test]
fn a_server_dripping_its_info_line_cannot_stretch_the_deadline() {
    let addr = hostile(|mut s| {
        drip(
            &mut s,
            b"INFO {\"server_id\":\"N",
            Duration::from_millis(300),
        );
    });
    let stderr = probe_fails_in_time(&addr, 2.0, "no answer within 2.0s (reading the INFO line");
    assert!(stderr.contains("bytes and no end of line"), "{stderr}");
}

#[test]
fn a_server_dripping_its_tls_answer_cannot_stretch_the_deadline() {
    // INFO, then a TLS record header that never completes.
    let addr = hostile(|mut s| {
        let _ = s.write_all(INFO_TLS);
        let mut hello = [0u8; 512];
        let _ = s.read(&mut hello);
        drip(
            &mut s,
            &[0x16, 0x03, 0x03, 0x40, 0x00],
            Duration::from_millis(300),
        );
    });
    probe_fails_in_time(
        &addr,
        2.0,
        "no answer within 2.0s (during the TLS handshake)",
    );
}

#[test]
fn a_hundred_megabyte_info_line_is_refused_after_64_kib() {
    let addr = hostile(|mut s| {
        if s.write_all(b"INFO {\"server_id\":\"").is_err() {
            return;
        }
        let chunk = vec![b'A'; 1024 * 1024];
        for _ in 0..100 {
            if s.write_all(&chunk).is_err() {
                return;
            }
        }
    });
    let stderr = probe_fails_in_time(&addr, 5.0, "INFO line is longer than 65536 bytes; refused");
    assert!(stderr.len() < 1024, "the line is not echoed: {stderr}");
}

#[test]
fn garbage_instead_of_tls_is_a_clear_failure() {
    // After an INFO that promises TLS, the answer to the ClientHello is not TLS.
    let addr = hostile(|mut s| {
        let _ = s.write_all(INFO_TLS);
        let mut hello = [0u8; 512];
        let _ = s.read(&mut hello);
        let _ = s.write_all(b"HTTP/1.1 400 Bad Request\r\n\r\n");
        std::thread::sleep(Duration::from_millis(500));
    });
    probe_fails_in_time(
        &addr,
        5.0,
        "TLS handshake failed: the server's answer is not TLS",
    );
    // A server that waits for the ClientHello and then answers with text.
    let addr = hostile(|mut s| {
        let mut hello = [0u8; 512];
        let _ = s.read(&mut hello);
        let _ = s.write_all(b"SSH-2.0-OpenSSH_9.2\r\n");
        std::thread::sleep(Duration::from_millis(500));
    });
    probe_fails_in_time(&addr, 5.0, "TLS handshake failed");
    // Garbage from the first byte.
    let addr = hostile(|mut s| {
        let _ = s.write_all(b"\x1b[2J\x1b[31mHELLO\r\n");
        std::thread::sleep(Duration::from_millis(500));
    });
    let stderr = probe_fails_in_time(&addr, 5.0, "neither a NATS INFO line nor TLS");
    assert!(
        !stderr.contains('\x1b'),
        "escape sequences are shown, not sent: {stderr:?}"
    );
}

#[test]
fn a_silent_server_ends_the_probe_at_its_deadline() {
    let addr = hostile(|mut s| {
        let mut sink = Vec::new();
        let _ = s.read_to_end(&mut sink);
    });
    probe_fails_in_time(
        &addr,
        1.5,
        "no answer within 1.5s (during the TLS handshake)",
    );
}

#[test]
fn an_early_close_is_a_clear_failure() {
    let addr = hostile(drop);
    probe_fails_in_time(&addr, 5.0, "closed the connection without sending anything");
    let addr = hostile(|mut s| {
        let _ = s.write_all(b"INFO {\"server_id\":\"N\"");
    });
    probe_fails_in_time(
        &addr,
        5.0,
        "closed the connection in the middle of its greeting",
    );
    let addr = hostile(|mut s| {
        let _ = s.write_all(INFO_TLS);
        let mut hello = [0u8; 512];
        let _ = s.read(&mut hello);
    });
    probe_fails_in_time(&addr, 5.0, "closed the connection during the TLS handshake");
}

/// A sandbox with a server certificate for 127.0.0.1 and its rustls config.
pub fn tls_server() -> (Sandbox, Arc<rustls::ServerConfig>) {
    let sb = Sandbox::new();
    sb.cmd_realtime()
        .args(["ca", "create", "root"])
        .assert()
        .success();
    sb.cmd_realtime()
        .args([
            "cert",
            "issue",
            "localhost",
            "127.0.0.1",
            "--ca",
            "root",
            "--cert-out",
            "srv.pem",
            "--key-out",
            "srv.key",
        ])
        .assert()
        .success();
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(sb.path("srv.pem"))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let key = PrivateKeyDer::from_pem_file(sb.path("srv.key")).unwrap();
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::aws_lc_rs::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_no_client_auth()
    .with_single_cert(certs, key)
    .unwrap();
    (sb, Arc::new(config))
}

/// A NATS imitation: INFO, TLS, then `after` on the TLS stream once the
/// client's CONNECT and PING came.
pub fn nats_like(
    config: Arc<rustls::ServerConfig>,
    info: &'static [u8],
    after: impl Fn(&mut rustls::StreamOwned<rustls::ServerConnection, TcpStream>)
    + Send
    + Sync
    + 'static,
) -> String {
    hostile(move |mut s| {
        let _ = s.write_all(info);
        let conn = rustls::ServerConnection::new(Arc::clone(&config)).unwrap();
        let mut tls = rustls::StreamOwned::new(conn, s);
        let mut lines = Vec::new();
        {
            let mut reader = BufReader::new(&mut tls);
            for _ in 0..2 {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 {
                    return;
                }
                lines.push(line);
            }
        }
        after(&mut tls);
    })
}

#[test]
fn a_server_dripping_after_connect_cannot_stretch_the_deadline() {
    let (_sb, config) = tls_server();
    let addr = nats_like(config, INFO_TLS, |tls| {
        drip(tls, b"+OK", Duration::from_millis(300));
    });
    probe_fails_in_time(
        &addr,
        2.0,
        "no answer within 2.0s (waiting for the answer to CONNECT and PING)",
    );
}

#[test]
fn a_server_streaming_a_huge_line_after_connect_is_cut_off() {
    let (_sb, config) = tls_server();
    let addr = nats_like(config, INFO_TLS, |tls| {
        let chunk = vec![b'x'; 64 * 1024];
        for _ in 0..(100 * 16) {
            if tls.write_all(&chunk).is_err() {
                return;
            }
        }
    });
    probe_fails_in_time(&addr, 5.0, "a line longer than 65536 bytes");
}

#[test]
fn control_characters_from_the_server_never_reach_the_terminal() {
    let (sb, config) = tls_server();
    let info: &'static [u8] = b"INFO {\"server_id\":\"N\\u001b[2J\",\"server_name\":\"evil\\r\\nResult: OK\",\"version\":\"2.9.10\\u009b31m\",\"tls_required\":true}\r\n";
    let addr = nats_like(config, info, |tls| {
        let _ = tls.write_all(b"-ERR 'Authorization Violation\x1b]0;owned\x07'\r\n");
        let _ = tls.flush();
        std::thread::sleep(Duration::from_millis(300));
    });
    let out = sb
        .cmd_realtime()
        .args(["probe", &addr])
        .timeout(Duration::from_secs(20))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    for bad in ['\x1b', '\u{9b}', '\x07', '\r'] {
        assert!(!stdout.contains(bad), "{bad:?} reached stdout: {stdout:?}");
    }
    assert!(stdout.contains("evil\\r\\nResult: OK"), "{stdout}");
    assert!(
        stdout.contains("authentication refused after a good TLS handshake"),
        "{stdout}"
    );
    assert_eq!(
        stdout.lines().filter(|l| l.starts_with("Result:")).count(),
        1,
        "no forged result line: {stdout}"
    );
}

#[test]
fn many_hostile_endpoints_share_one_deadline_each_in_parallel() {
    // Sixteen silent servers and one closed port: all run at once, so the
    // whole run takes about one deadline, and the table names each failure.
    let silent: Vec<String> = (0..16)
        .map(|_| {
            hostile(|mut s| {
                let mut sink = Vec::new();
                let _ = s.read_to_end(&mut sink);
            })
        })
        .collect();
    let closed = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .to_string();
    let sb = Sandbox::new();
    let mut args = vec!["--json".to_owned(), "probe".to_owned()];
    args.extend(silent.iter().cloned());
    args.push(closed.clone());
    args.extend(["--timeout".to_owned(), "1.5".to_owned()]);
    let start = Instant::now();
    let out = sb
        .cmd_realtime()
        .args(&args)
        .timeout(Duration::from_secs(30))
        .output()
        .unwrap();
    let elapsed = start.elapsed();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        elapsed < Duration::from_millis(1500) + MARGIN,
        "17 endpoints took {elapsed:?}"
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let endpoints = report["endpoints"].as_array().unwrap();
    assert_eq!(endpoints.len(), 17);
    assert_eq!(report["ok"], false);
    for (e, addr) in endpoints.iter().zip(silent.iter().chain([&closed])) {
        assert_eq!(e["address"], addr.as_str(), "in the order given");
        assert_eq!(e["outcome"], "unreachable");
    }
    assert!(
        endpoints[16]["error"]
            .as_str()
            .unwrap()
            .contains("connection refused")
    );
    assert!(
        endpoints[0]["error"]
            .as_str()
            .unwrap()
            .contains("no answer within 1.5s")
    );
}

#[test]
fn control_characters_in_the_served_certificate_are_shown_escaped() {
    let key = rcgen::KeyPair::generate().unwrap();
    let mut params = rcgen::CertificateParams::new(vec!["localhost".to_owned()]).unwrap();
    params.distinguished_name = rcgen::DistinguishedName::new();
    params.distinguished_name.push(
        rcgen::DnType::CommonName,
        rcgen::DnValue::Utf8String("evil\u{1b}[31m\r\nResult: OK".to_owned()),
    );
    let cert = params.self_signed(&key).unwrap();
    let config = Arc::new(
        rustls::ServerConfig::builder_with_provider(Arc::new(
            rustls::crypto::aws_lc_rs::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(
            vec![cert.der().clone()],
            PrivateKeyDer::try_from(key.serialize_der()).unwrap(),
        )
        .unwrap(),
    );
    let pong = |tls: &mut rustls::StreamOwned<rustls::ServerConnection, TcpStream>| {
        let _ = tls.write_all(b"PONG\r\n");
        let _ = tls.flush();
        std::thread::sleep(Duration::from_millis(200));
    };
    let addr = nats_like(Arc::clone(&config), INFO_TLS, pong);
    let json_addr = nats_like(config, INFO_TLS, pong);
    let sb = Sandbox::new();
    let out = sb.cmd_realtime().args(["probe", &addr]).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(
        !stdout.contains('\u{1b}') && !stdout.contains('\r'),
        "{stdout:?}"
    );
    assert_eq!(
        stdout.lines().filter(|l| l.starts_with("Result:")).count(),
        1
    );
    assert!(stdout.contains("\\u{1b}[31m\\r\\nResult: OK"), "{stdout}");
    // JSON carries the name as the certificate model holds it: its control
    // characters escaped visibly, as everywhere (a script that prints a
    // field cannot be tricked either).
    let out = sb
        .cmd_realtime()
        .args(["--json", "probe", &json_addr])
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        report["chain"][0]["subject"]
            .as_str()
            .unwrap()
            .contains("\\u{1b}[31m\\r\\nResult: OK"),
        "{report}"
    );
}

#[test]
fn a_flood_of_short_lines_after_connect_is_cut_off() {
    let (_sb, config) = tls_server();
    let addr = nats_like(config, INFO_TLS, |tls| {
        let lines = b"+OK\r\n".repeat(16 * 1024);
        for _ in 0..100 {
            if tls.write_all(&lines).is_err() {
                return;
            }
        }
    });
    probe_fails_in_time(&addr, 5.0, "bytes without answering PING");
}
