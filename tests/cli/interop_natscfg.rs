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
