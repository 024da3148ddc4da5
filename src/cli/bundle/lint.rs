//! `tlsctl bundle lint BUNDLE`: duplicates, expiry, non-CAs, intermediates
//! only, private keys, PEM headers; with `--expires-within`, exit 1 when a
//! certificate expires within the window.

use std::io::Write;

use anyhow::Result;
use clap::Args;

use super::BundleFileArgs;
use crate::cli::output::{self, LintReport, count, print_findings};
use crate::cli::shared::parse_window;
use crate::cli::{Ctx, Status};
use crate::ops::bundle::parse_listing_input;
use crate::pki::bundle::{self, Severity};
use crate::pki::expiry;
use crate::pki::render::counted;

#[derive(Debug, Args)]
pub struct BundleLintArgs {
    #[command(flatten)]
    pub file: BundleFileArgs,
    /// Exit 1 when any certificate of the bundle expires within this window
    /// (30d, 12h, 90m), like openssl x509 -checkend
    #[arg(long, value_parser = parse_window, value_name = "DURATION")]
    pub expires_within: Option<time::Duration>,
}

pub fn run_bundle_lint(args: &BundleLintArgs, ctx: &Ctx, out: &mut dyn Write) -> Result<Status> {
    let now = ctx.now();
    let (name, parsed) = parse_listing_input(&args.file.bundle, now)?;
    let mut findings = bundle::lint(&parsed);
    if let Some(window) = args.expires_within {
        // The fix names the bundle (a leaf in it is renewed from the bundle
        // only when it is the first certificate, the one cert renew reads;
        // cert renew refuses a manifest).
        let file = (name != crate::store::STDIN_NAME
            && !crate::store::k8s::is_manifest(&args.file.bundle))
        .then_some(name.as_str());
        findings.extend(parsed.entries.iter().enumerate().filter_map(|(i, e)| {
            let found = expiry::Found {
                file,
                first: i == 0,
            };
            expiry::finding(&e.info, now, window, Some(e.block), found)
        }));
        findings.sort_by_key(|f| f.severity);
    }
    let report = LintReport {
        file: name.clone(),
        errors: count(&findings, Severity::Error),
        warnings: count(&findings, Severity::Warning),
        findings,
    };
    if ctx.json {
        // A bundle is `bundle` in every bundle command's document.
        #[derive(serde::Serialize)]
        struct Document<'a> {
            bundle: &'a str,
            findings: &'a [crate::pki::bundle::Finding],
            error_count: usize,
            warning_count: usize,
        }
        let doc = Document {
            bundle: &report.file,
            findings: &report.findings,
            error_count: report.errors,
            warning_count: report.warnings,
        };
        output::json_with(out, &doc, &[])?;
    } else {
        writeln!(
            out,
            "{}",
            output::bold(
                &format!("{name}: {}", counted(parsed.entries.len(), "certificate")),
                ctx.color
            )
        )?;
        if report.findings.is_empty() {
            writeln!(out, "  no findings")?;
        }
        print_findings(out, &report.findings, ctx.color)?;
        writeln!(
            out,
            "{} error(s), {} warning(s)",
            report.errors, report.warnings
        )?;
    }
    Ok(if report.errors > 0 {
        Status::Problem
    } else {
        Status::Success
    })
}
