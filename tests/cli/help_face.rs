//! The face of the CLI outside its commands: help headings and dynamic
//! completion of store values.

use crate::support::Sandbox;

fn completions(sb: &Sandbox, words: &[&str]) -> Vec<String> {
    let out = sb
        .cmd()
        .env("COMPLETE", "fish")
        .arg("--")
        .args(words)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| l.split('\t').next().unwrap_or_default().to_owned())
        .collect()
}

#[test]
fn ca_names_complete_from_the_store() {
    let sb = Sandbox::new();
    // No store yet: nothing to offer, and no error.
    let none = completions(&sb, &["tlsctl", "ca", "show", ""]);
    assert!(!none.iter().any(|c| c == "root"), "{none:?}");
    sb.cmd().args(["ca", "create", "root"]).assert().success();
    sb.cmd()
        .args(["ca", "create", "x3", "--parent", "root"])
        .assert()
        .success();
    for words in [
        &["tlsctl", "ca", "show", ""][..],
        &["tlsctl", "ca", "export", ""],
        &["tlsctl", "ca", "create", "r3", "--parent", ""],
        &["tlsctl", "cert", "issue", "a.example", "--ca", ""],
        &["tlsctl", "cert", "renew", "cert.pem", "--ca", ""],
    ] {
        let offered = completions(&sb, words);
        for name in ["root", "x3"] {
            assert!(offered.iter().any(|c| c == name), "{words:?}: {offered:?}");
        }
    }
    // A prefix narrows them.
    let offered = completions(&sb, &["tlsctl", "ca", "show", "x"]);
    assert_eq!(offered, ["x3"]);
}

#[test]
fn completion_scripts_ask_tlsctl_itself() {
    let sb = Sandbox::new();
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let out = sb.cmd().args(["completions", shell]).output().unwrap();
        assert!(out.status.success());
        let script = String::from_utf8(out.stdout).unwrap();
        assert!(script.contains("COMPLETE"), "{shell}: {script}");
        assert!(script.contains("tlsctl"), "{shell}");
    }
}

#[test]
fn subcommand_help_puts_the_global_options_under_their_own_heading() {
    let sb = Sandbox::new();
    let out = sb.cmd().args(["pin", "--help"]).output().unwrap();
    let help = String::from_utf8(out.stdout).unwrap();
    let (own, global) = help.split_once("Global options:").expect(&help);
    assert!(own.contains("--nats"), "{help}");
    assert!(!own.contains("--json"), "{help}");
    for flag in ["--json", "--store <DIR>", "--quiet", "--color <WHEN>"] {
        assert!(global.contains(flag), "{flag}: {help}");
    }
}
