//! `tlsctl bundle add BUNDLE FILE...`: create or extend a trust bundle.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Result;
use clap::Args;
use serde::Serialize;

use super::{LISTED, Listed, role_of, status_phrase};
use crate::cli::{Ctx, Status, output};
use crate::ops::bundle::{self, AddSpec};
use crate::pki::render::{self, counted};

#[derive(Debug, Args)]
pub struct BundleAddArgs {
    /// The bundle to create or extend
    pub bundle: PathBuf,
    /// Certificate files to add (PEM or DER; - for stdin)
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Allow certificates that are not CAs (each becomes a trust anchor by itself)
    #[arg(long)]
    pub allow_leaf: bool,
    /// Show what would change; write nothing
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Serialize)]
struct AddReport {
    bundle: String,
    dry_run: bool,
    written: bool,
    added: Vec<Listed>,
    duplicates: Vec<Listed>,
    total: usize,
}

pub fn run_bundle_add(args: &BundleAddArgs, ctx: &Ctx, out: &mut dyn Write) -> Result<Status> {
    let spec = AddSpec {
        bundle: args.bundle.clone(),
        files: args.files.clone(),
        allow_leaf: args.allow_leaf,
        dry_run: args.dry_run,
    };
    let outcome = bundle::add(&ctx.env, &spec)?;
    ctx.warnings(&outcome.warnings);
    let added = outcome.value;
    let (plan, existing, written, total) =
        (&added.plan, added.existing, added.written, added.total());
    let name = args.bundle.display().to_string();
    let report = AddReport {
        bundle: name.clone(),
        dry_run: args.dry_run,
        written,
        added: plan
            .added
            .iter()
            .enumerate()
            .map(|(i, s)| Listed::of(existing + i + 1, &s.entry, Some(&s.source)))
            .collect(),
        duplicates: plan
            .duplicates
            .iter()
            .map(|s| Listed::of(s.entry.block, &s.entry, Some(&s.source)))
            .collect(),
        total,
    };
    if ctx.json {
        output::json_with(out, &report, &outcome.warnings)?;
        return Ok(Status::Success);
    }
    let verb = if args.dry_run { "Would add" } else { "Added" };
    if plan.added.is_empty() {
        writeln!(
            out,
            "Nothing to add: {name} already holds every certificate given"
        )?;
    } else {
        writeln!(out, "{verb} {} to {name}:", plan.added.len())?;
        for s in plan.added.iter().take(LISTED) {
            let info = &s.entry.info;
            let status = status_phrase(info);
            let tone = render::expiry_tone(info.validity, info.days_left);
            writeln!(
                out,
                "  + {}  ({}, {}; pin {}…)  from {}",
                info.subject,
                role_of(info),
                output::paint(&status, tone, ctx.color),
                info.pin_sha256.get(..16).unwrap_or_default(),
                s.source
            )?;
        }
    }
    if plan.added.len() > LISTED {
        writeln!(
            out,
            "  ... and {} more (--json lists every one)",
            plan.added.len() - LISTED
        )?;
    }
    for s in plan.duplicates.iter().take(LISTED) {
        writeln!(
            out,
            "  = {}  already present (from {}, block {}): skipped",
            s.entry.info.subject, s.source, s.entry.block
        )?;
    }
    if plan.duplicates.len() > LISTED {
        writeln!(
            out,
            "  ... and {} more duplicates",
            plan.duplicates.len() - LISTED
        )?;
    }
    if !plan.added.is_empty() {
        writeln!(
            out,
            "{name} {} {}",
            if args.dry_run {
                "would hold"
            } else {
                "now holds"
            },
            counted(total, "certificate")
        )?;
    }
    Ok(Status::Success)
}
