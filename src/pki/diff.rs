//! `bundle diff`: what a rotation changes in a trust bundle, and who it
//! cuts off.
//!
//! Certificates are matched across OLD and NEW by DER, then by subject and
//! SPKI, then by subject alone:
//!
//! - `unchanged`: the same certificate;
//! - `renewed`: same subject and key (re-issued): chains and pins continue;
//! - `rekeyed`: same subject, new key: what the old key signed no longer
//!   verifies against it;
//! - `added` / `removed`: the rest.
//!
//! Each peer (a leaf, optionally followed by its chain) is verified against
//! OLD and NEW for the purposes its EKU allows: `kept`, `lost` (trusted
//! before, not after: the split), `gained`, or `never`.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::Arc;

use rustls_pki_types::CertificateDer;
use serde::Serialize;
use time::OffsetDateTime;

use super::bundle::{Problem, certificate_of};
use super::cert::CertInfo;
use super::der;
use super::reader::{self, ReadError};
use super::verify::{Anchors, Purpose, Reason, verify};

/// A certificate as the diff matches it: its DER and where its issuer,
/// subject and SPKI are, found by the DER walker (no full parse: a diff of
/// two 10,000-certificate bundles parses only what changed). The DER lives
/// in one buffer per chunk of the file, shared by the chunk's certificates.
#[derive(Debug, Clone)]
pub struct Cert {
    buf: Arc<Vec<u8>>,
    der: Range<usize>,
    /// 1-based block number in its file.
    pub block: usize,
    issuer: Range<usize>,
    subject: Range<usize>,
    spki: Range<usize>,
}

fn range_in(whole: &[u8], part: &[u8]) -> Range<usize> {
    let start = (part.as_ptr() as usize).saturating_sub(whole.as_ptr() as usize);
    start..start + part.len()
}

/// Where a certificate's parts are, relative to its DER.
struct Located {
    issuer: Range<usize>,
    subject: Range<usize>,
    spki: Range<usize>,
}

fn locate(der: &[u8]) -> Result<Located, der::DerError> {
    let parts = der::certificate_parts(der)?;
    Ok(Located {
        issuer: range_in(der, parts.issuer),
        subject: range_in(der, parts.subject),
        spki: range_in(der, parts.spki),
    })
}

fn shift(r: &Range<usize>, by: usize) -> Range<usize> {
    r.start + by..r.end + by
}

impl Cert {
    pub fn new(der: &[u8], block: usize) -> Result<Cert, der::DerError> {
        let at = locate(der)?;
        Ok(Cert {
            buf: Arc::new(der.to_vec()),
            der: 0..der.len(),
            block,
            issuer: at.issuer,
            subject: at.subject,
            spki: at.spki,
        })
    }

    pub fn der(&self) -> &[u8] {
        self.buf.get(self.der.clone()).unwrap_or_default()
    }

    pub fn subject(&self) -> &[u8] {
        self.buf.get(self.subject.clone()).unwrap_or_default()
    }

    pub fn issuer(&self) -> &[u8] {
        self.buf.get(self.issuer.clone()).unwrap_or_default()
    }

    pub fn spki(&self) -> &[u8] {
        self.buf.get(self.spki.clone()).unwrap_or_default()
    }

    /// Subject equals issuer: a root (or a self-issued certificate).
    pub fn self_issued(&self) -> bool {
        self.subject() == self.issuer()
    }

    pub fn to_der(&self) -> CertificateDer<'static> {
        CertificateDer::from(self.der().to_vec())
    }
}

/// Reads a bundle for diffing: the certificates, and the blocks Go would
/// skip (which the caller reports).
pub fn read(bytes: &[u8]) -> Result<(Vec<Cert>, Vec<Problem>), ReadError> {
    read_text(reader::Text::Bytes(bytes))
}

/// [`read`] of a file in memory or read in pieces.
pub fn read_text(text: reader::Text<'_>) -> Result<(Vec<Cert>, Vec<Problem>), ReadError> {
    let chunks = reader::map_text_chunks(text, |blocks| {
        // One buffer for the chunk's DER: each decoded block is copied in
        // and freed at once, so the heap does not grow per certificate.
        // Sized once from the first certificate and the chunk's block
        // count (certificates of a bundle are alike), so it is not copied
        // as it grows; an odd one out only makes it grow.
        let expected = blocks.size_hint().0;
        let mut buf: Vec<u8> = Vec::new();
        let mut found: Vec<(usize, Range<usize>, Located)> = Vec::with_capacity(expected);
        let mut problems = Vec::new();
        for block in blocks {
            let located = certificate_of(block).and_then(|(index, der)| {
                let at = locate(&der).map_err(|e| Problem::Unreadable {
                    block: index,
                    error: format!("certificate {e}"),
                })?;
                if buf.capacity() == 0 {
                    buf.reserve(der.len().saturating_mul(expected).saturating_mul(9) / 8);
                }
                let start = buf.len();
                buf.extend_from_slice(&der);
                Ok((index, start..buf.len(), at))
            });
            match located {
                Ok(f) => found.push(f),
                Err(p) => problems.push(p),
            }
        }
        let buf = Arc::new(buf);
        let certs: Vec<Cert> = found
            .into_iter()
            .map(|(block, der, at)| Cert {
                buf: Arc::clone(&buf),
                block,
                issuer: shift(&at.issuer, der.start),
                subject: shift(&at.subject, der.start),
                spki: shift(&at.spki, der.start),
                der,
            })
            .collect();
        (certs, problems)
    })?;
    let mut certs = Vec::new();
    let mut problems = Vec::new();
    for (c, p) in chunks {
        certs.extend(c);
        problems.extend(p);
    }
    Ok((certs, problems))
}

/// A bundle as the diff (and Go's `CertPool.AppendCertsFromPEM`) reads it.
#[derive(Debug, Clone)]
pub struct Bundle {
    pub certs: Vec<Cert>,
    /// The blocks Go would skip, in order (the caller warns about each).
    pub skipped: Vec<Problem>,
}

impl Bundle {
    /// Some blocks were skipped: what the diff says holds for the
    /// certificates that could be read, and `--check` should fail.
    pub fn partly_unreadable(&self) -> bool {
        !self.skipped.is_empty()
    }
}

/// Why a file cannot be diffed as a bundle.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BundleError {
    #[error(transparent)]
    Read(#[from] ReadError),
    /// Not one block is a certificate Go would load: nats-server refuses
    /// such a `ca_file` at startup ("failed to parse root ca certificate"),
    /// so there is no trust to compare.
    #[error(
        "holds no readable certificate ({}); nats-server refuses such a ca_file at startup",
        describe_skipped(.0)
    )]
    NoCertificate(Vec<Problem>),
}

fn describe_skipped(problems: &[Problem]) -> String {
    let mut parts: Vec<String> = problems.iter().take(3).map(Problem::to_string).collect();
    if problems.len() > 3 {
        parts.push(format!("and {} more blocks", problems.len() - 3));
    }
    parts.join("; ")
}

/// Reads a bundle for diffing, refusing one with no certificate Go would
/// load (every block unreadable, a private key, a CSR...). A bundle with
/// some such blocks comes back with them in [`Bundle::skipped`].
pub fn read_bundle(bytes: &[u8]) -> Result<Bundle, BundleError> {
    read_bundle_text(reader::Text::Bytes(bytes))
}

/// [`read_bundle`] of a file in memory or read in pieces.
pub fn read_bundle_text(text: reader::Text<'_>) -> Result<Bundle, BundleError> {
    let (certs, skipped) = read_text(text)?;
    if certs.is_empty() {
        return Err(BundleError::NoCertificate(skipped));
    }
    Ok(Bundle { certs, skipped })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Class {
    Removed,
    Rekeyed,
    Added,
    Renewed,
    Unchanged,
}

impl Class {
    pub fn as_str(self) -> &'static str {
        match self {
            Class::Unchanged => "unchanged",
            Class::Renewed => "renewed",
            Class::Rekeyed => "rekeyed",
            Class::Added => "added",
            Class::Removed => "removed",
        }
    }

    /// The class seen from the other side (diff(B, A) of diff(A, B)).
    pub fn mirrored(self) -> Class {
        match self {
            Class::Added => Class::Removed,
            Class::Removed => Class::Added,
            other => other,
        }
    }
}

/// A certificate as the diff reports it.
#[derive(Debug, Clone, Serialize)]
pub struct Side {
    /// 1-based position in its bundle.
    pub index: usize,
    pub subject: String,
    pub issuer: String,
    pub not_after: String,
    pub is_ca: bool,
    pub self_signed: bool,
    pub pin_sha256: String,
    pub fingerprint_sha256: String,
}

impl Side {
    pub fn of(info: &CertInfo, index: usize) -> Side {
        Side {
            index,
            subject: info.subject.clone(),
            issuer: info.issuer.clone(),
            not_after: super::render::format_time(info.not_after),
            is_ca: info.is_ca,
            self_signed: info.self_signed,
            pin_sha256: info.pin_sha256.clone(),
            fingerprint_sha256: info.fingerprint_sha256.clone(),
        }
    }
}

/// One matched (or unmatched) certificate, by position (0-based) in OLD
/// and NEW.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pair {
    pub class: Class,
    pub old: Option<usize>,
    pub new: Option<usize>,
}

/// One matched (or unmatched) certificate, described.
#[derive(Debug, Clone, Serialize)]
pub struct Change {
    pub class: Class,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old: Option<Side>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new: Option<Side>,
}

/// Matches OLD against NEW: by DER, then subject and SPKI, then subject.
/// Within a key, the i-th of OLD pairs with the i-th of NEW, so that the
/// pairing of (NEW, OLD) mirrors that of (OLD, NEW).
pub fn classify(old: &[Cert], new: &[Cert]) -> Vec<Pair> {
    let mut old_used = vec![false; old.len()];
    let mut new_used = vec![false; new.len()];
    let mut pairs = Vec::new();
    // Keys borrow from the certificates: no copies of 20,000 DERs.
    pass(
        old,
        new,
        &mut old_used,
        &mut new_used,
        &mut pairs,
        Class::Unchanged,
        Cert::der,
    );
    pass(
        old,
        new,
        &mut old_used,
        &mut new_used,
        &mut pairs,
        Class::Renewed,
        |c| (c.subject(), c.spki()),
    );
    pass(
        old,
        new,
        &mut old_used,
        &mut new_used,
        &mut pairs,
        Class::Rekeyed,
        Cert::subject,
    );
    for (o, used) in old_used.iter().enumerate() {
        if !used {
            pairs.push(Pair {
                class: Class::Removed,
                old: Some(o),
                new: None,
            });
        }
    }
    for (n, used) in new_used.iter().enumerate() {
        if !used {
            pairs.push(Pair {
                class: Class::Added,
                old: None,
                new: Some(n),
            });
        }
    }
    pairs.sort_by_key(|p| {
        (
            p.class,
            p.old.unwrap_or(usize::MAX),
            p.new.unwrap_or(usize::MAX),
        )
    });
    pairs
}

/// The matching maps hash whole keys (DERs, names, SPKIs) with foldhash,
/// seeded at random per process: a fraction of SipHash's cost on a
/// 1,000-byte DER, and no key shape that collides by construction (hashing
/// only a key's tail made every `CN=node-N.example` of a 100,000-name
/// bundle share one of 100 buckets, and `bundle diff` quadratic).
type Hasher = foldhash::fast::RandomState;

/// Pairs what is left of OLD and NEW by `key`; a key may occur several
/// times on each side.
fn pass<'a, K: std::hash::Hash + Eq>(
    old: &'a [Cert],
    new: &'a [Cert],
    old_used: &mut [bool],
    new_used: &mut [bool],
    pairs: &mut Vec<Pair>,
    class: Class,
    key: impl Fn(&'a Cert) -> K,
) {
    // Each key's NEW positions as a stack threaded through `below` (the
    // position pushed before it), smallest on top: no allocation per key.
    let mut top: HashMap<K, usize, Hasher> =
        HashMap::with_capacity_and_hasher(new.len(), Hasher::default());
    let mut below: Vec<Option<usize>> = vec![None; new.len()];
    for (n, cert) in new.iter().enumerate().rev() {
        if !new_used.get(n).copied().unwrap_or(true) {
            let under = top.insert(key(cert), n);
            if let Some(b) = below.get_mut(n) {
                *b = under;
            }
        }
    }
    for (o, cert) in old.iter().enumerate() {
        if old_used.get(o).copied().unwrap_or(true) {
            continue;
        }
        let k = key(cert);
        let Some(&n) = top.get(&k) else { continue };
        match below.get(n).copied().flatten() {
            Some(next) => {
                top.insert(k, next);
            }
            None => {
                top.remove(&k);
            }
        }
        if let Some(u) = old_used.get_mut(o) {
            *u = true;
        }
        if let Some(u) = new_used.get_mut(n) {
            *u = true;
        }
        pairs.push(Pair {
            class,
            old: Some(o),
            new: Some(n),
        });
    }
}

/// Parses the certificates at `indices` (on several threads when there
/// are many).
pub fn infos(certs: &[Cert], indices: &[usize], now: OffsetDateTime) -> HashMap<usize, CertInfo> {
    let parse = |chunk: &[usize]| -> Vec<(usize, CertInfo)> {
        chunk
            .iter()
            .filter_map(|&i| {
                let cert = certs.get(i)?;
                CertInfo::parse(cert.der(), now).ok().map(|info| (i, info))
            })
            .collect()
    };
    if indices.len() < 512 {
        return parse(indices).into_iter().collect();
    }
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(4));
    let size = indices.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let handles: Vec<_> = indices
            .chunks(size)
            .map(|c| scope.spawn(move || parse(c)))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    })
}

/// The certificates a report describes in full, parsed once, by position
/// (0-based) in OLD and NEW.
#[derive(Debug, Default)]
pub struct Parsed {
    pub old: HashMap<usize, CertInfo>,
    pub new: HashMap<usize, CertInfo>,
}

/// Parses what a report describes in full: every certificate of a change,
/// and of an unchanged pair only when asked (a full parse of each of them
/// would be most of a diff's time).
pub fn parse(
    pairs: &[Pair],
    old: &[Cert],
    new: &[Cert],
    now: OffsetDateTime,
    with_unchanged: bool,
) -> Parsed {
    let wanted = |p: &&Pair| with_unchanged || p.class != Class::Unchanged;
    let old_idx: Vec<usize> = pairs.iter().filter(wanted).filter_map(|p| p.old).collect();
    let new_idx: Vec<usize> = pairs.iter().filter(wanted).filter_map(|p| p.new).collect();
    Parsed {
        old: infos(old, &old_idx, now),
        new: infos(new, &new_idx, now),
    }
}

/// Describes pairs for the report; unchanged ones only when asked (their
/// description costs a full parse of each).
pub fn describe(
    pairs: &[Pair],
    old: &[Cert],
    new: &[Cert],
    now: OffsetDateTime,
    with_unchanged: bool,
) -> Vec<Change> {
    changes(
        pairs,
        old,
        new,
        &parse(pairs, old, new, now, with_unchanged),
        with_unchanged,
    )
}

/// The pairs as [`Change`]s (for the review and the TUI), from what
/// [`parse`] parsed.
pub fn changes(
    pairs: &[Pair],
    old: &[Cert],
    new: &[Cert],
    parsed: &Parsed,
    with_unchanged: bool,
) -> Vec<Change> {
    let side = |certs: &[Cert], infos: &HashMap<usize, CertInfo>, i: Option<usize>| {
        let i = i?;
        let block = certs.get(i).map_or(i + 1, |c| c.block);
        infos.get(&i).map(|info| Side::of(info, block))
    };
    pairs
        .iter()
        .filter(|p| with_unchanged || p.class != Class::Unchanged)
        .map(|p| Change {
            class: p.class,
            old: side(old, &parsed.old, p.old),
            new: side(new, &parsed.new, p.new),
        })
        .collect()
}

/// Every pair as a JSON array, serialized straight from the pairs, the
/// certificates and what [`parse`] parsed (no description is built first,
/// and fields borrow from the parsed certificates).
///
/// Each element is `{class, old, new}` (`old` absent for `added`, `new` for
/// `removed`). A side parsed in full carries `index, subject, issuer,
/// not_after (RFC 3339), is_ca, self_signed, pin_sha256,
/// fingerprint_sha256`; one that was not (an unchanged certificate, unless
/// every pair was parsed) carries its identity and pin only: `index,
/// subject, pin_sha256`, computed from the DER as it is written.
pub struct Listing<'a> {
    pairs: &'a [Pair],
    old: &'a [Cert],
    new: &'a [Cert],
    parsed: &'a Parsed,
}

impl<'a> Listing<'a> {
    pub fn new(pairs: &'a [Pair], old: &'a [Cert], new: &'a [Cert], parsed: &'a Parsed) -> Self {
        Listing {
            pairs,
            old,
            new,
            parsed,
        }
    }
}

/// The certificate at `i`, and its parse when there is one.
fn located<'a>(
    certs: &'a [Cert],
    parsed: &'a HashMap<usize, CertInfo>,
    i: Option<usize>,
) -> Option<(&'a Cert, Option<&'a CertInfo>)> {
    let i = i?;
    Some((certs.get(i)?, parsed.get(&i)))
}

impl<'a> Serialize for Listing<'a> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut seq = serializer.serialize_seq(Some(self.pairs.len()))?;
        for p in self.pairs {
            let old = located(self.old, &self.parsed.old, p.old);
            let new = located(self.new, &self.parsed.new, p.new);
            // An unchanged pair is one DER on both sides: its identity is
            // computed once for both.
            let shared = match (p.class, old, new) {
                (Class::Unchanged, Some((cert, None)), Some((_, None))) => Some(Identity::of(cert)),
                _ => None,
            };
            let view = |side: Option<(&Cert, Option<&'a CertInfo>)>| -> Option<SideView<'_>> {
                let (cert, info) = side?;
                Some(match (info, &shared) {
                    (Some(info), _) => SideView::full(cert.block, info),
                    (None, Some(id)) => id.view(cert.block),
                    (None, None) => SideView::lean(cert),
                })
            };
            seq.serialize_element(&PairView {
                class: p.class,
                old: view(old),
                new: view(new),
            })?;
        }
        seq.end()
    }
}

#[derive(Serialize)]
struct PairView<'a> {
    class: Class,
    #[serde(skip_serializing_if = "Option::is_none")]
    old: Option<SideView<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    new: Option<SideView<'a>>,
}

/// What a certificate that was not parsed is known by: its subject and
/// pin, computed from the DER.
struct Identity {
    subject: String,
    pin: Sha256Hex,
}

/// A Name as [`CertInfo::subject`] shows it (x509-parser's rendering:
/// `O=tlsctl, CN=node-1`, `+` inside a multi-valued RDN), for the shape
/// nearly every certificate has: CN, C, L, ST, O, OU, DC or Email
/// attributes holding UTF8, Printable or IA5 strings, short-form lengths.
/// Anything else is `None`, and x509-parser renders it. Walking the DER is
/// several times cheaper than parsing the Name, and a diff shows thousands.
fn display_name(der: &[u8]) -> Option<String> {
    let name = super::der::read_exact(der).ok()?;
    if name.tag != super::der::SEQUENCE {
        return None;
    }
    let short = |tlv: &super::der::Tlv<'_>| tlv.raw.len() == tlv.value.len() + 2;
    let mut out = String::with_capacity(name.value.len());
    for rdn in super::der::elements(name.value) {
        let rdn = rdn.ok()?;
        if rdn.tag != 0x31 || !short(&rdn) || rdn.value.is_empty() {
            return None;
        }
        for (i, attr) in super::der::elements(rdn.value).enumerate() {
            let attr = attr.ok()?;
            if attr.tag != super::der::SEQUENCE || !short(&attr) {
                return None;
            }
            let (oid, rest) = super::der::expect(attr.value, 0x06).ok()?;
            let value = super::der::read_exact(rest).ok()?;
            if !short(&oid) || !short(&value) || !matches!(value.tag, 0x0c | 0x13 | 0x16) {
                return None;
            }
            let abbrev = match oid.value {
                [0x55, 0x04, 0x03] => "CN",
                [0x55, 0x04, 0x06] => "C",
                [0x55, 0x04, 0x07] => "L",
                [0x55, 0x04, 0x08] => "ST",
                [0x55, 0x04, 0x0a] => "O",
                [0x55, 0x04, 0x0b] => "OU",
                [0x09, 0x92, 0x26, 0x89, 0x93, 0xf2, 0x2c, 0x64, 0x01, 0x19] => "DC",
                [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x01] => "Email",
                _ => return None,
            };
            let text = std::str::from_utf8(value.value).ok()?;
            if i > 0 {
                out.push_str(" + ");
            } else if !out.is_empty() {
                out.push_str(", ");
            }
            out.push_str(abbrev);
            out.push('=');
            out.push_str(text);
        }
    }
    if out.is_empty() {
        out.push_str("(empty)");
    }
    Some(out)
}

impl Identity {
    fn of(cert: &Cert) -> Identity {
        Identity {
            subject: display_name(cert.subject())
                .or_else(|| super::cert::name_of_der(cert.subject()))
                .unwrap_or_else(|| "(unreadable)".to_owned()),
            pin: Sha256Hex::of(cert.spki()),
        }
    }

    fn view(&self, index: usize) -> SideView<'_> {
        SideView {
            index,
            subject: Cow::Borrowed(&self.subject),
            issuer: None,
            not_after: None,
            is_ca: None,
            self_signed: None,
            pin_sha256: Hex::Digest(self.pin),
            fingerprint_sha256: None,
        }
    }
}

/// One side of a pair: borrowed from its parsed [`CertInfo`], or (not
/// parsed) its identity and pin computed from the DER.
#[derive(Serialize)]
struct SideView<'a> {
    index: usize,
    subject: Cow<'a, str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    issuer: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    not_after: Option<Rfc3339>,
    #[serde(skip_serializing_if = "Option::is_none")]
    is_ca: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    self_signed: Option<bool>,
    pin_sha256: Hex<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    fingerprint_sha256: Option<Hex<'a>>,
}

impl<'a> SideView<'a> {
    fn full(index: usize, info: &'a CertInfo) -> Self {
        SideView {
            index,
            subject: Cow::Borrowed(&info.subject),
            issuer: Some(&info.issuer),
            not_after: Some(Rfc3339(info.not_after)),
            is_ca: Some(info.is_ca),
            self_signed: Some(info.self_signed),
            pin_sha256: Hex::Text(&info.pin_sha256),
            fingerprint_sha256: Some(Hex::Text(&info.fingerprint_sha256)),
        }
    }

    fn lean(cert: &Cert) -> Self {
        let id = Identity::of(cert);
        SideView {
            index: cert.block,
            subject: Cow::Owned(id.subject),
            issuer: None,
            not_after: None,
            is_ca: None,
            self_signed: None,
            pin_sha256: Hex::Digest(id.pin),
            fingerprint_sha256: None,
        }
    }
}

/// A time as RFC 3339 ("2031-12-14T00:00:00Z"), as every document writes
/// times; infallible, so a report is never cut short by a date.
#[derive(Clone, Copy)]
struct Rfc3339(OffsetDateTime);

impl Serialize for Rfc3339 {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&super::render::format_rfc3339(self.0))
    }
}

/// A SHA-256 digest, written as lowercase hex without an allocation.
#[derive(Clone, Copy)]
struct Sha256Hex([u8; 32]);

impl Sha256Hex {
    fn of(bytes: &[u8]) -> Sha256Hex {
        Sha256Hex(super::pin::sha256(bytes))
    }
}

/// Lowercase hex: borrowed, or a digest written out as it is serialized.
enum Hex<'a> {
    Text(&'a str),
    Digest(Sha256Hex),
}

impl Serialize for Hex<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Hex::Text(text) => serializer.serialize_str(text),
            Hex::Digest(Sha256Hex(digest)) => {
                let mut buf = [0u8; 64];
                hex::encode_to_slice(digest, &mut buf).map_err(serde::ser::Error::custom)?;
                serializer
                    .serialize_str(std::str::from_utf8(&buf).map_err(serde::ser::Error::custom)?)
            }
        }
    }
}

/// One verification: the path, or why not.
#[derive(Debug, Clone, Serialize)]
pub struct Check {
    pub trusted: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<Reason>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

impl Check {
    fn of(result: Result<Vec<String>, Reason>) -> Check {
        match result {
            Ok(path) => Check {
                trusted: true,
                path: Some(path),
                reason: None,
                message: None,
            },
            Err(reason) => Check {
                trusted: false,
                path: None,
                message: Some(reason.to_string()),
                reason: Some(reason),
            },
        }
    }
}

/// A peer's standing against one bundle, per purpose.
#[derive(Debug, Clone, Serialize)]
pub struct Standing {
    pub trusted: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub server: Option<Check>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client: Option<Check>,
}

impl Standing {
    /// The first failure, for the review.
    pub fn failure(&self) -> Option<&Reason> {
        [&self.server, &self.client]
            .into_iter()
            .flatten()
            .find_map(|c| c.reason.as_ref())
    }

    /// The path of the first success.
    pub fn path(&self) -> Option<&Vec<String>> {
        [&self.server, &self.client]
            .into_iter()
            .flatten()
            .find_map(|c| c.path.as_ref())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PeerVerdict {
    Lost,
    Gained,
    Kept,
    Never,
}

impl PeerVerdict {
    pub fn as_str(self) -> &'static str {
        match self {
            PeerVerdict::Lost => "lost",
            PeerVerdict::Gained => "gained",
            PeerVerdict::Kept => "kept",
            PeerVerdict::Never => "never",
        }
    }
}

/// A peer to check: its leaf and whatever chain it sends.
pub struct Peer {
    pub name: String,
    pub leaf: CertificateDer<'static>,
    pub chain: Vec<CertificateDer<'static>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PeerResult {
    pub peer: String,
    pub subject: String,
    pub verdict: PeerVerdict,
    pub old: Standing,
    pub new: Standing,
}

fn standing(anchors: &Anchors, peer: &Peer, info: &CertInfo, now: OffsetDateTime) -> Standing {
    let run = |purpose: Purpose| {
        Check::of(verify(anchors, &peer.leaf, &peer.chain, purpose, None, now).map(|t| t.path))
    };
    // The purposes the peer's EKU allows; a certificate that allows
    // neither is checked for both, so the failure says why.
    let server_ok = info.allows_server_auth();
    let client_ok = info.allows_client_auth();
    let both = !server_ok && !client_ok;
    let server = (server_ok || both).then(|| run(Purpose::Server));
    let client = (client_ok || both).then(|| run(Purpose::Client));
    let trusted = [&server, &client].into_iter().flatten().all(|c| c.trusted);
    Standing {
        trusted,
        server,
        client,
    }
}

/// Verifies each peer against both bundles.
pub fn check_peers(
    old: &Anchors,
    new: &Anchors,
    peers: &[Peer],
    now: OffsetDateTime,
) -> Vec<PeerResult> {
    let mut results: Vec<PeerResult> = peers
        .iter()
        .map(|peer| {
            let info = CertInfo::parse(&peer.leaf, now).ok();
            let subject = info
                .as_ref()
                .map_or_else(|| "(unreadable)".to_owned(), |i| i.subject.clone());
            let (old_s, new_s) = match &info {
                Some(info) => (
                    standing(old, peer, info, now),
                    standing(new, peer, info, now),
                ),
                None => {
                    let bad = || Standing {
                        trusted: false,
                        server: None,
                        client: None,
                    };
                    (bad(), bad())
                }
            };
            let verdict = match (old_s.trusted, new_s.trusted) {
                (true, true) => PeerVerdict::Kept,
                (true, false) => PeerVerdict::Lost,
                (false, true) => PeerVerdict::Gained,
                (false, false) => PeerVerdict::Never,
            };
            PeerResult {
                peer: peer.name.clone(),
                subject,
                verdict,
                old: old_s,
                new: new_s,
            }
        })
        .collect();
    results.sort_by_key(|r| r.verdict);
    results
}

/// A warning the diff gives without peers.
pub use super::Warning;

/// What removed or rekeyed CAs, and a NEW without a root, mean for peers
/// no one named.
pub fn warnings(old: &[Cert], new: &[Cert], pairs: &[Pair], now: OffsetDateTime) -> Vec<Warning> {
    warnings_of(old, new, pairs, &parse(pairs, old, new, now, false), now)
}

/// [`warnings`], from certificates [`parse`] already parsed (every removed
/// and rekeyed one is).
pub fn warnings_of(
    old: &[Cert],
    new: &[Cert],
    pairs: &[Pair],
    parsed: &Parsed,
    now: OffsetDateTime,
) -> Vec<Warning> {
    let mut out = Vec::new();
    let gone: Vec<(Class, usize)> = pairs
        .iter()
        .filter(|p| matches!(p.class, Class::Removed | Class::Rekeyed))
        .filter_map(|p| p.old.map(|o| (p.class, o)))
        .collect();
    let gone_info = &parsed.old;
    if gone.is_empty() && new.iter().any(Cert::self_issued) {
        return out;
    }
    let mut new_keys: HashSet<(&[u8], &[u8]), Hasher> =
        HashSet::with_capacity_and_hasher(new.len(), Hasher::default());
    let mut new_subjects: HashSet<&[u8], Hasher> =
        HashSet::with_capacity_and_hasher(new.len(), Hasher::default());
    for c in new {
        new_keys.insert((c.subject(), c.spki()));
        new_subjects.insert(c.subject());
    }
    for (class, index) in gone {
        let (Some(cert), Some(info)) = (old.get(index), gone_info.get(&index)) else {
            continue;
        };
        if !info.is_ca {
            continue;
        }
        // The same subject and key in NEW (a renewed copy) keeps its leaves
        // verifying; its issuer in NEW does, for peers that send it.
        if new_keys.contains(&(cert.subject(), cert.spki())) {
            continue;
        }
        let issuer_in_new = !cert.self_issued() && new_subjects.contains(cert.issuer());
        let what = if class == Class::Rekeyed {
            "rekeyed (its old key is gone)"
        } else {
            "removed"
        };
        let message = if issuer_in_new {
            format!(
                "{} is {what}: peers issued by it still verify through its issuer {} only \
                 if they send {} in their chain; peers that send only their leaf are cut off",
                info.subject,
                info.issuer,
                info.short_name()
            )
        } else {
            format!(
                "{} is {what}: every peer whose chain ends at it is cut off (check them \
                 with --peer)",
                info.subject
            )
        };
        out.push(Warning {
            code: "removed-ca",
            message,
        });
    }
    if !new.is_empty() && !new.iter().any(Cert::self_issued) {
        let all: Vec<usize> = (0..new.len().min(8)).collect();
        let named = infos(new, &all, now);
        let mut names: Vec<&str> = all
            .iter()
            .filter_map(|i| named.get(i).map(CertInfo::short_name))
            .collect();
        if new.len() > names.len() {
            names.push("...");
        }
        out.push(Warning {
            code: "intermediates-only",
            message: format!(
                "NEW holds only intermediates ({}): a peer issued by any other intermediate \
                 (a standby that becomes active) will be rejected; {}",
                names.join(", "),
                if new.len() == 1 {
                    "add the standby or the root"
                } else {
                    "trust the root, or add every intermediate that will issue before it does"
                }
            ),
        });
    }
    if new.is_empty() && !old.is_empty() {
        out.push(Warning {
            code: "empty",
            message: "NEW holds no certificate: every peer is cut off".to_owned(),
        });
    }
    out
}

#[cfg(test)]
mod read_bundle_tests {
    use super::*;

    const ROOT: &str = include_str!("../../tests/fixtures/chain/root.pem");

    #[test]
    fn a_bundle_with_no_readable_certificate_is_an_error_naming_its_blocks() {
        for (text, expected) in [
            (
                include_str!("../../tests/fixtures/misc/bad-base64.pem"),
                "block 1: ",
            ),
            (
                include_str!("../../tests/fixtures/keys/p256.pem"),
                "block 1: is a private key",
            ),
            (
                include_str!("../../tests/fixtures/misc/p256.csr.pem"),
                "block 1: is a certificate signing request",
            ),
            (
                include_str!("../../tests/fixtures/misc/headers.pem"),
                "carries PEM headers",
            ),
        ] {
            let err = read_bundle(text.as_bytes()).unwrap_err();
            assert!(matches!(err, BundleError::NoCertificate(_)), "{err:?}");
            let message = err.to_string();
            assert!(
                message.starts_with("holds no readable certificate ("),
                "{message}"
            );
            assert!(message.contains(expected), "{message}");
            assert!(message.contains("nats-server refuses"), "{message}");
        }
        // A truncated block after the BEGIN line.
        let truncated = &ROOT[..ROOT.len() / 2];
        assert!(matches!(
            read_bundle(truncated.as_bytes()),
            Err(BundleError::NoCertificate(_)) | Err(BundleError::Read(_))
        ));
        assert!(matches!(
            read_bundle(b""),
            Err(BundleError::Read(ReadError::Empty))
        ));
    }

    #[test]
    fn a_bundle_with_some_unreadable_blocks_is_read_and_says_so() {
        let text = [
            ROOT,
            include_str!("../../tests/fixtures/misc/bad-base64.pem"),
        ]
        .concat();
        let bundle = read_bundle(text.as_bytes()).unwrap();
        assert_eq!(bundle.certs.len(), 1);
        assert!(bundle.partly_unreadable());
        assert_eq!(bundle.skipped.len(), 1);
        let whole = read_bundle(ROOT.as_bytes()).unwrap();
        assert!(!whole.partly_unreadable());
    }
}
