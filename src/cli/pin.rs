//! `tlsctl pin FILE...`: SPKI SHA-256 pins, sha256sum-style, bare, as a
//! NATS `pinned_certs` block, or as JSON; in hex (NATS) or, with
//! `--format`, in the base64 spellings of certtool, curl and HPKP.
//!
//! Every input is read and pinned before anything is printed: a bad block in
//! any file is exit 2 with nothing on stdout, so a script never consumes a
//! partial list.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Result;
use clap::{Args, ValueEnum};
use serde::Serialize;

use super::{Ctx, Status, output};
use crate::ops::pin::{self, PinRow};
use crate::pki::pin::{PinFormat, format_pin};
use crate::pki::render::escape_controls;
use crate::store;

#[derive(Debug, Args)]
pub struct PinArgs {
    /// Certificates, bundles, public keys, private keys or CSRs (PEM, DER, or a Kubernetes Secret/ConfigMap manifest, FILE#KEY for one key; - for stdin)
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
    /// With --nats: pin every certificate of a chain file, not only its leaf (NATS compares pins with the peer's leaf only)
    #[arg(long, requires = "nats", conflicts_with = "leaf_only")]
    pub all_certs: bool,
    /// How to write each pin: hex (NATS), base64 (as certtool prints after
    /// pin-sha256:), curl (sha256//BASE64 for --pinnedpubkey), rfc7469 (HPKP
    /// pin-sha256="BASE64")
    #[arg(long, value_enum, value_name = "FORMAT", conflicts_with = "nats")]
    pub format: Option<PinFormatArg>,
}

/// `--format` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PinFormatArg {
    Hex,
    Base64,
    Curl,
    Rfc7469,
}

impl From<PinFormatArg> for PinFormat {
    fn from(f: PinFormatArg) -> PinFormat {
        match f {
            PinFormatArg::Hex => PinFormat::Hex,
            PinFormatArg::Base64 => PinFormat::Base64,
            PinFormatArg::Curl => PinFormat::Curl,
            PinFormatArg::Rfc7469 => PinFormat::Rfc7469,
        }
    }
}

#[derive(Debug, Serialize)]
struct PinReport<'a> {
    pins: &'a [PinRow<'a>],
}

/// With `--format`: each row also carries the pin as asked for.
#[derive(Debug, Serialize)]
struct FormattedReport<'a> {
    format: PinFormat,
    pins: Vec<FormattedRow<'a>>,
}

#[derive(Debug, Serialize)]
struct FormattedRow<'a> {
    #[serde(flatten)]
    row: &'a PinRow<'a>,
    pin: String,
}

pub fn run_pin(args: &PinArgs, ctx: &Ctx, out: &mut dyn Write) -> Result<Status> {
    let mut inputs = store::k8s::open_inputs_or_manifests(&args.files, false)?;
    // pin writes names as sha256sum does (below), from the names as given.
    for (input, path) in inputs.iter_mut().zip(&args.files) {
        if !store::is_stdin(path) {
            input.name = path.display().to_string();
        }
    }
    let want_subject = ctx.json || args.nats;
    let mut rows = Vec::new();
    let now = ctx.now();
    for input in &inputs {
        // NATS pins the peer's leaf: a chain file's intermediates pin nothing.
        let take = if args.leaf_only {
            pin::Take::First
        } else if args.nats && !args.all_certs {
            pin::Take::LeafOfChain
        } else {
            pin::Take::All
        };
        let pinned = pin::pin_input(input, take, want_subject, now)?;
        if rows.is_empty() {
            rows = pinned;
        } else {
            rows.extend(pinned);
        }
    }
    let format = args.format.map(PinFormat::from).unwrap_or_default();
    let written = |row: &PinRow| {
        format_pin(&row.pin_sha256, format).unwrap_or_else(|| row.pin_sha256.clone())
    };
    if ctx.json {
        match args.format {
            None => output::json_with(out, &PinReport { pins: &rows }, &[])?,
            Some(_) => output::json_with(
                out,
                &FormattedReport {
                    format,
                    pins: rows
                        .iter()
                        .map(|row| FormattedRow {
                            row,
                            pin: written(row),
                        })
                        .collect(),
                },
                &[],
            )?,
        }
    } else if args.nats {
        out.write_all(pin::nats_block(&rows).as_bytes())?;
    } else if args.bare {
        // The hot loop of `pin --bare`: two writes into the buffer a row,
        // no formatting machinery.
        for row in &rows {
            if args.format.is_none() {
                out.write_all(row.pin_sha256.as_bytes())?;
                out.write_all(b"\n")?;
            } else {
                writeln!(out, "{}", written(row))?;
            }
        }
    } else {
        for row in &rows {
            // As sha256sum does: a name holding a backslash or a line break
            // is escaped, and the line starts with a backslash to say so.
            let name = row.name();
            if name.contains(['\\', '\n', '\r']) {
                let name = name
                    .replace('\\', "\\\\")
                    .replace('\n', "\\n")
                    .replace('\r', "\\r");
                writeln!(out, "\\{}  {}", written(row), escape_controls(&name))?;
            } else {
                writeln!(out, "{}  {}", written(row), escape_controls(&name))?;
            }
        }
    }
    Ok(Status::Success)
}
