//! `tlsctl bundle lint BUNDLE`: duplicates, expiry, non-CAs, intermediates
//! only, private keys, PEM headers.

use std::io::Write;

use anyhow::Result;

use super::BundleFileArgs;
use crate::cli::output::{self, LintReport, count, print_findings};
use crate::cli::{Ctx, Status};
use crate::ops::bundle::parse_input;
use crate::pki::bundle::{self, Severity};
use crate::pki::render::counted;

pub fn run_bundle_lint(args: &BundleFileArgs, ctx: &Ctx, out: &mut dyn Write) -> Result<Status> {
    let (name, parsed) = parse_input(&args.bundle, ctx.now())?;
    let findings = bundle::lint(&parsed);
    let report = LintReport {
        file: name.clone(),
        errors: count(&findings, Severity::Error),
        warnings: count(&findings, Severity::Warning),
        findings,
    };
    if ctx.json {
        output::json_with(out, &report, &[])?;
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
