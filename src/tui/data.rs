//! What the TUI shows, loaded once (on a worker thread) into rows that are
//! ready to draw: nothing is parsed again per frame. `fleet` holds the
//! fleet view's rows (`nats check` before and after replacements).

pub mod fleet;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use time::OffsetDateTime;

use crate::ops::bundle::{DiffParts, DiffSpec};
use crate::ops::{self, Env, Warning};
use crate::pki::render::{self, Tone};
use crate::pki::{CertInfo, bundle};
use crate::store;

/// A certificate as a row: its model, the lowercase text a filter
/// searches (subject, issuer, SANs) and its hex keys (pin, fingerprint),
/// which a hex filter matches by prefix.
#[derive(Debug, Clone)]
pub struct CertRow {
    pub info: Arc<CertInfo>,
    pub block: usize,
    pub search: String,
    pub keys: String,
}

impl CertRow {
    pub fn new(info: CertInfo, block: usize) -> CertRow {
        let mut search = format!("{} {}", info.subject, info.issuer);
        let keys = format!("{} {}", info.pin_sha256, info.fingerprint_sha256).to_lowercase();
        for san in &info.sans {
            search.push(' ');
            search.push_str(&san.value);
        }
        CertRow {
            search: search.to_lowercase(),
            keys,
            info: Arc::new(info),
            block,
        }
    }

    pub fn role(&self) -> &'static str {
        match (self.info.is_ca, self.info.self_signed) {
            (true, true) => "root",
            (true, false) => "intermediate",
            (false, _) => "leaf",
        }
    }

    /// "2031-11-21 (1824d)", "expired 2026-01-01", "staged 2027-07-01".
    pub fn expiry(&self) -> (String, Tone) {
        let i = &self.info;
        let text = match i.validity {
            crate::pki::Validity::Valid => format!("{} ({}d)", i.not_after.date(), i.days_left),
            crate::pki::Validity::Expired => format!("expired {}", i.not_after.date()),
            crate::pki::Validity::NotYetValid => format!("staged {}", i.not_before.date()),
        };
        (text, render::expiry_tone(i.validity, i.days_left))
    }
}

/// A bundle or certificate file.
#[derive(Debug, Clone)]
pub struct LoadedFile {
    pub path: PathBuf,
    pub name: String,
    pub rows: Vec<CertRow>,
    /// Blocks that are not usable certificates, in words.
    pub problems: Vec<String>,
}

pub fn load_file(path: &Path, now: OffsetDateTime) -> Result<LoadedFile, String> {
    let input = store::read_input(path).map_err(|e| format!("{e:#}"))?;
    let parsed = bundle::parse(&input.bytes, now).map_err(|e| format!("{}: {e}", input.name))?;
    Ok(LoadedFile {
        path: path.to_path_buf(),
        name: input.name,
        rows: parsed
            .entries
            .into_iter()
            .map(|e| CertRow::new(e.info, e.block))
            .collect(),
        problems: parsed.problems.iter().map(ToString::to_string).collect(),
    })
}

/// A CA of the store, in tree order.
#[derive(Debug, Clone)]
pub struct CaRow {
    pub depth: usize,
    /// The last child of its parent (drawn with └ rather than ├).
    pub last: bool,
    pub name: String,
    pub parent: Option<String>,
    pub key_type: String,
    pub cert_path: String,
    pub row: CertRow,
}

/// A leaf tlsctl issued.
#[derive(Debug, Clone)]
pub struct IssuedRow {
    pub name: String,
    pub ca: String,
    pub cert_path: PathBuf,
    pub key_path: PathBuf,
    /// `None` when the certificate file can no longer be read.
    pub row: Option<CertRow>,
    pub error: Option<String>,
}

/// The store: its CAs and what it issued.
#[derive(Debug, Clone, Default)]
pub struct StoreSnapshot {
    pub root: String,
    pub cas: Vec<CaRow>,
    pub issued: Vec<IssuedRow>,
}

/// The store as of now (the clock is read for this load).
pub fn load_store(env: &Env) -> Result<StoreSnapshot, String> {
    let now = env.now();
    let store = env.store().map_err(|e| format!("{e:#}"))?;
    let ordered = ops::ca::list(&store, now).map_err(|e| format!("{e:#}"))?;
    let depths: Vec<usize> = ordered.iter().map(|(d, _)| *d).collect();
    let cas = ordered
        .into_iter()
        .enumerate()
        .map(|(i, (depth, e))| CaRow {
            depth,
            last: !depths
                .iter()
                .skip(i + 1)
                .take_while(|d| **d >= depth)
                .any(|d| *d == depth),
            row: CertRow::new(e.certificate, 1),
            name: e.name,
            parent: e.parent,
            key_type: e.key_type,
            cert_path: e.cert_path,
        })
        .collect();
    let issued = store
        .issued()
        .map_err(|e| format!("{e:#}"))?
        .into_iter()
        .map(|r| {
            let loaded = load_file(&r.cert, now);
            let (row, error) = match loaded {
                Ok(f) => (f.rows.into_iter().next(), None),
                Err(e) => (None, Some(e)),
            };
            IssuedRow {
                name: r.name,
                ca: r.ca,
                cert_path: r.cert,
                key_path: r.key,
                row,
                error,
            }
        })
        .collect();
    Ok(StoreSnapshot {
        root: store.root.display().to_string(),
        cas,
        issued,
    })
}

/// A diff, described in full (unchanged certificates too), with what
/// reading the files warned about after the review's own warnings.
pub fn load_diff(
    old: &Path,
    new: &Path,
    peers: &[PathBuf],
    env: &Env,
) -> Result<DiffParts, String> {
    let spec = DiffSpec {
        old: old.to_path_buf(),
        new: new.to_path_buf(),
        peers: peers.to_vec(),
        with_unchanged: true,
    };
    let outcome = ops::bundle::diff(env, &spec).map_err(|e| format!("{e:#}"))?;
    let mut parts = outcome.value;
    parts.warnings.extend(outcome.warnings);
    Ok(parts)
}

/// Warnings as the status line shows them.
pub fn warning_text(warnings: &[Warning]) -> String {
    warnings
        .iter()
        .map(|w| format!("; warning: {}", w.message))
        .collect()
}
