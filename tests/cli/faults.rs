//! Faults: a reader that goes away, a full device, a read-only store, a
//! disk that fills during a write, a process killed in the middle of a
//! write. Nothing is lost in any of them: a file is the old one or the new
//! one, never a mix. The tests that mount a filesystem run when
//! TLSCTL_FAULTS=1 (as root, as `.ci/run` does).

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use predicates::prelude::*;

use crate::support::{NOW, Sandbox, fixture};

fn bin() -> std::path::PathBuf {
    assert_cmd::cargo::cargo_bin("tlsctl")
}

fn faults_enabled() -> bool {
    if std::env::var_os("TLSCTL_FAULTS").is_some_and(|v| v == "1") {
        return true;
    }
    eprintln!("fault test skipped: set TLSCTL_FAULTS=1 as root (as .ci/run does) to run it");
    false
}

/// `n` distinct CA certificates under one root, made in process, as PEM.
fn distinct_cas(n: usize) -> Vec<u8> {
    use tlsctl::pki::issue::{self, CaRequest, KeyType, Signer, Window};
    let now = time::OffsetDateTime::now_utc();
    let window = Window::days_from(now, 3650).unwrap();
    let root_key = KeyType::EcdsaP256.generate().unwrap();
    let root_req = CaRequest {
        common_name: "Fault Root".into(),
        organization: None,
        window,
        path_len: None,
        parent: None,
    };
    let root = Signer::new(
        "root",
        issue::issue_ca(&root_req, &root_key, now).unwrap(),
        root_key,
        now,
    )
    .unwrap();
    // One key for all: key generation is not what these tests are about.
    let key = KeyType::EcdsaP256.generate().unwrap();
    let mut out = Vec::new();
    for i in 0..n {
        let req = CaRequest {
            common_name: format!("Fault Intermediate {i}"),
            organization: None,
            window: Window::days_from(now, 365).unwrap(),
            path_len: Some(0),
            parent: Some(&root),
        };
        let der = issue::issue_ca(&req, &key, now).unwrap();
        out.extend_from_slice(tlsctl::pki::reader::encode_pem("CERTIFICATE", &der).as_bytes());
    }
    out
}

/// A bundle of `n` CA certificates (the fixture intermediates repeated:
/// enough for reading; duplicates are dropped when added).
fn big_bundle(sb: &Sandbox, name: &str, n: usize) -> std::path::PathBuf {
    let a = std::fs::read(fixture("chain/inter.pem")).unwrap();
    let b = std::fs::read(fixture("chain/inter-r.pem")).unwrap();
    let mut out = Vec::new();
    for i in 0..n {
        out.extend_from_slice(if i % 2 == 0 { &a } else { &b });
    }
    sb.write(name, out)
}

#[test]
fn a_reader_that_stops_early_is_not_an_error_for_any_printing_command() {
    let sb = Sandbox::new();
    big_bundle(&sb, "big.pem", 3000);
    for args in [
        vec!["pin", "big.pem"],
        vec!["inspect", "big.pem"],
        vec!["bundle", "list", "big.pem"],
        vec!["--json", "bundle", "list", "big.pem"],
    ] {
        let mut child = Command::new(bin())
            .args(&args)
            .current_dir(sb.dir.path())
            .env("TLSCTL_NOW", NOW)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdout = child.stdout.take().unwrap();
        let mut one = [0u8; 1];
        stdout.read_exact(&mut one).unwrap();
        drop(stdout);
        let mut stderr = String::new();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut stderr)
            .unwrap();
        let status = child.wait().unwrap();
        assert_eq!(status.code(), Some(0), "{args:?}: {stderr}");
        assert_eq!(stderr, "", "{args:?}");
    }
}

#[test]
fn a_full_stdout_is_exit_2_saying_so() {
    let sb = Sandbox::new();
    let full = std::fs::File::options()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let out = Command::new(bin())
        .args(["pin"])
        .arg(fixture("chain/root.pem"))
        .current_dir(sb.dir.path())
        .stdout(full)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "tlsctl: writing to standard output: No space left on device (os error 28)\n"
    );
}

#[test]
fn a_killed_bundle_add_leaves_the_old_bundle_or_the_new_one() {
    let sb = Sandbox::new();
    std::fs::copy(fixture("chain/root.pem"), sb.path("root.pem")).unwrap();
    // The new bundle as an uninterrupted add writes it.
    sb.cmd()
        .args(["bundle", "add", "reference.pem", "root.pem"])
        .assert()
        .success();
    let old = std::fs::read(sb.path("reference.pem")).unwrap();
    sb.write("incoming.pem", distinct_cas(1500));
    let start = Instant::now();
    sb.cmd()
        .args(["-q", "bundle", "add", "reference.pem", "incoming.pem"])
        .assert()
        .success();
    let full = start.elapsed();
    let new = std::fs::read(sb.path("reference.pem")).unwrap();
    assert_ne!(old, new);
    // Kill at points spread over (and a little past) a whole run.
    let mut seed = 0x5eed_u64;
    let mut outcomes = (0, 0);
    for round in 0..24 {
        std::fs::write(sb.path("b.pem"), &old).unwrap();
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let delay = full.mul_f64((seed >> 40) as f64 / f64::from(1u32 << 24) * 1.2);
        let mut child = Command::new(bin())
            .args(["-q", "bundle", "add", "b.pem", "incoming.pem"])
            .current_dir(sb.dir.path())
            .env("TLSCTL_NOW", NOW)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        let _ = child.kill();
        let _ = child.wait();
        let now = std::fs::read(sb.path("b.pem")).unwrap();
        if now == old {
            outcomes.0 += 1;
        } else if now == new {
            outcomes.1 += 1;
        } else {
            panic!(
                "round {round} (killed after {delay:?}): the bundle is neither the old one nor the new one"
            );
        }
    }
    eprintln!(
        "killed 24 times: {} left the old bundle, {} the new one",
        outcomes.0, outcomes.1
    );
    // A later add still works (the lock of a killed process is released).
    std::fs::write(sb.path("b.pem"), &old).unwrap();
    sb.cmd()
        .args(["-q", "bundle", "add", "b.pem", "incoming.pem"])
        .assert()
        .success();
    assert_eq!(std::fs::read(sb.path("b.pem")).unwrap(), new);
}

fn mount_tmpfs(dir: &Path, options: &str) -> bool {
    std::fs::create_dir_all(dir).unwrap();
    Command::new("mount")
        .args(["-t", "tmpfs", "-o", options, "tmpfs"])
        .arg(dir)
        .status()
        .map(|s| s.success())
        .unwrap_or(false)
}

fn unmount(dir: &Path) {
    let _ = Command::new("umount").arg(dir).status();
}

#[test]
fn a_disk_that_fills_during_a_bundle_write_loses_nothing() {
    if !faults_enabled() {
        return;
    }
    let sb = Sandbox::new();
    let small = sb.path("small");
    assert!(
        mount_tmpfs(&small, "size=512k"),
        "could not mount a tmpfs (run as root)"
    );
    let result = std::panic::catch_unwind(|| {
        std::fs::copy(fixture("chain/root.pem"), small.join("root.pem")).unwrap();
        sb.cmd()
            .args(["bundle", "add", "small/b.pem", "small/root.pem"])
            .assert()
            .success();
        let old = std::fs::read(small.join("b.pem")).unwrap();
        // Fill the disk to the last byte.
        {
            use std::io::Write;
            let mut filler = std::fs::File::create(small.join("filler")).unwrap();
            let chunk = vec![0u8; 4096];
            while filler.write_all(&chunk).is_ok() {}
        }
        std::fs::copy(fixture("chain/inter.pem"), sb.path("incoming.pem")).unwrap();
        sb.cmd()
            .args(["bundle", "add", "small/b.pem", "incoming.pem"])
            .assert()
            .code(2)
            .stderr(predicate::str::contains("No space left on device"));
        assert_eq!(
            std::fs::read(small.join("b.pem")).unwrap(),
            old,
            "the old bundle is intact"
        );
        let leftovers: Vec<String> = std::fs::read_dir(&small)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains(".tmp-"))
            .collect();
        assert!(
            leftovers.is_empty(),
            "temporary files left behind: {leftovers:?}"
        );
    });
    unmount(&small);
    result.unwrap();
}

#[test]
fn a_read_only_store_or_bundle_directory_is_a_clear_error() {
    if !faults_enabled() {
        return;
    }
    let sb = Sandbox::new();
    let ro = sb.path("ro");
    assert!(
        mount_tmpfs(&ro, "size=1m"),
        "could not mount a tmpfs (run as root)"
    );
    let result = std::panic::catch_unwind(|| {
        // A store and a bundle, then the filesystem turns read-only.
        let mut cmd = sb.cmd();
        cmd.env("TLSCTL_HOME", ro.join("store"));
        cmd.args(["ca", "create", "root"]).assert().success();
        std::fs::copy(fixture("chain/root.pem"), ro.join("root.pem")).unwrap();
        sb.cmd()
            .args(["bundle", "add", "ro/b.pem", "ro/root.pem"])
            .assert()
            .success();
        let before = std::fs::read(ro.join("b.pem")).unwrap();
        let status = Command::new("mount")
            .args(["-o", "remount,ro"])
            .arg(&ro)
            .status()
            .unwrap();
        assert!(status.success());
        let mut cmd = sb.cmd();
        cmd.env("TLSCTL_HOME", ro.join("store"));
        cmd.args(["cert", "issue", "node.example", "--ca", "root"])
            .assert()
            .code(2)
            .stderr(predicate::str::contains("Read-only file system"));
        std::fs::copy(fixture("chain/inter.pem"), sb.path("inter.pem")).unwrap();
        sb.cmd()
            .args(["bundle", "add", "ro/b.pem", "inter.pem"])
            .assert()
            .code(2)
            .stderr(predicate::str::contains("Read-only file system"));
        assert_eq!(std::fs::read(ro.join("b.pem")).unwrap(), before);
        // Reading still works.
        sb.cmd()
            .args(["bundle", "list", "ro/b.pem"])
            .assert()
            .success();
    });
    unmount(&ro);
    result.unwrap();
}

#[test]
fn keys_are_never_written_through_a_symlink_without_force() {
    let sb = Sandbox::new();
    let elsewhere = sb.write("elsewhere/precious.txt", "do not touch");
    std::os::unix::fs::symlink(&elsewhere, sb.path("link.key")).unwrap();
    std::os::unix::fs::symlink(sb.path("missing/target"), sb.path("dangling.key")).unwrap();
    for link in ["link.key", "dangling.key"] {
        sb.cmd()
            .args([
                "cert",
                "issue",
                "n.example",
                "--cert-out",
                "n.pem",
                "--key-out",
                link,
            ])
            .assert()
            .code(2)
            .stderr(predicate::str::contains(format!(
                "{link}: is a symbolic link"
            )));
    }
    assert_eq!(std::fs::read_to_string(&elsewhere).unwrap(), "do not touch");
    assert!(!sb.path("missing/target").exists());
    assert!(
        !sb.path("n.pem").exists(),
        "nothing is written when the key is refused"
    );
    // With --force the link itself is replaced by a 0600 file; its target
    // is left alone.
    sb.cmd()
        .args([
            "cert",
            "issue",
            "n.example",
            "--cert-out",
            "n.pem",
            "--key-out",
            "link.key",
            "--force",
        ])
        .assert()
        .success();
    let meta = std::fs::symlink_metadata(sb.path("link.key")).unwrap();
    assert!(meta.file_type().is_file());
    assert_eq!(
        std::os::unix::fs::PermissionsExt::mode(&meta.permissions()) & 0o777,
        0o600
    );
    assert_eq!(std::fs::read_to_string(&elsewhere).unwrap(), "do not touch");
}

#[test]
fn probe_connects_only_to_the_address_given() {
    // A NATS server that advertises another address in connect_urls: the
    // probe must not go there.
    let decoy = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    decoy.set_nonblocking(true).unwrap();
    let decoy_addr = decoy.local_addr().unwrap();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    std::thread::spawn(move || {
        if let Ok((mut s, _)) = listener.accept() {
            let info = format!(
                "INFO {{\"server_id\":\"N\",\"version\":\"2.9.10\",\"tls_required\":false,\"connect_urls\":[\"{decoy_addr}\"]}}\r\n"
            );
            let _ = std::io::Write::write_all(&mut s, info.as_bytes());
            std::thread::sleep(Duration::from_millis(500));
        }
    });
    let sb = Sandbox::new();
    sb.cmd().args(["probe", &addr]).assert().code(1);
    std::thread::sleep(Duration::from_millis(200));
    assert!(
        decoy.accept().is_err(),
        "the probe connected to an address it was not given"
    );
}
