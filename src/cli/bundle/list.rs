//! `tlsctl bundle list BUNDLE`: the bundle as a table.

use std::io::Write;

use anyhow::{Result, bail};
use serde::Serialize;

use super::{BundleFileArgs, Listed, role_of, status_phrase};
use crate::cli::{Ctx, Status, output};
use crate::ops::bundle::parse_input;
use crate::pki::bundle;
use crate::pki::render::{self, Tone, counted, fit};

#[derive(Debug, Serialize)]
struct ListReport {
    bundle: String,
    certificates: Vec<Listed>,
    problems: Vec<bundle::Problem>,
}

pub fn run_bundle_list(args: &BundleFileArgs, ctx: &Ctx, out: &mut dyn Write) -> Result<Status> {
    let (name, parsed) = parse_input(&args.bundle, ctx.now())?;
    // Nothing to list: the problem alone, on stderr.
    if parsed.entries.is_empty()
        && !ctx.json
        && let Some(problem) = parsed.problems.first()
    {
        bail!("{name}: {problem}");
    }
    let listed: Vec<Listed> = parsed
        .entries
        .iter()
        .map(|e| Listed::of(e.block, e, None))
        .collect();
    if ctx.json {
        output::json_with(
            out,
            &ListReport {
                bundle: name.clone(),
                certificates: listed,
                problems: parsed.problems.clone(),
            },
            &[],
        )?;
    } else {
        writeln!(
            out,
            "{}",
            output::bold(
                &format!("{name}: {}", counted(parsed.entries.len(), "certificate")),
                ctx.color
            )
        )?;
        writeln!(
            out,
            "{:>3}  {:<12}  {:<40}  {:<12}  {:<30}  PIN",
            "#", "ROLE", "SUBJECT", "KEY", "VALIDITY"
        )?;
        for e in &parsed.entries {
            let info = &e.info;
            let subject = fit(info.short_name(), 40);
            let status = fit(&status_phrase(info), 30);
            writeln!(
                out,
                "{:>3}  {:<12}  {:<40}  {:<12}  {}  {}…",
                e.block,
                role_of(info),
                subject,
                info.key.describe(),
                output::paint(
                    &format!("{status:<30}"),
                    render::expiry_tone(info.validity, info.days_left),
                    ctx.color
                ),
                info.pin_sha256.get(..16).unwrap_or_default()
            )?;
        }
        for problem in &parsed.problems {
            writeln!(
                out,
                "{}",
                output::paint(&format!("  ! {problem}"), Tone::Bad, ctx.color)
            )?;
        }
    }
    out.flush()?;
    if let Some(problem) = parsed.problems.first() {
        bail!("{name}: {problem}");
    }
    Ok(Status::Success)
}
