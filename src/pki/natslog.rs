//! nats-server log lines about TLS and authentication, read and explained:
//! which connection failed, why, what to do, and the certificate the line
//! names. Pure: text in, events out; matching a named certificate to a
//! local file is the caller's (`ops::nats_explain`).
//!
//! The formats, as nats-server writes them (and as recorded from real
//! 2.9.10 and 2.15.1 servers in tests/fixtures/natslog/):
//!
//! - the logger (server/log.go, logger/log.go): `[PID] YYYY/MM/DD
//!   HH:MM:SS.UUUUUU [ERR] ` (the PID and the time are optional: `-T=false`,
//!   syslog, or a log shipper that strips them);
//! - the connection prefix (server/client.go, `client.String()`):
//!   `HOST:PORT - cid:N - ` for clients (`rid` routes, `gid` gateways, `lid`
//!   leafnodes; `wid` websocket and `mid` MQTT clients), optionally followed by
//!   the client's quoted name (`"v1.2:go:app" - `);
//! - the handshake failures (server/client.go `doTLSHandshake`, called by
//!   server/route.go, server/gateway.go and server/leafnode.go):
//!   `TLS handshake error: ERR` for clients and `TLS route|gateway|leafnode
//!   handshake error: ERR` for the others, ERR being Go's crypto/tls error
//!   (`tls: failed to verify certificate: x509: ...` since Go 1.20, `tls:
//!   failed to verify client certificate: x509: ...` or a bare `x509: ...` in
//!   2.9's Go 1.19);
//! - since nats-server 2.11.4, a failed verification carries the peer's
//!   certificate: ` (SUBJECT SHA-256: HEX)`, HEX being the SHA-256 of the
//!   certificate's DER (its fingerprint, not its SPKI pin);
//! - `certificate not pinned` (server/client.go, checking `pinned_certs`
//!   after the handshake); `authentication error` (server/auth.go and
//!   client.go `authViolation`, `ErrAuthentication`; with ` - User "NAME"`
//!   when users are configured), which releases before 2.2 logged as
//!   `Authorization Violation` (`ErrAuthorization`).

use serde::Serialize;

use super::text::escape_controls;

/// Which of a server's listeners (or remotes) the line is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ConnKind {
    Client,
    Route,
    Gateway,
    Leafnode,
}

impl ConnKind {
    pub fn name(self) -> &'static str {
        match self {
            ConnKind::Client => "client",
            ConnKind::Route => "route",
            ConnKind::Gateway => "gateway",
            ConnKind::Leafnode => "leafnode",
        }
    }

    /// The config block whose TLS settings judged the peer.
    fn block(self) -> &'static str {
        match self {
            ConnKind::Client => "tls",
            ConnKind::Route => "cluster { tls }",
            ConnKind::Gateway => "gateway { tls }",
            ConnKind::Leafnode => "leafnodes { tls } (or the remote's tls block)",
        }
    }

    fn peer(self) -> &'static str {
        match self {
            ConnKind::Client => "client",
            ConnKind::Route => "route peer",
            ConnKind::Gateway => "gateway peer",
            ConnKind::Leafnode => "leafnode peer",
        }
    }
}

/// What went wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// x509: certificate signed by unknown authority.
    UnknownAuthority,
    /// x509: certificate has expired (current time is after NotAfter).
    Expired,
    /// x509: ... is not yet valid (current time is before NotBefore).
    NotYetValid,
    /// x509: certificate is valid for X, not Y (and the other name errors).
    NameMismatch,
    /// x509: certificate specifies an incompatible key usage.
    KeyUsage,
    /// Another x509 verification error.
    Certificate,
    /// certificate not pinned.
    NotPinned,
    /// tls: client didn't provide a certificate.
    NoClientCertificate,
    /// remote error: tls: bad certificate (and the other certificate alerts):
    /// the peer refused this server's certificate.
    PeerRejected,
    /// remote error: tls: another alert.
    RemoteAlert,
    /// tls: first record does not look like a TLS handshake.
    NotTls,
    /// An i/o timeout during the handshake.
    Timeout,
    /// Another TLS handshake error.
    Handshake,
    /// authentication error / Authorization Violation.
    Authentication,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::UnknownAuthority => "unknown-authority",
            Kind::Expired => "expired",
            Kind::NotYetValid => "not-yet-valid",
            Kind::NameMismatch => "name-mismatch",
            Kind::KeyUsage => "key-usage",
            Kind::Certificate => "certificate",
            Kind::NotPinned => "not-pinned",
            Kind::NoClientCertificate => "no-client-certificate",
            Kind::PeerRejected => "peer-rejected",
            Kind::RemoteAlert => "remote-alert",
            Kind::NotTls => "not-tls",
            Kind::Timeout => "timeout",
            Kind::Handshake => "handshake",
            Kind::Authentication => "authentication",
        }
    }
}

/// A certificate a line names (nats-server 2.11.4 and later).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct NamedCert {
    /// The subject as Go prints it (`CN=n2,O=Acme`), controls escaped.
    pub subject: String,
    /// Lowercase hex SHA-256 of the certificate's DER.
    pub sha256: String,
}

/// One log line about TLS or authentication.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// `2026-12-02T01:05:46.832430` (the server's clock, as logged; no zone).
    pub time: Option<String>,
    /// `ERR`, `WRN`...
    pub level: Option<String>,
    /// `127.0.0.1:4222`, controls escaped.
    pub remote: Option<String>,
    pub conn: ConnKind,
    pub kind: Kind,
    /// The error as logged after the connection prefix, controls escaped.
    pub message: String,
    /// Certificates the line names.
    pub certs: Vec<NamedCert>,
    /// The user an authentication error names.
    pub user: Option<String>,
    /// The date an expiry error names (`2020-01-05T23:59:00Z`).
    pub bound: Option<String>,
    /// The names a name-mismatch error says the certificate holds, and the
    /// name that was wanted.
    pub names: Option<(String, String)>,
}

/// The longest line read; the rest of a longer one is ignored (bounded
/// memory per line, whatever the input).
pub const MAX_LINE: usize = 16 * 1024;

/// Whether `line` looks like a nats-server log line at all (a level tag).
pub fn is_log_line(line: &str) -> bool {
    level_at(line).is_some()
}

fn level_at(line: &str) -> Option<(usize, &str)> {
    for tag in [
        "[ERR] ", "[WRN] ", "[INF] ", "[DBG] ", "[TRC] ", "[FTL] ", "[SYS] ",
    ] {
        if let Some(i) = line.find(tag) {
            // The tag comes early: PID and time, and perhaps a log
            // shipper's prefix (Kubernetes' `TIME stdout F `).
            if i <= 128 {
                return Some((i, &tag[1..4]));
            }
        }
    }
    None
}

/// Reads one line; `None` when it is not about TLS or authentication.
pub fn parse_line(raw: &str) -> Option<Line> {
    let raw = truncate(raw.trim_end_matches(['\r', '\n']), MAX_LINE);
    let (time, level, rest) = match level_at(raw) {
        Some((i, level)) => (parse_time(&raw[..i]), Some(level.to_owned()), &raw[i + 6..]),
        None => (None, None, raw),
    };
    let (remote, id_kind, msg) = split_prefix(rest);
    let (conn, err) = if let Some(e) = msg.strip_prefix("TLS handshake error: ") {
        (id_kind.unwrap_or(ConnKind::Client), e)
    } else if let Some(e) = msg.strip_prefix("TLS route handshake error: ") {
        (ConnKind::Route, e)
    } else if let Some(e) = msg.strip_prefix("TLS gateway handshake error: ") {
        (ConnKind::Gateway, e)
    } else if let Some(e) = msg.strip_prefix("TLS leafnode handshake error: ") {
        (ConnKind::Leafnode, e)
    } else if msg.starts_with("authentication error") || msg.starts_with("Authorization Violation")
    {
        let user = msg
            .split_once(" - User \"")
            .and_then(|(_, u)| u.strip_suffix('"'))
            .map(|u| escape_controls(u).into_owned());
        return Some(Line {
            time,
            level,
            remote: remote.map(|r| escape_controls(r).into_owned()),
            conn: id_kind.unwrap_or(ConnKind::Client),
            kind: Kind::Authentication,
            message: escape_controls(msg).into_owned(),
            certs: Vec::new(),
            user,
            bound: None,
            names: None,
        });
    } else if msg.contains("certificate not pinned") {
        (id_kind.unwrap_or(ConnKind::Client), msg)
    } else {
        return None;
    };
    let (err_text, certs) = split_certs(err);
    let (kind, bound, names) = classify(err_text);
    Some(Line {
        time,
        level,
        remote: remote.map(|r| escape_controls(r).into_owned()),
        conn,
        kind,
        message: escape_controls(msg).into_owned(),
        certs,
        user: None,
        bound,
        names,
    })
}

fn truncate(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// `[PID] 2026/12/02 01:05:46.832430 ` -> `2026-12-02T01:05:46.832430`.
fn parse_time(head: &str) -> Option<String> {
    // The date and the clock are the last two words before the level
    // (after `[PID]`, or a shipper's prefix).
    let mut words = head.split_whitespace().rev();
    let clock = words.next()?;
    let date = words.next()?;
    let d: Vec<&str> = date.split('/').collect();
    let ok_digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    if d.len() != 3 || !ok_digits(d[0], 4) || !ok_digits(d[1], 2) || !ok_digits(d[2], 2) {
        return None;
    }
    let clock = clock.trim();
    let (hms, frac) = clock.split_once('.').unwrap_or((clock, ""));
    let t: Vec<&str> = hms.split(':').collect();
    if t.len() != 3 || !t.iter().all(|p| ok_digits(p, 2)) {
        return None;
    }
    if !frac.bytes().all(|b| b.is_ascii_digit()) || frac.len() > 9 {
        return None;
    }
    let frac = if frac.is_empty() {
        String::new()
    } else {
        format!(".{frac}")
    };
    Some(format!("{}-{}-{}T{hms}{frac}", d[0], d[1], d[2]))
}

/// `127.0.0.1:4222 - rid:5 - "name" - MESSAGE` -> (remote, kind, MESSAGE).
fn split_prefix(rest: &str) -> (Option<&str>, Option<ConnKind>, &str) {
    let Some((remote, after)) = rest.split_once(" - ") else {
        return (None, None, rest);
    };
    let Some((id, mut msg)) = after.split_once(" - ") else {
        return (None, None, rest);
    };
    let kind = match id.split_once(':') {
        Some((prefix, n)) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => match prefix
        {
            "cid" | "wid" | "mid" => ConnKind::Client,
            "rid" => ConnKind::Route,
            "gid" => ConnKind::Gateway,
            "lid" => ConnKind::Leafnode,
            _ => return (None, None, rest),
        },
        _ => return (None, None, rest),
    };
    if remote.contains(' ') {
        return (None, None, rest);
    }
    // Names after the id: `"v0.1.0:go:app" - `, `"n2" - ` (at most a few).
    for _ in 0..4 {
        if !msg.starts_with('"') {
            break;
        }
        match msg[1..].find("\" - ") {
            Some(end) => msg = &msg[end + 5..],
            None => break,
        }
    }
    (Some(remote), Some(kind), msg)
}

/// Splits the ` (SUBJECT SHA-256: HEX)` tail nats-server 2.11.4 and later
/// append (server/client.go), scanning back from the end so that a Go
/// message with its own parentheses (`unknown authority (possibly because
/// of ...)`) stays whole.
fn split_certs(err: &str) -> (&str, Vec<NamedCert>) {
    let t = err.trim_end();
    let Some(body_end) = t.strip_suffix(')').map(str::len) else {
        return (err, Vec::new());
    };
    if !t[..body_end].contains(" SHA-256: ") {
        return (err, Vec::new());
    }
    // Find the opening parenthesis that balances the final one.
    let bytes = t.as_bytes();
    let mut depth = 0usize;
    let mut open = None;
    for i in (0..t.len()).rev() {
        match bytes[i] {
            b')' => depth += 1,
            b'(' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    open = Some(i);
                    break;
                }
            }
            _ => {}
        }
    }
    let Some(open) = open else {
        return (err, Vec::new());
    };
    let inner = &t[open + 1..body_end];
    let mut certs = Vec::new();
    let mut cursor = inner;
    while let Some(at) = cursor.find(" SHA-256: ") {
        let subject = cursor[..at].trim_start_matches([',', ';', ' ']);
        let after = &cursor[at + " SHA-256: ".len()..];
        let hex: String = after.chars().take_while(char::is_ascii_hexdigit).collect();
        if hex.len() != 64 {
            return (err, Vec::new());
        }
        certs.push(NamedCert {
            subject: escape_controls(subject).into_owned(),
            sha256: hex.to_ascii_lowercase(),
        });
        cursor = &after[64..];
    }
    if certs.is_empty() || !cursor.trim_matches([',', ';', ' ']).is_empty() {
        return (err, Vec::new());
    }
    (t[..open].trim_end(), certs)
}

type Classified = (Kind, Option<String>, Option<(String, String)>);

fn classify(err: &str) -> Classified {
    let x509 = err.find("x509: ").map(|i| &err[i + 6..]);
    if let Some(x) = x509 {
        if x.starts_with("certificate signed by unknown authority") {
            return (Kind::UnknownAuthority, None, None);
        }
        if let Some(rest) = x.strip_prefix("certificate has expired or is not yet valid") {
            // `: current time T is after NOTAFTER` / `is before NOTBEFORE`.
            if let Some((_, b)) = rest.split_once(" is after ") {
                return (
                    Kind::Expired,
                    Some(escape_controls(b.trim()).into_owned()),
                    None,
                );
            }
            if let Some((_, b)) = rest.split_once(" is before ") {
                return (
                    Kind::NotYetValid,
                    Some(escape_controls(b.trim()).into_owned()),
                    None,
                );
            }
            return (Kind::Expired, None, None);
        }
        if let Some(rest) = x.strip_prefix("certificate is valid for ") {
            let names = rest.rsplit_once(", not ").map(|(have, want)| {
                (
                    escape_controls(have).into_owned(),
                    escape_controls(want).into_owned(),
                )
            });
            return (Kind::NameMismatch, None, names);
        }
        if let Some(rest) = x.strip_prefix("cannot validate certificate for ")
            && let Some((ip, _)) = rest.split_once(" because it doesn't contain any IP SANs")
        {
            return (
                Kind::NameMismatch,
                None,
                Some((String::new(), escape_controls(ip).into_owned())),
            );
        }
        if x.starts_with("certificate is not valid for any names")
            || x.starts_with("cannot validate certificate for")
            || x.starts_with("certificate relies on legacy Common Name field")
        {
            return (Kind::NameMismatch, None, None);
        }
        if x.starts_with("certificate specifies an incompatible key usage") {
            return (Kind::KeyUsage, None, None);
        }
        return (Kind::Certificate, None, None);
    }
    if err.contains("certificate not pinned") {
        return (Kind::NotPinned, None, None);
    }
    if err.contains("client didn't provide a certificate")
        || err.contains("certificate required") && !err.starts_with("remote error")
    {
        return (Kind::NoClientCertificate, None, None);
    }
    if let Some(alert) = err.strip_prefix("remote error: tls: ") {
        let cert_alert = matches!(
            alert.trim(),
            "bad certificate"
                | "unknown certificate authority"
                | "unknown certificate"
                | "certificate unknown"
                | "expired certificate"
                | "revoked certificate"
                | "unsupported certificate"
                | "access denied"
                | "certificate required"
        );
        return (
            if cert_alert {
                Kind::PeerRejected
            } else {
                Kind::RemoteAlert
            },
            None,
            None,
        );
    }
    if err.contains("first record does not look like a TLS handshake") {
        return (Kind::NotTls, None, None);
    }
    if err.contains("i/o timeout") || err.contains("timeout") {
        return (Kind::Timeout, None, None);
    }
    (Kind::Handshake, None, None)
}

/// Repeated lines as one event: the key is the connection kind, the kind,
/// the remote host (ports of accepted connections change every time), the
/// certificates named and the message with its changing parts (the current
/// time of an expiry error) taken out.
#[derive(Debug, Clone, Serialize)]
pub struct Group {
    pub kind: Kind,
    pub connection: ConnKind,
    /// The first remote address seen.
    pub remote: Option<String>,
    /// Every remote address seen (at most [`MAX_REMOTES`]).
    pub remotes: Vec<String>,
    pub count: usize,
    pub first: Option<String>,
    pub last: Option<String>,
    /// The first line's message, controls escaped.
    pub message: String,
    pub certs: Vec<NamedCert>,
    pub user: Option<String>,
    pub bound: Option<String>,
    pub names: Option<(String, String)>,
}

pub const MAX_REMOTES: usize = 16;

/// Groups lines in their first-seen order.
pub fn group(lines: impl IntoIterator<Item = Line>) -> Vec<Group> {
    let mut out: Vec<Group> = Vec::new();
    let mut index: std::collections::HashMap<
        (ConnKind, Kind, String, String, Vec<NamedCert>),
        usize,
    > = std::collections::HashMap::new();
    for l in lines {
        let host = l
            .remote
            .as_deref()
            .map(|r| r.rsplit_once(':').map_or(r, |(h, _)| h).to_owned())
            .unwrap_or_default();
        let key = (l.conn, l.kind, host, stable(&l.message), l.certs.clone());
        match index.get(&key) {
            Some(&i) => {
                let g = &mut out[i];
                g.count += 1;
                if l.time.is_some() {
                    g.last = l.time;
                }
                if let Some(r) = l.remote
                    && g.remotes.len() < MAX_REMOTES
                    && !g.remotes.contains(&r)
                {
                    g.remotes.push(r);
                }
            }
            None => {
                index.insert(key, out.len());
                out.push(Group {
                    kind: l.kind,
                    connection: l.conn,
                    remotes: l.remote.iter().cloned().collect(),
                    remote: l.remote,
                    count: 1,
                    first: l.time.clone(),
                    last: l.time,
                    message: l.message,
                    certs: l.certs,
                    user: l.user,
                    bound: l.bound,
                    names: l.names,
                });
            }
        }
    }
    out
}

/// The message without the parts that change from one repetition to the
/// next (`current time 2026-12-02T01:04:56Z`).
fn stable(message: &str) -> String {
    match message.find("current time ") {
        Some(i) => {
            let rest = &message[i + "current time ".len()..];
            let tail = rest.find(" is ").map_or("", |j| &rest[j..]);
            format!("{}{tail}", &message[..i])
        }
        None => message.to_owned(),
    }
}

/// What a group means and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explanation {
    pub explanation: String,
    pub fix: String,
}

/// The diagnosis of one group, in plain words.
pub fn explain(g: &Group) -> Explanation {
    let peer = g.connection.peer();
    let block = g.connection.block();
    let whose = match g.certs.first() {
        Some(c) => format!("the {peer}'s certificate ({})", c.subject),
        None => format!("the {peer}'s certificate"),
    };
    let (explanation, fix) = match g.kind {
        Kind::UnknownAuthority => (
            format!(
                "this server refused {whose}: it does not chain to any CA in this server's \
                 {block} ca_file (every certificate in ca_file is a trust anchor, so the \
                 peer's issuer, or a CA above it, is missing there)"
            ),
            format!(
                "add the CA that issued the {peer}'s certificate to this server's ca_file \
                 (tlsctl bundle add CA_FILE ISSUER.pem) and reload, or reissue the {peer}'s \
                 certificate from a CA the file holds; check with tlsctl verify CERT --bundle \
                 CA_FILE"
            ),
        ),
        Kind::Expired => (
            format!(
                "this server refused {whose}: it expired{}",
                g.bound
                    .as_deref()
                    .map_or_else(String::new, |b| format!(" on {b}"))
            ),
            format!(
                "renew the {peer}'s certificate (tlsctl cert renew CERT keeps its key, and so \
                 its pin) and reload that node; check this server's clock if the date looks wrong"
            ),
        ),
        Kind::NotYetValid => (
            format!(
                "this server refused {whose}: it is not valid yet{}",
                g.bound
                    .as_deref()
                    .map_or_else(String::new, |b| format!(" (not before {b})"))
            ),
            "check the clocks of both machines (NTP), or reissue the certificate without a \
             future not-before"
                .to_owned(),
        ),
        Kind::NameMismatch => (
            match &g.names {
                Some((have, want)) if have.is_empty() => format!(
                    "this server dialed {want} and {whose} holds no IP SAN (Go matches an IP \
                     only against IP SANs, never against a DNS SAN or the Common Name)"
                ),
                Some((have, want)) => format!(
                    "this server dialed {want} (the name in its URL) and {whose} is valid \
                     for {have} only"
                ),
                None => format!(
                    "{whose} does not hold the name or IP address this server dialed (Go needs \
                     it as a SAN: an IP as an IP SAN, a name as a DNS SAN; the Common Name is \
                     not read)"
                ),
            },
            "reissue the peer's certificate with the name or IP the URL uses (tlsctl cert \
             issue NAME IP ...), or make the URL (routes, gateways, leafnodes remotes) use a \
             name the certificate holds"
                .to_owned(),
        ),
        Kind::KeyUsage => (
            format!(
                "this server refused {whose}: its extended key usage does not allow this use \
                 ({})",
                match g.connection {
                    ConnKind::Client => "a client certificate needs clientAuth",
                    _ =>
                        "route, gateway and leafnode peers are TLS server and client, so they \
                         need serverAuth and clientAuth",
                }
            ),
            "reissue the certificate with both usages (tlsctl cert issue ... --usage dual); \
             tlsctl lint CERT --role nats-route shows what it lacks"
                .to_owned(),
        ),
        Kind::Certificate => (
            format!("this server refused {whose}: {}", g.message),
            "inspect the certificate (tlsctl inspect CERT) and verify it as nats-server does \
             (tlsctl verify CERT --bundle CA_FILE)"
                .to_owned(),
        ),
        Kind::NotPinned => (
            format!(
                "{whose} verified, but its public key is not in this server's pinned_certs \
                 (pins are the SHA-256 of the leaf's SPKI: a rekeyed certificate has a new pin)"
            ),
            format!(
                "add the {peer}'s pin to pinned_certs (tlsctl pin --nats CERT prints it) and \
                 reload, or give the {peer} the certificate whose key is pinned"
            ),
        ),
        Kind::NoClientCertificate => match g.connection {
            ConnKind::Client => (
                format!(
                    "this server asks the {peer} for a certificate (its tls block sets verify \
                     or verify_and_map) and the {peer} sent none; a Go client (nats.go, \
                     nats-server) also sends none when its certificate's issuer is not among the \
                     CAs this server names from its ca_file"
                ),
                format!(
                    "give the {peer} a certificate and key (NATS clients: --tlscert and \
                     --tlskey), issued by a CA in this server's ca_file (tlsctl verify CERT \
                     --bundle CA_FILE); or drop verify if clients are not meant to have one"
                ),
            ),
            _ => (
                format!(
                    "this server asks the {peer} for a certificate ({}) and got none. The {peer} \
                     is nats-server, which has one: Go sends no certificate when its issuer is \
                     not among the CAs this server names from its ca_file, so the {peer}'s \
                     certificate most likely comes from a CA missing from this server's ca_file",
                    if g.connection == ConnKind::Leafnode {
                        "its leafnodes tls block verifies"
                    } else {
                        "routes and gateways always verify the peer"
                    }
                ),
                format!(
                    "add the CA that issued the {peer}'s certificate (its intermediate and root) \
                     to this server's ca_file and reload, then check with tlsctl verify \
                     PEER_CERT --bundle CA_FILE; a leafnode remote without a certificate needs \
                     cert_file and key_file in its tls block"
                ),
            ),
        },
        Kind::PeerRejected => (
            format!(
                "the {peer} refused this server's certificate ({}): it does not trust this \
                 server's issuer, or the certificate lacks a usage, has expired or is not \
                 pinned there; this server's log cannot say which, the {peer}'s log says",
                g.message
                    .rsplit("remote error: ")
                    .next()
                    .unwrap_or(&g.message)
            ),
            format!(
                "run tlsctl nats explain on the {peer}'s log; check this server's certificate \
                 against the {peer}'s ca_file (tlsctl verify CERT --bundle PEER_CA_FILE)"
            ),
        ),
        Kind::RemoteAlert => (
            format!(
                "the {peer} ended the handshake with an alert: {}",
                g.message
            ),
            format!(
                "look at the {peer}'s log at the same time; a protocol or version alert means \
                 the two sides share no TLS version or cipher"
            ),
        ),
        Kind::NotTls => (
            format!(
                "a {peer} spoke plain text (or another protocol) where this server expects \
                 TLS"
            ),
            "point the peer at the TLS port with TLS on (a tls:// URL, or the client's TLS \
             options), or, when the peer is a load balancer's health check, make it open TLS"
                .to_owned(),
        ),
        Kind::Timeout => (
            format!("the TLS handshake with a {peer} timed out"),
            format!(
                "raise timeout in the {block} block if the link is slow, and check that the \
                 peer speaks TLS on that port"
            ),
        ),
        Kind::Handshake => (
            format!("the TLS handshake with a {peer} failed: {}", g.message),
            "compare both sides' tls blocks; tlsctl probe HOST:PORT shows what the server \
             serves"
                .to_owned(),
        ),
        Kind::Authentication => (
            format!(
                "TLS worked, but the {peer}{} did not authenticate: no configured user, \
                 password, token, nkey or certificate identity matched",
                g.user
                    .as_deref()
                    .map_or_else(String::new, |u| format!(" (user \"{u}\")"))
            ),
            "check the credentials the client sends; under verify_and_map the identity \
             nats-server maps from the certificate (email, DNS or URI SAN, then the subject) \
             must be a configured user"
                .to_owned(),
        ),
    };
    Explanation { explanation, fix }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_2_15_route_line_names_the_peer_certificate() {
        let l = parse_line(
            "[12338] 2026/12/02 01:05:51.880259 [ERR] 127.0.0.1:17233 - rid:5 - TLS route \
             handshake error: tls: failed to verify certificate: x509: certificate signed by \
             unknown authority (CN=n2 SHA-256: \
             2773ede963747fc42adcd4726f1b1b814bab18d7b9255e4ec531412e72357a20)",
        )
        .unwrap();
        assert_eq!(l.conn, ConnKind::Route);
        assert_eq!(l.kind, Kind::UnknownAuthority);
        assert_eq!(l.remote.as_deref(), Some("127.0.0.1:17233"));
        assert_eq!(l.time.as_deref(), Some("2026-12-02T01:05:51.880259"));
        assert_eq!(l.certs.len(), 1);
        assert_eq!(l.certs[0].subject, "CN=n2");
        assert!(l.certs[0].sha256.starts_with("2773ede9"));
    }

    #[test]
    fn parentheses_inside_the_go_message_stay_in_the_message() {
        let (text, certs) = split_certs(
            "x509: certificate signed by unknown authority (possibly because of \"x\" while \
             trying to verify candidate authority certificate \"R (1)\") (O=A (B),CN=c \
             SHA-256: 2773ede963747fc42adcd4726f1b1b814bab18d7b9255e4ec531412e72357a20)",
        );
        assert!(text.ends_with("\"R (1)\")"), "{text}");
        assert_eq!(certs[0].subject, "O=A (B),CN=c");
    }

    #[test]
    fn control_characters_in_a_line_are_escaped() {
        let l = parse_line(
            "[1] 2026/12/02 01:05:51.880259 [ERR] 1.2.3.4:5 - cid:5 - TLS handshake error: \
             x509: certificate signed by unknown authority (CN=a\u{1b}[31m SHA-256: \
             2773ede963747fc42adcd4726f1b1b814bab18d7b9255e4ec531412e72357a20)",
        )
        .unwrap();
        assert!(!l.certs[0].subject.contains('\u{1b}'));
        assert!(!l.message.contains('\u{1b}'));
    }

    #[test]
    fn a_kubernetes_prefix_and_crlf_are_read_through() {
        let l = parse_line(
            "2026-12-02T01:05:51.880259123Z stderr F [7] 2026/12/02 01:05:51.880259 [ERR] \
             10.0.0.7:6222 - rid:5 - TLS route handshake error: remote error: tls: bad \
             certificate\r\n",
        )
        .unwrap();
        assert_eq!(l.kind, Kind::PeerRejected);
        assert_eq!(l.time.as_deref(), Some("2026-12-02T01:05:51.880259"));
        assert_eq!(l.remote.as_deref(), Some("10.0.0.7:6222"));
        // Without a PID or a time (syslog, -T=false).
        let l = parse_line("[ERR] 1.2.3.4:5 - cid:9 - TLS handshake error: certificate not pinned")
            .unwrap();
        assert_eq!((l.kind, l.time), (Kind::NotPinned, None));
    }

    #[test]
    fn unrelated_lines_are_not_events() {
        assert!(parse_line("[1] 2026/12/02 01:05:51.880259 [INF] Server is ready").is_none());
        assert!(
            parse_line(
                "[1] 2026/12/02 01:05:46.818365 [ERR] Error trying to connect to route \
                 (attempt 1): dial tcp 127.0.0.1:16232: connect: connection refused"
            )
            .is_none()
        );
    }

    #[test]
    fn expiry_repetitions_group_although_the_current_time_changes() {
        let a = "[1] 2026/12/02 01:04:56.1 [ERR] 1.2.3.4:5 - cid:5 - TLS handshake error: x509: \
                 certificate has expired or is not yet valid: current time 2026-12-02T01:04:56Z \
                 is after 2020-01-05T23:59:00Z";
        let b = a
            .replace("01:04:56.1", "01:04:58.1")
            .replace("01:04:56Z", "01:04:58Z")
            .replace(":5 -", ":6 -");
        let g = group([parse_line(a).unwrap(), parse_line(&b).unwrap()]);
        assert_eq!(g.len(), 1);
        assert_eq!(g[0].count, 2);
        assert_eq!(g[0].bound.as_deref(), Some("2020-01-05T23:59:00Z"));
        assert_eq!(g[0].last.as_deref(), Some("2026-12-02T01:04:58.1"));
        assert_eq!(g[0].remotes.len(), 2);
    }
}
