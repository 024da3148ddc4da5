//! `tlsctl cert sign REQ.csr`: a request signed by a store CA, its subject
//! and SANs kept (or the SANs replaced), its signature checked, a CA
//! request refused; checked against requests made by openssl and certtool
//! and results verified by `openssl verify` and `certtool --verify`.

use crate::interop::{enabled, run_tool};
use crate::support::{Sandbox, fixture, json_of, stdout_of};

fn csr_fixture(sb: &Sandbox) -> std::path::PathBuf {
    sb.write(
        "req.csr",
        std::fs::read(fixture("misc/p256.csr.pem")).unwrap(),
    )
}

#[test]
fn a_request_is_signed_with_its_subject_and_sans() {
    let sb = Sandbox::new();
    csr_fixture(&sb);
    let doc = json_of(
        sb.cmd()
            .args(["--json", "cert", "sign", "req.csr", "--cert-out", "c.pem"]),
    );
    let cert = &doc["certificate"];
    assert_eq!(cert["subject"], "O=tlsctl fixtures, CN=csr");
    assert_eq!(
        cert["sans"],
        serde_json::json!([
            {"kind": "dns", "value": "csr.example.com"},
            {"kind": "ip", "value": "10.0.0.1"}
        ])
    );
    assert_eq!(cert["is_ca"], false);
    assert_eq!(
        cert["extended_key_usage"],
        serde_json::json!(["serverAuth", "clientAuth"])
    );
    assert_eq!(cert["key_usage"], serde_json::json!(["digitalSignature"]));
    // The pin is the requester's key.
    assert_eq!(cert["pin_sha256"], doc["request"]["pin_sha256"]);
    assert_eq!(doc["sans_from_request"], true);
    assert_eq!(doc["created_default_ca"], true);
    assert!(doc["warnings"].is_array());
    let on_disk = stdout_of(sb.cmd().args(["pin", "--bare", "c.pem"]));
    assert_eq!(on_disk.trim(), cert["pin_sha256"].as_str().unwrap());
}

#[test]
fn without_a_destination_the_certificate_goes_to_stdout() {
    let sb = Sandbox::new();
    csr_fixture(&sb);
    let out = sb
        .cmd()
        .args(["cert", "sign", "req.csr", "--usage", "server"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let pem = String::from_utf8(out.stdout).unwrap();
    assert!(pem.contains("-----BEGIN CERTIFICATE-----"), "{pem}");
    assert!(!pem.contains("Signed"), "the summary is on stderr");
    assert!(String::from_utf8_lossy(&out.stderr).contains("Signed O=tlsctl fixtures, CN=csr"));
    sb.write("out.pem", &pem);
    let doc = json_of(sb.cmd().args(["--json", "inspect", "out.pem"]));
    let text = doc.to_string();
    assert!(
        text.contains("serverAuth") && !text.contains("clientAuth"),
        "{text}"
    );
}

#[test]
fn san_flags_replace_the_requests_sans_and_pass_the_san_rules() {
    let sb = Sandbox::new();
    csr_fixture(&sb);
    let doc = json_of(sb.cmd().args([
        "--json",
        "cert",
        "sign",
        "req.csr",
        "--san",
        "a.example",
        "--san",
        "192.0.2.7",
        "--out",
        "d",
    ]));
    assert_eq!(
        doc["certificate"]["sans"],
        serde_json::json!([
            {"kind": "dns", "value": "a.example"},
            {"kind": "ip", "value": "192.0.2.7"}
        ])
    );
    assert_eq!(doc["sans_from_request"], false);
    assert!(sb.path("d/cert.pem").exists() && sb.path("d/ca.pem").exists());
    assert!(
        !sb.path("d/key.pem").exists(),
        "the requester keeps the key"
    );
    sb.cmd()
        .args(["cert", "sign", "req.csr", "--san", "a.*.example"])
        .assert()
        .code(2);
    // The destination is not replaced without --force.
    sb.cmd()
        .args(["cert", "sign", "req.csr", "--out", "d"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--force"));
}

#[test]
fn an_altered_request_is_refused() {
    let sb = Sandbox::new();
    // Flip one byte of the subject inside the signed part.
    let pem = std::fs::read_to_string(fixture("misc/p256.csr.pem")).unwrap();
    let b64: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    let mut der = decode_base64(&b64);
    let at = der.windows(3).position(|w| w == b"csr").unwrap();
    der[at] = b'C';
    sb.write("bad.csr", &der);
    let out = sb
        .cmd()
        .args(["cert", "sign", "bad.csr"])
        .assert()
        .code(2)
        .get_output()
        .clone();
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("signature does not verify"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stdout.is_empty());
    // A file with no request names what it holds.
    sb.cmd()
        .args(["cert", "sign"])
        .arg(fixture("certs/p256.pem"))
        .assert()
        .code(2)
        .stderr(predicates::str::contains("no certificate signing request"));
}

fn decode_base64(text: &str) -> Vec<u8> {
    const ABC: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = Vec::new();
    let (mut acc, mut bits) = (0u32, 0);
    for c in text.bytes().filter(|c| *c != b'=') {
        acc = (acc << 6) | ABC.iter().position(|a| *a == c).unwrap() as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    out
}

/// openssl and certtool requests for each key type, signed from a root and
/// from an intermediate, verify for the purposes their usage gives.
#[test]
fn requests_from_openssl_and_certtool_sign_and_verify_with_openssl_and_certtool() {
    if !enabled() {
        return;
    }
    let sb = Sandbox::new();
    let dir = sb.dir.path();
    let run = |args: &[&str]| {
        sb.cmd_realtime().args(args).assert().success();
    };
    run(&["ca", "create", "root", "--cn", "Sign Root"]);
    run(&[
        "ca",
        "create",
        "inter",
        "--parent",
        "root",
        "--cn",
        "Sign Inter",
    ]);
    sb.write(
        "root.pem",
        stdout_of(sb.cmd().args(["ca", "export", "root"])),
    );
    let sh = |script: &str| run_tool("bash", &["-euo", "pipefail", "-c", script], dir);
    sh(
        "openssl req -new -newkey rsa:2048 -nodes -keyout o-rsa.key -out o-rsa.csr \
        -subj '/O=Acme/CN=rsa.example' -addext 'subjectAltName=DNS:rsa.example,IP:127.0.0.1' 2>/dev/null",
    );
    sh(
        "openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-384 -nodes -keyout o-p384.key \
        -out o-p384.csr -subj '/CN=p384.example' -addext 'subjectAltName=DNS:p384.example' 2>/dev/null",
    );
    sh(
        "openssl req -new -newkey ed25519 -nodes -keyout o-ed.key -out o-ed.csr \
        -subj '/CN=ed.example' -addext 'subjectAltName=DNS:ed.example' 2>/dev/null",
    );
    sh(
        "openssl req -new -newkey rsa:2048 -nodes -keyout o-ca.key -out o-ca.csr -subj '/CN=sneaky' \
        -addext 'basicConstraints=critical,CA:TRUE' 2>/dev/null",
    );
    sh(
        "printf 'cn = \"gnutls.example\"\\ndns_name = \"gnutls.example\"\\nip_address = \"::1\"\\n' > g.tmpl",
    );
    for (kind, bits) in [
        ("ecdsa", "--curve secp256r1"),
        ("rsa", "--bits 2048"),
        ("ed25519", ""),
    ] {
        sh(&format!(
            "certtool --generate-privkey --key-type {kind} {bits} --outfile g-{kind}.key 2>/dev/null; \
             certtool --generate-request --load-privkey g-{kind}.key --template g.tmpl \
             --outfile g-{kind}.csr 2>/dev/null"
        ));
    }
    let reqs = ["o-rsa", "o-p384", "o-ed", "g-ecdsa", "g-rsa", "g-ed25519"];
    for req in reqs {
        for (ca, usage) in [("root", "dual"), ("inter", "server"), ("inter", "client")] {
            let out = format!("{req}-{ca}-{usage}.pem");
            run(&[
                "cert",
                "sign",
                &format!("{req}.csr"),
                "--ca",
                ca,
                "--usage",
                usage,
                "--chain",
                "--cert-out",
                &out,
            ]);
            let purposes: &[&str] = match usage {
                "dual" => &["sslserver", "sslclient"],
                "server" => &["sslserver"],
                _ => &["sslclient"],
            };
            for p in purposes {
                let v = sh(&format!(
                    "openssl verify -purpose {p} -CAfile root.pem -untrusted {out} {out}"
                ));
                assert!(v.contains(": OK"), "{out} {p}: {v}");
            }
            let wrong = match usage {
                "server" => Some("sslclient"),
                "client" => Some("sslserver"),
                _ => None,
            };
            if let Some(p) = wrong {
                let status = std::process::Command::new("openssl")
                    .args([
                        "verify",
                        "-purpose",
                        p,
                        "-CAfile",
                        "root.pem",
                        "-untrusted",
                        &out,
                        &out,
                    ])
                    .current_dir(dir)
                    .output()
                    .unwrap();
                assert!(!status.status.success(), "{out} must not verify for {p}");
            }
            let g = sh(&format!(
                "certtool --verify --load-ca-certificate root.pem --infile {out}"
            ));
            assert!(
                g.contains("Chain verification output: Verified"),
                "{out}: {g}"
            );
            // The certificate holds the requester's key: the pins agree.
            let key = format!("{req}.key");
            let a = stdout_of(sb.cmd().args(["pin", "--bare", "--leaf-only", &out]));
            let b = stdout_of(sb.cmd().args(["pin", "--bare", &key]));
            assert_eq!(a, b, "{out}");
        }
    }
    // RSA keys get keyEncipherment, others do not.
    let rsa = sh("openssl x509 -noout -ext keyUsage -in o-rsa-root-dual.pem");
    assert!(rsa.contains("Key Encipherment"), "{rsa}");
    let ec = sh("openssl x509 -noout -ext keyUsage -in o-p384-root-dual.pem");
    assert!(!ec.contains("Key Encipherment"), "{ec}");
    // The subject is the request's, attribute by attribute.
    let subj = sh("openssl x509 -noout -subject -nameopt RFC2253 -in o-rsa-root-dual.pem");
    assert!(subj.contains("CN=rsa.example,O=Acme"), "{subj}");
    let sans = sh("openssl x509 -noout -ext subjectAltName -in g-ed25519-root-dual.pem");
    assert!(
        sans.contains("DNS:gnutls.example") && sans.contains("IP Address:0:0:0:0:0:0:0:1"),
        "{sans}"
    );
    // A CA request is refused.
    let out = sb
        .cmd_realtime()
        .args(["cert", "sign", "o-ca.csr", "--san", "x.example"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("CA:TRUE"));
}
