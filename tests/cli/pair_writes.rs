//! `store::write_cert_and_key`: a certificate and its key in two plain
//! files are replaced so that the new pair lands or the old pair stays
//! byte for byte, whichever write fails; and `store::check_destination`
//! refuses devices, pipes and directories.

use std::path::{Path, PathBuf};
use std::process::Command;

use tlsctl::store::{self, Overwrite};

use crate::support::{Sandbox, fixture};

struct Pair {
    cert: Vec<u8>,
    key: Vec<u8>,
}

fn old_pair() -> Pair {
    Pair {
        cert: std::fs::read(fixture("chain/leaf.pem")).unwrap(),
        key: std::fs::read(fixture("chain/leaf.key")).unwrap(),
    }
}

fn new_pair() -> Pair {
    Pair {
        cert: std::fs::read(fixture("chain/leaf-r.pem")).unwrap(),
        key: std::fs::read(fixture("chain/leaf-r.key")).unwrap(),
    }
}

/// A sandbox holding the old pair as `tls/n.pem` and `tls/n.key`.
fn with_old_pair(sb: &Sandbox, dir: &str) -> (PathBuf, PathBuf) {
    let old = old_pair();
    let cert = sb.write(&format!("{dir}/n.pem"), &old.cert);
    let key = sb.write(&format!("{dir}/n.key"), &old.key);
    (cert, key)
}

fn hidden_entries(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect()
}

/// `chattr +i` on `path`: no rename can replace it, even for root.
/// `None` where chattr is missing or not allowed (the test is skipped).
struct Immutable(PathBuf);

impl Immutable {
    fn set(path: &Path) -> Option<Immutable> {
        let ok = Command::new("chattr")
            .arg("+i")
            .arg(path)
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            eprintln!("skipped: chattr +i is not available here (needs root on ext4/tmpfs)");
        }
        ok.then(|| Immutable(path.to_path_buf()))
    }
}

impl Drop for Immutable {
    fn drop(&mut self) {
        let _ = Command::new("chattr").arg("-i").arg(&self.0).status();
    }
}

#[test]
fn a_certificate_that_cannot_be_replaced_leaves_the_old_key_in_place() {
    let sb = Sandbox::new();
    let (cert, key) = with_old_pair(&sb, "tls");
    let Some(_guard) = Immutable::set(&cert) else {
        return;
    };
    let new = new_pair();
    let err =
        store::write_cert_and_key(&cert, &new.cert, &key, &new.key, Overwrite::Allow).unwrap_err();
    let message = format!("{err:#}");
    assert!(message.contains("Operation not permitted"), "{message}");
    assert!(message.contains("are unchanged"), "{message}");
    let old = old_pair();
    assert_eq!(std::fs::read(&key).unwrap(), old.key, "the old key is back");
    assert_eq!(std::fs::read(&cert).unwrap(), old.cert);
    assert_eq!(hidden_entries(&sb.path("tls")), Vec::<String>::new());
}

fn then_file<'a>(path: &'a Path, contents: &'a [u8]) -> store::ThenFile<'a> {
    store::ThenFile {
        path,
        contents,
        mode: store::MODE_PRIVATE,
    }
}

#[test]
fn a_pair_and_its_record_land_in_one_batch_with_nothing_left_beside_them() {
    let sb = Sandbox::new();
    let (cert, key) = with_old_pair(&sb, "tls");
    let record = sb.write("store/issued.json", b"[old]");
    let new = new_pair();
    store::write_cert_and_key_then(
        &cert,
        &new.cert,
        &key,
        &new.key,
        Overwrite::Allow,
        Some(then_file(&record, b"[new]")),
    )
    .unwrap();
    assert_eq!(std::fs::read(&cert).unwrap(), new.cert);
    assert_eq!(std::fs::read(&key).unwrap(), new.key);
    assert_eq!(std::fs::read(&record).unwrap(), b"[new]");
    assert_eq!(hidden_entries(&sb.path("tls")), Vec::<String>::new());
    assert_eq!(hidden_entries(&sb.path("store")), Vec::<String>::new());
}

#[test]
fn a_pair_that_cannot_land_leaves_its_record_unwritten() {
    // The record is renamed only after the pair: it never names a pair
    // that is not in place.
    let sb = Sandbox::new();
    let (cert, key) = with_old_pair(&sb, "tls");
    let record = sb.write("store/issued.json", b"[old]");
    let Some(_guard) = Immutable::set(&cert) else {
        return;
    };
    let new = new_pair();
    let err = store::write_cert_and_key_then(
        &cert,
        &new.cert,
        &key,
        &new.key,
        Overwrite::Allow,
        Some(then_file(&record, b"[new]")),
    )
    .unwrap_err();
    assert!(format!("{err:#}").contains("are unchanged"), "{err:#}");
    assert_eq!(std::fs::read(&key).unwrap(), old_pair().key);
    assert_eq!(std::fs::read(&cert).unwrap(), old_pair().cert);
    assert_eq!(std::fs::read(&record).unwrap(), b"[old]");
    assert_eq!(hidden_entries(&sb.path("tls")), Vec::<String>::new());
    assert_eq!(hidden_entries(&sb.path("store")), Vec::<String>::new());
}

#[test]
fn a_record_that_cannot_be_replaced_keeps_the_new_pair_and_says_so() {
    let sb = Sandbox::new();
    let (cert, key) = with_old_pair(&sb, "tls");
    let record = sb.write("store/issued.json", b"[old]");
    let Some(_guard) = Immutable::set(&record) else {
        return;
    };
    let new = new_pair();
    let err = store::write_cert_and_key_then(
        &cert,
        &new.cert,
        &key,
        &new.key,
        Overwrite::Allow,
        Some(then_file(&record, b"[new]")),
    )
    .unwrap_err();
    let message = format!("{err:#}");
    assert!(
        message.contains("the certificate and key are in place"),
        "{message}"
    );
    assert_eq!(std::fs::read(&cert).unwrap(), new.cert);
    assert_eq!(std::fs::read(&key).unwrap(), new.key);
    assert_eq!(std::fs::read(&record).unwrap(), b"[old]");
    assert_eq!(hidden_entries(&sb.path("store")), Vec::<String>::new());
}

#[test]
fn the_two_writes_the_cli_made_lost_the_key_in_the_same_case() {
    // The sequence `cert issue --force` used (key, then certificate, each
    // with write_atomic): why write_cert_and_key exists.
    let sb = Sandbox::new();
    let (cert, key) = with_old_pair(&sb, "tls");
    let Some(_guard) = Immutable::set(&cert) else {
        return;
    };
    let new = new_pair();
    store::write_atomic(&key, &new.key, store::MODE_PRIVATE, Overwrite::Allow).unwrap();
    assert!(store::write_atomic(&cert, &new.cert, store::MODE_PUBLIC, Overwrite::Allow).is_err());
    assert_ne!(std::fs::read(&key).unwrap(), old_pair().key);
}

#[test]
fn a_new_pair_lands_whole_with_its_modes() {
    let sb = Sandbox::new();
    let (cert, key) = with_old_pair(&sb, "tls");
    let new = new_pair();
    store::write_cert_and_key(&cert, &new.cert, &key, &new.key, Overwrite::Allow).unwrap();
    assert_eq!(std::fs::read(&cert).unwrap(), new.cert);
    assert_eq!(std::fs::read(&key).unwrap(), new.key);
    let mode = |p: &Path| {
        std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(p).unwrap().permissions())
            & 0o777
    };
    assert_eq!(mode(&key), 0o600);
    assert_eq!(mode(&cert), 0o644);
    assert_eq!(hidden_entries(&sb.path("tls")), Vec::<String>::new());
    // Into two directories, neither file there yet.
    let (c2, k2) = (sb.path("a/n.pem"), sb.path("b/n.key"));
    std::fs::create_dir_all(sb.path("a")).unwrap();
    std::fs::create_dir_all(sb.path("b")).unwrap();
    store::write_cert_and_key(&c2, &new.cert, &k2, &new.key, Overwrite::Never).unwrap();
    assert_eq!(std::fs::read(&k2).unwrap(), new.key);
}

#[test]
fn without_overwrite_an_existing_file_refuses_the_pair_and_nothing_is_left() {
    let sb = Sandbox::new();
    let new = new_pair();
    // The certificate exists, the key does not: the key is not left alone.
    let cert = sb.write("tls/n.pem", "someone's certificate");
    let key = sb.path("tls/n.key");
    let err =
        store::write_cert_and_key(&cert, &new.cert, &key, &new.key, Overwrite::Never).unwrap_err();
    assert!(
        format!("{err:#}").contains("already exists; pass --force"),
        "{err:#}"
    );
    assert!(!key.exists(), "no key without its certificate");
    assert_eq!(
        std::fs::read_to_string(&cert).unwrap(),
        "someone's certificate"
    );
    // The key exists: nothing changes.
    std::fs::remove_file(&cert).unwrap();
    std::fs::write(&key, "someone's key").unwrap();
    assert!(store::write_cert_and_key(&cert, &new.cert, &key, &new.key, Overwrite::Never).is_err());
    assert!(!cert.exists());
    assert_eq!(std::fs::read_to_string(&key).unwrap(), "someone's key");
    assert_eq!(hidden_entries(&sb.path("tls")), Vec::<String>::new());
}

#[test]
fn a_write_killed_between_its_renames_is_put_back_by_recovery() {
    let sb = Sandbox::new();
    let (cert, key) = with_old_pair(&sb, "tls");
    let new = new_pair();
    // What a kill after the key's rename leaves: the old key's second
    // name, the new key, the old certificate.
    let backup = sb.path("tls/.n.key.old-4242-0000beef");
    std::fs::hard_link(&key, &backup).unwrap();
    std::fs::remove_file(&key).unwrap();
    std::fs::write(&key, &new.key).unwrap();
    let done = store::recover_cert_and_key(&cert, &key);
    assert_eq!(done.len(), 1, "{done:?}");
    assert_eq!(std::fs::read(&key).unwrap(), old_pair().key);
    assert!(!backup.exists());
    // After a kill once both had landed, the backup just goes.
    std::fs::hard_link(&key, &backup).unwrap();
    store::write_cert_and_key(&cert, &new.cert, &key, &new.key, Overwrite::Allow).unwrap();
    store::recover_cert_and_key(&cert, &key);
    assert!(!backup.exists());
    assert_eq!(std::fs::read(&key).unwrap(), new.key);
}

#[test]
fn a_store_lock_recovers_an_issued_pair_killed_between_renames() {
    let sb = Sandbox::new();
    sb.cmd()
        .args([
            "-q",
            "cert",
            "issue",
            "n.example",
            "--cert-out",
            "n.pem",
            "--key-out",
            "n.key",
        ])
        .assert()
        .success();
    let (cert, key) = (sb.path("n.pem"), sb.path("n.key"));
    let old_key = std::fs::read(&key).unwrap();
    std::fs::hard_link(&key, sb.path(".n.key.old-4242-0000beef")).unwrap();
    std::fs::remove_file(&key).unwrap();
    std::fs::copy(fixture("chain/leaf-r.key"), &key).unwrap();
    sb.cmd()
        .args(["-q", "ca", "create", "another"])
        .assert()
        .success();
    assert_eq!(std::fs::read(&key).unwrap(), old_key);
    let pin = |p: &Path| {
        String::from_utf8(
            sb.cmd()
                .args(["pin", "--bare", "--leaf-only"])
                .arg(p)
                .output()
                .unwrap()
                .stdout,
        )
        .unwrap()
    };
    assert_eq!(pin(&cert), pin(&key));
}

#[test]
fn a_full_disk_leaves_the_old_pair() {
    if std::env::var_os("TLSCTL_FAULTS").is_none_or(|v| v != "1") {
        eprintln!("fault test skipped: set TLSCTL_FAULTS=1 as root to run it");
        return;
    }
    let sb = Sandbox::new();
    let small = sb.path("small");
    std::fs::create_dir_all(&small).unwrap();
    let mounted = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=256k", "tmpfs"])
        .arg(&small)
        .status()
        .is_ok_and(|s| s.success());
    assert!(mounted, "could not mount a tmpfs (run as root)");
    let result = std::panic::catch_unwind(|| {
        let old = old_pair();
        let (cert, key) = (small.join("n.pem"), small.join("n.key"));
        std::fs::write(&cert, &old.cert).unwrap();
        std::fs::write(&key, &old.key).unwrap();
        // Fill the disk, then free just enough for the key's temporary file.
        {
            use std::io::Write;
            let mut filler = std::fs::File::create(small.join("filler")).unwrap();
            let chunk = vec![0u8; 1024];
            while filler.write_all(&chunk).is_ok() {}
            filler.sync_all().ok();
        }
        let filler_len = std::fs::metadata(small.join("filler")).unwrap().len();
        let f = std::fs::OpenOptions::new()
            .write(true)
            .open(small.join("filler"))
            .unwrap();
        f.set_len(filler_len.saturating_sub(4096)).unwrap();
        drop(f);
        // A certificate too big for what is left.
        let mut big_cert = new_pair().cert;
        while big_cert.len() < 64 * 1024 {
            big_cert.extend_from_slice(&new_pair().cert);
        }
        let err =
            store::write_cert_and_key(&cert, &big_cert, &key, &new_pair().key, Overwrite::Allow)
                .unwrap_err();
        assert!(
            format!("{err:#}").contains("No space left on device"),
            "{err:#}"
        );
        assert_eq!(std::fs::read(&key).unwrap(), old.key);
        assert_eq!(std::fs::read(&cert).unwrap(), old.cert);
        let temps: Vec<String> = hidden_entries(&small);
        assert!(temps.is_empty(), "left behind: {temps:?}");
    });
    let _ = Command::new("umount").arg(&small).status();
    result.unwrap();
}

#[test]
fn devices_pipes_directories_and_system_paths_are_refused_as_destinations() {
    let sb = Sandbox::new();
    std::fs::create_dir(sb.path("adir")).unwrap();
    let fifo = sb.path("fifo");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    std::os::unix::fs::symlink("/dev/null", sb.path("to-null")).unwrap();
    for (path, what) in [
        (PathBuf::from("/dev/stdout"), "in /dev"),
        (PathBuf::from("/dev/null"), "in /dev"),
        (PathBuf::from("/proc/self/fd/1"), "in /proc"),
        (sb.path("to-null"), "a link into /dev"),
        (fifo.clone(), "a pipe"),
        (sb.path("adir"), "a directory"),
    ] {
        let err =
            store::write_atomic(&path, b"key", store::MODE_PRIVATE, Overwrite::Allow).unwrap_err();
        let message = format!("{err:#}");
        assert!(
            message.contains(&format!("is {what}, not a regular file")),
            "{}: {message}",
            path.display()
        );
    }
    assert!(
        std::fs::symlink_metadata("/dev/stdout")
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(store::check_destination(&sb.path("new.pem")).is_ok());
    assert!(store::check_destination(&sb.write("plain.pem", "x")).is_ok());
}

#[test]
fn cli_key_out_dev_stdout_with_force_is_refused() {
    let sb = Sandbox::new();
    sb.cmd()
        .args([
            "cert",
            "issue",
            "n.example",
            "--cert-out",
            "n.pem",
            "--key-out",
            "/dev/stdout",
            "--force",
        ])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "/dev/stdout: is in /dev, not a regular file",
        ));
    assert!(
        std::fs::symlink_metadata("/dev/stdout")
            .unwrap()
            .file_type()
            .is_symlink(),
        "the /dev/stdout link is still a link"
    );
}

#[test]
fn cli_issue_force_with_a_certificate_that_cannot_be_replaced_keeps_the_old_key() {
    let sb = Sandbox::new();
    sb.cmd()
        .args([
            "-q",
            "cert",
            "issue",
            "n.example",
            "--cert-out",
            "n.pem",
            "--key-out",
            "n.key",
        ])
        .assert()
        .success();
    let old_key = std::fs::read(sb.path("n.key")).unwrap();
    let old_cert = std::fs::read(sb.path("n.pem")).unwrap();
    let Some(_guard) = Immutable::set(&sb.path("n.pem")) else {
        return;
    };
    sb.cmd()
        .args([
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
        .code(2);
    assert_eq!(std::fs::read(sb.path("n.key")).unwrap(), old_key);
    assert_eq!(std::fs::read(sb.path("n.pem")).unwrap(), old_cert);
}

#[test]
fn a_temporary_key_a_killed_write_left_is_removed_by_the_next_write_there() {
    let sb = Sandbox::new();
    // PID 4194304 is above Linux's pid_max limit: never running.
    let stale = sb.write("tls/.n.key.tmp-4194304-0badc0de", "a copy of a key");
    let live = sb.write(
        &format!("tls/.n.key.tmp-{}-0badc0de", std::process::id()),
        "a write in progress",
    );
    let other = sb.write("tls/.other.key.tmp-4194304-0badc0de", "not this file's");
    let new = new_pair();
    store::write_cert_and_key(
        &sb.path("tls/n.pem"),
        &new.cert,
        &sb.path("tls/n.key"),
        &new.key,
        Overwrite::Never,
    )
    .unwrap();
    assert!(!stale.exists(), "the dead run's copy of the key is gone");
    assert!(live.exists(), "a running process's temporary file stays");
    assert!(other.exists(), "another file's temporary file stays");
}

#[test]
fn a_key_a_killed_no_clobber_pair_write_published_alone_is_taken_back() {
    let sb = Sandbox::new();
    let new = new_pair();
    // A kill between the two link(2) calls: the key is published (a second
    // name of the dead run's temporary file), the certificate is not.
    let tmp = sb.write("tls/.n.key.tmp-4194304-0badc0de", old_pair().key);
    std::fs::hard_link(&tmp, sb.path("tls/n.key")).unwrap();
    let (cert, key) = (sb.path("tls/n.pem"), sb.path("tls/n.key"));
    store::write_cert_and_key(&cert, &new.cert, &key, &new.key, Overwrite::Never).unwrap();
    assert_eq!(std::fs::read(&key).unwrap(), new.key);
    assert_eq!(std::fs::read(&cert).unwrap(), new.cert);
    assert_eq!(hidden_entries(&sb.path("tls")), Vec::<String>::new());
    // A key that merely exists (someone's own) is never taken back.
    let (cert2, key2) = (sb.path("tls/m.pem"), sb.write("tls/m.key", "someone's key"));
    assert!(store::take_back_unfinished_pair(&cert2, &key2).is_none());
    assert!(
        store::write_cert_and_key(&cert2, &new.cert, &key2, &new.key, Overwrite::Never).is_err()
    );
    assert_eq!(std::fs::read_to_string(&key2).unwrap(), "someone's key");
}

#[test]
fn a_staged_key_lands_with_its_certificate_and_record() {
    let sb = Sandbox::new();
    let (cert, key) = with_old_pair(&sb, "tls");
    let record = sb.write("store/issued.json", b"[old]");
    let new = new_pair();
    let staged = store::Staged::key(&key, &cert, new.key.clone()).unwrap();
    let staged_record =
        store::Staged::start(&record, b"[new]".to_vec(), store::MODE_PRIVATE).unwrap();
    store::write_staged_cert_and_key_then(
        &cert,
        &new.cert,
        staged,
        Overwrite::Allow,
        Some(staged_record),
    )
    .unwrap();
    assert_eq!(std::fs::read(&cert).unwrap(), new.cert);
    assert_eq!(std::fs::read(&key).unwrap(), new.key);
    assert_eq!(std::fs::read(&record).unwrap(), b"[new]");
    let mode = std::fs::metadata(&key).unwrap().permissions();
    assert_eq!(
        std::os::unix::fs::PermissionsExt::mode(&mode) & 0o777,
        0o600
    );
    assert_eq!(hidden_entries(&sb.path("tls")), Vec::<String>::new());
    assert_eq!(hidden_entries(&sb.path("store")), Vec::<String>::new());
}

#[test]
fn a_staged_key_never_used_leaves_nothing_and_the_old_pair_stays() {
    // What `cert issue` does when signing fails after the key was staged.
    let sb = Sandbox::new();
    let (cert, key) = with_old_pair(&sb, "tls");
    let staged = store::Staged::key(&key, &cert, new_pair().key).unwrap();
    drop(staged);
    assert_eq!(std::fs::read(&cert).unwrap(), old_pair().cert);
    assert_eq!(std::fs::read(&key).unwrap(), old_pair().key);
    assert_eq!(hidden_entries(&sb.path("tls")), Vec::<String>::new());
}

#[test]
fn a_staged_key_whose_certificate_cannot_be_written_leaves_nothing() {
    let sb = Sandbox::new();
    let (_, key) = with_old_pair(&sb, "tls");
    let record = sb.write("store/issued.json", b"[old]");
    let staged_record =
        store::Staged::start(&record, b"[new]".to_vec(), store::MODE_PRIVATE).unwrap();
    let staged = store::Staged::key(&key, &sb.path("missing/n.pem"), new_pair().key).unwrap();
    // The certificate's directory does not exist.
    let err = store::write_staged_cert_and_key_then(
        &sb.path("missing/n.pem"),
        &new_pair().cert,
        staged,
        Overwrite::Allow,
        Some(staged_record),
    )
    .unwrap_err();
    assert!(format!("{err:#}").contains("missing"), "{err:#}");
    assert_eq!(std::fs::read(&key).unwrap(), old_pair().key);
    // The record, already on disk as a temporary file, never names the pair.
    assert_eq!(std::fs::read(&record).unwrap(), b"[old]");
    assert_eq!(hidden_entries(&sb.path("tls")), Vec::<String>::new());
    assert_eq!(hidden_entries(&sb.path("store")), Vec::<String>::new());
}

/// issued.json as `cert issue --cert-out/--key-out` leaves it (the record
/// is staged before the certificate is signed).
fn records(sb: &Sandbox) -> Vec<serde_json::Value> {
    let path = sb.store().join("issued.json");
    let mode = std::fs::metadata(&path).unwrap().permissions();
    assert_eq!(
        std::os::unix::fs::PermissionsExt::mode(&mode) & 0o777,
        0o600
    );
    serde_json::from_slice::<serde_json::Value>(&std::fs::read(path).unwrap())
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

#[test]
fn cli_issue_to_files_records_the_pair_once_and_a_failed_issue_records_nothing() {
    let sb = Sandbox::new();
    std::fs::create_dir_all(sb.path("tls")).unwrap();
    let issue = |force: bool| {
        let mut cmd = sb.cmd();
        cmd.args(["cert", "issue", "node-a", "--cert-out", "tls/a.pem"])
            .args(["--key-out", "tls/a.key"]);
        if force {
            cmd.arg("--force");
        }
        cmd.assert()
    };
    issue(false).success();
    let first = records(&sb);
    assert_eq!(first.len(), 1, "{first:?}");
    assert_eq!(first[0]["cert"], sb.path("tls/a.pem").display().to_string());
    assert_eq!(first[0]["key"], sb.path("tls/a.key").display().to_string());
    assert_eq!(first[0]["layout"], "files");
    // Without --force: refused, the record and the pair unchanged.
    let pair = (
        std::fs::read(sb.path("tls/a.pem")).unwrap(),
        std::fs::read(sb.path("tls/a.key")).unwrap(),
    );
    issue(false).failure();
    assert_eq!(records(&sb), first);
    assert_eq!(std::fs::read(sb.path("tls/a.pem")).unwrap(), pair.0);
    // With --force: replaced, still one record for the pair.
    issue(true).success();
    let second = records(&sb);
    assert_eq!(second.len(), 1, "{second:?}");
    assert_eq!(second[0]["cert"], first[0]["cert"]);
    assert_ne!(std::fs::read(sb.path("tls/a.key")).unwrap(), pair.1);
    // A CA that cannot sign (expired by then): nothing written, no record.
    sb.cmd()
        .env("TLSCTL_NOW", "2099-01-01T00:00:00Z")
        .args(["cert", "issue", "node-b"])
        .args(["--cert-out", "tls/b.pem", "--key-out", "tls/b.key"])
        .assert()
        .failure()
        .stderr(predicates::str::contains("expired"));
    assert_eq!(records(&sb), second);
    assert!(!sb.path("tls/b.key").exists());
    assert_eq!(hidden_entries(&sb.path("tls")), Vec::<String>::new());
    assert_eq!(hidden_entries(&sb.store()), vec![".store.lock".to_owned()]);
}

#[test]
fn a_staged_record_never_used_leaves_issued_json_as_it_was() {
    let sb = Sandbox::new();
    let record = sb.write("store/issued.json", b"[old]");
    let staged = store::Staged::start(&record, b"[new]".to_vec(), store::MODE_PRIVATE).unwrap();
    drop(staged);
    assert_eq!(std::fs::read(&record).unwrap(), b"[old]");
    assert_eq!(hidden_entries(&sb.path("store")), Vec::<String>::new());
}
