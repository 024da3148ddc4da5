//! Finding a fleet's TLS endpoints from nats-server monitoring ports
//! (`http: HOST:8222`): a plain HTTP/1.0 GET over a TcpStream, bounded in
//! time (the probe's deadline) and size, for `/varz`, `/gatewayz` and
//! `/leafz`.
//!
//! Where addresses come from, as nats-server 2.9.10 and 2.15.1 report them:
//! `/varz` names this node's client (`host`, `port`), route (`cluster.addr`,
//! `cluster_port`), gateway and leafnode listeners, every cluster member's
//! client address (`connect_urls`, gossiped) and the configured routes
//! (`cluster.urls`); `/gatewayz` the remote gateways this node dialled
//! (`outbound_gateways`); `/leafz` the hubs this node dialled as a leaf
//! (`is_spoke: false`). `/routez` is not used for addresses: the port of a
//! route connection is often the dialling side's ephemeral port (both
//! releases report `did_solicit: true` for such entries).

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use serde::Serialize;
use serde_json::Value;

use super::timed::{Deadline, Timed};

/// The most bytes read from one monitoring page.
const MAX_PAGE: usize = 8 * 1024 * 1024;

/// One endpoint found, and where.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Found {
    pub address: String,
    /// e.g. "n1 /varz cluster".
    pub source: String,
}

/// A monitoring URL split: host and port (`http://HOST:PORT[/]` only).
pub fn parse_url(url: &str) -> Option<(String, u16)> {
    let rest = url.strip_prefix("http://")?;
    let hostport = rest.split('/').next()?;
    let (host, port) = match hostport.rsplit_once(':') {
        Some((h, p)) if !h.ends_with(']') || h.starts_with('[') => (h, p.parse().ok()?),
        _ => (hostport, 80),
    };
    let host = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host);
    (!host.is_empty() && port != 0).then(|| (host.to_owned(), port))
}

/// GETs `path` from the monitoring port and parses the JSON body.
fn get_json(host: &str, port: u16, path: &str, deadline: Deadline) -> Result<Value, String> {
    let timeout = deadline.total();
    let addrs = super::resolve_within(host, port, deadline)?;
    let addr = addrs
        .first()
        .ok_or_else(|| format!("no address for {host}"))?;
    let left = deadline
        .left()
        .ok_or_else(|| format!("no answer within {:.1}s", timeout.as_secs_f64()))?;
    let tcp = TcpStream::connect_timeout(addr, left).map_err(|e| e.to_string())?;
    let mut stream = Timed::new(tcp, deadline);
    let host_header = if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    };
    let request = format!(
        "GET {path} HTTP/1.0\r\nHost: {host_header}\r\nUser-Agent: tlsctl-probe\r\nAccept: application/json\r\n\r\n"
    );
    stream
        .write_all(request.as_bytes())
        .map_err(|e| e.to_string())?;
    // Read to the end (HTTP/1.0); a reset after the answer came still
    // leaves the answer to judge.
    let mut body = Vec::new();
    let mut buf = [0u8; 16 * 1024];
    while body.len() <= MAX_PAGE {
        match stream.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => body.extend_from_slice(buf.get(..n).unwrap_or_default()),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) if super::timed::is_timeout(&e) => {
                return Err(format!(
                    "no complete answer within {:.1}s",
                    timeout.as_secs_f64()
                ));
            }
            Err(_) if !body.is_empty() => break,
            Err(e) => return Err(e.to_string()),
        }
    }
    if body.len() > MAX_PAGE {
        return Err(format!("{path} is larger than {MAX_PAGE} bytes"));
    }
    let split = memchr::memmem::find(&body, b"\r\n\r\n").ok_or("not an HTTP answer")?;
    let (head, rest) = body.split_at(split);
    let status = head
        .split(|&b| b == b'\n')
        .next()
        .map(|l| String::from_utf8_lossy(l).trim().to_owned())
        .unwrap_or_default();
    if !status.starts_with("HTTP/") {
        return Err("not an HTTP answer".to_owned());
    }
    if status.split_whitespace().nth(1) != Some("200") {
        return Err(format!("{path}: {}", super::escape(&status)));
    }
    serde_json::from_slice(rest.get(4..).unwrap_or_default())
        .map_err(|e| format!("{path}: not JSON ({e})"))
}

/// `host:port`, with a wildcard listen host replaced by the host the
/// monitoring URL named.
fn join(host: &str, port: u64, fallback: &str) -> Option<String> {
    let port = u16::try_from(port).ok().filter(|p| *p != 0)?;
    let host = match host {
        "" | "0.0.0.0" | "::" | "[::]" => fallback,
        h => h,
    };
    Some(if host.contains(':') && !host.starts_with('[') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    })
}

/// `host:port` from a URL or address string (`nats-route://h:p`, `h:p`).
fn from_url(url: &str, fallback: &str) -> Option<String> {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let rest = rest.rsplit_once('@').map_or(rest, |(_, r)| r);
    let rest = rest.split('/').next()?;
    let (host, port) = rest.rsplit_once(':')?;
    join(
        host.trim_start_matches('[').trim_end_matches(']'),
        port.parse().ok()?,
        fallback,
    )
}

/// The endpoints a `/varz` page names.
pub fn from_varz(varz: &Value, fallback: &str) -> Vec<Found> {
    let name = varz["server_name"].as_str().unwrap_or("?");
    let mut found = Vec::new();
    let mut add = |address: Option<String>, what: &str| {
        if let Some(address) = address {
            found.push(Found {
                address,
                source: format!("{} /varz {what}", super::escape(name)),
            });
        }
    };
    let text = |v: &Value| v.as_str().unwrap_or_default().to_owned();
    add(
        join(
            &text(&varz["host"]),
            varz["port"].as_u64().unwrap_or(0),
            fallback,
        ),
        "client",
    );
    for url in varz["connect_urls"].as_array().into_iter().flatten() {
        add(from_url(&text(url), fallback), "connect_urls");
    }
    let cluster = &varz["cluster"];
    add(
        join(
            &text(&cluster["addr"]),
            cluster["cluster_port"].as_u64().unwrap_or(0),
            fallback,
        ),
        "cluster",
    );
    for url in cluster["urls"].as_array().into_iter().flatten() {
        add(from_url(&text(url), fallback), "cluster.urls");
    }
    let gateway = &varz["gateway"];
    add(
        join(
            &text(&gateway["host"]),
            gateway["port"].as_u64().unwrap_or(0),
            fallback,
        ),
        "gateway",
    );
    for gw in gateway["gateways"].as_array().into_iter().flatten() {
        for url in gw["urls"].as_array().into_iter().flatten() {
            add(from_url(&text(url), fallback), "gateway.gateways");
        }
    }
    let leaf = &varz["leaf"];
    add(
        join(
            &text(&leaf["host"]),
            leaf["port"].as_u64().unwrap_or(0),
            fallback,
        ),
        "leaf",
    );
    found
}

/// The remote gateways a `/gatewayz` page says this node dialled.
pub fn from_gatewayz(gatewayz: &Value, fallback: &str) -> Vec<Found> {
    let mut found = Vec::new();
    for (name, gw) in gatewayz["outbound_gateways"]
        .as_object()
        .into_iter()
        .flatten()
    {
        let conn = &gw["connection"];
        if let Some(address) = join(
            conn["ip"].as_str().unwrap_or_default(),
            conn["port"].as_u64().unwrap_or(0),
            fallback,
        ) {
            found.push(Found {
                address,
                source: format!("/gatewayz outbound {}", super::escape(name)),
            });
        }
    }
    found
}

/// The hubs a `/leafz` page says this node dialled (`is_spoke: false`;
/// a spoke's address is its ephemeral port).
pub fn from_leafz(leafz: &Value, fallback: &str) -> Vec<Found> {
    let mut found = Vec::new();
    for leaf in leafz["leafs"].as_array().into_iter().flatten() {
        if leaf["is_spoke"].as_bool() != Some(false) {
            continue;
        }
        if let Some(address) = join(
            leaf["ip"].as_str().unwrap_or_default(),
            leaf["port"].as_u64().unwrap_or(0),
            fallback,
        ) {
            found.push(Found {
                address,
                source: "/leafz hub".to_owned(),
            });
        }
    }
    found
}

/// Reads every page of one monitoring URL, all within `timeout`; the endpoints found (each
/// once), or why the monitor could not be read.
pub fn discover(url: &str, timeout: Duration) -> Result<Vec<Found>, String> {
    let (host, port) = parse_url(url).ok_or_else(|| {
        format!(
            "{}: not an http://HOST:PORT monitoring URL",
            super::escape(url)
        )
    })?;
    let deadline = Deadline::new(timeout);
    let varz = get_json(&host, port, "/varz", deadline)?;
    let mut found = from_varz(&varz, &host);
    // Optional pages: a node without gateways or leafnodes still answers;
    // a failure here loses only what that page would add.
    if let Ok(gatewayz) = get_json(&host, port, "/gatewayz", deadline) {
        found.extend(from_gatewayz(&gatewayz, &host));
    }
    if let Ok(leafz) = get_json(&host, port, "/leafz", deadline) {
        found.extend(from_leafz(&leafz, &host));
    }
    let mut seen = std::collections::HashSet::new();
    found.retain(|f| seen.insert(f.address.clone()));
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varz_names_every_listener_and_the_cluster_members() {
        // The shape nats-server 2.15.1 gave for n1 of a 3-node cluster.
        let varz: Value = serde_json::from_str(
            r#"{"server_name":"n1","host":"0.0.0.0","port":14221,
                "connect_urls":["127.0.0.1:14221","127.0.0.1:14223","127.0.0.1:14222"],
                "cluster":{"name":"C1","addr":"127.0.0.1","cluster_port":16221,
                           "urls":["127.0.0.1:16221","127.0.0.1:16222","127.0.0.1:16223"]},
                "gateway":{},"leaf":{"host":"127.0.0.1","port":17421}}"#,
        )
        .unwrap();
        let found: Vec<String> = from_varz(&varz, "10.1.1.1")
            .into_iter()
            .map(|f| f.address)
            .collect();
        assert_eq!(
            found,
            [
                "10.1.1.1:14221",
                "127.0.0.1:14221",
                "127.0.0.1:14223",
                "127.0.0.1:14222",
                "127.0.0.1:16221",
                "127.0.0.1:16221",
                "127.0.0.1:16222",
                "127.0.0.1:16223",
                "127.0.0.1:17421",
            ]
        );
        assert_eq!(
            from_url("nats-route://u:p@h.example:6222", "x"),
            Some("h.example:6222".into())
        );
        assert_eq!(join("::1", 4222, "x"), Some("[::1]:4222".into()));
    }

    #[test]
    fn gatewayz_and_leafz_give_only_dialled_listeners() {
        let gatewayz: Value = serde_json::from_str(
            r#"{"outbound_gateways":{"B":{"connection":{"ip":"127.0.0.1","port":7222}}},
                "inbound_gateways":{"C":[{"connection":{"ip":"127.0.0.1","port":45000}}]}}"#,
        )
        .unwrap();
        assert_eq!(from_gatewayz(&gatewayz, "x")[0].address, "127.0.0.1:7222");
        assert_eq!(from_gatewayz(&gatewayz, "x").len(), 1);
        let leafz: Value = serde_json::from_str(
            r#"{"leafs":[{"ip":"127.0.0.1","port":7422,"is_spoke":false},
                         {"ip":"127.0.0.1","port":51000,"is_spoke":true},
                         {"ip":"127.0.0.1","port":52000}]}"#,
        )
        .unwrap();
        let hubs = from_leafz(&leafz, "x");
        assert_eq!(hubs.len(), 1);
        assert_eq!(hubs[0].address, "127.0.0.1:7422");
    }

    #[test]
    fn monitoring_urls_are_plain_http_host_and_port() {
        assert_eq!(
            parse_url("http://127.0.0.1:8222"),
            Some(("127.0.0.1".into(), 8222))
        );
        assert_eq!(
            parse_url("http://n1.example:8222/"),
            Some(("n1.example".into(), 8222))
        );
        assert_eq!(parse_url("http://[::1]:8222"), Some(("::1".into(), 8222)));
        assert_eq!(
            parse_url("http://n1.example"),
            Some(("n1.example".into(), 80))
        );
        assert_eq!(parse_url("https://n1:8222"), None);
        assert_eq!(parse_url("n1:8222"), None);
    }
}
