//! The CLI frame: exit codes, errors printed once, broken pipes, colour,
//! help and version.

use std::io::Read;
use std::process::Stdio;

use predicates::prelude::*;

use crate::support::{Sandbox, fixture, tlsctl};

#[test]
fn usage_errors_are_exit_2() {
    tlsctl()
        .arg("pin")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("FILE"));
    tlsctl().arg("no-such-command").assert().code(2);
    tlsctl()
        .args(["pin", "--nats", "--bare", "chain/root.pem"])
        .assert()
        .code(2);
}

#[test]
fn help_and_version_are_exit_0_on_stdout() {
    tlsctl()
        .arg("--help")
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "Exit codes: 0 success, 1 a check found a problem",
        ));
    tlsctl()
        .arg("--version")
        .assert()
        .success()
        .stdout(format!("tlsctl {}\n", env!("CARGO_PKG_VERSION")));
}

#[test]
fn an_error_is_printed_once_prefixed_and_nothing_else() {
    let out = tlsctl()
        .args(["pin", "missing.pem"])
        .assert()
        .code(2)
        .get_output()
        .clone();
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "tlsctl: missing.pem: no such file; check the path\n"
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn stdin_can_be_named_once() {
    tlsctl()
        .args(["pin", "-", "-"])
        .write_stdin("")
        .assert()
        .code(2)
        .stderr("tlsctl: standard input (-) can be given only once\n");
}

#[test]
fn a_closed_stdout_is_not_an_error() {
    let sandbox = Sandbox::new();
    let root = std::fs::read(fixture("chain/root.pem")).unwrap();
    let big = sandbox.write("big.pem", root.repeat(3000));
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("tlsctl"))
        .args(["pin"])
        .arg(&big)
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
    assert_eq!(status.code(), Some(0), "stderr: {stderr}");
    assert_eq!(stderr, "");
}

#[test]
fn colour_follows_the_flag() {
    let always = tlsctl()
        .args(["--color", "always", "inspect", "chain/leaf.pem"])
        .env("NO_COLOR", "1")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert!(String::from_utf8_lossy(&always).contains("\x1b["));
    let never = tlsctl()
        .args(["--color", "never", "inspect", "chain/leaf.pem"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert!(!String::from_utf8_lossy(&never).contains('\x1b'));
    // Not a terminal: auto means no colour.
    let auto = tlsctl()
        .args(["inspect", "chain/leaf.pem"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert!(!String::from_utf8_lossy(&auto).contains('\x1b'));
}

#[test]
fn a_bad_tlsctl_now_is_a_usage_error() {
    tlsctl()
        .env("TLSCTL_NOW", "yesterday")
        .args(["pin", "chain/root.pem"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "TLSCTL_NOW=yesterday: not an RFC 3339 time",
        ));
}

#[test]
fn completions_are_printed_for_every_shell() {
    for (shell, marker) in [
        ("bash", "_clap_complete_tlsctl()"),
        ("zsh", "#compdef tlsctl"),
        ("fish", "complete --keep-order --exclusive --command tlsctl"),
        ("elvish", "edit:completion:arg-completer[tlsctl]"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        tlsctl()
            .args(["completions", shell])
            .assert()
            .success()
            .stdout(predicate::str::contains(marker));
    }
}
