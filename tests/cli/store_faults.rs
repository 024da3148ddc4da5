//! The store after a kill: renewals never remove the version being
//! served, an interrupted `ca create` leaves no private key behind once the
//! next command takes the store lock, and a CA being replaced is never
//! missing and never lost.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::{NOW, Sandbox};

fn bin() -> PathBuf {
    assert_cmd::cargo::cargo_bin("tlsctl")
}

/// A pseudo-random sequence (deterministic per seed), as faults.rs uses.
struct Lcg(u64);

impl Lcg {
    /// A fraction in [0, 1).
    fn next(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 40) as f64 / f64::from(1u32 << 24)
    }
}

/// Runs tlsctl with `args` and kills it after `delay`.
fn run_and_kill(sb: &Sandbox, args: &[&str], delay: Duration) {
    let mut child = Command::new(bin())
        .args(args)
        .current_dir(sb.dir.path())
        .env_clear()
        .env("TLSCTL_HOME", sb.store())
        .env("TLSCTL_NOW", NOW)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(delay);
    let _ = child.kill();
    let _ = child.wait();
}

/// How long an uninterrupted run of `args` takes (the fastest of three).
fn run_time(sb: &Sandbox, args: &[&str]) -> Duration {
    (0..3)
        .map(|_| {
            let start = Instant::now();
            sb.cmd().args(args).assert().success();
            start.elapsed()
        })
        .min()
        .unwrap()
}

fn current_version(dir: &Path) -> String {
    std::fs::read_link(dir.join("..data"))
        .unwrap()
        .to_string_lossy()
        .into_owned()
}

fn versions(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("..v"))
        .collect();
    v.sort();
    v
}

/// The SPKI pin of the first certificate (or the key) in `path`.
fn pin(path: &Path) -> String {
    let out = Command::new(bin())
        .args(["pin", "--bare", "--leaf-only"])
        .arg(path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

/// Hidden entries of `cas/` other than the kept copies.
fn leftovers(cas: &Path) -> Vec<String> {
    std::fs::read_dir(cas)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.') && n != ".replaced")
        .collect()
}

#[test]
fn renew_keeps_the_served_version_when_a_killed_renewal_left_one_behind() {
    let sb = Sandbox::new();
    sb.cmd()
        .args(["-q", "cert", "issue", "node.example"])
        .assert()
        .success();
    let dir = sb.store().join("certs/node.example");
    let cert = dir.join("cert.pem");
    sb.cmd()
        .args(["-q", "cert", "renew"])
        .arg(&cert)
        .assert()
        .success();
    assert_eq!(current_version(&dir), "..v2");
    // What a renewal killed while writing leaves: a version never switched to.
    std::fs::create_dir(dir.join("..v3")).unwrap();
    std::fs::write(dir.join("..v3/key.pem"), "half a key").unwrap();
    sb.cmd()
        .args(["-q", "cert", "renew", "--rekey"])
        .arg(&cert)
        .assert()
        .success();
    let now = current_version(&dir);
    assert_ne!(now, "..v2");
    let mut expected = vec!["..v2".to_owned(), now.clone()];
    expected.sort();
    assert_eq!(
        versions(&dir),
        expected,
        "the version served until now stays beside the new one"
    );
    assert_ne!(
        std::fs::read(dir.join(&now).join("key.pem")).unwrap(),
        b"half a key",
        "the unfinished version is not served"
    );
    assert_eq!(
        pin(&dir.join("..v2/cert.pem")),
        pin(&dir.join("..v2/key.pem"))
    );
}

#[test]
fn renewals_killed_at_random_points_never_remove_the_version_being_served() {
    let sb = Sandbox::new();
    sb.cmd()
        .args(["-q", "cert", "issue", "node.example"])
        .assert()
        .success();
    let dir = sb.store().join("certs/node.example");
    let cert = dir.join("cert.pem").display().to_string();
    let renew = ["-q", "cert", "renew", "--rekey", cert.as_str()];
    let full = run_time(&sb, &renew);
    let mut rng = Lcg(0x7e7e);
    for round in 0..30 {
        run_and_kill(&sb, &renew, full.mul_f64(rng.next() * 1.2));
        // What is current after the kill is whole and matching ...
        let served = current_version(&dir);
        let served_dir = dir.join(&served);
        assert_eq!(
            pin(&served_dir.join("cert.pem")),
            pin(&served_dir.join("key.pem")),
            "round {round}: {served} is not a matching pair"
        );
        // ... and the next renewal keeps it beside the new one.
        sb.cmd().args(renew).assert().success();
        assert!(
            served_dir.join("key.pem").exists(),
            "round {round}: the renewal removed {served}, the version being served"
        );
        let now = current_version(&dir);
        let mut expected = vec![served.clone(), now.clone()];
        expected.sort();
        assert_eq!(versions(&dir), expected, "round {round}");
        assert_eq!(pin(&dir.join("cert.pem")), pin(&dir.join("key.pem")));
    }
}

#[test]
fn what_a_killed_versioned_write_leaves_is_cleaned_by_the_next_command_that_locks_the_store() {
    let sb = Sandbox::new();
    sb.cmd()
        .args(["-q", "cert", "issue", "node.example"])
        .assert()
        .success();
    let dir = sb.store().join("certs/node.example");
    sb.cmd()
        .args(["-q", "cert", "renew"])
        .arg(dir.join("cert.pem"))
        .assert()
        .success();
    // A version never switched to, and the temporary links of a kill.
    std::fs::create_dir(dir.join("..v7")).unwrap();
    std::fs::write(dir.join("..v7/key.pem"), "half a key").unwrap();
    std::os::unix::fs::symlink("..v7", dir.join("..data.tmp-4242")).unwrap();
    std::os::unix::fs::symlink("..data/cert.pem", dir.join(".cert.pem.link-4242")).unwrap();
    // A first issue killed before anything was published.
    let never = sb.store().join("certs/never.example");
    std::fs::create_dir_all(never.join("..v1")).unwrap();
    std::fs::write(never.join("..v1/key.pem"), "a key nobody has").unwrap();
    std::fs::write(never.join(".versions.lock"), "").unwrap();
    for name in ["key.pem", "cert.pem"] {
        // Links are made before the switch, so they dangle until `..data`.
        std::os::unix::fs::symlink(format!("..data/{name}"), never.join(name)).unwrap();
    }
    // Any command that takes the store lock.
    sb.cmd()
        .args(["-q", "cert", "issue", "other.example"])
        .assert()
        .success();
    let mut left: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(
        left,
        [
            "..data",
            "..v1",
            "..v2",
            ".versions.lock",
            "ca.pem",
            "cert.pem",
            "key.pem"
        ]
    );
    assert!(
        !never.join("..v1").exists(),
        "an unpublished key is removed"
    );
    assert!(
        std::fs::symlink_metadata(never.join("cert.pem")).is_err(),
        "and the links that were never published"
    );
    // The retry of the never-published issue needs no --force.
    sb.cmd()
        .args(["-q", "cert", "issue", "never.example"])
        .assert()
        .success();
}

#[test]
fn a_killed_ca_create_leaves_no_private_key_once_the_store_is_locked_again() {
    let sb = Sandbox::new();
    sb.cmd()
        .args(["-q", "ca", "create", "warmup"])
        .assert()
        .success();
    let full = run_time(&sb, &["-q", "ca", "create", "warmup", "--force"]);
    let mut rng = Lcg(0xca);
    for round in 0..35 {
        let name = format!("ca{round}");
        run_and_kill(
            &sb,
            &["-q", "ca", "create", &name],
            full.mul_f64(rng.next() * 1.2),
        );
    }
    // The next command that takes the lock cleans up.
    sb.cmd()
        .args(["-q", "ca", "create", "after"])
        .assert()
        .success();
    let cas = sb.store().join("cas");
    assert_eq!(leftovers(&cas), Vec::<String>::new());
    // Every CA that appeared is whole.
    sb.cmd().args(["ca", "list"]).assert().success();
}

/// Every CA certificate `cas/default` has held, and whether each is still
/// in the store (at `cas/default` or kept under `cas/.replaced/`).
fn ca_files_in_store(store: &Path) -> Vec<(Vec<u8>, Vec<u8>)> {
    let mut dirs = vec![store.join("cas/default")];
    if let Ok(entries) = std::fs::read_dir(store.join("cas/.replaced")) {
        dirs.extend(entries.flatten().map(|e| e.path()));
    }
    dirs.iter()
        .filter_map(|d| {
            Some((
                std::fs::read(d.join("ca.pem")).ok()?,
                std::fs::read(d.join("ca.key")).ok()?,
            ))
        })
        .collect()
}

#[test]
fn ca_create_force_killed_anywhere_never_loses_a_ca() {
    let sb = Sandbox::new();
    sb.cmd()
        .args([
            "-q",
            "cert",
            "issue",
            "first.example",
            "--cert-out",
            "first.pem",
            "--key-out",
            "first.key",
        ])
        .assert()
        .success();
    let store = sb.store();
    let replace = ["-q", "ca", "create", "default", "--force"];
    let full = run_time(&sb, &replace);
    let mut seen: Vec<Vec<u8>> = Vec::new();
    let mut rng = Lcg(0xdefa);
    for round in 0..30 {
        seen.push(std::fs::read(store.join("cas/default/ca.pem")).unwrap());
        run_and_kill(&sb, &replace, full.mul_f64(rng.next() * 1.2));
        // The next locking command: it must find a default CA, not make one.
        let out = sb
            .cmd()
            .args([
                "--json",
                "cert",
                "issue",
                "n.example",
                "--cert-out",
                "n.pem",
                "--key-out",
                "n.key",
                "--force",
            ])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        let report: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(
            report["created_default_ca"], false,
            "round {round}: cert issue made a new default CA"
        );
        assert_eq!(
            leftovers(&store.join("cas")),
            Vec::<String>::new(),
            "round {round}"
        );
        let held = ca_files_in_store(&store);
        for (i, cert) in seen.iter().enumerate() {
            assert!(
                held.iter().any(|(c, _)| c == cert),
                "round {round}: the CA held {i} replacements ago is gone"
            );
        }
    }
    // Every kept key is 0600, and each kept pair matches.
    for entry in std::fs::read_dir(store.join("cas/.replaced"))
        .unwrap()
        .flatten()
    {
        let key = entry.path().join("ca.key");
        let mode = std::os::unix::fs::PermissionsExt::mode(
            &std::fs::metadata(&key).unwrap().permissions(),
        );
        assert_eq!(mode & 0o777, 0o600, "{}", key.display());
        assert_eq!(pin(&entry.path().join("ca.pem")), pin(&key));
    }
}

#[test]
fn a_ca_being_replaced_is_never_missing() {
    let sb = Sandbox::new();
    sb.cmd()
        .args(["-q", "ca", "create", "root"])
        .assert()
        .success();
    let cert = sb.store().join("cas/root/ca.pem");
    let key = sb.store().join("cas/root/ca.key");
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let watcher = {
        let stop = std::sync::Arc::clone(&stop);
        std::thread::spawn(move || {
            let mut missing = 0u32;
            let mut looks = 0u64;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                looks += 1;
                if !cert.exists() || !key.exists() {
                    missing += 1;
                }
            }
            (missing, looks)
        })
    };
    for _ in 0..20 {
        sb.cmd()
            .args(["-q", "ca", "create", "root", "--force"])
            .assert()
            .success();
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let (missing, looks) = watcher.join().unwrap();
    assert!(looks > 1000);
    eprintln!("20 replacements of a CA: missing {missing} times in {looks} looks");
    assert_eq!(
        missing, 0,
        "the CA was missing {missing} times in {looks} looks"
    );
}

#[test]
fn a_ca_an_interrupted_replacement_moved_aside_is_put_back() {
    let sb = Sandbox::new();
    sb.cmd()
        .args(["-q", "ca", "create", "root"])
        .assert()
        .success();
    let cas = sb.store().join("cas");
    let before = std::fs::read(cas.join("root/ca.pem")).unwrap();
    // What a kill between the two renames leaves (the fallback without
    // RENAME_EXCHANGE, and tlsctl before it): the CA moved aside, the new
    // one not yet in.
    for aside in [".root.old-4242", ".root.replaced-4242"] {
        std::fs::rename(cas.join("root"), cas.join(aside)).unwrap();
        std::fs::create_dir(cas.join(".root.tmp-4242")).unwrap();
        std::fs::write(cas.join(".root.tmp-4242/ca.key"), "a key never used").unwrap();
        sb.cmd()
            .args([
                "-q",
                "cert",
                "issue",
                "n.example",
                "--ca",
                "root",
                "--cert-out",
                "n.pem",
                "--key-out",
                "n.key",
                "--force",
            ])
            .assert()
            .success();
        assert_eq!(std::fs::read(cas.join("root/ca.pem")).unwrap(), before);
        assert_eq!(leftovers(&cas), Vec::<String>::new(), "after {aside}");
    }
}

/// Whether `dir` holds a published pair: cert.pem and key.pem resolve,
/// and match.
fn published(dir: &Path) -> bool {
    dir.join("cert.pem").exists()
        && dir.join("key.pem").exists()
        && pin(&dir.join("cert.pem")) == pin(&dir.join("key.pem"))
}

fn killed_first_issues_then_retry(retry_right_after: bool) {
    let sb = Sandbox::new();
    sb.cmd()
        .args(["-q", "ca", "create", "default"])
        .assert()
        .success();
    let full = run_time(&sb, &["-q", "cert", "issue", "warm.example", "--force"]);
    let mut rng = Lcg(0x155e);
    let (mut retried, mut were_published) = (0, 0);
    for round in 0..40 {
        let name = format!("n{round}.example");
        run_and_kill(
            &sb,
            &["-q", "cert", "issue", &name],
            full.mul_f64(rng.next() * 1.2),
        );
        let dir = sb.store().join("certs").join(&name);
        if !retry_right_after {
            // Any command that takes the store lock.
            sb.cmd()
                .args(["-q", "ca", "create", &format!("other{round}")])
                .assert()
                .success();
        }
        let retry = sb
            .cmd()
            .args(["-q", "cert", "issue", &name])
            .output()
            .unwrap();
        if retry.status.success() {
            retried += 1;
        } else {
            assert!(
                published(&dir),
                "round {round}: the retry was refused though nothing was published: {}",
                String::from_utf8_lossy(&retry.stderr)
            );
            were_published += 1;
        }
        assert!(published(&dir), "round {round}");
    }
    eprintln!(
        "40 killed first issues: {retried} retried without --force, {were_published} had been published"
    );
}

#[test]
fn a_killed_first_issue_is_retried_without_force_once_the_store_was_locked() {
    killed_first_issues_then_retry(false);
}

#[test]
fn a_killed_first_issue_is_retried_without_force() {
    killed_first_issues_then_retry(true);
}
