//! `tlsctl nats check`: configurations and certificates made by the tlsctl
//! binary in a sandbox; the findings and the fleet matrix it reports.

use serde_json::Value;

use crate::support::{Sandbox, stdout_of};

/// A node of cluster `c1` listening on `NAME.nats.internal:6222` and
/// routing to every other node named, with its cluster TLS block.
fn route_conf(sb: &Sandbox, node: &str, peers: &[&str], cert_dir: &str, ca: &str, extra: &str) {
    let routes: Vec<String> = peers
        .iter()
        .map(|p| format!("nats-route://{p}.nats.internal:6222"))
        .collect();
    sb.write(
        &format!("{node}.conf"),
        format!(
            "server_name: {node}\nport: 4222\ncluster {{\n  name: c1\n  listen: \"{node}.nats.internal:6222\"\n  routes: [{}]\n  tls {{\n    cert_file: {cert_dir}/cert.pem\n    key_file: {cert_dir}/key.pem\n    ca_file: {ca}\n{extra}  }}\n}}\n",
            routes.join(", ")
        ),
    );
}

fn issue(sb: &Sandbox, name: &str, ca: &str, extra: &[&str]) {
    let dns = format!("{name}.nats.internal");
    let mut args = vec!["cert", "issue", dns.as_str(), "--ca", ca, "--out", name];
    args.extend_from_slice(extra);
    sb.cmd().args(&args).assert().success();
}

fn cluster(sb: &Sandbox, c_usage: &[&str]) {
    sb.pki();
    issue(sb, "node-c", "x3", c_usage);
    let all = ["node-a", "node-b", "node-c"];
    for n in all {
        let peers: Vec<&str> = all.iter().copied().filter(|p| *p != n).collect();
        route_conf(sb, n, &peers, n, "acme.pem", "");
    }
}

fn check_json(sb: &Sandbox, args: &[&str]) -> (Value, i32) {
    let out = sb
        .cmd()
        .args(["nats", "check", "--json"])
        .args(args)
        .output()
        .unwrap();
    let code = out.status.code().unwrap();
    let v: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    (v, code)
}

fn route<'a>(doc: &'a Value, from: &str, to: &str) -> &'a Value {
    doc["connections"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["kind"] == "route" && c["from"] == from && c["to"] == to)
        .unwrap_or_else(|| panic!("no route {from} -> {to} in {doc:#}"))
}

fn codes(doc: &Value) -> Vec<String> {
    doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap().to_owned())
        .collect()
}

const CONFS: [&str; 3] = ["node-a.conf", "node-b.conf", "node-c.conf"];

#[test]
fn three_node_cluster_is_ok() {
    let sb = Sandbox::new();
    cluster(&sb, &[]);
    let mut args = CONFS.to_vec();
    args.push("--check");
    let (doc, code) = check_json(&sb, &args);
    assert_eq!(code, 0, "{doc:#}");
    assert_eq!(doc["nodes"].as_array().unwrap().len(), 3);
    assert_eq!(doc["findings"].as_array().unwrap().len(), 0, "{doc:#}");
    let conns = doc["connections"].as_array().unwrap();
    assert_eq!(conns.len(), 3);
    for c in conns {
        assert_eq!(c["verdict"], "ok", "{c:#}");
        assert_eq!(c["reasons"].as_array().unwrap().len(), 2);
    }
    assert!(doc.get("before").is_none());

    let text = stdout_of(sb.cmd().args(["nats", "check"]).args(CONFS));
    assert!(text.contains("route    node-a -> node-b: ok"), "{text}");
    assert!(text.contains("3 ok, 0 one-way, 0 broken"), "{text}");
}

#[test]
fn a_server_only_certificate_makes_its_routes_one_way() {
    let sb = Sandbox::new();
    cluster(&sb, &["--usage", "server"]);
    let mut args = CONFS.to_vec();
    args.push("--check");
    let (doc, code) = check_json(&sb, &args);
    assert_eq!(code, 1, "{doc:#}");
    assert_eq!(route(&doc, "node-a", "node-b")["verdict"], "ok");
    for from in ["node-a", "node-b"] {
        let r = route(&doc, from, "node-c");
        assert_eq!(r["verdict"], "one-way", "{r:#}");
        let reasons = r["reasons"].to_string();
        assert!(
            reasons.contains(&format!("{from} refuses node-c's certificate as a client")),
            "{reasons}"
        );
        assert!(reasons.contains("clientAuth"), "{reasons}");
    }
    let f = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "cert-does-not-verify")
        .unwrap();
    assert_eq!(f["node"], "node-c");
    assert_eq!(f["block"], "cluster.tls");
    assert_eq!(f["severity"], "error");
    // cert_file is on line 8 of the generated config.
    assert!(
        f["location"]
            .as_str()
            .unwrap()
            .starts_with("node-c.conf:8:"),
        "{f:#}"
    );
    // Without --check the same report exits 0.
    sb.cmd()
        .args(["nats", "check"])
        .args(CONFS)
        .assert()
        .success();
}

#[test]
fn an_r3_only_bundle_breaks_the_x3_routes_after_the_replacement() {
    let sb = Sandbox::new();
    cluster(&sb, &[]);
    let mut args = CONFS.to_vec();
    args.extend(["--replace", "acme.pem=r3.pem", "--check"]);
    let (doc, code) = check_json(&sb, &args);
    assert_eq!(code, 1, "{doc:#}");
    for c in doc["before"]["connections"].as_array().unwrap() {
        assert_eq!(c["verdict"], "ok", "{c:#}");
    }
    let after = &doc["after"];
    // node-a and node-c are X3's: an R3-only ca_file trusts neither.
    assert_eq!(route(after, "node-a", "node-b")["verdict"], "broken");
    assert_eq!(route(after, "node-a", "node-c")["verdict"], "broken");
    assert_eq!(route(after, "node-b", "node-c")["verdict"], "broken");
    assert!(
        route(after, "node-a", "node-b")["reasons"]
            .to_string()
            .contains("unknown issuer"),
        "{after:#}"
    );
    // The top level is the judged (after) fleet.
    assert_eq!(doc["connections"], after["connections"]);

    // Without --check: exit 0, and the review names what changes.
    let mut cmd = sb.cmd();
    cmd.args(["nats", "check"])
        .args(CONFS)
        .args(["--replace", "acme.pem=r3.pem"]);
    let text = stdout_of(&mut cmd);
    assert!(text.contains("What changes"), "{text}");
    assert!(
        text.contains("route node-a -> node-b: ok becomes broken"),
        "{text}"
    );

    // A bundle with the root and both intermediates keeps every route.
    let both = format!(
        "{}{}",
        std::fs::read_to_string(sb.path("r3.pem")).unwrap(),
        std::fs::read_to_string(sb.path("acme.pem")).unwrap()
    );
    sb.write("both.pem", both);
    let mut args = CONFS.to_vec();
    args.extend(["--replace", "acme.pem=both.pem", "--check"]);
    let (_, code) = check_json(&sb, &args);
    assert_eq!(code, 0);
}

fn leaf_confs(sb: &Sandbox, remote_tls: bool) {
    sb.pki();
    sb.write(
        "hub.conf",
        "server_name: hub\nleafnodes {\n  listen: \"node-a.nats.internal:7422\"\n  tls {\n    cert_file: node-a/cert.pem\n    key_file: node-a/key.pem\n    ca_file: acme.pem\n    verify: true\n  }\n}\n",
    );
    let tls = "tls {\n    cert_file: node-b/cert.pem\n    key_file: node-b/key.pem\n    ca_file: acme.pem\n  }";
    let leaf = if remote_tls {
        format!(
            "server_name: leaf\nleafnodes {{\n  remotes: [ {{ url: \"tls://node-a.nats.internal:7422\"\n  {tls} }} ]\n}}\n"
        )
    } else {
        // The mistake: the tls block beside the remotes, not inside one.
        format!(
            "server_name: leaf\nleafnodes {{\n  remotes: [ {{ url: \"tls://node-a.nats.internal:7422\" }} ]\n  {tls}\n}}\n"
        )
    };
    sb.write("leaf.conf", leaf);
}

#[test]
fn a_leaf_remote_without_its_own_tls_block_is_broken() {
    let sb = Sandbox::new();
    leaf_confs(&sb, false);
    let (doc, code) = check_json(&sb, &["leaf.conf", "hub.conf", "--check"]);
    assert_eq!(code, 1, "{doc:#}");
    assert!(
        codes(&doc).contains(&"leaf-remote-without-tls".to_string()),
        "{doc:#}"
    );
    let conns = doc["connections"].as_array().unwrap();
    assert_eq!(conns.len(), 1);
    assert_eq!(conns[0]["kind"], "leafnode");
    assert_eq!(conns[0]["from"], "leaf");
    assert_eq!(conns[0]["to"], "hub");
    assert_eq!(conns[0]["verdict"], "broken");
    assert!(
        conns[0]["reasons"]
            .to_string()
            .contains("no tls block of its own"),
        "{doc:#}"
    );

    let sb = Sandbox::new();
    leaf_confs(&sb, true);
    let (doc, code) = check_json(&sb, &["leaf.conf", "hub.conf", "--check"]);
    assert_eq!(code, 0, "{doc:#}");
    assert_eq!(doc["connections"][0]["verdict"], "ok");
}

#[test]
fn a_ca_pin_is_a_finding_and_pins_refuse_unpinned_peers() {
    let sb = Sandbox::new();
    cluster(&sb, &[]);
    let x3_pin = stdout_of(sb.cmd().args(["pin", "--bare", "x3.pem"]));
    let x3_pin = x3_pin.trim();
    let a_pin = stdout_of(
        sb.cmd()
            .args(["pin", "--bare", "--leaf-only", "node-a/cert.pem"]),
    );
    let a_pin = a_pin.trim();
    let pins = format!("    pinned_certs: [\"{x3_pin}\", \"{a_pin}\"]\n");
    route_conf(
        &sb,
        "node-a",
        &["node-b", "node-c"],
        "node-a",
        "acme.pem",
        &pins,
    );
    let (doc, _) = check_json(&sb, &CONFS);
    let f = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "pin-is-ca")
        .unwrap_or_else(|| panic!("{doc:#}"));
    assert_eq!(f["node"], "node-a");
    assert!(f["message"].as_str().unwrap().contains("Acme X3"), "{f:#}");
    // pinned_certs is on line 11.
    assert!(
        f["location"]
            .as_str()
            .unwrap()
            .starts_with("node-a.conf:11:"),
        "{f:#}"
    );
    // Node-a pins only itself (and X3): it refuses node-b and node-c both
    // ways, so those routes are broken; b-c is untouched.
    assert_eq!(route(&doc, "node-a", "node-b")["verdict"], "broken");
    assert!(
        route(&doc, "node-a", "node-b")["reasons"]
            .to_string()
            .contains("not pinned")
    );
    assert_eq!(route(&doc, "node-b", "node-c")["verdict"], "ok");
}

#[test]
fn unreadable_files_and_a_foreign_key_are_findings() {
    let sb = Sandbox::new();
    cluster(&sb, &[]);
    sb.write(
        "node-a.conf",
        "cluster {\n  name: c1\n  listen: \"node-a.nats.internal:6222\"\n  tls {\n    cert_file: node-a/cert.pem\n    key_file: node-b/key.pem\n    ca_file: missing.pem\n  }\n}\n",
    );
    sb.write("junk.pem", "not a bundle\n");
    route_conf(&sb, "node-b", &["node-a"], "node-b", "junk.pem", "");
    let (doc, _) = check_json(&sb, &["node-a.conf", "node-b.conf"]);
    let c = codes(&doc);
    for want in ["key-mismatch", "ca-file-unreadable", "ca-file-refused"] {
        assert!(c.contains(&want.to_string()), "{want}: {doc:#}");
    }
    let mismatch = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "key-mismatch")
        .unwrap();
    assert!(
        mismatch["location"]
            .as_str()
            .unwrap()
            .starts_with("node-a.conf:6:")
    );
    // The node is named after its file without server_name.
    assert_eq!(doc["nodes"][0]["name"], "node-a");
}

#[test]
fn an_unreadable_config_exits_2_naming_the_place() {
    let sb = Sandbox::new();
    sb.write("bad.conf", "cluster {\n  tls { cert_file: \"a }\n");
    let out = sb
        .cmd()
        .args(["nats", "check", "bad.conf"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bad.conf:3:1:"), "{err}");
    let out = sb
        .cmd()
        .args(["nats", "check", "nope.conf"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn verify_and_map_in_the_cluster_needs_the_cluster_user() {
    let sb = Sandbox::new();
    cluster(&sb, &[]);
    let map = "    verify_and_map: true\n";
    route_conf(&sb, "node-a", &["node-b"], "node-a", "acme.pem", map);
    route_conf(&sb, "node-b", &["node-a"], "node-b", "acme.pem", "");
    let (doc, _) = check_json(&sb, &["node-a.conf", "node-b.conf"]);
    assert!(
        codes(&doc).contains(&"map-cluster-user-missing".to_string()),
        "{doc:#}"
    );
    // Only the accepting side authorizes a route: node-a refuses node-b's
    // dial, node-b accepts node-a's.
    let r = route(&doc, "node-a", "node-b");
    assert_eq!(r["verdict"], "one-way", "{r:#}");
    let reasons = r["reasons"].to_string();
    assert!(reasons.contains("node-a dials node-b (nats-route://node-b.nats.internal:6222): ok"));
    assert!(
        reasons.contains("cluster.authorization.user is not set"),
        "{reasons}"
    );
    // Both mapping without the user: no route at all.
    route_conf(&sb, "node-b", &["node-a"], "node-b", "acme.pem", map);
    let (doc, _) = check_json(&sb, &["node-a.conf", "node-b.conf"]);
    assert_eq!(route(&doc, "node-a", "node-b")["verdict"], "broken");
    // With the user each side's peer certificate maps to (its DNS SAN): ok.
    for (me, peer) in [("node-a", "node-b"), ("node-b", "node-a")] {
        sb.write(
            &format!("{me}.conf"),
            format!(
                "cluster {{\n  name: c1\n  listen: \"{me}.nats.internal:6222\"\n  routes: [nats-route://{peer}.nats.internal:6222]\n  authorization {{ user: \"{peer}.nats.internal\" }}\n  tls {{\n    cert_file: {me}/cert.pem\n    key_file: {me}/key.pem\n    ca_file: acme.pem\n{map}  }}\n}}\n"
            ),
        );
    }
    let (doc, _) = check_json(&sb, &["node-a.conf", "node-b.conf"]);
    assert_eq!(route(&doc, "node-a", "node-b")["verdict"], "ok", "{doc:#}");
}

#[test]
fn handshake_first_is_judged_for_the_server_version() {
    let sb = Sandbox::new();
    sb.pki();
    sb.write(
        "n.conf",
        "leafnodes {\n  listen: 7422\n  tls {\n    cert_file: node-a/cert.pem\n    key_file: node-a/key.pem\n    handshake_first: true\n  }\n}\n",
    );
    let (doc, _) = check_json(&sb, &["n.conf", "--server-version", "2.10.0"]);
    assert!(
        !codes(&doc).contains(&"handshake-first-version".to_string()),
        "{doc:#}"
    );
    let (doc, _) = check_json(&sb, &["n.conf", "--server-version", "2.9.10"]);
    assert!(
        codes(&doc).contains(&"handshake-first-version".to_string()),
        "{doc:#}"
    );
    // 2.9 also refuses the option as an unknown field.
    assert!(
        codes(&doc).contains(&"tls-option-too-new".to_string()),
        "{doc:#}"
    );
}

fn gateway_conf(sb: &Sandbox, node: &str, gw: &str, peer: Option<(&str, &str)>) {
    let gateways = peer.map_or(String::new(), |(name, host)| {
        format!(
            "  gateways: [ {{ name: {name}, urls: [\"nats://{host}.nats.internal:7222\"] }} ]\n"
        )
    });
    sb.write(
        &format!("{node}.conf"),
        format!(
            "server_name: {node}\ngateway {{\n  name: {gw}\n  listen: \"{node}.nats.internal:7222\"\n{gateways}  tls {{\n    cert_file: {node}/cert.pem\n    key_file: {node}/key.pem\n    ca_file: acme.pem\n  }}\n}}\n"
        ),
    );
}

#[test]
fn gateways_need_both_directions() {
    let sb = Sandbox::new();
    sb.pki();
    // node-a (gateway EAST) lists node-b (gateway WEST); node-b dials back.
    gateway_conf(&sb, "node-a", "EAST", Some(("WEST", "node-b")));
    gateway_conf(&sb, "node-b", "WEST", None);
    let (doc, code) = check_json(&sb, &["node-a.conf", "node-b.conf", "--check"]);
    assert_eq!(code, 0, "{doc:#}");
    let conns = doc["connections"].as_array().unwrap();
    assert_eq!(conns.len(), 1, "{doc:#}");
    assert_eq!(conns[0]["kind"], "gateway");
    assert_eq!(conns[0]["verdict"], "ok");
    assert!(
        conns[0]["reasons"]
            .to_string()
            .contains("node-b dials back node-a")
    );

    // A server-only certificate on node-b: node-a's dial works, node-b's
    // dial back is refused, and a gateway with one direction is broken.
    issue(&sb, "node-b", "r3", &["--usage", "server", "--force"]);
    let (doc, code) = check_json(&sb, &["node-a.conf", "node-b.conf", "--check"]);
    assert_eq!(code, 1, "{doc:#}");
    let c = &doc["connections"][0];
    assert_eq!(c["verdict"], "broken", "{c:#}");
    let reasons = c["reasons"].to_string();
    assert!(
        reasons.contains("node-a dials node-b (nats://node-b.nats.internal:7222): ok"),
        "{reasons}"
    );
    assert!(
        reasons.contains("node-a refuses node-b's certificate as a client"),
        "{reasons}"
    );
}

#[test]
fn known_urls_with_ip_route_urls_refuse_every_dialer() {
    let sb = Sandbox::new();
    sb.pki();
    let known = "    verify_cert_and_check_known_urls: true\n";
    // Each node lists the other by IP; the certificates carry both the
    // DNS name and the IP.
    for (me, own_ip, ip) in [
        ("node-a", "10.0.0.1", "10.0.0.2"),
        ("node-b", "10.0.0.2", "10.0.0.1"),
    ] {
        sb.write(
            &format!("{me}.conf"),
            format!(
                "cluster {{\n  name: c1\n  listen: \"{own_ip}:6222\"\n  routes: [nats-route://{ip}:6222]\n  tls {{\n    cert_file: {me}/cert.pem\n    key_file: {me}/key.pem\n    ca_file: acme.pem\n{known}  }}\n}}\n"
            ),
        );
    }
    let (doc, code) = check_json(&sb, &["node-a.conf", "node-b.conf", "--check"]);
    assert_eq!(code, 1, "{doc:#}");
    assert!(
        codes(&doc).contains(&"known-urls-no-dns".to_string()),
        "{doc:#}"
    );
    let r = route(&doc, "node-a", "node-b");
    assert_eq!(r["verdict"], "broken", "{r:#}");
    assert!(
        r["reasons"].to_string().contains("matches only DNS SANs"),
        "{r:#}"
    );
}

#[test]
fn implicit_routes_are_judged_for_the_route_tls_name_the_dialer_keeps() {
    // node-a and node-c list only node-b: they learn of each other through
    // it and dial each other at the gossiped address, verifying the
    // certificate for the first hostname among their own route URLs, then
    // for the address (an IP SAN; node-c's certificate has none).
    let sb = Sandbox::new();
    sb.pki();
    issue(&sb, "node-c", "x3", &[]);
    let hub = |sb: &Sandbox, dirs: [&str; 3]| {
        route_conf(sb, "node-a", &["node-b"], dirs[0], "acme.pem", "");
        route_conf(sb, "node-b", &["node-a", "node-c"], dirs[1], "acme.pem", "");
        route_conf(sb, "node-c", &["node-b"], dirs[2], "acme.pem", "");
    };
    hub(&sb, ["node-a", "node-b", "node-c"]);
    let (doc, _) = check_json(&sb, &CONFS);
    assert_eq!(route(&doc, "node-a", "node-b")["verdict"], "ok");
    let implicit = route(&doc, "node-a", "node-c");
    let reasons = implicit["reasons"].to_string();
    assert!(reasons.contains("learned from gossip"), "{reasons}");
    assert!(
        reasons.contains("node-a dials node-c at its address (port 6222) (learned from gossip): node-a refuses node-c's certificate as a server"),
        "{reasons}"
    );
    // node-a's certificate has an IP SAN: node-c reaches it at its address.
    assert_eq!(implicit["verdict"], "one-way", "{doc:#}");
    assert!(
        reasons.contains("forms only when node-c dials"),
        "{reasons}"
    );

    // One wildcard certificate for every node: the implicit route forms.
    sb.cmd()
        .args([
            "cert",
            "issue",
            "*.nats.internal",
            "--ca",
            "x3",
            "--out",
            "wild",
        ])
        .assert()
        .success();
    hub(&sb, ["wild", "wild", "wild"]);
    let (doc, _) = check_json(&sb, &CONFS);
    assert_eq!(route(&doc, "node-a", "node-c")["verdict"], "ok", "{doc:#}");
    assert_eq!(doc["connections"].as_array().unwrap().len(), 3);
}

#[test]
fn control_characters_of_a_config_never_reach_the_terminal_raw() {
    // nats-server's lexer decodes `\x1b` in a quoted string: the server
    // name, the cluster name and a path all carry ESC.
    let sb = Sandbox::new();
    sb.write(
        "n.conf",
        "server_name: \"evil\\x1b[31mnode\"\ntls { cert_file: \"a\\x1b[31m.pem\", key_file: \"k.pem\" }\ncluster { name: \"c\\x1b[1m\", port: 6222 }\n",
    );
    let out = sb.cmd().args(["nats", "check", "n.conf"]).output().unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("evil\\u{1b}[31mnode"), "{stdout}");
    assert!(stdout.contains("c\\u{1b}[1m"), "{stdout}");
    assert!(
        !stdout.chars().any(|c| c.is_control() && c != '\n'),
        "{stdout:?}"
    );
}

#[test]
fn check_exits_1_on_an_error_finding_and_a_peer_error_names_the_address_once() {
    let sb = Sandbox::new();
    sb.write(
        "n.conf",
        "server_name: n\ntls { cert_file: missing.pem, key_file: missing.key }\n",
    );
    let out = sb.cmd().args(["nats", "check", "n.conf"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "a review without --check");
    let out = sb
        .cmd()
        .args(["nats", "check", "n.conf", "--check"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "nats-server would not start: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    // Nothing listens on port 1: the address is named once.
    let out = sb
        .cmd()
        .args(["nats", "check", "n.conf", "--peer", "127.0.0.1:1"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("127.0.0.1:1: "), "{stderr}");
    assert!(!stderr.contains("127.0.0.1:1: 127.0.0.1:1"), "{stderr}");
}

#[test]
fn a_config_and_a_log_are_read_from_a_pipe() {
    let sb = Sandbox::new();
    sb.write("n.conf", "server_name: piped\nport: 4222\n");
    sb.write(
        "n.log",
        "[1] 2026/12/02 01:04:59.345516 [ERR] 127.0.0.1:46798 - cid:7 - TLS handshake error: tls: client didn't provide a certificate\n",
    );
    // bash's process substitution hands the command /dev/fd/N, a pipe.
    let out = std::process::Command::new("bash")
        .current_dir(sb.path("."))
        .arg("-c")
        .arg(format!(
            "{} --store store nats check <(cat n.conf)",
            assert_cmd::cargo::cargo_bin("tlsctl").display()
        ))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("piped"));
    let out = std::process::Command::new("bash")
        .current_dir(sb.path("."))
        .arg("-c")
        .arg(format!(
            "{} --store store nats explain --no-store <(cat n.log)",
            assert_cmd::cargo::cargo_bin("tlsctl").display()
        ))
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("sent none"));
}

#[test]
fn a_large_ca_file_read_in_pieces_is_judged_as_a_small_one() {
    // A ca_file over 1 MiB is read in pieces (never held whole): the same
    // anchors, and a block Go skips counted once.
    let sb = Sandbox::new();
    cluster(&sb, &[]);
    let acme = std::fs::read(sb.path("acme.pem")).unwrap();
    let filler = std::fs::read(crate::support::fixture("chain/root.pem")).unwrap();
    let bad = std::fs::read(crate::support::fixture("misc/truncated-der.pem")).unwrap();
    let mut big = Vec::new();
    let mut placed = false;
    while big.len() < 2 << 20 {
        big.extend(&filler);
        if big.len() > 1 << 20 && !placed {
            big.extend(&bad);
            big.extend(&acme);
            placed = true;
        }
    }
    sb.write("acme.pem", &big);
    let (doc, _) = check_json(&sb, &CONFS);
    for (from, to) in [
        ("node-a", "node-b"),
        ("node-b", "node-c"),
        ("node-a", "node-c"),
    ] {
        assert_eq!(route(&doc, from, to)["verdict"], "ok", "{doc:#}");
    }
    let skipped: Vec<&Value> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "ca-file-skipped")
        .collect();
    assert_eq!(skipped.len(), 3, "one per node: {doc:#}");
    for f in skipped {
        assert!(
            f["message"]
                .as_str()
                .unwrap()
                .contains(": 1 block(s) Go skips"),
            "{f:#}"
        );
    }
}
