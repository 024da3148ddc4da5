//! `tlsctl serve` cannot be knocked over: a thread that cannot be started,
//! file descriptors running out, a line without end and a crowd of
//! connections each cost at most a connection, never the process, a core
//! or unbounded memory.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName};

use crate::support::Sandbox;

/// The limits `net::serve` promises (kept in step with the source).
const MAX_LINE: usize = 64 * 1024;
const MAX_CONNECTIONS: usize = 256;

/// A sandbox with `srv.pem`/`srv.key` for localhost and the CA as `ca.pem`.
fn material() -> Sandbox {
    let sb = Sandbox::new();
    sb.cmd_realtime()
        .args([
            "-q",
            "cert",
            "issue",
            "localhost",
            "127.0.0.1",
            "--cert-out",
            "srv.pem",
            "--key-out",
            "srv.key",
        ])
        .assert()
        .success();
    std::fs::copy(sb.store().join("cas/default/ca.pem"), sb.path("ca.pem")).unwrap();
    sb
}

/// A `tlsctl serve` child started through `sh -c` (for `ulimit`), killed
/// when dropped.
struct Served {
    child: Child,
    addr: String,
    log: PathBuf,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Served {
    /// `shell_prefix` runs before `exec tlsctl serve ...` (a `ulimit`).
    fn start(sb: &Sandbox, shell_prefix: &str, env: &[(&str, &str)], extra: &[&str]) -> Served {
        let log = sb.path("serve.log");
        let script = format!(
            "{shell_prefix} exec \"$0\" serve --cert srv.pem --key srv.key --listen 127.0.0.1:0 \"$@\""
        );
        let mut cmd = Command::new("sh");
        cmd.arg("-c")
            .arg(script)
            .arg(assert_cmd::cargo::cargo_bin("tlsctl"))
            .args(extra)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("TLSCTL_HOME", sb.store())
            .current_dir(sb.dir.path())
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(&log).unwrap());
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().unwrap();
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

    fn wait_for_log(&self, needle: &str) {
        let deadline = Instant::now() + Duration::from_secs(5);
        while !self.log_text().contains(needle) {
            assert!(
                Instant::now() < deadline,
                "no {needle:?} in the log:\n{}",
                self.log_text()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// User + system CPU time of the process so far.
    fn cpu(&self) -> Duration {
        let stat = std::fs::read_to_string(format!("/proc/{}/stat", self.child.id())).unwrap();
        // Fields after the parenthesised command name; utime and stime are
        // the 14th and 15th fields of the whole line.
        let rest = &stat[stat.rfind(')').unwrap() + 2..];
        let fields: Vec<&str> = rest.split_whitespace().collect();
        let ticks: u64 = fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap();
        Duration::from_millis(ticks * 10) // USER_HZ is 100 on Linux
    }

    /// The peak resident set (VmHWM) so far, in bytes.
    fn peak_rss(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap();
        let line = status.lines().find(|l| l.starts_with("VmHWM:")).unwrap();
        let kb: u64 = line.split_whitespace().nth(1).unwrap().parse().unwrap();
        kb * 1024
    }

    fn still_running(&mut self) -> bool {
        self.child.try_wait().unwrap().is_none()
    }
}

type Tls = rustls::StreamOwned<rustls::ClientConnection, TcpStream>;

/// A TLS connection trusting `ca`, and the server's greeting line.
fn connect(addr: &str, ca: &Path) -> std::io::Result<(Tls, String)> {
    let mut roots = rustls::RootCertStore::empty();
    for c in CertificateDer::pem_file_iter(ca).unwrap() {
        roots.add(c.unwrap()).unwrap();
    }
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::aws_lc_rs::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_root_certificates(roots)
    .with_no_client_auth();
    let conn =
        rustls::ClientConnection::new(Arc::new(config), ServerName::try_from("localhost").unwrap())
            .unwrap();
    let sock = TcpStream::connect(addr)?;
    sock.set_read_timeout(Some(Duration::from_secs(5)))?;
    let mut tls = rustls::StreamOwned::new(conn, sock);
    let greeting = line(&mut tls)?;
    Ok((tls, greeting))
}

fn line(tls: &mut Tls) -> std::io::Result<String> {
    let mut out = Vec::new();
    let mut byte = [0u8; 1];
    loop {
        match tls.read(&mut byte)? {
            0 => break,
            _ if byte[0] == b'\n' => break,
            _ => out.push(byte[0]),
        }
    }
    Ok(String::from_utf8_lossy(&out).into_owned())
}

/// Connects with TLS, retrying for up to 5 s (the server may be backing
/// off or freeing slots).
fn connect_within_5s(addr: &str, ca: &Path) -> (Tls, String) {
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        match connect(addr, ca) {
            Ok((tls, greeting)) if greeting.starts_with("hello from tlsctl serve") => {
                return (tls, greeting);
            }
            other => assert!(
                Instant::now() < deadline,
                "no TLS connection within 5 s: {:?}",
                other.map(|(_, g)| g)
            ),
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Whether the server closes `sock` within `wait` (a read returns EOF or a
/// reset) rather than keeping it open.
fn closed_within(sock: &mut TcpStream, wait: Duration) -> bool {
    sock.set_read_timeout(Some(wait)).unwrap();
    let mut buf = [0u8; 64];
    match sock.read(&mut buf) {
        Ok(0) => true,
        Ok(_) => false,
        Err(e) => !matches!(
            e.kind(),
            std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
        ),
    }
}

#[test]
fn serve_survives_a_thread_it_cannot_start() {
    let sb = material();
    // Every thread asks for a 1 TiB stack (RUST_MIN_STACK) under a 4 GiB
    // address-space limit: no thread can start, the main one runs.
    let no_threads = [("RUST_MIN_STACK", "1099511627776")];
    let mut served = Served::start(&sb, "ulimit -v 4194304 &&", &no_threads, &[]);
    let mut sock = TcpStream::connect(&served.addr).unwrap();
    assert!(
        closed_within(&mut sock, Duration::from_secs(5)),
        "the connection without a thread is closed"
    );
    std::thread::sleep(Duration::from_millis(200));
    assert!(served.still_running(), "log:\n{}", served.log_text());
    served.wait_for_log("cannot start a thread for it");
    assert!(!served.log_text().contains("panicked"));

    // With --watch the watcher thread is needed: an error, exit 2.
    drop(served);
    let out = Command::new("sh")
        .arg("-c")
        .arg("ulimit -v 4194304 && exec \"$0\" serve --cert srv.pem --key srv.key --listen 127.0.0.1:0 --watch")
        .arg(assert_cmd::cargo::cargo_bin("tlsctl"))
        .env_clear()
        .env("RUST_MIN_STACK", "1099511627776")
        .env("TLSCTL_HOME", sb.store())
        .current_dir(sb.dir.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("tlsctl: serving: cannot start the thread that watches the files"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn serve_backs_off_when_file_descriptors_run_out_and_recovers() {
    let sb = material();
    let mut served = Served::start(&sb, "ulimit -n 24 &&", &[], &[]);
    // Hold more connections than the process has descriptors for: the
    // rest wait in the backlog and every accept fails with EMFILE.
    let mut held: Vec<TcpStream> = (0..40)
        .map(|_| TcpStream::connect(&served.addr).unwrap())
        .collect();
    std::thread::sleep(Duration::from_millis(300));
    let before = served.cpu();
    std::thread::sleep(Duration::from_millis(2000));
    let spent = served.cpu() - before;
    assert!(
        spent < Duration::from_millis(300),
        "serve spent {spent:?} of CPU in 2 s with no descriptors left (spinning)"
    );
    eprintln!("no descriptors left: serve spent {spent:?} of CPU in 2 s");
    assert!(served.still_running());
    served.wait_for_log("cannot accept a connection");
    assert!(served.log_text().contains("Too many open files"));
    // Once the connections go, serve accepts again.
    held.clear();
    let (_tls, greeting) = connect_within_5s(&served.addr, &sb.path("ca.pem"));
    assert!(greeting.starts_with("hello from tlsctl serve: pin "));
    served.wait_for_log("accepting connections again");
}

#[test]
fn serve_closes_a_line_without_end_and_stays_small() {
    let sb = material();
    let mut served = Served::start(&sb, "", &[], &[]);
    let (mut tls, _) = connect_within_5s(&served.addr, &sb.path("ca.pem"));
    // A line at the limit is echoed whole.
    let at_limit = "a".repeat(MAX_LINE - 1);
    tls.write_all(format!("{at_limit}\n").as_bytes()).unwrap();
    tls.flush().unwrap();
    assert_eq!(line(&mut tls).unwrap(), at_limit);
    let baseline = served.peak_rss();
    // 32 MiB without a newline: the server stops reading after 64 KiB.
    let chunk = vec![b'x'; 64 * 1024];
    let mut sent = 0usize;
    while sent < 32 << 20 {
        if tls.write_all(&chunk).and_then(|()| tls.flush()).is_err() {
            break;
        }
        sent += chunk.len();
    }
    std::thread::sleep(Duration::from_millis(300));
    let grown = served.peak_rss().saturating_sub(baseline);
    assert!(
        grown < 8 << 20,
        "serve grew by {grown} bytes on an endless line ({sent} bytes sent)"
    );
    eprintln!("an endless line: {sent} bytes sent, peak RSS grew by {grown} bytes");
    served.wait_for_log("sent a line longer than 65536 bytes");
    assert!(served.still_running());
    // Others are still served.
    let (mut other, _) = connect_within_5s(&served.addr, &sb.path("ca.pem"));
    other.write_all(b"ping\n").unwrap();
    other.flush().unwrap();
    assert_eq!(line(&mut other).unwrap(), "ping");
}

#[test]
fn serve_bounds_concurrent_connections() {
    let sb = material();
    let mut served = Served::start(&sb, "", &[], &[]);
    // Fill every slot with a silent connection (each waits for its
    // handshake), then some more.
    let mut held: Vec<TcpStream> = (0..MAX_CONNECTIONS)
        .map(|_| TcpStream::connect(&served.addr).unwrap())
        .collect();
    let mut extra: Vec<TcpStream> = (0..4)
        .map(|_| TcpStream::connect(&served.addr).unwrap())
        .collect();
    for sock in &mut extra {
        assert!(
            closed_within(sock, Duration::from_secs(3)),
            "a connection over the limit is closed at once"
        );
    }
    served.wait_for_log(&format!("already serving {MAX_CONNECTIONS} connections"));
    assert!(
        !closed_within(&mut held[0], Duration::from_millis(200)),
        "the connections within the limit stay open"
    );
    assert!(served.still_running());
    // Slots come back when connections close.
    held.clear();
    let (_tls, greeting) = connect_within_5s(&served.addr, &sb.path("ca.pem"));
    assert!(greeting.starts_with("hello from tlsctl serve: pin "));
}
