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

use std::collections::HashMap;

use rustls_pki_types::CertificateDer;
use serde::Serialize;
use time::OffsetDateTime;

use super::bundle::Entry;
use super::cert::CertInfo;
use super::verify::{Anchors, Purpose, Reason, verify};

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
    fn of(entry: &Entry, index: usize) -> Side {
        let info = &entry.info;
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

/// One matched (or unmatched) certificate.
#[derive(Debug, Clone, Serialize)]
pub struct Change {
    pub class: Class,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old: Option<Side>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new: Option<Side>,
}

/// Matches OLD against NEW.
pub fn classify(old: &[Entry], new: &[Entry]) -> Vec<Change> {
    let mut old_used = vec![false; old.len()];
    let mut new_used = vec![false; new.len()];
    let mut changes = Vec::new();

    // Each pass pairs what is left by a key; a key may occur several times.
    let mut pass = |class: Class, key: &dyn Fn(&Entry) -> Vec<u8>| {
        let mut by_key: HashMap<Vec<u8>, Vec<usize>> = HashMap::new();
        for (n, entry) in new.iter().enumerate().rev() {
            if !new_used.get(n).copied().unwrap_or(true) {
                by_key.entry(key(entry)).or_default().push(n);
            }
        }
        for (o, entry) in old.iter().enumerate() {
            if old_used.get(o).copied().unwrap_or(true) {
                continue;
            }
            if let Some(n) = by_key.get_mut(&key(entry)).and_then(Vec::pop) {
                if let Some(u) = old_used.get_mut(o) {
                    *u = true;
                }
                if let Some(u) = new_used.get_mut(n) {
                    *u = true;
                }
                changes.push(Change {
                    class,
                    old: Some(Side::of(entry, o + 1)),
                    new: new.get(n).map(|e| Side::of(e, n + 1)),
                });
            }
        }
    };
    pass(Class::Unchanged, &|e| e.der.to_vec());
    pass(Class::Renewed, &|e| {
        [e.info.subject_der.as_slice(), e.info.spki_der.as_slice()].concat()
    });
    pass(Class::Rekeyed, &|e| e.info.subject_der.clone());
    for (o, e) in old.iter().enumerate() {
        if !old_used.get(o).copied().unwrap_or(true) {
            changes.push(Change {
                class: Class::Removed,
                old: Some(Side::of(e, o + 1)),
                new: None,
            });
        }
    }
    for (n, e) in new.iter().enumerate() {
        if !new_used.get(n).copied().unwrap_or(true) {
            changes.push(Change {
                class: Class::Added,
                old: None,
                new: Some(Side::of(e, n + 1)),
            });
        }
    }
    changes.sort_by_key(|c| {
        (
            c.class,
            c.old.as_ref().map_or(usize::MAX, |s| s.index),
            c.new.as_ref().map_or(usize::MAX, |s| s.index),
        )
    });
    changes
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
#[derive(Debug, Clone, Serialize)]
pub struct Warning {
    pub code: &'static str,
    pub message: String,
}

/// What removed or rekeyed CAs, and an intermediates-only NEW, mean for
/// peers no one named.
pub fn warnings(old: &[Entry], new: &[Entry], changes: &[Change]) -> Vec<Warning> {
    let mut out = Vec::new();
    for change in changes {
        let (Some(gone), true) = (
            change.old.as_ref(),
            matches!(change.class, Class::Removed | Class::Rekeyed),
        ) else {
            continue;
        };
        let Some(entry) = old.get(gone.index - 1) else {
            continue;
        };
        let info = &entry.info;
        if !info.is_ca {
            continue;
        }
        // Another anchor in NEW for the same subject and key (a renewed
        // copy) keeps its leaves verifying; so does its issuer, for peers
        // that send it in their chain.
        let same_key_in_new = new
            .iter()
            .any(|n| n.info.subject_der == info.subject_der && n.info.spki_der == info.spki_der);
        if same_key_in_new {
            continue;
        }
        let issuer_in_new = !info.self_signed
            && new.iter().any(|n| {
                n.info.subject_der == info.issuer_der
                    && (info.authority_key_id.is_none()
                        || n.info.subject_key_id == info.authority_key_id)
            });
        let what = if change.class == Class::Rekeyed {
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
    let cas: Vec<&Entry> = new.iter().filter(|e| e.info.is_ca).collect();
    if !cas.is_empty() && cas.iter().all(|e| !e.info.self_signed) {
        let names: Vec<&str> = cas.iter().map(|e| e.info.short_name()).collect();
        out.push(Warning {
            code: "intermediates-only",
            message: format!(
                "NEW holds only intermediates ({}): a peer issued by any other intermediate \
                 (a standby that becomes active) will be rejected; add the standby or the root",
                names.join(", ")
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
