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
