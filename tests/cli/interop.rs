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

#[test]
fn bundles_load_in_nats_server_openssl_and_python() {
    if !enabled() {
        return;
    }
    use crate::natsrv::{NatsServer, free_port, python_client};
    let sb = Sandbox::new();
    let dir = sb.dir.path();
    let run = |args: &[&str]| {
        sb.cmd_realtime().args(args).assert().success();
    };
    run(&["ca", "create", "root"]);
    run(&["ca", "create", "x3", "--parent", "root"]);
    run(&["ca", "create", "r3", "--parent", "root"]);
    run(&["ca", "create", "stranger"]);
    run(&[
        "cert",
        "issue",
        "localhost",
        "127.0.0.1",
        "--ca",
        "x3",
        "--chain",
        "--out",
        "server",
    ]);
    run(&[
        "cert",
        "issue",
        "client-r3",
        "--ca",
        "r3",
        "--usage",
        "client",
        "--chain",
        "--out",
        "client",
    ]);
    run(&[
        "cert", "issue", "intruder", "--ca", "stranger", "--usage", "client", "--out", "intruder",
    ]);
    let store = sb.store();
    let ca = |n: &str| store.join(format!("cas/{n}/ca.pem")).display().to_string();
    run(&["bundle", "add", "XR.pem", &ca("x3"), &ca("r3")]);

    // OpenSSL, with every bundle certificate an anchor.
    let ok = Command::new("openssl")
        .args([
            "verify",
            "-partial_chain",
            "-purpose",
            "sslserver",
            "-CAfile",
            "XR.pem",
            "server/cert.pem",
        ])
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );

    // Python's ssl loads every certificate of the bundle.
    let count = run_tool(
        "python3",
        &[
            "-c",
            "import ssl; c = ssl.create_default_context(cafile='XR.pem'); print(len(c.get_ca_certs()))",
        ],
        dir,
    );
    assert_eq!(count.trim(), "2");

    // nats-server takes the bundle as ca_file and verifies a client issued
    // by the other intermediate; Python verifies the server with it.
    let port = free_port();
    let config = format!(
        "listen: 127.0.0.1:{port}\ntls {{\n  cert_file: \"{d}/server/cert.pem\"\n  key_file: \"{d}/server/key.pem\"\n  ca_file: \"{d}/XR.pem\"\n  verify: true\n  timeout: 3\n}}\n",
        d = dir.display()
    );
    let server = NatsServer::start(dir, "bundle", &config, port);
    let addr = server.addr();
    let (ok, _, err) = python_client(
        dir,
        &[
            &addr,
            "--ca",
            "XR.pem",
            "--cert",
            "client/cert.pem",
            "--key",
            "client/key.pem",
            "--sni",
            "localhost",
        ],
    );
    assert!(
        ok,
        "a client from R3 must be accepted: {err}\n{}",
        server.log_text()
    );
    let (ok, _, err) = python_client(
        dir,
        &[
            &addr,
            "--ca",
            "XR.pem",
            "--cert",
            "intruder/cert.pem",
            "--key",
            "intruder/key.pem",
            "--sni",
            "localhost",
        ],
    );
    assert!(!ok, "a client from an unknown CA must be refused: {err}");
}

/// openssl's verdict with Go's anchor rule (-partial_chain).
fn openssl_says(dir: &Path, chain: &str, bundle: &str, purpose: &str, extra: &[&str]) -> bool {
    let mut args = vec![
        "verify",
        "-partial_chain",
        "-purpose",
        purpose,
        "-CAfile",
        bundle,
        "-untrusted",
        chain,
    ];
    args.extend_from_slice(extra);
    args.push(chain);
    Command::new("openssl")
        .args(&args)
        .current_dir(dir)
        .output()
        .expect("openssl could not be run")
        .status
        .success()
}

#[test]
fn verify_agrees_with_openssl_on_good_and_bad_chains() {
    if !enabled() {
        return;
    }
    let sb = Sandbox::new();
    let dir = sb.dir.path();
    let fixtures = crate::support::fixtures();
    for f in [
        "root.pem",
        "inter.pem",
        "inter-r.pem",
        "leaf.pem",
        "leaf-fullchain.pem",
        "leaf-r.pem",
        "server-only.pem",
        "short-inter.pem",
        "outlives.pem",
    ] {
        std::fs::copy(fixtures.join("chain").join(f), dir.join(f)).unwrap();
    }
    for f in ["restricted-chain.pem", "cn-only.pem"] {
        std::fs::copy(fixtures.join("misc").join(f), dir.join(f)).unwrap();
    }
    std::fs::write(
        dir.join("XR.pem"),
        [
            std::fs::read(dir.join("inter.pem")).unwrap(),
            std::fs::read(dir.join("inter-r.pem")).unwrap(),
        ]
        .concat(),
    )
    .unwrap();
    // 2 years from now: after short-inter.pem expires, before the leaves do.
    let later = time::OffsetDateTime::now_utc() + time::Duration::days(730);
    let later_rfc = later
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap();
    let later_unix = later.unix_timestamp().to_string();
    // (chain, bundle, host, at-later)
    let cases: &[(&str, &str, Option<&str>, bool)] = &[
        ("leaf-fullchain.pem", "root.pem", None, false),
        ("leaf.pem", "root.pem", None, false),
        ("leaf.pem", "inter.pem", None, false),
        ("leaf.pem", "XR.pem", None, false),
        ("leaf-r.pem", "inter.pem", None, false),
        ("leaf-r.pem", "XR.pem", None, false),
        ("server-only.pem", "inter.pem", None, false),
        ("restricted-chain.pem", "root.pem", None, false),
        ("cn-only.pem", "inter.pem", None, false),
        ("outlives.pem", "short-inter.pem", None, false),
        ("outlives.pem", "short-inter.pem", None, true),
        ("leaf.pem", "inter.pem", Some("node-a.example.com"), false),
        ("leaf.pem", "inter.pem", Some("other.example.com"), false),
        ("leaf.pem", "inter.pem", Some("127.0.0.1"), false),
    ];
    let mut checked = 0;
    for (chain, bundle, host, later) in cases {
        for (purpose, ours) in [("sslserver", "server"), ("sslclient", "client")] {
            let mut extra: Vec<&str> = Vec::new();
            let host_flag = host.map(|h| {
                if h.parse::<std::net::IpAddr>().is_ok() {
                    "-verify_ip"
                } else {
                    "-verify_hostname"
                }
            });
            if let (Some(flag), Some(h), "sslserver") = (host_flag, host, purpose) {
                extra.extend([flag, h]);
            }
            if *later {
                extra.extend(["-attime", &later_unix]);
            }
            let openssl = openssl_says(dir, chain, bundle, purpose, &extra);
            let mut cmd = sb.cmd_realtime();
            cmd.args(["verify", chain, "--bundle", bundle, "--purpose", ours]);
            if let Some(h) = host {
                cmd.args(["--host", h]);
            }
            if *later {
                cmd.args(["--at", &later_rfc]);
            }
            let out = cmd.output().unwrap();
            let tlsctl = out.status.code() == Some(0);
            assert!(
                matches!(out.status.code(), Some(0 | 1)),
                "{chain}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            assert_eq!(
                tlsctl,
                openssl,
                "{chain} against {bundle} for {purpose} (host {host:?}, later {later}): tlsctl {tlsctl}, openssl {openssl}\n{}",
                String::from_utf8_lossy(&out.stdout)
            );
            checked += 1;
        }
    }
    assert_eq!(checked, cases.len() * 2);
}
