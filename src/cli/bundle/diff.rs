//! `tlsctl bundle diff OLD NEW [--peer FILE...]`: what a rotation changes
//! and who it cuts off, as a review (or one JSON document).

use std::io::Write;
use std::path::PathBuf;

use anyhow::Result;
use clap::Args;
use serde::Serialize;
use time::OffsetDateTime;

use crate::cli::{Ctx, Status, output};
use crate::ops::Warning;
use crate::ops::bundle::{self, DiffParts, DiffSpec};
use crate::pki::diff::{self, Class, Pair, PeerResult, PeerVerdict};
use crate::pki::render::{self, Tone, counted};

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
    #[arg(long, value_parser = crate::cli::shared::parse_time, value_name = "TIME")]
    pub at: Option<OffsetDateTime>,
    /// Describe unchanged certificates in full too (listed in the review; in --json with issuer, not_after, is_ca and self_signed, not only their index, subject, pin and fingerprint)
    #[arg(long)]
    pub all: bool,
}

/// The `--json` document, serialized straight from the rotation: the
/// changes borrow from the parsed certificates ([`diff::Listing`]).
#[derive(Serialize)]
struct DiffReport<'a> {
    old: &'a str,
    new: &'a str,
    /// The time the verdicts hold for (`--at`, or now).
    at: String,
    summary: DiffSummary,
    changes: diff::Listing<'a>,
    peers: &'a [PeerResult],
    /// What the review warns about, then what reading the files did.
    warnings: Vec<&'a Warning>,
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

impl DiffSummary {
    fn of(pairs: &[Pair], peers: &[PeerResult]) -> DiffSummary {
        let mut summary = DiffSummary::default();
        for p in pairs {
            match p.class {
                Class::Unchanged => summary.unchanged += 1,
                Class::Renewed => summary.renewed += 1,
                Class::Rekeyed => summary.rekeyed += 1,
                Class::Added => summary.added += 1,
                Class::Removed => summary.removed += 1,
            }
        }
        for p in peers {
            match p.verdict {
                PeerVerdict::Kept => summary.peers_kept += 1,
                PeerVerdict::Lost => summary.peers_lost += 1,
                PeerVerdict::Gained => summary.peers_gained += 1,
                PeerVerdict::Never => summary.peers_never += 1,
            }
        }
        summary
    }

    /// Every --peer must connect after the roll: one NEW does not trust,
    /// whether it was trusted before (lost) or not (never), is cut off.
    fn cut_off(&self) -> usize {
        self.peers_lost + self.peers_never
    }
}

pub fn run_bundle_diff(args: &BundleDiffArgs, ctx: &Ctx, out: &mut dyn Write) -> Result<Status> {
    let env = match args.at {
        Some(at) => ctx.env.at(at),
        None => ctx.env.clone(),
    };
    let spec = DiffSpec {
        old: args.old.clone(),
        new: args.new.clone(),
        peers: args.peer.clone(),
        with_unchanged: args.all,
    };
    // A bundle with blocks Go skips is not what it looks like: --check fails.
    let partly_unreadable;
    let cut_off = if ctx.json {
        let outcome = bundle::rotation(&env, &spec)?;
        ctx.warnings(&outcome.warnings);
        let r = &outcome.value;
        partly_unreadable = r.partly_unreadable;
        let summary = DiffSummary::of(&r.pairs, &r.peers);
        let cut_off = summary.cut_off();
        // Written as it is serialized (megabytes for fleet bundles), into
        // the buffered stdout; only a write can fail, and it stays an I/O
        // error (a closed pipe is recognised).
        let report = DiffReport {
            old: &r.old_name,
            new: &r.new_name,
            at: render::format_rfc3339(r.at),
            summary,
            changes: r.listing(),
            peers: &r.peers,
            warnings: r.warnings.iter().chain(&outcome.warnings).collect(),
        };
        // serde_json writes a few bytes at a time: into a buffer of known
        // type (inlined) rather than through `dyn Write` each time.
        let mut buffered = std::io::BufWriter::with_capacity(1 << 16, &mut *out);
        serde_json::to_writer_pretty(&mut buffered, &report).map_err(std::io::Error::from)?;
        buffered.write_all(b"\n")?;
        buffered.flush()?;
        cut_off
    } else {
        let outcome = bundle::diff(&env, &spec)?;
        ctx.warnings(&outcome.warnings);
        let parts = outcome.value;
        partly_unreadable = parts.partly_unreadable;
        let summary = DiffSummary::of(&parts.pairs, &parts.peers);
        print_diff_review(out, &parts, &summary, args.at, ctx.color)?;
        summary.cut_off()
    };
    Ok(if args.check && (cut_off > 0 || partly_unreadable) {
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
        (Class::Unchanged, " ", Tone::Dim),
    ] {
        for c in parts.changes.iter().filter(|c| c.class == class) {
            let side = c.new.as_ref().or(c.old.as_ref());
            let Some(side) = side else { continue };
            let detail = match class {
                Class::Renewed => "same key: pins and chains continue".to_owned(),
                Class::Unchanged => format!(
                    "the same certificate, pin {}…",
                    side.pin_sha256.get(..12).unwrap_or_default()
                ),
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
