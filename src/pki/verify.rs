//! Chain verification as a NATS peer does it: Go's crypto/x509, rule by
//! rule, as nats-server calls it (Roots = every certificate of the CA file,
//! Intermediates = the rest of the presented chain, KeyUsages from the
//! role, CurrentTime). The Go source is followed, not a WebPKI library:
//!
//! - `gocert` is parser.go: what makes Go refuse a certificate outright
//!   (a CA-file certificate Go cannot parse is skipped, as
//!   AppendCertsFromPEM skips it; a presented one ends the handshake);
//! - `golang` is verify.go: isValid, buildChains in findPotentialParents'
//!   order, CheckSignatureFrom (signatures checked with aws-lc-rs),
//!   checkChainForKeyUsage;
//! - `names` is the name-constraint and VerifyHostname code.
//!
//! Rules that changed across Go releases are named in `GoRelease`; the
//! default is current Go (nats-server 2.15.1 is built with go1.27), and
//! `GoRelease::Go1_19` judges as Debian's nats-server 2.9.10 does.
//!
//! A failure is one `Reason`, the true one (a signature is said not to
//! verify only when the signature check failed), and `go_error` is what Go
//! itself would say.

mod der;
pub mod gocert;
mod golang;
mod names;

use std::net::IpAddr;

use rustls_pki_types::CertificateDer;
use serde::Serialize;
use time::OffsetDateTime;

use super::cert::{CertInfo, SanKind};
use super::render::format_time;
use golang::{GoErr, Hint, Pools, Who};

/// The Go release whose crypto/x509 judges. Rules that differ:
///
/// | rule | Go 1.19 (nats-server 2.9.10) | current (1.24+; 2.15.1 is go1.27) |
/// | --- | --- | --- |
/// | negative serial number | accepted | parse error since Go 1.23 (nats-server 2.15.1 refuses) |
/// | RSA key under 1024 bits signing | verified | refused since Go 1.24 |
/// | critical AKI, SKI or AIA extension | accepted | parse error (current source; nats-server 2.15.1 refuses) |
/// | critical policy constraints/mappings/inhibitAnyPolicy | unhandled critical extension | handled since Go 1.24 |
/// | IPv4-mapped IPv6 SAN or constraint, empty constraint subtree | accepted | parse error |
/// | duplicate extension | parse error, one wording | parse error, names the OID |
///
/// SHA-1 signatures are refused by both (since Go 1.18); MD5 always. The
/// refusals marked were measured against the real servers
/// (tests/cli/interop_go.rs); the rest follow the Go source. Not modelled:
/// the policy-graph validation of Go 1.24+ (certificate policies, policy
/// constraints), which only refuses chains that demand explicit policies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum GoRelease {
    /// Debian's nats-server 2.9.10 is built with Go 1.19.
    #[serde(rename = "go1.19")]
    Go1_19,
    /// Current Go, as current nats-server releases are built.
    #[default]
    Current,
}

impl GoRelease {
    pub fn name(self) -> &'static str {
        match self {
            GoRelease::Go1_19 => "Go 1.19",
            GoRelease::Current => "current Go",
        }
    }

    fn rejects_negative_serials(self) -> bool {
        self == GoRelease::Current
    }

    fn rejects_small_rsa(self) -> bool {
        self == GoRelease::Current
    }

    fn rejects_critical_key_ids(self) -> bool {
        self == GoRelease::Current
    }

    fn handles_policy_extensions(self) -> bool {
        self == GoRelease::Current
    }

    fn rejects_mapped_ipv6(self) -> bool {
        self == GoRelease::Current
    }

    fn rejects_empty_subtrees(self) -> bool {
        self == GoRelease::Current
    }

    fn duplicate_extension_error(self, oid: &[u8]) -> String {
        match self {
            GoRelease::Go1_19 => "x509: certificate contains duplicate extensions".to_owned(),
            GoRelease::Current => format!(
                "x509: certificate contains duplicate extension with OID {:?}",
                der::oid_string(oid)
            ),
        }
    }
}

/// What the certificate is checked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
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
    /// Go: "x509: unhandled critical extension".
    UnhandledCriticalExtension {
        subject: String,
        oids: Vec<String>,
    },
    /// The issuer cannot sign in Go's eyes (CheckSignatureFrom's
    /// ConstraintViolationError): v3 without basicConstraints, CA:FALSE, or a
    /// key usage without keyCertSign.
    IssuerCannotSign {
        subject: String,
        issuer: String,
        why: String,
    },
    /// SHA-1 or MD5: Go refuses to check the signature.
    InsecureSignature {
        subject: String,
        algorithm: String,
    },
    /// The signature cannot be checked: an algorithm Go lacks, a key that
    /// does not fit it, an RSA key Go finds too small, or one tlsctl cannot
    /// check (named in the detail).
    SignatureUnusable {
        subject: String,
        detail: String,
    },
    /// A CA's pathLenConstraint, counting every intermediate (self-issued
    /// ones too, as Go does).
    PathLenExceeded {
        subject: String,
        max_path_len: i64,
        intermediates: usize,
    },
    /// A CA's name constraints refuse a name: Go's words in the detail.
    NameNotPermitted {
        subject: String,
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
            Reason::UnhandledCriticalExtension { subject, oids } => write!(
                f,
                "{subject} has a critical extension Go does not handle ({}): x509: unhandled \
                 critical extension",
                oids.join(", ")
            ),
            Reason::IssuerCannotSign {
                subject,
                issuer,
                why,
            } => write!(
                f,
                "{issuer} cannot sign {subject}: {why} (x509: invalid signature: parent \
                 certificate cannot sign this kind of certificate)"
            ),
            Reason::InsecureSignature { subject, algorithm } => write!(
                f,
                "{subject} is signed with {algorithm}, which Go refuses to verify (x509: \
                 cannot verify signature: insecure algorithm)"
            ),
            Reason::SignatureUnusable { subject, detail } => {
                write!(f, "the signature on {subject} cannot be checked: {detail}")
            }
            Reason::PathLenExceeded {
                subject,
                max_path_len,
                intermediates,
            } => write!(
                f,
                "{subject} allows {max_path_len} intermediate(s) below it, the chain has \
                 {intermediates} (Go counts self-issued ones too): x509: too many intermediates \
                 for path length constraint"
            ),
            Reason::NameNotPermitted { subject, detail } => write!(
                f,
                "{subject}'s name constraints refuse the certificate: {detail}"
            ),
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

/// A failure with what Go itself says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GoFailure {
    pub reason: Reason,
    /// Go's error text, as nats-server would log it.
    pub go_error: String,
}

/// A bundle's certificates as trust anchors, each as a Go release parses
/// it: parsed for a release when it is first judged by it (`verify` judges
/// by current Go only, and a parse of 100,000 anchors is 100 MB).
pub struct Anchors {
    /// Each DER once, shared with the Go certificates parsed from it.
    certs: Vec<std::sync::Arc<[u8]>>,
    current: std::sync::OnceLock<Vec<Option<gocert::GoCert>>>,
    go119: std::sync::OnceLock<Vec<Option<gocert::GoCert>>>,
}

impl Anchors {
    pub fn new(certs: Vec<CertificateDer<'static>>, _now: OffsetDateTime) -> Anchors {
        Anchors {
            certs: certs
                .into_iter()
                .map(|c| std::sync::Arc::from(c.as_ref()))
                .collect(),
            current: std::sync::OnceLock::new(),
            go119: std::sync::OnceLock::new(),
        }
    }

    /// Every certificate as `release` parses it (`None`: it cannot).
    fn parsed(&self, release: GoRelease) -> &[Option<gocert::GoCert>] {
        let cell = match release {
            GoRelease::Go1_19 => &self.go119,
            GoRelease::Current => &self.current,
        };
        cell.get_or_init(|| {
            self.certs
                .iter()
                .map(|c| gocert::parse_shared(c, release).ok())
                .collect()
        })
    }

    pub fn len(&self) -> usize {
        self.certs.len()
    }

    /// Anchors copied straight from borrowed DERs (a bundle read for
    /// diffing keeps its certificates in shared buffers).
    pub fn from_ders<'b>(ders: impl Iterator<Item = &'b [u8]>) -> Anchors {
        Anchors {
            certs: ders.map(std::sync::Arc::from).collect(),
            current: std::sync::OnceLock::new(),
            go119: std::sync::OnceLock::new(),
        }
    }

    /// Every certificate's DER, in bundle order.
    pub fn ders(&self) -> impl Iterator<Item = &[u8]> {
        self.certs.iter().map(|c| &c[..])
    }

    /// The DER of the `i`-th certificate (0-based, in bundle order).
    pub fn der(&self, i: usize) -> Option<&[u8]> {
        self.certs.get(i).map(|c| &c[..])
    }

    pub fn is_empty(&self) -> bool {
        self.certs.is_empty()
    }

    /// The roots Go keeps (AppendCertsFromPEM skips what it cannot parse,
    /// and a pool holds a certificate once), with their bundle index.
    fn roots(&self, release: GoRelease) -> (Vec<&gocert::GoCert>, Vec<usize>) {
        let parsed = self.parsed(release);
        let mut roots: Vec<&gocert::GoCert> = Vec::with_capacity(parsed.len());
        let mut index = Vec::with_capacity(parsed.len());
        // One hash lookup per certificate: a scan of the roots kept so far
        // made verify quadratic (65 s with a 100,000-certificate bundle).
        let mut seen: std::collections::HashSet<&[u8], foldhash::fast::RandomState> =
            std::collections::HashSet::with_capacity_and_hasher(
                parsed.len(),
                foldhash::fast::RandomState::default(),
            );
        for (i, cert) in parsed.iter().enumerate() {
            if let Some(cert) = cert
                && seen.insert(&cert.raw[..])
            {
                roots.push(cert);
                index.push(i);
            }
        }
        (roots, index)
    }

    /// How many bundle certificates `release` cannot parse (nats-server
    /// skips them silently).
    pub fn unparsable(&self, release: GoRelease) -> usize {
        self.parsed(release).iter().filter(|p| p.is_none()).count()
    }
}

/// Verifies `leaf` with `intermediates` against the bundle, for `purpose`,
/// at `at`, and (when given, for the server purpose) for `host`, as
/// current Go does.
pub fn verify(
    anchors: &Anchors,
    leaf: &CertificateDer<'_>,
    intermediates: &[CertificateDer<'_>],
    purpose: Purpose,
    host: Option<&str>,
    at: OffsetDateTime,
) -> Verdict {
    verify_as(
        anchors,
        leaf,
        intermediates,
        purpose,
        host,
        at,
        GoRelease::Current,
    )
}

/// `verify`, judged by the crypto/x509 of `release`.
pub fn verify_as(
    anchors: &Anchors,
    leaf: &CertificateDer<'_>,
    intermediates: &[CertificateDer<'_>],
    purpose: Purpose,
    host: Option<&str>,
    at: OffsetDateTime,
    release: GoRelease,
) -> Verdict {
    go_verify(anchors, leaf, intermediates, purpose, host, at, release).map_err(|f| f.reason)
}

/// `verify_as` with Go's own error text on failure.
pub fn go_verify(
    anchors: &Anchors,
    leaf: &CertificateDer<'_>,
    intermediates: &[CertificateDer<'_>],
    purpose: Purpose,
    host: Option<&str>,
    at: OffsetDateTime,
    release: GoRelease,
) -> Result<Trusted, GoFailure> {
    let side = match purpose {
        Purpose::Server => "tls: failed to parse certificate from server: ",
        Purpose::Client => "tls: failed to parse client certificate: ",
    };
    let unparsable = |which: String, e: String| GoFailure {
        reason: Reason::Unparsable {
            detail: format!("{which}: {e}"),
        },
        go_error: format!("{side}{e}"),
    };
    let leaf_cert =
        gocert::parse(leaf, release).map_err(|e| unparsable(describe(leaf, "the leaf"), e))?;
    let mut chain = Vec::new();
    for (i, der) in intermediates.iter().enumerate() {
        let cert = gocert::parse(der, release)
            .map_err(|e| unparsable(describe(der, &format!("chain certificate {}", i + 2)), e))?;
        // A pool holds each certificate once.
        if !chain.iter().any(|c: &gocert::GoCert| c.raw == cert.raw) {
            chain.push(cert);
        }
    }
    let (roots, root_index) = anchors.roots(release);
    if roots.is_empty() {
        return Err(GoFailure {
            reason: Reason::Other {
                detail: format!(
                    "no certificate of the bundle can be parsed by {}: nats-server refuses the \
                     CA file",
                    release.name()
                ),
            },
            go_error: "no certificate in the CA file could be parsed".to_owned(),
        });
    }
    // Only a TLS client matches names (crypto/tls sets DNSName to the
    // server name it dials); a server never matches a client's names.
    let host = host.filter(|_| purpose == Purpose::Server);
    let chain_refs: Vec<&gocert::GoCert> = chain.iter().collect();
    let pools = Pools {
        leaf: &leaf_cert,
        roots: &roots,
        intermediates: &chain_refs,
        at: at.unix_timestamp(),
        release,
    };
    match pools.verify(purpose, host) {
        Ok(path) => {
            let anchor = match path.last() {
                Some(Who::Root(i)) => root_index.get(*i).copied().unwrap_or(0),
                _ => roots
                    .iter()
                    .position(|r| r.raw == leaf_cert.raw)
                    .and_then(|i| root_index.get(i).copied())
                    .unwrap_or(0),
            };
            Ok(Trusted {
                path: path.iter().map(|&w| display(pools.cert(w))).collect(),
                anchor,
            })
        }
        Err(e) => Err(explain(&pools, e, purpose, host, at)),
    }
}

fn describe(der: &[u8], fallback: &str) -> String {
    match CertInfo::parse(der, OffsetDateTime::UNIX_EPOCH) {
        Ok(info) => format!("{fallback} ({})", info.subject),
        Err(_) => fallback.to_owned(),
    }
}

fn display(cert: &gocert::GoCert) -> String {
    use x509_parser::prelude::FromDer;
    x509_parser::x509::X509Name::from_der(cert.raw_subject())
        .map(|(_, n)| n.to_string())
        .ok()
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "(empty)".to_owned())
}

fn issuer_display(cert: &gocert::GoCert) -> String {
    use x509_parser::prelude::FromDer;
    x509_parser::x509::X509Name::from_der(cert.raw_issuer())
        .map(|(_, n)| n.to_string())
        .unwrap_or_else(|_| "(unnamed)".to_owned())
}

fn unix_text(t: i64) -> String {
    OffsetDateTime::from_unix_timestamp(t).map_or_else(|_| t.to_string(), format_time)
}

fn rfc3339(t: i64) -> String {
    OffsetDateTime::from_unix_timestamp(t)
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_else(|| t.to_string())
}

/// Go's error, and the reason a person would fix.
fn explain(
    pools: &Pools<'_>,
    error: GoErr,
    purpose: Purpose,
    host: Option<&str>,
    at: OffsetDateTime,
) -> GoFailure {
    let name = |w: Who| display(pools.cert(w));
    let now = rfc3339(at.unix_timestamp());
    let (reason, go_error) = match error {
        GoErr::UnhandledCritical(w) => (
            Reason::UnhandledCriticalExtension {
                subject: name(w),
                oids: pools.cert(w).unhandled_critical.clone(),
            },
            "x509: unhandled critical extension".to_owned(),
        ),
        GoErr::Expired(w) => {
            let c = pools.cert(w);
            let subject = name(w);
            let not_after = unix_text(c.not_after);
            (
                if matches!(w, Who::Root(_)) {
                    Reason::AnchorExpired { subject, not_after }
                } else {
                    Reason::Expired { subject, not_after }
                },
                format!(
                    "x509: certificate has expired or is not yet valid: current time {now} is \
                     after {}",
                    rfc3339(c.not_after)
                ),
            )
        }
        GoErr::NotYetValid(w) => {
            let c = pools.cert(w);
            let subject = name(w);
            let not_before = unix_text(c.not_before);
            (
                if matches!(w, Who::Root(_)) {
                    Reason::AnchorNotYetValid {
                        subject,
                        not_before,
                    }
                } else {
                    Reason::NotYetValid {
                        subject,
                        not_before,
                    }
                },
                format!(
                    "x509: certificate has expired or is not yet valid: current time {now} is \
                     before {}",
                    rfc3339(c.not_before)
                ),
            )
        }
        GoErr::Hostname(text) => (
            Reason::NameMismatch {
                host: host.unwrap_or_default().to_owned(),
                sans: pools
                    .leaf
                    .sans
                    .iter()
                    .filter_map(|(tag, v)| match tag {
                        2 => Some(format!("DNS:{}", String::from_utf8_lossy(v))),
                        7 => <[u8; 4]>::try_from(v.as_slice())
                            .map(|b| IpAddr::from(b).to_string())
                            .or_else(|_| {
                                <[u8; 16]>::try_from(v.as_slice())
                                    .map(|b| IpAddr::from(b).to_string())
                            })
                            .ok()
                            .map(|ip| format!("IP:{ip}")),
                        1 => Some(format!("email:{}", String::from_utf8_lossy(v))),
                        6 => Some(format!("URI:{}", String::from_utf8_lossy(v))),
                        _ => None,
                    })
                    .collect(),
            },
            text,
        ),
        GoErr::NameConstraint(w, detail) => (
            Reason::NameNotPermitted {
                subject: name(w),
                detail: detail.clone(),
            },
            if detail.starts_with("x509:") {
                detail
            } else {
                format!(
                    "x509: a root or intermediate certificate is not authorized to sign for this \
                     name: {detail}"
                )
            },
        ),
        GoErr::NotAuthorizedToSign(w) => (
            Reason::NotCa { subject: name(w) },
            "x509: certificate is not authorized to sign other certificates".to_owned(),
        ),
        GoErr::TooManyIntermediates(w, n) => (
            Reason::PathLenExceeded {
                subject: name(w),
                max_path_len: pools.cert(w).max_path_len,
                intermediates: n,
            },
            "x509: too many intermediates for path length constraint".to_owned(),
        ),
        GoErr::IncompatibleUsage(chain) => {
            // The certificate that restricts it, from the root down.
            let culprit = chain
                .iter()
                .rev()
                .copied()
                .find(|&w| !golang::cert_allows(pools.cert(w), purpose))
                .unwrap_or(Who::Leaf);
            let c = pools.cert(culprit);
            let mut has: Vec<String> = c.ekus.iter().map(|e| (*e).to_owned()).collect();
            if c.unknown_ekus > 0 {
                has.push(format!("{} other", c.unknown_ekus));
            }
            (
                Reason::WrongEku {
                    subject: name(culprit),
                    purpose,
                    has,
                },
                "x509: certificate specifies an incompatible key usage".to_owned(),
            )
        }
        GoErr::UnknownAuthority(w, hint) => {
            let child = pools.cert(w);
            let base = "x509: certificate signed by unknown authority";
            match hint {
                None => (
                    Reason::UnknownIssuer {
                        subject: name(w),
                        issuer: issuer_display(child),
                    },
                    base.to_owned(),
                ),
                Some((parent, h)) => {
                    let p = pools.cert(parent);
                    let hint_name = p.common_name.clone().unwrap_or_else(|| display(p));
                    let go = format!(
                        "{base} (possibly because of {:?} while trying to verify candidate \
                         authority certificate {hint_name:?})",
                        h.go_text(pools.release)
                    );
                    let reason = match &h {
                        Hint::CannotSign(why) => Reason::IssuerCannotSign {
                            subject: name(w),
                            issuer: name(parent),
                            why: (*why).to_owned(),
                        },
                        Hint::Insecure(alg) => Reason::InsecureSignature {
                            subject: name(w),
                            algorithm: alg.go_name().to_owned(),
                        },
                        Hint::Verification(_) => Reason::BadSignature { subject: name(w) },
                        Hint::Unsupported(_) | Hint::KeyTooSmall(_) | Hint::Uncheckable(_) => {
                            Reason::SignatureUnusable {
                                subject: name(w),
                                detail: h.go_text(pools.release),
                            }
                        }
                    };
                    (reason, go)
                }
            }
        }
        GoErr::SignatureLimit => (
            Reason::Other {
                detail: "the chain needs more than 100 signature checks; Go gives up".to_owned(),
            },
            "x509: signature check attempts limit reached while verifying certificate chain"
                .to_owned(),
        ),
    };
    GoFailure { reason, go_error }
}

/// The purposes `verify` checks when none is asked for: what the
/// certificate's EKU allows (serverAuth only: server; clientAuth only:
/// client; both, none or anyExtendedKeyUsage: both; neither: both, so the
/// failure says why).
pub fn purposes_for(info: &CertInfo) -> Vec<Purpose> {
    match (info.allows_server_auth(), info.allows_client_auth()) {
        (true, false) => vec![Purpose::Server],
        (false, true) => vec![Purpose::Client],
        _ => vec![Purpose::Server, Purpose::Client],
    }
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
