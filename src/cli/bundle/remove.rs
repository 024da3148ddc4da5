//! `tlsctl bundle remove BUNDLE SELECTOR...`: remove by pin, fingerprint,
//! subject or expiry, asking before more than one goes.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use clap::{ArgGroup, Args};
use serde::Serialize;

use super::{Listed, flag_text, role_of, status_phrase};
use crate::cli::{Ctx, Status, output};
use crate::ops::bundle::{self, RemoveSpec};
use crate::pki::bundle::{Entry, Selector};
use crate::pki::pin;
use crate::pki::render::counted;

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("selector").required(true).multiple(true)))]
pub struct BundleRemoveArgs {
    /// The bundle to change
    pub bundle: PathBuf,
    /// Remove the certificates with this SPKI pin (or its first 8+ digits, as `bundle list` shows)
    #[arg(long, group = "selector", value_name = "PIN")]
    pub pin: Vec<String>,
    /// Remove the certificate with this SHA-256 fingerprint (or its first 8+ digits)
    #[arg(long, group = "selector", value_name = "SHA256")]
    pub fingerprint: Vec<String>,
    /// Remove certificates whose subject contains TEXT (case-insensitive)
    #[arg(long, group = "selector", value_name = "TEXT")]
    pub subject: Vec<String>,
    /// Remove expired certificates
    #[arg(long, group = "selector")]
    pub expired: bool,
    /// Show what would go; write nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Remove several certificates without asking
    #[arg(long, short = 'y')]
    pub yes: bool,
}

#[derive(Debug, Serialize)]
struct RemoveReport {
    bundle: String,
    dry_run: bool,
    removed: Vec<Listed>,
    remaining: usize,
}

fn selectors(args: &BundleRemoveArgs) -> Result<Vec<Selector>> {
    let hex = |flag: &str, text: &str| {
        pin::normalise_hex_prefix(text).with_context(|| {
            format!(
                "--{flag} {text}: not a SHA-256 {flag} (64 hex digits, or the first {} or more)",
                pin::MIN_PREFIX
            )
        })
    };
    let mut out = Vec::new();
    for p in &args.pin {
        out.push(Selector::Pin(hex("pin", p)?));
    }
    for f in &args.fingerprint {
        out.push(Selector::Fingerprint(hex("fingerprint", f)?));
    }
    for s in &args.subject {
        if s.trim().is_empty() {
            bail!("--subject needs some text to match");
        }
        out.push(Selector::Subject(s.clone()));
    }
    if args.expired {
        out.push(Selector::Expired);
    }
    Ok(out)
}

pub fn run_bundle_remove(
    args: &BundleRemoveArgs,
    ctx: &Ctx,
    out: &mut dyn Write,
) -> Result<Status> {
    let selectors = selectors(args)?;
    let name = args.bundle.display().to_string();
    let yes = args.yes;
    // How many would have stayed, when the user answered no.
    let mut declined_with: Option<usize> = None;
    let mut confirm = |removed: &[&Entry], kept: usize| {
        if removed.len() > 1 && !yes {
            let answer = confirm_removal(&name, removed, ctx);
            if answer.as_ref().is_err_and(|e| e.is::<Declined>()) {
                declined_with = Some(removed.len() + kept);
            }
            answer
        } else {
            Ok(())
        }
    };
    let spec = RemoveSpec {
        bundle: args.bundle.clone(),
        selectors: selectors.clone(),
        dry_run: args.dry_run,
    };
    let result = match bundle::remove(&ctx.env, &spec, &mut confirm) {
        Ok(result) => result,
        // "No" is an answer, not an error: exit 1 (nothing removed), as
        // when nothing matched; the bundle is untouched.
        Err(e) if e.is::<Declined>() => {
            writeln!(
                std::io::stderr(),
                "tlsctl: nothing removed from {name} (you answered no)"
            )?;
            if ctx.json {
                let report = RemoveReport {
                    bundle: name.clone(),
                    dry_run: args.dry_run,
                    removed: Vec::new(),
                    remaining: declined_with.unwrap_or_default(),
                };
                output::json_with(out, &report, &[])?;
            }
            return Ok(Status::Problem);
        }
        Err(e) => return Err(e),
    };
    ctx.warnings(&result.warnings);
    let outcome = result.value;
    if outcome.removed.is_empty() {
        let wanted: Vec<String> = selectors.iter().map(flag_text).collect();
        writeln!(
            std::io::stderr(),
            "tlsctl: nothing in {name} matches {}; nothing removed",
            wanted.join(" or ")
        )?;
        if ctx.json {
            let report = RemoveReport {
                bundle: name.clone(),
                dry_run: args.dry_run,
                removed: Vec::new(),
                remaining: outcome.kept,
            };
            output::json_with(out, &report, &result.warnings)?;
        }
        return Ok(Status::Problem);
    }
    let (removed, kept) = (&outcome.removed, outcome.kept);
    let report = RemoveReport {
        bundle: name.clone(),
        dry_run: args.dry_run,
        removed: removed
            .iter()
            .map(|e| Listed::of(e.block, e, None))
            .collect(),
        remaining: kept,
    };
    if ctx.json {
        output::json_with(out, &report, &result.warnings)?;
        return Ok(Status::Success);
    }
    writeln!(
        out,
        "{} {} from {name}:",
        if args.dry_run {
            "Would remove"
        } else {
            "Removed"
        },
        removed.len()
    )?;
    for e in removed {
        writeln!(
            out,
            "  - {}  ({}, {}; pin {}…)",
            e.info.subject,
            role_of(&e.info),
            status_phrase(&e.info),
            e.info.pin_sha256.get(..16).unwrap_or_default()
        )?;
    }
    writeln!(
        out,
        "{name} {} {}",
        if args.dry_run {
            "would keep"
        } else {
            "now holds"
        },
        counted(kept, "certificate")
    )?;
    Ok(Status::Success)
}

fn confirm_removal(name: &str, removed: &[&Entry], ctx: &Ctx) -> Result<()> {
    if !ctx.interactive {
        bail!(
            "this would remove {} certificates from {name}; pass --yes to confirm \
             (or --dry-run to list them)",
            removed.len()
        );
    }
    let mut stderr = std::io::stderr();
    writeln!(
        stderr,
        "This removes {} certificates from {name}:",
        removed.len()
    )?;
    for e in removed {
        writeln!(stderr, "  - {}", e.info.subject)?;
    }
    let ok = dialoguer::Confirm::new()
        .with_prompt("Remove them?")
        .default(false)
        .interact()
        .context("asking for confirmation")?;
    if !ok {
        return Err(Declined.into());
    }
    Ok(())
}

/// The user answered no at the prompt.
#[derive(Debug, thiserror::Error)]
#[error("nothing removed (you answered no)")]
struct Declined;
