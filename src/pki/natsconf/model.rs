//! The typed node model `nats check` works on: from a parsed [`Config`],
//! the blocks nats-server's `opts.go` reads for TLS and for who connects to
//! whom (server_name, listen addresses, `tls`, `cluster`, `gateway`,
//! `leafnodes`, `websocket`, `mqtt`, user names), every value with its
//! position, and [`Finding`]s for what nats-server itself refuses in a TLS
//! block or ignores there.
//!
//! Option names are matched case-insensitively with opts.go's aliases
//! (`host`/`net`, `leafnodes`/`leaf`, `websocket`/`ws`, `user`/`username`,
//! `handshake_first`/`first`/`immediate`, `url`/`urls`...). Relative
//! `cert_file`, `key_file` and `ca_file` paths are opened by nats-server
//! relative to its working directory, not to the config file (checked with
//! 2.9.10 and 2.15.1): [`resolve`] does the same with the directory the
//! caller says the server runs in.

use std::path::{Path, PathBuf};

use serde::Serialize;

use super::{Config, Dialect, Entry, Map, Node, Pos, Value};

/// A value and where it is written.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Located<T> {
    pub value: T,
    #[serde(skip)]
    pub pos: Pos,
}

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    /// nats-server refuses the configuration (or this release of it does).
    Error,
}

/// One thing to tell the operator about a block.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub severity: Severity,
    pub code: &'static str,
    /// Which block: `tls`, `cluster.tls`, `gateway.gateways[1].tls`...
    pub block: String,
    pub message: String,
    #[serde(skip)]
    pub pos: Pos,
}

impl Finding {
    /// `FILE:LINE:COL` of the finding in the configuration it came from.
    pub fn locate(&self, config: &Config) -> String {
        config.locate(self.pos)
    }
}

/// Which TLS block, and so which role the node plays with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TlsContext {
    /// Top-level `tls`: client connections accepted.
    Client,
    /// `cluster.tls`: routes, both dialled and accepted.
    Cluster,
    /// `gateway.tls`: gateways, both ways.
    Gateway,
    /// `gateway.gateways[].tls`: dialling one remote gateway.
    GatewayRemote,
    /// `leafnodes.tls`: leafnode connections accepted.
    Leafnodes,
    /// `leafnodes.remotes[].tls`: dialling a hub.
    LeafnodeRemote,
    Websocket,
    Mqtt,
}

/// `handshake_first`: a boolean, or a string (`auto`, a fallback delay).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HandshakeFirst {
    Off,
    On,
    /// On, falling back to the INFO-first protocol after this delay
    /// (`auto` is 50ms in nats-server).
    Fallback(String),
}

/// A TLS block as opts.go's parseTLS reads it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TlsBlock {
    pub context: TlsContext,
    /// `tls`, `cluster.tls`, `leafnodes.remotes[0].tls`...
    pub name: String,
    #[serde(skip)]
    pub pos: Pos,
    pub cert_file: Option<Located<String>>,
    pub key_file: Option<Located<String>>,
    pub ca_file: Option<Located<String>>,
    pub verify: Option<Located<bool>>,
    pub verify_and_map: Option<Located<bool>>,
    pub verify_cert_and_check_known_urls: Option<Located<bool>>,
    pub insecure: Option<Located<bool>>,
    pub handshake_first: Option<Located<HandshakeFirst>>,
    /// Seconds.
    pub timeout: Option<Located<f64>>,
    /// Lowercased, as nats-server compares them.
    pub pinned_certs: Vec<Located<String>>,
    pub cipher_suites: Vec<Located<String>>,
    pub curve_preferences: Vec<Located<String>>,
    pub allow_insecure_cipher_suites: Option<Located<bool>>,
    pub cert_store: Option<Located<String>>,
    pub cert_match_by: Option<Located<String>>,
    pub cert_match: Option<Located<String>>,
}

impl TlsBlock {
    /// `verify`, or implied by `verify_and_map` /
    /// `verify_cert_and_check_known_urls`.
    pub fn verifies(&self) -> bool {
        let on = |b: &Option<Located<bool>>| b.as_ref().is_some_and(|b| b.value);
        on(&self.verify) || on(&self.verify_and_map) || on(&self.verify_cert_and_check_known_urls)
    }
}

/// Authorization: the single user, and the names of the `users` array.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct AuthBlock {
    pub user: Option<Located<String>>,
    pub users: Vec<Located<String>>,
}

/// Where a block listens: `listen` (host:port or a port), `host`/`net`,
/// `port`, `advertise`.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct Listen {
    pub listen: Option<Located<String>>,
    pub host: Option<Located<String>>,
    pub port: Option<Located<i64>>,
    pub advertise: Option<Located<String>>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClusterBlock {
    #[serde(skip)]
    pub pos: Pos,
    pub name: Option<Located<String>>,
    pub listen: Listen,
    pub routes: Vec<Located<String>>,
    pub authorization: Option<AuthBlock>,
    pub tls: Option<TlsBlock>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RemoteGateway {
    #[serde(skip)]
    pub pos: Pos,
    pub name: Option<Located<String>>,
    pub urls: Vec<Located<String>>,
    pub tls: Option<TlsBlock>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GatewayBlock {
    #[serde(skip)]
    pub pos: Pos,
    pub name: Option<Located<String>>,
    pub listen: Listen,
    pub gateways: Vec<RemoteGateway>,
    pub authorization: Option<AuthBlock>,
    pub tls: Option<TlsBlock>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LeafRemote {
    #[serde(skip)]
    pub pos: Pos,
    pub urls: Vec<Located<String>>,
    pub account: Option<Located<String>>,
    pub credentials: Option<Located<String>>,
    pub tls: Option<TlsBlock>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LeafBlock {
    #[serde(skip)]
    pub pos: Pos,
    pub listen: Listen,
    pub remotes: Vec<LeafRemote>,
    pub authorization: Option<AuthBlock>,
    pub tls: Option<TlsBlock>,
}

/// `websocket` or `mqtt`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ListenerBlock {
    #[serde(skip)]
    pub pos: Pos,
    pub listen: Listen,
    pub tls: Option<TlsBlock>,
}

/// One node's configuration, as far as TLS and connections go.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NodeConfig {
    pub server_name: Option<Located<String>>,
    pub listen: Listen,
    pub tls: Option<TlsBlock>,
    pub cluster: Option<ClusterBlock>,
    pub gateway: Option<GatewayBlock>,
    pub leafnodes: Option<LeafBlock>,
    pub websocket: Option<ListenerBlock>,
    pub mqtt: Option<ListenerBlock>,
    /// Top-level `authorization` (its user and users).
    pub authorization: Option<AuthBlock>,
    /// Users of `accounts { NAME { users: [...] } }`, with the account.
    pub account_users: Vec<(String, Located<String>)>,
    pub findings: Vec<Finding>,
}

impl NodeConfig {
    /// Every TLS block of the node, in the order of the file.
    pub fn tls_blocks(&self) -> Vec<&TlsBlock> {
        let mut out: Vec<&TlsBlock> = Vec::new();
        out.extend(self.tls.as_ref());
        if let Some(c) = &self.cluster {
            out.extend(c.tls.as_ref());
        }
        if let Some(g) = &self.gateway {
            out.extend(g.tls.as_ref());
            out.extend(g.gateways.iter().filter_map(|r| r.tls.as_ref()));
        }
        if let Some(l) = &self.leafnodes {
            out.extend(l.tls.as_ref());
            out.extend(l.remotes.iter().filter_map(|r| r.tls.as_ref()));
        }
        if let Some(w) = &self.websocket {
            out.extend(w.tls.as_ref());
        }
        if let Some(m) = &self.mqtt {
            out.extend(m.tls.as_ref());
        }
        out
    }

    /// Every user name a client certificate could be mapped to
    /// (`verify_and_map`): top-level authorization users and account users.
    pub fn user_names(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        if let Some(a) = &self.authorization {
            out.extend(a.user.iter().map(|u| u.value.as_str()));
            out.extend(a.users.iter().map(|u| u.value.as_str()));
        }
        out.extend(self.account_users.iter().map(|(_, u)| u.value.as_str()));
        out
    }
}

/// Where nats-server opens a `cert_file`, `key_file` or `ca_file`: as
/// written when absolute, else under the server's working directory.
pub fn resolve(path: &str, server_cwd: &Path) -> PathBuf {
    let p = Path::new(path);
    if p.is_absolute() {
        p.to_path_buf()
    } else {
        server_cwd.join(p)
    }
}

/// Cipher suite names nats-server 2.9.10 knows (Go 1.19's names; checked
/// against the binary).
const CIPHERS_2_9: &[&str] = &[
    "TLS_RSA_WITH_RC4_128_SHA",
    "TLS_RSA_WITH_3DES_EDE_CBC_SHA",
    "TLS_RSA_WITH_AES_128_CBC_SHA",
    "TLS_RSA_WITH_AES_256_CBC_SHA",
    "TLS_RSA_WITH_AES_128_CBC_SHA256",
    "TLS_RSA_WITH_AES_256_GCM_SHA384",
    "TLS_ECDHE_ECDSA_WITH_RC4_128_SHA",
    "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",
    "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
    "TLS_ECDHE_RSA_WITH_RC4_128_SHA",
    "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA",
    "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
    "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
    "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256",
    "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256",
    "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
    "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
    "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
    "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
    "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305",
    "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305",
    "TLS_AES_128_GCM_SHA256",
    "TLS_AES_256_GCM_SHA384",
    "TLS_CHACHA20_POLY1305_SHA256",
];

/// Cipher suites nats-server 2.15.1 takes without
/// `allow_insecure_cipher_suites`.
const CIPHERS_2_15: &[&str] = &[
    "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",
    "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
    "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
    "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
    "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
    "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
    "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
    "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
    "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
    "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
    "TLS_AES_128_GCM_SHA256",
    "TLS_AES_256_GCM_SHA384",
    "TLS_CHACHA20_POLY1305_SHA256",
];

/// ... and the ones 2.15.1 takes only with `allow_insecure_cipher_suites`.
const CIPHERS_2_15_INSECURE: &[&str] = &[
    "TLS_RSA_WITH_RC4_128_SHA",
    "TLS_RSA_WITH_3DES_EDE_CBC_SHA",
    "TLS_RSA_WITH_AES_128_CBC_SHA",
    "TLS_RSA_WITH_AES_256_CBC_SHA",
    "TLS_RSA_WITH_AES_128_CBC_SHA256",
    "TLS_RSA_WITH_AES_128_GCM_SHA256",
    "TLS_RSA_WITH_AES_256_GCM_SHA384",
    "TLS_ECDHE_ECDSA_WITH_RC4_128_SHA",
    "TLS_ECDHE_RSA_WITH_RC4_128_SHA",
    "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA",
    "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256",
    "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256",
];

const CURVES_2_9: &[&str] = &["X25519", "CurveP256", "CurveP384", "CurveP521"];
const CURVES_2_15: &[&str] = &[
    "X25519",
    "CurveP256",
    "CurveP384",
    "CurveP521",
    "X25519MLKEM768",
    "SecP256r1MLKEM768",
    "SecP384r1MLKEM1024",
];

/// TLS options 2.9.10 knows; anything else it refuses as an unknown field.
const TLS_FIELDS_2_9: &[&str] = &[
    "cert_file",
    "key_file",
    "ca_file",
    "verify",
    "verify_and_map",
    "verify_cert_and_check_known_urls",
    "insecure",
    "cipher_suites",
    "curve_preferences",
    "timeout",
    "pinned_certs",
    "connection_rate_limit",
];

/// ... and what 2.15.1 knows besides.
const TLS_FIELDS_2_15_MORE: &[&str] = &[
    "handshake_first",
    "first",
    "immediate",
    "cert_store",
    "cert_match_by",
    "cert_match",
    "cert_match_skip_invalid",
    "ca_certs_match",
    "certs",
    "certificates",
    "min_version",
    "ocsp_peer",
    "allow_insecure_cipher_suites",
];

/// Builds the model of one node, with the findings about its TLS blocks.
pub fn node(config: &Config, dialect: Dialect) -> NodeConfig {
    let mut b = Builder {
        dialect,
        findings: Vec::new(),
    };
    let root = &config.root;
    let mut n = NodeConfig {
        server_name: b.string(root, &["server_name"], "server_name"),
        listen: b.listen(root, ""),
        tls: None,
        cluster: None,
        gateway: None,
        leafnodes: None,
        websocket: None,
        mqtt: None,
        authorization: None,
        account_users: Vec::new(),
        findings: Vec::new(),
    };
    n.tls = b.tls_at(root, "tls", TlsContext::Client);
    if let Some((m, pos)) = b.map(root, &["cluster"], "cluster") {
        n.cluster = Some(ClusterBlock {
            pos,
            name: b.string(m, &["name"], "cluster.name"),
            listen: b.listen(m, "cluster."),
            routes: b.strings(m, &["routes"], "cluster.routes"),
            authorization: b.auth(m, "cluster.authorization"),
            tls: b.tls_at(m, "cluster.tls", TlsContext::Cluster),
        });
    }
    if let Some((m, pos)) = b.map(root, &["gateway"], "gateway") {
        let mut gateways = Vec::new();
        for (i, node) in b
            .array(m, &["gateways"], "gateway.gateways")
            .iter()
            .enumerate()
        {
            let name = format!("gateway.gateways[{i}]");
            let Some(g) = b.expect_map(node, &name) else {
                continue;
            };
            let mut urls = b.strings(g, &["urls"], &format!("{name}.urls"));
            if let Some(u) = b.string(g, &["url"], &format!("{name}.url")) {
                urls.insert(0, u);
            }
            gateways.push(RemoteGateway {
                pos: node.pos,
                name: b.string(g, &["name"], &format!("{name}.name")),
                urls,
                tls: b.tls_at(g, &format!("{name}.tls"), TlsContext::GatewayRemote),
            });
        }
        n.gateway = Some(GatewayBlock {
            pos,
            name: b.string(m, &["name"], "gateway.name"),
            listen: b.listen(m, "gateway."),
            gateways,
            authorization: b.auth(m, "gateway.authorization"),
            tls: b.tls_at(m, "gateway.tls", TlsContext::Gateway),
        });
    }
    if let Some((m, pos)) = b.map(root, &["leafnodes", "leaf"], "leafnodes") {
        let tls = b.tls_at(m, "leafnodes.tls", TlsContext::Leafnodes);
        let mut remotes = Vec::new();
        for (i, node) in b
            .array(m, &["remotes"], "leafnodes.remotes")
            .iter()
            .enumerate()
        {
            let name = format!("leafnodes.remotes[{i}]");
            let Some(r) = b.expect_map(node, &name) else {
                continue;
            };
            let mut urls = b.strings(r, &["urls"], &format!("{name}.urls"));
            if let Some(u) = b.string(r, &["url"], &format!("{name}.url")) {
                urls.insert(0, u);
            }
            let remote = LeafRemote {
                pos: node.pos,
                urls,
                account: b.string(r, &["account", "local"], &format!("{name}.account")),
                credentials: b.string(r, &["credentials", "creds"], &format!("{name}.credentials")),
                tls: b.tls_at(r, &format!("{name}.tls"), TlsContext::LeafnodeRemote),
            };
            if remote.tls.is_none() && tls.is_some() {
                b.push(
                    Severity::Warning,
                    "leaf-remote-without-tls",
                    &name,
                    node.pos,
                    "this remote has no `tls` block of its own: `leafnodes.tls` applies only to \
                     the leafnode connections this node accepts, so the remote dials without its \
                     ca_file and certificate; add `tls { ... }` inside the remote"
                        .to_string(),
                );
            }
            remotes.push(remote);
        }
        n.leafnodes = Some(LeafBlock {
            pos,
            listen: b.listen(m, "leafnodes."),
            remotes,
            authorization: b.auth(m, "leafnodes.authorization"),
            tls,
        });
    }
    for (keys, name, ctx) in [
        (&["websocket", "ws"][..], "websocket", TlsContext::Websocket),
        (&["mqtt"][..], "mqtt", TlsContext::Mqtt),
    ] {
        if let Some((m, pos)) = b.map(root, keys, name) {
            let block = ListenerBlock {
                pos,
                listen: b.listen(m, &format!("{name}.")),
                tls: b.tls_at(m, &format!("{name}.tls"), ctx),
            };
            if ctx == TlsContext::Websocket {
                n.websocket = Some(block);
            } else {
                n.mqtt = Some(block);
            }
        }
    }
    n.authorization = b.auth(root, "authorization");
    n.account_users = b.account_users(root);
    n.findings = b.findings;
    n
}

struct Builder {
    dialect: Dialect,
    findings: Vec<Finding>,
}

fn lookup<'m>(map: &'m Map, keys: &[&str]) -> Option<&'m Entry> {
    map.entries()
        .iter()
        .rev()
        .find(|e| keys.iter().any(|k| e.key.eq_ignore_ascii_case(k)))
}

impl Builder {
    fn push(
        &mut self,
        severity: Severity,
        code: &'static str,
        block: &str,
        pos: Pos,
        message: String,
    ) {
        self.findings.push(Finding {
            severity,
            code,
            block: block.to_string(),
            message,
            pos,
        });
    }

    fn wrong_type(&mut self, name: &str, want: &str, node: &Node) {
        self.push(
            Severity::Error,
            "wrong-type",
            name,
            node.pos,
            format!("`{name}` must be {want}, found {}", node.value.kind()),
        );
    }

    fn string(&mut self, map: &Map, keys: &[&str], name: &str) -> Option<Located<String>> {
        let e = lookup(map, keys)?;
        match &e.value.value {
            Value::String(s) => Some(Located {
                value: s.clone(),
                pos: e.value.pos,
            }),
            _ => {
                self.wrong_type(name, "a string", &e.value);
                None
            }
        }
    }

    fn boolean(&mut self, map: &Map, keys: &[&str], name: &str) -> Option<Located<bool>> {
        let e = lookup(map, keys)?;
        match &e.value.value {
            Value::Bool(b) => Some(Located {
                value: *b,
                pos: e.value.pos,
            }),
            _ => {
                self.wrong_type(name, "a boolean", &e.value);
                None
            }
        }
    }

    fn map<'m>(&mut self, map: &'m Map, keys: &[&str], name: &str) -> Option<(&'m Map, Pos)> {
        let e = lookup(map, keys)?;
        self.expect_map(&e.value, name).map(|m| (m, e.value.pos))
    }

    fn expect_map<'m>(&mut self, node: &'m Node, name: &str) -> Option<&'m Map> {
        match &node.value {
            Value::Map(m) => Some(m),
            _ => {
                self.wrong_type(name, "a map", node);
                None
            }
        }
    }

    fn array<'m>(&mut self, map: &'m Map, keys: &[&str], name: &str) -> &'m [Node] {
        match lookup(map, keys) {
            None => &[],
            Some(e) => match &e.value.value {
                Value::Array(a) => a,
                _ => {
                    self.wrong_type(name, "an array", &e.value);
                    &[]
                }
            },
        }
    }

    /// An array of strings, or (as opts.go takes for routes and urls) one
    /// string.
    fn strings(&mut self, map: &Map, keys: &[&str], name: &str) -> Vec<Located<String>> {
        let Some(e) = lookup(map, keys) else {
            return Vec::new();
        };
        match &e.value.value {
            Value::String(s) => vec![Located {
                value: s.clone(),
                pos: e.value.pos,
            }],
            Value::Array(a) => {
                let mut out = Vec::new();
                for n in a.iter() {
                    match &n.value {
                        Value::String(s) => out.push(Located {
                            value: s.clone(),
                            pos: n.pos,
                        }),
                        _ => self.wrong_type(name, "an array of strings", n),
                    }
                }
                out
            }
            _ => {
                self.wrong_type(name, "an array of strings", &e.value);
                Vec::new()
            }
        }
    }

    fn listen(&mut self, map: &Map, prefix: &str) -> Listen {
        let listen = lookup(map, &["listen"]).and_then(|e| match &e.value.value {
            Value::String(s) => Some(Located {
                value: s.clone(),
                pos: e.value.pos,
            }),
            Value::Integer(i) => Some(Located {
                value: i.to_string(),
                pos: e.value.pos,
            }),
            _ => {
                self.wrong_type(&format!("{prefix}listen"), "host:port or a port", &e.value);
                None
            }
        });
        let port = lookup(map, &["port"]).and_then(|e| match &e.value.value {
            Value::Integer(i) => Some(Located {
                value: *i,
                pos: e.value.pos,
            }),
            _ => {
                self.wrong_type(&format!("{prefix}port"), "an integer", &e.value);
                None
            }
        });
        Listen {
            listen,
            host: self.string(map, &["host", "net"], &format!("{prefix}host")),
            port,
            advertise: self.string(
                map,
                &["advertise", "cluster_advertise"],
                &format!("{prefix}advertise"),
            ),
        }
    }

    fn auth(&mut self, map: &Map, name: &str) -> Option<AuthBlock> {
        let (m, _) = self.map(map, &["authorization"], name)?;
        let mut block = AuthBlock {
            user: self.string(m, &["user", "username"], &format!("{name}.user")),
            users: Vec::new(),
        };
        block.users = self.user_list(m, &format!("{name}.users"));
        Some(block)
    }

    fn user_list(&mut self, map: &Map, name: &str) -> Vec<Located<String>> {
        let mut out = Vec::new();
        for (i, node) in self.array(map, &["users"], name).iter().enumerate() {
            if let Value::Map(u) = &node.value
                && let Some(n) = self.string(u, &["user", "username"], &format!("{name}[{i}].user"))
            {
                out.push(n);
            }
        }
        out
    }

    fn account_users(&mut self, root: &Map) -> Vec<(String, Located<String>)> {
        let Some((accounts, _)) = self.map(root, &["accounts"], "accounts") else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for e in accounts.entries() {
            if let Value::Map(acc) = &e.value.value {
                for u in self.user_list(acc, &format!("accounts.{}.users", e.key)) {
                    out.push((e.key.clone(), u));
                }
            }
        }
        out
    }

    fn tls_at(&mut self, map: &Map, name: &str, context: TlsContext) -> Option<TlsBlock> {
        let e = lookup(map, &["tls"])?;
        let m = self.expect_map(&e.value, name)?;
        Some(self.tls(m, e.value.pos, name, context))
    }

    #[allow(clippy::too_many_lines)]
    fn tls(&mut self, m: &Map, pos: Pos, name: &str, context: TlsContext) -> TlsBlock {
        let field = |f: &str| format!("{name}.{f}");
        for e in m.entries() {
            let key = e.key.to_ascii_lowercase();
            let known_2_9 = TLS_FIELDS_2_9.contains(&key.as_str());
            let known_2_15 = known_2_9 || TLS_FIELDS_2_15_MORE.contains(&key.as_str());
            if !known_2_15 {
                self.push(
                    Severity::Error,
                    "tls-unknown-field",
                    name,
                    e.key_pos,
                    format!("nats-server refuses the unknown TLS option `{}`", e.key),
                );
            } else if !known_2_9 {
                let (severity, message) = match self.dialect {
                    Dialect::V2_9 => (
                        Severity::Error,
                        format!(
                            "nats-server 2.9 refuses `{}` (unknown field); it needs 2.10 or later",
                            e.key
                        ),
                    ),
                    Dialect::V2_15 => (
                        Severity::Info,
                        format!(
                            "`{}` needs nats-server 2.10 or later: 2.9 refuses this block",
                            e.key
                        ),
                    ),
                };
                self.push(severity, "tls-option-too-new", name, e.key_pos, message);
            }
        }
        let mut block = TlsBlock {
            context,
            name: name.to_string(),
            pos,
            cert_file: self.string(m, &["cert_file"], &field("cert_file")),
            key_file: self.string(m, &["key_file"], &field("key_file")),
            ca_file: self.string(m, &["ca_file"], &field("ca_file")),
            verify: self.boolean(m, &["verify"], &field("verify")),
            verify_and_map: self.boolean(m, &["verify_and_map"], &field("verify_and_map")),
            verify_cert_and_check_known_urls: self.boolean(
                m,
                &["verify_cert_and_check_known_urls"],
                &field("verify_cert_and_check_known_urls"),
            ),
            insecure: self.boolean(m, &["insecure"], &field("insecure")),
            handshake_first: None,
            timeout: None,
            pinned_certs: Vec::new(),
            cipher_suites: Vec::new(),
            curve_preferences: Vec::new(),
            allow_insecure_cipher_suites: self.boolean(
                m,
                &["allow_insecure_cipher_suites"],
                &field("allow_insecure_cipher_suites"),
            ),
            cert_store: self.string(m, &["cert_store"], &field("cert_store")),
            cert_match_by: self.string(m, &["cert_match_by"], &field("cert_match_by")),
            cert_match: self.string(m, &["cert_match"], &field("cert_match")),
        };

        if let Some(e) = lookup(m, &["handshake_first", "first", "immediate"]) {
            let hf = match &e.value.value {
                Value::Bool(true) => Some(HandshakeFirst::On),
                Value::Bool(false) => Some(HandshakeFirst::Off),
                Value::String(s) => match s.to_ascii_lowercase().as_str() {
                    "true" | "on" => Some(HandshakeFirst::On),
                    "false" | "off" => Some(HandshakeFirst::Off),
                    "auto" | "auto_fallback" => Some(HandshakeFirst::Fallback("50ms".into())),
                    other if go_duration(other).is_some() => {
                        Some(HandshakeFirst::Fallback(s.clone()))
                    }
                    _ => {
                        self.push(
                            Severity::Error,
                            "handshake-first-invalid",
                            name,
                            e.value.pos,
                            format!(
                                "`{}: {s}` is refused: give true, false, auto or a duration such as 50ms",
                                e.key
                            ),
                        );
                        None
                    }
                },
                _ => {
                    self.wrong_type(&field(&e.key), "a boolean or a string", &e.value);
                    None
                }
            };
            block.handshake_first = hf.map(|value| Located {
                value,
                pos: e.value.pos,
            });
        }
        if let Some(hf) = &block.handshake_first
            && hf.value != HandshakeFirst::Off
        {
            let (severity, message) = match context {
                TlsContext::Leafnodes | TlsContext::LeafnodeRemote => (
                    Severity::Info,
                    "handshake_first on leafnode connections needs nats-server 2.10.0 or later on both sides".to_string(),
                ),
                TlsContext::Client => (
                    Severity::Info,
                    "handshake_first for clients needs nats-server 2.10.4 or later, and clients that do the TLS handshake first".to_string(),
                ),
                _ => (
                    Severity::Warning,
                    "nats-server takes handshake_first here but uses it only for client and leafnode connections".to_string(),
                ),
            };
            self.push(severity, "handshake-first", name, hf.pos, message);
        }

        if let Some(e) = lookup(m, &["timeout"]) {
            let secs = match &e.value.value {
                Value::Integer(i) => Some(*i as f64),
                Value::Float(f) => Some(*f),
                Value::String(s) => match go_duration(s) {
                    Some(d) => Some(d),
                    None => {
                        self.push(
                            Severity::Error,
                            "tls-timeout-invalid",
                            name,
                            e.value.pos,
                            format!("TLS `timeout: {s}` is not a duration (2s, 500ms) nor a number of seconds"),
                        );
                        None
                    }
                },
                _ => {
                    self.wrong_type(
                        &field("timeout"),
                        "a number of seconds or a duration",
                        &e.value,
                    );
                    None
                }
            };
            block.timeout = secs.map(|value| Located {
                value,
                pos: e.value.pos,
            });
        }

        block.pinned_certs = self
            .strings(m, &["pinned_certs"], &field("pinned_certs"))
            .into_iter()
            .map(|p| Located {
                value: p.value.to_ascii_lowercase(),
                pos: p.pos,
            })
            .collect();
        for p in &block.pinned_certs {
            if p.value.len() != 64 || !p.value.bytes().all(|b| b.is_ascii_hexdigit()) {
                self.findings.push(Finding {
                    severity: Severity::Error,
                    code: "pin-not-sha256",
                    block: name.to_string(),
                    message: format!(
                        "nats-server refuses the pin `{}`: a pinned_certs entry is the 64 hex digits of the SHA-256 of a certificate's SubjectPublicKeyInfo (tlsctl pin CERT)",
                        p.value
                    ),
                    pos: p.pos,
                });
            }
        }

        block.cipher_suites = self.strings(m, &["cipher_suites"], &field("cipher_suites"));
        if lookup(m, &["cipher_suites"])
            .is_some_and(|e| e.value.as_array().is_some_and(<[Node]>::is_empty))
        {
            self.push(
                Severity::Error,
                "cipher-suites-empty",
                name,
                pos,
                "`cipher_suites` cannot be empty".into(),
            );
        }
        let allow_insecure = block
            .allow_insecure_cipher_suites
            .as_ref()
            .is_some_and(|b| b.value);
        for c in &block.cipher_suites {
            let name_ok = match self.dialect {
                Dialect::V2_9 => CIPHERS_2_9.contains(&c.value.as_str()),
                Dialect::V2_15 => CIPHERS_2_15.contains(&c.value.as_str()),
            };
            if name_ok {
                continue;
            }
            let insecure =
                self.dialect == Dialect::V2_15 && CIPHERS_2_15_INSECURE.contains(&c.value.as_str());
            if insecure && allow_insecure {
                self.findings.push(Finding {
                    severity: Severity::Warning,
                    code: "cipher-insecure",
                    block: name.to_string(),
                    message: format!("`{}` is an insecure cipher suite, allowed only by allow_insecure_cipher_suites", c.value),
                    pos: c.pos,
                });
                continue;
            }
            let message = if insecure {
                format!(
                    "nats-server refuses the insecure cipher suite `{}` unless allow_insecure_cipher_suites is true; drop it",
                    c.value
                )
            } else {
                format!(
                    "nats-server does not know the cipher suite `{}` (names are Go's, in capitals: TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256)",
                    c.value
                )
            };
            self.findings.push(Finding {
                severity: Severity::Error,
                code: "cipher-unknown",
                block: name.to_string(),
                message,
                pos: c.pos,
            });
        }

        block.curve_preferences =
            self.strings(m, &["curve_preferences"], &field("curve_preferences"));
        if lookup(m, &["curve_preferences"])
            .is_some_and(|e| e.value.as_array().is_some_and(<[Node]>::is_empty))
        {
            self.push(
                Severity::Error,
                "curves-empty",
                name,
                pos,
                "`curve_preferences` cannot be empty".into(),
            );
        }
        for c in &block.curve_preferences {
            let known = match self.dialect {
                Dialect::V2_9 => CURVES_2_9,
                Dialect::V2_15 => CURVES_2_15,
            };
            if !known.contains(&c.value.as_str()) {
                self.findings.push(Finding {
                    severity: Severity::Error,
                    code: "curve-unknown",
                    block: name.to_string(),
                    message: format!(
                        "nats-server does not know the curve `{}`; it takes {}",
                        c.value,
                        known.join(", ")
                    ),
                    pos: c.pos,
                });
            }
        }

        if let Some(i) = &block.insecure
            && i.value
        {
            self.push(
                Severity::Warning,
                "insecure",
                name,
                i.pos,
                "`insecure: true` skips verifying the peer's certificate on the connections this node dials".into(),
            );
        }

        if let Some(k) = &block.verify_cert_and_check_known_urls
            && k.value
            && !matches!(context, TlsContext::Cluster | TlsContext::Gateway)
        {
            self.push(
                Severity::Error,
                "known-urls-here",
                name,
                k.pos,
                "nats-server refuses verify_cert_and_check_known_urls outside `cluster.tls` and `gateway.tls` (\"not supported in this context\")".into(),
            );
        }

        self.cert_store_rules(&block, m, name);
        if block.cert_store.is_none() && lookup(m, &["certs", "certificates"]).is_none() {
            match (&block.cert_file, &block.key_file) {
                (Some(c), None) => self.push(
                    Severity::Error,
                    "key-file-missing",
                    name,
                    c.pos,
                    "nats-server refuses a cert_file without its key_file (\"missing 'key_file' in TLS configuration\")".into(),
                ),
                (None, Some(k)) => self.push(
                    Severity::Error,
                    "cert-file-missing",
                    name,
                    k.pos,
                    "nats-server refuses a key_file without its cert_file (\"missing 'cert_file' in TLS configuration\")".into(),
                ),
                _ => {}
            }
        }
        block
    }

    /// The certificate-store rules of the NATS ADR and opts.go.
    fn cert_store_rules(&mut self, block: &TlsBlock, m: &Map, name: &str) {
        let Some(store) = &block.cert_store else {
            if let Some(by) = block.cert_match_by.as_ref().or(block.cert_match.as_ref()) {
                self.push(
                    Severity::Warning,
                    "cert-match-without-store",
                    name,
                    by.pos,
                    "cert_match and cert_match_by mean something only with cert_store".into(),
                );
            }
            return;
        };
        if self.dialect == Dialect::V2_9 {
            return; // already an unknown field for 2.9
        }
        if let Some(cert) = &block.cert_file {
            self.push(
                Severity::Error,
                "cert-file-and-store",
                name,
                cert.pos,
                "'cert_file' and 'cert_store' may not both be configured: nats-server refuses to start; keep one".into(),
            );
        }
        if let Some(key) = &block.key_file {
            self.push(
                Severity::Warning,
                "key-file-ignored",
                name,
                key.pos,
                "key_file is ignored beside cert_store (the key comes from the store)".into(),
            );
        }
        let provider = store.value.to_ascii_lowercase();
        if provider != "windowscurrentuser" && provider != "windowslocalmachine" {
            self.push(
                Severity::Error,
                "cert-store-unknown",
                name,
                store.pos,
                format!(
                    "cert store type not implemented: `{}` is not WindowsCurrentUser or WindowsLocalMachine",
                    store.value
                ),
            );
        } else {
            self.push(
                Severity::Warning,
                "cert-store-windows-only",
                name,
                store.pos,
                format!(
                    "`{}` is the Windows certificate store: nats-server elsewhere refuses it (\"cert_store not compatible with current operating system\"), and tlsctl cannot read it, so this block's certificate is not checked",
                    store.value
                ),
            );
        }
        if let Some(by) = &block.cert_match_by {
            let v = by.value.to_ascii_lowercase();
            if v != "subject" && v != "issuer" {
                self.push(
                    Severity::Error,
                    "cert-match-by-unknown",
                    name,
                    by.pos,
                    format!(
                        "cert match by type not implemented: `{}` is not Subject or Issuer",
                        by.value
                    ),
                );
            }
        }
        if block.cert_match.is_none() && lookup(m, &["cert_match"]).is_none() {
            self.push(
                Severity::Warning,
                "cert-match-missing",
                name,
                store.pos,
                "cert_store without cert_match: say which certificate of the store to use".into(),
            );
        }
    }
}

/// Go's `time.ParseDuration`, in seconds: a sequence of decimal numbers
/// each with a unit (ns, us, µs, ms, s, m, h), optionally signed; "0" alone.
pub fn go_duration(s: &str) -> Option<f64> {
    let (neg, mut rest) = match s.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    if rest == "0" {
        return Some(0.0);
    }
    if rest.is_empty() {
        return None;
    }
    let mut total = 0.0f64;
    while !rest.is_empty() {
        let num_end = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let num = &rest[..num_end];
        if num.is_empty() || num == "." {
            return None;
        }
        let value: f64 = num.parse().ok()?;
        rest = &rest[num_end..];
        let unit_end = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let scale = match &rest[..unit_end] {
            "ns" => 1e-9,
            "us" | "µs" | "μs" => 1e-6,
            "ms" => 1e-3,
            "s" => 1.0,
            "m" => 60.0,
            "h" => 3600.0,
            _ => return None,
        };
        total += value * scale;
        rest = &rest[unit_end..];
    }
    Some(if neg { -total } else { total })
}

#[cfg(test)]
#[path = "model_tests.rs"]
mod tests;
