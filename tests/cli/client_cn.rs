//! A client certificate named by its CN alone (`cert issue --usage client
//! --cn alice`): allowed without SANs, since NATS verify_and_map maps the
//! subject DN; lint explains it for a client and still refuses it as a
//! server.

use crate::interop::{enabled, run_tool};
use crate::support::{Sandbox, json_of, stdout_of};

fn alice(sb: &Sandbox) {
    sb.cmd()
        .args(["cert", "issue", "--usage", "client", "--cn", "alice"])
        .args(["--cert-out", "alice.pem", "--key-out", "alice.key"])
        .assert()
        .success();
}

#[test]
fn a_client_certificate_may_be_named_by_its_cn_alone() {
    let sb = Sandbox::new();
    let doc = json_of(sb.cmd().args([
        "--json",
        "cert",
        "issue",
        "--usage",
        "client",
        "--cn",
        "alice",
        "--cert-out",
        "alice.pem",
        "--key-out",
        "alice.key",
    ]));
    let cert = &doc["certificate"];
    assert_eq!(cert["subject"], "CN=alice");
    assert_eq!(cert["sans"], serde_json::json!([]));
    assert_eq!(
        cert["extended_key_usage"],
        serde_json::json!(["clientAuth"])
    );
    assert_eq!(doc["name"], "alice");
    let human = stdout_of(sb.cmd().args(["inspect", "alice.pem"]));
    assert!(human.contains("CN=alice"), "{human}");
}

#[test]
fn without_sans_a_server_or_dual_certificate_is_still_refused() {
    let sb = Sandbox::new();
    for usage in ["dual", "server"] {
        let out = sb
            .cmd()
            .args(["cert", "issue", "--usage", usage, "--cn", "bob"])
            .assert()
            .code(2)
            .get_output()
            .stderr
            .clone();
        assert!(
            String::from_utf8_lossy(&out).contains("no SANs given"),
            "{usage}"
        );
    }
    // --usage client without --cn has nothing to name it by.
    sb.cmd()
        .args(["cert", "issue", "--usage", "client"])
        .assert()
        .code(2);
}

#[test]
fn lint_explains_a_cn_only_client_instead_of_failing_it() {
    let sb = Sandbox::new();
    alice(&sb);
    for role in [None, Some("client"), Some("nats-client")] {
        let mut cmd = sb.cmd();
        cmd.args(["--json", "lint", "alice.pem"]);
        if let Some(r) = role {
            cmd.args(["--role", r]);
        }
        let doc = json_of(&mut cmd);
        assert_eq!(doc["error_count"], 0, "{role:?}: {doc}");
        let f = &doc["files"][0]["findings"][0];
        assert_eq!(f["code"], "cn-only-client", "{role:?}");
        assert_eq!(f["severity"], "info");
        assert!(
            f["message"].as_str().unwrap().contains("verify_and_map"),
            "{f}"
        );
        assert!(f["message"].as_str().unwrap().contains("\"CN=alice\""));
    }
    // As a server, or for a host, it is the error it always was.
    let out = sb
        .cmd()
        .args(["lint", "alice.pem", "--role", "server"])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    assert!(String::from_utf8_lossy(&out).contains("error   cn-only:"));
    sb.cmd()
        .args(["lint", "alice.pem", "--host", "alice.example"])
        .assert()
        .code(1);
}

#[test]
fn a_cn_only_client_certificate_verifies_for_sslclient_with_openssl() {
    if !enabled() {
        return;
    }
    let sb = Sandbox::new();
    sb.cmd_realtime()
        .args(["cert", "issue", "--usage", "client", "--cn", "alice"])
        .args(["--cert-out", "alice.pem", "--key-out", "alice.key"])
        .assert()
        .success();
    let ca = stdout_of(sb.cmd().args(["ca", "export", "default"]));
    sb.write("ca.pem", ca);
    let out = run_tool(
        "openssl",
        &[
            "verify",
            "-purpose",
            "sslclient",
            "-CAfile",
            "ca.pem",
            "alice.pem",
        ],
        sb.dir.path(),
    );
    assert!(out.contains("alice.pem: OK"), "{out}");
    let text = run_tool(
        "openssl",
        &["x509", "-noout", "-text", "-in", "alice.pem"],
        sb.dir.path(),
    );
    assert!(!text.contains("Subject Alternative Name"), "{text}");
}
