//! `nats explain`: reads a nats-server log, explains its TLS and
//! authentication failures (`pki::natslog`), and names the local file that
//! holds each certificate a line names: the store's CAs and issued
//! certificates, the given bundles and chain files, and the cert_file and
//! ca_file of the given configurations' TLS blocks.

use std::path::{Path, PathBuf};

use anyhow::Result;
use serde::Serialize;

use super::{Env, Outcome, Warnings};
use crate::pki::natsconf::Dialect;
use crate::pki::natsconf::model::{self, TlsContext};
use crate::pki::natslog::{self, ConnKind, Group, Kind, NamedCert};
use crate::pki::text::escape_controls;
use crate::pki::verify::{self, Anchors, Purpose};
use crate::pki::{CertInfo, reader};
use crate::store;

/// What to read.
#[derive(Debug, Clone, Default)]
pub struct ExplainSpec {
    /// The log (`-` for standard input).
    pub log: PathBuf,
    /// Bundles and chain files to look for named certificates in.
    pub bundles: Vec<PathBuf>,
    /// nats-server configurations whose TLS blocks' files are looked in.
    pub configs: Vec<PathBuf>,
    /// Also look in the store's CAs and issued certificates.
    pub use_store: bool,
}

/// How a line's SHA-256 matched a local certificate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum HashKind {
    /// The SHA-256 of the certificate's DER: this very certificate.
    Fingerprint,
    /// The SHA-256 of its SPKI (its pin): a certificate with this key.
    Pin,
}

/// A local certificate a line names.
#[derive(Debug, Clone, Serialize)]
pub struct Match {
    /// `dir/cert.pem`, or `bundle.pem#3` for the third certificate.
    pub file: String,
    pub subject: String,
    pub issuer: String,
    pub hash: HashKind,
}

/// One explained group of lines.
#[derive(Debug, Clone, Serialize)]
pub struct Event {
    pub kind: Kind,
    pub connection: ConnKind,
    pub remote: Option<String>,
    pub remotes: Vec<String>,
    pub count: usize,
    /// The first and last line's time as logged (the server's clock; no zone).
    pub first: Option<String>,
    pub last: Option<String>,
    pub message: String,
    pub certificates: Vec<NamedCert>,
    pub user: Option<String>,
    pub explanation: String,
    pub fix: String,
    /// The first local file holding a named certificate.
    pub matched_file: Option<String>,
    pub matches: Vec<Match>,
    /// With one `--conf` (the config of the server whose log it is): the
    /// TLS blocks of that config that judged this connection.
    pub blocks: Vec<LocalBlock>,
}

/// A TLS block of the given config, with the files it names.
#[derive(Debug, Clone, Serialize)]
pub struct LocalBlock {
    pub config: String,
    /// `cluster.tls`, `leafnodes.remotes[0].tls`...
    pub block: String,
    pub cert_file: Option<String>,
    pub ca_file: Option<String>,
    /// The named peer certificate (when a local file holds it) verified
    /// against this block's ca_file now, as nats-server verifies it.
    pub peer_check: Option<String>,
}

/// The explained log.
#[derive(Debug, Clone, Serialize)]
pub struct ExplainReport {
    pub log: String,
    pub lines_read: usize,
    /// Lines about TLS or authentication failures.
    pub lines_matched: usize,
    /// Files whose certificates were looked in.
    pub searched: Vec<String>,
    pub events: Vec<Event>,
}

impl ExplainReport {
    pub fn has_failures(&self) -> bool {
        !self.events.is_empty()
    }
}

struct Known {
    file: String,
    info: CertInfo,
    der: rustls_pki_types::CertificateDer<'static>,
}

/// A block of the server's own config, with its ca_file's certificates.
struct Local {
    context: TlsContext,
    block: LocalBlock,
    anchors: Option<(String, Vec<rustls_pki_types::CertificateDer<'static>>)>,
}

/// Reads the log and the local files, and explains.
pub fn explain(env: &Env, spec: &ExplainSpec) -> Result<Outcome<ExplainReport>> {
    let mut warnings = Warnings::default();
    let now = env.now();
    let input = store::read_input(&spec.log)?;
    let text = String::from_utf8_lossy(&input.bytes);

    let mut known: Vec<Known> = Vec::new();
    let mut searched: Vec<String> = Vec::new();
    let mut add =
        |name: &str, ders: &[rustls_pki_types::CertificateDer<'_>], searched: &mut Vec<String>| {
            searched.push(name.to_owned());
            for (i, der) in ders.iter().enumerate() {
                if let Ok(info) = CertInfo::parse(der, now) {
                    let file = if i == 0 {
                        name.to_owned()
                    } else {
                        format!("{name}#{}", i + 1)
                    };
                    known.push(Known {
                        file,
                        info,
                        der: der.clone().into_owned(),
                    });
                }
            }
        };
    if spec.use_store {
        match env.store() {
            Ok(st) => {
                match st.list_cas() {
                    Ok(cas) => {
                        for ca in cas {
                            let name = ca.cert_path().display().to_string();
                            add(&escape_controls(&name), &[ca.cert], &mut searched);
                        }
                    }
                    Err(e) => warnings.push("store-unreadable", format!("{e:#}")),
                }
                match st.issued() {
                    Ok(records) => {
                        for r in records {
                            match store::read_certificates(&r.cert) {
                                Ok((name, certs)) => add(&name, &certs, &mut searched),
                                Err(e) => warnings.push("issued-unreadable", format!("{e:#}")),
                            }
                        }
                    }
                    Err(e) => warnings.push("store-unreadable", format!("{e:#}")),
                }
            }
            Err(e) => warnings.push("store-unreadable", format!("{e:#}")),
        }
    }
    for b in &spec.bundles {
        let (name, certs) = store::read_certificates(b)?;
        add(&name, &certs, &mut searched);
    }
    // nats-server resolves a config's relative cert_file against its
    // working directory, as `nats check` does.
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let mut local: Vec<Local> = Vec::new();
    for c in &spec.configs {
        let cfg = store::conf::read_config(c, Dialect::default())?;
        let node = model::node(&cfg, Dialect::default());
        if spec.configs.len() == 1 {
            let shown = |f: &Option<model::Located<String>>| {
                f.as_ref().map(|f| {
                    escape_controls(&model::resolve(&f.value, &cwd).display().to_string())
                        .into_owned()
                })
            };
            for b in node.tls_blocks() {
                let anchors = b.ca_file.as_ref().and_then(|f| {
                    read_certs_quietly(&model::resolve(&f.value, &cwd))
                        .ok()
                        .filter(|(_, certs)| !certs.is_empty())
                });
                local.push(Local {
                    context: b.context,
                    block: LocalBlock {
                        config: escape_controls(&c.display().to_string()).into_owned(),
                        block: escape_controls(&b.name).into_owned(),
                        cert_file: shown(&b.cert_file),
                        ca_file: shown(&b.ca_file),
                        peer_check: None,
                    },
                    anchors,
                });
            }
        }
        let mut paths: Vec<PathBuf> = Vec::new();
        for b in node.tls_blocks() {
            for f in [&b.cert_file, &b.ca_file].into_iter().flatten() {
                let p = model::resolve(&f.value, &cwd);
                if !paths.contains(&p) {
                    paths.push(p);
                }
            }
        }
        for p in paths {
            if searched.iter().any(|s| Path::new(s) == p) {
                continue;
            }
            match read_certs_quietly(&p) {
                Ok((name, certs)) => add(&name, &certs, &mut searched),
                Err(e) => warnings.push(
                    "config-file-unreadable",
                    format!("{}: names {e}", c.display()),
                ),
            }
        }
    }

    let mut lines_read = 0usize;
    let mut seen_log_line = false;
    let mut lines = Vec::new();
    for raw in text.lines() {
        lines_read += 1;
        if !seen_log_line && natslog::is_log_line(raw) {
            seen_log_line = true;
        }
        if let Some(l) = natslog::parse_line(raw) {
            lines.push(l);
        }
    }
    if lines_read > 0 && !seen_log_line && lines.is_empty() {
        warnings.push(
            "not-a-nats-log",
            format!(
                "{}: no line looks like a nats-server log line ([ERR], [INF]...); give the \
                 server's log file (-l FILE) or its standard error",
                input.name
            ),
        );
    }
    let lines_matched = lines.len();
    let events = natslog::group(lines)
        .into_iter()
        .map(|g| event(g, &known, &local, now))
        .collect();
    Ok(warnings.finish(ExplainReport {
        log: input.name,
        lines_read,
        lines_matched,
        searched,
        events,
    }))
}

fn read_certs_quietly(
    path: &Path,
) -> Result<(String, Vec<rustls_pki_types::CertificateDer<'static>>)> {
    let input = store::read_input(path)?;
    let blocks = reader::read(&input.bytes).map_err(|e| anyhow::anyhow!("{}: {e}", input.name))?;
    let certs = blocks
        .into_iter()
        .filter_map(|b| match b.item {
            Ok(crate::pki::Item::Certificate(c)) => Some(c),
            _ => None,
        })
        .collect();
    Ok((input.name, certs))
}

fn event(g: Group, known: &[Known], local: &[Local], now: time::OffsetDateTime) -> Event {
    let peer_der = g.certs.iter().find_map(|c| {
        known
            .iter()
            .find(|k| k.info.fingerprint_sha256 == c.sha256)
            .map(|k| {
                // The rest of the file it leads (a chain file) is what the
                // peer presents after it.
                let rest: Vec<_> = known
                    .iter()
                    .filter(|x| x.file.starts_with(&format!("{}#", k.file)))
                    .map(|x| x.der.clone())
                    .collect();
                (k.file.clone(), k.der.clone(), rest)
            })
    });
    let judged_peer = matches!(
        g.kind,
        Kind::UnknownAuthority | Kind::Expired | Kind::NotYetValid | Kind::KeyUsage
    );
    let blocks = local
        .iter()
        .filter(|l| match g.connection {
            ConnKind::Client => matches!(
                l.context,
                TlsContext::Client | TlsContext::Websocket | TlsContext::Mqtt
            ),
            ConnKind::Route => l.context == TlsContext::Cluster,
            ConnKind::Gateway => {
                matches!(l.context, TlsContext::Gateway | TlsContext::GatewayRemote)
            }
            ConnKind::Leafnode => {
                matches!(
                    l.context,
                    TlsContext::Leafnodes | TlsContext::LeafnodeRemote
                )
            }
        })
        .map(|l| {
            let mut b = l.block.clone();
            if let (true, Some((peer_file, der, chain)), Some((ca_name, ca))) =
                (judged_peer, &peer_der, &l.anchors)
            {
                b.peer_check = Some(check_peer(
                    l.context, peer_file, der, chain, ca_name, ca, now,
                ));
            }
            b
        })
        .collect();
    let e = natslog::explain(&g);
    let mut matches = Vec::new();
    for c in &g.certs {
        for k in known {
            let hash = if k.info.fingerprint_sha256 == c.sha256 {
                HashKind::Fingerprint
            } else if k.info.pin_sha256 == c.sha256 {
                HashKind::Pin
            } else {
                continue;
            };
            matches.push(Match {
                file: k.file.clone(),
                subject: escape_controls(&k.info.subject).into_owned(),
                issuer: escape_controls(&k.info.issuer).into_owned(),
                hash,
            });
        }
    }
    Event {
        kind: g.kind,
        connection: g.connection,
        remote: g.remote,
        remotes: g.remotes,
        count: g.count,
        first: g.first,
        last: g.last,
        message: g.message,
        certificates: g.certs,
        user: g.user,
        explanation: e.explanation,
        fix: e.fix,
        matched_file: matches.first().map(|m| m.file.clone()),
        matches,
        blocks,
    }
}

/// The peer's certificate verified against a block's ca_file for the
/// usages that block asks of its peers (a client: clientAuth; a hub's
/// remote: serverAuth; a leafnode hub: clientAuth; routes and gateways:
/// both), as nats-server's Go verifier does it now.
fn check_peer(
    context: TlsContext,
    peer_file: &str,
    der: &rustls_pki_types::CertificateDer<'static>,
    chain: &[rustls_pki_types::CertificateDer<'static>],
    ca_name: &str,
    ca: &[rustls_pki_types::CertificateDer<'static>],
    now: time::OffsetDateTime,
) -> String {
    let purposes: &[Purpose] = match context {
        TlsContext::LeafnodeRemote | TlsContext::GatewayRemote => &[Purpose::Server],
        TlsContext::Cluster | TlsContext::Gateway => &[Purpose::Server, Purpose::Client],
        _ => &[Purpose::Client],
    };
    let anchors = Anchors::new(ca.to_vec(), now);
    for p in purposes {
        if let Err(reason) = verify::verify(&anchors, der, chain, *p, None, now) {
            return format!(
                "{peer_file} does not verify against {ca_name} ({}): {reason}",
                p.eku_name()
            );
        }
    }
    format!(
        "{peer_file} verifies against {ca_name} now: the ca_file or the peer's certificate \
         changed since the line was logged, or the peer presented another certificate"
    )
}
