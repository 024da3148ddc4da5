//! The oracle of the nats-server config reader: `nats-server -t -c FILE`
//! must accept exactly the configurations the reader accepts, over the
//! generated corpus of tests/cli/natsconf.rs, on Debian's 2.9.10 (read with
//! `Dialect::V2_9`) and on 2.15.1 (`Dialect::V2_15`). Runs under
//! TLSCTL_INTEROP=1; every server run is bounded by a timeout.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use tlsctl::pki::natsconf::Dialect;

use crate::interop::enabled;
use crate::natsconf::{Case, corpus, semantic_problem, write_case};
use crate::natsrv::{NatsBinary, nats_2_9, nats_2_15};

/// What a release says of a config: accepted, and its first output line.
fn server_verdict(bin: &NatsBinary, c: &Case, dir: &Path) -> (bool, String) {
    let mut cmd = Command::new(&bin.path);
    cmd.arg("-t")
        .arg("-c")
        .arg(dir.join("main.conf"))
        .current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in &c.env {
        cmd.env(k, v);
    }
    let mut child = cmd
        .spawn()
        .unwrap_or_else(|e| panic!("{} could not be run: {e}", bin.path.display()));
    let limit = if c.slow { 60 } else { 10 };
    let deadline = Instant::now() + Duration::from_secs(limit);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break Some(status);
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let out = child.wait_with_output().unwrap();
    let mut text = String::from_utf8_lossy(&out.stdout).into_owned();
    text.push_str(&String::from_utf8_lossy(&out.stderr));
    let first = text
        .lines()
        .next()
        .unwrap_or("")
        .chars()
        .take(160)
        .collect();
    match status {
        Some(s) => (s.success(), first),
        None => (false, format!("timed out after {limit}s")),
    }
}

fn reader_verdict(c: &Case, dir: &Path, dialect: Dialect) -> (bool, String) {
    match c.read(dir, dialect) {
        Ok(cfg) => match semantic_problem(&cfg) {
            None => (true, "ok".to_string()),
            Some(p) => (false, format!("parses; option check: {p}")),
        },
        Err(e) => (false, e.to_string()),
    }
}

#[test]
fn nats_server_accepts_exactly_what_the_reader_accepts_on_2_9_and_2_15() {
    if !enabled() {
        return;
    }
    let bins = [(nats_2_9(), Dialect::V2_9), (nats_2_15(), Dialect::V2_15)];
    let all = corpus();
    let tmp = tempfile::tempdir().unwrap();
    let mut disagreements = Vec::new();
    let mut releases_differ = Vec::new();
    let mut accepted = [0usize; 2];
    for (n, c) in all.iter().enumerate() {
        let dir = tmp.path().join(format!("case{n:03}"));
        write_case(c, &dir);
        let mut verdicts = Vec::new();
        for (k, (bin, dialect)) in bins.iter().enumerate() {
            let (server_ok, server_says) = server_verdict(bin, c, &dir);
            let (reader_ok, reader_says) = reader_verdict(c, &dir, *dialect);
            if server_ok {
                accepted[k] += 1;
            }
            if server_ok != reader_ok {
                disagreements.push(format!(
                    "{} on {}: server {} ({server_says}), reader {} ({reader_says})",
                    c.name,
                    bin.version,
                    if server_ok { "accepts" } else { "refuses" },
                    if reader_ok { "accepts" } else { "refuses" },
                ));
            }
            verdicts.push(server_ok);
        }
        if verdicts[0] != verdicts[1] {
            releases_differ.push(format!(
                "{}: 2.9.10 {}, 2.15.1 {}",
                c.name,
                if verdicts[0] { "accepts" } else { "refuses" },
                if verdicts[1] { "accepts" } else { "refuses" }
            ));
        }
    }
    eprintln!(
        "natsconf oracle: {} configs; 2.9.10 accepts {}, 2.15.1 accepts {}; {} disagreements",
        all.len(),
        accepted[0],
        accepted[1],
        disagreements.len()
    );
    eprintln!("where the releases differ ({}):", releases_differ.len());
    for d in &releases_differ {
        eprintln!("  {d}");
    }
    assert!(
        disagreements.is_empty(),
        "{} disagreements:\n{}",
        disagreements.len(),
        disagreements.join("\n")
    );
}
