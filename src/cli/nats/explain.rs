//! `tlsctl nats explain [LOG]`: a nats-server log's TLS and authentication
//! failures in plain words, grouped, with what to do and the local file
//! that holds the certificate a line names. Exit 0 when nothing failed, 1
//! when it explained failures, 2 when the log (or a given file) is
//! unreadable.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Result, anyhow};
use clap::Args;

use super::super::{Ctx, Status, output};
use crate::ops::nats_explain::{self, ExplainReport, ExplainSpec, HashKind};
use crate::pki::natslog::Kind;

#[derive(Debug, Args)]
pub struct NatsExplainArgs {
    /// The nats-server log (its -l file, or its standard error); - or none for stdin
    #[arg(value_name = "LOG", default_value = "-")]
    pub log: PathBuf,
    /// A bundle or chain file to look for the certificates lines name (repeatable)
    #[arg(long, value_name = "FILE")]
    pub bundle: Vec<PathBuf>,
    /// A nats-server config: its TLS blocks' cert_file and ca_file are looked in (repeatable)
    #[arg(long, value_name = "FILE")]
    pub conf: Vec<PathBuf>,
    /// Do not look in the store's CAs and issued certificates
    #[arg(long)]
    pub no_store: bool,
}

pub fn run(args: &NatsExplainArgs, ctx: &Ctx, out: &mut dyn Write) -> Result<Status> {
    let spec = ExplainSpec {
        log: args.log.clone(),
        bundles: args.bundle.clone(),
        configs: args.conf.clone(),
        use_store: !args.no_store,
    };
    let outcome = nats_explain::explain(&ctx.env, &spec).map_err(|e| anyhow!("{e:#}"))?;
    ctx.warnings(&outcome.warnings);
    let report = outcome.value;
    if ctx.json {
        output::json_with(out, &report, &outcome.warnings)?;
    } else {
        render(out, &report)?;
    }
    Ok(if report.has_failures() {
        Status::Problem
    } else {
        Status::Success
    })
}

/// The kinds whose line names the peer's certificate on newer releases.
fn names_certificate(kind: Kind) -> bool {
    matches!(
        kind,
        Kind::UnknownAuthority
            | Kind::Expired
            | Kind::NotYetValid
            | Kind::NameMismatch
            | Kind::KeyUsage
            | Kind::Certificate
    )
}

fn render(out: &mut dyn Write, r: &ExplainReport) -> Result<()> {
    if r.events.is_empty() {
        writeln!(
            out,
            "{}: no TLS or authentication failure in {} line(s)",
            r.log, r.lines_read
        )?;
        return Ok(());
    }
    let n = r.events.len();
    writeln!(
        out,
        "{}: {n} problem{} ({} of {} lines are TLS or authentication failures)",
        r.log,
        if n == 1 { "" } else { "s" },
        r.lines_matched,
        r.lines_read
    )?;
    for (i, e) in r.events.iter().enumerate() {
        writeln!(out)?;
        let times = match (&e.first, &e.last) {
            (Some(f), Some(l)) if e.count > 1 && f != l => format!(", {f} to {l}"),
            (Some(f), _) => format!(", {f}"),
            _ => String::new(),
        };
        let seen = if e.count == 1 {
            "once".to_owned()
        } else {
            format!("{} times", e.count)
        };
        writeln!(
            out,
            "{}. {} {}{}: {} ({seen}{times})",
            i + 1,
            e.connection.name(),
            e.remote.as_deref().unwrap_or("(no address)"),
            if e.remotes.len() > 1 {
                format!(" and {} other address(es)", e.remotes.len() - 1)
            } else {
                String::new()
            },
            e.kind.name()
        )?;
        writeln!(out, "   what: {}", e.explanation)?;
        for c in &e.certificates {
            let found: Vec<String> = e
                .matches
                .iter()
                .map(|m| match m.hash {
                    HashKind::Fingerprint => {
                        format!("{} (this very certificate; issued by {})", m.file, m.issuer)
                    }
                    HashKind::Pin => format!(
                        "{} (the SHA-256 is this certificate's SPKI pin, not its fingerprint: \
                         a certificate with the same key)",
                        m.file
                    ),
                })
                .collect();
            writeln!(
                out,
                "   certificate: {}, SHA-256 fingerprint {}",
                c.subject, c.sha256
            )?;
            if found.is_empty() {
                writeln!(
                    out,
                    "     no local file holds it (searched {} file(s); add --bundle or --conf)",
                    r.searched.len()
                )?;
            } else {
                for f in found {
                    writeln!(out, "     in {f}")?;
                }
            }
        }
        if e.certificates.is_empty() && names_certificate(e.kind) {
            writeln!(
                out,
                "   certificate: not named in this line (nats-server 2.11.4 and later log its \
                 subject and SHA-256); the peer is {}",
                e.remote.as_deref().unwrap_or("at an unlogged address")
            )?;
        }
        for b in &e.blocks {
            writeln!(
                out,
                "   this server's {} ({}): ca_file {}, cert_file {}",
                b.block,
                b.config,
                b.ca_file.as_deref().unwrap_or("(none: the system roots)"),
                b.cert_file.as_deref().unwrap_or("(none)")
            )?;
            if let Some(check) = &b.peer_check {
                writeln!(out, "     checked: {check}")?;
            }
        }
        writeln!(out, "   fix: {}", e.fix)?;
        writeln!(out, "   log: {}", e.message)?;
    }
    Ok(())
}
