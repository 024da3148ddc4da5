//! `tlsctl bundle list BUNDLE`: the bundle as a table.

use std::io::Write;

use anyhow::{Result, bail};
use serde::Serialize;

use super::{BundleFileArgs, Listed, role_of, status_phrase};
use crate::cli::{Ctx, Status, output};
use crate::ops::bundle::parse_input;
use crate::pki::bundle;
use crate::pki::render::{self, Tone, counted, display_width, fit, pad};

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
        write_table(out, &parsed.entries, output::table_width(), ctx.color)?;
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

/// The table, each column as wide as its widest cell (in display columns),
/// the subject column cut to make the row fit `width` when there is one.
fn write_table(
    out: &mut dyn Write,
    entries: &[bundle::Entry],
    width: Option<usize>,
    color: bool,
) -> Result<()> {
    const PIN: usize = 17; // 16 digits and an ellipsis
    let rows: Vec<[String; 5]> = entries
        .iter()
        .map(|e| {
            let info = &e.info;
            [
                e.block.to_string(),
                role_of(info).to_owned(),
                info.short_name().to_owned(),
                info.key.describe(),
                status_phrase(info),
            ]
        })
        .collect();
    let headers = ["#", "ROLE", "SUBJECT", "KEY", "VALIDITY"];
    let mut widths = headers.map(display_width);
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(display_width(cell));
        }
    }
    if let Some(limit) = width {
        // The columns other than the subject, two spaces between each.
        let others = widths[0] + widths[1] + widths[3] + widths[4] + PIN + 2 * 5;
        widths[2] = widths[2].min(limit.saturating_sub(others)).max(12);
    }
    let [wn, wr, ws, wk, wv] = widths;
    writeln!(
        out,
        "{:>wn$}  {}  {}  {}  {}  PIN",
        "#",
        pad("ROLE", wr),
        pad("SUBJECT", ws),
        pad("KEY", wk),
        pad("VALIDITY", wv)
    )?;
    for (e, row) in entries.iter().zip(&rows) {
        let info = &e.info;
        let [n, role, subject, key, status] = row;
        writeln!(
            out,
            "{n:>wn$}  {}  {}  {}  {}  {}…",
            pad(role, wr),
            pad(&fit(subject, ws), ws),
            pad(key, wk),
            output::paint(
                &pad(status, wv),
                render::expiry_tone(info.validity, info.days_left),
                color
            ),
            info.pin_sha256.get(..16).unwrap_or_default()
        )?;
    }
    Ok(())
}
