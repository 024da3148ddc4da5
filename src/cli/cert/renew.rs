//! `tlsctl cert renew CERT`: same subject, SANs and usage, a new serial and
//! validity; the key (and so the pin) kept unless `--rekey`.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Result;
use clap::Args;

use crate::cli::{Ctx, Status, output};
use crate::ops::issue::{self, RenewSpec};
use crate::pki::render::{self, Tone};
use crate::store::Layout;

#[derive(Debug, Args)]
pub struct CertRenewArgs {
    /// The certificate to renew (a file tlsctl or another tool issued)
    #[arg(value_name = "CERT")]
    pub cert: PathBuf,
    /// Store CA to sign with [default: the one that issued CERT]
    #[arg(long, value_name = "NAME")]
    pub ca: Option<String>,
    /// With --rekey: where the new key goes [default: the key tlsctl recorded for CERT]
    #[arg(long, value_name = "KEY", requires = "rekey")]
    pub key: Option<PathBuf>,
    /// Generate a new key (this changes the pin); without it the key and pin stay
    #[arg(long)]
    pub rekey: bool,
    /// Validity in days [default: the current certificate's]
    #[arg(long)]
    pub days: Option<i64>,
    /// Renew even from a CA that is not valid yet (the renewed certificate will not verify until it is)
    #[arg(long)]
    pub force: bool,
}

impl CertRenewArgs {
    pub fn spec(&self) -> RenewSpec {
        RenewSpec {
            cert: self.cert.clone(),
            ca: self.ca.clone(),
            key: self.key.clone(),
            rekey: self.rekey,
            days: self.days,
            from_staged: self.force,
        }
    }
}

pub fn run_cert_renew(args: &CertRenewArgs, ctx: &Ctx, out: &mut dyn Write) -> Result<Status> {
    let outcome = issue::renew(&ctx.env, &args.spec())?;
    ctx.warnings(&outcome.warnings);
    let renewed = &outcome.value;
    let report = &renewed.report;
    if ctx.json {
        output::json_with(out, report, &outcome.warnings)?;
        return Ok(Status::Success);
    }
    let (info, previous) = (&report.certificate, &renewed.previous);
    writeln!(
        out,
        "Renewed {} from CA {:?}: serial {} -> {}, valid until {} ({})",
        info.subject,
        report.ca,
        previous.serial,
        info.serial,
        render::format_time(info.not_after),
        render::expiry_phrase(info)
    )?;
    writeln!(out, "  cert: {}", report.cert_path)?;
    if !report.key_path.is_empty() {
        writeln!(out, "  key:  {}", report.key_path)?;
    }
    if report.pin_kept == Some(true) {
        writeln!(
            out,
            "  pin:  {} (unchanged: pinned_certs entries keep working)",
            output::paint(&info.pin_sha256, Tone::Key, ctx.color)
        )?;
    } else {
        writeln!(
            out,
            "  pin:  {} (NEW; was {}): update pinned_certs before peers see it",
            output::paint(&info.pin_sha256, Tone::Warn, ctx.color),
            previous.pin_sha256
        )?;
    }
    if report.layout == Layout::Versioned && !ctx.quiet {
        writeln!(
            out,
            "  switched cert.pem and key.pem together (one rename of ..data)"
        )?;
    }
    Ok(Status::Success)
}
