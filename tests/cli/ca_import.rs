//! `tlsctl ca import`: an existing CA and its key into the store, then
//! issuing from it. The fixtures' openssl-made root and intermediate
//! (tests/fixtures/chain) are imported; with TLSCTL_INTEROP=1, fresh
//! openssl-made ones, an encrypted PKCS#8 key, and `openssl verify` of what
//! tlsctl issues from each.

use std::os::unix::fs::PermissionsExt;

use crate::interop::{enabled, run_tool};
use crate::support::{Sandbox, fixture, json_of, stdout_of};

fn f(rel: &str) -> String {
    fixture(rel).to_str().unwrap().to_owned()
}

#[test]
fn an_openssl_root_is_imported_with_its_key_0600_and_issues() {
    let sb = Sandbox::new();
    let doc = json_of(sb.cmd().args([
        "--json",
        "ca",
        "import",
        "corp",
        "--cert",
        &f("chain/root.pem"),
        "--key",
        &f("chain/root.key"),
    ]));
    assert_eq!(doc["ca"]["name"], "corp");
    assert_eq!(doc["ca"]["role"], "root");
    assert_eq!(
        doc["ca"]["certificate"]["subject"],
        "O=tlsctl fixtures, CN=Fixture Root"
    );
    assert_eq!(doc["chain_imported"], serde_json::json!([]));
    assert_eq!(doc["warnings"], serde_json::json!([]));
    let key = sb.store().join("cas/corp/ca.key");
    let mode = std::fs::metadata(&key).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    assert!(
        std::fs::read_to_string(&key)
            .unwrap()
            .contains("BEGIN PRIVATE KEY")
    );
    sb.cmd()
        .args(["cert", "issue", "a.example", "--ca", "corp", "--out", "a"])
        .assert()
        .success();
    let out = stdout_of(
        sb.cmd()
            .args(["verify", "a/cert.pem", "--bundle"])
            .arg(fixture("chain/root.pem")),
    );
    assert!(out.starts_with("OK"), "{out}");
}

#[test]
fn an_intermediate_comes_with_its_chain_and_issues_a_chain_that_verifies() {
    let sb = Sandbox::new();
    let doc = json_of(sb.cmd().args([
        "--json",
        "ca",
        "import",
        "issuing",
        "--cert",
        &f("chain/inter.pem"),
        "--key",
        &f("chain/inter.key"),
        "--chain",
        &f("chain/root.pem"),
    ]));
    assert_eq!(doc["ca"]["role"], "intermediate");
    let parent = doc["ca"]["parent"].as_str().unwrap().to_owned();
    assert_eq!(doc["chain_imported"], serde_json::json!([parent]));
    assert!(!sb.store().join(format!("cas/{parent}/ca.key")).exists());
    sb.cmd()
        .args([
            "cert",
            "issue",
            "b.example",
            "--ca",
            "issuing",
            "--chain",
            "--out",
            "b",
        ])
        .assert()
        .success();
    // ca.pem beside the leaf is the imported root.
    let root_pin = stdout_of(sb.cmd().args(["pin", "--bare", "b/ca.pem"]));
    let fixture_pin = stdout_of(
        sb.cmd()
            .args(["pin", "--bare"])
            .arg(fixture("chain/root.pem")),
    );
    assert_eq!(root_pin, fixture_pin);
    sb.cmd()
        .args(["verify", "b/cert.pem", "--bundle", "b/ca.pem"])
        .assert()
        .success();
    // The chain certificate has no key: signing with it says so.
    sb.cmd()
        .args(["cert", "issue", "c.example", "--ca", &parent])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("holds no key"));
    // A second import of the same name needs --force.
    sb.cmd()
        .args([
            "ca",
            "import",
            "issuing",
            "--cert",
            &f("chain/inter.pem"),
            "--key",
        ])
        .arg(fixture("chain/inter.key"))
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--force"));
}

#[test]
fn the_key_must_be_the_certificates_and_the_certificate_a_ca() {
    let sb = Sandbox::new();
    sb.cmd()
        .args([
            "ca",
            "import",
            "x",
            "--cert",
            &f("chain/root.pem"),
            "--key",
            &f("chain/inter.key"),
        ])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("not the key of"));
    sb.cmd()
        .args([
            "ca",
            "import",
            "x",
            "--cert",
            &f("chain/leaf.pem"),
            "--key",
            &f("chain/leaf.key"),
        ])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("not a CA certificate"));
    sb.cmd()
        .args([
            "ca",
            "import",
            "x",
            "--cert",
            &f("chain/inter.pem"),
            "--key",
            &f("chain/inter.key"),
        ])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--chain"));
    // Nothing was written.
    assert!(!sb.store().join("cas/x").exists());
}

#[test]
fn an_encrypted_key_needs_its_password() {
    let sb = Sandbox::new();
    // encrypted-pkcs8.pem is keys/p256.pem encrypted by `openssl pkey
    // -aes256` (PBES2: PBKDF2-HMAC-SHA256, AES-256-CBC) with the password
    // "fixture" (tests/fixtures/make.sh).
    let enc = f("misc/encrypted-pkcs8.pem");
    sb.cmd()
        .args([
            "ca",
            "import",
            "x",
            "--cert",
            &f("chain/root.pem"),
            "--key",
            &enc,
        ])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--key-password-file"));
    sb.write("wrong.txt", "not-the-password\n");
    sb.cmd()
        .args([
            "ca",
            "import",
            "x",
            "--cert",
            &f("chain/root.pem"),
            "--key",
            &enc,
        ])
        .args(["--key-password-file", "wrong.txt"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("wrong password"));
    // The right password decrypts it: it is then compared with the
    // certificate's key (p256's, not the root's), which is the next refusal.
    sb.write("right.txt", "fixture\n");
    let out = sb
        .cmd()
        .args([
            "ca",
            "import",
            "x",
            "--cert",
            &f("chain/root.pem"),
            "--key",
            &enc,
        ])
        .args(["--key-password-file", "right.txt"])
        .assert()
        .code(2)
        .get_output()
        .stderr
        .clone();
    assert!(
        String::from_utf8_lossy(&out).contains("not the key of"),
        "{}",
        String::from_utf8_lossy(&out)
    );
    let pin = stdout_of(
        sb.cmd()
            .args(["pin", "--bare"])
            .arg(fixture("keys/p256.pem")),
    );
    assert!(!pin.is_empty());
    assert!(!sb.store().join("cas/x").exists());
}

#[test]
fn openssl_made_root_and_intermediate_are_imported_and_what_they_issue_verifies() {
    if !enabled() {
        return;
    }
    let sb = Sandbox::new();
    let dir = sb.dir.path();
    let sh = |script: &str| run_tool("bash", &["-euo", "pipefail", "-c", script], dir);
    sh(
        "openssl req -x509 -newkey rsa:2048 -nodes -keyout root.key -out root.pem -days 3650 \
        -subj '/O=Corp/CN=Corp Root' -addext 'basicConstraints=critical,CA:TRUE' \
        -addext 'keyUsage=critical,keyCertSign,cRLSign' 2>/dev/null",
    );
    sh(
        "openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout inter.key \
        -out inter.csr -subj '/O=Corp/CN=Corp Issuing' 2>/dev/null",
    );
    sh(
        "printf 'basicConstraints=critical,CA:TRUE,pathlen:0\\nkeyUsage=critical,keyCertSign,cRLSign\\n\
        subjectKeyIdentifier=hash\\nauthorityKeyIdentifier=keyid\\n' > ext.cnf; \
        openssl x509 -req -in inter.csr -CA root.pem -CAkey root.key -CAcreateserial \
        -out inter.pem -days 1000 -extfile ext.cnf 2>/dev/null",
    );
    sh(
        "openssl pkcs8 -topk8 -in inter.key -out inter.enc.key -passout pass:s3cret -v2 aes-256-cbc; \
        echo s3cret > pw.txt",
    );
    let run = |args: &[&str]| {
        sb.cmd_realtime().args(args).assert().success();
    };
    run(&[
        "ca", "import", "corp", "--cert", "root.pem", "--key", "root.key",
    ]);
    // The root is in the store now: the intermediate finds it as its parent.
    let doc = json_of(sb.cmd_realtime().args([
        "--json",
        "ca",
        "import",
        "issuing",
        "--cert",
        "inter.pem",
        "--key",
        "inter.enc.key",
        "--key-password-file",
        "pw.txt",
    ]));
    assert_eq!(doc["ca"]["parent"], "corp");
    assert_eq!(doc["key_was_encrypted"], true);
    assert_eq!(doc["warnings"][0]["code"], "key-decrypted");
    run(&[
        "cert",
        "issue",
        "r.example",
        "--ca",
        "corp",
        "--cert-out",
        "r.pem",
        "--key-out",
        "r.key",
    ]);
    run(&[
        "cert",
        "issue",
        "i.example",
        "--ca",
        "issuing",
        "--chain",
        "--out",
        "i",
    ]);
    for purpose in ["sslserver", "sslclient"] {
        let v = sh(&format!(
            "openssl verify -purpose {purpose} -CAfile root.pem r.pem"
        ));
        assert!(v.contains("r.pem: OK"), "{v}");
        let v = sh(&format!(
            "openssl verify -purpose {purpose} -CAfile root.pem -untrusted i/cert.pem i/cert.pem"
        ));
        assert!(v.contains("OK"), "{v}");
    }
    let g = sh("certtool --verify --load-ca-certificate root.pem --infile i/cert.pem");
    assert!(g.contains("Chain verification output: Verified"), "{g}");
    // The same key as openssl's: the pins agree.
    let a = stdout_of(sb.cmd().args(["pin", "--bare", "inter.key"]));
    let b = stdout_of(
        sb.cmd()
            .args(["pin", "--bare"])
            .arg(sb.store().join("cas/issuing/ca.key")),
    );
    assert_eq!(a, b);
}
