//! NATS specifics: the TLS config blocks nats-server reads (and the rules
//! it applies to them, as nats-server 2.9 does), and the `INFO` line a NATS
//! server greets with.

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Where a `tls {}` block goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Block {
    /// Client connections (the top-level `tls`).
    Tls,
    Cluster,
    Gateway,
    Leafnodes,
    Websocket,
    Mqtt,
}

impl Block {
    pub fn name(self) -> &'static str {
        match self {
            Block::Tls => "tls",
            Block::Cluster => "cluster",
            Block::Gateway => "gateway",
            Block::Leafnodes => "leafnodes",
            Block::Websocket => "websocket",
            Block::Mqtt => "mqtt",
        }
    }

    /// Routes and gateways always verify the peer: `verify` is implied and
    /// each node is a TLS client as well as a server.
    pub fn always_verifies(self) -> bool {
        matches!(self, Block::Cluster | Block::Gateway)
    }

    /// (needs serverAuth, needs clientAuth) for this node's certificate.
    pub fn needs(self) -> (bool, bool) {
        match self {
            Block::Cluster | Block::Gateway => (true, true),
            _ => (true, false),
        }
    }
}

/// How the peer's certificate is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum VerifyMode {
    /// Nothing requested (routes and gateways verify anyway).
    Default,
    Verify,
    VerifyAndMap,
    /// `verify_cert_and_check_known_urls` (cluster and gateway only).
    KnownUrls,
}

/// A pin for `pinned_certs`, with a comment naming whose it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NamedPin {
    pub pin: String,
    pub comment: String,
}

/// Everything a config block says.
#[derive(Debug, Clone, Serialize)]
pub struct ConfigBlock {
    pub block: Block,
    pub cert_file: String,
    pub key_file: String,
    pub ca_file: String,
    pub verify: VerifyMode,
    pub pins: Vec<NamedPin>,
    pub timeout: Option<f64>,
    pub handshake_first: bool,
    /// Comment lines to put before the block.
    pub header: Vec<String>,
    /// Leafnode remotes (`--remote URL`): the block is then the remotes'
    /// own `tls`, which nats-server reads for dialing, never
    /// `leafnodes.tls`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub remotes: Vec<String>,
    /// Under `verify_and_map`: the users nats-server maps certificates to
    /// (a cluster's single `authorization.user`, or the users of a client
    /// or leafnode block), each with the comment saying whose it is.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub map_users: Vec<NamedPin>,
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ConfigError {
    #[error(
        "verify_cert_and_check_known_urls is accepted only in cluster and gateway blocks; \
         nats-server refuses it in {0}"
    )]
    KnownUrlsHere(&'static str),
    #[error(
        "handshake_first applies to client and leafnode connections (the tls and leafnodes \
         blocks), not {0}"
    )]
    HandshakeFirstHere(&'static str),
    #[error("the timeout must be a positive number of seconds")]
    Timeout,
    #[error("leafnode remotes are written only in the leafnodes block, not {0}")]
    RemotesHere(&'static str),
    #[error(
        "a remote's tls block is a TLS client's: it always verifies the hub, and verify, \
         verify_and_map and verify_cert_and_check_known_urls belong to the hub's leafnodes block"
    )]
    VerifyOnRemote,
}

fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn comment(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// Checks what NATS would refuse outright.
pub fn check(cfg: &ConfigBlock) -> Result<(), ConfigError> {
    if cfg.verify == VerifyMode::KnownUrls && !cfg.block.always_verifies() {
        return Err(ConfigError::KnownUrlsHere(cfg.block.name()));
    }
    if cfg.handshake_first && !matches!(cfg.block, Block::Tls | Block::Leafnodes) {
        return Err(ConfigError::HandshakeFirstHere(cfg.block.name()));
    }
    if cfg.timeout.is_some_and(|t| !(t > 0.0 && t.is_finite())) {
        return Err(ConfigError::Timeout);
    }
    if !cfg.remotes.is_empty() && cfg.block != Block::Leafnodes {
        return Err(ConfigError::RemotesHere(cfg.block.name()));
    }
    if !cfg.remotes.is_empty() && cfg.verify != VerifyMode::Default {
        return Err(ConfigError::VerifyOnRemote);
    }
    Ok(())
}

/// The config text: the block, nested where nats-server expects it.
pub fn render(cfg: &ConfigBlock) -> String {
    let mut tls = Vec::new();
    tls.push(format!("cert_file: {}", quote(&cfg.cert_file)));
    tls.push(format!("key_file: {}", quote(&cfg.key_file)));
    tls.push(format!("ca_file: {}", quote(&cfg.ca_file)));
    match cfg.verify {
        VerifyMode::Default if cfg.block.always_verifies() => {
            tls.push("# verify is always on for this block".to_owned());
        }
        VerifyMode::Default => {}
        VerifyMode::Verify if cfg.block.always_verifies() => {
            tls.push("# verify is always on for this block".to_owned());
        }
        VerifyMode::Verify => tls.push("verify: true".to_owned()),
        VerifyMode::VerifyAndMap => tls.push("verify_and_map: true".to_owned()),
        VerifyMode::KnownUrls => tls.push("verify_cert_and_check_known_urls: true".to_owned()),
    }
    if let Some(t) = cfg.timeout {
        tls.push(format!("timeout: {t}"));
    }
    if cfg.handshake_first {
        tls.push("handshake_first: true".to_owned());
    }
    if !cfg.pins.is_empty() {
        tls.push("pinned_certs: [".to_owned());
        for p in &cfg.pins {
            tls.push(format!("  # {}", comment(&p.comment)));
            tls.push(format!("  {}", quote(&p.pin)));
        }
        tls.push("]".to_owned());
    }
    let mut out = String::new();
    for line in &cfg.header {
        out.push_str(&format!("# {}\n", comment(line)));
    }
    let push = |out: &mut String, indent: &str, lines: &[String]| {
        for line in lines {
            out.push_str(indent);
            out.push_str(line);
            out.push('\n');
        }
    };
    let users = |indent: &str| -> Vec<String> {
        let mut v = vec![
            format!("{indent}authorization {{"),
            format!("{indent}  users = ["),
        ];
        for u in &cfg.map_users {
            v.push(format!("{indent}    # {}", comment(&u.comment)));
            v.push(format!("{indent}    {{user: {}}}", quote(&u.pin)));
        }
        v.push(format!("{indent}  ]"));
        v.push(format!("{indent}}}"));
        v
    };
    if !cfg.remotes.is_empty() {
        // nats-server dials a remote with the remote's own tls block.
        out.push_str("leafnodes {\n  remotes: [\n");
        for url in &cfg.remotes {
            out.push_str(&format!(
                "    {{\n      url: {}\n      tls {{\n",
                quote(url)
            ));
            push(&mut out, "        ", &tls);
            out.push_str("      }\n    }\n");
        }
        out.push_str("  ]\n}\n");
        return out;
    }
    let mapped = cfg.verify == VerifyMode::VerifyAndMap && !cfg.map_users.is_empty();
    match cfg.block {
        Block::Tls => {
            out.push_str("tls {\n");
            push(&mut out, "  ", &tls);
            out.push_str("}\n");
        }
        other => {
            out.push_str(&format!(
                "{} {{\n  # {} here, as you have them\n  tls {{\n",
                other.name(),
                match other {
                    Block::Cluster => "name, listen and routes",
                    Block::Gateway => "name, listen and gateways",
                    Block::Leafnodes => {
                        "listen (the hub side; remotes read their own tls: --remote URL)"
                    }
                    _ => "listen",
                }
            ));
            push(&mut out, "    ", &tls);
            out.push_str("  }\n");
            if mapped && other == Block::Cluster {
                // isRouterAuthorized: the mapped name must equal this user.
                let u = &cfg.map_users[0];
                out.push_str(&format!(
                    "  # verify_and_map: every route certificate must map to this name ({})\n  authorization {{\n    user: {}\n  }}\n",
                    comment(&u.comment),
                    quote(&u.pin)
                ));
            } else if mapped && other == Block::Leafnodes {
                // isLeafNodeAuthorized: leafnodes' own users.
                push(&mut out, "", &users("  "));
            }
            out.push_str("}\n");
        }
    }
    if mapped && matches!(cfg.block, Block::Tls | Block::Websocket | Block::Mqtt) {
        push(&mut out, "", &users(""));
    }
    out
}

/// What a NATS server says of itself in its `INFO` greeting.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Info {
    #[serde(default)]
    pub server_id: String,
    #[serde(default)]
    pub server_name: String,
    #[serde(default)]
    pub version: String,
    #[serde(default)]
    pub go: String,
    #[serde(default)]
    pub host: String,
    #[serde(default)]
    pub port: u64,
    #[serde(default)]
    pub tls_required: bool,
    #[serde(default)]
    pub tls_verify: bool,
    #[serde(default)]
    pub tls_available: bool,
    #[serde(default)]
    pub auth_required: bool,
    #[serde(default)]
    pub max_payload: u64,
    #[serde(default)]
    pub cluster: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum InfoError {
    #[error("the greeting is not a NATS INFO line")]
    NotInfo,
    #[error("the INFO line is not valid JSON: {0}")]
    Json(String),
    #[error("the INFO line is longer than {MAX_INFO} bytes")]
    TooLong,
}

/// The longest INFO line tlsctl reads (nats-server's are well under 4 KiB,
/// unless a cluster advertises many URLs).
pub const MAX_INFO: usize = 64 * 1024;

/// Parses `INFO {json}\r\n`.
pub fn parse_info(line: &[u8]) -> Result<Info, InfoError> {
    if line.len() > MAX_INFO {
        return Err(InfoError::TooLong);
    }
    let rest = line.strip_prefix(b"INFO").ok_or(InfoError::NotInfo)?;
    let json = rest.trim_ascii();
    if !json.starts_with(b"{") {
        return Err(InfoError::NotInfo);
    }
    serde_json::from_slice(json).map_err(|e| InfoError::Json(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(block: Block) -> ConfigBlock {
        ConfigBlock {
            block,
            cert_file: "/etc/nats/cert.pem".into(),
            key_file: "/etc/nats/key.pem".into(),
            ca_file: "/etc/nats/ca \"x\".pem".into(),
            verify: VerifyMode::Verify,
            pins: vec![NamedPin {
                pin: "ab".repeat(32),
                comment: "CN=peer\nnext".into(),
            }],
            timeout: Some(2.5),
            handshake_first: false,
            header: vec!["made by tlsctl".into()],
            remotes: Vec::new(),
            map_users: Vec::new(),
        }
    }

    #[test]
    fn a_tls_block_quotes_paths_and_names_pins() {
        let text = render(&cfg(Block::Tls));
        assert_eq!(
            text,
            format!(
                "# made by tlsctl\ntls {{\n  cert_file: \"/etc/nats/cert.pem\"\n  key_file: \"/etc/nats/key.pem\"\n  \
                 ca_file: \"/etc/nats/ca \\\"x\\\".pem\"\n  verify: true\n  timeout: 2.5\n  pinned_certs: [\n    \
                 # CN=peer next\n    \"{}\"\n  ]\n}}\n",
                "ab".repeat(32)
            )
        );
    }

    #[test]
    fn cluster_blocks_nest_and_imply_verify() {
        let text = render(&cfg(Block::Cluster));
        assert!(text.starts_with("# made by tlsctl\ncluster {\n  # name, listen and routes"));
        assert!(text.contains("    # verify is always on for this block\n"));
        assert!(!text.contains("verify: true"));
        assert!(text.ends_with("  }\n}\n"));
    }

    #[test]
    fn known_urls_only_where_nats_takes_it() {
        let mut c = cfg(Block::Tls);
        c.verify = VerifyMode::KnownUrls;
        assert_eq!(check(&c), Err(ConfigError::KnownUrlsHere("tls")));
        c.block = Block::Gateway;
        assert_eq!(check(&c), Ok(()));
    }

    #[test]
    fn info_lines_parse_and_garbage_does_not() {
        let info = parse_info(
            br#"INFO {"server_id":"N1","version":"2.9.10","tls_required":true,"port":4222}"#,
        )
        .unwrap();
        assert_eq!(info.version, "2.9.10");
        assert!(info.tls_required);
        assert_eq!(parse_info(b"HTTP/1.1 400"), Err(InfoError::NotInfo));
        assert!(matches!(parse_info(b"INFO {nope"), Err(InfoError::Json(_))));
        assert_eq!(
            parse_info(&vec![b'x'; MAX_INFO + 1]),
            Err(InfoError::TooLong)
        );
    }
}
