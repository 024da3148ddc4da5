//! `tlsctl bundle add | remove | list | lint | diff`: keeping trust bundles
//! right, so that an intermediate roll never splits a cluster.
//!
//! Writes are read-modify-write under a lock (`.BUNDLE.lock` beside the
//! bundle), atomic, and canonical (see `pki::bundle`). Anything unreadable,
//! a private key, or a leaf (without `--allow-leaf`) in any input refuses
//! the whole command before anything is written.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow, bail};
use clap::{ArgGroup, Args, Subcommand};
use serde::Serialize;
use time::OffsetDateTime;

use super::{Ctx, Status, output};
use crate::pki::bundle::{self, Entry, Finding, Parsed, Selector, Severity};
use crate::pki::diff::{self, Change, Class, Pair, Peer, PeerResult, PeerVerdict};
use crate::pki::render::{self, Tone, counted, fit};
use crate::pki::verify::Anchors;
use crate::pki::{CertInfo, Validity, pin};
use crate::store::{self, bundle_file};

#[derive(Debug, Subcommand)]
pub enum BundleCommand {
    /// Create or extend a trust bundle with CA certificates
    Add(BundleAddArgs),
    /// Remove certificates by pin, fingerprint, subject or expiry
    Remove(BundleRemoveArgs),
    /// List a bundle's certificates
    List(BundleFileArgs),
    /// Check a bundle: duplicates, expiry, non-CAs, intermediates only, keys, headers
    Lint(BundleFileArgs),
    /// What a rotation from OLD to NEW changes, and which peers it cuts off
    Diff(BundleDiffArgs),
}

#[derive(Debug, Args)]
pub struct BundleAddArgs {
    /// The bundle to create or extend
    pub bundle: PathBuf,
    /// Certificate files to add (PEM or DER; - for stdin)
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Allow certificates that are not CAs (each becomes a trust anchor by itself)
    #[arg(long)]
    pub allow_leaf: bool,
    /// Show what would change; write nothing
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("selector").required(true).multiple(true)))]
pub struct BundleRemoveArgs {
    /// The bundle to change
    pub bundle: PathBuf,
    /// Remove the certificates with this SPKI pin (or its first 8+ digits, as `bundle list` shows)
    #[arg(long, group = "selector", value_name = "PIN")]
    pub pin: Vec<String>,
    /// Remove the certificate with this SHA-256 fingerprint (or its first 8+ digits)
    #[arg(long, group = "selector", value_name = "SHA256")]
    pub fingerprint: Vec<String>,
    /// Remove certificates whose subject contains TEXT (case-insensitive)
    #[arg(long, group = "selector", value_name = "TEXT")]
    pub subject: Vec<String>,
    /// Remove expired certificates
    #[arg(long, group = "selector")]
    pub expired: bool,
    /// Show what would go; write nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Remove several certificates without asking
    #[arg(long, short = 'y')]
    pub yes: bool,
}

#[derive(Debug, Args)]
pub struct BundleFileArgs {
    /// The bundle (- for stdin)
    pub bundle: PathBuf,
}

#[derive(Debug, Args)]
pub struct BundleDiffArgs {
    /// The bundle peers trust now
    pub old: PathBuf,
    /// The bundle they will trust
    pub new: PathBuf,
    /// Peers that must keep connecting: each file a leaf, optionally followed by its chain; after OLD NEW (`--peer a.pem b.pem`, or `--peer a.pem --peer b.pem`)
    #[arg(long, value_name = "FILE", num_args = 1..)]
    pub peer: Vec<PathBuf>,
    /// Exit 1 when any peer would not be trusted by NEW (lost, or never trusted)
    #[arg(long)]
    pub check: bool,
    /// Judge as of this time (RFC 3339 or YYYY-MM-DD) instead of now: rehearse a roll to a staged CA
    #[arg(long, value_parser = super::shared::parse_time, value_name = "TIME")]
    pub at: Option<OffsetDateTime>,
}

pub fn run_bundle(cmd: &BundleCommand, ctx: &Ctx, out: &mut dyn Write) -> Result<Status> {
    match cmd {
        BundleCommand::Add(args) => run_bundle_add(args, ctx, out),
        BundleCommand::Remove(args) => run_bundle_remove(args, ctx, out),
        BundleCommand::List(args) => run_bundle_list(args, ctx, out),
        BundleCommand::Lint(args) => run_bundle_lint(args, ctx, out),
        BundleCommand::Diff(args) => run_bundle_diff(args, ctx, out),
    }
}

/// Reads and parses one input as certificates.
pub fn parse_input(path: &Path, now: OffsetDateTime) -> Result<(String, Parsed)> {
    let input = store::read_input(path)?;
    let parsed = bundle::parse(&input.bytes, now).map_err(|e| anyhow!("{}: {e}", input.name))?;
    Ok((input.name, parsed))
}

/// A bundle read to trust (verify, probe, nats config): blocks Go would skip
/// are passed to `warn` (tlsctl skips them as Go and NATS do), and a bundle
/// with no certificate left is refused.
pub fn read_trust_bundle(
    path: &Path,
    now: OffsetDateTime,
    warn: &mut dyn FnMut(String),
) -> Result<(String, Parsed)> {
    let (name, parsed) = parse_input(path, now)?;
    for problem in &parsed.problems {
        warn(format!(
            "{name}: {problem} (skipped, as Go and NATS skip it)"
        ));
    }
    if parsed.entries.is_empty() {
        bail!("{name}: holds no certificate to trust");
    }
    Ok((name, parsed))
}

/// A certificate as add/remove/list report it.
#[derive(Debug, Clone, Serialize)]
pub struct Listed {
    pub index: usize,
    pub subject: String,
    pub issuer: String,
    pub role: &'static str,
    pub key: String,
    pub not_before: String,
    pub not_after: String,
    pub days_left: i64,
    pub validity: Validity,
    pub pin_sha256: String,
    pub fingerprint_sha256: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

fn role_of(info: &CertInfo) -> &'static str {
    match (info.is_ca, info.self_signed) {
        (true, true) => "root",
        (true, false) => "intermediate",
        (false, _) => "leaf",
    }
}

impl Listed {
    fn of(index: usize, entry: &Entry, source: Option<&str>) -> Listed {
        let info = &entry.info;
        Listed {
            index,
            subject: info.subject.clone(),
            issuer: info.issuer.clone(),
            role: role_of(info),
            key: info.key.describe(),
            not_before: render::format_rfc3339(info.not_before),
            not_after: render::format_rfc3339(info.not_after),
            days_left: info.days_left,
            validity: info.validity,
            pin_sha256: info.pin_sha256.clone(),
            fingerprint_sha256: info.fingerprint_sha256.clone(),
            source: source.map(str::to_owned),
        }
    }
}

fn status_phrase(info: &CertInfo) -> String {
    match info.validity {
        Validity::NotYetValid => format!(
            "staged: valid from {}",
            render::format_time(info.not_before)
        ),
        _ => render::expiry_phrase(info),
    }
}

/// How many certificates human output lists one by one.
const LISTED: usize = 20;

#[derive(Debug, Serialize)]
struct AddReport {
    bundle: String,
    dry_run: bool,
    written: bool,
    added: Vec<Listed>,
    duplicates: Vec<Listed>,
    total: usize,
}

fn run_bundle_add(args: &BundleAddArgs, ctx: &Ctx, out: &mut dyn Write) -> Result<Status> {
    let stdin_count = args.files.iter().filter(|p| store::is_stdin(p)).count();
    if stdin_count > 1 {
        bail!("standard input (-) can be given only once");
    }
    if store::is_stdin(&args.bundle) {
        bail!("the bundle must be a file, not standard input");
    }
    // Read and check every input before touching the bundle.
    let incoming = args
        .files
        .iter()
        .map(|f| parse_input(f, ctx.now))
        .collect::<Result<Vec<_>>>()?;
    let added = bundle_file::add(
        &args.bundle,
        incoming,
        args.allow_leaf,
        ctx.now,
        args.dry_run,
    )?;
    let (plan, existing, written, total) =
        (&added.plan, added.existing, added.written, added.total());
    let name = args.bundle.display().to_string();
    let report = AddReport {
        bundle: name.clone(),
        dry_run: args.dry_run,
        written,
        added: plan
            .added
            .iter()
            .enumerate()
            .map(|(i, s)| Listed::of(existing + i + 1, &s.entry, Some(&s.source)))
            .collect(),
        duplicates: plan
            .duplicates
            .iter()
            .map(|s| Listed::of(s.entry.block, &s.entry, Some(&s.source)))
            .collect(),
        total,
    };
    if ctx.json {
        output::json(out, &report)?;
        return Ok(Status::Success);
    }
    let verb = if args.dry_run { "Would add" } else { "Added" };
    if plan.added.is_empty() {
        writeln!(
            out,
            "Nothing to add: {name} already holds every certificate given"
        )?;
    } else {
        writeln!(out, "{verb} {} to {name}:", plan.added.len())?;
        for s in plan.added.iter().take(LISTED) {
            let info = &s.entry.info;
            let status = status_phrase(info);
            let tone = render::expiry_tone(info.validity, info.days_left);
            writeln!(
                out,
                "  + {}  ({}, {}; pin {}…)  from {}",
                info.subject,
                role_of(info),
                output::paint(&status, tone, ctx.color),
                info.pin_sha256.get(..16).unwrap_or_default(),
                s.source
            )?;
        }
    }
    if plan.added.len() > LISTED {
        writeln!(
            out,
            "  ... and {} more (--json lists every one)",
            plan.added.len() - LISTED
        )?;
    }
    for s in plan.duplicates.iter().take(LISTED) {
        writeln!(
            out,
            "  = {}  already present (from {}, block {}): skipped",
            s.entry.info.subject, s.source, s.entry.block
        )?;
    }
    if plan.duplicates.len() > LISTED {
        writeln!(
            out,
            "  ... and {} more duplicates",
            plan.duplicates.len() - LISTED
        )?;
    }
    if !plan.added.is_empty() {
        writeln!(
            out,
            "{name} {} {}",
            if args.dry_run {
                "would hold"
            } else {
                "now holds"
            },
            counted(total, "certificate")
        )?;
    }
    Ok(Status::Success)
}

#[derive(Debug, Serialize)]
struct RemoveReport {
    bundle: String,
    dry_run: bool,
    removed: Vec<Listed>,
    remaining: usize,
}

fn selectors(args: &BundleRemoveArgs) -> Result<Vec<Selector>> {
    let hex = |flag: &str, text: &str| {
        pin::normalise_hex_prefix(text).with_context(|| {
            format!(
                "--{flag} {text}: not a SHA-256 {flag} (64 hex digits, or the first {} or more)",
                pin::MIN_PREFIX
            )
        })
    };
    let mut out = Vec::new();
    for p in &args.pin {
        out.push(Selector::Pin(hex("pin", p)?));
    }
    for f in &args.fingerprint {
        out.push(Selector::Fingerprint(hex("fingerprint", f)?));
    }
    for s in &args.subject {
        if s.trim().is_empty() {
            bail!("--subject needs some text to match");
        }
        out.push(Selector::Subject(s.clone()));
    }
    if args.expired {
        out.push(Selector::Expired);
    }
    Ok(out)
}

fn run_bundle_remove(args: &BundleRemoveArgs, ctx: &Ctx, out: &mut dyn Write) -> Result<Status> {
    let selectors = selectors(args)?;
    if store::is_stdin(&args.bundle) {
        bail!("the bundle must be a file, not standard input");
    }
    let name = args.bundle.display().to_string();
    let yes = args.yes;
    let mut confirm = |removed: &[&Entry]| {
        if removed.len() > 1 && !yes {
            confirm_removal(&name, removed, ctx)
        } else {
            Ok(())
        }
    };
    let Some(outcome) = bundle_file::remove(
        &args.bundle,
        &selectors,
        ctx.now,
        args.dry_run,
        &mut confirm,
    )?
    else {
        let wanted: Vec<String> = selectors.iter().map(Selector::describe).collect();
        writeln!(
            std::io::stderr(),
            "tlsctl: nothing in {name} matches {}; nothing removed",
            wanted.join(" or ")
        )?;
        return Ok(Status::Problem);
    };
    let (removed, kept) = (&outcome.removed, outcome.kept);
    let report = RemoveReport {
        bundle: name.clone(),
        dry_run: args.dry_run,
        removed: removed
            .iter()
            .map(|e| Listed::of(e.block, e, None))
            .collect(),
        remaining: kept,
    };
    if ctx.json {
        output::json(out, &report)?;
        return Ok(Status::Success);
    }
    writeln!(
        out,
        "{} {} from {name}:",
        if args.dry_run {
            "Would remove"
        } else {
            "Removed"
        },
        removed.len()
    )?;
    for e in removed {
        writeln!(
            out,
            "  - {}  ({}, {}; pin {}…)",
            e.info.subject,
            role_of(&e.info),
            status_phrase(&e.info),
            e.info.pin_sha256.get(..16).unwrap_or_default()
        )?;
    }
    writeln!(
        out,
        "{name} {} {}",
        if args.dry_run {
            "would keep"
        } else {
            "now holds"
        },
        counted(kept, "certificate")
    )?;
    Ok(Status::Success)
}

fn confirm_removal(name: &str, removed: &[&Entry], ctx: &Ctx) -> Result<()> {
    if !ctx.interactive {
        bail!(
            "this would remove {} certificates from {name}; pass --yes to confirm \
             (or --dry-run to list them)",
            removed.len()
        );
    }
    let mut stderr = std::io::stderr();
    writeln!(
        stderr,
        "This removes {} certificates from {name}:",
        removed.len()
    )?;
    for e in removed {
        writeln!(stderr, "  - {}", e.info.subject)?;
    }
    let ok = dialoguer::Confirm::new()
        .with_prompt("Remove them?")
        .default(false)
        .interact()
        .context("asking for confirmation")?;
    if !ok {
        bail!("nothing removed");
    }
    Ok(())
}

#[derive(Debug, Serialize)]
struct ListReport {
    bundle: String,
    certificates: Vec<Listed>,
    problems: Vec<bundle::Problem>,
}

fn run_bundle_list(args: &BundleFileArgs, ctx: &Ctx, out: &mut dyn Write) -> Result<Status> {
    let (name, parsed) = parse_input(&args.bundle, ctx.now)?;
    // Nothing to list: the problem alone, on stderr.
    if parsed.entries.is_empty()
        && !ctx.json
        && let Some(problem) = parsed.problems.first()
    {
        bail!("{name}: {problem}");
    }
    let listed: Vec<Listed> = parsed
        .entries
        .iter()
        .map(|e| Listed::of(e.block, e, None))
        .collect();
    if ctx.json {
        output::json(
            out,
            &ListReport {
                bundle: name.clone(),
                certificates: listed,
                problems: parsed.problems.clone(),
            },
        )?;
    } else {
        writeln!(
            out,
            "{}",
            output::bold(
                &format!("{name}: {}", counted(parsed.entries.len(), "certificate")),
                ctx.color
            )
        )?;
        writeln!(
            out,
            "{:>3}  {:<12}  {:<40}  {:<12}  {:<30}  PIN",
            "#", "ROLE", "SUBJECT", "KEY", "VALIDITY"
        )?;
        for e in &parsed.entries {
            let info = &e.info;
            let subject = fit(info.short_name(), 40);
            let status = fit(&status_phrase(info), 30);
            writeln!(
                out,
                "{:>3}  {:<12}  {:<40}  {:<12}  {}  {}…",
                e.block,
                role_of(info),
                subject,
                info.key.describe(),
                output::paint(
                    &format!("{status:<30}"),
                    render::expiry_tone(info.validity, info.days_left),
                    ctx.color
                ),
                info.pin_sha256.get(..16).unwrap_or_default()
            )?;
        }
        for problem in &parsed.problems {
            writeln!(
                out,
                "{}",
                output::paint(&format!("  ! {problem}"), Tone::Bad, ctx.color)
            )?;
        }
    }
    out.flush()?;
    if let Some(problem) = parsed.problems.first() {
        bail!("{name}: {problem}");
    }
    Ok(Status::Success)
}

#[derive(Debug, Serialize)]
pub struct LintReport {
    pub file: String,
    pub findings: Vec<Finding>,
    pub errors: usize,
    pub warnings: usize,
}

/// Prints findings the way lint commands do.
pub fn print_findings(out: &mut dyn Write, findings: &[Finding], color: bool) -> Result<()> {
    for f in findings {
        let tone = match f.severity {
            Severity::Error => Tone::Bad,
            Severity::Warning => Tone::Warn,
            Severity::Info => Tone::Dim,
        };
        let place = f.block.map(|b| format!("block {b}: ")).unwrap_or_default();
        writeln!(
            out,
            "  {} {}{}: {}",
            output::paint(&format!("{:<7}", f.severity.as_str()), tone, color),
            place,
            f.code,
            f.message
        )?;
        if let Some(fix) = &f.fix {
            writeln!(
                out,
                "          {}",
                output::paint(&format!("fix: {fix}"), Tone::Dim, color)
            )?;
        }
    }
    Ok(())
}

pub fn count(findings: &[Finding], severity: Severity) -> usize {
    findings.iter().filter(|f| f.severity == severity).count()
}

fn run_bundle_lint(args: &BundleFileArgs, ctx: &Ctx, out: &mut dyn Write) -> Result<Status> {
    let (name, parsed) = parse_input(&args.bundle, ctx.now)?;
    let findings = bundle::lint(&parsed);
    let report = LintReport {
        file: name.clone(),
        errors: count(&findings, Severity::Error),
        warnings: count(&findings, Severity::Warning),
        findings,
    };
    if ctx.json {
        output::json(out, &report)?;
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

#[derive(Debug, Serialize)]
struct DiffReport {
    old: String,
    new: String,
    /// The time the verdicts hold for (`--at`, or now).
    at: String,
    summary: DiffSummary,
    changes: Vec<Change>,
    peers: Vec<PeerResult>,
    warnings: Vec<diff::Warning>,
}

#[derive(Debug, Serialize, Default)]
struct DiffSummary {
    unchanged: usize,
    renewed: usize,
    rekeyed: usize,
    added: usize,
    removed: usize,
    peers_kept: usize,
    peers_lost: usize,
    peers_gained: usize,
    peers_never: usize,
}

/// Reads a peer file: its first certificate is the leaf, the rest its chain.
pub fn read_peer(path: &Path) -> Result<Peer> {
    let (name, mut certs) = store::read_certificates(path)?;
    let leaf = certs.remove(0);
    Ok(Peer {
        name,
        leaf,
        chain: certs,
    })
}

/// A bundle read for diffing, as Go reads it: the blocks Go would skip come
/// back for the caller to name.
fn read_certs_as_go_does(path: &Path) -> Result<(String, Vec<diff::Cert>, Vec<bundle::Problem>)> {
    let input = store::read_input(path)?;
    let (certs, problems) = diff::read(&input.bytes).map_err(|e| anyhow!("{}: {e}", input.name))?;
    Ok((input.name, certs, problems))
}

/// A computed diff, ready to render.
pub struct DiffParts {
    pub old_name: String,
    pub new_name: String,
    pub pairs: Vec<Pair>,
    /// The pairs described (unchanged ones only when asked for).
    pub changes: Vec<Change>,
    pub peers: Vec<PeerResult>,
    pub warnings: Vec<diff::Warning>,
}

/// Reads OLD, NEW and the peers, and compares them.
pub fn compute_diff(
    old: &Path,
    new: &Path,
    peer_files: &[PathBuf],
    with_unchanged: bool,
    ctx: &Ctx,
) -> Result<DiffParts> {
    let stdin_count = [old, new]
        .into_iter()
        .chain(peer_files.iter().map(PathBuf::as_path))
        .filter(|p| store::is_stdin(p))
        .count();
    if stdin_count > 1 {
        bail!("standard input (-) can be given only once");
    }
    let peers = peer_files
        .iter()
        .map(|p| read_peer(p))
        .collect::<Result<Vec<_>>>()?;
    // Both bundles are read at once: one's file read overlaps the other's
    // decoding.
    let (old_read, new_read) = std::thread::scope(|scope| {
        let other = scope.spawn(|| read_certs_as_go_does(new));
        let first = read_certs_as_go_does(old);
        (
            first,
            other
                .join()
                .unwrap_or_else(|e| std::panic::resume_unwind(e)),
        )
    });
    let (old_name, old, old_problems) = old_read?;
    let (new_name, new, new_problems) = new_read?;
    for (name, problems) in [(&old_name, &old_problems), (&new_name, &new_problems)] {
        for problem in problems {
            ctx.warn(format!(
                "{name}: {problem} (skipped, as Go and NATS skip it)"
            ));
        }
    }
    let pairs = diff::classify(&old, &new);
    let warnings = diff::warnings(&old, &new, &pairs, ctx.now);
    let changes = diff::describe(&pairs, &old, &new, ctx.now, with_unchanged);
    let results = if peers.is_empty() {
        Vec::new()
    } else {
        let anchors = |certs: &[diff::Cert]| {
            Anchors::new(certs.iter().map(diff::Cert::to_der).collect(), ctx.now)
        };
        diff::check_peers(&anchors(&old), &anchors(&new), &peers, ctx.now)
    };
    Ok(DiffParts {
        old_name,
        new_name,
        pairs,
        changes,
        peers: results,
        warnings,
    })
}

fn run_bundle_diff(args: &BundleDiffArgs, ctx: &Ctx, out: &mut dyn Write) -> Result<Status> {
    let ctx = &Ctx {
        now: args.at.unwrap_or(ctx.now),
        ..ctx.clone()
    };
    let parts = compute_diff(&args.old, &args.new, &args.peer, ctx.json, ctx)?;
    let mut summary = DiffSummary::default();
    for p in &parts.pairs {
        match p.class {
            Class::Unchanged => summary.unchanged += 1,
            Class::Renewed => summary.renewed += 1,
            Class::Rekeyed => summary.rekeyed += 1,
            Class::Added => summary.added += 1,
            Class::Removed => summary.removed += 1,
        }
    }
    for p in &parts.peers {
        match p.verdict {
            PeerVerdict::Kept => summary.peers_kept += 1,
            PeerVerdict::Lost => summary.peers_lost += 1,
            PeerVerdict::Gained => summary.peers_gained += 1,
            PeerVerdict::Never => summary.peers_never += 1,
        }
    }
    // Every --peer must connect after the roll: one NEW does not trust,
    // whether it was trusted before (lost) or not (never), is cut off.
    let cut_off = summary.peers_lost + summary.peers_never;
    if ctx.json {
        output::json(
            out,
            &DiffReport {
                old: parts.old_name,
                new: parts.new_name,
                at: render::format_rfc3339(ctx.now),
                summary,
                changes: parts.changes,
                peers: parts.peers,
                warnings: parts.warnings,
            },
        )?;
    } else {
        print_diff_review(out, &parts, &summary, args.at, ctx.color)?;
    }
    Ok(if args.check && cut_off > 0 {
        Status::Problem
    } else {
        Status::Success
    })
}

fn print_diff_review(
    out: &mut dyn Write,
    parts: &DiffParts,
    summary: &DiffSummary,
    at: Option<OffsetDateTime>,
    color: bool,
) -> Result<()> {
    let when = at
        .map(|t| format!(" as of {}", render::format_time(t)))
        .unwrap_or_default();
    writeln!(
        out,
        "{}",
        output::bold(
            &format!("Rotation {} -> {}{when}", parts.old_name, parts.new_name),
            color
        )
    )?;
    // Most important first: peers cut off, then what removal means, then
    // the changes, then what stays.
    let lost: Vec<&PeerResult> = parts
        .peers
        .iter()
        .filter(|p| p.verdict == PeerVerdict::Lost)
        .collect();
    if !lost.is_empty() {
        writeln!(
            out,
            "{}",
            output::paint(
                &format!("LOST: {} would be cut off", counted(lost.len(), "peer")),
                Tone::Bad,
                color
            )
        )?;
        for p in &lost {
            let before = p
                .old
                .path()
                .map(|path| path.join(" <- "))
                .unwrap_or_default();
            let why = p.new.failure().map(ToString::to_string).unwrap_or_default();
            writeln!(out, "  {} ({})", p.peer, p.subject)?;
            writeln!(out, "    before: trusted via {before}")?;
            writeln!(out, "    after:  {why}")?;
        }
    }
    let never: Vec<&PeerResult> = parts
        .peers
        .iter()
        .filter(|p| p.verdict == PeerVerdict::Never)
        .collect();
    if !never.is_empty() {
        writeln!(
            out,
            "{}",
            output::paint(
                &format!(
                    "NOT TRUSTED: {} peer{} trusted by neither bundle",
                    never.len(),
                    if never.len() == 1 { " is" } else { "s are" }
                ),
                Tone::Bad,
                color
            )
        )?;
        for p in &never {
            let why = p.new.failure().map(ToString::to_string).unwrap_or_default();
            writeln!(out, "  {} ({})", p.peer, p.subject)?;
            writeln!(out, "    after:  {why}")?;
        }
    }
    for w in &parts.warnings {
        writeln!(
            out,
            "{}",
            output::paint(&format!("warning: {}", w.message), Tone::Warn, color)
        )?;
    }
    for (class, sign, tone) in [
        (Class::Removed, "-", Tone::Bad),
        (Class::Rekeyed, "~", Tone::Warn),
        (Class::Added, "+", Tone::Good),
        (Class::Renewed, "=", Tone::Normal),
    ] {
        for c in parts.changes.iter().filter(|c| c.class == class) {
            let side = c.new.as_ref().or(c.old.as_ref());
            let Some(side) = side else { continue };
            let detail = match class {
                Class::Renewed => "same key: pins and chains continue".to_owned(),
                Class::Rekeyed => format!(
                    "new key: pin {}… -> {}…",
                    c.old
                        .as_ref()
                        .map(|s| s.pin_sha256.get(..12).unwrap_or_default())
                        .unwrap_or_default(),
                    c.new
                        .as_ref()
                        .map(|s| s.pin_sha256.get(..12).unwrap_or_default())
                        .unwrap_or_default()
                ),
                _ => format!(
                    "{}, until {}, pin {}…",
                    if side.is_ca {
                        if side.self_signed {
                            "root"
                        } else {
                            "intermediate"
                        }
                    } else {
                        "leaf"
                    },
                    side.not_after,
                    side.pin_sha256.get(..12).unwrap_or_default()
                ),
            };
            writeln!(
                out,
                "{} {:<9} {}  ({detail})",
                output::paint(sign, tone, color),
                class.as_str(),
                side.subject
            )?;
        }
    }
    for p in parts
        .peers
        .iter()
        .filter(|p| matches!(p.verdict, PeerVerdict::Kept | PeerVerdict::Gained))
    {
        let detail = match p.verdict {
            PeerVerdict::Kept => format!(
                "trusted before and after, via {}",
                p.new.path().map(|x| x.join(" <- ")).unwrap_or_default()
            ),
            PeerVerdict::Gained => format!(
                "trusted only after, via {}",
                p.new.path().map(|x| x.join(" <- ")).unwrap_or_default()
            ),
            PeerVerdict::Lost | PeerVerdict::Never => continue,
        };
        writeln!(
            out,
            "peer {} {} ({}): {detail}",
            output::paint(p.verdict.as_str(), Tone::Good, color),
            p.peer,
            p.subject
        )?;
    }
    writeln!(
        out,
        "{} unchanged, {} renewed, {} rekeyed, {} added, {} removed",
        summary.unchanged, summary.renewed, summary.rekeyed, summary.added, summary.removed
    )?;
    if !parts.peers.is_empty() {
        writeln!(
            out,
            "peers: {} kept, {} lost, {} gained, {} never trusted",
            summary.peers_kept, summary.peers_lost, summary.peers_gained, summary.peers_never
        )?;
    }
    Ok(())
}
