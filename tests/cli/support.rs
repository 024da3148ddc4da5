//! Test support: a hermetic `tlsctl` command and fixture paths.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use tempfile::TempDir;

/// The clock every test runs at, unless it pins another: after the
/// fixtures were made (tests/fixtures/README.md), before they expire.
pub const NOW: &str = "2027-06-01T12:00:00Z";

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

pub fn fixture(rel: &str) -> PathBuf {
    fixtures().join(rel)
}

/// A sandbox: a temporary directory used as HOME and as the store.
pub struct Sandbox {
    pub dir: TempDir,
}

impl Sandbox {
    pub fn new() -> Sandbox {
        Sandbox {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    pub fn store(&self) -> PathBuf {
        self.dir.path().join("store")
    }

    /// `tlsctl` with nothing from the caller's environment but PATH, run
    /// in the sandbox directory.
    pub fn cmd(&self) -> Command {
        let mut cmd = Command::cargo_bin("tlsctl").unwrap();
        cmd.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.dir.path())
            .env("TLSCTL_HOME", self.store())
            .env("TLSCTL_NOW", NOW)
            .current_dir(self.dir.path());
        cmd
    }

    /// `cmd` on the real clock, for tests whose certificates are checked
    /// by tools that read the clock themselves (openssl, nats-server).
    pub fn cmd_realtime(&self) -> Command {
        let mut cmd = self.cmd();
        cmd.env_remove("TLSCTL_NOW");
        cmd
    }

    pub fn write(&self, rel: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let p = self.path(rel);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(&p, contents).unwrap();
        p
    }
}

/// `tlsctl` for commands that must not write anything: HOME and the store
/// point at a path that does not exist, and it runs in the fixtures
/// directory.
pub fn tlsctl() -> Command {
    let mut cmd = Command::cargo_bin("tlsctl").unwrap();
    cmd.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", "/nonexistent/tlsctl-test-home")
        .env("TLSCTL_HOME", "/nonexistent/tlsctl-test-home/store")
        .env("TLSCTL_NOW", NOW)
        .current_dir(fixtures());
    cmd
}

/// stdout of a successful run, as text.
pub fn stdout_of(cmd: &mut Command) -> String {
    let out = cmd.assert().success().get_output().stdout.clone();
    String::from_utf8(out).unwrap()
}

/// The pins openssl computed for the fixtures (tests/fixtures/make.sh).
pub fn openssl_pins() -> Vec<(String, String)> {
    std::fs::read_to_string(fixture("pins.openssl.txt"))
        .unwrap()
        .lines()
        .map(|l| {
            let (pin, file) = l.split_once("  ").unwrap();
            (pin.to_owned(), file.to_owned())
        })
        .collect()
}

/// The JSON document a successful run printed.
pub fn json_of(cmd: &mut Command) -> serde_json::Value {
    let out = cmd.assert().success().get_output().stdout.clone();
    serde_json::from_slice(&out).unwrap()
}

/// The usual rotation PKI, made by the CLI in one call: the root `acme`,
/// its active intermediate `x3` and standby `r3`, and a dual-use leaf from
/// each in a versioned directory (`node-a` from X3, `node-b` from R3), with
/// both CA certificates exported beside them.
#[allow(dead_code)] // not every test module builds the whole PKI
pub struct Pki {
    pub root: PathBuf,
    pub x3: PathBuf,
    pub r3: PathBuf,
    /// node-a/cert.pem, issued by X3.
    pub node_a: PathBuf,
    /// node-b/cert.pem, issued by R3.
    pub node_b: PathBuf,
}

impl Sandbox {
    /// Builds [`Pki`] in this sandbox's store and directory.
    pub fn pki(&self) -> Pki {
        let run = |args: &[&str]| {
            self.cmd().args(args).assert().success();
        };
        run(&["ca", "create", "acme", "--cn", "Acme Root"]);
        run(&["ca", "create", "x3", "--parent", "acme", "--cn", "Acme X3"]);
        run(&["ca", "create", "r3", "--parent", "acme", "--cn", "Acme R3"]);
        run(&[
            "cert",
            "issue",
            "node-a.nats.internal",
            "10.0.0.1",
            "--ca",
            "x3",
            "--out",
            "node-a",
        ]);
        run(&[
            "cert",
            "issue",
            "node-b.nats.internal",
            "10.0.0.2",
            "--ca",
            "r3",
            "--out",
            "node-b",
        ]);
        for ca in ["acme", "x3", "r3"] {
            let pem = stdout_of(self.cmd().args(["ca", "export", ca]));
            self.write(&format!("{ca}.pem"), pem);
        }
        Pki {
            root: self.path("acme.pem"),
            x3: self.path("x3.pem"),
            r3: self.path("r3.pem"),
            node_a: self.path("node-a/cert.pem"),
            node_b: self.path("node-b/cert.pem"),
        }
    }
}

impl Sandbox {
    /// `sh -c LINE` in the sandbox, as a user types it: `tlsctl` is the
    /// binary under test (first on PATH), the store and HOME are the
    /// sandbox's, nothing else comes from the caller's environment, and the
    /// clock is the real one (the commands' output is fed to tools that read
    /// it themselves).
    #[allow(dead_code)] // the README and Next: tests use it
    pub fn sh(&self, line: &str) -> std::process::Command {
        let bin = assert_cmd::cargo::cargo_bin("tlsctl");
        let mut path = std::ffi::OsString::from(bin.parent().unwrap());
        path.push(":");
        path.push(std::env::var_os("PATH").unwrap_or_default());
        let mut cmd = std::process::Command::new("sh");
        cmd.arg("-c")
            .arg(line)
            .env_clear()
            .env("PATH", path)
            .env("HOME", self.dir.path())
            .env("TLSCTL_HOME", self.store())
            .current_dir(self.dir.path())
            .stdin(std::process::Stdio::null());
        cmd
    }
}
