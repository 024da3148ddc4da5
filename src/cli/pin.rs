//! `tlsctl pin FILE...`: SPKI SHA-256 pins, sha256sum-style, bare, as a
//! NATS `pinned_certs` block, or as JSON.
//!
//! Every input is read and pinned before anything is printed: a bad block in
//! any file is exit 2 with nothing on stdout, so a script never consumes a
//! partial list.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Result, anyhow};
use clap::Args;
use serde::Serialize;

use super::{Ctx, Status, output};
use crate::pki::reader::{self, Item};
use crate::pki::{CertInfo, pin};
use crate::store;

#[derive(Debug, Args)]
pub struct PinArgs {
    /// Certificates, bundles, public keys, private keys or CSRs (PEM or DER; - for stdin)
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Print a NATS `pinned_certs: [...]` block, a comment naming each subject
    #[arg(long, conflicts_with = "bare")]
    pub nats: bool,
    /// Print only the hex pins, one per line
    #[arg(long)]
    pub bare: bool,
    /// Only the first certificate (or key) of each file: the leaf of a chain file
    #[arg(long)]
    pub leaf_only: bool,
}

/// One pinned item.
#[derive(Debug, Clone, Serialize)]
pub struct PinRow {
    pub file: String,
    /// 1-based position among the file's pinnable items.
    pub item: usize,
    /// `FILE`, or `FILE#N` when the file holds more than one item.
    pub name: String,
    pub kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    pub pin_sha256: String,
}

#[derive(Debug, Serialize)]
struct PinReport<'a> {
    pins: &'a [PinRow],
}

pub fn run_pin(args: &PinArgs, ctx: &Ctx, out: &mut dyn Write) -> Result<Status> {
    let inputs = store::read_inputs(&args.files)?;
    let want_subject = ctx.json || args.nats;
    let mut rows = Vec::new();
    for input in &inputs {
        rows.extend(pin_input(input, args.leaf_only, want_subject, ctx)?);
    }
    if ctx.json {
        output::json(out, &PinReport { pins: &rows })?;
    } else if args.nats {
        write_nats_block(out, &rows)?;
    } else if args.bare {
        for row in &rows {
            writeln!(out, "{}", row.pin_sha256)?;
        }
    } else {
        for row in &rows {
            writeln!(out, "{}  {}", row.pin_sha256, row.name)?;
        }
    }
    Ok(Status::Success)
}

/// Pins every item of one input. Blocks are pinned as they are decoded
/// (on several threads for a large bundle), and the decoded DER dropped.
pub fn pin_input(
    input: &store::Input,
    leaf_only: bool,
    want_subject: bool,
    ctx: &Ctx,
) -> Result<Vec<PinRow>> {
    let pinned = reader::map_blocks(&input.bytes, |block| {
        let (index, item) = reader::strict(block).map_err(|e| e.to_string())?;
        let in_block = |e: &dyn std::fmt::Display| format!("block {index}: {e}");
        let pin = pin::item_pin(&item).map_err(|e| in_block(&e))?;
        let subject = match &item {
            Item::Certificate(der) if want_subject => Some(
                CertInfo::parse(der, ctx.now)
                    .map_err(|e| in_block(&e))?
                    .subject,
            ),
            _ => None,
        };
        Ok::<_, String>((item.kind_name(), subject, pin))
    })
    .map_err(|e| anyhow!("{}: {e}", input.name))?;
    let take = if leaf_only { 1 } else { pinned.len() };
    let numbered = pinned.len() > 1 && !leaf_only;
    pinned
        .into_iter()
        .take(take)
        .enumerate()
        .map(|(i, result)| {
            let (kind, subject, pin) = result.map_err(|e| anyhow!("{}: {e}", input.name))?;
            Ok(PinRow {
                file: input.name.clone(),
                item: i + 1,
                name: if numbered {
                    format!("{}#{}", input.name, i + 1)
                } else {
                    input.name.clone()
                },
                kind,
                subject,
                pin_sha256: pin,
            })
        })
        .collect()
}

/// `pinned_certs: [ ... ]` with a comment naming each subject; the same key
/// seen twice (a certificate and its key) is listed once.
pub fn write_nats_block(out: &mut dyn Write, rows: &[PinRow]) -> Result<()> {
    writeln!(out, "pinned_certs: [")?;
    let mut seen: Vec<&str> = Vec::new();
    for row in rows {
        if seen.contains(&row.pin_sha256.as_str()) {
            continue;
        }
        seen.push(&row.pin_sha256);
        let sources: Vec<String> = rows
            .iter()
            .filter(|r| r.pin_sha256 == row.pin_sha256)
            .map(|r| match &r.subject {
                Some(subject) => format!("{subject} ({})", r.name),
                None => format!("{} ({})", r.kind, r.name),
            })
            .collect();
        for source in sources {
            writeln!(out, "  # {}", one_line(&source))?;
        }
        writeln!(out, "  \"{}\"", row.pin_sha256)?;
    }
    writeln!(out, "]")?;
    Ok(())
}

/// Comments must stay on one line whatever a subject holds.
fn one_line(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}
