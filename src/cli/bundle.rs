//! `tlsctl bundle add | remove | list | lint | diff | export`: keeping trust bundles
//! right, so that an intermediate roll never splits a cluster. One file per
//! subcommand; the use cases are `ops::bundle`.
//!
//! Writes are read-modify-write under a lock (`.BUNDLE.lock` beside the
//! bundle), atomic, and canonical (see `pki::bundle`). Anything unreadable,
//! a private key, or a leaf (without `--allow-leaf`) in any input refuses
//! the whole command before anything is written.

pub mod add;
pub mod diff;
pub mod export;
pub mod lint;
pub mod list;
pub mod remove;

use std::io::Write;
use std::path::PathBuf;

use anyhow::Result;
use clap::{Args, Subcommand};
use serde::Serialize;

use super::lazy::Lazy;
use super::{Ctx, Status};
use crate::pki::bundle::{Entry, Selector};
use crate::pki::render;
use crate::pki::{CertInfo, KeyInfo, Validity};

pub use add::BundleAddArgs;
pub use diff::BundleDiffArgs;
pub use export::BundleExportArgs;
pub use lint::BundleLintArgs;
pub use remove::BundleRemoveArgs;

#[derive(Debug, Subcommand)]
pub enum BundleCommand {
    /// Create or extend a trust bundle with CA certificates
    Add(Lazy<BundleAddArgs>),
    /// Remove certificates by pin, fingerprint, subject or expiry
    Remove(Lazy<BundleRemoveArgs>),
    /// List a bundle's certificates
    List(Lazy<BundleFileArgs>),
    /// Check a bundle: duplicates, expiry, non-CAs, intermediates only, keys, headers
    Lint(Lazy<BundleLintArgs>),
    /// What a rotation from OLD to NEW changes, and which peers it cuts off
    Diff(Lazy<BundleDiffArgs>),
    /// Write the bundle as a Kubernetes ConfigMap manifest (trust-manager, the NATS Helm chart)
    Export(Lazy<BundleExportArgs>),
}

#[derive(Debug, Args)]
pub struct BundleFileArgs {
    /// The bundle (- for stdin)
    pub bundle: PathBuf,
}

pub fn run_bundle(cmd: &BundleCommand, ctx: &Ctx, out: &mut dyn Write) -> Result<Status> {
    match cmd {
        BundleCommand::Add(args) => add::run_bundle_add(args, ctx, out),
        BundleCommand::Remove(args) => remove::run_bundle_remove(args, ctx, out),
        BundleCommand::List(args) => list::run_bundle_list(args, ctx, out),
        BundleCommand::Lint(args) => lint::run_bundle_lint(args, ctx, out),
        BundleCommand::Diff(args) => diff::run_bundle_diff(args, ctx, out),
        BundleCommand::Export(args) => export::run_bundle_export(args, ctx, out),
    }
}

/// A selector as the user typed it (`--pin 1234...`).
pub fn flag_text(selector: &Selector) -> String {
    match selector {
        Selector::Pin(p) => format!("--pin {p}"),
        Selector::Fingerprint(f) => format!("--fingerprint {f}"),
        Selector::Subject(s) => format!("--subject {s:?}"),
        Selector::Expired => "--expired".to_owned(),
    }
}

/// A certificate as add/remove/list report it.
#[derive(Debug, Clone, Serialize)]
pub struct Listed {
    pub index: usize,
    pub subject: String,
    pub issuer: String,
    pub role: &'static str,
    pub key: KeyInfo,
    pub not_before: String,
    pub not_after: String,
    pub days_left: i64,
    pub validity: Validity,
    pub pin_sha256: String,
    pub fingerprint_sha256: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

pub fn role_of(info: &CertInfo) -> &'static str {
    match (info.is_ca, info.self_signed) {
        (true, true) => "root",
        (true, false) => "intermediate",
        (false, _) => "leaf",
    }
}

impl Listed {
    pub fn of(index: usize, entry: &Entry, source: Option<&str>) -> Listed {
        let info = &entry.info;
        Listed {
            index,
            subject: info.subject.clone(),
            issuer: info.issuer.clone(),
            role: role_of(info),
            key: info.key.clone(),
            not_before: render::format_rfc3339(info.not_before),
            not_after: render::format_rfc3339(info.not_after),
            days_left: info.days_left,
            validity: info.validity,
            pin_sha256: info.pin_sha256.clone(),
            fingerprint_sha256: info.fingerprint_sha256.clone(),
            source: source.map(str::to_owned),
        }
    }
}

pub fn status_phrase(info: &CertInfo) -> String {
    match info.validity {
        Validity::NotYetValid => format!(
            "staged: valid from {}",
            render::format_time(info.not_before)
        ),
        _ => render::expiry_phrase(info),
    }
}

/// How many certificates human output lists one by one.
pub const LISTED: usize = 20;
