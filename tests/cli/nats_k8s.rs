//! `nats check` on Kubernetes manifests: a ConfigMap holding nats.conf as
//! the NATS Helm chart renders it (with an include of another key of the
//! same ConfigMap) and `--mount DIR=SECRET.yaml` for the certificate
//! volumes. The verdicts equal those of the same configuration and files on
//! disk; a missing key names the manifest and the key, exit 2.

use base64::Engine as _;
use serde_json::Value;

use crate::support::{Sandbox, stdout_of};

/// nats.conf as the Helm chart renders it (JSON-ish, `$SERVER_NAME` from
/// the pod's environment), the certificate volumes under `certs`.
fn helm_conf(name: &str, peer: &str, certs: &str, gw_dir: &str) -> String {
    // east's pod name comes from the environment, west's is written out.
    let server_name = if name == "east" {
        "$SERVER_NAME".to_string()
    } else {
        format!("\"{name}-0\"")
    };
    format!(
        r#"{{
  "gateway": {{
    "gateways": [
      {{
        "name": "{peer}",
        "urls": [
          "nats://{peer}-nats.{peer}.svc.cluster.local:7222"
        ]
      }}
    ],
    "name": "{name}",
    "port": 7222,
    "tls": {{
      "ca_file": "{certs}/{gw_dir}/ca.crt",
      "cert_file": "{certs}/{gw_dir}/tls.crt",
      "key_file": "{certs}/{gw_dir}/tls.key"
    }}
  }},
  "http_port": 8222,
  "lame_duck_duration": "30s",
  "lame_duck_grace_period": "10s",
  "pid_file": "/var/run/nats/nats.pid",
  "port": 4222,
  "server_name": {server_name},
  "tls": {{
    "ca_file": "{certs}/nats/ca.crt",
    "cert_file": "{certs}/nats/tls.crt",
    "key_file": "{certs}/nats/tls.key",
    "verify_and_map": true
  }},
  include "auth.conf"
}}
"#
    )
}

const AUTH: &str = "authorization {\n  users = [ {user: \"CN=app\"} ]\n}\n";

fn indent(text: &str, by: &str) -> String {
    text.lines().map(|l| format!("{by}{l}\n")).collect()
}

/// The ConfigMap `kubectl get configmap -o yaml` prints, inside a List.
fn configmap(name: &str, conf: &str) -> String {
    format!(
        "apiVersion: v1\nitems:\n- apiVersion: v1\n  data:\n    auth.conf: |\n{}    nats.conf: |\n{}  kind: ConfigMap\n  metadata:\n    labels:\n      app.kubernetes.io/name: nats\n    name: {name}-nats-config\n    namespace: {name}\nkind: List\nmetadata:\n  resourceVersion: \"\"\n",
        indent(AUTH, "      "),
        indent(conf, "      ")
    )
}

fn secret(sb: &Sandbox, name: &str, dir: &str, keys: &[&str]) -> String {
    let b64 = |rel: &str| {
        base64::engine::general_purpose::STANDARD.encode(std::fs::read(sb.path(rel)).unwrap())
    };
    let files = [
        ("tls.crt", format!("{dir}/cert.pem")),
        ("tls.key", format!("{dir}/key.pem")),
        ("ca.crt", "acme.pem".to_string()),
    ];
    let mut s = format!(
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: {name}\n  namespace: nats\ntype: kubernetes.io/tls\ndata:\n"
    );
    for (key, rel) in files.iter().filter(|(k, _)| keys.contains(k)) {
        s.push_str(&format!("  {key}: {}\n", b64(rel)));
    }
    s
}

/// Two gateway clusters: east's gateway certificate is dual-use, west's
/// serverAuth only (so west cannot dial east).
fn fleet(sb: &Sandbox) {
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
        "east-nats.east.svc.cluster.local",
        "--ca",
        "acme",
        "--out",
        "east-gw",
    ]);
    run(&[
        "cert",
        "issue",
        "west-nats.west.svc.cluster.local",
        "--usage",
        "server",
        "--ca",
        "acme",
        "--out",
        "west-gw",
    ]);
    run(&[
        "cert",
        "issue",
        "nats.example.net",
        "--ca",
        "acme",
        "--out",
        "client-tls",
    ]);
    let all = ["tls.crt", "tls.key", "ca.crt"];
    sb.write("east-gw.yaml", secret(sb, "east-gw", "east-gw", &all));
    sb.write("west-gw.yaml", secret(sb, "west-gw", "west-gw", &all));
    sb.write("nats-tls.yaml", secret(sb, "nats-tls", "client-tls", &all));
    let certs = "/etc/nats-certs";
    sb.write(
        "east-cm.yaml",
        configmap("east", &helm_conf("east", "west", certs, "gateway")),
    );
    sb.write(
        "west-cm.yaml",
        configmap("west", &helm_conf("west", "east", certs, "west-gateway")),
    );
    // The same on disk: the volumes as directories.
    let disk = sb.path("etc/nats-certs");
    for (dir, from) in [
        ("gateway", "east-gw"),
        ("west-gateway", "west-gw"),
        ("nats", "client-tls"),
    ] {
        let to = disk.join(dir);
        std::fs::create_dir_all(&to).unwrap();
        std::fs::copy(sb.path(&format!("{from}/cert.pem")), to.join("tls.crt")).unwrap();
        std::fs::copy(sb.path(&format!("{from}/key.pem")), to.join("tls.key")).unwrap();
        std::fs::copy(sb.path("acme.pem"), to.join("ca.crt")).unwrap();
    }
    let d = disk.display().to_string();
    for (name, peer, gw) in [
        ("east", "west", "gateway"),
        ("west", "east", "west-gateway"),
    ] {
        sb.write(&format!("{name}.conf"), helm_conf(name, peer, &d, gw));
    }
    sb.write("auth.conf", AUTH);
}

fn k8s_args() -> Vec<&'static str> {
    vec![
        "nats",
        "check",
        "east-cm.yaml",
        "west-cm.yaml#nats.conf",
        "--mount",
        "/etc/nats-certs/gateway=east-gw.yaml",
        "--mount",
        "/etc/nats-certs/west-gateway/=west-gw.yaml",
        "--mount",
        "/etc/nats-certs/nats=nats-tls.yaml",
    ]
}

/// Findings and connections without the parts that name where they came
/// from (file, location, the directory prefix in messages).
fn verdicts(doc: &Value, prefix: &str) -> Value {
    let mut doc = doc.clone();
    for f in doc["findings"].as_array_mut().unwrap() {
        let f = f.as_object_mut().unwrap();
        f.remove("file");
        f.remove("location");
    }
    let text = serde_json::to_string(&serde_json::json!({
        "findings": doc["findings"],
        "connections": doc["connections"],
    }))
    .unwrap();
    serde_json::from_str(&text.replace(prefix, "")).unwrap()
}

#[test]
fn a_helm_configmap_with_secret_mounts_is_judged_as_the_same_files_on_disk() {
    let sb = Sandbox::new();
    fleet(&sb);
    let k8s = json_run(&sb, &k8s_args());
    let disk = json_run(&sb, &["nats", "check", "east.conf", "west.conf"]);
    let prefix = sb.path("").display().to_string();
    let prefix = prefix.trim_end_matches('/');
    assert_eq!(verdicts(&k8s, "__none__"), verdicts(&disk, prefix));
    // The judgement itself: west dials east with a serverAuth-only
    // certificate, so the gateway is broken one way.
    let conns = k8s["connections"].as_array().unwrap();
    assert_eq!(conns.len(), 1, "{conns:?}");
    assert_eq!(conns[0]["kind"], "gateway");
    assert_eq!(conns[0]["verdict"], "broken");
    assert!(
        conns[0]["reasons"]
            .to_string()
            .contains("does not allow clientAuth"),
        "{conns:?}"
    );
    // The include resolved to the ConfigMap's other key: users exist.
    assert!(
        !k8s["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["code"] == "map-no-users"),
        "{k8s}"
    );
    // Locations name the manifest and its key.
    let loc = k8s["findings"][0]["location"].as_str().unwrap();
    assert!(loc.contains("-cm.yaml/nats.conf:"), "{loc}");
    assert_eq!(k8s["warnings"], serde_json::json!([]));
}

fn json_run(sb: &Sandbox, args: &[&str]) -> Value {
    let out = sb
        .cmd()
        .env("SERVER_NAME", "east-0")
        .arg("--json")
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn a_secret_without_the_key_a_block_names_is_an_input_error_naming_both() {
    let sb = Sandbox::new();
    fleet(&sb);
    sb.write(
        "west-gw.yaml",
        secret(&sb, "west-gw", "west-gw", &["tls.key", "ca.crt"]),
    );
    let out = sb
        .cmd()
        .env("SERVER_NAME", "east-0")
        .args(k8s_args())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("west-gw.yaml"), "{err}");
    assert!(
        err.contains("Secret/nats/west-gw has no key \"tls.crt\""),
        "{err}"
    );
    assert!(
        err.contains("/etc/nats-certs/west-gateway/tls.crt"),
        "{err}"
    );
    assert!(err.contains("keys there: tls.key, ca.crt"), "{err}");
    assert!(out.stdout.is_empty());
}

#[test]
fn a_configmap_key_or_include_that_is_missing_names_the_manifest_and_key() {
    let sb = Sandbox::new();
    fleet(&sb);
    let out = sb
        .cmd()
        .env("SERVER_NAME", "east-0")
        .args(["nats", "check", "east-cm.yaml#server.conf"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("east-cm.yaml: no key \"server.conf\""),
        "{err}"
    );
    assert!(
        err.contains("ConfigMap/east/east-nats-config#nats.conf"),
        "{err}"
    );
    // An include of a key the ConfigMap lacks.
    let cm = std::fs::read_to_string(sb.path("east-cm.yaml"))
        .unwrap()
        .replace("    auth.conf: |", "    other.conf: |");
    sb.write("east-cm.yaml", cm);
    let out = sb
        .cmd()
        .env("SERVER_NAME", "east-0")
        .args(["--json", "nats", "check", "east-cm.yaml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let msg = doc["error"]["message"].as_str().unwrap();
    assert!(msg.contains("has no key \"auth.conf\""), "{msg}");
    assert!(msg.contains("east-cm.yaml"), "{msg}");
    // A mount whose manifest is not one.
    let out = sb
        .cmd()
        .env("SERVER_NAME", "east-0")
        .args([
            "nats",
            "check",
            "east.conf",
            "--mount",
            "/etc/nats-certs/gateway=acme.pem",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("acme.pem is not a Kubernetes manifest"));
}
