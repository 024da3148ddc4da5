//! Hostile input, against every command that reads files: each input gets
//! its documented exit code (2 unless a row says otherwise), a message that
//! names the file, no panic, no key material on any stream, an answer well
//! within the hang guard, and no file changed.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use crate::support::{Sandbox, fixture};

/// A deterministic pseudo-random byte stream (no dependency, same bytes
/// every run).
fn noise(len: usize, mut seed: u64) -> Vec<u8> {
    (0..len)
        .map(|_| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as u8
        })
        .collect()
}

/// `depth` SEQUENCEs nested in DER with definite lengths, built from the
/// inside out without copying.
fn nested_der(depth: usize) -> Vec<u8> {
    let header = |len: usize| -> Vec<u8> {
        if len < 0x80 {
            vec![0x30, len as u8]
        } else {
            let bytes = (len as u32).to_be_bytes();
            let skip = bytes.iter().take_while(|b| **b == 0).count();
            let mut h = vec![0x30, 0x80 | (4 - skip) as u8];
            h.extend_from_slice(&bytes[skip..]);
            h
        }
    };
    let mut headers = Vec::with_capacity(depth);
    let mut len = 0;
    for _ in 0..depth {
        let h = header(len);
        len += h.len();
        headers.push(h);
    }
    headers.into_iter().rev().flatten().collect()
}

/// The hostile files, by name.
fn hostile_inputs(sb: &Sandbox) -> Vec<&'static str> {
    let read = |rel: &str| std::fs::read(fixture(rel)).unwrap();
    sb.write("empty.pem", b"");
    sb.write("random.bin", noise(4096, 7));
    sb.write(
        "random-with-begin.pem",
        [b"-----BEGIN CERTIFICATE-----\n".to_vec(), noise(3000, 9)].concat(),
    );
    sb.write("truncated.pem", read("misc/truncated-der.pem"));
    sb.write("truncated.der", &read("certs/p256.der")[..200]);
    sb.write("bad-base64.pem", read("misc/bad-base64.pem"));
    sb.write("missing-end.pem", read("misc/missing-end.pem"));
    sb.write("headers.pem", read("misc/headers.pem"));
    let mut long = b"-----BEGIN CERTIFICATE-----\n".to_vec();
    long.extend(std::iter::repeat_n(b'Q', 5 * 1024 * 1024));
    long.extend_from_slice(b"\n-----END CERTIFICATE-----\n");
    sb.write("long-line.pem", long);
    sb.write("nested.der", nested_der(100_000));
    let mut claims = vec![0x30, 0x84, 0xff, 0xff, 0xff, 0xff];
    claims.extend(noise(512, 3));
    sb.write("claims-4gib.der", claims);
    let root = String::from_utf8(read("chain/root.pem")).unwrap();
    let mut utf16 = vec![0xff, 0xfe];
    utf16.extend(root.encode_utf16().flat_map(u16::to_le_bytes));
    sb.write("utf16.pem", utf16);
    std::fs::create_dir_all(sb.path("a-directory")).unwrap();
    std::os::unix::fs::symlink(sb.path("nowhere.pem"), sb.path("dangling.pem")).unwrap();
    sb.write("key.pem", read("keys/p256.pem"));
    vec![
        "empty.pem",
        "random.bin",
        "random-with-begin.pem",
        "truncated.pem",
        "truncated.der",
        "bad-base64.pem",
        "missing-end.pem",
        "headers.pem",
        "long-line.pem",
        "nested.der",
        "claims-4gib.der",
        "utf16.pem",
        "a-directory",
        "dangling.pem",
        "key.pem",
    ]
}

/// Every file under the sandbox with its bytes (links by their target).
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap().flatten() {
            let path = entry.path();
            let meta = std::fs::symlink_metadata(&path).unwrap();
            let key = path.strip_prefix(dir).unwrap().display().to_string();
            if meta.is_symlink() {
                out.insert(
                    key,
                    std::fs::read_link(&path)
                        .unwrap()
                        .display()
                        .to_string()
                        .into_bytes(),
                );
            } else if meta.is_dir() {
                out.insert(key, Vec::new());
                stack.push(path);
            } else {
                out.insert(key, std::fs::read(&path).unwrap());
            }
        }
    }
    out
}

/// The exit code a command gives an input, where it is not 2.
fn expected(command: &str, input: &str) -> i32 {
    match (command, input) {
        // pin and inspect read keys; inspect shows a headered block with a
        // warning (every other command refuses it).
        ("pin" | "inspect", "key.pem") => 0,
        ("inspect", "headers.pem") => 0,
        // bundle lint reports what is wrong with a readable file as
        // findings (exit 1); only unreadable files are exit 2.
        ("bundle lint", "headers.pem" | "key.pem") => 1,
        ("bundle lint", i) if lint_reads(i) => 1,
        // diff reads a bundle as Go does: a file with no certificate Go
        // would load is refused, as nats-server refuses such a ca_file.
        _ => 2,
    }
}

/// Files with at least one block, however broken (PEM with a BEGIN line,
/// or DER that starts as a SEQUENCE): lint reports on them, diff skips the
/// broken block as Go would.
fn lint_reads(input: &str) -> bool {
    matches!(
        input,
        "random-with-begin.pem"
            | "truncated.pem"
            | "bad-base64.pem"
            | "missing-end.pem"
            | "long-line.pem"
            // DER-shaped (a SEQUENCE first): one broken block.
            | "truncated.der"
            | "nested.der"
            | "claims-4gib.der"
    )
}

#[test]
fn every_reading_command_survives_every_hostile_input() {
    let sb = Sandbox::new();
    let inputs = hostile_inputs(&sb);
    // A good bundle and a good certificate, for the argument that is not
    // under test.
    std::fs::copy(fixture("chain/inter.pem"), sb.path("good-bundle.pem")).unwrap();
    std::fs::copy(fixture("chain/leaf.pem"), sb.path("good-leaf.pem")).unwrap();
    let key = std::fs::read_to_string(fixture("keys/p256.pem")).unwrap();
    let key_lines: Vec<&str> = key
        .lines()
        .filter(|l| !l.starts_with("-----") && l.len() > 20)
        .collect();
    let before = snapshot(sb.dir.path());
    let commands: &[(&str, &[&str])] = &[
        ("pin", &["pin", "INPUT"]),
        ("inspect", &["inspect", "INPUT"]),
        ("lint", &["lint", "INPUT"]),
        (
            "verify CERT",
            &["verify", "INPUT", "--bundle", "good-bundle.pem"],
        ),
        (
            "verify --bundle",
            &["verify", "good-leaf.pem", "--bundle", "INPUT"],
        ),
        ("bundle add", &["bundle", "add", "good-bundle.pem", "INPUT"]),
        ("bundle list", &["bundle", "list", "INPUT"]),
        ("bundle lint", &["bundle", "lint", "INPUT"]),
        (
            "bundle diff OLD",
            &["bundle", "diff", "INPUT", "good-bundle.pem"],
        ),
        (
            "bundle diff --peer",
            &[
                "bundle",
                "diff",
                "good-bundle.pem",
                "good-bundle.pem",
                "--peer",
                "INPUT",
            ],
        ),
        (
            "nats config --ca",
            &[
                "nats",
                "config",
                "--cert",
                "good-leaf.pem",
                "--key",
                "INPUT",
                "--ca",
                "good-bundle.pem",
            ],
        ),
    ];
    let mut checked = 0;
    let mut slowest = (Duration::ZERO, String::new());
    for (name, args) in commands {
        for input in &inputs {
            let argv: Vec<&str> = args
                .iter()
                .map(|a| if *a == "INPUT" { *input } else { *a })
                .collect();
            let started = std::time::Instant::now();
            let out = sb
                .cmd()
                .args(&argv)
                .timeout(Duration::from_secs(10))
                .output()
                .unwrap();
            // The 10 s timeout is the hang guard; the slowest run is
            // reported (RELIABILITY.md), not asserted.
            if started.elapsed() > slowest.0 {
                slowest = (started.elapsed(), format!("{name} {input}"));
            }
            let stdout = String::from_utf8_lossy(&out.stdout);
            let stderr = String::from_utf8_lossy(&out.stderr);
            let code = out.status.code();
            let want = if *name == "nats config --ca" {
                // The key argument: a key file works (and then the
                // certificate does not match it).
                2
            } else {
                expected(name, input)
            };
            assert_eq!(
                code,
                Some(want),
                "{name} {input}: exit {code:?}\nstdout: {stdout}\nstderr: {stderr}"
            );
            assert!(
                !stderr.contains("panicked"),
                "{name} {input}: panicked\n{stderr}"
            );
            if want == 2 {
                assert!(
                    stderr.starts_with("tlsctl: ")
                        && stderr.contains(input.trim_end_matches(".pem")),
                    "{name} {input}: the message must name the file: {stderr}"
                );
                assert_eq!(
                    stderr.matches("tlsctl: ").count() - stderr.matches("tlsctl: warning").count(),
                    1,
                    "{name} {input}: one error\n{stderr}"
                );
            }
            for line in &key_lines {
                assert!(
                    !stdout.contains(line) && !stderr.contains(line),
                    "{name} {input}: key material printed"
                );
            }
            checked += 1;
        }
    }
    assert_eq!(
        snapshot(sb.dir.path()),
        before,
        "a hostile input changed a file"
    );
    assert_eq!(checked, commands.len() * inputs.len());
    eprintln!(
        "{checked} runs ({} commands x {} inputs); slowest: {} in {:?}",
        commands.len(),
        inputs.len(),
        slowest.1,
        slowest.0
    );
}

#[test]
fn the_tui_loader_survives_every_hostile_input() {
    let sb = Sandbox::new();
    let now = time::OffsetDateTime::UNIX_EPOCH;
    for input in hostile_inputs(&sb) {
        match tlsctl::tui::data::load_file(&sb.path(input), now) {
            Ok(loaded) => {
                // Readable PEM with broken blocks loads with the problems named.
                assert!(
                    lint_reads(input) || input == "headers.pem" || input == "key.pem",
                    "{input} loaded"
                );
                assert!(loaded.rows.is_empty() || input == "headers.pem");
                assert!(
                    !loaded.problems.is_empty(),
                    "{input}: problems must be named"
                );
            }
            Err(e) => assert!(
                e.contains(input.trim_end_matches(".pem")) || e.contains("nowhere"),
                "{input}: {e}"
            ),
        }
    }
}
