//! `tlsctl ca install NAME` / `ca uninstall NAME`, as `mkcert -install`,
//! on scratch trust stores only: `TLSCTL_TRUST_ROOT` puts the system store
//! (/usr/local/share/ca-certificates, /etc/ssl/certs) under a temporary
//! directory, and HOME holds the NSS databases. The real
//! update-ca-certificates and certutil change them; `openssl verify
//! -CApath` and `curl --capath` against `tlsctl serve` say whether the CA
//! is trusted.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use predicates::prelude::*;

use crate::interop::{enabled, run_tool};
use crate::net::Served;
use crate::support::{Sandbox, json_of, stdout_of};

/// A scratch system store: the directories a Debian system has, and
/// another local CA so the store is never empty (update-ca-certificates
/// rewrites its bundle only when it holds some certificate).
fn scratch(sb: &Sandbox) -> PathBuf {
    let root = sb.path("root");
    for dir in [
        "etc/ssl/certs",
        "usr/local/share/ca-certificates",
        "usr/share/ca-certificates",
    ] {
        std::fs::create_dir_all(root.join(dir)).unwrap();
    }
    sb.cmd().args(["ca", "create", "other"]).assert().success();
    std::fs::copy(
        sb.store().join("cas/other/ca.pem"),
        root.join("usr/local/share/ca-certificates/other.crt"),
    )
    .unwrap();
    root
}

fn trust_cmd(sb: &Sandbox, root: &Path) -> assert_cmd::Command {
    let mut cmd = sb.cmd_realtime();
    cmd.env("TLSCTL_TRUST_ROOT", root);
    cmd
}

/// Whether openssl trusts `leaf` with the scratch /etc/ssl/certs.
fn openssl_trusts(root: &Path, leaf: &Path) -> bool {
    Command::new("openssl")
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .args(["verify", "-no-CAfile", "-no-CAstore", "-CApath"])
        .arg(root.join("etc/ssl/certs"))
        .arg(leaf)
        .output()
        .unwrap()
        .status
        .success()
}

/// curl over HTTPS to `tlsctl serve` with the scratch /etc/ssl/certs: the
/// first line it got (serve greets every connection), or curl's exit code.
fn curl_first_line(root: &Path, addr: &str) -> Result<String, i32> {
    let port = addr.rsplit(':').next().unwrap();
    // Only the scratch store: no CURL_CA_BUNDLE or SSL_CERT_DIR from outside.
    let mut child = Command::new("curl")
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .args(["-sS", "--no-buffer", "--http0.9", "--capath"])
        .arg(root.join("etc/ssl/certs"))
        .args(["--resolve", &format!("localhost:{port}:127.0.0.1")])
        .arg(format!("https://localhost:{port}/"))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    // serve echoes until the client leaves: end curl once it has the line.
    let _ = child.kill();
    let status = child.wait().unwrap();
    if line.is_empty() {
        Err(status.code().unwrap_or(-1))
    } else {
        Ok(line)
    }
}

#[test]
fn install_makes_openssl_and_curl_trust_the_ca_and_uninstall_undoes_it() {
    if !enabled() {
        return;
    }
    let sb = Sandbox::new();
    let root = scratch(&sb);
    let home = sb.dir.path();
    // An NSS database, as Chrome keeps one, and a Firefox profile.
    for db in [".pki/nssdb", ".mozilla/firefox/abcd.default-release"] {
        std::fs::create_dir_all(home.join(db)).unwrap();
        run_tool(
            "certutil",
            &[
                "-N",
                "-d",
                &format!("sql:{}", home.join(db).display()),
                "--empty-password",
            ],
            home,
        );
    }
    sb.cmd_realtime()
        .args(["ca", "create", "dev"])
        .assert()
        .success();
    sb.cmd_realtime()
        .args([
            "cert",
            "issue",
            "localhost",
            "127.0.0.1",
            "--ca",
            "dev",
            "--out",
            "web",
        ])
        .assert()
        .success();
    let leaf = sb.path("web/cert.pem");
    let served = Served::start(&sb, &["--cert", "web/cert.pem", "--key", "web/key.pem"]);
    assert!(!openssl_trusts(&root, &leaf));
    assert_eq!(
        curl_first_line(&root, &served.addr),
        Err(60),
        "not trusted yet"
    );

    // --dry-run: the commands, nothing changed.
    let dry = stdout_of(trust_cmd(&sb, &root).args(["ca", "install", "dev", "--dry-run"]));
    assert!(dry.contains("would install in the system store"), "{dry}");
    assert!(
        dry.contains("update-ca-certificates --localcertsdir"),
        "{dry}"
    );
    assert!(dry.contains("-A -t C,, -n tlsctl-dev"), "{dry}");
    assert!(
        !root
            .join("usr/local/share/ca-certificates/tlsctl-dev.crt")
            .exists()
    );
    assert!(!openssl_trusts(&root, &leaf));

    let doc = json_of(trust_cmd(&sb, &root).args(["--json", "ca", "install", "dev"]));
    let statuses: Vec<(&str, &str)> = doc["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["store"].as_str().unwrap(), s["status"].as_str().unwrap()))
        .collect();
    assert_eq!(
        statuses,
        [("system", "done"), ("nss", "done"), ("nss", "done")]
    );
    assert!(openssl_trusts(&root, &leaf));
    let line = curl_first_line(&root, &served.addr).expect("curl trusts the CA now");
    assert!(line.starts_with("hello from tlsctl serve"), "{line}");
    for db in [".pki/nssdb", ".mozilla/firefox/abcd.default-release"] {
        let list = run_tool(
            "certutil",
            &["-d", &format!("sql:{}", home.join(db).display()), "-L"],
            home,
        );
        assert!(
            list.contains("tlsctl-dev") && list.contains("C,,"),
            "{list}"
        );
    }
    // Again: nothing to change.
    let again = stdout_of(trust_cmd(&sb, &root).args(["ca", "install", "dev"]));
    assert_eq!(again.matches("already in").count(), 3, "{again}");

    let doc = json_of(trust_cmd(&sb, &root).args(["--json", "ca", "uninstall", "dev"]));
    assert_eq!(doc["action"], "uninstall");
    assert!(
        doc["steps"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["status"] == "done"),
        "{doc}"
    );
    assert!(!openssl_trusts(&root, &leaf));
    assert_eq!(
        curl_first_line(&root, &served.addr),
        Err(60),
        "not trusted any more"
    );
    let bundle = std::fs::read_to_string(root.join("etc/ssl/certs/ca-certificates.crt")).unwrap();
    let dev = stdout_of(sb.cmd().args(["ca", "export", "dev"]));
    let body = dev
        .lines()
        .filter(|l| !l.starts_with('#'))
        .collect::<Vec<_>>()[1]
        .to_owned();
    assert!(!bundle.contains(&body), "gone from the bundle file too");
    // The other CA stays.
    assert!(
        root.join("usr/local/share/ca-certificates/other.crt")
            .exists()
    );
    let list = run_tool(
        "certutil",
        &[
            "-d",
            &format!("sql:{}", home.join(".pki/nssdb").display()),
            "-L",
        ],
        home,
    );
    assert!(!list.contains("tlsctl-dev"), "{list}");
    let again = stdout_of(trust_cmd(&sb, &root).args(["ca", "uninstall", "dev"]));
    assert_eq!(again.matches("not in").count(), 3, "{again}");
}

#[test]
fn without_permission_it_says_what_to_run_and_exits_1() {
    if !enabled() {
        return;
    }
    let sb = Sandbox::new();
    let root = scratch(&sb);
    sb.cmd().args(["ca", "create", "dev"]).assert().success();
    // As a user who may not write the system store: nobody, when the tests
    // run as root (root may write anywhere).
    let as_root =
        std::os::unix::fs::MetadataExt::uid(&std::fs::metadata(sb.dir.path()).unwrap()) == 0;
    if as_root && Command::new("setpriv").arg("--help").output().is_err() {
        eprintln!("skipped: running as root without setpriv");
        return;
    }
    std::fs::set_permissions(
        root.join("usr/local/share/ca-certificates"),
        std::os::unix::fs::PermissionsExt::from_mode(0o555),
    )
    .unwrap();
    // nobody reads the store (the sandbox is private to the test's user).
    for dir in [
        sb.dir.path().to_path_buf(),
        sb.store(),
        sb.store().join("cas"),
        sb.store().join("cas/dev"),
    ] {
        std::fs::set_permissions(&dir, std::os::unix::fs::PermissionsExt::from_mode(0o755))
            .unwrap();
    }
    let tlsctl = assert_cmd::cargo::cargo_bin("tlsctl");
    let mut cmd = if as_root {
        let mut c = Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(&tlsctl);
        c
    } else {
        Command::new(&tlsctl)
    };
    let out = cmd
        .args(["ca", "install", "dev"])
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", sb.path("nohome"))
        .env("TLSCTL_HOME", sb.store())
        .env("TLSCTL_TRUST_ROOT", &root)
        .current_dir(sb.dir.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("needs root for the system store"),
        "{stdout}"
    );
    assert!(
        stdout.contains("Run as root (or with sudo) to finish:"),
        "{stdout}"
    );
    assert!(stdout.contains("  sudo install -m 0644 "), "{stdout}");
    assert!(
        stdout.contains("  sudo /usr/sbin/update-ca-certificates"),
        "{stdout}"
    );
    assert!(
        !root
            .join("usr/local/share/ca-certificates/tlsctl-dev.crt")
            .exists()
    );
}

#[test]
fn only_a_root_ca_of_the_store_is_installed() {
    let sb = Sandbox::new();
    let root = sb.path("root");
    sb.cmd().args(["ca", "create", "acme"]).assert().success();
    sb.cmd()
        .args(["ca", "create", "x3", "--parent", "acme"])
        .assert()
        .success();
    trust_cmd(&sb, &root)
        .args(["ca", "install", "x3", "--dry-run"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("intermediate").and(predicates::str::contains("roots")));
    trust_cmd(&sb, &root)
        .args(["ca", "install", "nope"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("no CA named \"nope\""));
    assert!(!root.exists(), "nothing was created");
}
