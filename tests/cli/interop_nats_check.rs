//! `nats check` against real servers. Each scenario is a fleet of
//! nats-server configs written from a template and certificates made by
//! tlsctl; `nats check --json --server-version V` judges it (with
//! `--replace` when the scenario ships a change, which is then copied into
//! place for real), the nodes are started together on nats-server 2.9.10
//! and 2.15.1, and every route, gateway and leafnode connection the
//! servers report (/routez, /gatewayz, /leafz, peers named through /varz)
//! must be exactly the ones `nats check` does not call broken: nothing
//! predicted is missing, nothing unpredicted appears. Routes are compared
//! per pair of nodes (2.15's route pools show several routes a pair).
//!
//! The scenarios: three routed nodes; a one-way route; routes learned
//! through gossip (implicit), with IP and with DNS-only certificates
//! (verified for the dialer's saved route TLS name), retried at the
//! gossiped IP when that name fails, and refused by pins that name only
//! the hub; the X3 to R3 intermediate roll
//! (the bundle before, the fix shipped, the R3-only bundle, the R3
//! certificate shipped first); verify_cert_and_check_known_urls with DNS
//! and IP route URLs, IP-only certificates, and implicit routes; pins, pins
//! after a rekey and after a renewal; certificate replacements; a node
//! without cluster TLS and one without a ca_file; two clusters joined by
//! gateways, a gateway refused, a remote gateway's own tls block; a hub and
//! a leaf, a remote without its own tls block, a leaf's pin after a rekey.
//! Run with TLSCTL_INTEROP=1 (as .ci/run does).

use std::collections::{BTreeMap, BTreeSet};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::Mutex;
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

/// A `tls {}` block with the node's cert and key from `dir`.
fn tls(dir: &str, ca: &str, extra: &str) -> String {
    tls_files(
        &format!("{dir}/cert.pem"),
        &format!("{dir}/key.pem"),
        ca,
        extra,
    )
}

fn tls_files(cert: &str, key: &str, ca: &str, extra: &str) -> String {
    let ca = if ca.is_empty() {
        String::new()
    } else {
        format!("\n  ca_file: \"{ca}\"")
    };
    format!(
        "tls {{\n  cert_file: \"{cert}\"\n  key_file: \"{key}\"{ca}\n  timeout: 2\n  {extra}\n}}"
    )
}

/// A cluster block: `routes` are `HOST:NODE` (the node's cluster port).
fn cluster(routes: &[&str], tls: &str) -> String {
    named_cluster("c1", routes, tls)
}

fn named_cluster(name: &str, routes: &[&str], tls: &str) -> String {
    let urls: Vec<String> = routes
        .iter()
        .map(|r| {
            let (host, node) = r.split_once(':').unwrap();
            format!("\"nats-route://{host}:{{C:{node}}}\"")
        })
        .collect();
    format!(
        "cluster {{\n name: {name}\n listen: \"127.0.0.1:{{C:SELF}}\"\n connect_retries: 2\n routes: [{}]\n {tls}\n}}\n",
        urls.join(", ")
    )
}

/// One scenario: its nodes (name, config body with `{C:NODE}`, `{G:NODE}`,
/// `{L:NODE}` for a node's cluster, gateway and leafnode ports and `{P}`
/// for the scenario's file prefix), the files copied in first and the
/// replacements rehearsed and shipped.
struct Scenario {
    label: &'static str,
    nodes: Vec<(&'static str, String)>,
    copies: Vec<(String, String)>,
    replace: Vec<(String, String)>,
    /// Verdicts the scenario is about: (kind, from, to, verdict).
    expect: Vec<(&'static str, &'static str, &'static str, &'static str)>,
}

fn scenario(label: &'static str, nodes: Vec<(&'static str, String)>) -> Scenario {
    Scenario {
        label,
        nodes,
        copies: Vec::new(),
        replace: Vec::new(),
        expect: Vec::new(),
    }
}

impl Scenario {
    fn copy(mut self, to: &str, from: &str) -> Self {
        self.copies.push((to.into(), from.into()));
        self
    }
    fn replace(mut self, path: &str, new: &str) -> Self {
        self.replace.push((path.into(), new.into()));
        self
    }
    fn expect(
        mut self,
        kind: &'static str,
        from: &'static str,
        to: &'static str,
        verdict: &'static str,
    ) -> Self {
        self.expect.push((kind, from, to, verdict));
        self
    }
}

struct Ports {
    client: u16,
    http: u16,
    cluster: u16,
    gateway: u16,
    leaf: u16,
}

type Conn = (String, String, String);

/// The connections the running servers show, each as (kind, from, to) in
/// the scenario's node order.
fn observe(
    nodes: &[(&str, String)],
    ports: &BTreeMap<&str, Ports>,
    gw_names: &BTreeMap<&str, String>,
) -> Option<BTreeSet<Conn>> {
    let mut ids = BTreeMap::new();
    let mut routes: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    let mut leafs: BTreeMap<&str, Vec<Option<String>>> = BTreeMap::new();
    let mut outbound: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    for (n, _) in nodes {
        let p = &ports[n];
        let v = monitor(p.http, "/varz")?;
        ids.insert(v["server_id"].as_str()?.to_owned(), (*n).to_owned());
        let r = monitor(p.http, "/routez")?;
        let peers = r["routes"].as_array().cloned().unwrap_or_default();
        routes.insert(
            n,
            peers
                .iter()
                .filter_map(|r| r["remote_id"].as_str().map(str::to_owned))
                .collect(),
        );
        let l = monitor(p.http, "/leafz")?;
        let ls = l["leafs"].as_array().cloned().unwrap_or_default();
        leafs.insert(
            n,
            ls.iter()
                .map(|l| l["name"].as_str().map(str::to_owned))
                .collect(),
        );
        if gw_names.contains_key(n) {
            let g = monitor(p.http, "/gatewayz")?;
            let out = g["outbound_gateways"]
                .as_object()
                .map(|o| {
                    o.iter()
                        .filter(|(_, v)| v["connection"]["cid"].as_u64().is_some())
                        .map(|(k, _)| k.clone())
                        .collect()
                })
                .unwrap_or_default();
            outbound.insert(n, out);
        }
    }
    let name_of = |id: &String| ids.get(id).cloned().unwrap_or_default();
    let mut seen = BTreeSet::new();
    for (i, (a, _)) in nodes.iter().enumerate() {
        for (b, _) in &nodes[i + 1..] {
            let sees = |x: &str, y: &str| routes[x].iter().any(|id| name_of(id) == y);
            if sees(a, b) && sees(b, a) {
                seen.insert(("route".into(), (*a).into(), (*b).into()));
            }
            if let (Some(ga), Some(gb)) = (gw_names.get(a), gw_names.get(b))
                && ga != gb
                && outbound[a].contains(gb)
                && outbound[b].contains(ga)
            {
                seen.insert(("gateway".into(), (*a).into(), (*b).into()));
            }
        }
        for (b, _) in nodes {
            // A leaf (whose remote names the hub's leafnode port) and its
            // hub: each lists the other in /leafz (2.9 leaves out the name).
            let lists =
                |x: &str, y: &str| leafs[x].iter().any(|n| n.as_deref().is_none_or(|n| n == y));
            if a != b && nodes[i].1.contains(&format!("{{L:{b}}}")) && lists(a, b) && lists(b, a) {
                seen.insert(("leafnode".into(), (*a).into(), (*b).into()));
            }
        }
    }
    Some(seen)
}

/// Runs one scenario on one release; `Err` says how real servers and
/// `nats check` disagree.
fn run(sb: &Sandbox, bin: &NatsBinary, idx: usize, sc: &Scenario) -> Result<(), String> {
    let prefix = format!("s{idx}-{}", bin.version);
    let fill = |t: &str| t.replace("{P}", &prefix);
    let ports: BTreeMap<&str, Ports> = sc
        .nodes
        .iter()
        .map(|(n, _)| {
            (
                *n,
                Ports {
                    client: free_port(),
                    http: free_port(),
                    cluster: free_port(),
                    gateway: free_port(),
                    leaf: free_port(),
                },
            )
        })
        .collect();
    for (to, from) in &sc.copies {
        std::fs::copy(sb.path(from), sb.path(&fill(to))).unwrap();
    }
    let mut confs = Vec::new();
    let mut gw_names = BTreeMap::new();
    for (n, body) in &sc.nodes {
        let mut text = fill(body).replace("SELF}", &format!("{n}}}"));
        for (m, p) in &ports {
            text = text
                .replace(&format!("{{C:{m}}}"), &p.cluster.to_string())
                .replace(&format!("{{G:{m}}}"), &p.gateway.to_string())
                .replace(&format!("{{L:{m}}}"), &p.leaf.to_string());
        }
        if let Some(g) = text.split("gateway { name: ").nth(1) {
            gw_names.insert(*n, g.split_whitespace().next().unwrap().to_owned());
        }
        let p = &ports[n];
        let conf = format!(
            "server_name: {n}\nlisten: \"127.0.0.1:{}\"\nhttp: \"127.0.0.1:{}\"\n{text}",
            p.client, p.http
        );
        let file = format!("{prefix}-{n}.conf");
        sb.write(&file, &conf);
        confs.push((file, conf));
    }
    let mut cmd = sb.cmd_realtime();
    cmd.args(["nats", "check", "--json", "--server-version", bin.version])
        .args(confs.iter().map(|(f, _)| f));
    for (path, new) in &sc.replace {
        cmd.arg("--replace").arg(format!("{}={}", fill(path), new));
    }
    let doc: Value = serde_json::from_str(&stdout_of(&mut cmd)).unwrap();
    let verdicts: BTreeMap<Conn, String> = doc["connections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let s = |k: &str| c[k].as_str().unwrap().to_owned();
            ((s("kind"), s("from"), s("to")), s("verdict"))
        })
        .collect();
    for (kind, from, to, verdict) in &sc.expect {
        let key = ((*kind).into(), (*from).into(), (*to).into());
        if verdicts.get(&key).map(String::as_str) != Some(*verdict) {
            return Err(format!(
                "{}: nats check gave {key:?} {:?}, the scenario is about {verdict}\n{doc:#}",
                sc.label,
                verdicts.get(&key)
            ));
        }
    }
    for (path, new) in &sc.replace {
        std::fs::copy(sb.path(new), sb.path(&fill(path))).unwrap();
    }
    let expect: BTreeSet<Conn> = verdicts
        .iter()
        .filter(|(_, v)| *v != "broken")
        .map(|(k, _)| k.clone())
        .collect();
    let servers: Vec<NatsServer> = std::thread::scope(|s| {
        let started: Vec<_> = confs
            .iter()
            .zip(&sc.nodes)
            .map(|((_, conf), (n, _))| {
                let port = ports[n].client;
                let name = format!("{prefix}-{n}");
                s.spawn(move || NatsServer::start_with(bin, sb.dir.path(), &name, conf, port))
            })
            .collect();
        started.into_iter().map(|h| h.join().unwrap()).collect()
    });
    // Wait for what is expected; then give what is not expected time to
    // show up (a refused explicit route is retried every second).
    let deadline = Instant::now() + Duration::from_secs(15);
    let mut seen = BTreeSet::new();
    while Instant::now() < deadline {
        if let Some(now) = observe(&sc.nodes, &ports, &gw_names) {
            seen = now;
            if expect.is_subset(&seen) {
                break;
            }
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    std::thread::sleep(Duration::from_millis(2500));
    if let Some(now) = observe(&sc.nodes, &ports, &gw_names) {
        seen = now;
    }
    if expect == seen {
        return Ok(());
    }
    let logs: Vec<String> = servers.iter().map(NatsServer::log_text).collect();
    Err(format!(
        "{} on nats-server {}: nats check said {verdicts:?}\n  missing: {:?}\n  unpredicted: {:?}\n{}",
        sc.label,
        bin.version,
        expect.difference(&seen).collect::<Vec<_>>(),
        seen.difference(&expect).collect::<Vec<_>>(),
        logs.join("\n---\n")
    ))
}

/// The certificates and bundles the scenarios use.
fn pki(sb: &Sandbox) -> BTreeMap<&'static str, String> {
    let run = |args: &[&str]| {
        sb.cmd_realtime().args(args).assert().success();
    };
    run(&["ca", "create", "acme", "--cn", "Acme Root"]);
    run(&["ca", "create", "x3", "--parent", "acme", "--cn", "Acme X3"]);
    run(&["ca", "create", "r3", "--parent", "acme", "--cn", "Acme R3"]);
    run(&["ca", "create", "other", "--cn", "Other Root"]);
    let both = ["localhost", "127.0.0.1"];
    let issue = |dir: &str, ca: &str, sans: &[&str], extra: &[&str]| {
        let mut args = vec!["cert", "issue"];
        args.extend(sans);
        args.extend(["--ca", ca, "--out", dir]);
        args.extend(extra);
        run(&args);
    };
    for n in ["node-a", "node-c", "node-d"] {
        issue(n, "x3", &both, &[]);
    }
    issue("node-b", "r3", &both, &[]);
    issue("node-s", "x3", &both, &["--usage", "server"]);
    issue("node-dns", "x3", &["localhost"], &[]);
    issue("node-ip", "x3", &["127.0.0.1"], &[]);
    issue("node-f", "other", &both, &[]);
    issue("node-na", "x3", &["na.example", "127.0.0.1"], &[]);
    issue("node-nc", "x3", &["nc.example", "127.0.0.1"], &[]);
    issue("node-c-rekeyed", "x3", &both, &[]);
    issue(
        "node-c-renewed",
        "x3",
        &both,
        &["--reuse-key", "node-c/key.pem"],
    );
    let export = |ca: &str| stdout_of(sb.cmd_realtime().args(["ca", "export", ca]));
    sb.write("acme.pem", export("acme"));
    sb.write("x3.pem", export("x3"));
    sb.write("r3.pem", export("r3"));
    sb.write("x3r3.pem", format!("{}{}", export("x3"), export("r3")));
    let pin = |dir: &str| {
        stdout_of(
            sb.cmd_realtime()
                .args(["pin", "--bare", "--leaf-only"])
                .arg(format!("{dir}/cert.pem")),
        )
        .trim()
        .to_owned()
    };
    [
        "node-a",
        "node-b",
        "node-c",
        "node-c-rekeyed",
        "node-c-renewed",
    ]
    .into_iter()
    .map(|d| (d, pin(d)))
    .collect()
}

fn scenarios(pins: &BTreeMap<&str, String>) -> Vec<Scenario> {
    let full = |tls_of: &dyn Fn(&str) -> String, host: &str| -> Vec<(&'static str, String)> {
        let names = ["na", "nb", "nc"];
        names
            .iter()
            .map(|n| {
                let routes: Vec<String> = names
                    .iter()
                    .filter(|m| *m != n)
                    .map(|m| format!("{host}:{m}"))
                    .collect();
                let routes: Vec<&str> = routes.iter().map(String::as_str).collect();
                (*n, cluster(&routes, &tls_of(n)))
            })
            .collect()
    };
    let dirs = |a: &'static str, b: &'static str, c: &'static str| {
        move |n: &str| match n {
            "na" => a,
            "nb" => b,
            _ => c,
        }
    };
    let abc = dirs("node-a", "node-b", "node-c");
    let known = "verify_cert_and_check_known_urls: true";
    // A hub (nb) that lists both; na and nc list only the hub.
    let hub = |host: &str, tls_of: &dyn Fn(&str) -> String| {
        vec![
            ("na", cluster(&[&format!("{host}:nb")], &tls_of("na"))),
            (
                "nb",
                cluster(
                    &[&format!("{host}:na"), &format!("{host}:nc")],
                    &tls_of("nb"),
                ),
            ),
            ("nc", cluster(&[&format!("{host}:nb")], &tls_of("nc"))),
        ]
    };
    let pinned = |names: &[&str]| {
        let list: Vec<String> = names.iter().map(|n| format!("\"{}\"", pins[n])).collect();
        format!("pinned_certs: [{}]", list.join(", "))
    };
    let all_pins = pinned(&["node-a", "node-b", "node-c"]);
    let gw = |name: &str, remotes: &str, tls: &str| {
        format!(
            "gateway {{ name: {name}\n listen: \"127.0.0.1:{{G:SELF}}\"\n gateways: [{remotes}]\n {tls}\n}}\n"
        )
    };
    let west =
        |tls: &str| format!("{{ name: WEST, urls: [\"nats://127.0.0.1:{{G:w1}}\"]\n {tls} }}");
    let hub_leaf = |extra: &str| {
        format!(
            "leafnodes {{\n listen: \"127.0.0.1:{{L:SELF}}\"\n {}\n}}\n",
            tls("node-a", "acme.pem", &format!("verify: true\n {extra}"))
        )
    };
    let remote = |tls: &str| format!("url: \"tls://127.0.0.1:{{L:hub}}\"\n {tls}");

    vec![
        scenario(
            "three routed nodes",
            full(&|n| tls(abc(n), "acme.pem", ""), "127.0.0.1"),
        )
        .expect("route", "na", "nb", "ok")
        .expect("route", "na", "nc", "ok")
        .expect("route", "nb", "nc", "ok"),
        scenario(
            "a server-only certificate: one-way routes",
            full(
                &|n| tls(dirs("node-a", "node-b", "node-s")(n), "acme.pem", ""),
                "127.0.0.1",
            ),
        )
        .expect("route", "na", "nb", "ok")
        .expect("route", "na", "nc", "one-way")
        .expect("route", "nb", "nc", "one-way"),
        scenario(
            "implicit route between nodes that list only the hub",
            hub("127.0.0.1", &|n| tls(abc(n), "acme.pem", "")),
        )
        .expect("route", "na", "nc", "ok"),
        scenario(
            "implicit route with DNS-only certificates: the saved route TLS name",
            hub("localhost", &|_| tls("node-dns", "acme.pem", "")),
        )
        .expect("route", "na", "nb", "ok")
        .expect("route", "na", "nc", "ok"),
        scenario(
            "implicit route retried at the gossiped IP after the route TLS name fails",
            vec![
                (
                    "na",
                    cluster(&["localhost:nb"], &tls("node-na", "acme.pem", "")),
                ),
                ("nb", cluster(&[], &tls("node-b", "acme.pem", ""))),
                (
                    "nc",
                    cluster(&["localhost:nb"], &tls("node-nc", "acme.pem", "")),
                ),
            ],
        )
        .expect("route", "na", "nb", "ok")
        .expect("route", "na", "nc", "ok"),
        scenario(
            "implicit route refused by pins that name only the hub",
            hub("127.0.0.1", &|n| {
                let pins = if n == "nb" {
                    all_pins.clone()
                } else {
                    pinned(&["node-b"])
                };
                tls(abc(n), "acme.pem", &pins)
            }),
        )
        .expect("route", "na", "nb", "ok")
        .expect("route", "na", "nc", "broken"),
        scenario(
            "implicit route under known URLs with DNS names",
            hub("localhost", &|n| tls(abc(n), "acme.pem", known)),
        )
        .expect("route", "na", "nc", "ok"),
        scenario(
            "X3 to R3, before: the X3-only bundle refuses the R3 node",
            full(&|n| tls(abc(n), "{P}-ca.pem", ""), "127.0.0.1"),
        )
        .copy("{P}-ca.pem", "x3.pem")
        .expect("route", "na", "nc", "ok")
        .expect("route", "na", "nb", "broken"),
        scenario(
            "X3 to R3, after: the X3+R3 bundle shipped",
            full(&|n| tls(abc(n), "{P}-ca.pem", ""), "127.0.0.1"),
        )
        .copy("{P}-ca.pem", "x3.pem")
        .replace("{P}-ca.pem", "x3r3.pem")
        .expect("route", "na", "nb", "ok")
        .expect("route", "nb", "nc", "ok"),
        scenario(
            "X3 to R3: an R3-only bundle shipped",
            full(&|n| tls(abc(n), "{P}-ca.pem", ""), "127.0.0.1"),
        )
        .copy("{P}-ca.pem", "acme.pem")
        .replace("{P}-ca.pem", "r3.pem")
        .expect("route", "na", "nb", "broken")
        .expect("route", "na", "nc", "broken"),
        scenario(
            "X3 to R3: the R3 certificate shipped before the bundle",
            full(
                &|n| match n {
                    "nb" => tls_files("{P}-b-cert.pem", "{P}-b-key.pem", "x3.pem", ""),
                    _ => tls(abc(n), "x3.pem", ""),
                },
                "127.0.0.1",
            ),
        )
        .copy("{P}-b-cert.pem", "node-d/cert.pem")
        .copy("{P}-b-key.pem", "node-d/key.pem")
        .replace("{P}-b-cert.pem", "node-b/cert.pem")
        .replace("{P}-b-key.pem", "node-b/key.pem")
        .expect("route", "na", "nb", "broken")
        .expect("route", "na", "nc", "ok"),
        scenario(
            "known URLs with IP route URLs",
            full(&|n| tls(abc(n), "acme.pem", known), "127.0.0.1"),
        )
        .expect("route", "na", "nb", "broken"),
        scenario(
            "known URLs with DNS route URLs",
            full(&|n| tls(abc(n), "acme.pem", known), "localhost"),
        )
        .expect("route", "na", "nb", "ok"),
        scenario(
            "known URLs with IP-only certificates",
            full(&|_| tls("node-ip", "acme.pem", known), "127.0.0.1"),
        )
        .expect("route", "na", "nb", "broken"),
        scenario(
            "IP-only certificates without known URLs",
            full(&|_| tls("node-ip", "acme.pem", ""), "127.0.0.1"),
        )
        .expect("route", "na", "nb", "ok"),
        scenario(
            "pins of every node",
            full(&|n| tls(abc(n), "acme.pem", &all_pins), "127.0.0.1"),
        )
        .expect("route", "na", "nc", "ok"),
        scenario(
            "pins after a rekey of node c",
            full(
                &|n| match n {
                    "nc" => tls_files("{P}-c-cert.pem", "{P}-c-key.pem", "acme.pem", &all_pins),
                    _ => tls(abc(n), "acme.pem", &all_pins),
                },
                "127.0.0.1",
            ),
        )
        .copy("{P}-c-cert.pem", "node-c/cert.pem")
        .copy("{P}-c-key.pem", "node-c/key.pem")
        .replace("{P}-c-cert.pem", "node-c-rekeyed/cert.pem")
        .replace("{P}-c-key.pem", "node-c-rekeyed/key.pem")
        .expect("route", "na", "nb", "ok")
        .expect("route", "na", "nc", "broken")
        .expect("route", "nb", "nc", "broken"),
        scenario(
            "pins after a renewal of node c with its key",
            full(
                &|n| match n {
                    "nc" => tls_files("{P}-c-cert.pem", "node-c/key.pem", "acme.pem", &all_pins),
                    _ => tls(abc(n), "acme.pem", &all_pins),
                },
                "127.0.0.1",
            ),
        )
        .copy("{P}-c-cert.pem", "node-c/cert.pem")
        .replace("{P}-c-cert.pem", "node-c-renewed/cert.pem")
        .expect("route", "na", "nc", "ok"),
        scenario(
            "certificate replaced by a server-only one",
            full(
                &|n| match n {
                    "nb" => tls_files("{P}-b-cert.pem", "{P}-b-key.pem", "acme.pem", ""),
                    _ => tls(abc(n), "acme.pem", ""),
                },
                "127.0.0.1",
            ),
        )
        .copy("{P}-b-cert.pem", "node-b/cert.pem")
        .copy("{P}-b-key.pem", "node-b/key.pem")
        .replace("{P}-b-cert.pem", "node-s/cert.pem")
        .replace("{P}-b-key.pem", "node-s/key.pem")
        .expect("route", "na", "nb", "one-way")
        .expect("route", "na", "nc", "ok"),
        scenario(
            "certificate replaced by one from a foreign CA",
            full(
                &|n| match n {
                    "nb" => tls_files("{P}-b-cert.pem", "{P}-b-key.pem", "acme.pem", ""),
                    _ => tls(abc(n), "acme.pem", ""),
                },
                "127.0.0.1",
            ),
        )
        .copy("{P}-b-cert.pem", "node-b/cert.pem")
        .copy("{P}-b-key.pem", "node-b/key.pem")
        .replace("{P}-b-cert.pem", "node-f/cert.pem")
        .replace("{P}-b-key.pem", "node-f/key.pem")
        .expect("route", "na", "nb", "broken")
        .expect("route", "na", "nc", "ok"),
        scenario(
            "a node without cluster TLS",
            full(
                &|n| match n {
                    "nb" => String::new(),
                    _ => tls(abc(n), "acme.pem", ""),
                },
                "127.0.0.1",
            ),
        )
        .expect("route", "na", "nb", "broken")
        .expect("route", "na", "nc", "ok"),
        scenario(
            "a node whose cluster TLS has no ca_file",
            full(
                &|n| match n {
                    "nb" => tls(abc(n), "", ""),
                    _ => tls(abc(n), "acme.pem", ""),
                },
                "127.0.0.1",
            ),
        )
        .expect("route", "na", "nb", "broken")
        .expect("route", "na", "nc", "ok"),
        scenario(
            "two clusters joined by gateways",
            vec![
                (
                    "e1",
                    named_cluster("EAST", &["127.0.0.1:e2"], &tls("node-a", "acme.pem", ""))
                        + &gw("EAST", &west(""), &tls("node-a", "acme.pem", "")),
                ),
                (
                    "e2",
                    named_cluster("EAST", &["127.0.0.1:e1"], &tls("node-c", "acme.pem", ""))
                        + &gw("EAST", &west(""), &tls("node-c", "acme.pem", "")),
                ),
                ("w1", gw("WEST", "", &tls("node-b", "acme.pem", ""))),
            ],
        )
        .expect("route", "e1", "e2", "ok")
        .expect("gateway", "e1", "w1", "ok")
        .expect("gateway", "e2", "w1", "ok"),
        scenario(
            "a gateway whose certificate is server-only",
            vec![
                ("e1", gw("EAST", &west(""), &tls("node-a", "acme.pem", ""))),
                ("w1", gw("WEST", "", &tls("node-s", "acme.pem", ""))),
            ],
        )
        .expect("gateway", "e1", "w1", "broken"),
        scenario(
            "a remote gateway's own tls block dials with a dual-use certificate",
            vec![
                (
                    "e1",
                    gw(
                        "EAST",
                        &west(&tls("node-a", "acme.pem", "")),
                        &tls("node-s", "acme.pem", ""),
                    ),
                ),
                ("w1", gw("WEST", "", &tls("node-b", "acme.pem", ""))),
            ],
        )
        .expect("gateway", "e1", "w1", "ok"),
        scenario(
            "a hub and a leaf",
            vec![
                ("hub", hub_leaf("")),
                (
                    "leaf",
                    format!(
                        "leafnodes {{\n remotes: [ {{ {} }} ]\n}}\n",
                        remote(&tls("node-b", "acme.pem", ""))
                    ),
                ),
            ],
        )
        .expect("leafnode", "leaf", "hub", "ok"),
        scenario(
            "a leaf remote without its own tls block",
            vec![
                ("hub", hub_leaf("")),
                (
                    "leaf",
                    format!(
                        "leafnodes {{\n remotes: [ {{ {} }} ]\n {}\n}}\n",
                        remote(""),
                        tls("node-b", "acme.pem", "")
                    ),
                ),
            ],
        )
        .expect("leafnode", "leaf", "hub", "broken"),
        scenario(
            "a hub's pin of the leaf after the leaf's rekey",
            vec![
                ("hub", hub_leaf(&pinned(&["node-c"]))),
                (
                    "leaf",
                    format!(
                        "leafnodes {{\n remotes: [ {{ {} }} ]\n}}\n",
                        remote(&tls_files(
                            "{P}-l-cert.pem",
                            "{P}-l-key.pem",
                            "acme.pem",
                            ""
                        ))
                    ),
                ),
            ],
        )
        .copy("{P}-l-cert.pem", "node-c/cert.pem")
        .copy("{P}-l-key.pem", "node-c/key.pem")
        .replace("{P}-l-cert.pem", "node-c-rekeyed/cert.pem")
        .replace("{P}-l-key.pem", "node-c-rekeyed/key.pem")
        .expect("leafnode", "leaf", "hub", "broken"),
    ]
}

#[test]
fn interop_nats_check_verdicts_match_real_fleets_on_both_releases() {
    if !enabled() {
        return;
    }
    let sb = Sandbox::new();
    let pins = pki(&sb);
    let list = scenarios(&pins);
    assert!(list.len() >= 20, "{} scenarios", list.len());
    let bins = nats_binaries();
    let work: Vec<(usize, &NatsBinary)> = bins
        .iter()
        .flat_map(|b| (0..list.len()).map(move |i| (i, b)))
        .collect();
    let queue = Mutex::new(work.into_iter());
    let failures = Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| {
                loop {
                    let next = queue.lock().unwrap().next();
                    let Some((i, bin)) = next else { break };
                    if let Err(e) = run(&sb, bin, i, &list[i]) {
                        failures.lock().unwrap().push(e);
                    }
                }
            });
        }
    });
    let failures = failures.into_inner().unwrap();
    assert!(
        failures.is_empty(),
        "{} of {} scenario runs disagree:\n{}",
        failures.len(),
        list.len() * bins.len(),
        failures.join("\n=====\n")
    );
}
