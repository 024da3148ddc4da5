//! Trust bundles: reading one to trust (as Go and NATS read a `ca_file`),
//! adding and removing certificates (locked, atomic, canonical), and the
//! rotation diff with its peer verdicts.

use std::path::{Path, PathBuf};

use anyhow::{Result, anyhow, bail};
use time::OffsetDateTime;

use super::{Env, Outcome, Warnings};
use crate::pki::bundle::{self, Entry, Parsed, Selector};
use crate::pki::diff::{self, Change, Pair, Peer, PeerResult};
use crate::pki::verify::Anchors;
use crate::store::{self, bundle_file};

pub use crate::store::bundle_file::{Added, Removed};

/// Reads and parses one input as certificates (a Kubernetes manifest's
/// certificate keys, or the key `FILE#KEY` names).
pub fn parse_input(path: &Path, now: OffsetDateTime) -> Result<(String, Parsed)> {
    let input = store::k8s::read_input_or_manifest(path, false)?;
    let parsed = bundle::parse(&input.bytes, now).map_err(|e| anyhow!("{}: {e}", input.name))?;
    Ok((input.name, parsed))
}

/// As [`parse_input`], for the commands that only print what the input
/// holds (`bundle list`, `bundle lint`): lean entries, with no DER
/// ([`bundle::parse_listing`]).
pub fn parse_listing_input(path: &Path, now: OffsetDateTime) -> Result<(String, Parsed)> {
    let input = store::k8s::open_input_or_manifest(path, false)?;
    let parsed = bundle::parse_listing(input.content.text(), now)
        .map_err(|e| anyhow!("{}: {e}", input.name))?;
    Ok((input.name, parsed))
}

/// The warning for a block Go would skip in a CA file.
fn skipped(name: &str, problem: &bundle::Problem, warnings: &mut Warnings) {
    warnings.push(
        "skipped-block",
        format!("{name}: {problem} (skipped, as Go and NATS skip it)"),
    );
}

/// A bundle read to trust (verify, probe, nats config): the blocks Go would
/// skip are warnings (tlsctl skips them as Go and NATS do), and a bundle
/// with no certificate left is refused.
pub fn read_trust_bundle(path: &Path, now: OffsetDateTime) -> Result<Outcome<(String, Parsed)>> {
    let (name, parsed) = parse_input(path, now)?;
    let mut warnings = Warnings::default();
    for problem in &parsed.problems {
        skipped(&name, problem, &mut warnings);
    }
    if parsed.entries.is_empty() {
        bail!("{name}: holds no certificate to trust");
    }
    Ok(warnings.finish((name, parsed)))
}

/// As [`read_trust_bundle`], for `verify`: each certificate's block number
/// and DER only ([`bundle::parse_anchors`]), the same warnings and refusal.
pub fn read_trust_anchors(
    path: &Path,
    now: OffsetDateTime,
) -> Result<Outcome<(String, Vec<bundle::Anchor>)>> {
    let input = store::k8s::open_input_or_manifest(path, false)?;
    let (anchors, problems) = bundle::parse_anchors(input.content.text(), now)
        .map_err(|e| anyhow!("{}: {e}", input.name))?;
    let name = input.name;
    let mut warnings = Warnings::default();
    for problem in &problems {
        skipped(&name, problem, &mut warnings);
    }
    if anchors.is_empty() {
        bail!("{name}: holds no certificate to trust");
    }
    Ok(warnings.finish((name, anchors)))
}

/// Certificates to add to a bundle.
#[derive(Debug, Clone)]
pub struct AddSpec {
    pub bundle: PathBuf,
    pub files: Vec<PathBuf>,
    /// Accept certificates that are not CAs.
    pub allow_leaf: bool,
    pub dry_run: bool,
}

/// Reads and checks every input, then adds them to the bundle under its
/// lock. A refusal writes nothing.
pub fn add(env: &Env, spec: &AddSpec) -> Result<Outcome<Added>> {
    let now = env.now();
    let stdin_count = spec.files.iter().filter(|p| store::is_stdin(p)).count();
    if stdin_count > 1 {
        bail!("standard input (-) can be given only once");
    }
    if store::is_stdin(&spec.bundle) {
        bail!("the bundle must be a file, not standard input");
    }
    // Read and check every input before touching the bundle.
    let incoming = spec
        .files
        .iter()
        .map(|f| parse_input(f, now))
        .collect::<Result<Vec<_>>>()?;
    let added = bundle_file::add(&spec.bundle, incoming, spec.allow_leaf, now, spec.dry_run)?;
    Ok(Outcome::new(added))
}

/// Certificates to remove from a bundle.
#[derive(Debug, Clone)]
pub struct RemoveSpec {
    pub bundle: PathBuf,
    pub selectors: Vec<Selector>,
    pub dry_run: bool,
}

/// Removes what the selectors match; `None` when nothing matched.
/// `confirm` sees what would go (and how many would stay) before anything
/// is written, and may refuse.
pub fn remove(
    env: &Env,
    spec: &RemoveSpec,
    confirm: &mut dyn FnMut(&[&Entry], usize) -> Result<()>,
) -> Result<Outcome<Removed>> {
    if store::is_stdin(&spec.bundle) {
        bail!("the bundle must be a file, not standard input");
    }
    let removed = bundle_file::remove(
        &spec.bundle,
        &spec.selectors,
        env.now(),
        spec.dry_run,
        confirm,
    )?;
    Ok(Outcome::new(removed))
}

/// A rotation to review.
#[derive(Debug, Clone)]
pub struct DiffSpec {
    pub old: PathBuf,
    pub new: PathBuf,
    /// Peers that must keep connecting: a leaf, optionally its chain.
    pub peers: Vec<PathBuf>,
    /// Describe unchanged certificates too.
    pub with_unchanged: bool,
}

/// A computed diff, ready to render.
#[derive(Debug)]
pub struct DiffParts {
    pub old_name: String,
    pub new_name: String,
    /// The time the verdicts hold for.
    pub at: OffsetDateTime,
    pub pairs: Vec<Pair>,
    /// The pairs described (unchanged ones only when asked for).
    pub changes: Vec<Change>,
    pub peers: Vec<PeerResult>,
    /// What the rotation means for peers no one named (part of the review).
    pub warnings: Vec<diff::Warning>,
    /// OLD or NEW has blocks Go skips: what a peer trusts is not all the
    /// file shows.
    pub partly_unreadable: bool,
}

/// How long a live peer (`HOST:PORT`) has to serve its chain.
pub const PEER_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

/// Reads a peer: a file whose first certificate is the leaf and the rest
/// its chain, or a live endpoint (`HOST:PORT`, when no file has that name)
/// whose served chain is judged the same way. The network is used only for
/// an argument that is an endpoint.
pub fn read_peer(path: &Path) -> Result<Peer> {
    if !store::exists(path)
        && let Some(address) = path.to_str().filter(|a| crate::net::probe::is_endpoint(a))
    {
        // Every probe error names the address already.
        let mut certs = crate::net::probe::served_chain(address, None, PEER_TIMEOUT)?;
        if certs.is_empty() {
            bail!("{address}: served no certificate");
        }
        let leaf = certs.remove(0);
        return Ok(Peer {
            name: address.to_owned(),
            leaf,
            chain: certs,
        });
    }
    let (name, mut certs) = store::read_certificates(path)?;
    let leaf = certs.remove(0);
    Ok(Peer {
        name,
        leaf,
        chain: certs,
    })
}

/// A bundle read for diffing, as Go reads it: the blocks Go would skip come
/// back for the caller to name; a file with no certificate Go would load is
/// refused, as nats-server refuses such a `ca_file`. A manifest gives its
/// certificate keys unless `file_only` (a bundle about to be edited). A
/// large file is read in pieces: only its certificates' DER is kept.
fn read_certs_as_go_does(
    path: &Path,
    file_only: bool,
) -> Result<(String, Vec<diff::Cert>, Vec<bundle::Problem>)> {
    let opened = if file_only {
        store::open_input(path)?
    } else {
        store::k8s::open_input_or_manifest(path, false)?
    };
    let name = opened.name;
    let read = diff::read_bundle_text(opened.content.text()).map_err(|e| anyhow!("{name}: {e}"))?;
    Ok((name, read.certs, read.skipped))
}

/// A computed diff before it is described: the certificates of OLD and NEW,
/// their pairing, and the ones parsed in full. The JSON report serializes
/// straight from it ([`diff::Listing`]); [`diff`] describes it for the
/// review and the TUI.
#[derive(Debug)]
pub struct Rotation {
    pub old_name: String,
    pub new_name: String,
    /// The time the verdicts hold for.
    pub at: OffsetDateTime,
    pub old: Vec<diff::Cert>,
    pub new: Vec<diff::Cert>,
    pub pairs: Vec<Pair>,
    /// Every changed certificate, parsed; unchanged ones too when the spec
    /// asks to describe them.
    pub parsed: diff::Parsed,
    pub peers: Vec<PeerResult>,
    /// What the rotation means for peers no one named (part of the review).
    pub warnings: Vec<diff::Warning>,
    /// OLD or NEW has blocks Go skips.
    pub partly_unreadable: bool,
    with_unchanged: bool,
}

impl Rotation {
    /// The pairs as JSON, straight from the certificates.
    pub fn listing(&self) -> diff::Listing<'_> {
        diff::Listing::new(&self.pairs, &self.old, &self.new, &self.parsed)
    }
}

/// Reads OLD, NEW and the peers, and compares them as of `env`'s now.
pub fn diff(env: &Env, spec: &DiffSpec) -> Result<Outcome<DiffParts>> {
    let outcome = rotation(env, spec)?;
    let r = outcome.value;
    let changes = diff::changes(&r.pairs, &r.old, &r.new, &r.parsed, r.with_unchanged);
    Ok(Outcome {
        value: DiffParts {
            old_name: r.old_name,
            new_name: r.new_name,
            at: r.at,
            pairs: r.pairs,
            changes,
            peers: r.peers,
            warnings: r.warnings,
            partly_unreadable: r.partly_unreadable,
        },
        warnings: outcome.warnings,
    })
}

/// Like [`diff`], without describing the pairs: for a report that
/// serializes them itself.
pub fn rotation(env: &Env, spec: &DiffSpec) -> Result<Outcome<Rotation>> {
    let now = env.now();
    let (old, new) = (spec.old.as_path(), spec.new.as_path());
    let stdin_count = [old, new]
        .into_iter()
        .chain(spec.peers.iter().map(PathBuf::as_path))
        .filter(|p| store::is_stdin(p))
        .count();
    if stdin_count > 1 {
        bail!("standard input (-) can be given only once");
    }
    let peers = spec
        .peers
        .iter()
        .map(|p| read_peer(p))
        .collect::<Result<Vec<_>>>()?;
    // One bundle after the other (each is decoded on several threads).
    let (old_name, old, old_problems) = read_certs_as_go_does(old, false)?;
    let (new_name, new, new_problems) = read_certs_as_go_does(new, false)?;
    let mut warnings = Warnings::default();
    let partly_unreadable = !old_problems.is_empty() || !new_problems.is_empty();
    for (name, problems) in [(&old_name, &old_problems), (&new_name, &new_problems)] {
        for problem in problems {
            skipped(name, problem, &mut warnings);
        }
    }
    let pairs = diff::classify(&old, &new);
    let parsed = diff::parse(&pairs, &old, &new, now, spec.with_unchanged);
    let review_warnings = diff::warnings_of(&old, &new, &pairs, &parsed, now);
    let results = if peers.is_empty() {
        Vec::new()
    } else {
        let anchors = |certs: &[diff::Cert]| {
            Anchors::new(certs.iter().map(diff::Cert::to_der).collect(), now)
        };
        diff::check_peers(&anchors(&old), &anchors(&new), &peers, now)
    };
    Ok(warnings.finish(Rotation {
        old_name,
        new_name,
        at: now,
        old,
        new,
        pairs,
        parsed,
        peers: results,
        warnings: review_warnings,
        partly_unreadable,
        with_unchanged: spec.with_unchanged,
    }))
}

/// What removing one certificate from a bundle would cut off, worked out
/// before anything is written: the diff engine on the bundle as it is and
/// as it would be.
#[derive(Debug)]
pub struct RemovalImpact {
    pub bundle_name: String,
    /// Certificates left after the removal.
    pub remaining: usize,
    /// Every peer's verdict, lost ones first.
    pub peers: Vec<PeerResult>,
    /// What the removal means for peers no one named.
    pub warnings: Vec<diff::Warning>,
}

impl RemovalImpact {
    pub fn lost(&self) -> impl Iterator<Item = &PeerResult> {
        self.peers
            .iter()
            .filter(|p| p.verdict == diff::PeerVerdict::Lost)
    }
}

/// The verdicts for `peers` (leaf files, optionally with their chains) if
/// the certificate with SHA-256 `fingerprint` left `bundle`. Peers that
/// cannot be read are left out, with a warning each.
pub fn removal_impact(
    env: &Env,
    bundle: &Path,
    fingerprint: &str,
    peers: &[PathBuf],
) -> Result<Outcome<RemovalImpact>> {
    let now = env.now();
    let (bundle_name, old, _) = read_certs_as_go_does(bundle, true)?;
    let target = fingerprint.to_ascii_lowercase();
    let new: Vec<diff::Cert> = old
        .iter()
        .filter(|c| crate::pki::pin::sha256_hex(c.der()) != target)
        .cloned()
        .collect();
    let mut warnings = Warnings::default();
    let mut read = Vec::new();
    for path in peers {
        match read_peer(path) {
            Ok(peer) => read.push(peer),
            Err(e) => warnings.push("unreadable-peer", format!("{e:#}")),
        }
    }
    let pairs = diff::classify(&old, &new);
    let anchors =
        |certs: &[diff::Cert]| Anchors::new(certs.iter().map(diff::Cert::to_der).collect(), now);
    let results = if read.is_empty() {
        Vec::new()
    } else {
        diff::check_peers(&anchors(&old), &anchors(&new), &read, now)
    };
    Ok(warnings.finish(RemovalImpact {
        bundle_name,
        remaining: new.len(),
        peers: results,
        warnings: diff::warnings(&old, &new, &pairs, now),
    }))
}
