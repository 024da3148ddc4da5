//! `tlsctl lint FILE... [--role ROLE] [--host NAME...]`: findings with a
//! severity and a fix each; exit 1 when any is an error (with
//! `--expires-within 30d`, also when a certificate expires within 30 days).

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Result, anyhow};
use clap::{Args, ValueEnum};

use super::output::{LintReport, count, print_findings};
use super::shared::parse_window;
use super::{Ctx, Status, output};
use crate::pki::bundle::Severity;
use crate::pki::lint::{self, Role};
use crate::pki::{CertInfo, expiry, reader};
use crate::store;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RoleArg {
    Server,
    Client,
    NatsClient,
    NatsRoute,
    NatsGateway,
    /// A leafnode certificate whose side is not said: judged as both
    NatsLeafnode,
    /// The hub: accepts leafnode connections (`leafnodes { tls }`), needs serverAuth
    NatsLeafnodeHub,
    /// The remote: dials the hub (`leafnodes { remotes [ { tls } ] }`)
    NatsLeafnodeRemote,
}

impl From<RoleArg> for Role {
    fn from(r: RoleArg) -> Role {
        match r {
            RoleArg::Server => Role::Server,
            RoleArg::Client => Role::Client,
            RoleArg::NatsClient => Role::NatsClient,
            RoleArg::NatsRoute => Role::NatsRoute,
            RoleArg::NatsGateway => Role::NatsGateway,
            RoleArg::NatsLeafnode => Role::NatsLeafnode,
            RoleArg::NatsLeafnodeHub => Role::NatsLeafnodeHub,
            RoleArg::NatsLeafnodeRemote => Role::NatsLeafnodeRemote,
        }
    }
}

#[derive(Debug, Args)]
pub struct LintArgs {
    /// Certificate files: a leaf, optionally followed by its chain (- for stdin); a Kubernetes
    /// Secret or ConfigMap manifest (FILE#KEY picks a key)
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// The job the certificate is for
    #[arg(long, value_enum)]
    pub role: Option<RoleArg>,
    /// A name peers connect to (repeatable)
    #[arg(long, value_name = "NAME")]
    pub host: Vec<String>,
    /// Exit 1 when any certificate (the leaf or its chain) expires within
    /// this window (30d, 12h, 90m), like openssl x509 -checkend
    #[arg(long, value_parser = parse_window, value_name = "DURATION")]
    pub expires_within: Option<time::Duration>,
}

pub fn run_lint(args: &LintArgs, ctx: &Ctx, out: &mut dyn Write) -> Result<Status> {
    let inputs = store::k8s::read_inputs_or_manifests(&args.files, false)?;
    let now = ctx.now();
    let mut reports = Vec::new();
    for input in &inputs {
        let items =
            reader::read_strict(&input.bytes).map_err(|e| anyhow!("{}: {e}", input.name))?;
        let blocks: Vec<usize> = items
            .iter()
            .filter(|(_, item)| matches!(item, reader::Item::Certificate(_)))
            .map(|(block, _)| *block)
            .collect();
        let chain = items
            .iter()
            .filter_map(|(block, item)| match item {
                reader::Item::Certificate(c) => Some((block, c)),
                _ => None,
            })
            .map(|(block, c)| {
                CertInfo::parse(c, now).map_err(|e| anyhow!("{}: block {block}: {e}", input.name))
            })
            .collect::<Result<Vec<_>>>()?;
        if chain.is_empty() {
            return Err(store::not_a_certificate(
                &input.name,
                items.iter().map(|(_, i)| i),
            ));
        }
        let role = args.role.map(Role::from);
        let mut findings = lint::lint_chain(&chain, role, &args.host);
        if let Some(leaf) = chain.first() {
            findings = lint::relax_cn_only(findings, leaf, role, &args.host);
        }
        if let Some(window) = args.expires_within {
            let numbered = chain.len() > 1;
            findings.extend(chain.iter().zip(&blocks).enumerate().filter_map(
                |(i, (info, block))| {
                    let found = expiry::Found {
                        file: None,
                        first: i == 0,
                    };
                    expiry::finding(info, now, window, numbered.then_some(*block), found)
                },
            ));
            findings.sort_by_key(|f| f.severity);
        }
        // A fix names the command to run: with this file, not a placeholder.
        for f in &mut findings {
            if let Some(fix) = &mut f.fix
                && fix.ends_with(" FILE")
                && input.name != crate::store::STDIN_NAME
            {
                fix.truncate(fix.len() - "FILE".len());
                fix.push_str(&input.name);
            }
        }
        reports.push((
            chain.first().map(|c| c.subject.clone()).unwrap_or_default(),
            LintReport {
                file: input.name.clone(),
                errors: count(&findings, Severity::Error),
                warnings: count(&findings, Severity::Warning),
                findings,
            },
        ));
    }
    let errors: usize = reports.iter().map(|(_, r)| r.errors).sum();
    if ctx.json {
        let files: Vec<&LintReport> = reports.iter().map(|(_, r)| r).collect();
        output::json(
            out,
            &serde_json::json!({ "files": files, "error_count": errors, "warnings": [] }),
        )?;
    } else {
        for (subject, report) in &reports {
            writeln!(
                out,
                "{}",
                output::bold(&format!("{}: {subject}", report.file), ctx.color)
            )?;
            if report.findings.is_empty() {
                writeln!(out, "  no findings")?;
            }
            print_findings(out, &report.findings, ctx.color)?;
        }
        let warnings: usize = reports.iter().map(|(_, r)| r.warnings).sum();
        writeln!(out, "{errors} error(s), {warnings} warning(s)")?;
    }
    Ok(if errors > 0 {
        Status::Problem
    } else {
        Status::Success
    })
}
