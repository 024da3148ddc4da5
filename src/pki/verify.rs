//! Chain verification as a TLS peer does it, with rustls-webpki, and with
//! Go's (and so NATS') reading of a CA file:
//!
//! - every certificate in the bundle is a trust anchor, intermediates too;
//! - an anchor must itself be valid at the time and, if it carries an EKU,
//!   allow the purpose (Go checks both; webpki alone checks neither, so a
//!   path through such an anchor is rejected and path building goes on);
//! - a leaf that is itself in the bundle is trusted directly.
//!
//! A failure is one reason, with names and dates, found by looking at the
//! chain after webpki says no.

use std::cell::RefCell;
use std::net::IpAddr;

use rustls_pki_types::{CertificateDer, ServerName, TrustAnchor, UnixTime};
use serde::Serialize;
use time::OffsetDateTime;

use super::cert::{CertInfo, SanKind};
use super::render::format_time;

/// What the certificate is checked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Purpose {
    /// serverAuth: the peer's certificate as a TLS server presents it.
    Server,
    /// clientAuth: as a TLS client presents it (mTLS, NATS routes).
    Client,
}

impl Purpose {
    pub fn eku_name(self) -> &'static str {
        match self {
            Purpose::Server => "serverAuth",
            Purpose::Client => "clientAuth",
        }
    }

    fn key_usage(self) -> webpki::KeyUsage {
        match self {
            Purpose::Server => webpki::KeyUsage::server_auth(),
            Purpose::Client => webpki::KeyUsage::client_auth(),
        }
    }
}

/// Why a chain does not verify.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum Reason {
    UnknownIssuer {
        subject: String,
        issuer: String,
    },
    Expired {
        subject: String,
        not_after: String,
    },
    NotYetValid {
        subject: String,
        not_before: String,
    },
    AnchorExpired {
        subject: String,
        not_after: String,
    },
    AnchorNotYetValid {
        subject: String,
        not_before: String,
    },
    WrongEku {
        subject: String,
        purpose: Purpose,
        has: Vec<String>,
    },
    NameMismatch {
        host: String,
        sans: Vec<String>,
    },
    NotCa {
        subject: String,
    },
    CaAsLeaf {
        subject: String,
    },
    BadSignature {
        subject: String,
    },
    PathLength,
    NameConstraints,
    Unparsable {
        detail: String,
    },
    Other {
        detail: String,
    },
}

impl std::fmt::Display for Reason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Reason::UnknownIssuer { subject, issuer } => write!(
                f,
                "unknown issuer: nothing in the bundle (or the chain given) issued {subject}; \
                 its issuer is {issuer}"
            ),
            Reason::Expired { subject, not_after } => {
                write!(f, "{subject} expired on {not_after}")
            }
            Reason::NotYetValid {
                subject,
                not_before,
            } => {
                write!(f, "{subject} is not valid until {not_before}")
            }
            Reason::AnchorExpired { subject, not_after } => write!(
                f,
                "the only trust anchor for this chain, {subject}, expired on {not_after} \
                 (Go and NATS reject expired anchors)"
            ),
            Reason::AnchorNotYetValid {
                subject,
                not_before,
            } => write!(
                f,
                "the only trust anchor for this chain, {subject}, is not valid until {not_before}"
            ),
            Reason::WrongEku {
                subject,
                purpose,
                has,
            } => write!(
                f,
                "{subject} does not allow {} (its extended key usage is {})",
                purpose.eku_name(),
                if has.is_empty() {
                    "empty".to_owned()
                } else {
                    has.join(", ")
                }
            ),
            Reason::NameMismatch { host, sans } => write!(
                f,
                "name mismatch: {host} is not among the certificate's SANs ({})",
                if sans.is_empty() {
                    "none".to_owned()
                } else {
                    sans.join(", ")
                }
            ),
            Reason::NotCa { subject } => write!(
                f,
                "{subject} is in the issuer position but is not a CA (no CA:TRUE)"
            ),
            Reason::CaAsLeaf { subject } => {
                write!(f, "{subject} is a CA certificate, used here as a leaf")
            }
            Reason::BadSignature { subject } => {
                write!(
                    f,
                    "the signature on {subject} does not verify with its issuer's key"
                )
            }
            Reason::PathLength => write!(f, "a CA's path length constraint is exceeded"),
            Reason::NameConstraints => write!(f, "a CA's name constraints forbid this name"),
            Reason::Unparsable { detail } => write!(f, "the certificate cannot be used: {detail}"),
            Reason::Other { detail } => write!(f, "{detail}"),
        }
    }
}

/// How a chain verified.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Trusted {
    /// Subjects from the leaf to the anchor.
    pub path: Vec<String>,
    /// Index of the anchor in the bundle.
    pub anchor: usize,
}

pub type Verdict = Result<Trusted, Reason>;

/// A bundle's certificates as trust anchors.
pub struct Anchors {
    certs: Vec<CertificateDer<'static>>,
    infos: Vec<Option<CertInfo>>,
    anchors: Vec<TrustAnchor<'static>>,
    /// `anchors[i]` came from `certs[anchor_source[i]]`.
    anchor_source: Vec<usize>,
}

impl Anchors {
    pub fn new(certs: Vec<CertificateDer<'static>>, now: OffsetDateTime) -> Anchors {
        let mut anchors = Vec::new();
        let mut anchor_source = Vec::new();
        let mut infos = Vec::new();
        for (i, cert) in certs.iter().enumerate() {
            infos.push(CertInfo::parse(cert, now).ok());
            if let Ok(anchor) = webpki::anchor_from_trusted_cert(cert) {
                anchors.push(anchor.to_owned());
                anchor_source.push(i);
            }
        }
        Anchors {
            certs,
            infos,
            anchors,
            anchor_source,
        }
    }

    pub fn len(&self) -> usize {
        self.certs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.certs.is_empty()
    }

    fn info(&self, index: usize) -> Option<&CertInfo> {
        self.infos.get(index).and_then(Option::as_ref)
    }
}

fn unix(t: OffsetDateTime) -> UnixTime {
    UnixTime::since_unix_epoch(std::time::Duration::from_secs(
        u64::try_from(t.unix_timestamp()).unwrap_or(0),
    ))
}

fn validity_reason(info: &CertInfo, at: OffsetDateTime, anchor: bool) -> Option<Reason> {
    let subject = info.subject.clone();
    if at > info.not_after {
        let not_after = format_time(info.not_after);
        return Some(if anchor {
            Reason::AnchorExpired { subject, not_after }
        } else {
            Reason::Expired { subject, not_after }
        });
    }
    if at < info.not_before {
        let not_before = format_time(info.not_before);
        return Some(if anchor {
            Reason::AnchorNotYetValid {
                subject,
                not_before,
            }
        } else {
            Reason::NotYetValid {
                subject,
                not_before,
            }
        });
    }
    None
}

fn eku_reason(info: &CertInfo, purpose: Purpose) -> Option<Reason> {
    let allowed = match purpose {
        Purpose::Server => info.allows_server_auth(),
        Purpose::Client => info.allows_client_auth(),
    };
    (!allowed).then(|| Reason::WrongEku {
        subject: info.subject.clone(),
        purpose,
        has: info.extended_key_usage.clone().unwrap_or_default(),
    })
}

/// Verifies `leaf` with `intermediates` against the bundle, for `purpose`,
/// at `at`, and (when given, for the server purpose) for `host`.
pub fn verify(
    anchors: &Anchors,
    leaf: &CertificateDer<'_>,
    intermediates: &[CertificateDer<'_>],
    purpose: Purpose,
    host: Option<&str>,
    at: OffsetDateTime,
) -> Verdict {
    let leaf_info = CertInfo::parse(leaf, at).map_err(|e| Reason::Unparsable {
        detail: e.to_string(),
    })?;
    if leaf_info.is_ca && !anchors.certs.iter().any(|c| c.as_ref() == leaf.as_ref()) {
        return Err(Reason::CaAsLeaf {
            subject: leaf_info.subject.clone(),
        });
    }
    if let Some(reason) = validity_reason(&leaf_info, at, false) {
        return Err(reason);
    }
    if let Some(reason) = eku_reason(&leaf_info, purpose) {
        return Err(reason);
    }

    let trusted = match anchors
        .certs
        .iter()
        .position(|c| c.as_ref() == leaf.as_ref())
    {
        // The leaf itself is in the bundle: Go trusts it directly.
        Some(index) => Trusted {
            path: vec![leaf_info.subject.clone()],
            anchor: index,
        },
        None => build_path(anchors, leaf, &leaf_info, intermediates, purpose, at)?,
    };

    // Clients are not checked against a name: TLS servers (and NATS) do not
    // match a client certificate to a host.
    if let (Some(host), Purpose::Server) = (host, purpose) {
        check_host(leaf, &leaf_info, host)?;
    }
    Ok(trusted)
}

fn build_path(
    anchors: &Anchors,
    leaf: &CertificateDer<'_>,
    leaf_info: &CertInfo,
    intermediates: &[CertificateDer<'_>],
    purpose: Purpose,
    at: OffsetDateTime,
) -> Verdict {
    let ee = webpki::EndEntityCert::try_from(leaf).map_err(|e| Reason::Unparsable {
        detail: format!("{e:?}"),
    })?;
    // The anchor checks Go makes and webpki does not; a rejection is
    // remembered so that it can be the reason if no other path works.
    let rejected: RefCell<Option<Reason>> = RefCell::new(None);
    let chosen: RefCell<Option<(usize, Vec<String>)>> = RefCell::new(None);
    let check_anchor = |path: &webpki::VerifiedPath<'_>| -> Result<(), webpki::Error> {
        let index = anchors
            .anchors
            .iter()
            .position(|a| std::ptr::eq(a, path.anchor()))
            .and_then(|i| anchors.anchor_source.get(i).copied());
        let Some(index) = index else {
            return Ok(());
        };
        if let Some(info) = anchors.info(index) {
            if let Some(reason) = validity_reason(info, at, true) {
                *rejected.borrow_mut() = Some(reason);
                return Err(webpki::Error::UnknownIssuer);
            }
            if let Some(reason) = eku_reason(info, purpose) {
                *rejected.borrow_mut() = Some(reason);
                return Err(webpki::Error::UnknownIssuer);
            }
        }
        let mut subjects = vec![leaf_info.subject.clone()];
        for cert in path.intermediate_certificates() {
            let der = cert.der();
            subjects.push(
                CertInfo::parse(der.as_ref(), at)
                    .map(|i| i.subject)
                    .unwrap_or_else(|_| "(unreadable)".to_owned()),
            );
        }
        if let Some(info) = anchors.info(index)
            && subjects.last() != Some(&info.subject)
        {
            subjects.push(info.subject.clone());
        }
        *chosen.borrow_mut() = Some((index, subjects));
        Ok(())
    };
    let result = ee.verify_for_usage(
        webpki::ALL_VERIFICATION_ALGS,
        &anchors.anchors,
        intermediates,
        unix(at),
        purpose.key_usage(),
        None,
        Some(&check_anchor),
    );
    match result {
        Ok(_) => {
            let (anchor, path) = chosen.into_inner().unwrap_or_default();
            Ok(Trusted { path, anchor })
        }
        Err(error) => Err(explain(
            error,
            rejected.into_inner(),
            anchors,
            leaf_info,
            intermediates,
            purpose,
            at,
        )),
    }
}

/// Turns webpki's error into one reason with names, by looking at the
/// chain the way a person would.
#[allow(deprecated)] // webpki still returns RequiredEkuNotFound in places
fn explain(
    error: webpki::Error,
    rejected: Option<Reason>,
    anchors: &Anchors,
    leaf: &CertInfo,
    intermediates: &[CertificateDer<'_>],
    purpose: Purpose,
    at: OffsetDateTime,
) -> Reason {
    let chain: Vec<CertInfo> = intermediates
        .iter()
        .filter_map(|c| CertInfo::parse(c, at).ok())
        .collect();
    // The chain as far as names link it: leaf, its issuer, ...
    let mut linked: Vec<&CertInfo> = vec![leaf];
    while let Some(last) = linked.last() {
        if last.self_signed || linked.len() > 8 {
            break;
        }
        match chain.iter().find(|c| {
            c.subject_der == last.issuer_der
                && !linked
                    .iter()
                    .any(|l| l.spki_der == c.spki_der && l.subject_der == c.subject_der)
        }) {
            Some(next) => linked.push(next),
            None => break,
        }
    }
    let in_bundle = |info: &CertInfo| {
        anchors
            .infos
            .iter()
            .flatten()
            .any(|a| a.subject_der == info.issuer_der)
    };
    use webpki::Error as E;
    match error {
        E::CertExpired { .. } | E::CertNotValidYet { .. } => linked
            .iter()
            .skip(1)
            .find_map(|c| validity_reason(c, at, false))
            .unwrap_or(Reason::Other {
                detail: format!("a certificate in the chain is outside its validity ({error:?})"),
            }),
        E::RequiredEkuNotFound | E::RequiredEkuNotFoundContext(_) => rejected
            .or_else(|| linked.iter().skip(1).find_map(|c| eku_reason(c, purpose)))
            .unwrap_or(Reason::WrongEku {
                subject: leaf.subject.clone(),
                purpose,
                has: leaf.extended_key_usage.clone().unwrap_or_default(),
            }),
        E::EndEntityUsedAsCa => linked
            .iter()
            .skip(1)
            .find(|c| !c.is_ca)
            .map(|c| Reason::NotCa {
                subject: c.subject.clone(),
            })
            .unwrap_or(Reason::Other {
                detail: "a certificate that is not a CA is in the issuer position".to_owned(),
            }),
        E::CaUsedAsEndEntity => Reason::CaAsLeaf {
            subject: leaf.subject.clone(),
        },
        E::InvalidSignatureForPublicKey => Reason::BadSignature {
            subject: linked
                .iter()
                .rev()
                .find(|c| in_bundle(c))
                .unwrap_or(&leaf)
                .subject
                .clone(),
        },
        E::PathLenConstraintViolated => Reason::PathLength,
        E::NameConstraintViolation => Reason::NameConstraints,
        E::UnknownIssuer => {
            if let Some(reason) = rejected {
                return reason;
            }
            // A chain cert whose issuer is unknown, or that is outside its
            // validity, or a non-CA: whatever a person would fix first.
            if let Some(reason) = linked
                .iter()
                .skip(1)
                .find_map(|c| validity_reason(c, at, false))
            {
                return reason;
            }
            let last = linked.last().copied().unwrap_or(leaf);
            Reason::UnknownIssuer {
                subject: last.subject.clone(),
                issuer: last.issuer.clone(),
            }
        }
        other => Reason::Other {
            detail: format!("the chain does not verify ({other:?})"),
        },
    }
}

fn check_host(leaf: &CertificateDer<'_>, info: &CertInfo, host: &str) -> Result<(), Reason> {
    let mismatch = || Reason::NameMismatch {
        host: host.to_owned(),
        sans: info
            .sans
            .iter()
            .map(|s| format!("{}:{}", s.kind.as_str(), s.value))
            .collect(),
    };
    let name = match host.parse::<IpAddr>() {
        Ok(ip) => ServerName::IpAddress(ip.into()),
        Err(_) => ServerName::try_from(host.to_owned()).map_err(|_| mismatch())?,
    };
    let ee = webpki::EndEntityCert::try_from(leaf).map_err(|e| Reason::Unparsable {
        detail: format!("{e:?}"),
    })?;
    ee.verify_is_valid_for_subject_name(&name)
        .map_err(|_| mismatch())
}

/// Whether `host` matches one of the SANs under RFC 6125: exact DNS match
/// (case-insensitive), a wildcard only as the whole leftmost label matching
/// exactly one label, IP addresses only against IP SANs.
pub fn host_matches(info: &CertInfo, host: &str) -> bool {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    if let Ok(ip) = host.parse::<IpAddr>() {
        return info
            .sans
            .iter()
            .any(|s| s.kind == SanKind::Ip && s.value.parse::<IpAddr>().ok() == Some(ip));
    }
    info.sans
        .iter()
        .filter(|s| s.kind == SanKind::Dns)
        .any(|s| {
            let pattern = s.value.trim_end_matches('.').to_ascii_lowercase();
            match pattern.strip_prefix("*.") {
                Some(rest) => host
                    .split_once('.')
                    .is_some_and(|(first, tail)| !first.is_empty() && tail == rest),
                None => pattern == host,
            }
        })
}
