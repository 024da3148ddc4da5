//! `tlsctl nats check CONF...`: the findings about every TLS block of the
//! given nats-server configurations and the fleet's connections with a
//! verdict, before and after `--replace`.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Result, anyhow};
use clap::Args;
use time::OffsetDateTime;

use super::super::shared::{parse_mount, parse_replace, parse_time};
use super::super::{Ctx, Status, output};
use crate::ops::nats_check::{self, CheckSpec};
use crate::pki::natscheck::{ConnVerdict, Report};
use crate::pki::natsconf::model::Severity;

#[derive(Debug, Args)]
pub struct NatsCheckArgs {
    /// The nodes' nats-server configuration files, or ConfigMap manifests
    /// holding them (MANIFEST#KEY picks the key; default nats.conf)
    #[arg(required = true, value_name = "CONF")]
    pub configs: Vec<PathBuf>,
    /// Exit 1 when a connection is broken or one-way, a finding is an error
    /// or a --peer is refused (after --replace)
    #[arg(long)]
    pub check: bool,
    /// Judge at this time instead of now (2027-01-01 or RFC 3339)
    #[arg(long, value_parser = parse_time, value_name = "TIME")]
    pub at: Option<OffsetDateTime>,
    /// Rehearse a change: read NEWPATH where the configs name PATH (repeatable)
    #[arg(long, value_parser = parse_replace, value_name = "PATH=NEWPATH")]
    pub replace: Vec<(PathBuf, PathBuf)>,
    /// The nats-server release the fleet runs (2.9.10, 2.15.1)
    #[arg(long, value_name = "V")]
    pub server_version: Option<String>,
    /// Read the files under the directory PATH from a Kubernetes Secret
    /// manifest's keys (tls.crt, tls.key, ca.crt), as the pod mounts it
    /// (repeatable)
    #[arg(long, value_parser = parse_mount, value_name = "PATH=SECRET")]
    pub mount: Vec<(PathBuf, PathBuf)>,
    /// A peer's chain file, or a live HOST:PORT whose served chain is read,
    /// judged against every block that verifies it (repeatable; with
    /// --check, a refusal exits 1)
    #[arg(long, value_name = "FILE|HOST:PORT")]
    pub peer: Vec<PathBuf>,
}

pub fn run(args: &NatsCheckArgs, ctx: &Ctx, out: &mut dyn Write) -> Result<Status> {
    let spec = CheckSpec {
        configs: args.configs.clone(),
        replace: args.replace.clone(),
        at: args.at,
        server_version: args.server_version.clone(),
        mounts: args.mount.clone(),
        peers: args.peer.clone(),
    };
    let outcome = nats_check::check(&ctx.env, &spec).map_err(|e| anyhow!("{e:#}"))?;
    ctx.warnings(&outcome.warnings);
    let result = outcome.value;
    if ctx.json {
        output::json_with(out, &result, &outcome.warnings)?;
    } else {
        // Names, paths and URLs come from the configs: none of their
        // control characters reaches the terminal raw.
        let mut text = Vec::new();
        render(&mut text, &result)?;
        for line in String::from_utf8_lossy(&text).lines() {
            writeln!(out, "{}", crate::pki::text::escape_controls(line))?;
        }
    }
    let judged = result.judged();
    let errors = judged
        .findings
        .iter()
        .any(|f| f.severity == Severity::Error);
    if args.check && (judged.has_problem() || errors || result.peers.iter().any(|p| p.refused())) {
        return Ok(Status::Problem);
    }
    Ok(Status::Success)
}

fn render(out: &mut dyn Write, result: &nats_check::CheckResult) -> Result<()> {
    let r = &result.before;
    writeln!(out, "nats check: {} node(s)", r.nodes.len())?;
    for n in &r.nodes {
        let mut what = Vec::new();
        if let Some(c) = &n.cluster {
            what.push(format!("cluster {c}"));
        }
        if let Some(g) = &n.gateway {
            what.push(format!("gateway {g}"));
        }
        if !n.tls_blocks.is_empty() {
            what.push(format!("TLS in {}", n.tls_blocks.join(", ")));
        }
        writeln!(
            out,
            "  {} ({}){}",
            n.name,
            n.file,
            if what.is_empty() {
                String::new()
            } else {
                format!(": {}", what.join("; "))
            }
        )?;
    }
    findings(out, r)?;
    match &result.after {
        None => connections(out, "Connections", r)?,
        Some(after) => {
            connections(out, "Connections now", r)?;
            writeln!(out)?;
            writeln!(out, "After the replacement")?;
            findings(out, after)?;
            connections(out, "Connections after", after)?;
            writeln!(out)?;
            writeln!(out, "What changes")?;
            let mut any = false;
            for c in &after.connections {
                let was = r
                    .connections
                    .iter()
                    .find(|b| b.kind == c.kind && b.from == c.from && b.to == c.to)
                    .map(|b| b.verdict);
                if was != Some(c.verdict) {
                    any = true;
                    writeln!(
                        out,
                        "  {} {} -> {}: {} becomes {}",
                        kind(c.kind),
                        c.from,
                        c.to,
                        was.map_or("absent", ConnVerdict::name),
                        c.verdict.name()
                    )?;
                }
            }
            if !any {
                writeln!(out, "  no connection changes its verdict")?;
            }
        }
    }
    if !result.peers.is_empty() {
        writeln!(out)?;
        writeln!(out, "Peers")?;
        for p in &result.peers {
            writeln!(out, "  {} ({}, pin {})", p.peer, p.subject, p.pin_sha256)?;
            if p.verdicts.is_empty() {
                writeln!(out, "    no block of these configs verifies a peer")?;
            }
            for v in &p.verdicts {
                writeln!(
                    out,
                    "    {:<8} {} {} as {}: {}",
                    if v.accepted { "accepted" } else { "refused" },
                    v.node,
                    v.block,
                    v.role,
                    v.reason
                )?;
            }
        }
    }
    Ok(())
}

fn kind(k: crate::pki::natscheck::Kind) -> &'static str {
    match k {
        crate::pki::natscheck::Kind::Route => "route",
        crate::pki::natscheck::Kind::Gateway => "gateway",
        crate::pki::natscheck::Kind::Leafnode => "leafnode",
    }
}

fn findings(out: &mut dyn Write, r: &Report) -> Result<()> {
    writeln!(out)?;
    if r.findings.is_empty() {
        writeln!(out, "Findings: none")?;
        return Ok(());
    }
    writeln!(out, "Findings")?;
    for f in &r.findings {
        let sev = match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        };
        writeln!(
            out,
            "  {sev:<7} {} [{}] {} {}",
            f.location, f.code, f.node, f.block
        )?;
        writeln!(out, "          {}", f.message)?;
        if let Some(fix) = &f.fix {
            writeln!(out, "          fix: {fix}")?;
        }
    }
    Ok(())
}

fn connections(out: &mut dyn Write, title: &str, r: &Report) -> Result<()> {
    writeln!(out)?;
    if r.connections.is_empty() {
        writeln!(out, "{title}: none between the given nodes")?;
        return Ok(());
    }
    writeln!(out, "{title}")?;
    for c in &r.connections {
        writeln!(
            out,
            "  {:<8} {} -> {}: {}",
            kind(c.kind),
            c.from,
            c.to,
            c.verdict.name()
        )?;
        for reason in &c.reasons {
            writeln!(out, "           {reason}")?;
        }
    }
    let count = |v| r.connections.iter().filter(|c| c.verdict == v).count();
    writeln!(
        out,
        "  {} ok, {} one-way, {} broken",
        count(ConnVerdict::Ok),
        count(ConnVerdict::OneWay),
        count(ConnVerdict::Broken)
    )?;
    Ok(())
}
