//! `nats check`: the findings about every TLS block of a fleet of
//! nats-server configurations, and the connections nats-server would make
//! between the nodes (routes, gateways, leafnode remotes) with a verdict
//! for each. Pure: the configurations come parsed, the files they name come
//! as bytes (or the reason they could not be read), `now` as an argument.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use rustls_pki_types::{CertificateDer, PrivateKeyDer};
use serde::Serialize;
use time::OffsetDateTime;

use super::natsconf::Config;
use super::natsconf::model::{self, Listen, NodeConfig, Severity, TlsBlock, TlsContext};
use super::verify::{self, Anchors, GoRelease, Purpose};
use super::{CertInfo, Validity, diff, dn, key, pin, reader};
use crate::pki::cert::SanKind;

/// Every file the configurations name, by resolved path, or why it could
/// not be read.
pub type Files = BTreeMap<PathBuf, Result<Loaded, String>>;

/// A file a configuration names, as read: its bytes, or a large regular
/// file left open, which the reader reads in pieces (a fleet's CA bundle:
/// only its certificates are kept, never its text).
#[derive(Clone)]
pub enum Loaded {
    Bytes(Vec<u8>),
    Pieces(std::sync::Arc<dyn reader::Source + Send>),
}

impl Loaded {
    fn text(&self) -> reader::Text<'_> {
        match self {
            Loaded::Bytes(bytes) => reader::Text::Bytes(bytes),
            Loaded::Pieces(source) => reader::Text::File(&**source),
        }
    }

    /// The whole content (a file left open is read now).
    fn bytes(&self) -> Result<std::borrow::Cow<'_, [u8]>, String> {
        let source = match self {
            Loaded::Bytes(bytes) => return Ok(bytes.as_slice().into()),
            Loaded::Pieces(source) => source,
        };
        let mut all = vec![0u8; source.size()];
        let got = reader::read_full(&**source, &mut all, 0)
            .map_err(|e| format!("could not be read: {e}"))?;
        all.truncate(got);
        Ok(all.into())
    }
}

/// One node: its name, the file it came from, the parsed configuration
/// and its model.
pub struct NodeInput<'a> {
    pub name: String,
    pub file: String,
    pub config: &'a Config,
    pub model: &'a NodeConfig,
}

/// What the check is judged for.
#[derive(Debug, Clone, Copy)]
pub struct Judge {
    pub at: OffsetDateTime,
    pub release: GoRelease,
    /// `(major, minor, patch)` of the nats-server the fleet runs, when
    /// known.
    pub server_version: Option<(u32, u32, u32)>,
}

/// A finding about one block of one node.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CheckFinding {
    pub node: String,
    pub file: String,
    pub block: String,
    pub severity: Severity,
    pub code: &'static str,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<String>,
    /// `FILE:LINE:COL`.
    pub location: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Route,
    Gateway,
    Leafnode,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ConnVerdict {
    Ok,
    OneWay,
    Broken,
}

impl ConnVerdict {
    pub fn name(self) -> &'static str {
        match self {
            ConnVerdict::Ok => "ok",
            ConnVerdict::OneWay => "one-way",
            ConnVerdict::Broken => "broken",
        }
    }
}

/// One connection of the fleet.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Connection {
    pub kind: Kind,
    pub from: String,
    pub to: String,
    pub verdict: ConnVerdict,
    pub reasons: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NodeSummary {
    pub name: String,
    pub file: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cluster: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gateway: Option<String>,
    pub tls_blocks: Vec<String>,
}

/// The whole check of a fleet.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub nodes: Vec<NodeSummary>,
    pub findings: Vec<CheckFinding>,
    pub connections: Vec<Connection>,
}

impl Report {
    /// A connection is broken or one-way.
    pub fn has_problem(&self) -> bool {
        self.connections
            .iter()
            .any(|c| c.verdict != ConnVerdict::Ok)
    }
}

/// What a TLS block presents and trusts, read from its files.
#[derive(Default)]
struct Material {
    leaf: Option<CertificateDer<'static>>,
    chain: Vec<CertificateDer<'static>>,
    info: Option<CertInfo>,
    /// `None`: no usable ca_file (nats-server then uses the system roots).
    anchors: Option<Anchors>,
    /// SHA-256 of the ca_file's certificates (zero without a ca_file):
    /// which verifiers hold the same anchors.
    anchors_key: [u8; 32],
    /// This block's certificate checked by verifiers, by their anchors,
    /// purpose and host: in a fleet every peer checks it against the same
    /// bundle, and the signature checks are most of the work.
    verified: RefCell<HashMap<VerifiedKey, Result<(), verify::Reason>>>,
}

type VerifiedKey = ([u8; 32], Purpose, Option<String>);

impl Material {
    /// `verify::verify_as` of this block's certificate by a verifier that
    /// holds `anchors` (whose key is `anchors_key`), remembered.
    fn verified_by(
        &self,
        leaf: &CertificateDer<'_>,
        anchors: &Anchors,
        anchors_key: [u8; 32],
        purpose: Purpose,
        host: Option<&str>,
        judge: Judge,
    ) -> Result<(), verify::Reason> {
        let key = (anchors_key, purpose, host.map(str::to_owned));
        if let Some(r) = self.verified.borrow().get(&key) {
            return r.clone();
        }
        let r = verify::verify_as(
            anchors,
            leaf,
            &self.chain,
            purpose,
            host,
            judge.at,
            judge.release,
        )
        .map(|_| ());
        self.verified.borrow_mut().insert(key, r.clone());
        r
    }
}

fn empty_anchors(at: OffsetDateTime) -> Anchors {
    Anchors::new(Vec::new(), at)
}

/// The paths a block's files resolve to (nats-server opens them relative
/// to its working directory).
pub fn block_paths(block: &TlsBlock, server_cwd: &Path) -> Vec<PathBuf> {
    [&block.cert_file, &block.key_file, &block.ca_file]
        .into_iter()
        .flatten()
        .map(|f| model::resolve(&f.value, server_cwd))
        .collect()
}

struct Ctx<'a> {
    files: &'a Files,
    cwd: &'a Path,
    judge: Judge,
}

struct Sink<'a> {
    node: &'a NodeInput<'a>,
    out: &'a mut Vec<CheckFinding>,
}

impl Sink<'_> {
    fn push(
        &mut self,
        block: &str,
        severity: Severity,
        code: &'static str,
        pos: super::natsconf::Pos,
        message: String,
        fix: Option<&str>,
    ) {
        self.out.push(CheckFinding {
            node: self.node.name.clone(),
            file: self.node.file.clone(),
            block: block.to_string(),
            severity,
            code,
            message,
            fix: fix.map(str::to_string),
            location: self.node.config.locate(pos),
        });
    }
}

fn file_loaded<'f>(ctx: &'f Ctx<'_>, value: &str) -> (PathBuf, Option<&'f Result<Loaded, String>>) {
    let p = model::resolve(value, ctx.cwd);
    let got = ctx.files.get(&p);
    (p, got)
}

/// A file's whole content (a certificate or key file), or why not.
type Content<'f> = Option<Result<std::borrow::Cow<'f, [u8]>, String>>;

fn file_bytes<'f>(ctx: &'f Ctx<'_>, value: &str) -> (PathBuf, Content<'f>) {
    let (p, got) = file_loaded(ctx, value);
    let got = got.map(|r| match r {
        Ok(loaded) => loaded.bytes(),
        Err(e) => Err(e.clone()),
    });
    (p, got)
}

/// Reads a block's material, reporting what nats-server would refuse.
fn material(ctx: &Ctx<'_>, block: &TlsBlock, sink: &mut Sink<'_>) -> Material {
    let mut m = Material::default();
    let at = ctx.judge.at;
    let name = &block.name;
    if let Some(cert) = &block.cert_file {
        match file_bytes(ctx, &cert.value) {
            (p, Some(Ok(bytes))) => {
                let certs: Vec<CertificateDer<'static>> = reader::read_strict(&bytes)
                    .map(|items| {
                        items
                            .into_iter()
                            .filter_map(|(_, i)| match i {
                                reader::Item::Certificate(c) => Some(c),
                                _ => None,
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                match certs.split_first() {
                    None => sink.push(
                        name,
                        Severity::Error,
                        "cert-file-unreadable",
                        cert.pos,
                        format!("{}: holds no certificate nats-server can load", p.display()),
                        Some("point cert_file at the node's PEM certificate (leaf first, then its chain)"),
                    ),
                    Some((leaf, chain)) => {
                        m.leaf = Some(leaf.clone());
                        m.chain = chain.to_vec();
                        match CertInfo::parse(leaf, at) {
                            Ok(info) => m.info = Some(info),
                            Err(e) => sink.push(
                                name,
                                Severity::Error,
                                "cert-file-unreadable",
                                cert.pos,
                                format!("{}: {e}", p.display()),
                                None,
                            ),
                        }
                    }
                }
            }
            (p, other) => sink.push(
                name,
                Severity::Error,
                "cert-file-unreadable",
                cert.pos,
                format!(
                    "{}: {}; nats-server refuses to start",
                    p.display(),
                    unreadable(other.as_ref())
                ),
                Some(
                    "fix the path (relative paths are opened from the server's working directory)",
                ),
            ),
        }
    }
    if let Some(k) = &block.key_file
        && block.cert_store.is_none()
    {
        match file_bytes(ctx, &k.value) {
            (p, Some(Ok(bytes))) => {
                let key: Option<PrivateKeyDer<'static>> =
                    reader::read_strict(&bytes).ok().and_then(|items| {
                        items.into_iter().find_map(|(_, i)| match i {
                            reader::Item::PrivateKey(k) => Some(k),
                            _ => None,
                        })
                    });
                match key {
                    None => sink.push(
                        name,
                        Severity::Error,
                        "key-file-unreadable",
                        k.pos,
                        format!("{}: holds no private key", p.display()),
                        None,
                    ),
                    Some(key) => {
                        let key_pin = key::public_spki(&key).map(|s| pin::spki_pin(&s));
                        if let (Ok(kp), Some(info)) = (key_pin, &m.info)
                            && kp != info.pin_sha256
                        {
                            sink.push(
                                name,
                                Severity::Error,
                                "key-mismatch",
                                k.pos,
                                format!(
                                    "{} is not the key of {} (the certificate's pin is {}, the key's {kp}): nats-server refuses to start",
                                    p.display(),
                                    info.subject,
                                    info.pin_sha256
                                ),
                                Some("give the key the certificate was issued for, or the certificate of this key"),
                            );
                        }
                    }
                }
            }
            (p, other) => sink.push(
                name,
                Severity::Error,
                "key-file-unreadable",
                k.pos,
                format!(
                    "{}: {}; nats-server refuses to start",
                    p.display(),
                    unreadable(other.as_ref())
                ),
                None,
            ),
        }
    }
    if let Some(ca) = &block.ca_file {
        match file_loaded(ctx, &ca.value) {
            (p, Some(Ok(loaded))) => match diff::read_bundle_text(loaded.text()) {
                Ok(b) => {
                    let mut h = aws_lc_rs::digest::Context::new(&aws_lc_rs::digest::SHA256);
                    for c in &b.certs {
                        h.update(&(c.der().len() as u64).to_be_bytes());
                        h.update(c.der());
                    }
                    m.anchors_key.copy_from_slice(h.finish().as_ref());
                    // Each DER once, in the anchors (a 100,000-certificate
                    // ca_file is 50 MB of DER).
                    m.anchors = Some(Anchors::from_ders(b.certs.iter().map(diff::Cert::der)));
                    if !b.skipped.is_empty() {
                        sink.push(
                            name,
                            Severity::Warning,
                            "ca-file-skipped",
                            ca.pos,
                            format!(
                                "{}: {} block(s) Go skips when it loads the bundle",
                                p.display(),
                                b.skipped.len()
                            ),
                            None,
                        );
                    }
                }
                Err(e) => {
                    sink.push(
                        name,
                        Severity::Error,
                        "ca-file-refused",
                        ca.pos,
                        format!("{}: {e}", p.display()),
                        Some("give a PEM bundle of the CA certificates that issue the peers"),
                    );
                    m.anchors = Some(empty_anchors(at));
                }
            },
            (p, other) => {
                sink.push(
                    name,
                    Severity::Error,
                    "ca-file-unreadable",
                    ca.pos,
                    format!(
                        "{}: {}; nats-server refuses to start",
                        p.display(),
                        unreadable(other)
                    ),
                    None,
                );
                m.anchors = Some(empty_anchors(at));
            }
        }
    }
    m
}

fn unreadable<T>(r: Option<&Result<T, String>>) -> String {
    match r {
        Some(Err(e)) => e.clone(),
        _ => "not read".to_string(),
    }
}

/// The purposes a block's certificate serves.
fn purposes(ctx: TlsContext) -> &'static [Purpose] {
    match ctx {
        TlsContext::Cluster | TlsContext::Gateway => &[Purpose::Server, Purpose::Client],
        TlsContext::GatewayRemote | TlsContext::LeafnodeRemote => &[Purpose::Client],
        _ => &[Purpose::Server],
    }
}

/// The names nats-server tries, in auth.go's order, when it maps a
/// certificate to a user: email SANs, DNS SANs, URI SANs, then the subject
/// DN as Go's RFC 2253 string (with its domain components appended first,
/// then without). A certificate with neither an email nor a URI SAN nor a
/// subject maps to nothing, DNS SANs or not (auth.go gives up first).
pub fn map_candidates(info: &CertInfo) -> Vec<String> {
    let mut out = Vec::new();
    let subject = dn::subject_map_names(info);
    let has = |k| info.sans.iter().any(|s| s.kind == k);
    if subject.is_empty() && !has(SanKind::Email) && !has(SanKind::Uri) {
        return out;
    }
    for kind in [SanKind::Email, SanKind::Dns, SanKind::Uri] {
        out.extend(
            info.sans
                .iter()
                .filter(|s| s.kind == kind)
                .map(|s| s.value.clone()),
        );
    }
    out.extend(subject);
    out
}

fn quoted(names: &[String]) -> String {
    if names.is_empty() {
        return "none".to_string();
    }
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn version_before(v: Option<(u32, u32, u32)>, need: (u32, u32, u32)) -> bool {
    v.is_some_and(|v| v < need)
}

/// Parses `2.10.4`, `v2.9`, `2.15.1-beta`.
pub fn parse_version(text: &str) -> Option<(u32, u32, u32)> {
    let v = text.trim().trim_start_matches('v');
    let v = v.split(['-', '+']).next()?;
    let mut parts = v.split('.');
    let major = parts.next()?.parse().ok()?;
    let minor = parts.next().map_or(Some(0), |p| p.parse().ok())?;
    let patch = parts.next().map_or(Some(0), |p| p.parse().ok())?;
    if parts.next().is_some() {
        return None;
    }
    Some((major, minor, patch))
}

/// Every leaf and every CA certificate the fleet's files show.
struct Seen {
    leaf_pins: Vec<String>,
    ca_pins: Vec<(String, String)>,
}

fn block_checks(
    ctx: &Ctx<'_>,
    block: &TlsBlock,
    m: &Material,
    node: &NodeConfig,
    seen: &Seen,
    sink: &mut Sink<'_>,
) {
    let name = &block.name;
    let at = ctx.judge.at;
    if let (Some(info), Some(leaf), Some(cert)) = (&m.info, &m.leaf, &block.cert_file) {
        if info.is_ca {
            sink.push(
                name,
                Severity::Error,
                "cert-is-ca",
                cert.pos,
                format!(
                    "{} is a CA certificate, not the node's own leaf",
                    info.subject
                ),
                Some("give the node's leaf certificate first in cert_file"),
            );
        }
        match info.validity {
            Validity::Expired => sink.push(
                name,
                Severity::Error,
                "expired",
                cert.pos,
                format!(
                    "{} expired on {}; peers refuse it",
                    info.subject,
                    crate::pki::render::format_time(info.not_after)
                ),
                Some("renew it (tlsctl cert renew)"),
            ),
            Validity::NotYetValid => sink.push(
                name,
                Severity::Error,
                "not-yet-valid",
                cert.pos,
                format!(
                    "{} is not valid until {}",
                    info.subject,
                    crate::pki::render::format_time(info.not_before)
                ),
                None,
            ),
            Validity::Valid if info.days_left < 30 => sink.push(
                name,
                Severity::Warning,
                "expires-soon",
                cert.pos,
                format!("{} expires in {} days", info.subject, info.days_left),
                Some("renew it (tlsctl cert renew)"),
            ),
            Validity::Valid => {}
        }
        if let Some(anchors) = &m.anchors {
            for purpose in purposes(block.context) {
                if let Err(reason) = verify::verify_as(
                    anchors,
                    leaf,
                    &m.chain,
                    *purpose,
                    None,
                    at,
                    ctx.judge.release,
                ) {
                    let fix = match reason {
                        verify::Reason::WrongEku { .. } => {
                            "reissue the certificate with both serverAuth and clientAuth (tlsctl cert issue --usage dual) where the block dials and accepts"
                        }
                        _ => {
                            "peers sharing this ca_file refuse this node: fix the chain in cert_file or the bundle"
                        }
                    };
                    sink.push(
                        name,
                        Severity::Error,
                        "cert-does-not-verify",
                        cert.pos,
                        format!(
                            "{} does not verify as a TLS {} against this block's own ca_file ({}): {reason}",
                            info.subject,
                            purpose.eku_name(),
                            ctx.judge.release.name()
                        ),
                        Some(fix),
                    );
                    break;
                }
            }
        }
    }

    // pinned_certs
    let pins_apply = block.verifies()
        || matches!(
            block.context,
            TlsContext::Cluster
                | TlsContext::Gateway
                | TlsContext::GatewayRemote
                | TlsContext::LeafnodeRemote
        );
    if !block.pinned_certs.is_empty() && !pins_apply {
        sink.push(
            name,
            Severity::Warning,
            "pins-without-verify",
            block.pos,
            "pinned_certs without verify: nats-server asks clients for no certificate here, so no pin can match".into(),
            Some("add verify: true"),
        );
    }
    for p in &block.pinned_certs {
        if let Some((_, subject)) = seen.ca_pins.iter().find(|(pin, _)| *pin == p.value) {
            sink.push(
                name,
                Severity::Error,
                "pin-is-ca",
                p.pos,
                format!(
                    "{} is the pin of the CA {subject}: nats-server compares pinned_certs with the peer's own leaf only, so it admits no one",
                    p.value
                ),
                Some("pin the peers' leaf certificates (tlsctl pin --nats LEAF...)"),
            );
        } else if p.value.len() == 64 && !seen.leaf_pins.contains(&p.value) {
            sink.push(
                name,
                Severity::Warning,
                "pin-unknown",
                p.pos,
                format!(
                    "{} matches no leaf certificate of the given configs",
                    p.value
                ),
                Some("drop it if the node it pinned is gone"),
            );
        }
    }
    if let Some(info) = &m.info
        && !block.pinned_certs.is_empty()
        && matches!(block.context, TlsContext::Cluster | TlsContext::Gateway)
        && !block
            .pinned_certs
            .iter()
            .any(|p| p.value == info.pin_sha256)
    {
        sink.push(
            name,
            Severity::Warning,
            "own-pin-missing",
            block.pos,
            format!(
                "the pins lack this node's own key ({}, {}): nodes that share this list refuse it",
                info.subject, info.pin_sha256
            ),
            Some("add the node's pin (tlsctl pin --nats CERT)"),
        );
    }

    // verify_cert_and_check_known_urls: nats-server compares the dialer's
    // DNS SANs with the hosts of this node's own route (or gateway) URLs.
    if let Some(k) = &block.verify_cert_and_check_known_urls
        && k.value
    {
        let urls: Vec<&str> = match block.context {
            TlsContext::Cluster => node
                .cluster
                .iter()
                .flat_map(|c| c.routes.iter().map(|u| u.value.as_str()))
                .collect(),
            _ => node
                .gateway
                .iter()
                .flat_map(|g| g.gateways.iter())
                .flat_map(|g| g.urls.iter().map(|u| u.value.as_str()))
                .collect(),
        };
        let hosts: Vec<String> = urls.iter().filter_map(|u| url_host(u)).collect();
        let dns_hosts = hosts
            .iter()
            .filter(|h| h.parse::<std::net::IpAddr>().is_err())
            .count();
        if dns_hosts == 0 {
            sink.push(
                name,
                Severity::Error,
                "known-urls-no-dns",
                k.pos,
                format!(
                    "verify_cert_and_check_known_urls matches the dialer's DNS SANs against the hosts of this node's own URLs, and {}: every peer that dials this node is refused",
                    if hosts.is_empty() {
                        "it lists none".to_string()
                    } else {
                        format!("they are IP addresses only ({})", hosts.join(", "))
                    }
                ),
                Some("list the peers by the DNS names in their certificates, or use verify: true"),
            );
        }
    }

    // verify_and_map
    if let Some(vm) = &block.verify_and_map
        && vm.value
    {
        match block.context {
            TlsContext::Cluster => {
                let user = node
                    .cluster
                    .as_ref()
                    .and_then(|c| c.authorization.as_ref())
                    .and_then(|a| a.user.as_ref());
                match user {
                    None => sink.push(
                        name,
                        Severity::Error,
                        "map-cluster-user-missing",
                        vm.pos,
                        "verify_and_map in cluster.tls without cluster { authorization { user } }: nats-server refuses every route".into(),
                        Some("add cluster { authorization { user: IDENTITY } } with the identity the peers' certificates map to"),
                    ),
                    Some(u) => {
                        if let Some(info) = &m.info {
                            let cands = map_candidates(info);
                            if !cands.contains(&u.value) {
                                sink.push(
                                    name,
                                    Severity::Warning,
                                    "map-cluster-user-mismatch",
                                    u.pos,
                                    format!(
                                        "cluster.authorization.user `{}` is none of the names this node's certificate maps to ({}); peers with certificates like it are refused",
                                        u.value,
                                        quoted(&cands)
                                    ),
                                    None,
                                );
                            }
                        }
                    }
                }
            }
            _ => {
                if node.user_names().is_empty() {
                    sink.push(
                        name,
                        Severity::Error,
                        "map-no-users",
                        vm.pos,
                        "verify_and_map with no users defined: no certificate maps to a user, so every connection is refused".into(),
                        Some("define users named by the clients' email, DNS or URI SAN or subject DN"),
                    );
                }
            }
        }
    }

    // handshake_first and the version
    if let Some(hf) = &block.handshake_first
        && hf.value != model::HandshakeFirst::Off
    {
        let need = match block.context {
            TlsContext::Leafnodes | TlsContext::LeafnodeRemote => Some((2, 10, 0)),
            TlsContext::Client => Some((2, 10, 4)),
            _ => None,
        };
        if let Some(need) = need
            && version_before(ctx.judge.server_version, need)
        {
            sink.push(
                name,
                Severity::Error,
                "handshake-first-version",
                hf.pos,
                format!(
                    "handshake_first here needs nats-server {}.{}.{} or later",
                    need.0, need.1, need.2
                ),
                Some("drop handshake_first or upgrade nats-server"),
            );
        }
    }
}

/// A host and port a URL or listen address names.
fn host_port(text: &str, default_port: i64) -> Option<(String, i64)> {
    let rest = text.split_once("://").map_or(text, |(_, r)| r);
    let rest = rest.rsplit_once('@').map_or(rest, |(_, r)| r);
    let rest = rest.split('/').next().unwrap_or(rest);
    if let Ok(port) = rest.parse::<i64>() {
        return Some((String::new(), port));
    }
    if let Some(r) = rest.strip_prefix('[') {
        let (host, after) = r.split_once(']')?;
        let port = after
            .strip_prefix(':')
            .map_or(Some(default_port), |p| p.parse().ok())?;
        return Some((host.to_ascii_lowercase(), port));
    }
    match rest.rsplit_once(':') {
        Some((h, p)) => Some((h.to_ascii_lowercase(), p.parse().ok()?)),
        None => Some((rest.to_ascii_lowercase(), default_port)),
    }
}

fn url_host(text: &str) -> Option<String> {
    host_port(text, 0).map(|(h, _)| h).filter(|h| !h.is_empty())
}

/// The addresses a block listens on and advertises.
fn addresses(l: &Listen, default_port: i64) -> Vec<(String, i64)> {
    let mut out = Vec::new();
    let host = l.host.as_ref().map(|h| h.value.to_ascii_lowercase());
    if let Some(v) = &l.listen
        && let Some((h, p)) = host_port(&v.value, default_port)
    {
        out.push((
            if h.is_empty() {
                host.clone().unwrap_or_default()
            } else {
                h
            },
            p,
        ));
    }
    if let Some(p) = &l.port {
        out.push((host.clone().unwrap_or_default(), p.value));
    }
    if let Some(a) = &l.advertise
        && let Some(hp) = host_port(&a.value, default_port)
    {
        out.push(hp);
    }
    out
}

fn matches_addr(url: &str, addrs: &[(String, i64)], default_port: i64) -> bool {
    let Some((h, p)) = host_port(url, default_port) else {
        return false;
    };
    addrs.iter().any(|(ah, ap)| {
        *ap == p
            && (ah == &h
                || ah.is_empty()
                || ah == "0.0.0.0"
                || ah == "::"
                || (is_loopback(ah) && is_loopback(&h)))
    })
}

fn is_loopback(h: &str) -> bool {
    h == "127.0.0.1" || h == "localhost" || h == "::1"
}

/// A DNS SAN against a configured URL's host as auth.go's
/// dnsAltNameMatches compares them: label by label, lowercase, a `*` only
/// as the whole leftmost label and matching one label.
fn dns_alt_name_matches(san: &str, host: &str) -> bool {
    let san: Vec<&str> = san.split('.').collect();
    let host: Vec<&str> = host.split('.').collect();
    san.len() == host.len()
        && san
            .iter()
            .zip(&host)
            .enumerate()
            .all(|(i, (s, h))| (i == 0 && *s == "*") || s.eq_ignore_ascii_case(h))
}

/// One side of a connection: the node, and the block it uses.
struct Side<'a> {
    name: &'a str,
    block: Option<&'a TlsBlock>,
    material: Option<&'a Material>,
}

/// Why `dialer` dialling `acceptor` at `host` fails, if it does.
fn direction(
    dialer: &Side<'_>,
    acceptor: &Side<'_>,
    host: Option<&str>,
    acceptor_verifies: bool,
    acceptor_node: &NodeConfig,
    judge: Judge,
    kind: Kind,
) -> Result<(), String> {
    let at = judge.at;
    let (Some(ab), Some(am)) = (acceptor.block, acceptor.material) else {
        return match dialer.block {
            Some(_) if kind != Kind::Leafnode => Err(format!(
                "{} dials with TLS but {} has no TLS block for it",
                dialer.name, acceptor.name
            )),
            _ => Ok(()),
        };
    };
    let Some(a_leaf) = &am.leaf else {
        return Err(format!(
            "{} has no certificate it can present",
            acceptor.name
        ));
    };
    // The dialer verifies the acceptor as a server.
    let none = empty_anchors(at);
    let insecure = dialer
        .block
        .and_then(|b| b.insecure.as_ref())
        .is_some_and(|i| i.value);
    if !insecure {
        let (anchors, anchors_key, what) = match dialer
            .material
            .and_then(|m| m.anchors.as_ref().map(|a| (a, m.anchors_key)))
        {
            Some((a, key)) => (a, key, None),
            None => (
                &none,
                [0; 32],
                Some(if dialer.block.is_none() {
                    "it has no tls block of its own for this connection, so it trusts only the system roots"
                } else {
                    "its block has no ca_file, so it trusts only the system roots"
                }),
            ),
        };
        if let Err(reason) =
            am.verified_by(a_leaf, anchors, anchors_key, Purpose::Server, host, judge)
        {
            let why = what.map_or_else(String::new, |w| format!(" ({w})"));
            return Err(format!(
                "{} refuses {}'s certificate as a server{why}: {reason}",
                dialer.name, acceptor.name
            ));
        }
    }
    let d_pins = dialer.block.map_or(&[][..], |b| &b.pinned_certs[..]);
    if !d_pins.is_empty()
        && let Some(info) = &am.info
        && !d_pins.iter().any(|p| p.value == info.pin_sha256)
    {
        return Err(format!(
            "{} refuses {}: certificate not pinned ({} is not in its pinned_certs)",
            dialer.name, acceptor.name, info.pin_sha256
        ));
    }
    if !acceptor_verifies {
        return Ok(());
    }
    // The acceptor verifies the dialer as a client.
    let d_info = dialer.material.and_then(|m| m.info.as_ref());
    let Some((d_leaf, d_mat)) = dialer
        .material
        .and_then(|m| m.leaf.as_ref().map(|l| (l, m)))
    else {
        return Err(format!(
            "{} requires a client certificate and {} presents none",
            acceptor.name, dialer.name
        ));
    };
    let (anchors, anchors_key) = am
        .anchors
        .as_ref()
        .map_or((&none, [0; 32]), |a| (a, am.anchors_key));
    if let Err(reason) =
        d_mat.verified_by(d_leaf, anchors, anchors_key, Purpose::Client, None, judge)
    {
        return Err(format!(
            "{} refuses {}'s certificate as a client: {reason}",
            acceptor.name, dialer.name
        ));
    }
    if let Some(info) = d_info {
        if !ab.pinned_certs.is_empty()
            && !ab.pinned_certs.iter().any(|p| p.value == info.pin_sha256)
        {
            return Err(format!(
                "{} refuses {}: certificate not pinned ({} is not in its pinned_certs)",
                acceptor.name, dialer.name, info.pin_sha256
            ));
        }
        if ab
            .verify_cert_and_check_known_urls
            .as_ref()
            .is_some_and(|k| k.value)
        {
            let known: Vec<String> = match kind {
                Kind::Route => acceptor_node
                    .cluster
                    .iter()
                    .flat_map(|c| c.routes.iter())
                    .filter_map(|u| url_host(&u.value))
                    .collect(),
                _ => acceptor_node
                    .gateway
                    .iter()
                    .flat_map(|g| g.gateways.iter())
                    .flat_map(|g| g.urls.iter())
                    .filter_map(|u| url_host(&u.value))
                    .collect(),
            };
            let dns: Vec<String> = info
                .sans
                .iter()
                .filter(|s| s.kind == SanKind::Dns)
                .map(|s| s.value.to_ascii_lowercase())
                .collect();
            if !dns
                .iter()
                .any(|d| known.iter().any(|k| dns_alt_name_matches(d, k)))
            {
                return Err(format!(
                    "{} refuses {}: verify_cert_and_check_known_urls matches only DNS SANs ({}) against its own configured URLs' hosts ({})",
                    acceptor.name,
                    dialer.name,
                    if dns.is_empty() {
                        "none".into()
                    } else {
                        dns.join(", ")
                    },
                    if known.is_empty() {
                        "none".into()
                    } else {
                        known.join(", ")
                    }
                ));
            }
        }
        if kind == Kind::Route && ab.verify_and_map.as_ref().is_some_and(|v| v.value) {
            let user = acceptor_node
                .cluster
                .as_ref()
                .and_then(|c| c.authorization.as_ref())
                .and_then(|a| a.user.as_ref());
            let cands = map_candidates(info);
            if !user.is_some_and(|u| cands.contains(&u.value)) {
                return Err(format!(
                    "{} maps {}'s certificate to one of {} but its cluster.authorization.user is {}",
                    acceptor.name,
                    dialer.name,
                    quoted(&cands),
                    user.map_or("not set".to_string(), |u| format!("`{}`", u.value))
                ));
            }
        }
    }
    Ok(())
}

/// Checks the fleet.
pub fn check(nodes: &[NodeInput<'_>], files: &Files, server_cwd: &Path, judge: Judge) -> Report {
    let ctx = Ctx {
        files,
        cwd: server_cwd,
        judge,
    };
    let mut findings = Vec::new();
    // Model findings first.
    for n in nodes {
        for f in &n.model.findings {
            findings.push(CheckFinding {
                node: n.name.clone(),
                file: n.file.clone(),
                block: f.block.clone(),
                severity: f.severity,
                code: f.code,
                message: f.message.clone(),
                fix: None,
                location: f.locate(n.config),
            });
        }
    }
    // Material of every block, by node and block name.
    let mut mats: Vec<BTreeMap<String, Material>> = Vec::new();
    for n in nodes {
        let mut sink = Sink {
            node: n,
            out: &mut findings,
        };
        let mut by = BTreeMap::new();
        for b in n.model.tls_blocks() {
            by.insert(b.name.clone(), material(&ctx, b, &mut sink));
        }
        mats.push(by);
    }
    let mut seen = Seen {
        leaf_pins: Vec::new(),
        ca_pins: Vec::new(),
    };
    for m in mats.iter().flat_map(|b| b.values()) {
        if let Some(i) = &m.info
            && !i.is_ca
        {
            seen.leaf_pins.push(i.pin_sha256.clone());
        }
        let anchors = m.anchors.iter().flat_map(Anchors::ders);
        for c in m.chain.iter().map(|c| c.as_ref()).chain(anchors) {
            if let Ok(i) = CertInfo::parse(c, judge.at)
                && i.is_ca
            {
                seen.ca_pins.push((i.pin_sha256, i.subject));
            }
        }
    }
    for (n, by) in nodes.iter().zip(&mats) {
        let mut sink = Sink {
            node: n,
            out: &mut findings,
        };
        for b in n.model.tls_blocks() {
            if let Some(m) = by.get(&b.name) {
                block_checks(&ctx, b, m, n.model, &seen, &mut sink);
            }
        }
    }

    let mut connections = Vec::new();
    routes(nodes, &mats, judge, &mut connections, &mut findings);
    gateways(nodes, &mats, judge, &mut connections);
    leafnodes(nodes, &mats, judge, &mut connections);

    Report {
        nodes: nodes
            .iter()
            .map(|n| NodeSummary {
                name: n.name.clone(),
                file: n.file.clone(),
                cluster: n
                    .model
                    .cluster
                    .as_ref()
                    .and_then(|c| c.name.as_ref())
                    .map(|c| c.value.clone()),
                gateway: n
                    .model
                    .gateway
                    .as_ref()
                    .and_then(|g| g.name.as_ref())
                    .map(|g| g.value.clone()),
                tls_blocks: n
                    .model
                    .tls_blocks()
                    .iter()
                    .map(|b| b.name.clone())
                    .collect(),
            })
            .collect(),
        findings,
        connections,
    }
}

fn side<'a>(
    n: &'a NodeInput<'_>,
    m: &'a BTreeMap<String, Material>,
    block: Option<&'a TlsBlock>,
) -> Side<'a> {
    Side {
        name: &n.name,
        block,
        material: block.and_then(|b| m.get(&b.name)),
    }
}

fn routes(
    nodes: &[NodeInput<'_>],
    mats: &[BTreeMap<String, Material>],
    judge: Judge,
    out: &mut Vec<Connection>,
    findings: &mut Vec<CheckFinding>,
) {
    const PORT: i64 = 6222;
    let addrs: Vec<Vec<(String, i64)>> = nodes
        .iter()
        .map(|n| {
            n.model
                .cluster
                .as_ref()
                .map_or_else(Vec::new, |c| addresses(&c.listen, PORT))
        })
        .collect();
    // Route URLs that name no node given.
    for n in nodes {
        let Some(c) = &n.model.cluster else { continue };
        for u in &c.routes {
            let own = addrs
                .iter()
                .zip(nodes)
                .any(|(a, m)| std::ptr::eq(m, n) && matches_addr(&u.value, a, PORT));
            let any = addrs
                .iter()
                .zip(nodes)
                .any(|(a, m)| !std::ptr::eq(m, n) && matches_addr(&u.value, a, PORT));
            if !any && !own {
                findings.push(CheckFinding {
                    node: n.name.clone(),
                    file: n.file.clone(),
                    block: "cluster.routes".into(),
                    severity: Severity::Info,
                    code: "route-url-unknown",
                    message: format!(
                        "{} matches the cluster address of none of the given configs: its connection is not judged",
                        u.value
                    ),
                    fix: None,
                    location: n.config.locate(u.pos),
                });
            }
        }
    }
    let cluster = |n: &NodeInput<'_>| {
        n.model
            .cluster
            .as_ref()
            .map(|c| c.name.as_ref().map(|n| n.value.clone()))
    };
    // Explicit routes: a pair where at least one lists the other.
    let mut judged: Vec<(usize, usize, Connection)> = Vec::new();
    // Pairs whose only listed direction fails: the other may still dial
    // through gossip.
    let mut single: Vec<(usize, usize, usize)> = Vec::new();
    let mut formed: Vec<(usize, usize)> = Vec::new();
    for i in 0..nodes.len() {
        for j in (i + 1)..nodes.len() {
            let (a, b) = (&nodes[i], &nodes[j]);
            let (Some(ca), Some(cb)) = (&a.model.cluster, &b.model.cluster) else {
                continue;
            };
            if cluster(a) != cluster(b) {
                continue;
            }
            let a_url = ca
                .routes
                .iter()
                .find(|u| matches_addr(&u.value, &addrs[j], PORT));
            let b_url = cb
                .routes
                .iter()
                .find(|u| matches_addr(&u.value, &addrs[i], PORT));
            if a_url.is_none() && b_url.is_none() {
                continue;
            }
            let sa = side(a, &mats[i], ca.tls.as_ref());
            let sb = side(b, &mats[j], cb.tls.as_ref());
            let mut reasons = Vec::new();
            let mut results = Vec::new();
            for (d, dc, acc, url, acc_node) in [
                (&sa, ca, &sb, a_url, b.model),
                (&sb, cb, &sa, b_url, a.model),
            ] {
                let Some(url) = url else {
                    reasons.push(format!(
                        "{} does not list {} in its routes",
                        d.name, acc.name
                    ));
                    continue;
                };
                let names = server_names(url_host(&url.value), route_tls_name(dc).as_deref());
                let r = route_direction(d, acc, &names, acc_node, judge);
                match &r {
                    Ok(()) => {
                        reasons.push(format!("{} dials {} ({}): ok", d.name, acc.name, url.value))
                    }
                    Err(e) => reasons.push(format!(
                        "{} dials {} ({}): {e}",
                        d.name, acc.name, url.value
                    )),
                }
                results.push(r.is_ok());
            }
            let verdict = match (results.iter().filter(|r| **r).count(), results.len()) {
                (ok, n) if ok == n => ConnVerdict::Ok,
                (0, _) => ConnVerdict::Broken,
                _ => ConnVerdict::OneWay,
            };
            if verdict == ConnVerdict::Broken {
                if results.len() == 1 {
                    single.push((i, j, if a_url.is_some() { j } else { i }));
                }
            } else {
                formed.push((i, j));
            }
            judged.push((
                i,
                j,
                Connection {
                    kind: Kind::Route,
                    from: a.name.clone(),
                    to: b.name.clone(),
                    verdict,
                    reasons,
                },
            ));
        }
    }

    // Implicit routes (route.go processImplicitRoute): a node that accepts
    // a new route forwards its INFO to the routes it has, and each of them
    // dials the newcomer unless it lists it. So nodes joined through the
    // routes that form dial each other, at the address the newcomer
    // advertises or the one its connection came from, with cluster.tls.
    let mut group: Vec<usize> = (0..nodes.len()).collect();
    fn root(g: &mut [usize], mut x: usize) -> usize {
        while g[x] != x {
            g[x] = g[g[x]];
            x = g[x];
        }
        x
    }
    for &(i, j) in &formed {
        let (ri, rj) = (root(&mut group, i), root(&mut group, j));
        group[ri] = rj;
    }
    let gossip = |d: usize, acc: usize| {
        let (dn, an) = (&nodes[d], &nodes[acc]);
        let (Some(dc), Some(ac)) = (&dn.model.cluster, &an.model.cluster) else {
            return (Err("no cluster block".to_string()), String::new());
        };
        let (host, shown) = implicit_address(&ac.listen, PORT);
        let tls_name = route_tls_name(dc);
        let names = match &host {
            Some(_) => server_names(host.clone(), tls_name.as_deref()),
            // An address only the network knows: the saved name, then (if
            // the certificate has IP SANs) the address, assumed among them.
            None => {
                let has_ip = mats[acc]
                    .values()
                    .filter_map(|m| m.info.as_ref())
                    .any(|i| i.sans.iter().any(|s| s.kind == SanKind::Ip));
                tls_name
                    .map(Some)
                    .into_iter()
                    .chain(has_ip.then_some(None))
                    .collect()
            }
        };
        let sd = side(dn, &mats[d], dc.tls.as_ref());
        let sa = side(an, &mats[acc], ac.tls.as_ref());
        let r = route_direction(&sd, &sa, &names, an.model, judge);
        (
            r,
            format!(
                "{} dials {} at {shown} (learned from gossip)",
                dn.name, an.name
            ),
        )
    };
    for (i, j, listener) in single {
        if root(&mut group, i) != root(&mut group, j) {
            continue;
        }
        // The node that does not list the other dials it when it learns
        // of it, which it does when the other joins after it.
        let (d, acc) = if listener == i { (i, j) } else { (j, i) };
        let (r, how) = gossip(d, acc);
        if let Some((_, _, c)) = judged.iter_mut().find(|(a, b, _)| (*a, *b) == (i, j)) {
            match r {
                Ok(()) => {
                    c.verdict = ConnVerdict::OneWay;
                    c.reasons.push(format!(
                        "{how}: ok, so the route forms only when {} joins the cluster after {}",
                        nodes[acc].name, nodes[d].name
                    ));
                }
                Err(e) => c.reasons.push(format!("{how}: {e}")),
            }
        }
    }
    for i in 0..nodes.len() {
        for j in (i + 1)..nodes.len() {
            if cluster(&nodes[i]).is_none()
                || cluster(&nodes[i]) != cluster(&nodes[j])
                || judged.iter().any(|(a, b, _)| (*a, *b) == (i, j))
                || root(&mut group, i) != root(&mut group, j)
            {
                continue;
            }
            let mut reasons = vec![
                "neither lists the other: they learn of each other from the routes they share"
                    .to_string(),
            ];
            let mut oks = Vec::new();
            for (d, acc) in [(i, j), (j, i)] {
                let (r, how) = gossip(d, acc);
                match &r {
                    Ok(()) => reasons.push(format!("{how}: ok")),
                    Err(e) => reasons.push(format!("{how}: {e}")),
                }
                oks.push(r.is_ok());
            }
            let verdict = match (oks[0], oks[1]) {
                (true, true) => ConnVerdict::Ok,
                (false, false) => ConnVerdict::Broken,
                (first, _) => {
                    let (d, acc) = if first { (i, j) } else { (j, i) };
                    reasons.push(format!(
                        "the route forms only when {} dials, that is when {} joins the cluster after it",
                        nodes[d].name, nodes[acc].name
                    ));
                    ConnVerdict::OneWay
                }
            };
            judged.push((
                i,
                j,
                Connection {
                    kind: Kind::Route,
                    from: nodes[i].name.clone(),
                    to: nodes[j].name.clone(),
                    verdict,
                    reasons,
                },
            ));
        }
    }
    judged.sort_by_key(|(i, j, _)| (*i, *j));
    out.extend(judged.into_iter().map(|(_, _, c)| c));
}

/// The hostname nats-server keeps from a node's configured route URLs
/// (route.go saveRouteTLSName): the first that is not an IP address. A
/// route dialled at an IP address is verified for this name.
fn route_tls_name(c: &model::ClusterBlock) -> Option<String> {
    c.routes
        .iter()
        .filter_map(|u| url_host(&u.value))
        .find(|h| h.parse::<std::net::IpAddr>().is_err())
}

/// The names a dialer verifies a route's certificate for, in the order it
/// tries them: the URL's host; for an IP address the saved route TLS name
/// first, then (after the hostname error that clears it, and the retry
/// that follows, implicit routes included) the address.
fn server_names(host: Option<String>, tls_name: Option<&str>) -> Vec<Option<String>> {
    match (host, tls_name) {
        (Some(h), Some(t)) if h.parse::<std::net::IpAddr>().is_ok() => {
            vec![Some(t.to_string()), Some(h)]
        }
        (h, _) => vec![h],
    }
}

/// Where the other nodes dial a node they learn of through gossip: its
/// cluster advertise address, else the address its connection came from
/// (its listen host when that is an IP address; `localhost` is the
/// loopback). `None` when only the network knows it.
fn implicit_address(l: &Listen, default_port: i64) -> (Option<String>, String) {
    if let Some(a) = &l.advertise
        && let Some((h, p)) = host_port(&a.value, default_port)
    {
        return (Some(h.clone()), format!("nats-route://{h}:{p}"));
    }
    let (h, p) = addresses(l, default_port)
        .into_iter()
        .next()
        .unwrap_or_default();
    let ip = match h.as_str() {
        "localhost" => Some("127.0.0.1".to_string()),
        "" | "0.0.0.0" | "::" => None,
        h if h.parse::<std::net::IpAddr>().is_ok() => Some(h.to_string()),
        _ => None,
    };
    let shown = match &ip {
        Some(ip) if ip.contains(':') => format!("nats-route://[{ip}]:{p}"),
        Some(ip) => format!("nats-route://{ip}:{p}"),
        None => format!("its address (port {p})"),
    };
    (ip, shown)
}

/// A route direction, ok when the dialer's certificate check passes for
/// one of the names it tries.
fn route_direction(
    d: &Side<'_>,
    acc: &Side<'_>,
    names: &[Option<String>],
    acc_node: &NodeConfig,
    judge: Judge,
) -> Result<(), String> {
    let mut last = Err(format!(
        "{} dials {} at an IP address, and {}'s certificate has no IP SAN and {} no route URL with a hostname to verify it for",
        d.name, acc.name, acc.name, d.name
    ));
    for name in names {
        last = direction(
            d,
            acc,
            name.as_deref(),
            acc.block.is_some(),
            acc_node,
            judge,
            Kind::Route,
        );
        if last.is_ok() {
            return last;
        }
    }
    last
}

/// The entry of `a`'s gateways that names `b`'s gateway and one of its
/// addresses.
fn listed<'g>(
    a: &'g model::GatewayBlock,
    b: &model::GatewayBlock,
) -> Option<(&'g model::RemoteGateway, &'g model::Located<String>)> {
    const PORT: i64 = 7222;
    let bname = b.name.as_ref()?;
    let baddrs = addresses(&b.listen, PORT);
    a.gateways
        .iter()
        .filter(|r| r.name.as_ref().is_some_and(|n| n.value == bname.value))
        .find_map(|r| {
            r.urls
                .iter()
                .find(|u| matches_addr(&u.value, &baddrs, PORT))
                .map(|u| (r, u))
        })
}

fn gateways(
    nodes: &[NodeInput<'_>],
    mats: &[BTreeMap<String, Material>],
    judge: Judge,
    out: &mut Vec<Connection>,
) {
    for i in 0..nodes.len() {
        for j in (i + 1)..nodes.len() {
            let (a, b) = (&nodes[i], &nodes[j]);
            let (Some(ga), Some(gb)) = (&a.model.gateway, &b.model.gateway) else {
                continue;
            };
            if ga.name.as_ref().map(|n| &n.value) == gb.name.as_ref().map(|n| &n.value) {
                continue;
            }
            let (ab, ba) = (listed(ga, gb), listed(gb, ga));
            if ab.is_none() && ba.is_none() {
                continue;
            }
            let mut reasons = Vec::new();
            let mut all_ok = true;
            for (d, dm, dg, acc, am, ag, entry) in [
                (a, &mats[i], ga, b, &mats[j], gb, ab),
                (b, &mats[j], gb, a, &mats[i], ga, ba),
            ] {
                // An explicit entry dials with its own tls block (or
                // gateway.tls); otherwise the node dials back the gateway
                // that connected to it, with gateway.tls.
                let (block, host, how) = match entry {
                    Some((r, u)) => (
                        r.tls.as_ref().or(dg.tls.as_ref()),
                        url_host(&u.value),
                        format!("{} dials {} ({})", d.name, acc.name, u.value),
                    ),
                    None => (
                        dg.tls.as_ref(),
                        None,
                        format!(
                            "{} dials back {} (learned from its connection)",
                            d.name, acc.name
                        ),
                    ),
                };
                let sd = side(d, dm, block);
                let sa = side(acc, am, ag.tls.as_ref());
                let verifies = sa.block.is_some();
                match direction(
                    &sd,
                    &sa,
                    host.as_deref(),
                    verifies,
                    acc.model,
                    judge,
                    Kind::Gateway,
                ) {
                    Ok(()) => reasons.push(format!("{how}: ok")),
                    Err(e) => {
                        all_ok = false;
                        reasons.push(format!("{how}: {e}"));
                    }
                }
            }
            if !all_ok {
                reasons.push("a gateway needs both directions: each side sends over its own outbound connection".into());
            }
            out.push(Connection {
                kind: Kind::Gateway,
                from: a.name.clone(),
                to: b.name.clone(),
                verdict: if all_ok {
                    ConnVerdict::Ok
                } else {
                    ConnVerdict::Broken
                },
                reasons,
            });
        }
    }
}

fn leafnodes(
    nodes: &[NodeInput<'_>],
    mats: &[BTreeMap<String, Material>],
    judge: Judge,
    out: &mut Vec<Connection>,
) {
    const PORT: i64 = 7422;
    for (i, a) in nodes.iter().enumerate() {
        let Some(la) = &a.model.leafnodes else {
            continue;
        };
        for remote in &la.remotes {
            for (j, hub) in nodes.iter().enumerate() {
                let Some(lh) = &hub.model.leafnodes else {
                    continue;
                };
                let haddrs = addresses(&lh.listen, PORT);
                if i == j || haddrs.is_empty() {
                    continue;
                }
                let Some(url) = remote
                    .urls
                    .iter()
                    .find(|u| matches_addr(&u.value, &haddrs, PORT))
                else {
                    continue;
                };
                let sa = side(a, &mats[i], remote.tls.as_ref());
                let sh = side(hub, &mats[j], lh.tls.as_ref());
                let host = url_host(&url.value);
                let hub_verifies = lh.tls.as_ref().is_some_and(TlsBlock::verifies);
                let mut r = direction(
                    &sa,
                    &sh,
                    host.as_deref(),
                    hub_verifies,
                    hub.model,
                    judge,
                    Kind::Leafnode,
                );
                if r.is_ok() && sh.block.is_none() && sa.block.is_some() {
                    r = Err(format!(
                        "{} dials with TLS but {} accepts leafnodes without TLS",
                        a.name, hub.name
                    ));
                }
                let reasons = vec![match &r {
                    Ok(()) => format!("{} dials {} ({}): ok", a.name, hub.name, url.value),
                    Err(e) => format!("{} dials {} ({}): {e}", a.name, hub.name, url.value),
                }];
                out.push(Connection {
                    kind: Kind::Leafnode,
                    from: a.name.clone(),
                    to: hub.name.clone(),
                    verdict: if r.is_ok() {
                        ConnVerdict::Ok
                    } else {
                        ConnVerdict::Broken
                    },
                    reasons,
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_port_reads_urls_and_listens() {
        assert_eq!(
            host_port("nats-route://a.b:6222", 1),
            Some(("a.b".into(), 6222))
        );
        assert_eq!(
            host_port("nats://u:p@10.0.0.1:4", 1),
            Some(("10.0.0.1".into(), 4))
        );
        assert_eq!(host_port("6222", 1), Some((String::new(), 6222)));
        assert_eq!(host_port("tls://[::1]:7422", 1), Some(("::1".into(), 7422)));
        assert_eq!(host_port("nats://h", 7), Some(("h".into(), 7)));
    }

    #[test]
    fn known_urls_match_dns_sans_label_by_label_with_a_leftmost_wildcard() {
        assert!(dns_alt_name_matches(
            "node-a.nats.internal",
            "NODE-A.nats.internal"
        ));
        assert!(dns_alt_name_matches(
            "*.nats.internal",
            "node-a.nats.internal"
        ));
        assert!(!dns_alt_name_matches(
            "*.nats.internal",
            "a.b.nats.internal"
        ));
        assert!(!dns_alt_name_matches("*.nats.internal", "nats.internal"));
        assert!(!dns_alt_name_matches(
            "node-*.nats.internal",
            "node-a.nats.internal"
        ));
        assert!(!dns_alt_name_matches("a.*.internal", "a.nats.internal"));
    }

    #[test]
    fn a_route_at_an_ip_is_verified_for_the_saved_name_then_the_address() {
        assert_eq!(
            server_names(Some("10.0.0.1".into()), Some("nats-0.nats")),
            vec![
                Some("nats-0.nats".to_string()),
                Some("10.0.0.1".to_string())
            ]
        );
        assert_eq!(
            server_names(Some("nats-1.nats".into()), Some("nats-0.nats")),
            vec![Some("nats-1.nats".to_string())]
        );
        assert_eq!(
            server_names(Some("10.0.0.1".into()), None),
            vec![Some("10.0.0.1".to_string())]
        );
    }

    #[test]
    fn versions() {
        assert_eq!(parse_version("v2.10.4"), Some((2, 10, 4)));
        assert_eq!(parse_version("2.9"), Some((2, 9, 0)));
        assert!(version_before(parse_version("2.9.10"), (2, 10, 0)));
        assert!(!version_before(parse_version("2.10.4"), (2, 10, 4)));
        assert_eq!(parse_version("x"), None);
    }
}

/// How a peer's chain fares with one TLS block of one node.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PeerVerdict {
    pub node: String,
    pub block: String,
    /// `client`: the peer dials this block and presents its chain;
    /// `server`: this block dials the peer and verifies it as a server.
    #[serde(rename = "as")]
    pub role: &'static str,
    pub accepted: bool,
    pub reason: String,
}

/// A peer's chain judged against every block of the fleet that verifies it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PeerReport {
    pub peer: String,
    pub subject: String,
    pub pin_sha256: String,
    pub verdicts: Vec<PeerVerdict>,
}

impl PeerReport {
    pub fn refused(&self) -> bool {
        self.verdicts.iter().any(|v| !v.accepted)
    }
}

/// Judges each peer chain (`diff::Peer`: leaf and chain) against every TLS
/// block of every node that would verify it: as a client of the blocks that
/// ask for a certificate (routes and gateways always; `tls`, `leafnodes`,
/// `websocket` and `mqtt` under verify), with the block's ca_file, pins,
/// known-URLs rule, verify_and_map users and the clientAuth EKU; and as a
/// server to the blocks that dial (routes, gateways, leafnode remotes),
/// with serverAuth, the host when the peer is an endpoint, and the pins.
pub fn judge_peers(
    nodes: &[NodeInput<'_>],
    files: &Files,
    server_cwd: &Path,
    judge: Judge,
    peers: &[(diff::Peer, Option<String>)],
) -> Vec<PeerReport> {
    let ctx = Ctx {
        files,
        cwd: server_cwd,
        judge,
    };
    let at = judge.at;
    let mut out = Vec::new();
    for (peer, host) in peers {
        let info = CertInfo::parse(&peer.leaf, at).ok();
        let mut verdicts = Vec::new();
        for node in nodes {
            for block in node.model.tls_blocks() {
                let mut scratch = Vec::new();
                let mut sink = Sink {
                    node,
                    out: &mut scratch,
                };
                let m = material(&ctx, block, &mut sink);
                let none = empty_anchors(at);
                let anchors = m.anchors.as_ref();
                let accepts_clients =
                    matches!(block.context, TlsContext::Cluster | TlsContext::Gateway)
                        || (matches!(
                            block.context,
                            TlsContext::Client
                                | TlsContext::Leafnodes
                                | TlsContext::Websocket
                                | TlsContext::Mqtt
                        ) && block.verifies());
                let dials = matches!(
                    block.context,
                    TlsContext::Cluster
                        | TlsContext::Gateway
                        | TlsContext::GatewayRemote
                        | TlsContext::LeafnodeRemote
                );
                let pinned = |pins: &[model::Located<String>]| -> Result<(), String> {
                    match &info {
                        Some(i)
                            if !pins.is_empty()
                                && !pins.iter().any(|p| p.value == i.pin_sha256) =>
                        {
                            Err(format!(
                                "certificate not pinned ({} is not in its pinned_certs)",
                                i.pin_sha256
                            ))
                        }
                        _ => Ok(()),
                    }
                };
                if accepts_clients {
                    let verdict = (|| -> Result<(), String> {
                        let a = anchors.ok_or_else(|| {
                            "the block has no ca_file, so it trusts only the system roots"
                                .to_string()
                        })?;
                        verify::verify_as(
                            a,
                            &peer.leaf,
                            &peer.chain,
                            Purpose::Client,
                            None,
                            at,
                            judge.release,
                        )
                        .map_err(|r| format!("refused as a client: {r}"))?;
                        pinned(&block.pinned_certs)?;
                        let Some(i) = &info else { return Ok(()) };
                        let on =
                            |b: &Option<model::Located<bool>>| b.as_ref().is_some_and(|b| b.value);
                        let cands = map_candidates(i);
                        if on(&block.verify_cert_and_check_known_urls) {
                            let known: Vec<String> = match block.context {
                                TlsContext::Cluster => node
                                    .model
                                    .cluster
                                    .iter()
                                    .flat_map(|c| c.routes.iter())
                                    .filter_map(|u| url_host(&u.value))
                                    .collect(),
                                _ => node
                                    .model
                                    .gateway
                                    .iter()
                                    .flat_map(|g| g.gateways.iter())
                                    .flat_map(|g| g.urls.iter())
                                    .filter_map(|u| url_host(&u.value))
                                    .collect(),
                            };
                            let dns_ok = i
                                .sans
                                .iter()
                                .filter(|s| s.kind == SanKind::Dns)
                                .any(|s| known.contains(&s.value.to_ascii_lowercase()));
                            let mapped = on(&block.verify_and_map)
                                && block.context == TlsContext::Cluster
                                && node
                                    .model
                                    .cluster
                                    .as_ref()
                                    .and_then(|c| c.authorization.as_ref())
                                    .and_then(|a| a.user.as_ref())
                                    .is_some_and(|u| cands.contains(&u.value));
                            if !dns_ok && !mapped {
                                return Err(format!(
                                    "verify_cert_and_check_known_urls: none of its DNS SANs is a host of this node's own URLs ({})",
                                    if known.is_empty() {
                                        "none".to_string()
                                    } else {
                                        known.join(", ")
                                    }
                                ));
                            }
                        } else if on(&block.verify_and_map) {
                            match block.context {
                                TlsContext::Cluster => {
                                    let user = node
                                        .model
                                        .cluster
                                        .as_ref()
                                        .and_then(|c| c.authorization.as_ref())
                                        .and_then(|a| a.user.as_ref());
                                    if !user.is_some_and(|u| cands.contains(&u.value)) {
                                        return Err(format!(
                                            "verify_and_map: it maps to {} but cluster.authorization.user is {}",
                                            quoted(&cands),
                                            user.map_or("not set".to_string(), |u| format!(
                                                "`{}`",
                                                u.value
                                            ))
                                        ));
                                    }
                                }
                                TlsContext::Gateway => {}
                                _ => {
                                    let users = node.model.user_names();
                                    if !cands.iter().any(|c| users.contains(&c.as_str())) {
                                        return Err(format!(
                                            "verify_and_map: it maps to {} and no user has that name",
                                            quoted(&cands)
                                        ));
                                    }
                                }
                            }
                        }
                        Ok(())
                    })();
                    verdicts.push(PeerVerdict {
                        node: node.name.clone(),
                        block: block.name.clone(),
                        role: "client",
                        accepted: verdict.is_ok(),
                        reason: verdict.err().unwrap_or_else(|| "accepted".to_string()),
                    });
                }
                if dials {
                    let insecure = block.insecure.as_ref().is_some_and(|i| i.value);
                    let verdict = (|| -> Result<(), String> {
                        if !insecure {
                            let a = anchors.unwrap_or(&none);
                            verify::verify_as(a, &peer.leaf, &peer.chain, Purpose::Server, host.as_deref(), at, judge.release)
                                .map_err(|r| {
                                    let why = if anchors.is_none() { " (the block has no ca_file, so it trusts only the system roots)" } else { "" };
                                    format!("refused as a server{why}: {r}")
                                })?;
                        }
                        pinned(&block.pinned_certs)
                    })();
                    verdicts.push(PeerVerdict {
                        node: node.name.clone(),
                        block: block.name.clone(),
                        role: "server",
                        accepted: verdict.is_ok(),
                        reason: verdict.err().unwrap_or_else(|| {
                            if insecure {
                                "accepted (insecure: not verified)".to_string()
                            } else {
                                "accepted".to_string()
                            }
                        }),
                    });
                }
            }
        }
        out.push(PeerReport {
            peer: peer.name.clone(),
            subject: info
                .as_ref()
                .map_or_else(|| "(unparsable)".to_string(), |i| i.subject.clone()),
            pin_sha256: info
                .as_ref()
                .map_or_else(String::new, |i| i.pin_sha256.clone()),
            verdicts,
        });
    }
    out
}
