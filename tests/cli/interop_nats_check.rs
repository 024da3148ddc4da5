//! `nats check` against real servers: configs and certificates made by
//! tlsctl, judged by `nats check --server-version`, then started on
//! nats-server 2.9.10 and 2.15.1; every verdict is compared with what the
//! servers report. Routes (/routez, peers named through /varz): a
//! three-node cluster that is ok, a one-way route (one node's certificate
//! serverAuth only), an R3-only ca_file judged with `--replace` and then
//! shipped, verify_cert_and_check_known_urls with IP route URLs (broken)
//! and DNS ones (ok). Leafnodes (/leafz): a remote with its own tls block
//! (ok) and with the block beside the remotes (broken). Gateways
//! (/gatewayz): dual-use certificates (ok) and a serverAuth-only one
//! (broken: the dial back is refused). 11 scenarios on each release.
//! Run with TLSCTL_INTEROP=1 (as .ci/run does).

use std::collections::{BTreeMap, BTreeSet};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::interop::enabled;
use crate::natsrv::{NatsBinary, NatsServer, free_port, nats_binaries};
use crate::support::{Sandbox, stdout_of};

fn monitor(port: u16, path: &str) -> Option<Value> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(2))).ok()?;
    s.write_all(format!("GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").as_bytes())
        .ok()?;
    let mut body = String::new();
    s.read_to_string(&mut body).ok()?;
    serde_json::from_str(body.split("\r\n\r\n").nth(1)?).ok()
}

struct Ports {
    client: u16,
    http: u16,
    cluster: u16,
}

/// Writes `NAME.conf` for each node (cert from `NAME/`, the given ca_file,
/// routes to every other node).
fn write_confs(
    sb: &Sandbox,
    nodes: &[(&str, &str)],
    ports: &BTreeMap<&str, Ports>,
    ca: &str,
    host: &str,
    extra: &str,
) {
    for (name, dir) in nodes {
        let p = &ports[name];
        let routes: Vec<String> = nodes
            .iter()
            .filter(|(n, _)| n != name)
            .map(|(n, _)| format!("\"nats-route://{host}:{}\"", ports[n].cluster))
            .collect();
        sb.write(
            &format!("{name}.conf"),
            format!(
                "server_name: {name}\nlisten: 127.0.0.1:{}\nhttp: 127.0.0.1:{}\ncluster {{\n  name: c1\n  listen: 127.0.0.1:{}\n  routes: [{}]\n  tls {{\n    cert_file: \"{dir}/cert.pem\"\n    key_file: \"{dir}/key.pem\"\n    ca_file: \"{ca}\"\n    timeout: 2\n{extra}  }}\n}}\n",
                p.client,
                p.http,
                p.cluster,
                routes.join(", ")
            ),
        );
    }
}

/// The route verdicts `nats check` gives: pair -> verdict.
fn predicted(doc: &Value) -> BTreeMap<(String, String), String> {
    doc["connections"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["kind"] == "route")
        .map(|c| {
            (
                (
                    c["from"].as_str().unwrap().to_owned(),
                    c["to"].as_str().unwrap().to_owned(),
                ),
                c["verdict"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// The pairs of nodes the running servers say are routed (both see the
/// other), once the expected state has settled (bounded).
fn observed(
    names: &[&str],
    ports: &BTreeMap<&str, Ports>,
    expect: &BTreeSet<(String, String)>,
) -> BTreeSet<(String, String)> {
    let read = || {
        let mut ids = BTreeMap::new();
        for n in names {
            let v = monitor(ports[n].http, "/varz")?;
            ids.insert(v["server_id"].as_str()?.to_owned(), (*n).to_owned());
        }
        let mut sees: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for n in names {
            let v = monitor(ports[n].http, "/routez")?;
            let peers = v["routes"]
                .as_array()
                .map(|r| {
                    r.iter()
                        .filter_map(|r| r["remote_id"].as_str())
                        .filter_map(|id| ids.get(id).cloned())
                        .collect()
                })
                .unwrap_or_default();
            sees.insert((*n).to_owned(), peers);
        }
        let mut pairs = BTreeSet::new();
        for (i, a) in names.iter().enumerate() {
            for b in &names[i + 1..] {
                if sees[*a].contains(*b) && sees[*b].contains(*a) {
                    pairs.insert(((*a).to_owned(), (*b).to_owned()));
                }
            }
        }
        Some(pairs)
    };
    // Wait for what is expected (up to 10 s); then give what is not
    // expected 3 s more to show up.
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut last = BTreeSet::new();
    while Instant::now() < deadline {
        if let Some(p) = read() {
            last = p;
            if expect.is_subset(&last) {
                break;
            }
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    std::thread::sleep(Duration::from_secs(3));
    read().unwrap_or(last)
}

/// Judges the fleet with `nats check`, then runs it and compares.
#[allow(clippy::too_many_arguments)] // one scenario, spelled out at each call
fn scenario(
    sb: &Sandbox,
    bin: &NatsBinary,
    label: &str,
    nodes: &[(&str, &str)],
    ca: &str,
    replace: Option<(&str, &str)>,
    host: &str,
    extra: &str,
) -> BTreeMap<(String, String), String> {
    let names: Vec<&str> = nodes.iter().map(|(n, _)| *n).collect();
    let ports: BTreeMap<&str, Ports> = names
        .iter()
        .map(|n| {
            (
                *n,
                Ports {
                    client: free_port(),
                    http: free_port(),
                    cluster: free_port(),
                },
            )
        })
        .collect();
    write_confs(sb, nodes, &ports, ca, host, extra);
    let confs: Vec<String> = names.iter().map(|n| format!("{n}.conf")).collect();
    let mut cmd = sb.cmd_realtime();
    cmd.args(["nats", "check", "--json", "--server-version", bin.version])
        .args(&confs);
    if let Some((old, new)) = replace {
        cmd.arg("--replace").arg(format!("{old}={new}"));
    }
    let doc: Value = serde_json::from_str(&stdout_of(&mut cmd)).unwrap();
    let verdicts = predicted(&doc);
    if let Some((old, new)) = replace {
        // Ship the change for real.
        std::fs::copy(sb.path(new), sb.path(old)).unwrap();
    }
    let expect: BTreeSet<(String, String)> = verdicts
        .iter()
        .filter(|(_, v)| *v != "broken")
        .map(|(k, _)| k.clone())
        .collect();
    let servers: Vec<NatsServer> = nodes
        .iter()
        .map(|(n, _)| {
            let conf = std::fs::read_to_string(sb.path(&format!("{n}.conf"))).unwrap();
            NatsServer::start_with(bin, sb.dir.path(), n, &conf, ports[n].client)
        })
        .collect();
    let seen = observed(&names, &ports, &expect);
    let logs: String = servers
        .iter()
        .map(|s| s.log_text())
        .collect::<Vec<_>>()
        .join("\n---\n");
    assert_eq!(
        expect, seen,
        "{label} on nats-server {}: nats check said {verdicts:?}\n{logs}",
        bin.version
    );
    drop(servers);
    verdicts
}

#[test]
fn interop_nats_check_route_verdicts_match_real_clusters_on_both_releases() {
    if !enabled() {
        return;
    }
    let sb = Sandbox::new();
    let run = |args: &[&str]| {
        sb.cmd_realtime().args(args).assert().success();
    };
    run(&["ca", "create", "acme", "--cn", "Acme Root"]);
    run(&["ca", "create", "x3", "--parent", "acme", "--cn", "Acme X3"]);
    run(&["ca", "create", "r3", "--parent", "acme", "--cn", "Acme R3"]);
    for (n, ca) in [("node-a", "x3"), ("node-b", "r3"), ("node-c", "x3")] {
        run(&[
            "cert",
            "issue",
            "localhost",
            "127.0.0.1",
            "--ca",
            ca,
            "--out",
            n,
        ]);
    }
    run(&[
        "cert",
        "issue",
        "localhost",
        "127.0.0.1",
        "--ca",
        "x3",
        "--usage",
        "server",
        "--out",
        "node-s",
    ]);
    for ca in ["acme", "r3"] {
        let pem = stdout_of(sb.cmd_realtime().args(["ca", "export", ca]));
        sb.write(&format!("{ca}.pem"), pem);
    }
    let pair = |a: &str, b: &str| (a.to_owned(), b.to_owned());
    for bin in nats_binaries() {
        let ok = [("na", "node-a"), ("nb", "node-b"), ("nc", "node-c")];
        let v = scenario(
            &sb,
            &bin,
            "three nodes",
            &ok,
            "acme.pem",
            None,
            "127.0.0.1",
            "",
        );
        assert_eq!(v.len(), 3);
        assert!(v.values().all(|v| v == "ok"), "{v:?}");

        let one_way = [("na", "node-a"), ("nb", "node-b"), ("ns", "node-s")];
        let v = scenario(
            &sb,
            &bin,
            "server-only node",
            &one_way,
            "acme.pem",
            None,
            "127.0.0.1",
            "",
        );
        assert_eq!(v[&pair("na", "ns")], "one-way", "{v:?}");
        assert_eq!(v[&pair("nb", "ns")], "one-way", "{v:?}");
        assert_eq!(v[&pair("na", "nb")], "ok", "{v:?}");

        sb.write("ca.pem", std::fs::read(sb.path("acme.pem")).unwrap());
        let v = scenario(
            &sb,
            &bin,
            "R3-only ca_file",
            &ok,
            "ca.pem",
            Some(("ca.pem", "r3.pem")),
            "127.0.0.1",
            "",
        );
        assert!(v.values().all(|v| v == "broken"), "{v:?}");

        // verify_cert_and_check_known_urls: the dialer's DNS SANs against
        // the acceptor's own route URLs. IP URLs never match...
        let known = "    verify_cert_and_check_known_urls: true\n";
        let v = scenario(
            &sb,
            &bin,
            "known URLs, IP",
            &ok,
            "acme.pem",
            None,
            "127.0.0.1",
            known,
        );
        assert!(v.values().all(|v| v == "broken"), "{v:?}");
        // ... the DNS name in the certificates does.
        let v = scenario(
            &sb,
            &bin,
            "known URLs, DNS",
            &ok,
            "acme.pem",
            None,
            "localhost",
            known,
        );
        assert!(v.values().all(|v| v == "ok"), "{v:?}");
    }
}

/// A hub (verifying leafnodes) and a leaf whose remote carries its own tls
/// block or (the mistake) has it beside the remotes: `nats check`'s
/// leafnode verdict against the leaf's /leafz.
fn leaf_scenario(sb: &Sandbox, bin: &NatsBinary, inside: bool) -> String {
    let (hub_c, hub_h, hub_l) = (free_port(), free_port(), free_port());
    let (leaf_c, leaf_h) = (free_port(), free_port());
    let hub = format!(
        "server_name: hub\nlisten: 127.0.0.1:{hub_c}\nhttp: 127.0.0.1:{hub_h}\nleafnodes {{\n  listen: 127.0.0.1:{hub_l}\n  tls {{\n    cert_file: node-a/cert.pem\n    key_file: node-a/key.pem\n    ca_file: acme.pem\n    verify: true\n    timeout: 2\n  }}\n}}\n"
    );
    let tls = "tls {\n    cert_file: node-b/cert.pem\n    key_file: node-b/key.pem\n    ca_file: acme.pem\n    timeout: 2\n  }";
    let remote = format!("url: \"tls://127.0.0.1:{hub_l}\"");
    let leafnodes = if inside {
        format!("leafnodes {{\n  remotes: [ {{ {remote}\n  {tls} }} ]\n}}\n")
    } else {
        format!("leafnodes {{\n  remotes: [ {{ {remote} }} ]\n  {tls}\n}}\n")
    };
    let leaf = format!(
        "server_name: leaf\nlisten: 127.0.0.1:{leaf_c}\nhttp: 127.0.0.1:{leaf_h}\n{leafnodes}"
    );
    sb.write("hub.conf", &hub);
    sb.write("leaf.conf", &leaf);
    let mut cmd = sb.cmd_realtime();
    cmd.args(["nats", "check", "--json", "--server-version", bin.version])
        .args(["hub.conf", "leaf.conf"]);
    let doc: Value = serde_json::from_str(&stdout_of(&mut cmd)).unwrap();
    let conns = doc["connections"].as_array().unwrap();
    assert_eq!(conns.len(), 1, "{doc:#}");
    let verdict = conns[0]["verdict"].as_str().unwrap().to_owned();
    let _h = NatsServer::start_with(bin, sb.dir.path(), "hub", &hub, hub_c);
    let l = NatsServer::start_with(bin, sb.dir.path(), "leaf", &leaf, leaf_c);
    let up = || {
        monitor(leaf_h, "/leafz")
            .and_then(|v| v["leafnodes"].as_u64())
            .is_some_and(|n| n >= 1)
    };
    let limit = Duration::from_secs(if verdict == "ok" { 10 } else { 4 });
    let deadline = Instant::now() + limit;
    let mut seen = up();
    while !seen && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(100));
        seen = up();
    }
    assert_eq!(
        seen,
        verdict == "ok",
        "leaf remote tls {} on {}: nats check said {verdict}\n{}",
        if inside { "inside" } else { "beside" },
        bin.version,
        l.log_text()
    );
    verdict
}

#[test]
fn interop_nats_check_leaf_verdicts_match_real_servers_on_both_releases() {
    if !enabled() {
        return;
    }
    let sb = Sandbox::new();
    let run = |args: &[&str]| {
        sb.cmd_realtime().args(args).assert().success();
    };
    run(&["ca", "create", "acme", "--cn", "Acme Root"]);
    run(&["ca", "create", "x3", "--parent", "acme", "--cn", "Acme X3"]);
    for n in ["node-a", "node-b"] {
        run(&[
            "cert",
            "issue",
            "localhost",
            "127.0.0.1",
            "--ca",
            "x3",
            "--out",
            n,
        ]);
    }
    let pem = stdout_of(sb.cmd_realtime().args(["ca", "export", "acme"]));
    sb.write("acme.pem", pem);
    for bin in nats_binaries() {
        assert_eq!(leaf_scenario(&sb, &bin, true), "ok");
        assert_eq!(leaf_scenario(&sb, &bin, false), "broken");
    }
}

/// Two one-node clusters joined by a gateway (EAST lists WEST; WEST dials
/// back): `nats check`'s gateway verdict against /gatewayz of both.
fn gateway_scenario(sb: &Sandbox, bin: &NatsBinary, west_cert: &str) -> String {
    let (ec, eh, eg) = (free_port(), free_port(), free_port());
    let (wc, wh, wg) = (free_port(), free_port(), free_port());
    let tls = |dir: &str| {
        format!(
            "  tls {{\n    cert_file: {dir}/cert.pem\n    key_file: {dir}/key.pem\n    ca_file: acme.pem\n    timeout: 2\n  }}\n"
        )
    };
    let east = format!(
        "server_name: east\nlisten: 127.0.0.1:{ec}\nhttp: 127.0.0.1:{eh}\ngateway {{\n  name: EAST\n  listen: 127.0.0.1:{eg}\n  gateways: [ {{ name: WEST, urls: [\"nats://127.0.0.1:{wg}\"] }} ]\n{}}}\n",
        tls("node-a")
    );
    let west = format!(
        "server_name: west\nlisten: 127.0.0.1:{wc}\nhttp: 127.0.0.1:{wh}\ngateway {{\n  name: WEST\n  listen: 127.0.0.1:{wg}\n{}}}\n",
        tls(west_cert)
    );
    sb.write("east.conf", &east);
    sb.write("west.conf", &west);
    let mut cmd = sb.cmd_realtime();
    cmd.args(["nats", "check", "--json", "--server-version", bin.version])
        .args(["east.conf", "west.conf"]);
    let doc: Value = serde_json::from_str(&stdout_of(&mut cmd)).unwrap();
    let conns = doc["connections"].as_array().unwrap();
    assert_eq!(conns.len(), 1, "{doc:#}");
    let verdict = conns[0]["verdict"].as_str().unwrap().to_owned();
    let e = NatsServer::start_with(bin, sb.dir.path(), "east", &east, ec);
    let w = NatsServer::start_with(bin, sb.dir.path(), "west", &west, wc);
    let outbound = |port: u16, to: &str| {
        monitor(port, "/gatewayz").is_some_and(|v| {
            v["outbound_gateways"][to]["connection"]["cid"]
                .as_u64()
                .is_some()
        })
    };
    let up = || outbound(eh, "WEST") && outbound(wh, "EAST");
    let limit = Duration::from_secs(if verdict == "ok" { 10 } else { 5 });
    let deadline = Instant::now() + limit;
    let mut seen = up();
    while !seen && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(100));
        seen = up();
    }
    assert_eq!(
        seen,
        verdict == "ok",
        "gateway with west cert {west_cert} on {}: nats check said {verdict}\n{}\n---\n{}",
        bin.version,
        e.log_text(),
        w.log_text()
    );
    verdict
}

#[test]
fn interop_nats_check_gateway_verdicts_match_real_servers_on_both_releases() {
    if !enabled() {
        return;
    }
    let sb = Sandbox::new();
    let run = |args: &[&str]| {
        sb.cmd_realtime().args(args).assert().success();
    };
    run(&["ca", "create", "acme", "--cn", "Acme Root"]);
    run(&["ca", "create", "x3", "--parent", "acme", "--cn", "Acme X3"]);
    for n in ["node-a", "node-b"] {
        run(&[
            "cert",
            "issue",
            "localhost",
            "127.0.0.1",
            "--ca",
            "x3",
            "--out",
            n,
        ]);
    }
    run(&[
        "cert",
        "issue",
        "localhost",
        "127.0.0.1",
        "--ca",
        "x3",
        "--usage",
        "server",
        "--out",
        "node-s",
    ]);
    let pem = stdout_of(sb.cmd_realtime().args(["ca", "export", "acme"]));
    sb.write("acme.pem", pem);
    for bin in nats_binaries() {
        assert_eq!(gateway_scenario(&sb, &bin, "node-b"), "ok");
        assert_eq!(gateway_scenario(&sb, &bin, "node-s"), "broken");
    }
}
