//! `nats config` writes what nats-server reads where it reads it: a leaf's
//! remotes carry their own tls block; `--verify-known-urls` is refused for
//! a certificate without a DNS SAN (the rule explained); `--verify-and-map`
//! prints the users nats-server will map to; `--server-version` refuses
//! options the release does not know. The servers' own verdicts are in
//! interop_natscfg.rs.

use serde_json::Value;

use crate::support::{Sandbox, stdout_of};

fn pki(sb: &Sandbox) {
    let run = |args: &[&str]| {
        sb.cmd().args(args).assert().success();
    };
    run(&["ca", "create", "acme", "--cn", "Acme Root"]);
    sb.write(
        "acme.pem",
        stdout_of(sb.cmd().args(["ca", "export", "acme"])),
    );
    run(&[
        "cert",
        "issue",
        "node-a.nats.internal",
        "10.0.0.1",
        "--ca",
        "acme",
        "--out",
        "dns",
    ]);
    run(&["cert", "issue", "10.0.0.2", "--ca", "acme", "--out", "ip"]);
    run(&[
        "cert", "issue", "--usage", "client", "--cn", "alice", "--ca", "acme", "--out", "alice",
    ]);
}

fn config(sb: &Sandbox, cert: &str, extra: &[&str]) -> std::process::Output {
    sb.cmd()
        .args(["nats", "config", "--cert"])
        .arg(format!("{cert}/cert.pem"))
        .arg("--key")
        .arg(format!("{cert}/key.pem"))
        .args(["--ca", "acme.pem"])
        .args(extra)
        .output()
        .unwrap()
}

fn text(out: &std::process::Output) -> (String, String) {
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_remote_carries_its_own_tls_block_inside_the_remote() {
    let sb = Sandbox::new();
    pki(&sb);
    let out = config(
        &sb,
        "dns",
        &[
            "--block",
            "leafnodes",
            "--remote",
            "tls://hub-a:7422",
            "--remote",
            "tls://hub-b:7422",
        ],
    );
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stderr}");
    let a = stdout.find("url: \"tls://hub-a:7422\"").unwrap();
    let b = stdout.find("url: \"tls://hub-b:7422\"").unwrap();
    let tls_after_a = stdout[a..b].find("tls {").is_some();
    assert!(tls_after_a, "each remote has its tls block:\n{stdout}");
    assert_eq!(stdout.matches("cert_file:").count(), 2, "{stdout}");
    assert!(stdout.starts_with("# tlsctl nats config"));
    assert!(
        stdout.contains("leafnodes {\n  remotes: [\n    {\n"),
        "{stdout}"
    );
    // No leafnodes.tls beside the remotes: nats-server would not use it.
    assert!(!stdout.contains("leafnodes {\n  # "), "{stdout}");
    // JSON carries the remotes.
    let out = sb
        .cmd()
        .args([
            "--json",
            "nats",
            "config",
            "--cert",
            "dns/cert.pem",
            "--key",
            "dns/key.pem",
        ])
        .args([
            "--ca",
            "acme.pem",
            "--block",
            "leafnodes",
            "--remote",
            "tls://hub-a:7422",
        ])
        .output()
        .unwrap();
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        doc["block"]["remotes"],
        serde_json::json!(["tls://hub-a:7422"])
    );
    // Remotes belong to leafnodes; a remote does not verify clients.
    let out = config(
        &sb,
        "dns",
        &["--block", "cluster", "--remote", "tls://hub:7422"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out).1.contains("--block leafnodes"));
    let out = config(
        &sb,
        "dns",
        &[
            "--block",
            "leafnodes",
            "--remote",
            "tls://hub:7422",
            "--verify",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out).1.contains("belong to the hub's leafnodes block"));
}

#[test]
fn known_urls_is_refused_without_a_dns_san_and_the_rule_is_explained() {
    let sb = Sandbox::new();
    pki(&sb);
    let out = config(&sb, "ip", &["--block", "cluster", "--verify-known-urls"]);
    assert_eq!(out.status.code(), Some(2));
    let (stdout, stderr) = text(&out);
    assert!(stdout.is_empty());
    assert!(stderr.contains("has no DNS SAN"), "{stderr}");
    assert!(stderr.contains("dialer's DNS SANs"), "{stderr}");
    assert!(stderr.contains("own routes list"), "{stderr}");
    assert!(
        stderr.contains("IP SANs and IP URLs never match"),
        "{stderr}"
    );
    let out = config(&sb, "dns", &["--block", "cluster", "--verify-known-urls"]);
    assert!(out.status.success(), "{}", text(&out).1);
    assert!(
        text(&out)
            .0
            .contains("verify_cert_and_check_known_urls: true")
    );
}

#[test]
fn verify_and_map_prints_the_users_nats_server_maps_to() {
    let sb = Sandbox::new();
    pki(&sb);
    let out = config(&sb, "dns", &["--block", "cluster", "--verify-and-map"]);
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stdout.contains("  authorization {\n    user: \"node-a.nats.internal\"\n  }\n}"),
        "the DNS SAN (no email SAN), inside cluster:\n{stdout}"
    );
    assert!(
        stderr.contains("every route certificate must carry"),
        "{stderr}"
    );
    let out = config(
        &sb,
        "dns",
        &["--verify-and-map", "--map-client", "alice/cert.pem"],
    );
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stdout.contains("authorization {\n  users = [\n    # CN=alice (alice/cert.pem)\n    {user: \"CN=alice\"}\n  ]\n}\n"),
        "{stdout}"
    );
    let out = config(
        &sb,
        "dns",
        &[
            "--block",
            "leafnodes",
            "--verify-and-map",
            "--map-client",
            "alice/cert.pem",
        ],
    );
    let (stdout, _) = text(&out);
    let leaf_users = stdout.find("  authorization {\n    users = [").unwrap();
    assert!(
        leaf_users < stdout.rfind("}\n").unwrap(),
        "inside leafnodes:\n{stdout}"
    );
    let out = config(&sb, "dns", &["--map-client", "alice/cert.pem"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn server_version_refuses_handshake_first_where_that_release_does_not_know_it() {
    let sb = Sandbox::new();
    pki(&sb);
    for (block, version, ok) in [
        ("leafnodes", "2.9.10", false),
        ("leafnodes", "2.10.0", true),
        ("tls", "2.10.0", false),
        ("tls", "2.10.4", true),
        ("tls", "2.15.1", true),
    ] {
        let out = config(
            &sb,
            "dns",
            &[
                "--block",
                block,
                "--handshake-first",
                "--server-version",
                version,
            ],
        );
        let (stdout, stderr) = text(&out);
        assert_eq!(out.status.success(), ok, "{block} {version}: {stderr}");
        if ok {
            assert!(stdout.contains("handshake_first: true"));
            assert!(!stderr.contains("handshake-first"), "{stderr}");
        } else {
            assert_eq!(out.status.code(), Some(2));
            assert!(stderr.contains("does not know handshake_first"), "{stderr}");
            assert!(stdout.is_empty());
        }
    }
    let out = config(&sb, "dns", &["--server-version", "banana"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn known_urls_outside_cluster_and_gateway_and_map_client_on_a_cluster_are_usage_errors() {
    let sb = Sandbox::new();
    pki(&sb);
    // The block is wrong whatever the certificate: that is what is said.
    let out = config(&sb, "ip", &["--block", "tls", "--verify-known-urls"]);
    assert_eq!(out.status.code(), Some(2));
    let (stdout, stderr) = text(&out);
    assert!(stdout.is_empty());
    assert!(
        stderr.contains("only in cluster and gateway blocks"),
        "{stderr}"
    );
    assert!(!stderr.contains("DNS SAN"), "{stderr}");
    // A cluster maps every route to one user: --map-client has no place.
    let out = config(
        &sb,
        "dns",
        &[
            "--block",
            "cluster",
            "--verify-and-map",
            "--map-client",
            "alice/cert.pem",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    let (stdout, stderr) = text(&out);
    assert!(stdout.is_empty());
    assert!(stderr.contains("--map-client"), "{stderr}");
}
