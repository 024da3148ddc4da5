//! `tlsctl inspect FILE...`: what each certificate, key, public key and CSR
//! says, with the pin and the fingerprint labelled apart.
//!
//! Inspect is a diagnostic: it shows every block it can read and names each
//! one it cannot. Any unreadable block (or file) still makes the run exit 2,
//! after the rest has been shown.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Result, bail};
use clap::Args;
use serde::Serialize;
use time::OffsetDateTime;

use super::{Ctx, Status, output};
use crate::pki::reader::{self, Block, Item};
use crate::pki::render::{self, DetailLine, Tone};
use crate::pki::{CertInfo, CsrInfo, KeyInfo, key, pin};
use crate::store;

#[derive(Debug, Args)]
pub struct InspectArgs {
    /// Files to inspect (PEM, DER, PKCS#12, or a Kubernetes Secret/ConfigMap manifest, FILE#KEY
    /// for one key; - for stdin)
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// The password of PKCS#12 files (its first line) [default: ask on the terminal]
    #[arg(long, value_name = "FILE")]
    pub password_file: Option<PathBuf>,
}

/// One inspected block.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Inspected {
    Certificate {
        block: usize,
        #[serde(skip_serializing_if = "std::ops::Not::not")]
        pem_headers: bool,
        certificate: Box<CertInfo>,
    },
    PrivateKey {
        block: usize,
        format: &'static str,
        key: KeyInfo,
        pin_sha256: String,
    },
    PublicKey {
        block: usize,
        key: KeyInfo,
        pin_sha256: String,
    },
    Csr {
        block: usize,
        csr: CsrInfo,
    },
    Error {
        block: usize,
        label: String,
        error: String,
    },
}

impl Inspected {
    pub fn is_error(&self) -> bool {
        matches!(self, Inspected::Error { .. })
    }

    /// The heading and detail lines the CLI prints and the TUI draws.
    pub fn details(&self) -> (String, Vec<DetailLine>) {
        match self {
            Inspected::Certificate { certificate, .. } => {
                ("certificate".to_owned(), render::cert_details(certificate))
            }
            Inspected::PrivateKey {
                format,
                key,
                pin_sha256,
                ..
            } => (
                format!("private key ({format})"),
                render::key_details(key, pin_sha256, true),
            ),
            Inspected::PublicKey {
                key, pin_sha256, ..
            } => (
                "public key".to_owned(),
                render::key_details(key, pin_sha256, false),
            ),
            Inspected::Csr { csr, .. } => (
                "certificate signing request".to_owned(),
                render::csr_details(csr),
            ),
            Inspected::Error { label, .. } => (label.clone(), Vec::new()),
        }
    }
}

#[derive(Debug, Serialize)]
struct FileReport {
    file: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
    items: Vec<Inspected>,
}

#[derive(Debug, Serialize)]
struct InspectReport {
    files: Vec<FileReport>,
}

/// Inspects one block.
pub fn inspect_block(block: &Block, now: OffsetDateTime) -> Inspected {
    let index = block.index;
    let error = |error: String| Inspected::Error {
        block: index,
        label: block.label.clone(),
        error,
    };
    let item = match &block.item {
        Ok(item) => item,
        Err(e) => return error(e.to_string()),
    };
    match item {
        Item::Certificate(der) => match CertInfo::parse(der, now) {
            Ok(info) => Inspected::Certificate {
                block: index,
                pem_headers: block.pem_headers,
                certificate: Box::new(info),
            },
            Err(e) => error(e.to_string()),
        },
        Item::PrivateKey(k) => {
            let format = match k {
                rustls_pki_types::PrivateKeyDer::Pkcs1(_) => "PKCS#1",
                rustls_pki_types::PrivateKeyDer::Sec1(_) => "SEC1",
                _ => "PKCS#8",
            };
            match key::public_spki(k).map(|spki| (KeyInfo::from_spki(&spki), spki)) {
                Ok((Ok(info), spki)) => Inspected::PrivateKey {
                    block: index,
                    format,
                    key: info,
                    pin_sha256: pin::spki_pin(&spki),
                },
                Ok((Err(e), _)) => error(e.to_string()),
                Err(e) => error(e.to_string()),
            }
        }
        Item::PublicKey(spki) => match KeyInfo::from_spki(spki.as_ref()) {
            Ok(info) => Inspected::PublicKey {
                block: index,
                key: info,
                pin_sha256: pin::spki_pin(spki.as_ref()),
            },
            Err(e) => error(e.to_string()),
        },
        Item::Csr(der) => match CsrInfo::parse(der.as_ref()) {
            Ok(csr) => Inspected::Csr { block: index, csr },
            Err(e) => error(e.to_string()),
        },
    }
}

pub fn run_inspect(args: &InspectArgs, ctx: &Ctx, out: &mut dyn Write) -> Result<Status> {
    let stdin_count = args.files.iter().filter(|p| store::is_stdin(p)).count();
    if stdin_count > 1 {
        bail!("standard input (-) can be given only once");
    }
    let mut reports = Vec::new();
    let mut failures = Vec::new();
    for path in &args.files {
        let input = match store::k8s::read_input_or_manifest(path, true) {
            Ok(input) => input,
            Err(e) => {
                failures.push(format!("{e:#}"));
                reports.push(FileReport {
                    file: path.display().to_string(),
                    error: Some(format!("{e:#}")),
                    items: Vec::new(),
                });
                continue;
            }
        };
        if crate::ops::p12::is_p12(&input.bytes) {
            match inspect_p12(args, ctx, &input) {
                Ok(items) => reports.push(FileReport {
                    file: input.name.clone(),
                    error: None,
                    items,
                }),
                Err(e) => {
                    failures.push(format!("{e:#}"));
                    reports.push(FileReport {
                        file: input.name.clone(),
                        error: Some(format!("{e:#}")),
                        items: Vec::new(),
                    });
                }
            }
            continue;
        }
        // Each block is described as it is decoded, and its DER dropped
        // (with the model's copies of the names' and key's DER, which
        // inspect never prints): only what is printed is kept, in the one
        // vector the blocks are decoded into.
        let now = ctx.now();
        let described = |b: Block| {
            let mut item = inspect_block(&b, now);
            if let Inspected::Certificate { certificate, .. } = &mut item {
                certificate.subject_der = Vec::new();
                certificate.issuer_der = Vec::new();
                certificate.spki_der = Vec::new();
            }
            item
        };
        match reader::map_blocks(&input.bytes, described) {
            Ok(items) => {
                for item in &items {
                    if let Inspected::Error {
                        block: index,
                        error,
                        ..
                    } = item
                    {
                        // Shown in full on stdout above; stderr says it once, short.
                        failures.push(if ctx.json {
                            format!("{}: block {index}: {error}", input.name)
                        } else {
                            format!(
                                "{}: block {index} could not be read (why is shown above)",
                                input.name
                            )
                        });
                    }
                }
                reports.push(FileReport {
                    file: input.name.clone(),
                    error: None,
                    items,
                });
            }
            Err(e) => {
                failures.push(format!("{}: {e}", input.name));
                reports.push(FileReport {
                    file: input.name.clone(),
                    error: Some(e.to_string()),
                    items: Vec::new(),
                });
            }
        }
    }

    if ctx.json {
        output::json_with(out, &InspectReport { files: reports }, &[])?;
    } else {
        let mut first = true;
        for report in &reports {
            let many = report.items.len() > 1;
            for item in &report.items {
                if !first {
                    writeln!(out)?;
                }
                first = false;
                print_item(out, &report.file, many, item, ctx.color)?;
            }
        }
    }
    // What could be read is shown even when the run fails.
    out.flush()?;
    match failures.len() {
        0 => Ok(Status::Success),
        1 => bail!("{}", failures.remove(0)),
        n => bail!("{n} inputs could not be read:\n  {}", failures.join("\n  ")),
    }
}

/// A PKCS#12 file: its keys, then its certificates, numbered as blocks.
fn inspect_p12(args: &InspectArgs, ctx: &Ctx, input: &store::Input) -> Result<Vec<Inspected>> {
    let password = super::shared::password(
        args.password_file.as_deref(),
        ctx.interactive,
        &format!("Password for {} (PKCS#12)", input.name),
        false,
        "--password-file",
    )?;
    let contents = crate::ops::p12::read(&input.name, &input.bytes, &password)?;
    let now = ctx.now();
    let mut items = Vec::new();
    for k in &contents.keys {
        let block = items.len() + 1;
        items.push(match k.spki.as_deref().map(KeyInfo::from_spki) {
            Some(Ok(key)) => Inspected::PrivateKey {
                block,
                format: "PKCS#8 in PKCS#12",
                key,
                pin_sha256: k.pin_sha256.clone().unwrap_or_default(),
            },
            _ => Inspected::Error {
                block,
                label: "PRIVATE KEY".to_owned(),
                error: "a key tlsctl cannot read".to_owned(),
            },
        });
    }
    for c in &contents.certs {
        let block = items.len() + 1;
        items.push(match CertInfo::parse(&c.der, now) {
            Ok(info) => Inspected::Certificate {
                block,
                pem_headers: false,
                certificate: Box::new(info),
            },
            Err(e) => Inspected::Error {
                block,
                label: "CERTIFICATE".to_owned(),
                error: e.to_string(),
            },
        });
    }
    Ok(items)
}

fn print_item(
    out: &mut dyn Write,
    file: &str,
    many: bool,
    item: &Inspected,
    color: bool,
) -> Result<()> {
    let block = match item {
        Inspected::Certificate { block, .. }
        | Inspected::PrivateKey { block, .. }
        | Inspected::PublicKey { block, .. }
        | Inspected::Csr { block, .. }
        | Inspected::Error { block, .. } => *block,
    };
    let name = if many {
        format!("{file} block {block}")
    } else {
        file.to_owned()
    };
    let (heading, lines) = item.details();
    match item {
        Inspected::Error { error, .. } => {
            writeln!(
                out,
                "{}: {}",
                output::bold(&name, color),
                output::paint(&format!("unreadable {heading}: {error}"), Tone::Bad, color)
            )?;
        }
        _ => {
            writeln!(out, "{}: {heading}", output::bold(&name, color))?;
            if let Inspected::Certificate {
                pem_headers: true, ..
            } = item
            {
                writeln!(
                    out,
                    "  {}",
                    output::paint(
                        "warning: this block carries PEM headers; Go and so NATS skip it silently",
                        Tone::Warn,
                        color
                    )
                )?;
            }
            output::detail_lines(out, &lines, "  ", color)?;
        }
    }
    Ok(())
}
