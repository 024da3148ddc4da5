//! Bundle files on disk: the read-modify-write transactions behind
//! `bundle add` and `bundle remove`, shared by the CLI and the TUI. Each
//! takes the bundle's lock (`.NAME.lock` beside it), re-reads the bundle
//! under it, and writes the canonical text atomically, keeping the file's
//! mode.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use anyhow::{Result, anyhow, bail};
use time::OffsetDateTime;

use super::{MODE_PUBLIC, Overwrite, lock, read_input, resolve_links, write_atomic};
use crate::pki::bundle::{self, AddPlan, Entry, Parsed, Selector};

/// An existing bundle for rewriting: missing (a dangling link included:
/// [`write`] creates its target) or empty is no entries; any problem
/// refuses (rewriting would drop or change what is there).
pub fn read_existing(path: &Path, now: OffsetDateTime) -> Result<Vec<Entry>> {
    if let Err(e) = std::fs::metadata(path)
        && e.kind() == std::io::ErrorKind::NotFound
    {
        return Ok(Vec::new());
    }
    let input = read_input(path)?;
    if input.bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(Vec::new());
    }
    if crate::pki::k8s::looks_like_manifest(&input.bytes) {
        bail!(
            "{}: is a Kubernetes manifest; tlsctl edits PEM bundles (keep the bundle as PEM and \
             make the ConfigMap from it with `tlsctl bundle export BUNDLE --configmap NAME`)",
            input.name
        );
    }
    let parsed = bundle::parse(&input.bytes, now).map_err(|e| anyhow!("{}: {e}", input.name))?;
    if let Some(problem) = parsed.problems.first() {
        bail!(
            "{}: {problem}; fix the bundle first (tlsctl bundle lint {} lists every problem)",
            input.name,
            input.name
        );
    }
    Ok(parsed.entries)
}

/// Writes entries as the canonical bundle text, keeping the file's mode.
///
/// A bundle reached through a symbolic link is written through it, as an
/// editor saves a file: the link stays, its (final) target is replaced
/// atomically, and a dangling link gets its target created. A bundle is
/// often linked into a server's config directory; replacing the link with
/// a regular file would leave the real bundle unchanged and the server
/// reading a copy that later updates never reach.
pub fn write(path: &Path, entries: &[&Entry]) -> Result<()> {
    let text = bundle::render_entries(entries);
    let target = resolve_links(path)?;
    let mode = std::fs::metadata(&target)
        .map(|m| m.permissions().mode() & 0o777)
        .unwrap_or(MODE_PUBLIC);
    write_atomic(&target, text.as_bytes(), mode, Overwrite::Allow)
}

/// What `add` did (or would do).
pub struct Added {
    pub existing: usize,
    pub plan: AddPlan,
    pub written: bool,
}

impl Added {
    pub fn total(&self) -> usize {
        self.existing + self.plan.added.len()
    }
}

/// Adds certificates (already read and checked) to a bundle.
pub fn add(
    path: &Path,
    incoming: Vec<(String, Parsed)>,
    allow_leaf: bool,
    now: OffsetDateTime,
    dry_run: bool,
) -> Result<Added> {
    // Refusals come before the lock: a refused add leaves no trace.
    bundle::check_incoming(&incoming, allow_leaf)?;
    let _lock = if dry_run { None } else { Some(lock(path)?) };
    let existing = read_existing(path, now)?;
    let plan = bundle::plan_add(&existing, incoming, allow_leaf)?;
    let written = !dry_run && !plan.added.is_empty();
    if written {
        let all: Vec<&Entry> = existing
            .iter()
            .chain(plan.added.iter().map(|s| &s.entry))
            .collect();
        write(path, &all)?;
    }
    Ok(Added {
        existing: existing.len(),
        plan,
        written,
    })
}

/// A pin or fingerprint prefix that matches several different values.
#[derive(Debug, thiserror::Error)]
#[error(
    "{}: {} matches {matches} different {}; give more digits",
    bundle.display(),
    describe(selector),
    if matches!(selector, Selector::Pin(_)) { "keys" } else { "certificates" }
)]
pub struct AmbiguousPrefix {
    pub bundle: std::path::PathBuf,
    pub selector: Selector,
    pub matches: usize,
}

/// A selector in words.
pub fn describe(selector: &Selector) -> String {
    match selector {
        Selector::Pin(p) => format!("the pin {p}"),
        Selector::Fingerprint(f) => format!("the fingerprint {f}"),
        Selector::Subject(s) => format!("the subject {s:?}"),
        Selector::Expired => "expired".to_owned(),
    }
}

/// What `remove` did (or would do).
pub struct Removed {
    pub removed: Vec<Entry>,
    pub kept: usize,
}

/// Removes the certificates any selector matches; when nothing matched,
/// `removed` is empty and nothing is written. `confirm` sees what would go
/// (and how many would stay) before anything is written, and may refuse.
/// Removing every certificate is refused: an empty bundle rejects every peer.
pub fn remove(
    path: &Path,
    selectors: &[Selector],
    now: OffsetDateTime,
    dry_run: bool,
    confirm: &mut dyn FnMut(&[&Entry], usize) -> Result<()>,
) -> Result<Removed> {
    if !path.exists() {
        return Err(super::missing_file(path));
    }
    let _lock = if dry_run { None } else { Some(lock(path)?) };
    let entries = read_existing(path, now)?;
    if let Some((selector, matches)) = bundle::ambiguous_prefix(&entries, selectors) {
        return Err(AmbiguousPrefix {
            bundle: path.to_path_buf(),
            selector,
            matches,
        }
        .into());
    }
    let (kept, removed) = bundle::plan_remove(&entries, selectors);
    if removed.is_empty() {
        return Ok(Removed {
            kept: kept.len(),
            removed: Vec::new(),
        });
    }
    if !dry_run {
        if kept.is_empty() {
            bail!(
                "this would remove every certificate from {}, and an empty bundle rejects \
                 every peer; delete the file instead if that is what you want",
                path.display()
            );
        }
        confirm(&removed, kept.len())?;
        write(path, &kept)?;
    }
    Ok(Removed {
        kept: kept.len(),
        removed: removed.into_iter().cloned().collect(),
    })
}
