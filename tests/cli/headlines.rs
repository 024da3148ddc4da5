//! Whole-output snapshots of the headline human outputs: stdout, stderr and
//! the exit status together, so that a change in any of them is seen in
//! review. Random values (pins, serials, fingerprints) and sandbox paths are
//! filtered; everything else is as the user reads it.

use assert_cmd::Command;

use crate::support::{Sandbox, tlsctl};

/// The run as one text: its exit status, then stdout, then stderr.
fn transcript(cmd: &mut Command) -> String {
    let out = cmd.output().unwrap();
    format!(
        "status: {}\n--- stdout\n{}--- stderr\n{}",
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

macro_rules! snap {
    ($name:expr, $text:expr) => {
        snap!($name, $text, "/nonexistent-sandbox")
    };
    ($name:expr, $text:expr, $sandbox:expr) => {
        let sandbox = regex_escape($sandbox);
        insta::with_settings!({
            filters => vec![
                (sandbox.as_str(), "[sandbox]"),
                (r"\b[0-9a-f]{12,}…?", "[hex]"),
                (r"\b([0-9A-F]{2}:){8,}[0-9A-F]{2}\b", "[fingerprint]"),
            ],
            snapshot_path => "snapshots",
            prepend_module_to_snapshot => false,
        }, {
            insta::assert_snapshot!($name, $text);
        });
    };
}

fn regex_escape(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '/' || c == '_' {
                c.to_string()
            } else {
                format!("\\{c}")
            }
        })
        .collect()
}

#[test]
fn the_bundle_diff_review_reads_like_a_review() {
    snap!(
        "headline_bundle_diff",
        transcript(tlsctl().args([
            "bundle",
            "diff",
            "chain/inter.pem",
            "chain/inter-r.pem",
            "--peer",
            "chain/leaf.pem",
            "chain/leaf-r.pem",
            "--check",
        ]))
    );
}

#[test]
fn lint_names_each_finding_with_its_fix() {
    snap!(
        "headline_lint",
        transcript(tlsctl().args([
            "lint",
            "chain/server-only.pem",
            "--role",
            "nats-route",
            "--host",
            "10.9.9.9",
        ]))
    );
}

#[test]
fn inspect_labels_the_pin_and_the_fingerprint_apart() {
    snap!(
        "headline_inspect",
        transcript(tlsctl().args(["inspect", "chain/leaf.pem"]))
    );
}

#[test]
fn cert_issue_says_what_it_made_and_what_to_do_next() {
    let sb = Sandbox::new();
    let root = sb.dir.path().display().to_string();
    snap!(
        "headline_cert_issue_first_use",
        transcript(
            sb.cmd()
                .args(["cert", "issue", "localhost", "127.0.0.1", "::1"])
        ),
        &root
    );
    sb.cmd()
        .args(["ca", "create", "x3", "--parent", "default"])
        .assert()
        .success();
    snap!(
        "headline_cert_issue_from_intermediate",
        transcript(sb.cmd().args([
            "cert",
            "issue",
            "node-a.example",
            "--ca",
            "x3",
            "--out",
            "node-a",
        ])),
        &root
    );
}
