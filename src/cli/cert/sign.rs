//! `tlsctl cert sign REQ.csr`: sign a certificate signing request with a
//! store CA (mkcert `-csr`, `step certificate sign`, `openssl x509 -req`).
//! Without `--out` or `--cert-out` the certificate goes to stdout and the
//! summary to stderr, so `tlsctl cert sign req.csr > cert.pem` works.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Result;
use clap::Args;

use crate::cli::shared::UsageArg;
use crate::cli::{Ctx, Status, output};
use crate::ops::issue::{self, DEFAULT_DAYS};
use crate::ops::sign::{self, SignDestination, SignReport, SignSpec};
use crate::pki::render::{self, Tone};

#[derive(Debug, Args)]
pub struct CertSignArgs {
    /// The certificate signing request (PEM or DER; - for stdin)
    #[arg(value_name = "REQ.csr")]
    pub csr: PathBuf,
    /// Store CA to sign with [default: "default", created on first use]
    #[arg(long, value_name = "NAME")]
    pub ca: Option<String>,
    /// Extended key usage
    #[arg(long, value_enum, default_value_t = UsageArg::Dual)]
    pub usage: UsageArg,
    /// Validity in days (capped at the CA's expiry)
    #[arg(long, default_value_t = DEFAULT_DAYS)]
    pub days: i64,
    /// Write DIR/cert.pem and DIR/ca.pem (versioned, as cert issue --out)
    #[arg(long, value_name = "DIR", conflicts_with = "cert_out")]
    pub out: Option<PathBuf>,
    /// Write the certificate to this file [default: stdout]
    #[arg(long, value_name = "FILE")]
    pub cert_out: Option<PathBuf>,
    /// Put the CA's intermediates after the leaf
    #[arg(long)]
    pub chain: bool,
    /// SANs that replace the request's (repeatable; kind from the text)
    #[arg(long = "san", value_name = "SAN")]
    pub sans: Vec<String>,
    /// Replace existing files
    #[arg(long)]
    pub force: bool,
}

impl CertSignArgs {
    fn spec(&self) -> Result<SignSpec> {
        Ok(SignSpec {
            csr: self.csr.clone(),
            ca: self.ca.clone(),
            usage: self.usage.into(),
            days: self.days,
            destination: match (&self.out, &self.cert_out) {
                (Some(dir), _) => SignDestination::Dir(dir.clone()),
                (None, Some(f)) => SignDestination::File(f.clone()),
                (None, None) => SignDestination::Stdout,
            },
            chain: self.chain,
            sans: if self.sans.is_empty() {
                None
            } else {
                Some(issue::parse_sans(&self.sans, true)?)
            },
            replace: self.force,
        })
    }
}

pub fn run_cert_sign(args: &CertSignArgs, ctx: &Ctx, out: &mut dyn Write) -> Result<Status> {
    let outcome = sign::sign(&ctx.env, &args.spec()?)?;
    let report = &outcome.value;
    if report.created_default_ca && !ctx.quiet {
        let _ = writeln!(
            std::io::stderr(),
            "tlsctl: created the CA {:?} in the store (first use); peers must trust its ca.pem              (tlsctl ca export {})",
            report.ca,
            report.ca
        );
    }
    ctx.warnings(&outcome.warnings);
    if ctx.json {
        output::json_with(out, report, &outcome.warnings)?;
        return Ok(Status::Success);
    }
    if report.cert_path.is_none() {
        // The certificate is the output; the summary goes beside it.
        out.write_all(report.certificate_pem.as_bytes())?;
        if !ctx.quiet {
            let mut err = std::io::stderr();
            summary(&mut err, report, false)?;
        }
        return Ok(Status::Success);
    }
    summary(out, report, ctx.color)?;
    Ok(Status::Success)
}

fn summary(out: &mut dyn Write, report: &SignReport, color: bool) -> Result<()> {
    let info = &report.certificate;
    writeln!(
        out,
        "Signed {} for {} from CA {:?} (request {}, key {}{})",
        info.subject,
        if info.sans.is_empty() {
            "its subject alone (no SANs)".to_owned()
        } else {
            render::sans_text(&info.sans)
        },
        report.ca,
        report.csr,
        info.key.describe(),
        if report.sans_from_request {
            ""
        } else {
            "; SANs from --san"
        }
    )?;
    writeln!(
        out,
        "  usage: {}; valid until {} ({})",
        info.extended_key_usage
            .as_deref()
            .unwrap_or_default()
            .join(" + "),
        render::format_time(info.not_after),
        render::expiry_phrase(info)
    )?;
    if let Some(p) = &report.cert_path {
        writeln!(out, "  cert: {p}")?;
    }
    if let Some(p) = &report.ca_path {
        writeln!(out, "  ca:   {p} (the root peers should trust)")?;
    }
    writeln!(
        out,
        "  pin:  {}",
        output::paint(&info.pin_sha256, Tone::Key, color)
    )?;
    Ok(())
}
