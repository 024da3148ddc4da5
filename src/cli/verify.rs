//! `tlsctl verify CERT --bundle B`: build and check the chain as a TLS peer
//! would, every bundle certificate a trust anchor (as Go and NATS do).

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Result, anyhow};
use clap::{Args, ValueEnum};
use serde::Serialize;
use time::OffsetDateTime;

use super::shared::{parse_time, parse_window};
use super::{Ctx, Status, output};
use crate::ops;
use crate::pki::issue::Usage;
use crate::pki::render::Tone;
use crate::pki::verify::{self, Anchors, Purpose, Reason};
use crate::pki::{CertInfo, expiry};
use crate::store;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PurposeArg {
    Server,
    Client,
    /// serverAuth and clientAuth, as NATS routes need
    Both,
}

#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// The certificate, optionally followed by its chain (- for stdin)
    pub cert: PathBuf,
    /// The trust bundle (every certificate in it is a trust anchor)
    #[arg(long, value_name = "BUNDLE")]
    pub bundle: PathBuf,
    /// More intermediates to build the chain with
    #[arg(long, value_name = "FILE")]
    pub untrusted: Vec<PathBuf>,
    /// What the certificate must be good for [default: what its EKU allows: server for serverAuth only, both for dual use]
    #[arg(long, value_enum)]
    pub purpose: Option<PurposeArg>,
    /// The name (DNS or IP) peers connect to
    #[arg(long, value_name = "NAME")]
    pub host: Option<String>,
    /// Check at this time instead of now (2027-01-01, RFC 3339, or +30d from now)
    #[arg(long, value_parser = parse_time, value_name = "TIME", allow_hyphen_values = true)]
    pub at: Option<OffsetDateTime>,
    /// Exit 1 also when the leaf, its chain or the anchor it verified
    /// through expires within this window (30d, 12h, 90m), like openssl x509
    /// -checkend
    #[arg(long, value_parser = parse_window, value_name = "DURATION")]
    pub expires_within: Option<time::Duration>,
}

#[derive(Debug, Serialize)]
struct ExpiresWithin {
    window: String,
    expiring: Vec<expiry::Expiring>,
}

#[derive(Debug, Serialize)]
struct PurposeResult {
    purpose: Purpose,
    ok: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    path: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    anchor_block: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<Reason>,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<String>,
}

#[derive(Debug, Serialize)]
struct VerifyReport {
    /// The certificate file checked.
    file: String,
    subject: String,
    bundle: String,
    host: Option<String>,
    at: String,
    ok: bool,
    results: Vec<PurposeResult>,
    #[serde(skip_serializing_if = "Option::is_none")]
    expires_within: Option<ExpiresWithin>,
}

pub fn run_verify(args: &VerifyArgs, ctx: &Ctx, out: &mut dyn Write) -> Result<Status> {
    let at = args.at.unwrap_or_else(|| ctx.now());
    let (cert_name, mut certs) = store::read_certificates(&args.cert)?;
    let leaf = certs.remove(0);
    for extra in &args.untrusted {
        certs.extend(store::read_certificates(extra)?.1);
    }
    let trusted = ops::bundle::read_trust_anchors(&args.bundle, at)?;
    ctx.warnings(&trusted.warnings);
    let (bundle_name, read) = trusted.value;
    // The DERs move into the anchors (each certificate's model was dropped
    // as it was read: not a second copy of the bundle beside the first).
    let (blocks, ders): (Vec<usize>, Vec<_>) = read.into_iter().unzip();
    let anchors = Anchors::new(ders, at);
    let info = CertInfo::parse(&leaf, at).map_err(|e| anyhow!("{cert_name}: {e}"))?;
    let purpose = args.purpose.unwrap_or(match Usage::of(&info) {
        Usage::Server => PurposeArg::Server,
        Usage::Client => PurposeArg::Client,
        Usage::Dual => PurposeArg::Both,
    });
    let purposes = match purpose {
        PurposeArg::Server => vec![Purpose::Server],
        PurposeArg::Client => vec![Purpose::Client],
        PurposeArg::Both => vec![Purpose::Server, Purpose::Client],
    };
    let subject = info.subject;
    let results: Vec<PurposeResult> = purposes
        .into_iter()
        .map(|purpose| {
            match verify::verify(&anchors, &leaf, &certs, purpose, args.host.as_deref(), at) {
                Ok(trusted) => PurposeResult {
                    purpose,
                    ok: true,
                    path: Some(trusted.path),
                    anchor_block: blocks.get(trusted.anchor).copied(),
                    reason: None,
                    message: None,
                },
                Err(reason) => PurposeResult {
                    purpose,
                    ok: false,
                    path: None,
                    anchor_block: None,
                    message: Some(reason.to_string()),
                    reason: Some(reason),
                },
            }
        })
        .collect();
    let ok = results.iter().all(|r| r.ok);
    let expires_within = match args.expires_within {
        None => None,
        Some(window) => {
            // The leaf, the chain it came with, and each anchor a purpose
            // verified through, each once.
            let mut ders: Vec<&[u8]> = vec![leaf.as_ref()];
            ders.extend(certs.iter().map(|c| c.as_ref()));
            for r in &results {
                if let Some(der) = r
                    .anchor_block
                    .and_then(|b| blocks.iter().position(|&x| x == b))
                    .and_then(|i| anchors.der(i))
                {
                    ders.push(der);
                }
            }
            let mut expiring: Vec<expiry::Expiring> = Vec::new();
            for der in ders {
                let info = CertInfo::parse(der, at).map_err(|e| anyhow!("{cert_name}: {e}"))?;
                if let Some(e) = expiry::check(&info, at, window)
                    && !expiring.contains(&e)
                {
                    expiring.push(e);
                }
            }
            Some(ExpiresWithin {
                window: expiry::window_text(window),
                expiring,
            })
        }
    };
    let expiring = expires_within
        .as_ref()
        .is_some_and(|e| !e.expiring.is_empty());
    let report = VerifyReport {
        file: cert_name,
        subject,
        bundle: bundle_name,
        host: args.host.clone(),
        at: crate::pki::render::format_rfc3339(at),
        ok,
        results,
        expires_within,
    };
    if ctx.json {
        output::json_with(out, &report, &trusted.warnings)?;
    } else {
        for r in &report.results {
            let purpose = match r.purpose {
                Purpose::Server => "server",
                Purpose::Client => "client",
            };
            if r.ok {
                let path = r.path.clone().unwrap_or_default().join(" <- ");
                writeln!(
                    out,
                    "{} {} for {purpose}{}: {path} (anchor: {} block {})",
                    output::paint("OK", Tone::Good, ctx.color),
                    report.file,
                    // Host names are matched for the server purpose only.
                    report
                        .host
                        .as_ref()
                        .filter(|_| r.purpose == Purpose::Server)
                        .map(|h| format!(" as {h}"))
                        .unwrap_or_default(),
                    report.bundle,
                    r.anchor_block.unwrap_or(0)
                )?;
            } else {
                writeln!(
                    out,
                    "{} {} for {purpose}: {}",
                    output::paint("FAIL", Tone::Bad, ctx.color),
                    report.file,
                    r.message.clone().unwrap_or_default()
                )?;
            }
        }
    }
    if !ctx.json
        && let Some(e) = &report.expires_within
    {
        for x in &e.expiring {
            writeln!(
                out,
                "{} {}, within {}",
                output::paint("EXPIRES", Tone::Bad, ctx.color),
                x.message,
                e.window
            )?;
        }
    }
    Ok(if ok && !expiring {
        Status::Success
    } else {
        Status::Problem
    })
}
