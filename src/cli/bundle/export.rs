//! `tlsctl bundle export BUNDLE --configmap NAME`: the bundle as a
//! ConfigMap manifest (its canonical PEM under one key) that a
//! trust-manager Bundle or the NATS Helm chart mounts as a CA file; on
//! stdout, or written atomically with `--out`.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Result;
use clap::Args;
use serde::Serialize;

use super::Listed;
use crate::cli::{Ctx, Status, output};
use crate::ops::k8s::{self, ExportSpec};
use crate::pki::render::counted;

#[derive(Debug, Args)]
pub struct BundleExportArgs {
    /// The bundle (PEM, DER or a manifest; - for stdin)
    pub bundle: PathBuf,
    /// The ConfigMap's name
    #[arg(long, value_name = "NAME")]
    pub configmap: String,
    /// The ConfigMap's namespace (none: kubectl's current one)
    #[arg(long, value_name = "NS")]
    pub namespace: Option<String>,
    /// The key that holds the bundle (the file name in the mounted directory)
    #[arg(long, value_name = "KEY", default_value = "ca.pem")]
    pub key: String,
    /// Write the manifest to FILE (atomically) instead of stdout
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Replace FILE if it exists
    #[arg(long, requires = "out")]
    pub force: bool,
}

#[derive(Debug, Serialize)]
struct ExportReport {
    bundle: String,
    configmap: String,
    namespace: Option<String>,
    key: String,
    /// The file written; `null` when the manifest is only in this document.
    out: Option<String>,
    manifest: String,
    certificates: Vec<Listed>,
}

pub fn run_bundle_export(
    args: &BundleExportArgs,
    ctx: &Ctx,
    out: &mut dyn Write,
) -> Result<Status> {
    let spec = ExportSpec {
        bundle: args.bundle.clone(),
        name: args.configmap.clone(),
        namespace: args.namespace.clone(),
        key: args.key.clone(),
        out: args.out.clone(),
        replace: args.force,
    };
    let outcome = k8s::export_bundle(&ctx.env, &spec)?;
    ctx.warnings(&outcome.warnings);
    let exported = outcome.value;
    if ctx.json {
        let report = ExportReport {
            bundle: exported.bundle.clone(),
            configmap: args.configmap.clone(),
            namespace: args.namespace.clone(),
            key: args.key.clone(),
            out: exported.written.as_ref().map(|p| p.display().to_string()),
            manifest: exported.manifest.clone(),
            certificates: exported
                .entries
                .iter()
                .enumerate()
                .map(|(i, e)| Listed::of(i + 1, e, None))
                .collect(),
        };
        output::json_with(out, &report, &outcome.warnings)?;
        return Ok(Status::Success);
    }
    match &exported.written {
        None => out.write_all(exported.manifest.as_bytes())?,
        Some(path) => writeln!(
            out,
            "Wrote {}: ConfigMap {}{} with {} under {}",
            crate::pki::text::escape_controls(&path.display().to_string()),
            args.namespace
                .as_deref()
                .map_or_else(String::new, |ns| format!("{ns}/")),
            args.configmap,
            counted(exported.entries.len(), "certificate"),
            args.key
        )?,
    }
    Ok(Status::Success)
}
