//! Against a real nats-server (TLSCTL_INTEROP=1): a server reloaded over
//! and over while `cert renew --rekey` rotates a versioned `--out`
//! directory never ends up serving a mismatched pair, because nats-server
//! refuses a reload whose key does not match its certificate and keeps the
//! old pair; and a ca_file with no readable certificate is refused at
//! startup (why `bundle diff` refuses one), while one with some
//! unreadable blocks is loaded.

use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::interop::enabled;
use crate::natsrv::{NatsBinary, NatsServer, free_port, nats_binaries};
use crate::support::{Sandbox, fixture};

fn pin(sb: &Sandbox, file: &Path) -> String {
    let out = sb
        .cmd_realtime()
        .args(["pin", "--bare", "--leaf-only"])
        .arg(file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

/// The pin nats-server serves, from a probe whose handshake succeeded
/// (so the server signed with the key of the certificate it sent).
fn served_pin(sb: &Sandbox, addr: &str, ca: &Path) -> String {
    let out = sb
        .cmd_realtime()
        .args(["--json", "probe", addr, "--sni", "localhost", "--ca"])
        .arg(ca)
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|_| panic!("probe said: {}", String::from_utf8_lossy(&out.stderr)));
    assert_eq!(report["tls"], true, "{report}");
    assert_eq!(report["verified"]["ok"], true, "{report}");
    report["chain"][0]["pin_sha256"]
        .as_str()
        .unwrap()
        .to_owned()
}

fn reload(server_pid: u32) {
    let _ = Command::new("kill")
        .args(["-HUP", &server_pid.to_string()])
        .status();
}

/// The nats-server's PID (the harness keeps the child private): the one
/// process whose command line names this config file.
fn pid_of(conf: &Path) -> u32 {
    let out = Command::new("pgrep")
        .arg("-f")
        .arg(conf.display().to_string())
        .output()
        .unwrap();
    let pids: Vec<u32> = String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .filter_map(|p| p.parse().ok())
        .collect();
    assert_eq!(
        pids.len(),
        1,
        "nats-server processes for {}: {pids:?}",
        conf.display()
    );
    pids[0]
}

fn wait_for_log(server: &NatsServer, needle: &str, count: usize) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while server.log_text().matches(needle).count() < count {
        assert!(
            Instant::now() < deadline,
            "no {needle:?} ({count}x) in the nats-server log:\n{}",
            server.log_text()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn nats_server_reloaded_during_50_rekeying_renewals_never_serves_a_mismatched_pair() {
    if !enabled() {
        return;
    }
    for bin in nats_binaries() {
        reloaded_during_renewals(&bin);
    }
}

fn reloaded_during_renewals(bin: &NatsBinary) {
    let sb = Sandbox::new();
    sb.cmd_realtime()
        .args([
            "-q",
            "cert",
            "issue",
            "localhost",
            "127.0.0.1",
            "--out",
            "tls",
        ])
        .assert()
        .success();
    let dir = sb.path("tls");
    let port = free_port();
    let config = format!(
        "listen: 127.0.0.1:{port}\ntls {{\n  cert_file: \"{}\"\n  key_file: \"{}\"\n}}\n",
        dir.join("cert.pem").display(),
        dir.join("key.pem").display()
    );
    let server = NatsServer::start_with(bin, sb.dir.path(), "rotating", &config, port);
    let pid = pid_of(&sb.path("rotating.conf"));
    let ca = dir.join("ca.pem");
    let addr = server.addr();
    let mut issued = vec![pin(&sb, &dir.join("key.pem"))];
    assert_eq!(served_pin(&sb, &addr, &ca), issued[0]);

    // A reloader that never stops while the renewals run: some reloads
    // read cert.pem of one version and key.pem of the next.
    let stop = Arc::new(AtomicBool::new(false));
    let reloader = {
        let stop = Arc::clone(&stop);
        std::thread::spawn(move || {
            let mut sent = 0u32;
            while !stop.load(Ordering::Relaxed) {
                reload(pid);
                sent += 1;
                std::thread::sleep(Duration::from_millis(3));
            }
            sent
        })
    };
    for round in 0..50 {
        sb.cmd_realtime()
            .args(["-q", "cert", "renew", "--rekey"])
            .arg(dir.join("cert.pem"))
            .assert()
            .success();
        issued.push(pin(&sb, &dir.join("key.pem")));
        // Whatever it serves now verifies, and is a pair tlsctl issued.
        let served = served_pin(&sb, &addr, &ca);
        assert!(
            issued.contains(&served),
            "round {round}: nats-server serves {served}, which no renewal issued"
        );
    }
    stop.store(true, Ordering::Relaxed);
    let sent = reloader.join().unwrap();
    // One calm reload: it lands on the last pair.
    let reloads_before = server
        .log_text()
        .matches("Reloaded server configuration")
        .count();
    reload(pid);
    wait_for_log(&server, "Reloaded server configuration", reloads_before + 1);
    assert_eq!(served_pin(&sb, &addr, &ca), *issued.last().unwrap());
    let log = server.log_text();
    let refused = log.matches("private key does not match public key").count();
    eprintln!(
        "nats-server {}: {sent} reloads during 50 rekeying renewals: {} applied, {refused} \
         refused a mismatched pair (and kept the old one)",
        bin.version,
        log.matches("Reloaded server configuration").count()
    );
}

#[test]
fn nats_server_refuses_a_reload_whose_key_does_not_match_and_keeps_the_old_pair() {
    if !enabled() {
        return;
    }
    for bin in nats_binaries() {
        refuses_mismatched_reload(&bin);
    }
}

fn refuses_mismatched_reload(bin: &NatsBinary) {
    let sb = Sandbox::new();
    sb.cmd_realtime()
        .args([
            "-q",
            "cert",
            "issue",
            "localhost",
            "127.0.0.1",
            "--cert-out",
            "a.pem",
            "--key-out",
            "a.key",
        ])
        .assert()
        .success();
    std::fs::copy(sb.store().join("cas/default/ca.pem"), sb.path("ca.pem")).unwrap();
    let port = free_port();
    let config = format!(
        "listen: 127.0.0.1:{port}\ntls {{\n  cert_file: \"{}\"\n  key_file: \"{}\"\n}}\n",
        sb.path("a.pem").display(),
        sb.path("a.key").display()
    );
    let server = NatsServer::start_with(bin, sb.dir.path(), "plain", &config, port);
    let pid = pid_of(&sb.path("plain.conf"));
    let old = pin(&sb, &sb.path("a.key"));
    // Half a rotation: the key replaced, the certificate not yet.
    std::fs::copy(fixture("chain/leaf-r.key"), sb.path("a.key")).unwrap();
    reload(pid);
    wait_for_log(&server, "private key does not match public key", 1);
    assert_eq!(
        served_pin(&sb, &server.addr(), &sb.path("ca.pem")),
        old,
        "the old pair is still served"
    );
}

/// Starts nats-server on a config and says whether it is up within 5 s
/// (`Err(log)` when it exited).
fn starts(sb: &Sandbox, name: &str, ca_file: &Path) -> Result<(), String> {
    sb.cmd_realtime()
        .args([
            "-q",
            "cert",
            "issue",
            "localhost",
            "--cert-out",
            "s.pem",
            "--key-out",
            "s.key",
            "--force",
        ])
        .assert()
        .success();
    let port = free_port();
    let conf = sb.path(&format!("{name}.conf"));
    let log = sb.path(&format!("{name}.log"));
    std::fs::write(
        &conf,
        format!(
            "listen: 127.0.0.1:{port}\ntls {{\n  cert_file: \"{}\"\n  key_file: \"{}\"\n  ca_file: \"{}\"\n  verify: true\n}}\n",
            sb.path("s.pem").display(),
            sb.path("s.key").display(),
            ca_file.display()
        ),
    )
    .unwrap();
    let mut child = Command::new("nats-server")
        .arg("-c")
        .arg(&conf)
        .arg("-l")
        .arg(&log)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(5);
    let outcome = loop {
        if let Ok(Some(_)) = child.try_wait() {
            let mut stderr = String::new();
            use std::io::Read;
            child
                .stderr
                .take()
                .unwrap()
                .read_to_string(&mut stderr)
                .ok();
            break Err(stderr + &std::fs::read_to_string(&log).unwrap_or_default());
        }
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            break Ok(());
        }
        assert!(
            Instant::now() < deadline,
            "nats-server neither started nor exited"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    let _ = child.kill();
    let _ = child.wait();
    outcome
}

#[test]
fn nats_server_refuses_a_ca_file_with_no_readable_certificate_and_loads_a_partly_readable_one() {
    if !enabled() {
        return;
    }
    let sb = Sandbox::new();
    let root = std::fs::read_to_string(fixture("chain/root.pem")).unwrap();
    let bad = std::fs::read_to_string(fixture("misc/bad-base64.pem")).unwrap();
    let key = std::fs::read_to_string(fixture("keys/p256.pem")).unwrap();
    for (name, text) in [("bad-only", bad.clone()), ("key-only", key)] {
        let path = sb.write(&format!("{name}.pem"), text);
        let refused = starts(&sb, name, &path).expect_err(name);
        assert!(
            refused.contains("failed to parse root ca certificate"),
            "{name}: {refused}"
        );
    }
    let partly = sb.write("partly.pem", format!("{root}{bad}"));
    starts(&sb, "partly", &partly).unwrap();
}
