//! Trust bundles: reading them, the canonical text tlsctl writes, and the
//! plans behind `bundle add`, `bundle remove` and `bundle lint`.
//!
//! The canonical form is each certificate preceded by `#` comment lines
//! (outside the PEM block: Go's loader skips blocks that carry PEM headers),
//! existing order kept, new certificates appended, duplicates (same DER)
//! dropped. A CA that is not valid yet (a staged standby) is kept.

use std::collections::{HashMap, HashSet};

use rustls_pki_types::CertificateDer;
use serde::Serialize;
use time::OffsetDateTime;

use super::cert::{CertInfo, Validity};
use super::reader::{self, BlockError, Item, ReadError, encode_pem};
use super::render::format_time;

/// One certificate of a bundle.
#[derive(Debug, Clone)]
pub struct Entry {
    pub der: CertificateDer<'static>,
    pub info: CertInfo,
    /// 1-based block number in the file it came from.
    pub block: usize,
}

/// A certificate of a bundle read to trust: its 1-based block number and
/// its DER ([`parse_anchors`]).
pub type Anchor = (usize, CertificateDer<'static>);

/// A block of a bundle file that is not a usable certificate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum Problem {
    Unreadable { block: usize, error: String },
    PemHeaders { block: usize, label: String },
    PrivateKey { block: usize },
    NotCertificate { block: usize, kind: String },
}

impl Problem {
    pub fn block(&self) -> usize {
        match self {
            Problem::Unreadable { block, .. }
            | Problem::PemHeaders { block, .. }
            | Problem::PrivateKey { block }
            | Problem::NotCertificate { block, .. } => *block,
        }
    }
}

impl Problem {
    /// What is wrong, without the block number.
    pub fn describe(&self) -> String {
        match self {
            Problem::Unreadable { error, .. } => error.clone(),
            Problem::PemHeaders { label, .. } => format!(
                "{label} block carries PEM headers; Go and so NATS skip it silently: remove \
                 the header lines"
            ),
            Problem::PrivateKey { .. } => {
                "is a private key; a trust bundle must hold certificates only".to_owned()
            }
            Problem::NotCertificate { kind, .. } => format!("is a {kind}, not a certificate"),
        }
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "block {}: {}", self.block(), self.describe())
    }
}

/// A bundle file, read.
#[derive(Debug, Clone, Default)]
pub struct Parsed {
    pub entries: Vec<Entry>,
    pub problems: Vec<Problem>,
}

/// A block's certificate, or why it is not one a bundle can use.
pub fn certificate_of(block: reader::Block) -> Result<(usize, CertificateDer<'static>), Problem> {
    let index = block.index;
    match block.item {
        Err(BlockError::Encrypted) => Err(Problem::PrivateKey { block: index }),
        Err(e) => Err(Problem::Unreadable {
            block: index,
            error: e.to_string(),
        }),
        Ok(Item::PrivateKey(_)) => Err(Problem::PrivateKey { block: index }),
        Ok(Item::PublicKey(_)) => Err(Problem::NotCertificate {
            block: index,
            kind: "public key".to_owned(),
        }),
        Ok(Item::Csr(_)) => Err(Problem::NotCertificate {
            block: index,
            kind: "certificate signing request".to_owned(),
        }),
        Ok(Item::Certificate(_)) if block.pem_headers => Err(Problem::PemHeaders {
            block: index,
            label: block.label,
        }),
        Ok(Item::Certificate(der)) => Ok((index, der)),
    }
}

/// Reads a bundle (or any file of certificates), parsing each certificate
/// as it is decoded (on several threads for a large file).
pub fn parse(bytes: &[u8], now: OffsetDateTime) -> Result<Parsed, ReadError> {
    let (entries, problems) = parse_each(reader::Text::Bytes(bytes), now, |entry| entry)?;
    Ok(Parsed { entries, problems })
}

/// Reads a bundle for the commands that only print what it holds (`bundle
/// list` and `bundle lint`): as [`parse`], but an entry keeps no DER (its
/// `der` is empty) and its info drops what those never show (the DER
/// copies of the names and the key, SANs, key usages, key ids). About
/// 1 KB less per certificate: at 100,000 certificates the difference
/// between 4.1x the file's size in memory and under 3x. Nothing that
/// writes, verifies or matches certificates may read one of these.
pub fn parse_listing(text: reader::Text<'_>, now: OffsetDateTime) -> Result<Parsed, ReadError> {
    let (entries, problems) = parse_each(text, now, |mut entry| {
        entry.der = CertificateDer::from(Vec::new());
        let info = &mut entry.info;
        info.sans = Vec::new();
        info.key_usage = None;
        info.extended_key_usage = None;
        info.subject_key_id = None;
        info.authority_key_id = None;
        info.subject_der = Vec::new();
        info.issuer_der = Vec::new();
        info.spki_der = Vec::new();
        entry
    })?;
    Ok(Parsed { entries, problems })
}

/// Reads a bundle to trust for `verify`, which needs only each usable
/// certificate's block number and DER: the same entries and problems as
/// [`parse`] (a certificate tlsctl cannot model is a problem here too),
/// with each model dropped as soon as it is built.
pub fn parse_anchors(
    text: reader::Text<'_>,
    now: OffsetDateTime,
) -> Result<(Vec<Anchor>, Vec<Problem>), ReadError> {
    parse_each(text, now, |entry| (entry.block, entry.der))
}

/// Each usable certificate's entry through `keep`, and the blocks that are
/// not usable certificates, in file order.
fn parse_each<T: Send>(
    text: reader::Text<'_>,
    now: OffsetDateTime,
    keep: impl Fn(Entry) -> T + Sync,
) -> Result<(Vec<T>, Vec<Problem>), ReadError> {
    // Each chunk sorts its own entries from its problems, and the chunks
    // are moved into one vector sized once: an entry (a CertInfo) is
    // about 600 bytes before its heap, so a second vector of them while
    // the first is copied, or one that doubles as it grows, cost 60 MB
    // at 100,000 certificates.
    let chunks = reader::map_text_chunks(text, |blocks| {
        let mut entries = Vec::with_capacity(blocks.size_hint().0);
        let mut problems = Vec::new();
        for block in blocks {
            let parsed =
                certificate_of(block).and_then(|(index, der)| match CertInfo::parse(&der, now) {
                    Ok(info) => Ok(Entry {
                        der,
                        info,
                        block: index,
                    }),
                    Err(e) => Err(Problem::Unreadable {
                        block: index,
                        error: e.to_string(),
                    }),
                });
            match parsed {
                Ok(entry) => entries.push(keep(entry)),
                Err(problem) => problems.push(problem),
            }
        }
        (entries, problems)
    })?;
    // The first chunk's vector grows to hold them all (a large one is
    // remapped, not copied).
    let total: usize = chunks.iter().map(|(e, _)| e.len()).sum();
    let mut chunks = chunks.into_iter();
    let (mut entries, mut problems) = chunks.next().unwrap_or_default();
    entries.reserve_exact(total - entries.len());
    for (more, more_problems) in chunks {
        entries.extend(more);
        problems.extend(more_problems);
    }
    Ok((entries, problems))
}

/// One certificate in canonical form: comments, then the PEM block.
pub fn render_entry(info: &CertInfo, der: &[u8]) -> String {
    let mut s = String::new();
    s.push_str(&format!("# Subject: {}\n", one_line(&info.subject)));
    s.push_str(&format!("# Issuer: {}\n", one_line(&info.issuer)));
    s.push_str(&format!(
        "# Validity: {} to {}{}\n",
        format_time(info.not_before),
        format_time(info.not_after),
        match info.validity {
            Validity::NotYetValid => " (not valid yet: staged)",
            Validity::Expired => " (expired)",
            Validity::Valid => "",
        }
    ));
    s.push_str(&format!("# SPKI pin (sha256): {}\n", info.pin_sha256));
    s.push_str(&encode_pem("CERTIFICATE", der));
    s
}

/// Renders entries one after another, separated by blank lines.
pub fn render(entries: &[(CertInfo, Vec<u8>)]) -> String {
    entries
        .iter()
        .map(|(info, der)| render_entry(info, der))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Renders bundle entries canonically.
pub fn render_entries(entries: &[&Entry]) -> String {
    let mut out = String::with_capacity(entries.len() * 1500);
    for (i, entry) in entries.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&render_entry(&entry.info, &entry.der));
    }
    out
}

fn one_line(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// Why `bundle add` refuses (nothing is written).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AddRefusal {
    #[error("{source_name}: {problem}")]
    Problem {
        source_name: String,
        problem: Problem,
    },
    #[error(
        "{source_name}: block {block}: {subject} is not a CA certificate; a leaf in a bundle \
         trusts that one certificate outright; allow leaves explicitly if that is what you want"
    )]
    NotCa {
        source_name: String,
        block: usize,
        subject: String,
    },
}

/// An incoming certificate and where it came from.
#[derive(Debug, Clone)]
pub struct Sourced {
    pub source: String,
    pub entry: Entry,
}

/// What `bundle add` will do.
#[derive(Debug, Clone, Default)]
pub struct AddPlan {
    pub added: Vec<Sourced>,
    /// Incoming certificates already present (or given twice).
    pub duplicates: Vec<Sourced>,
}

/// Refuses incoming files with a problem block, or a certificate that is
/// not a CA (unless `allow_leaf`). Callers check before they take locks.
pub fn check_incoming(incoming: &[(String, Parsed)], allow_leaf: bool) -> Result<(), AddRefusal> {
    for (source, parsed) in incoming {
        if let Some(problem) = parsed.problems.first() {
            return Err(AddRefusal::Problem {
                source_name: source.clone(),
                problem: problem.clone(),
            });
        }
        if !allow_leaf && let Some(leaf) = parsed.entries.iter().find(|e| !e.info.is_ca) {
            return Err(AddRefusal::NotCa {
                source_name: source.clone(),
                block: leaf.block,
                subject: leaf.info.subject.clone(),
            });
        }
    }
    Ok(())
}

/// Plans adding `incoming` (each file read with [`parse`]) to `existing`:
/// refuses any file with a problem block or a non-CA (unless `allow_leaf`),
/// drops duplicates.
pub fn plan_add(
    existing: &[Entry],
    incoming: Vec<(String, Parsed)>,
    allow_leaf: bool,
) -> Result<AddPlan, AddRefusal> {
    check_incoming(&incoming, allow_leaf)?;
    let mut seen: HashSet<Vec<u8>> = existing.iter().map(|e| e.der.to_vec()).collect();
    let mut plan = AddPlan::default();
    for (source, parsed) in incoming {
        for entry in parsed.entries {
            let sourced = Sourced {
                source: source.clone(),
                entry,
            };
            if seen.insert(sourced.entry.der.to_vec()) {
                plan.added.push(sourced);
            } else {
                plan.duplicates.push(sourced);
            }
        }
    }
    Ok(plan)
}

/// A `bundle remove` selector.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selector {
    /// SPKI pin, or a leading part of one (normalised hex).
    Pin(String),
    /// Certificate SHA-256 fingerprint, or a leading part of one.
    Fingerprint(String),
    /// Case-insensitive substring of the subject.
    Subject(String),
    Expired,
}

impl Selector {
    pub fn matches(&self, info: &CertInfo) -> bool {
        match self {
            Selector::Pin(p) => info.pin_sha256.starts_with(p.as_str()),
            Selector::Fingerprint(f) => info.fingerprint_sha256.starts_with(f.as_str()),
            Selector::Subject(s) => info.subject.to_lowercase().contains(&s.to_lowercase()),
            Selector::Expired => info.validity == Validity::Expired,
        }
    }
}

/// A pin or fingerprint prefix that matches more than one distinct value:
/// the selector, and how many values it matches. A whole pin matching
/// several certificates (one key, several certificates) is not ambiguous.
pub fn ambiguous_prefix(entries: &[Entry], selectors: &[Selector]) -> Option<(Selector, usize)> {
    selectors.iter().find_map(|s| {
        let value = |info: &CertInfo| match s {
            Selector::Pin(p) if p.len() < 64 => Some(info.pin_sha256.clone()),
            Selector::Fingerprint(f) if f.len() < 64 => Some(info.fingerprint_sha256.clone()),
            _ => None,
        };
        let mut values: Vec<String> = entries
            .iter()
            .filter(|e| s.matches(&e.info))
            .filter_map(|e| value(&e.info))
            .collect();
        values.sort();
        values.dedup();
        (values.len() > 1).then(|| (s.clone(), values.len()))
    })
}

/// Splits entries into those kept and those any selector matches.
pub fn plan_remove<'a>(
    entries: &'a [Entry],
    selectors: &[Selector],
) -> (Vec<&'a Entry>, Vec<&'a Entry>) {
    entries
        .iter()
        .partition(|e| !selectors.iter().any(|s| s.matches(&e.info)))
}

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// One thing lint found, with what to do about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub severity: Severity,
    /// Stable identifier (`duplicate`, `expired`, ...).
    pub code: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub block: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<String>,
}

impl Finding {
    pub fn new(severity: Severity, code: &'static str, message: impl Into<String>) -> Finding {
        Finding {
            severity,
            code,
            block: None,
            subject: None,
            message: message.into(),
            fix: None,
        }
    }

    pub fn at(mut self, block: usize) -> Finding {
        self.block = Some(block);
        self
    }

    pub fn about(mut self, subject: &str) -> Finding {
        self.subject = Some(subject.to_owned());
        self
    }

    pub fn fix(mut self, fix: impl Into<String>) -> Finding {
        self.fix = Some(fix.into());
        self
    }
}

/// Weak keys and signatures, shared by bundle lint and cert lint.
pub fn key_and_signature_findings(info: &CertInfo, block: Option<usize>) -> Vec<Finding> {
    let mut out = Vec::new();
    let at = |f: Finding| match block {
        Some(b) => f.at(b),
        None => f,
    };
    let weak_rsa = info.key.algorithm == "RSA" && info.key.bits < 2048;
    let weak_ec = info.key.algorithm == "ECDSA" && info.key.bits < 256;
    if weak_rsa || weak_ec {
        out.push(at(Finding::new(
            Severity::Error,
            "weak-key",
            format!("{} has a weak key ({})", info.subject, info.key.describe()),
        )
        .about(&info.subject)
        .fix("reissue with --key-type ecdsa-p256 or rsa-2048 or larger")));
    }
    let sig = info.signature_algorithm.to_ascii_lowercase();
    if (sig.contains("sha1") || sig.contains("md5")) && !info.self_signed {
        out.push(at(Finding::new(
            Severity::Error,
            "weak-signature",
            format!(
                "{} is signed with {}",
                info.subject, info.signature_algorithm
            ),
        )
        .about(&info.subject)
        .fix("reissue it with a SHA-256 (or stronger) signature")));
    }
    out
}

/// Everything `bundle lint` reports.
pub fn lint(parsed: &Parsed) -> Vec<Finding> {
    let mut out = Vec::new();
    for problem in &parsed.problems {
        let (code, fix) = match problem {
            Problem::PrivateKey { .. } => (
                "private-key",
                "remove the key from the bundle now, and treat the key as exposed",
            ),
            Problem::PemHeaders { .. } => ("pem-headers", "delete the header lines of the block"),
            Problem::Unreadable { .. } => ("unreadable", "replace the block with a good copy"),
            Problem::NotCertificate { .. } => ("not-certificate", "remove the block"),
        };
        out.push(
            Finding::new(Severity::Error, code, problem.describe())
                .at(problem.block())
                .fix(fix),
        );
    }
    if parsed.entries.is_empty() {
        out.push(
            Finding::new(Severity::Error, "empty", "the bundle holds no certificate")
                .fix("add CA certificates with tlsctl bundle add"),
        );
        return out;
    }
    // The first block of each DER: one hash lookup per certificate (a
    // scan of the earlier ones made lint quadratic: 16 s for 100,000).
    // By fingerprint (the SHA-256 of the DER), which a listing's entries
    // keep where they drop the DER (see `parse_listing`).
    let mut first_block: HashMap<&str, usize> = HashMap::with_capacity(parsed.entries.len());
    for entry in &parsed.entries {
        let info = &entry.info;
        let block = entry.block;
        if let Some(first) = first_block.get(info.fingerprint_sha256.as_str()) {
            out.push(
                Finding::new(
                    Severity::Warning,
                    "duplicate",
                    format!("{} is a duplicate of block {first}", info.subject),
                )
                .at(block)
                .about(&info.subject)
                .fix("tlsctl bundle add rewrites the bundle without duplicates"),
            );
        } else {
            first_block.insert(info.fingerprint_sha256.as_str(), block);
        }
        match info.validity {
            Validity::Expired => out.push(
                Finding::new(
                    Severity::Warning,
                    "expired",
                    format!(
                        "{} expired on {}",
                        info.subject,
                        format_time(info.not_after)
                    ),
                )
                .at(block)
                .about(&info.subject)
                .fix("tlsctl bundle remove BUNDLE --expired"),
            ),
            Validity::NotYetValid => out.push(
                Finding::new(
                    Severity::Info,
                    "not-yet-valid",
                    format!(
                        "{} is not valid until {} (a staged standby: peers issued by it are \
                         accepted from then)",
                        info.subject,
                        format_time(info.not_before)
                    ),
                )
                .at(block)
                .about(&info.subject),
            ),
            Validity::Valid if info.days_left < 30 => out.push(
                Finding::new(
                    Severity::Warning,
                    "expires-soon",
                    format!(
                        "{} expires in {}",
                        info.subject,
                        super::render::duration_words(time::Duration::seconds(info.seconds_left))
                    ),
                )
                .at(block)
                .about(&info.subject),
            ),
            Validity::Valid => {}
        }
        if !info.is_ca {
            out.push(
                Finding::new(
                    Severity::Error,
                    "not-ca",
                    format!(
                        "{} is not a CA certificate: Go and NATS trust it outright as an anchor",
                        info.subject
                    ),
                )
                .at(block)
                .about(&info.subject)
                .fix("remove it, unless trusting exactly this certificate is intended"),
            );
        }
        out.extend(key_and_signature_findings(info, Some(block)));
    }
    let cas: Vec<&Entry> = parsed.entries.iter().filter(|e| e.info.is_ca).collect();
    if !cas.is_empty() && cas.iter().all(|e| !e.info.self_signed) {
        let names: Vec<String> = cas.iter().map(|e| e.info.short_name().to_owned()).collect();
        out.push(
            Finding::new(
                Severity::Warning,
                "intermediates-only",
                format!(
                    "the bundle holds only intermediates ({}): peers issued by any other \
                     intermediate, such as a standby that becomes active, will be rejected \
                     (the X3 -> R3 split)",
                    names.join(", ")
                ),
            )
            .fix(if names.len() == 1 {
                "add the standby intermediate now, or trust the root instead"
            } else {
                "trust the root instead, or add every intermediate that will issue before it \
                 does"
            }),
        );
    }
    out.sort_by_key(|f| (f.severity, f.block));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_prefix_two_pins_share_is_ambiguous_and_a_whole_pin_is_not() {
        let text = [
            include_str!("../../tests/fixtures/chain/root.pem"),
            include_str!("../../tests/fixtures/chain/inter.pem"),
        ]
        .concat();
        let parsed = parse(text.as_bytes(), OffsetDateTime::UNIX_EPOCH).unwrap();
        let pins: Vec<&str> = parsed
            .entries
            .iter()
            .map(|e| e.info.pin_sha256.as_str())
            .collect();
        let shared = pins[0]
            .chars()
            .zip(pins[1].chars())
            .take_while(|(a, b)| a == b)
            .count();
        let prefix = Selector::Pin(pins[0][..shared].to_owned());
        assert_eq!(
            ambiguous_prefix(&parsed.entries, std::slice::from_ref(&prefix)),
            Some((prefix.clone(), 2))
        );
        let one_more = Selector::Pin(pins[0][..shared + 1].to_owned());
        assert_eq!(ambiguous_prefix(&parsed.entries, &[one_more]), None);
        let whole = Selector::Pin(pins[0].to_owned());
        assert_eq!(ambiguous_prefix(&parsed.entries, &[whole]), None);
    }
}

#[cfg(test)]
mod lint_props {
    use proptest::prelude::*;

    use super::*;

    /// Certificates of every kind lint speaks about: roots, intermediates,
    /// leaves, RSA and EC keys, and a block with PEM headers.
    const POOL: [&str; 9] = [
        include_str!("../../tests/fixtures/chain/root.pem"),
        include_str!("../../tests/fixtures/chain/inter.pem"),
        include_str!("../../tests/fixtures/chain/inter-r.pem"),
        include_str!("../../tests/fixtures/chain/leaf.pem"),
        include_str!("../../tests/fixtures/chain/outlives.pem"),
        include_str!("../../tests/fixtures/chain/short-inter.pem"),
        include_str!("../../tests/fixtures/certs/rsa2048.pem"),
        include_str!("../../tests/fixtures/certs/p256.pem"),
        include_str!("../../tests/fixtures/misc/headers.pem"),
    ];

    /// The rule as first written: a certificate is a duplicate of the
    /// first earlier block with the same DER (a scan of every earlier one).
    fn duplicates_by_scan(parsed: &Parsed) -> Vec<(usize, String)> {
        let mut out = Vec::new();
        for (i, entry) in parsed.entries.iter().enumerate() {
            if let Some(first) = parsed.entries[..i].iter().find(|e| e.der == entry.der) {
                out.push((
                    entry.block,
                    format!(
                        "{} is a duplicate of block {}",
                        entry.info.subject, first.block
                    ),
                ));
            }
        }
        out
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]

        #[test]
        fn lint_names_the_same_duplicates_as_a_scan_of_every_earlier_block(
            picks in proptest::collection::vec(0..POOL.len(), 1..40),
            year in 2020i32..2040,
        ) {
            let text: String = picks.iter().map(|&i| POOL[i]).collect();
            let now = time::Date::from_calendar_date(year, time::Month::June, 1)
                .unwrap()
                .midnight()
                .assume_utc();
            let parsed = parse(text.as_bytes(), now).unwrap();
            let findings = lint(&parsed);
            let mut duplicates: Vec<(usize, String)> = findings
                .iter()
                .filter(|f| f.code == "duplicate")
                .map(|f| (f.block.unwrap(), f.message.clone()))
                .collect();
            duplicates.sort();
            let mut expected = duplicates_by_scan(&parsed);
            expected.sort();
            prop_assert_eq!(duplicates, expected);
            // Sorted by severity, then block, as before (a bundle with no
            // certificate lists its blocks' problems, then "empty").
            prop_assert!(parsed.entries.is_empty() || findings
                .windows(2)
                .all(|w| (w[0].severity, w[0].block) <= (w[1].severity, w[1].block)));
            // Every finding but the bundle-wide ones names a block.
            prop_assert!(findings
                .iter()
                .all(|f| f.block.is_some() || matches!(f.code, "empty" | "intermediates-only")));
            // The lean listing `bundle list` and `bundle lint` read finds
            // the same, in the same order, and `verify`'s anchors are the
            // same blocks and DERs with the same problems.
            let listing = parse_listing(reader::Text::Bytes(text.as_bytes()), now).unwrap();
            prop_assert_eq!(lint(&listing), findings);
            prop_assert_eq!(&listing.problems, &parsed.problems);
            prop_assert!(listing.entries.iter().all(|e| e.der.is_empty()));
            let (anchors, problems) = parse_anchors(reader::Text::Bytes(text.as_bytes()), now).unwrap();
            let expected: Vec<(usize, &[u8])> =
                parsed.entries.iter().map(|e| (e.block, e.der.as_ref())).collect();
            let got: Vec<(usize, &[u8])> =
                anchors.iter().map(|(b, d)| (*b, d.as_ref())).collect();
            prop_assert_eq!(got, expected);
            prop_assert_eq!(problems, parsed.problems.clone());
        }
    }
}
