//! `tlsctl bundle list BUNDLE`: the bundle as a table.

use std::io::Write;

use anyhow::{Result, bail};
use serde::Serialize;

use super::{BundleFileArgs, Listed, role_of, status_phrase};
use crate::cli::{Ctx, Status, output};
use crate::ops::bundle::parse_listing_input;
use crate::pki::bundle;
use crate::pki::render::{self, Tone, counted, display_width, fit, pad};

#[derive(Serialize)]
struct ListReport<'a> {
    bundle: &'a str,
    certificates: ListedEach<'a>,
    problems: &'a [bundle::Problem],
}

/// The entries as [`Listed`] rows, each built as it is serialized: a
/// vector of them beside the parsed entries was a second copy of every
/// subject, issuer and pin (40 MB at 100,000 certificates).
struct ListedEach<'a>(&'a [bundle::Entry]);

impl Serialize for ListedEach<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().map(|e| Listed::of(e.block, e, None)))
    }
}

pub fn run_bundle_list(args: &BundleFileArgs, ctx: &Ctx, out: &mut dyn Write) -> Result<Status> {
    let (name, parsed) = parse_listing_input(&args.bundle, ctx.now())?;
    // Nothing to list: the problem alone, on stderr.
    if parsed.entries.is_empty()
        && !ctx.json
        && let Some(problem) = parsed.problems.first()
    {
        bail!("{name}: {problem}");
    }
    if ctx.json {
        output::json_with(
            out,
            &ListReport {
                bundle: &name,
                certificates: ListedEach(&parsed.entries),
                problems: &parsed.problems,
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
    // Each row's cells are made twice (once to measure the columns, once
    // to print) rather than kept: five strings per certificate.
    let row = |e: &bundle::Entry| {
        let info = &e.info;
        [
            e.block.to_string(),
            role_of(info).to_owned(),
            info.short_name().to_owned(),
            info.key.describe(),
            status_phrase(info),
        ]
    };
    let headers = ["#", "ROLE", "SUBJECT", "KEY", "VALIDITY"];
    let mut widths = headers.map(display_width);
    for e in entries {
        for (w, cell) in widths.iter_mut().zip(&row(e)) {
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
    for e in entries {
        let info = &e.info;
        let [n, role, subject, key, status] = &row(e);
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
