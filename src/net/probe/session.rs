//! The NATS side of a probe: what kind of port the INFO line describes,
//! the CONNECT a real client sends (with credentials), and what the
//! server's answer means.
//!
//! Modelled on nats-server (server/client.go `processConnect`,
//! server/auth.go, server/leafnode.go `processLeafNodeConnect`) and checked
//! against 2.9.10 and 2.15.1: a client port answers PING with PONG once
//! CONNECT is accepted and with `-ERR 'Authorization Violation'` when the
//! credentials are missing or wrong. Authentication is checked before the
//! kind of connection, so leafnode, route and gateway ports, which tell a
//! client (a CONNECT with `lang`) `-ERR 'attempted to connect to ... port'`,
//! say so only after the TLS session and the credentials were accepted.
//! Nothing here joins a cluster or attaches a leafnode: a probe is a client.

use std::fmt;

use serde::Serialize;
use serde_json::{Map, Value};

/// What kind of NATS port answered, from its INFO line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PortKind {
    Client,
    Leafnode,
    Route,
    Gateway,
    /// A NATS INFO line tlsctl could not place.
    Nats,
    /// No INFO: a plain TLS server.
    Tls,
}

impl fmt::Display for PortKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            PortKind::Client => "client",
            PortKind::Leafnode => "leafnode",
            PortKind::Route => "route",
            PortKind::Gateway => "gateway",
            PortKind::Nats => "nats",
            PortKind::Tls => "tls",
        })
    }
}

/// The kind of port an INFO object comes from. The fields are those
/// nats-server sets: a gateway names its `gateway`; a leafnode port's INFO
/// carries `info_on_connect` and `leafnode_urls` (a route's INFO names
/// `leafnode_urls` too when the node has leafnodes, but no client id); a
/// client port's `client_id` and `client_ip`; a route's `cluster` (with
/// `lnoc`, `route_pool_size`) and no client id.
pub fn classify(info: &Map<String, Value>) -> PortKind {
    let present = |k: &str| info.get(k).is_some_and(|v| !v.is_null());
    let text = |k: &str| info.get(k).and_then(Value::as_str).unwrap_or_default();
    if !text("gateway").is_empty() || present("gateway_urls") {
        PortKind::Gateway
    } else if info.get("info_on_connect").and_then(Value::as_bool) == Some(true)
        || (present("leafnode_urls") && present("client_id"))
    {
        PortKind::Leafnode
    } else if present("client_id") || present("client_ip") {
        PortKind::Client
    } else if present("lnoc") || present("route_pool_size") || !text("cluster").is_empty() {
        PortKind::Route
    } else {
        PortKind::Nats
    }
}

/// The nonce an INFO line asks the client to sign, if any.
pub fn nonce(info: &Map<String, Value>) -> Option<&str> {
    info.get("nonce")
        .and_then(Value::as_str)
        .filter(|n| !n.is_empty())
}

/// How the probe authenticates beyond its certificate.
#[derive(Clone, Default)]
pub enum Credentials {
    #[default]
    None,
    UserPassword {
        user: String,
        password: String,
    },
    Token(String),
    /// A user JWT and the nkey seed that signs the server's nonce.
    Creds {
        jwt: String,
        seed: String,
    },
}

impl fmt::Debug for Credentials {
    // Never a secret in a debug print.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Credentials::None => "None",
            Credentials::UserPassword { .. } => "UserPassword(..)",
            Credentials::Token(_) => "Token(..)",
            Credentials::Creds { .. } => "Creds(..)",
        })
    }
}

impl Credentials {
    pub fn is_none(&self) -> bool {
        matches!(self, Credentials::None)
    }

    /// How the credentials are named in a message.
    pub fn describe(&self) -> &'static str {
        match self {
            Credentials::None => "no credentials",
            Credentials::UserPassword { .. } => "this user and password",
            Credentials::Token(_) => "this token",
            Credentials::Creds { .. } => "this .creds file",
        }
    }
}

/// Why a .creds file or a signature could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CredsError {
    #[error("no NATS USER JWT block (-----BEGIN NATS USER JWT-----)")]
    NoJwt,
    #[error("no USER NKEY SEED block (-----BEGIN USER NKEY SEED-----)")]
    NoSeed,
    #[error("the nkey seed is not valid: {0}")]
    BadSeed(String),
    #[error("the server's INFO carries no nonce to sign, so a .creds login cannot work")]
    NoNonce,
}

/// Reads a NATS .creds file: the first `-----BEGIN ...JWT-----` block and
/// the first `-----BEGIN ...SEED-----` block (nats.go's rule: the line
/// after the BEGIN line up to the next dashes line).
pub fn parse_creds(text: &str) -> Result<Credentials, CredsError> {
    let block = |marker: &str| -> Option<String> {
        let mut lines = text.lines();
        while let Some(line) = lines.next() {
            let line = line.trim();
            if line.starts_with("-----BEGIN") && line.contains(marker) {
                let body: String = lines
                    .by_ref()
                    .map(str::trim)
                    .take_while(|l| !l.starts_with("---"))
                    .collect();
                return (!body.is_empty()).then_some(body);
            }
        }
        None
    };
    let jwt = block("JWT").ok_or(CredsError::NoJwt)?;
    let seed = block("SEED").ok_or(CredsError::NoSeed)?;
    nkeys::KeyPair::from_seed(&seed).map_err(|e| CredsError::BadSeed(e.to_string()))?;
    Ok(Credentials::Creds { jwt, seed })
}

/// The CONNECT line (with its CRLF) a client sends, followed by PING.
pub fn connect_and_ping(creds: &Credentials, nonce: Option<&str>) -> Result<Vec<u8>, CredsError> {
    let mut connect = Map::new();
    connect.insert("verbose".into(), Value::Bool(false));
    connect.insert("pedantic".into(), Value::Bool(false));
    connect.insert("tls_required".into(), Value::Bool(true));
    connect.insert("name".into(), Value::from("tlsctl-probe"));
    connect.insert("lang".into(), Value::from("rust"));
    connect.insert("version".into(), Value::from(env!("CARGO_PKG_VERSION")));
    connect.insert("protocol".into(), Value::from(1));
    match creds {
        Credentials::None => {}
        Credentials::UserPassword { user, password } => {
            connect.insert("user".into(), Value::from(user.as_str()));
            connect.insert("pass".into(), Value::from(password.as_str()));
        }
        Credentials::Token(token) => {
            connect.insert("auth_token".into(), Value::from(token.as_str()));
        }
        Credentials::Creds { jwt, seed } => {
            let nonce = nonce.ok_or(CredsError::NoNonce)?;
            let pair =
                nkeys::KeyPair::from_seed(seed).map_err(|e| CredsError::BadSeed(e.to_string()))?;
            let sig = pair
                .sign(nonce.as_bytes())
                .map_err(|e| CredsError::BadSeed(e.to_string()))?;
            connect.insert("jwt".into(), Value::from(jwt.as_str()));
            connect.insert("sig".into(), Value::from(base64url(&sig)));
        }
    }
    let mut line = b"CONNECT ".to_vec();
    line.extend_from_slice(Value::Object(connect).to_string().as_bytes());
    line.extend_from_slice(b"\r\nPING\r\n");
    Ok(line)
}

/// Unpadded base64url, as nats-server reads `sig` (Go's RawURLEncoding).
fn base64url(bytes: &[u8]) -> String {
    const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk.first().copied().unwrap_or(0),
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        let digits = chunk.len() + 1;
        for i in 0..digits {
            let index = (n >> (18 - 6 * i)) & 63;
            out.push(char::from(ABC.get(index as usize).copied().unwrap_or(b'A')));
        }
    }
    out
}

/// What one line from the server after CONNECT and PING means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    Pong,
    /// `-ERR 'attempted to connect to leaf node port'` and its route and
    /// gateway siblings: TLS and authentication passed, and the port is not
    /// for clients.
    WrongPort(String),
    /// Authentication was refused (`Authorization Violation`,
    /// `Authentication Timeout`, `User Authentication Expired`, ...).
    AuthRefused(String),
    /// Another `-ERR`.
    Refused(String),
    /// INFO, +OK, PING, MSG...: keep reading.
    Other,
}

/// Classifies one protocol line (without its CRLF).
pub fn answer(line: &[u8]) -> Answer {
    let text = String::from_utf8_lossy(line);
    let text = text.trim();
    if text.eq_ignore_ascii_case("PONG") {
        return Answer::Pong;
    }
    let Some(err) = text
        .get(..4)
        .filter(|p| p.eq_ignore_ascii_case("-ERR"))
        .and_then(|_| text.get(4..))
    else {
        return Answer::Other;
    };
    let err = err.trim().trim_matches('\'').trim().to_owned();
    let lower = err.to_ascii_lowercase();
    if lower.starts_with("attempted to connect to") || lower.contains("connected to gateway port") {
        Answer::WrongPort(err)
    } else if lower.contains("authorization")
        || lower.contains("authentication")
        || lower.contains("permissions violation for connect")
    {
        Answer::AuthRefused(err)
    } else {
        Answer::Refused(err)
    }
}

/// `text` with every control character (C0, C1, DEL) shown as an escape,
/// so nothing a server sends can move the cursor or recolour a terminal.
///
/// Backslashes are doubled first, so that an escape the server sent as
/// text cannot pass for one of ours; the rest is the model's own escaping.
pub fn escape(text: &str) -> String {
    crate::pki::text::escape_controls(&text.replace('\\', "\\\\")).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info(json: &str) -> Map<String, Value> {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn ports_are_told_apart_by_the_fields_nats_server_sets() {
        // Shapes seen from nats-server 2.9.10 and 2.15.1.
        let client = r#"{"server_id":"N","version":"2.9.10","auth_required":true,"tls_required":true,"client_id":5,"client_ip":"127.0.0.1","cluster":"G1"}"#;
        let leaf = r#"{"server_id":"N","nonce":"x","client_id":7,"cluster":"G1","info_on_connect":true,"leafnode_urls":["127.0.0.1:7422"]}"#;
        let route = r#"{"server_id":"N","nonce":"y","cluster":"G1","connect_urls":["127.0.0.1:4222"],"lnoc":true}"#;
        // A route of a node that also listens for leafnodes (2.15.1).
        let route_with_leaf = r#"{"server_id":"N","nonce":"z","cluster":"C1","connect_urls":["127.0.0.1:14221"],"lnoc":true,"route_pool_size":3,"leafnode_urls":["127.0.0.1:17421"]}"#;
        assert_eq!(classify(&info(route_with_leaf)), PortKind::Route);
        let gateway = r#"{"server_id":"N","gateway":"G1","gateway_urls":["127.0.0.1:7222"]}"#;
        assert_eq!(classify(&info(client)), PortKind::Client);
        assert_eq!(classify(&info(leaf)), PortKind::Leafnode);
        assert_eq!(classify(&info(route)), PortKind::Route);
        assert_eq!(classify(&info(gateway)), PortKind::Gateway);
        assert_eq!(classify(&info(r#"{"server_id":"N"}"#)), PortKind::Nats);
        assert_eq!(nonce(&info(leaf)), Some("x"));
        assert_eq!(nonce(&info(client)), None);
    }

    #[test]
    fn answers_keep_authentication_apart_from_everything_else() {
        assert_eq!(answer(b"PONG"), Answer::Pong);
        assert_eq!(
            answer(b"-ERR 'Authorization Violation'"),
            Answer::AuthRefused("Authorization Violation".into())
        );
        assert_eq!(
            answer(b"-ERR 'Authentication Timeout'"),
            Answer::AuthRefused("Authentication Timeout".into())
        );
        assert_eq!(
            answer(b"-ERR 'attempted to connect to leaf node port'"),
            Answer::WrongPort("attempted to connect to leaf node port".into())
        );
        assert_eq!(
            answer(b"-ERR 'maximum connections exceeded'"),
            Answer::Refused("maximum connections exceeded".into())
        );
        assert_eq!(answer(b"INFO {}"), Answer::Other);
        assert_eq!(answer(b"+OK"), Answer::Other);
    }

    #[test]
    fn connect_is_a_real_clients_and_signs_the_nonce() {
        let line = connect_and_ping(
            &Credentials::UserPassword {
                user: "alice".into(),
                password: "s3cret".into(),
            },
            None,
        )
        .unwrap();
        let text = String::from_utf8(line).unwrap();
        let (connect, ping) = text.split_once("\r\n").unwrap();
        assert_eq!(ping, "PING\r\n");
        let json: Value = serde_json::from_str(connect.strip_prefix("CONNECT ").unwrap()).unwrap();
        assert_eq!(json["verbose"], false);
        assert_eq!(json["pedantic"], false);
        assert_eq!(json["tls_required"], true);
        assert_eq!(json["name"], "tlsctl-probe");
        assert_eq!(json["lang"], "rust");
        assert_eq!(json["user"], "alice");
        assert_eq!(json["pass"], "s3cret");

        let user = nkeys::KeyPair::new_user();
        let seed = user.seed().unwrap();
        let creds_text = format!(
            "-----BEGIN NATS USER JWT-----\neyJhbGciOi.x.y\n------END NATS USER JWT------\n\n\
             ************************* IMPORTANT *************************\n\n\
             -----BEGIN USER NKEY SEED-----\n{seed}\n------END USER NKEY SEED------\n"
        );
        let creds = parse_creds(&creds_text).unwrap();
        assert_eq!(
            connect_and_ping(&creds, None),
            Err(CredsError::NoNonce),
            "a creds login needs a nonce"
        );
        let line = connect_and_ping(&creds, Some("abc-nonce")).unwrap();
        let text = String::from_utf8(line).unwrap();
        let json: Value = serde_json::from_str(
            text.split_once("\r\n")
                .unwrap()
                .0
                .strip_prefix("CONNECT ")
                .unwrap(),
        )
        .unwrap();
        assert_eq!(json["jwt"], "eyJhbGciOi.x.y");
        let sig = decode_base64url(json["sig"].as_str().unwrap());
        user.verify(b"abc-nonce", &sig).unwrap();
        assert!(matches!(parse_creds("nothing"), Err(CredsError::NoJwt)));
    }

    fn decode_base64url(s: &str) -> Vec<u8> {
        const ABC: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        let mut bits = 0u32;
        let mut n = 0;
        let mut out = Vec::new();
        for c in s.bytes() {
            bits = (bits << 6) | ABC.iter().position(|&a| a == c).unwrap() as u32;
            n += 6;
            if n >= 8 {
                n -= 8;
                out.push((bits >> n) as u8);
            }
        }
        out
    }

    #[test]
    fn base64url_matches_rfc_4648_vectors() {
        assert_eq!(base64url(b""), "");
        assert_eq!(base64url(b"f"), "Zg");
        assert_eq!(base64url(b"fo"), "Zm8");
        assert_eq!(base64url(b"foo"), "Zm9v");
        assert_eq!(base64url(b"foob"), "Zm9vYg");
        assert_eq!(base64url(&[0xfb, 0xff]), "-_8");
    }

    #[test]
    fn escape_shows_every_control_character() {
        assert_eq!(
            escape("a\x1b[31mb\r\nc\u{9b}d\x7f"),
            "a\\u{1b}[31mb\\r\\nc\\u{9b}d\\u{7f}"
        );
        assert_eq!(escape("plain CN=x"), "plain CN=x");
    }
}
