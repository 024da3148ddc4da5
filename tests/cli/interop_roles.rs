//! Roles against real nats-servers, 2.9.10 (Go 1.19) and 2.15.1 (current
//! Go): for each case tlsctl's library predicts the outcome before the
//! servers start (`lint::route`, `lint::leafnode` over the Go-semantics
//! verifier), then the servers say. Cases: a route where one node's
//! certificate has serverAuth only (forms: the other node's dials work), two
//! nodes that both lack clientAuth (no route), CA:TRUE self-signed leaves
//! (what openssl req -x509 makes; Go accepts them), and a leafnode hub
//! without serverAuth (the remote refuses it) beside a good hub.
//! Run with TLSCTL_INTEROP=1 (as .ci/run does).

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::time::{Duration, Instant};

use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose as Eku, IsCa, KeyPair,
};
use rustls_pki_types::CertificateDer;
use serde_json::Value;
use time::OffsetDateTime;

use tlsctl::pki::lint::{self, Node, RouteForms};
use tlsctl::pki::reader::encode_pem;
use tlsctl::pki::verify::{Anchors, GoRelease};

use crate::go_roles::{ca, leaf_keyed};
use crate::interop::enabled;
use crate::natsrv::{NatsBinary, NatsServer, free_port, nats_binaries};

const NAMES: &[&str] = &["localhost", "127.0.0.1"];

struct Material {
    name: &'static str,
    cert: CertificateDer<'static>,
    key: String,
}

fn write(dir: &Path, m: &Material, ca_pem: &str) {
    std::fs::write(
        dir.join(format!("{}.pem", m.name)),
        encode_pem("CERTIFICATE", &m.cert),
    )
    .unwrap();
    std::fs::write(dir.join(format!("{}.key", m.name)), &m.key).unwrap();
    std::fs::write(dir.join(format!("{}-ca.pem", m.name)), ca_pem).unwrap();
}

fn monitor(port: u16, path: &str) -> Option<Value> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(2))).ok()?;
    s.write_all(format!("GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").as_bytes())
        .ok()?;
    let mut body = String::new();
    s.read_to_string(&mut body).ok()?;
    serde_json::from_str(body.split("\r\n\r\n").nth(1)?).ok()
}

/// Waits up to 10 s for `up` (or 4 s when it is not expected).
fn settles(expect: bool, up: impl Fn() -> bool) -> bool {
    let deadline = Instant::now() + Duration::from_secs(if expect { 10 } else { 4 });
    loop {
        if up() {
            return true;
        }
        if Instant::now() >= deadline {
            return false;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn release_of(bin: &NatsBinary) -> GoRelease {
    if bin.version.starts_with("2.9") {
        GoRelease::Go1_19
    } else {
        GoRelease::Current
    }
}

/// Two nodes listing each other; whether their route comes up.
fn route_up(
    bin: &NatsBinary,
    dir: &Path,
    a: &Material,
    b: &Material,
    expect: bool,
) -> (bool, String) {
    let ports: Vec<u16> = (0..6).map(|_| free_port()).collect();
    let node = |m: &Material, client: u16, mon: u16, route: u16, peer: u16| {
        let config = format!(
            "server_name: {n}\nlisten: 127.0.0.1:{client}\nhttp: 127.0.0.1:{mon}\n\
             cluster {{\n  name: c1\n  listen: 127.0.0.1:{route}\n  \
             routes: [\"nats-route://127.0.0.1:{peer}\"]\n  \
             tls {{\n    cert_file: \"{n}.pem\"\n    key_file: \"{n}.key\"\n    \
             ca_file: \"{n}-ca.pem\"\n    timeout: 2\n  }}\n}}\n",
            n = m.name
        );
        NatsServer::start_with(
            bin,
            dir,
            &format!("{}-{}", m.name, bin.version),
            &config,
            client,
        )
    };
    let sa = node(a, ports[0], ports[1], ports[2], ports[3]);
    let sb = node(b, ports[4], ports[5], ports[3], ports[2]);
    let routes = |p| monitor(p, "/routez").and_then(|v| v["num_routes"].as_u64());
    let up = settles(expect, || {
        routes(ports[1]).is_some_and(|n| n >= 1) && routes(ports[5]).is_some_and(|n| n >= 1)
    });
    (
        up,
        format!(
            "{}:\n{}\n{}:\n{}",
            a.name,
            sa.log_text(),
            b.name,
            sb.log_text()
        ),
    )
}

/// A remote dialing a hub (the hub does not verify clients); whether the
/// leafnode connection comes up.
fn leaf_up(
    bin: &NatsBinary,
    dir: &Path,
    hub: &Material,
    remote: &Material,
    expect: bool,
) -> (bool, String) {
    let (hc, hm, hl, rc) = (free_port(), free_port(), free_port(), free_port());
    let hub_conf = format!(
        "server_name: {h}\nlisten: 127.0.0.1:{hc}\nhttp: 127.0.0.1:{hm}\n\
         leafnodes {{\n  listen: 127.0.0.1:{hl}\n  tls {{\n    cert_file: \"{h}.pem\"\n    \
         key_file: \"{h}.key\"\n    timeout: 2\n  }}\n}}\n",
        h = hub.name
    );
    let remote_conf = format!(
        "server_name: {r}\nlisten: 127.0.0.1:{rc}\n\
         leafnodes {{\n  remotes: [ {{\n    url: \"tls://127.0.0.1:{hl}\"\n    tls {{\n      \
         cert_file: \"{r}.pem\"\n      key_file: \"{r}.key\"\n      ca_file: \"{r}-ca.pem\"\n      \
         timeout: 2\n    }}\n  }} ]\n}}\n",
        r = remote.name
    );
    let sh = NatsServer::start_with(
        bin,
        dir,
        &format!("{}-{}", hub.name, bin.version),
        &hub_conf,
        hc,
    );
    let sr = NatsServer::start_with(
        bin,
        dir,
        &format!("{}-{}", remote.name, bin.version),
        &remote_conf,
        rc,
    );
    let up = settles(expect, || {
        monitor(hm, "/leafz")
            .and_then(|v| v["leafnodes"].as_u64())
            .is_some_and(|n| n >= 1)
    });
    (
        up,
        format!("hub:\n{}\nremote:\n{}", sh.log_text(), sr.log_text()),
    )
}

fn self_signed_ca_leaf(name: &'static str) -> Material {
    let key = KeyPair::generate().unwrap();
    let mut params =
        CertificateParams::new(NAMES.iter().map(|s| s.to_string()).collect::<Vec<_>>()).unwrap();
    params.distinguished_name.push(DnType::CommonName, name);
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let real = OffsetDateTime::now_utc();
    params.not_before = real - time::Duration::days(1);
    params.not_after = real + time::Duration::days(30);
    Material {
        name,
        cert: params.self_signed(&key).unwrap().der().clone(),
        key: key.serialize_pem(),
    }
}

#[test]
fn interop_roles_routes_and_leafnodes_behave_as_tlsctl_predicts_on_both_releases() {
    if !enabled() {
        return;
    }
    let root = ca("Roles Root", None, None);
    let root_pem = encode_pem("CERTIFICATE", &root.der);
    let mk = |name: &'static str, ekus: Vec<Eku>| {
        let (cert, key) = leaf_keyed(NAMES, ekus, &root);
        Material { name, cert, key }
    };
    let server_only = mk("srvonly", vec![Eku::ServerAuth]);
    let client_only = mk("clionly", vec![Eku::ClientAuth]);
    let server_only2 = mk("srvonly2", vec![Eku::ServerAuth]);
    let dual = mk("dual", vec![Eku::ServerAuth, Eku::ClientAuth]);
    let dual2 = mk("dual2", vec![Eku::ServerAuth, Eku::ClientAuth]);
    let ca_leaf_a = self_signed_ca_leaf("caleafa");
    let ca_leaf_b = self_signed_ca_leaf("caleafb");
    let both_ca_leaves = format!(
        "{}{}",
        encode_pem("CERTIFICATE", &ca_leaf_a.cert),
        encode_pem("CERTIFICATE", &ca_leaf_b.cert)
    );

    let mut checked = Vec::new();
    for bin in nats_binaries() {
        let release = release_of(&bin);
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        for m in [&server_only, &client_only, &server_only2, &dual, &dual2] {
            write(dir, m, &root_pem);
        }
        for m in [&ca_leaf_a, &ca_leaf_b] {
            write(dir, m, &both_ca_leaves);
        }
        let now = OffsetDateTime::now_utc();
        let root_anchors = Anchors::new(vec![root.der.clone()], now);
        let leaf_anchors = Anchors::new(vec![ca_leaf_a.cert.clone(), ca_leaf_b.cert.clone()], now);
        let route_cases: [(&Material, &Material, &Anchors, &str); 4] = [
            (&dual, &dual2, &root_anchors, "both dual"),
            (
                &server_only,
                &dual,
                &root_anchors,
                "one node serverAuth only",
            ),
            (
                &server_only,
                &server_only2,
                &root_anchors,
                "both serverAuth only",
            ),
            (
                &ca_leaf_a,
                &ca_leaf_b,
                &leaf_anchors,
                "CA:TRUE self-signed leaves",
            ),
        ];
        for (a, b, anchors, label) in route_cases {
            let na = Node {
                name: a.name,
                leaf: &a.cert,
                chain: &[],
                anchors,
                host: Some("127.0.0.1"),
            };
            let nb = Node {
                name: b.name,
                leaf: &b.cert,
                chain: &[],
                anchors,
                host: Some("127.0.0.1"),
            };
            let predicted = lint::route(&na, &nb, now, release);
            let expect = !matches!(predicted, RouteForms::Never { .. });
            let (up, logs) = route_up(&bin, dir, a, b, expect);
            assert_eq!(
                up,
                expect,
                "nats-server {}: route, {label}: tlsctl predicted \"{predicted}\", the route is {}\n{logs}",
                bin.version,
                if up { "up" } else { "down" }
            );
            checked.push(format!("{} route {label}: {predicted}", bin.version));
        }

        let leaf_cases: [(&Material, &Material, &str); 2] = [
            (&server_only, &dual, "hub with serverAuth"),
            (&client_only, &dual, "hub without serverAuth"),
        ];
        for (hub, remote, label) in leaf_cases {
            let nh = Node {
                name: hub.name,
                leaf: &hub.cert,
                chain: &[],
                anchors: &root_anchors,
                host: Some("127.0.0.1"),
            };
            let nr = Node {
                name: remote.name,
                leaf: &remote.cert,
                chain: &[],
                anchors: &root_anchors,
                host: Some("127.0.0.1"),
            };
            let predicted = lint::leafnode(&nr, &nh, false, now, release);
            let (up, logs) = leaf_up(&bin, dir, hub, remote, predicted.is_ok());
            assert_eq!(
                up,
                predicted.is_ok(),
                "nats-server {}: leafnode, {label}: tlsctl predicted {:?}, the leafnode is {}\n{logs}",
                bin.version,
                predicted.as_ref().map_err(|e| e.to_string()),
                if up { "up" } else { "down" }
            );
            checked.push(format!(
                "{} leafnode {label}: {}",
                bin.version,
                predicted.map_or_else(|e| e.to_string(), |()| "connects".to_owned())
            ));
        }
    }
    for c in &checked {
        eprintln!("agreed: {c}");
    }
    assert_eq!(checked.len(), 12);
}

/// openssl's usual self-signed certificate (`openssl req -x509`: CA:TRUE)
/// is what verify accepts (as Go does), so lint names no error for it in
/// any NATS role, and never says peers reject it.
#[test]
fn interop_roles_openssl_self_signed_certificate_verifies_and_lints_clean() {
    if !enabled() {
        return;
    }
    let sb = crate::support::Sandbox::new();
    crate::interop::run_tool(
        "openssl",
        &[
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-nodes",
            "-keyout",
            "k.pem",
            "-out",
            "c.pem",
            "-subj",
            "/CN=node.example",
            "-addext",
            "subjectAltName=DNS:node.example,IP:127.0.0.1",
            "-days",
            "3650",
        ],
        sb.dir.path(),
    );
    sb.cmd_realtime()
        .args([
            "verify",
            "c.pem",
            "--bundle",
            "c.pem",
            "--host",
            "node.example",
        ])
        .assert()
        .success();
    for role in ["nats-route", "nats-client", "nats-gateway", "server"] {
        let out = sb
            .cmd_realtime()
            .args([
                "--json",
                "lint",
                "c.pem",
                "--role",
                role,
                "--host",
                "node.example",
            ])
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(0), "{role}: {text}");
        assert!(!text.contains("peers reject"), "{role}: {text}");
    }
}
