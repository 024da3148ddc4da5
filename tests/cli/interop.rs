//! Interoperability with the real tools, on fresh material. These run when
//! TLSCTL_INTEROP=1 (as `.ci/run` sets it, after installing openssl and
//! gnutls-bin); there, a missing tool is a failure, not a skip.

use std::path::Path;
use std::process::Command;

use crate::support::{Sandbox, stdout_of};

pub fn enabled() -> bool {
    if std::env::var_os("TLSCTL_INTEROP").is_some_and(|v| v == "1") {
        return true;
    }
    eprintln!("interop test skipped: set TLSCTL_INTEROP=1 (as .ci/run does) to run it");
    false
}

/// Runs a tool, failing the test on a non-zero exit.
pub fn run_tool(program: &str, args: &[&str], dir: &Path) -> String {
    let out = Command::new(program)
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| panic!("{program} could not be run ({e}); install it"));
    assert!(
        out.status.success(),
        "{program} {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn sh(script: &str, dir: &Path) -> String {
    run_tool("bash", &["-euo", "pipefail", "-c", script], dir)
}

#[test]
fn pins_equal_openssl_and_certtool_on_fresh_keys_of_every_type() {
    if !enabled() {
        return;
    }
    let sandbox = Sandbox::new();
    let dir = sandbox.dir.path();
    let types = [
        ("rsa2048", "-algorithm RSA -pkeyopt rsa_keygen_bits:2048"),
        ("rsa3072", "-algorithm RSA -pkeyopt rsa_keygen_bits:3072"),
        ("rsa4096", "-algorithm RSA -pkeyopt rsa_keygen_bits:4096"),
        ("p256", "-algorithm EC -pkeyopt ec_paramgen_curve:P-256"),
        ("p384", "-algorithm EC -pkeyopt ec_paramgen_curve:P-384"),
        ("p521", "-algorithm EC -pkeyopt ec_paramgen_curve:P-521"),
        ("ed25519", "-algorithm ED25519"),
    ];
    for (name, alg) in types {
        sh(
            &format!(
                "openssl genpkey {alg} -out {name}.key 2>/dev/null && \
                 openssl req -new -x509 -key {name}.key -subj /CN={name} -days 30 -out {name}.pem"
            ),
            dir,
        );
        let openssl = sh(
            &format!(
                "openssl x509 -noout -pubkey -in {name}.pem | openssl pkey -pubin -outform DER \
                 | openssl dgst -sha256 -r | cut -d' ' -f1"
            ),
            dir,
        );
        let certtool = run_tool(
            "certtool",
            &[
                "--key-id",
                "--hash",
                "sha256",
                "--load-certificate",
                &format!("{name}.pem"),
            ],
            dir,
        );
        let ours_cert = stdout_of(
            sandbox
                .cmd()
                .args(["pin", "--bare", &format!("{name}.pem")]),
        );
        let ours_key = stdout_of(
            sandbox
                .cmd()
                .args(["pin", "--bare", &format!("{name}.key")]),
        );
        assert_eq!(
            ours_cert.trim(),
            openssl.trim(),
            "{name}: openssl disagrees"
        );
        assert_eq!(
            ours_cert.trim(),
            certtool.trim().to_ascii_lowercase(),
            "{name}: certtool disagrees"
        );
        assert_eq!(
            ours_key, ours_cert,
            "{name}: the key's pin is the certificate's"
        );
    }
}

#[test]
fn the_nats_pin_block_is_accepted_by_nats_server() {
    if !enabled() {
        return;
    }
    let sandbox = Sandbox::new();
    let dir = sandbox.dir.path();
    let fixtures = crate::support::fixtures();
    let block = stdout_of(
        sandbox
            .cmd()
            .args(["pin", "--nats"])
            .arg(fixtures.join("chain/leaf-fullchain.pem"))
            .arg(fixtures.join("certs/rsa2048.pem")),
    );
    let config = format!(
        "port: -1\ntls {{\n  cert_file: \"{}\"\n  key_file: \"{}\"\n  ca_file: \"{}\"\n  verify: true\n{}}}\n",
        fixtures.join("chain/leaf.pem").display(),
        fixtures.join("chain/leaf.key").display(),
        fixtures.join("chain/root.pem").display(),
        block
    );
    std::fs::write(dir.join("nats.conf"), &config).unwrap();
    let out = Command::new("nats-server")
        .args(["-c", "nats.conf", "-t"])
        .current_dir(dir)
        .output()
        .expect("nats-server could not be run; install it");
    assert!(
        out.status.success(),
        "nats-server rejected\n{config}\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// openssl's verdict for a chain file against a CA file, for a purpose.
fn openssl_verify(dir: &Path, purpose: &str, ca: &str, chain: &str) -> bool {
    let out = Command::new("openssl")
        .args([
            "verify",
            "-purpose",
            purpose,
            "-CAfile",
            ca,
            "-untrusted",
            chain,
            chain,
        ])
        .current_dir(dir)
        .output()
        .expect("openssl could not be run; install it");
    out.status.success()
}

#[test]
fn issued_chains_verify_with_openssl_and_certtool_for_every_key_type_and_usage() {
    if !enabled() {
        return;
    }
    let sandbox = Sandbox::new();
    let dir = sandbox.dir.path();
    for key_type in [
        "ecdsa-p256",
        "ecdsa-p384",
        "ecdsa-p521",
        "ed25519",
        "rsa-2048",
        "rsa-3072",
        "rsa-4096",
    ] {
        let root = format!("root-{key_type}");
        let inter = format!("inter-{key_type}");
        sandbox
            .cmd_realtime()
            .args(["ca", "create", &root, "--key-type", key_type])
            .assert()
            .success();
        sandbox
            .cmd_realtime()
            .args([
                "ca",
                "create",
                &inter,
                "--parent",
                &root,
                "--key-type",
                key_type,
            ])
            .assert()
            .success();
        for usage in ["dual", "server", "client"] {
            let out = format!("{key_type}-{usage}");
            sandbox
                .cmd_realtime()
                .args(["cert", "issue", "node.example", "127.0.0.1", "--ca", &inter])
                .args([
                    "--key-type",
                    key_type,
                    "--usage",
                    usage,
                    "--chain",
                    "--out",
                    &out,
                ])
                .assert()
                .success();
            let ca = format!("{out}/ca.pem");
            let chain = format!("{out}/cert.pem");
            let server = openssl_verify(dir, "sslserver", &ca, &chain);
            let client = openssl_verify(dir, "sslclient", &ca, &chain);
            assert_eq!(
                server,
                usage != "client",
                "{out}: openssl sslserver said {server}"
            );
            assert_eq!(
                client,
                usage != "server",
                "{out}: openssl sslclient said {client}"
            );
            let certtool = run_tool(
                "certtool",
                &["--verify", "--load-ca-certificate", &ca, "--infile", &chain],
                dir,
            );
            assert!(
                certtool.contains("Verified."),
                "{out}: certtool said {certtool}"
            );

            // Extensions, as openssl reads them.
            let text = run_tool("openssl", &["x509", "-in", &chain, "-noout", "-text"], dir);
            assert!(
                text.contains("CA:FALSE"),
                "{out}: explicit CA:FALSE\n{text}"
            );
            assert!(text.contains("Digital Signature"), "{out}");
            assert!(
                text.contains("IP Address:127.0.0.1"),
                "{out}: the IP is an IP SAN"
            );
            assert!(text.contains("DNS:node.example"), "{out}");
            assert!(text.contains("X509v3 Subject Key Identifier"), "{out}");
            assert!(text.contains("X509v3 Authority Key Identifier"), "{out}");
            let inter_text = run_tool(
                "openssl",
                &[
                    "x509",
                    "-in",
                    &format!("{}/cas/{inter}/ca.pem", sandbox.store().display()),
                    "-noout",
                    "-text",
                ],
                dir,
            );
            assert!(inter_text.contains("CA:TRUE, pathlen:0"), "{inter}");
            assert!(inter_text.contains("Certificate Sign, CRL Sign"), "{inter}");
        }
    }
}
