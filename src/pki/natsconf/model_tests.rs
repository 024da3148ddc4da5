//! Unit tests of the node model and its TLS findings. Each refusal the
//! model reports was first seen from the real nats-server 2.9.10 and
//! 2.15.1 with `-t` (the messages quoted are theirs).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;

use super::*;
use crate::pki::natsconf::Reader;

fn model(text: &str, dialect: Dialect) -> NodeConfig {
    let mut loader = |_: &Path| -> Result<Vec<u8>, String> { Err("none".into()) };
    let env = |_: &str| None;
    let config = Reader::new(&mut loader, &env)
        .dialect(dialect)
        .read_bytes(Path::new("n.conf"), text.as_bytes())
        .unwrap_or_else(|e| panic!("{e}"));
    node(&config, dialect)
}

fn codes(n: &NodeConfig) -> Vec<&'static str> {
    n.findings.iter().map(|f| f.code).collect()
}

const FLEET_NODE: &str = r#"
server_name: n1
listen: 127.0.0.1:4222
tls { cert_file: "/pki/client.pem", key_file: "/pki/client.key", ca_file: ca.pem, verify_and_map: true, timeout: "2s" }
cluster {
  name: c1
  listen: 0.0.0.0:6222
  advertise: n1.example.net:6222
  routes: [ nats://n2.example.net:6222, nats://n3.example.net:6222 ]
  authorization { user: "CN=n1" }
  tls { cert_file: route.pem, key_file: route.key, ca_file: ca.pem, verify_cert_and_check_known_urls: true
        pinned_certs: [ "0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef" ] }
}
gateway {
  name: east
  port: 7222
  gateways: [
    { name: west, urls: [ "nats://w1:7222", "nats://w2:7222" ], tls { ca_file: west-ca.pem } }
    { name: south, url: "nats://s1:7222" }
  ]
  tls { cert_file: gw.pem, key_file: gw.key }
}
leaf {
  port: 7422
  tls { cert_file: leaf.pem, key_file: leaf.key }
  remotes: [ { url: "tls://hub:7422", account: A, tls { ca_file: hub-ca.pem, handshake_first: true } } ]
}
ws { port: 8080, tls { cert_file: ws.pem, key_file: ws.key } }
mqtt { port: 1883 }
authorization { users: [ { user: alice, password: x }, { username: bob, password: y } ] }
accounts { A { users: [ { user: carol, password: z } ] } }
"#;

#[test]
fn the_model_reads_every_block_with_aliases_and_positions() {
    let n = model(FLEET_NODE, Dialect::V2_15);
    assert_eq!(n.server_name.as_ref().unwrap().value, "n1");
    assert_eq!(n.listen.listen.as_ref().unwrap().value, "127.0.0.1:4222");
    let tls = n.tls.as_ref().unwrap();
    assert_eq!(tls.context, TlsContext::Client);
    assert!(tls.verifies());
    assert_eq!(tls.timeout.as_ref().unwrap().value, 2.0);
    let c = n.cluster.as_ref().unwrap();
    assert_eq!(c.name.as_ref().unwrap().value, "c1");
    assert_eq!(
        c.listen.advertise.as_ref().unwrap().value,
        "n1.example.net:6222"
    );
    assert_eq!(c.routes.len(), 2);
    assert_eq!(
        c.authorization
            .as_ref()
            .unwrap()
            .user
            .as_ref()
            .unwrap()
            .value,
        "CN=n1"
    );
    let ctls = c.tls.as_ref().unwrap();
    assert_eq!(ctls.name, "cluster.tls");
    // Pins are compared lowercased, as nats-server does.
    assert_eq!(
        ctls.pinned_certs[0].value,
        "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
    );
    let routes_pos = c.routes[1].pos;
    assert_eq!((routes_pos.line, routes_pos.col), (9, 41));
    let g = n.gateway.as_ref().unwrap();
    assert_eq!(g.gateways.len(), 2);
    assert_eq!(g.gateways[0].urls.len(), 2);
    assert_eq!(g.gateways[1].urls[0].value, "nats://s1:7222");
    assert_eq!(
        g.gateways[0].tls.as_ref().unwrap().context,
        TlsContext::GatewayRemote
    );
    let l = n.leafnodes.as_ref().unwrap();
    assert_eq!(l.remotes[0].account.as_ref().unwrap().value, "A");
    assert_eq!(
        l.remotes[0]
            .tls
            .as_ref()
            .unwrap()
            .handshake_first
            .as_ref()
            .unwrap()
            .value,
        HandshakeFirst::On
    );
    assert_eq!(
        n.websocket.as_ref().unwrap().tls.as_ref().unwrap().context,
        TlsContext::Websocket
    );
    assert!(n.mqtt.as_ref().unwrap().tls.is_none());
    assert_eq!(n.user_names(), ["alice", "bob", "carol"]);
    let names: Vec<&str> = n.tls_blocks().iter().map(|b| b.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "tls",
            "cluster.tls",
            "gateway.tls",
            "gateway.gateways[0].tls",
            "leafnodes.tls",
            "leafnodes.remotes[0].tls",
            "websocket.tls"
        ]
    );
    // Only the informational note about handshake_first's versions.
    assert_eq!(codes(&n), ["tls-option-too-new", "handshake-first"]);
}

#[test]
fn relative_tls_paths_resolve_against_the_server_working_directory() {
    assert_eq!(
        resolve("route.pem", Path::new("/srv/nats")),
        Path::new("/srv/nats/route.pem")
    );
    assert_eq!(
        resolve("/pki/a.pem", Path::new("/srv/nats")),
        Path::new("/pki/a.pem")
    );
}

#[test]
fn cert_file_and_cert_store_together_is_refused_and_key_file_ignored() {
    let n = model(
        "tls { cert_file: c.pem, key_file: k.pem, cert_store: WindowsCurrentUser, cert_match: localhost }",
        Dialect::V2_15,
    );
    let c = codes(&n);
    assert!(c.contains(&"cert-file-and-store"), "{c:?}");
    assert!(c.contains(&"key-file-ignored"), "{c:?}");
    assert!(c.contains(&"cert-store-windows-only"), "{c:?}");
    let f = n
        .findings
        .iter()
        .find(|f| f.code == "cert-file-and-store")
        .unwrap();
    assert!(
        f.message
            .contains("'cert_file' and 'cert_store' may not both be configured")
    );
    assert_eq!(f.severity, Severity::Error);
}

#[test]
fn cert_store_providers_are_case_insensitive_and_unknown_ones_refused() {
    let n = model(
        "tls { cert_store: windowslocalmachine, cert_match: x }",
        Dialect::V2_15,
    );
    assert!(!codes(&n).contains(&"cert-store-unknown"));
    let n = model("tls { cert_store: Foo, cert_match: x }", Dialect::V2_15);
    let f = n
        .findings
        .iter()
        .find(|f| f.code == "cert-store-unknown")
        .unwrap();
    assert!(f.message.starts_with("cert store type not implemented"));
    assert_eq!((f.pos.line, f.pos.col), (1, 19));
}

#[test]
fn unknown_cert_match_by_is_refused() {
    let n = model(
        "tls { cert_store: WindowsCurrentUser, cert_match_by: Thumbprint, cert_match: x }",
        Dialect::V2_15,
    );
    assert!(codes(&n).contains(&"cert-match-by-unknown"));
    let n = model(
        "tls { cert_store: WindowsCurrentUser, cert_match_by: issuer, cert_match: x }",
        Dialect::V2_15,
    );
    assert!(!codes(&n).contains(&"cert-match-by-unknown"));
}

#[test]
fn cert_store_is_an_unknown_field_for_2_9() {
    let n = model(
        "tls { cert_store: WindowsCurrentUser, cert_match: x }",
        Dialect::V2_9,
    );
    let too_new: Vec<_> = n
        .findings
        .iter()
        .filter(|f| f.code == "tls-option-too-new")
        .collect();
    assert_eq!(too_new.len(), 2);
    assert!(too_new.iter().all(|f| f.severity == Severity::Error));
}

#[test]
fn cipher_suite_names_follow_each_release() {
    let text = "tls { cert_file: c, key_file: k, cipher_suites: [ TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256, TLS_RSA_WITH_AES_128_CBC_SHA, tls_aes_128_gcm_sha256 ] }";
    let n15 = model(text, Dialect::V2_15);
    let unknown: Vec<&str> = n15
        .findings
        .iter()
        .filter(|f| f.code == "cipher-unknown")
        .map(|f| f.message.as_str())
        .collect();
    assert_eq!(unknown.len(), 2, "{unknown:?}");
    assert!(unknown[0].contains("insecure"));
    let n9 = model(text, Dialect::V2_9);
    let unknown9: Vec<_> = n9
        .findings
        .iter()
        .filter(|f| f.code == "cipher-unknown")
        .collect();
    // 2.9 spells ChaCha without _SHA256 but takes the RSA suite.
    assert_eq!(unknown9.len(), 2);
    let allowed = model(
        "tls { cert_file: c, key_file: k, allow_insecure_cipher_suites: true, cipher_suites: [ TLS_RSA_WITH_AES_128_CBC_SHA ] }",
        Dialect::V2_15,
    );
    assert_eq!(codes(&allowed), ["tls-option-too-new", "cipher-insecure"]);
    assert!(
        codes(&model("tls { cipher_suites: [] }", Dialect::V2_15)).contains(&"cipher-suites-empty")
    );
}

#[test]
fn curve_names_follow_each_release() {
    let text =
        "tls { cert_file: c, key_file: k, curve_preferences: [ X25519MLKEM768, CurveP256, P999 ] }";
    assert_eq!(codes(&model(text, Dialect::V2_15)), ["curve-unknown"]);
    assert_eq!(
        codes(&model(text, Dialect::V2_9)),
        ["curve-unknown", "curve-unknown"]
    );
}

#[test]
fn insecure_is_a_warning_and_pins_must_be_sha256_hex() {
    let n = model(
        "tls { cert_file: c, key_file: k, insecure: true, pinned_certs: [ abc ] }",
        Dialect::V2_15,
    );
    assert_eq!(codes(&n), ["pin-not-sha256", "insecure"]);
    assert_eq!(n.findings[1].severity, Severity::Warning);
}

#[test]
fn known_urls_only_in_cluster_and_gateway() {
    let bad = model(
        "leafnodes { port: 7422, tls { cert_file: c, key_file: k, verify_cert_and_check_known_urls: true } }",
        Dialect::V2_15,
    );
    assert_eq!(codes(&bad), ["known-urls-here"]);
    let good = model(
        "cluster { port: 6222, tls { cert_file: c, key_file: k, verify_cert_and_check_known_urls: true } }",
        Dialect::V2_15,
    );
    assert!(good.findings.is_empty());
}

#[test]
fn handshake_first_values_versions_and_places() {
    let n = model(
        "tls { cert_file: c, key_file: k, handshake_first: maybe }",
        Dialect::V2_15,
    );
    assert!(codes(&n).contains(&"handshake-first-invalid"));
    let n = model(
        "tls { cert_file: c, key_file: k, first: \"300ms\" }",
        Dialect::V2_15,
    );
    assert_eq!(
        n.tls
            .as_ref()
            .unwrap()
            .handshake_first
            .as_ref()
            .unwrap()
            .value,
        HandshakeFirst::Fallback("300ms".into())
    );
    let n = model(
        "cluster { port: 6222, tls { cert_file: c, key_file: k, handshake_first: true } }",
        Dialect::V2_15,
    );
    let f = n
        .findings
        .iter()
        .find(|f| f.code == "handshake-first")
        .unwrap();
    assert_eq!(f.severity, Severity::Warning);
    let n = model(
        "tls { cert_file: c, key_file: k, handshake_first: true }",
        Dialect::V2_9,
    );
    assert!(
        n.findings
            .iter()
            .any(|f| f.code == "tls-option-too-new" && f.severity == Severity::Error)
    );
}

#[test]
fn a_key_without_its_certificate_and_unknown_tls_fields_are_refused() {
    assert_eq!(
        codes(&model("tls { cert_file: c }", Dialect::V2_15)),
        ["key-file-missing"]
    );
    assert_eq!(
        codes(&model("tls { key_file: k }", Dialect::V2_15)),
        ["cert-file-missing"]
    );
    assert_eq!(
        codes(&model("tls { ca_file: c }", Dialect::V2_15)),
        Vec::<&str>::new()
    );
    assert_eq!(
        codes(&model(
            "tls { cert_file: c, key_file: k, bogus: 1 }",
            Dialect::V2_15
        )),
        ["tls-unknown-field"]
    );
}

#[test]
fn wrong_types_and_bad_timeouts_are_findings_not_panics() {
    let n = model(
        "tls { cert_file: 5, key_file: k, verify: \"yes\", timeout: \"soon\" }\ncluster: 7",
        Dialect::V2_15,
    );
    let c = codes(&n);
    assert!(
        c.contains(&"wrong-type") && c.contains(&"tls-timeout-invalid"),
        "{c:?}"
    );
    assert!(n.cluster.is_none());
}

#[test]
fn a_leaf_remote_without_its_own_tls_does_not_inherit_leafnodes_tls() {
    let n = model(
        "leafnodes {\n  port: 7422\n  tls { cert_file: c, key_file: k, ca_file: ca }\n  remotes: [ { url: \"tls://hub:7422\" } ]\n}",
        Dialect::V2_15,
    );
    let f = n
        .findings
        .iter()
        .find(|f| f.code == "leaf-remote-without-tls")
        .unwrap();
    assert_eq!(f.block, "leafnodes.remotes[0]");
    assert_eq!(f.pos.line, 4);
}

#[test]
fn go_durations() {
    assert_eq!(go_duration("2s"), Some(2.0));
    assert_eq!(go_duration("1m30s"), Some(90.0));
    assert_eq!(go_duration("1.5h"), Some(5400.0));
    assert_eq!(go_duration("300ms"), Some(0.3));
    assert_eq!(go_duration("0"), Some(0.0));
    assert_eq!(go_duration("2"), None);
    assert_eq!(go_duration("s"), None);
    assert_eq!(go_duration(""), None);
}
