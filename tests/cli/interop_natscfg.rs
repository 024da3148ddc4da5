//! The identities and blocks tlsctl predicts, proved on real nats-server
//! 2.9.10 and 2.15.1: a client certificate named by its subject alone is
//! mapped (`verify_and_map`) to the user named by the DN string tlsctl
//! predicts (Go's RFC 2253 form, emailAddress dropped, domain components
//! appended) and refused under tlsctl's display order. Run with
//! TLSCTL_INTEROP=1 (as .ci/run does).

use std::path::Path;

use time::OffsetDateTime;
use tlsctl::pki::{CertInfo, natscheck, reader};

use crate::interop::{enabled, run_tool};
use crate::natsrv::{NatsServer, free_port, nats_binaries, python_client};
use crate::support::Sandbox;

fn cert_info(path: &Path) -> CertInfo {
    let bytes = std::fs::read(path).unwrap();
    let items = reader::read_strict(&bytes).unwrap();
    let der = items
        .into_iter()
        .find_map(|(_, i)| match i {
            reader::Item::Certificate(c) => Some(c),
            _ => None,
        })
        .unwrap();
    CertInfo::parse(&der, OffsetDateTime::now_utc()).unwrap()
}

/// A client certificate without SANs, signed by the store's CA `acme` with
/// openssl, with a subject Go reorders and trims.
fn dn_only_client(sb: &Sandbox, name: &str, subject: &str) -> CertInfo {
    let dir = sb.path("");
    let ca_key = sb.store().join("cas/acme/ca.key");
    run_tool(
        "openssl",
        &[
            "req",
            "-new",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-nodes",
            "-keyout",
            &format!("{name}.key"),
            "-out",
            &format!("{name}.csr"),
            "-subj",
            subject,
        ],
        &dir,
    );
    sb.write(
        &format!("{name}.ext"),
        "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n",
    );
    run_tool(
        "openssl",
        &[
            "x509",
            "-req",
            "-in",
            &format!("{name}.csr"),
            "-CA",
            "acme.pem",
            "-CAkey",
            ca_key.to_str().unwrap(),
            "-CAcreateserial",
            "-days",
            "30",
            "-extfile",
            &format!("{name}.ext"),
            "-out",
            &format!("{name}.pem"),
        ],
        &dir,
    );
    cert_info(&sb.path(&format!("{name}.pem")))
}

#[test]
fn a_subject_only_client_is_mapped_to_the_dn_string_tlsctl_predicts() {
    if !enabled() {
        return;
    }
    let sb = Sandbox::new();
    sb.cmd_realtime()
        .args(["ca", "create", "acme", "--cn", "Acme Root"])
        .assert()
        .success();
    let ca = sb
        .cmd_realtime()
        .args(["ca", "export", "acme"])
        .output()
        .unwrap();
    sb.write("acme.pem", ca.stdout);
    sb.cmd_realtime()
        .args([
            "cert",
            "issue",
            "localhost",
            "127.0.0.1",
            "--ca",
            "acme",
            "--out",
            "server",
        ])
        .assert()
        .success();
    let alice = dn_only_client(
        &sb,
        "alice",
        "/DC=org/DC=example/C=US/ST=CA/O=Acme/OU=ops/OU=dev/CN=alice, jr/emailAddress=alice@example.org",
    );
    let names = natscheck::map_candidates(&alice);
    assert_eq!(
        names,
        [
            "CN=alice\\, jr,OU=ops+OU=dev,O=Acme,ST=CA,C=US,DC=org,DC=example",
            "CN=alice\\, jr,OU=ops+OU=dev,O=Acme,ST=CA,C=US",
        ],
        "Go's RFC 2253 string: fixed type order, last RDN first, emailAddress dropped, DCs appended"
    );
    // tlsctl's display order, reversed, is what a naive reading predicts.
    let naive = {
        let mut rdns: Vec<&str> = alice.subject.split(", ").collect();
        rdns.reverse();
        rdns.join(",")
    };
    assert!(!names.contains(&naive), "{naive}");
    let d = sb.path("");
    for bin in nats_binaries() {
        for (user, admitted) in [(&names[0], true), (&names[1], true), (&naive, false)] {
            let port = free_port();
            let config = format!(
                "listen: 127.0.0.1:{port}\ntls {{\n  cert_file: \"{d}/server/cert.pem\"\n  key_file: \"{d}/server/key.pem\"\n  ca_file: \"{d}/acme.pem\"\n  verify_and_map: true\n  timeout: 3\n}}\nauthorization {{\n  users = [ {{user: '{user}'}} ]\n}}\n",
                d = d.display()
            );
            let server = NatsServer::start_with(&bin, &d, "map", &config, port);
            let (ok, _, err) = python_client(
                &d,
                &[
                    &server.addr(),
                    "--ca",
                    "acme.pem",
                    "--cert",
                    "alice.pem",
                    "--key",
                    "alice.key",
                ],
            );
            assert_eq!(
                ok,
                admitted,
                "{} with user {user:?}: {err}\n{}",
                bin.version,
                server.log_text()
            );
        }
    }
}

fn monitor(port: u16, path: &str) -> Option<serde_json::Value> {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(std::time::Duration::from_secs(2)))
        .ok()?;
    s.write_all(format!("GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").as_bytes())
        .ok()?;
    let mut body = String::new();
    s.read_to_string(&mut body).ok()?;
    serde_json::from_str(body.split("\r\n\r\n").nth(1)?).ok()
}

/// Polls a monitoring page until `ok` holds (bounded: 10 s).
fn settles(port: u16, path: &str, ok: impl Fn(&serde_json::Value) -> bool) -> bool {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while std::time::Instant::now() < deadline {
        if monitor(port, path).is_some_and(|v| ok(&v)) {
            return true;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    false
}

fn nats_config(sb: &Sandbox, args: &[&str]) -> String {
    let out = sb
        .cmd_realtime()
        .args(["nats", "config"])
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn issue(sb: &Sandbox, args: &[&str]) {
    sb.cmd_realtime()
        .args(["cert", "issue", "--ca", "acme"])
        .args(args)
        .assert()
        .success();
}

fn root(sb: &Sandbox) {
    sb.cmd_realtime()
        .args(["ca", "create", "acme", "--cn", "Acme Root"])
        .assert()
        .success();
    let ca = sb.cmd().args(["ca", "export", "acme"]).output().unwrap();
    sb.write("acme.pem", ca.stdout);
}

#[test]
fn a_generated_leaf_remote_joins_a_generated_hub_with_mutual_tls() {
    if !enabled() {
        return;
    }
    let sb = Sandbox::new();
    root(&sb);
    issue(&sb, &["localhost", "127.0.0.1", "--out", "hub"]);
    issue(&sb, &["leaf.nats.internal", "--out", "leaf"]);
    for bin in nats_binaries() {
        let (hub_c, hub_h, hub_l, leaf_c) = (free_port(), free_port(), free_port(), free_port());
        let mut hub_args = vec![
            "--cert",
            "hub/cert.pem",
            "--key",
            "hub/key.pem",
            "--ca",
            "acme.pem",
            "--block",
            "leafnodes",
            "--verify",
        ];
        let mut leaf_args = vec![
            "--cert",
            "leaf/cert.pem",
            "--key",
            "leaf/key.pem",
            "--ca",
            "acme.pem",
            "--block",
            "leafnodes",
        ];
        let url = format!("tls://127.0.0.1:{hub_l}");
        leaf_args.extend(["--remote", &url]);
        let version = ["--server-version", bin.version];
        if bin.version != "2.9.10" {
            // handshake_first on both sides of a leafnode (2.10.0 and later).
            hub_args.push("--handshake-first");
            leaf_args.push("--handshake-first");
        }
        hub_args.extend(version);
        leaf_args.extend(version);
        let hub_block = nats_config(&sb, &hub_args);
        let leaf_block = nats_config(&sb, &leaf_args);
        assert!(
            leaf_block.contains("remotes: [") && leaf_block.contains(&format!("url: \"{url}\"")),
            "{leaf_block}"
        );
        let hub = format!(
            "server_name: hub\nlisten: 127.0.0.1:{hub_c}\nhttp: 127.0.0.1:{hub_h}\n{}",
            hub_block.replacen(
                "leafnodes {\n",
                &format!("leafnodes {{\n  listen: 127.0.0.1:{hub_l}\n"),
                1
            )
        );
        let leaf = format!("server_name: leaf\nlisten: 127.0.0.1:{leaf_c}\n{leaf_block}");
        let d = sb.path("");
        let h = NatsServer::start_with(&bin, &d, "hub", &hub, hub_c);
        let l = NatsServer::start_with(&bin, &d, "leaf", &leaf, leaf_c);
        assert!(
            settles(hub_h, "/leafz", |v| v["leafnodes"].as_u64() == Some(1)),
            "{}: the leaf did not connect\n{leaf}\n{}\n{}",
            bin.version,
            l.log_text(),
            h.log_text()
        );
    }
}

#[test]
fn a_cluster_with_verify_and_map_and_the_printed_user_forms_its_route() {
    if !enabled() {
        return;
    }
    let sb = Sandbox::new();
    root(&sb);
    // Both route certificates carry the email SAN nats-server maps first.
    issue(&sb, &["127.0.0.1", "routes@acme.test", "--out", "n1"]);
    issue(&sb, &["127.0.0.1", "routes@acme.test", "--out", "n2"]);
    for bin in nats_binaries() {
        let ports: Vec<(u16, u16, u16)> = (0..2)
            .map(|_| (free_port(), free_port(), free_port()))
            .collect();
        let mut servers = Vec::new();
        for (i, name) in ["n1", "n2"].iter().enumerate() {
            let block = nats_config(
                &sb,
                &[
                    "--cert",
                    &format!("{name}/cert.pem"),
                    "--key",
                    &format!("{name}/key.pem"),
                    "--ca",
                    "acme.pem",
                    "--block",
                    "cluster",
                    "--verify-and-map",
                    "--server-version",
                    bin.version,
                ],
            );
            assert!(
                block.contains("authorization {\n    user: \"routes@acme.test\"\n  }"),
                "{block}"
            );
            let (c, h, r) = ports[i];
            let peer = ports[1 - i].2;
            let conf = format!(
                "server_name: {name}\nlisten: 127.0.0.1:{c}\nhttp: 127.0.0.1:{h}\n{}",
                block.replacen(
                    "cluster {\n",
                    &format!(
                        "cluster {{\n  name: mapped\n  listen: 127.0.0.1:{r}\n  routes: [\"nats-route://127.0.0.1:{peer}\"]\n"
                    ),
                    1
                )
            );
            servers.push(NatsServer::start_with(&bin, &sb.path(""), name, &conf, c));
        }
        for (i, (_, h, _)) in ports.iter().enumerate() {
            assert!(
                settles(*h, "/routez", |v| v["num_routes"].as_u64() >= Some(1)),
                "{}: no route on n{}\n{}",
                bin.version,
                i + 1,
                servers[i].log_text()
            );
        }
    }
}
