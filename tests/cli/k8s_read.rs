//! Every reading command takes a Kubernetes Secret or ConfigMap manifest
//! where it takes a PEM file (`FILE#KEY` picks a key) and gives the same
//! answer as for the PEM files the manifest was made from: pin, verify,
//! bundle diff/add/list/lint, cert p12, cert sign, ca import, nats config.

use base64::Engine as _;

use crate::support::{Sandbox, fixture, json_of, stdout_of};

/// A `kubernetes.io/tls` Secret (base64 `data`) of the given files.
fn secret(sb: &Sandbox, out: &str, name: &str, keys: &[(&str, &str)]) {
    let mut s = format!(
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: {name}\n  namespace: nats\n\
         type: kubernetes.io/tls\ndata:\n"
    );
    for (key, file) in keys {
        let bytes = std::fs::read(sb.path(file)).unwrap();
        let b64 = base64::engine::general_purpose::STANDARD.encode(bytes);
        s.push_str(&format!("  {key}: {b64}\n"));
    }
    sb.write(out, s);
}

/// A ConfigMap (text `data`) as JSON, inside the `List` kubectl prints.
fn configmap_json(sb: &Sandbox, out: &str, name: &str, key: &str, file: &str) {
    let text = std::fs::read_to_string(sb.path(file)).unwrap();
    let doc = serde_json::json!({
        "apiVersion": "v1",
        "kind": "List",
        "items": [{
            "apiVersion": "v1",
            "kind": "ConfigMap",
            "metadata": {"name": name},
            "data": {key: text}
        }]
    });
    sb.write(out, serde_json::to_string_pretty(&doc).unwrap());
}

/// stdout, stderr and exit code of a run, with `names` (manifest name, PEM
/// name) swapped back so two runs compare.
fn run(sb: &Sandbox, args: &[&str], names: &[(&str, &str)]) -> (String, String, i32) {
    let out = sb.cmd().args(args).output().unwrap();
    let mut stdout = String::from_utf8(out.stdout).unwrap();
    let mut stderr = String::from_utf8(out.stderr).unwrap();
    for (from, to) in names {
        stdout = stdout.replace(from, to);
        stderr = stderr.replace(from, to);
    }
    (stdout, stderr, out.status.code().unwrap())
}

/// The rotation PKI, node-a as a Secret (`a.yaml`: tls.crt, tls.key,
/// ca.crt) and the bundles as ConfigMaps (`root.json`, `x3.json`, `r3.json`).
fn manifests(sb: &Sandbox) {
    sb.pki();
    secret(
        sb,
        "a.yaml",
        "node-a-tls",
        &[
            ("tls.crt", "node-a/cert.pem"),
            ("tls.key", "node-a/key.pem"),
            ("ca.crt", "acme.pem"),
        ],
    );
    for ca in ["acme", "x3", "r3"] {
        configmap_json(
            sb,
            &format!("{ca}.json"),
            ca,
            "ca.pem",
            &format!("{ca}.pem"),
        );
    }
}

#[test]
fn pin_of_a_manifest_is_the_pin_of_its_files() {
    let sb = Sandbox::new();
    manifests(&sb);
    let pem = stdout_of(
        sb.cmd()
            .args(["pin", "--bare", "node-a/cert.pem", "acme.pem"]),
    );
    // The Secret alone: tls.crt, then ca.crt (not tls.key).
    assert_eq!(stdout_of(sb.cmd().args(["pin", "--bare", "a.yaml"])), pem);
    let chain = stdout_of(sb.cmd().args(["pin", "--bare", "node-a/cert.pem"]));
    assert_eq!(
        stdout_of(sb.cmd().args(["pin", "--bare", "a.yaml#tls.crt"])),
        chain
    );
    // The key, asked for by name, pins as the leaf does.
    let leaf = chain.lines().next().unwrap();
    assert_eq!(
        stdout_of(sb.cmd().args(["pin", "--bare", "a.yaml#tls.key"])),
        format!("{leaf}\n")
    );
    let nats = run(&sb, &["pin", "--nats", "a.yaml#tls.crt"], &[]).0;
    assert_eq!(
        nats,
        run(&sb, &["pin", "--nats", "node-a/cert.pem"], &[])
            .0
            .replace("node-a/cert.pem", "a.yaml#tls.crt")
    );
    let (_, err, code) = run(&sb, &["pin", "a.yaml#nope.crt"], &[]);
    assert_eq!(code, 2);
    assert!(err.contains("a.yaml: no key \"nope.crt\""), "{err}");
}

#[test]
fn verify_reads_leaf_chain_and_bundle_from_manifests() {
    let sb = Sandbox::new();
    manifests(&sb);
    let names = [
        ("a.yaml#tls.crt", "node-a/cert.pem"),
        ("acme.json", "acme.pem"),
    ];
    for purpose in ["server", "client"] {
        let pem = run(
            &sb,
            &[
                "--json",
                "verify",
                "node-a/cert.pem",
                "--bundle",
                "acme.pem",
                "--purpose",
                purpose,
            ],
            &[],
        );
        let k8s = run(
            &sb,
            &[
                "--json",
                "verify",
                "a.yaml#tls.crt",
                "--bundle",
                "acme.json",
                "--purpose",
                purpose,
            ],
            &names,
        );
        assert_eq!(pem.2, 0, "{}", pem.1);
        assert_eq!(k8s, pem);
    }
    // Not trusted: the same refusal, exit 1, from the ConfigMap of R3.
    let pem = run(
        &sb,
        &["verify", "node-a/cert.pem", "--bundle", "r3.pem"],
        &[],
    );
    let k8s = run(
        &sb,
        &["verify", "a.yaml#tls.crt", "--bundle", "r3.json"],
        &[("a.yaml#tls.crt", "node-a/cert.pem"), ("r3.json", "r3.pem")],
    );
    assert_eq!(pem.2, 1);
    assert_eq!(k8s, pem);
    // A leaf alone in one manifest key, its chain (--untrusted) in another.
    secret(
        &sb,
        "leaf.yaml",
        "leaf",
        &[("leaf.crt", "node-a/cert.pem"), ("x3.crt", "x3.pem")],
    );
    let doc = json_of(sb.cmd().args([
        "--json",
        "verify",
        "leaf.yaml#leaf.crt",
        "--untrusted",
        "leaf.yaml#x3.crt",
        "--bundle",
        "acme.json",
    ]));
    assert_eq!(doc["ok"], true, "{doc}");
}

#[test]
fn bundle_diff_add_list_and_lint_read_configmaps() {
    let sb = Sandbox::new();
    manifests(&sb);
    let names = [
        ("x3.json", "x3.pem"),
        ("r3.json", "r3.pem"),
        ("a.yaml#tls.crt", "node-a/cert.pem"),
    ];
    let pem = run(
        &sb,
        &[
            "--json",
            "bundle",
            "diff",
            "x3.pem",
            "r3.pem",
            "--peer",
            "node-a/cert.pem",
            "--check",
        ],
        &[],
    );
    let k8s = run(
        &sb,
        &[
            "--json",
            "bundle",
            "diff",
            "x3.json",
            "r3.json",
            "--peer",
            "a.yaml#tls.crt",
            "--check",
        ],
        &names,
    );
    assert_eq!(pem.2, 1, "node-a is lost when X3 goes: {}", pem.0);
    assert_eq!(k8s, pem);
    // add: the same bundle bytes from ConfigMaps as from PEM files.
    sb.cmd()
        .args(["bundle", "add", "from-pem.pem", "x3.pem", "r3.pem"])
        .assert()
        .success();
    sb.cmd()
        .args(["bundle", "add", "from-k8s.pem", "x3.json", "r3.json#ca.pem"])
        .assert()
        .success();
    assert_eq!(
        std::fs::read(sb.path("from-pem.pem")).unwrap(),
        std::fs::read(sb.path("from-k8s.pem")).unwrap()
    );
    // The bundle edited is a PEM file: a manifest there is refused, untouched.
    let before = std::fs::read(sb.path("x3.json")).unwrap();
    sb.cmd()
        .args(["bundle", "add", "x3.json", "r3.pem"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("bundle export"));
    assert_eq!(std::fs::read(sb.path("x3.json")).unwrap(), before);
    // list and lint of a ConfigMap, of a Secret's ca.crt.
    for sub in ["list", "lint"] {
        let pem = run(&sb, &["--json", "bundle", sub, "acme.pem"], &[]);
        let cm = run(
            &sb,
            &["--json", "bundle", sub, "acme.json"],
            &[("acme.json", "acme.pem")],
        );
        let sec = run(
            &sb,
            &["--json", "bundle", sub, "a.yaml#ca.crt"],
            &[("a.yaml#ca.crt", "acme.pem")],
        );
        assert_eq!(pem.2, 0, "{}", pem.1);
        assert_eq!(cm, pem);
        assert_eq!(sec, pem);
    }
}

#[test]
fn p12_sign_and_import_take_manifests() {
    let sb = Sandbox::new();
    manifests(&sb);
    sb.write("pw.txt", "correct horse\n");
    // cert p12: --cert and --key from the Secret.
    for (out, cert, key) in [
        ("pem.p12", "node-a/cert.pem", "node-a/key.pem"),
        ("k8s.p12", "a.yaml", "a.yaml"),
    ] {
        // The Secret alone is tls.crt and ca.crt: the chain with its root.
        let chain: &[&str] = if out == "pem.p12" {
            &["--chain", "acme.pem"]
        } else {
            &[]
        };
        sb.cmd()
            .args(["cert", "p12", "--cert", cert, "--key", key, "--out", out])
            .args(chain)
            .args(["--password-file", "pw.txt"])
            .assert()
            .success();
    }
    let inspect = |f: &str| {
        let doc = json_of(
            sb.cmd()
                .args(["--json", "inspect", f, "--password-file", "pw.txt"]),
        );
        let items = doc["files"][0]["items"].clone();
        serde_json::to_string(&items).unwrap()
    };
    assert_eq!(inspect("k8s.p12"), inspect("pem.p12"));
    // cert sign: a CSR kept in a ConfigMap, picked by key.
    sb.write(
        "req.csr",
        std::fs::read(fixture("misc/p256.csr.pem")).unwrap(),
    );
    configmap_json(&sb, "req.json", "req", "req.csr", "req.csr");
    let pem = json_of(
        sb.cmd()
            .args(["--json", "cert", "sign", "req.csr", "--ca", "x3"]),
    );
    let k8s = json_of(
        sb.cmd()
            .args(["--json", "cert", "sign", "req.json#req.csr", "--ca", "x3"]),
    );
    assert_eq!(k8s["request"], pem["request"]);
    assert_eq!(k8s["certificate"]["subject"], pem["certificate"]["subject"]);
    assert_eq!(
        k8s["certificate"]["pin_sha256"],
        pem["certificate"]["pin_sha256"]
    );
    // ca import: a CA kept as a TLS Secret (as cert-manager keeps one).
    let store = sb.store();
    let ca_dir = store.join("cas/x3");
    std::fs::copy(ca_dir.join("ca.pem"), sb.path("x3-cert.pem")).unwrap();
    std::fs::copy(ca_dir.join("ca.key"), sb.path("x3-key.pem")).unwrap();
    secret(
        &sb,
        "x3-ca.yaml",
        "x3-ca",
        &[("tls.crt", "x3-cert.pem"), ("tls.key", "x3-key.pem")],
    );
    let doc = json_of(sb.cmd().args([
        "--json",
        "ca",
        "import",
        "x3copy",
        "--cert",
        "x3-ca.yaml",
        "--key",
        "x3-ca.yaml",
    ]));
    let original = json_of(sb.cmd().args(["--json", "ca", "show", "x3"]));
    let imported = json_of(sb.cmd().args(["--json", "ca", "show", "x3copy"]));
    assert_eq!(
        imported["certificate"]["pin_sha256"], original["certificate"]["pin_sha256"],
        "{doc}"
    );
    // It signs: a leaf from the imported CA verifies against the root.
    sb.cmd()
        .args(["cert", "issue", "imp.svc", "--ca", "x3copy", "--out", "imp"])
        .assert()
        .success();
    sb.cmd()
        .args(["verify", "imp/cert.pem", "--bundle", "acme.json"])
        .assert()
        .success();
}

#[test]
fn nats_config_names_the_mounted_keys_of_a_secret() {
    let sb = Sandbox::new();
    manifests(&sb);
    let pem = json_of(sb.cmd().args([
        "--json",
        "nats",
        "config",
        "--cert",
        "node-a/cert.pem",
        "--key",
        "node-a/key.pem",
        "--ca",
        "acme.pem",
        "--block",
        "cluster",
    ]));
    let k8s = json_of(sb.cmd().args([
        "--json",
        "nats",
        "config",
        "--cert",
        "a.yaml",
        "--key",
        "a.yaml",
        "--ca",
        "acme.json#ca.pem",
        "--block",
        "cluster",
        "--mount-dir",
        "/etc/nats-certs/cluster",
        "--ca-mount-dir",
        "/etc/nats-ca-cert",
    ]));
    assert_eq!(k8s["block"]["cert_file"], "/etc/nats-certs/cluster/tls.crt");
    assert_eq!(k8s["block"]["key_file"], "/etc/nats-certs/cluster/tls.key");
    assert_eq!(k8s["block"]["ca_file"], "/etc/nats-ca-cert/ca.pem");
    assert_eq!(k8s["certificate"], pem["certificate"]);
    assert_eq!(k8s["warnings"], pem["warnings"]);
    let config = k8s["config"].as_str().unwrap();
    assert!(
        config.contains("cert_file: \"/etc/nats-certs/cluster/tls.crt\""),
        "{config}"
    );
    // A manifest without the mount: what to pass, exit 2, nothing printed.
    sb.cmd()
        .args([
            "nats", "config", "--cert", "a.yaml", "--key", "a.yaml", "--ca", "acme.pem",
        ])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicates::str::contains("--mount-dir DIR"));
    // The key the block would name is checked: a Secret without tls.key.
    secret(
        &sb,
        "nokey.yaml",
        "nokey",
        &[("tls.crt", "node-a/cert.pem")],
    );
    sb.cmd()
        .args([
            "nats",
            "config",
            "--cert",
            "nokey.yaml",
            "--key",
            "nokey.yaml",
            "--ca",
            "acme.pem",
        ])
        .args(["--mount-dir", "/m"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("no key \"tls.key\""));
}

#[test]
fn probe_trusts_a_configmap_and_renew_refuses_a_manifest() {
    let sb = Sandbox::new();
    manifests(&sb);
    let served = crate::net::Served::start(
        &sb,
        &["--cert", "node-a/cert.pem", "--key", "node-a/key.pem"],
    );
    let probe = |ca: &str| {
        let out = sb
            .cmd()
            .args([
                "--json",
                "probe",
                &served.addr,
                "--sni",
                "node-a.nats.internal",
                "--ca",
                ca,
            ])
            .output()
            .unwrap();
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        (
            out.status.code(),
            doc["verified"]["ok"].clone(),
            doc["chain"].clone(),
        )
    };
    let pem = probe("acme.pem");
    assert_eq!(pem.1, true, "{pem:?}");
    assert_eq!(probe("acme.json"), pem);
    assert_eq!(probe("a.yaml#ca.crt"), pem);
    // Not trusted by R3's ConfigMap, as not by its PEM file.
    assert_eq!(probe("r3.json"), probe("r3.pem"));
    assert_eq!(probe("r3.json").1, false);
    // cert renew rewrites what it reads: a manifest is refused, untouched.
    let before = std::fs::read(sb.path("a.yaml")).unwrap();
    for arg in ["a.yaml", "a.yaml#tls.crt"] {
        sb.cmd()
            .args(["cert", "renew", arg])
            .assert()
            .code(2)
            .stderr(predicates::str::contains("is a Kubernetes manifest"));
    }
    assert_eq!(std::fs::read(sb.path("a.yaml")).unwrap(), before);
}

#[test]
fn nats_config_takes_the_one_certificate_key_of_a_configmap() {
    let sb = Sandbox::new();
    manifests(&sb);
    // acme.json holds ca.pem only (no ca.crt): that is the key named.
    let doc = json_of(sb.cmd().args([
        "--json",
        "nats",
        "config",
        "--cert",
        "a.yaml",
        "--key",
        "a.yaml",
        "--ca",
        "acme.json",
        "--mount-dir",
        "/etc/nats-certs/tls",
    ]));
    assert_eq!(doc["block"]["ca_file"], "/etc/nats-certs/tls/ca.pem");
    // A PEM --ca with a manifest --cert: the file's own path.
    let doc = json_of(sb.cmd().args([
        "--json",
        "nats",
        "config",
        "--cert",
        "a.yaml",
        "--key",
        "a.yaml",
        "--ca",
        "acme.pem",
        "--mount-dir",
        "/etc/nats-certs/tls",
    ]));
    assert_eq!(
        doc["block"]["ca_file"],
        sb.path("acme.pem").display().to_string()
    );
    sb.cmd()
        .args([
            "nats", "config", "--cert", "a.yaml", "--key", "a.yaml", "--ca", "acme.pem",
        ])
        .args(["--mount-dir", "relative/dir"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("absolute"));
}
