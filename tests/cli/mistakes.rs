//! The mistakes a new user makes, each answered with the file named and
//! what to do (found by trying the README as a new user would).

use predicates::prelude::*;

use crate::support::{Sandbox, fixture, stdout_of};

fn chain_sandbox() -> Sandbox {
    let sb = Sandbox::new();
    for f in [
        "root.pem",
        "inter.pem",
        "inter-r.pem",
        "leaf.pem",
        "leaf.key",
    ] {
        std::fs::copy(fixture(&format!("chain/{f}")), sb.path(f)).unwrap();
    }
    sb
}

#[test]
fn a_typo_in_a_file_name_suggests_the_file_beside_it() {
    let sb = chain_sandbox();
    sb.cmd()
        .args(["lint", "leaf.pme"])
        .assert()
        .code(2)
        .stderr("tlsctl: leaf.pme: no such file; did you mean leaf.pem?\n");
    std::fs::create_dir(sb.path("certs")).unwrap();
    std::fs::copy(fixture("chain/leaf.pem"), sb.path("certs/node.pem")).unwrap();
    sb.cmd()
        .args(["pin", "certs/nod.pem"])
        .assert()
        .code(2)
        .stderr("tlsctl: certs/nod.pem: no such file; did you mean certs/node.pem?\n");
    sb.cmd()
        .args(["bundle", "remove", "bundel.pem", "--expired"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no such file; check the path"));
}

#[test]
fn a_key_where_a_certificate_belongs_says_what_it_holds() {
    let sb = chain_sandbox();
    for args in [
        &["lint", "leaf.key"][..],
        &["verify", "leaf.key", "--bundle", "root.pem"],
    ] {
        sb.cmd()
            .args(args)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(
                "leaf.key: holds a private key (PKCS#8), not a certificate; give the certificate file",
            ));
    }
    // bundle list of a file with nothing to list: the problem alone, on
    // stderr, and nothing on stdout.
    sb.cmd()
        .args(["bundle", "list", "leaf.key"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains(
            "leaf.key: block 1: is a private key",
        ));
}

#[test]
fn a_bundle_in_a_missing_directory_names_the_directory() {
    let sb = chain_sandbox();
    sb.cmd()
        .args(["bundle", "add", "nodir/trust.pem", "root.pem"])
        .assert()
        .code(2)
        .stderr("tlsctl: nodir: no such directory; create it first (mkdir -p nodir)\n");
    assert!(!sb.path("nodir").exists());
}

#[test]
fn a_san_argument_with_a_space_is_refused_whole() {
    let sb = Sandbox::new();
    // "exa mple.com" is one mistyped name, not the two names exa and mple.com.
    for arg in ["exa mple.com", "a.example,b.example"] {
        sb.cmd()
            .args(["cert", "issue", arg])
            .assert()
            .code(2)
            .stderr(predicate::str::contains(format!(
                "{arg:?}: one argument is one name"
            )));
    }
    assert!(!sb.store().join("cas").exists(), "nothing was made");
}

#[test]
fn usage_lines_do_not_show_the_store_set_by_the_environment() {
    // The sandbox sets TLSCTL_HOME; clap used to print `--store <DIR>` in
    // every usage line because of it.
    let sb = Sandbox::new();
    let err = sb
        .cmd()
        .arg("lint")
        .assert()
        .code(2)
        .get_output()
        .stderr
        .clone();
    let err = String::from_utf8(err).unwrap();
    assert!(err.contains("Usage: tlsctl lint"), "{err}");
    assert!(!err.contains("--store"), "{err}");
    // ... and TLSCTL_HOME still chooses the store.
    sb.cmd().args(["ca", "create", "r"]).assert().success();
    assert!(sb.store().join("cas/r/ca.pem").exists());
}

#[test]
fn a_leaf_from_an_intermediate_without_its_chain_is_warned_about() {
    let sb = Sandbox::new();
    sb.cmd().args(["ca", "create", "root"]).assert().success();
    sb.cmd()
        .args(["ca", "create", "x3", "--parent", "root"])
        .assert()
        .success();
    sb.cmd()
        .args([
            "cert",
            "issue",
            "a.example",
            "--ca",
            "x3",
            "--out",
            "a",
            "--no-chain",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "Note: the certificate file holds only the leaf (--no-chain); peers that trust only the root also need the intermediate: leave out --no-chain to include it",
        ));
    sb.cmd()
        .args([
            "cert",
            "issue",
            "b.example",
            "--ca",
            "x3",
            "--chain",
            "--out",
            "b",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("Note:").not());
    // The next step the issue prints (nats config with ca.pem, the root)
    // warns with the fix.
    sb.cmd()
        .args([
            "nats",
            "config",
            "--cert",
            "a/cert.pem",
            "--key",
            "a/key.pem",
            "--ca",
            "a/ca.pem",
        ])
        .assert()
        .success()
        .stderr(predicate::str::contains("a/cert.pem carries no chain"))
        .stderr(predicate::str::contains(
            "as `tlsctl cert issue` does unless --no-chain",
        ));
    sb.cmd()
        .args([
            "nats",
            "config",
            "--cert",
            "b/cert.pem",
            "--key",
            "b/key.pem",
            "--ca",
            "b/ca.pem",
        ])
        .assert()
        .success()
        .stderr(predicate::str::contains("does not verify").not());
}

#[test]
fn verify_names_the_host_only_for_the_purpose_that_checks_it() {
    let sb = chain_sandbox();
    let out = stdout_of(sb.cmd().args([
        "verify",
        "leaf.pem",
        "--bundle",
        "root.pem",
        "--untrusted",
        "inter.pem",
        "--host",
        "node-a.example.com",
    ]));
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "{out}");
    assert!(
        lines[0].starts_with("OK leaf.pem for server as node-a.example.com:"),
        "{out}"
    );
    assert!(lines[1].starts_with("OK leaf.pem for client:"), "{out}");
}

#[test]
fn the_intermediates_only_fix_fits_a_bundle_that_holds_the_standby_already() {
    let sb = chain_sandbox();
    sb.cmd()
        .args(["bundle", "add", "one.pem", "inter.pem"])
        .assert()
        .success();
    sb.cmd()
        .args(["bundle", "add", "two.pem", "inter.pem", "inter-r.pem"])
        .assert()
        .success();
    sb.cmd()
        .args(["bundle", "lint", "one.pem"])
        .assert()
        .stdout(predicate::str::contains("add the standby intermediate now"));
    sb.cmd()
        .args(["bundle", "lint", "two.pem"])
        .assert()
        .stdout(predicate::str::contains("add the standby").not())
        .stdout(predicate::str::contains("trust the root instead"));
    sb.cmd()
        .args(["bundle", "diff", "one.pem", "two.pem"])
        .assert()
        .success()
        .stdout(predicate::str::contains("add the standby").not())
        .stdout(predicate::str::contains(
            "trust the root, or add every intermediate",
        ));
}

#[test]
fn no_suggestion_points_at_a_key_or_another_node() {
    let sb = Sandbox::new();
    sb.write("node-2.pem", "x");
    sb.write("cert.key", "x");
    sb.write("tls.crt", "x");
    for (typed, said) in [
        // Another node's file is not a typo of this one.
        ("node-3.pem", "no such file; check the path"),
        // A key is never offered for a certificate.
        ("cert.pem", "no such file; check the path"),
        ("tsl.crt", "no such file; did you mean tls.crt?"),
    ] {
        sb.cmd()
            .args(["pin", typed])
            .assert()
            .code(2)
            .stderr(format!("tlsctl: {typed}: {said}\n"));
    }
}

#[test]
fn an_empty_tlsctl_home_is_an_error_not_the_default_store() {
    let sb = Sandbox::new();
    sb.cmd()
        .env("TLSCTL_HOME", "")
        .args(["cert", "issue", "a.example"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("TLSCTL_HOME is set but empty"));
    assert!(!sb.path(".local").exists(), "nothing in the default store");
}

#[test]
fn a_bundle_under_a_file_is_named_as_such() {
    let sb = chain_sandbox();
    sb.cmd()
        .args(["bundle", "add", "root.pem/trust.pem", "inter.pem"])
        .assert()
        .code(2)
        .stderr("tlsctl: root.pem: is not a directory, so nothing can be written in it\n");
}

#[test]
fn verify_without_purpose_checks_what_the_eku_allows() {
    // A serverAuth-only certificate (what mkcert makes) verifies as a
    // server; asking for both purposes still fails on the client side.
    let sb = chain_sandbox();
    std::fs::copy(fixture("chain/server-only.pem"), sb.path("server-only.pem")).unwrap();
    sb.cmd()
        .args(["verify", "server-only.pem", "--bundle", "inter.pem"])
        .assert()
        .success()
        .stdout(predicate::str::contains("OK server-only.pem for server"))
        .stdout(predicate::str::contains("for client").not());
    sb.cmd()
        .args([
            "verify",
            "server-only.pem",
            "--bundle",
            "inter.pem",
            "--purpose",
            "both",
        ])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("FAIL server-only.pem for client"));
}

#[test]
fn a_typo_inside_an_out_directory_suggests_the_linked_file() {
    // cert.pem in tlsctl's own --out directory is a link into ..data.
    let sb = Sandbox::new();
    sb.cmd()
        .args(["cert", "issue", "a.example", "--out", "a"])
        .assert()
        .success();
    sb.cmd()
        .args(["inspect", "a/cert.pm"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("did you mean a/cert.pem?"));
}

#[test]
fn the_lint_fix_names_the_file_to_renew() {
    let sb = Sandbox::new();
    sb.cmd()
        .args([
            "cert",
            "issue",
            "s.example",
            "--days",
            "10",
            "--cert-out",
            "soon.pem",
            "--key-out",
            "soon.key",
        ])
        .assert()
        .success();
    sb.cmd()
        .args(["lint", "soon.pem"])
        .assert()
        .stdout(predicate::str::contains("tlsctl cert renew soon.pem"))
        .stdout(predicate::str::contains("renew FILE").not());
}
