//! `tlsctl lint`: what is wrong with a certificate for the job it is meant
//! for, each finding with a fix. The role rules are nats-server's:
//!
//! - a route forms when either direction works (the dialer's certificate
//!   verified as a client by the acceptor, the acceptor's as a server by the
//!   dialer), so a route certificate with only one of serverAuth and
//!   clientAuth works while the other node dials: fragile, not down;
//! - gateways need both: each cluster dials the other and verifies
//!   incoming connections always;
//! - a leafnode hub (the accepting side) serves, so it needs serverAuth; the
//!   dialing remote needs clientAuth only when the hub verifies clients;
//! - IP addresses must be IP SANs; Go ignores the CN, so a certificate
//!   without SANs matches no host; Go accepts a CA:TRUE certificate as a
//!   leaf (what `openssl req -x509` makes), so that is no error.

use std::net::IpAddr;

use rustls_pki_types::CertificateDer;
use serde::Serialize;
use time::OffsetDateTime;

use super::bundle::{Finding, Severity, key_and_signature_findings};
use super::cert::{CertInfo, SanKind, Validity};
use super::dn;
use super::expiry;
use super::render::format_time;
use super::verify::{self, Anchors, GoRelease, Purpose, Reason, host_matches};

/// What the certificate is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    Server,
    Client,
    NatsClient,
    NatsRoute,
    NatsGateway,
    /// A leafnode certificate whose side is not said: judged for both.
    NatsLeafnode,
    /// The accepting side of leafnode connections (`leafnodes { tls }`).
    NatsLeafnodeHub,
    /// The dialing side (`leafnodes { remotes [ { tls } ] }`).
    NatsLeafnodeRemote,
}

impl Role {
    pub fn name(self) -> &'static str {
        match self {
            Role::Server => "server",
            Role::Client => "client",
            Role::NatsClient => "nats-client",
            Role::NatsRoute => "nats-route",
            Role::NatsGateway => "nats-gateway",
            Role::NatsLeafnode => "nats-leafnode",
            Role::NatsLeafnodeHub => "nats-leafnode-hub",
            Role::NatsLeafnodeRemote => "nats-leafnode-remote",
        }
    }

    /// (needs serverAuth, needs clientAuth) for the certificate to work
    /// at all in this role; route and leafnode nuances are findings below.
    fn needs(self) -> (bool, bool) {
        match self {
            Role::Server | Role::NatsLeafnodeHub => (true, false),
            Role::Client | Role::NatsClient => (false, true),
            Role::NatsGateway => (true, true),
            // Either direction of a route is enough; the remote's clientAuth
            // matters only when the hub verifies: warned about below.
            Role::NatsRoute | Role::NatsLeafnodeRemote => (false, false),
            // The undecided leafnode role: as the hub, it must serve.
            Role::NatsLeafnode => (true, false),
        }
    }

    /// Whether peers match this certificate against a host name (only TLS
    /// servers are: nats-server never matches a client's names).
    fn is_served(self) -> bool {
        !matches!(
            self,
            Role::Client | Role::NatsClient | Role::NatsLeafnodeRemote
        )
    }
}

/// Lints a leaf (`chain[0]`) with the chain that follows it in its file.
pub fn lint_chain(chain: &[CertInfo], role: Option<Role>, hosts: &[String]) -> Vec<Finding> {
    let mut out = Vec::new();
    let Some(leaf) = chain.first() else {
        out.push(Finding::new(
            Severity::Error,
            "no-certificate",
            "the file holds no certificate",
        ));
        return out;
    };
    let s = leaf.subject.as_str();

    validity_findings(leaf, true, &mut out);
    out.extend(key_and_signature_findings(leaf, None));

    if leaf.is_ca {
        if role.is_some() || !hosts.is_empty() {
            // Go accepts it (nats-server routes form with one); rustls and
            // browsers do not.
            out.push(
                Finding::new(
                    Severity::Warning,
                    "ca-as-leaf",
                    format!(
                        "{s} is a CA certificate (CA:TRUE) used as a leaf: Go, and so \
                         nats-server, accepts it; rustls-based peers and browsers refuse it"
                    ),
                )
                .about(s)
                .fix("issue a leaf from a CA: tlsctl cert issue HOST --ca NAME"),
            );
        } else {
            if leaf
                .key_usage
                .as_ref()
                .is_some_and(|ku| !ku.iter().any(|u| u == "keyCertSign"))
            {
                out.push(
                    Finding::new(
                        Severity::Error,
                        "ca-without-cert-sign",
                        format!("{s} is a CA without the keyCertSign key usage: it cannot sign"),
                    )
                    .about(s),
                );
            }
            out.push(
                Finding::new(
                    Severity::Info,
                    "ca",
                    format!("{s} is a CA certificate; pass --role to lint a leaf for a job"),
                )
                .about(s),
            );
            chain_findings(chain, role, &mut out);
            out.sort_by_key(|f| f.severity);
            return out;
        }
    }

    // Names.
    let dns_ips: Vec<&str> = leaf
        .sans
        .iter()
        .filter(|san| san.kind == SanKind::Dns && san.value.parse::<IpAddr>().is_ok())
        .map(|san| san.value.as_str())
        .collect();
    for ip in &dns_ips {
        out.push(
            Finding::new(
                Severity::Error,
                "ip-in-dns-san",
                format!("{ip} is a DNS SAN; peers connecting by IP look for an IP SAN"),
            )
            .about(s)
            .fix("reissue with the address as an IP SAN (tlsctl cert issue puts IPs there)"),
        );
    }
    let named = !hosts.is_empty() || role.is_none_or(Role::is_served);
    if leaf.sans.is_empty() && named {
        let cn = leaf.common_name.as_deref().unwrap_or("(none)");
        out.push(
            Finding::new(
                Severity::Error,
                "cn-only",
                format!(
                    "{s} has no SANs, only the CN {cn:?}: Go (and so NATS) ignores the CN, \
                     so it matches no host"
                ),
            )
            .about(s)
            .fix(format!(
                "reissue with the names as SANs: tlsctl cert issue {cn}"
            )),
        );
    } else if let Some(cn) = &leaf.common_name
        && looks_like_host(cn)
        && !host_matches(leaf, cn)
    {
        out.push(
            Finding::new(
                Severity::Warning,
                "cn-not-in-sans",
                format!("the CN {cn:?} is not among the SANs; clients ignore the CN"),
            )
            .about(s)
            .fix("add it as a SAN if peers connect by that name"),
        );
    }
    for host in hosts {
        if !host_matches(leaf, host) {
            let sans: Vec<String> = leaf
                .sans
                .iter()
                .map(|x| format!("{}:{}", x.kind.as_str(), x.value))
                .collect();
            let wildcard_hint = leaf.sans.iter().any(|x| {
                x.kind == SanKind::Dns
                    && x.value
                        .strip_prefix("*.")
                        .is_some_and(|rest| host.ends_with(&format!(".{rest}")))
            });
            let mut message = format!(
                "{host} does not match the SANs ({})",
                if sans.is_empty() {
                    "none".to_owned()
                } else {
                    sans.join(", ")
                }
            );
            if wildcard_hint {
                message.push_str("; a wildcard matches exactly one leftmost label (RFC 6125)");
            }
            if host.parse::<IpAddr>().is_ok() && dns_ips.contains(&host.as_str()) {
                message.push_str("; it is there as a DNS SAN, which IP connections ignore");
            }
            out.push(
                Finding::new(Severity::Error, "host-mismatch", message)
                    .about(s)
                    .fix(format!("reissue with {host} as a SAN")),
            );
        }
    }

    // Usage.
    if let Some(ku) = &leaf.key_usage
        && !ku.iter().any(|u| u == "digitalSignature")
    {
        out.push(
            Finding::new(
                Severity::Warning,
                "key-usage",
                format!("{s} lacks the digitalSignature key usage, which TLS 1.3 handshakes need"),
            )
            .about(s),
        );
    }
    if let Some(role) = role {
        role_findings(leaf, role, &mut out);
    }
    chain_findings(chain, role, &mut out);
    out.sort_by_key(|f| f.severity);
    out
}

fn role_findings(leaf: &CertInfo, role: Role, out: &mut Vec<Finding>) {
    let s = leaf.subject.as_str();
    let (server, client) = (leaf.allows_server_auth(), leaf.allows_client_auth());
    match role {
        Role::NatsRoute => match (server, client) {
            (true, true) => {}
            (false, false) => out.push(
                Finding::new(
                    Severity::Error,
                    "eku",
                    "route connections verify both ends and this certificate allows neither \
                     serverAuth nor clientAuth: no route forms, whoever dials",
                )
                .about(s)
                .fix("reissue with --usage dual"),
            ),
            (true, false) | (false, true) => {
                let (has, lacks, works) = if server {
                    (
                        "serverAuth",
                        "clientAuth",
                        "while the other node dials this one",
                    )
                } else {
                    ("clientAuth", "serverAuth", "while this node dials")
                };
                out.push(
                    Finding::new(
                        Severity::Warning,
                        "eku",
                        format!(
                            "{s} allows {has} but not {lacks}: a route forms when either \
                             direction works, so routes with this node form only {works}: \
                             fragile (the other direction fails with \"incompatible key usage\")"
                        ),
                    )
                    .about(s)
                    .fix(format!(
                        "route certificates need {lacks} too: reissue with --usage dual"
                    )),
                );
            }
        },
        Role::NatsLeafnodeRemote => {
            if !client {
                out.push(
                    Finding::new(
                        Severity::Warning,
                        "eku",
                        format!(
                            "{s} lacks clientAuth: a hub that verifies leafnode clients \
                             (leafnodes {{ tls {{ verify: true }} }}) refuses this remote \
                             (\"incompatible key usage\"); a hub that does not verify accepts it"
                        ),
                    )
                    .about(s)
                    .fix("reissue with --usage client (or dual)"),
                );
            }
        }
        _ => {
            let (need_server, need_client) = role.needs();
            let missing = leaf.missing_ekus(need_server, need_client);
            if !missing.is_empty() {
                let (message, fix) = match role {
                    Role::NatsGateway => (
                        format!(
                            "gateway connections go both ways and nats-server always verifies \
                             incoming ones, so the certificate needs serverAuth and clientAuth; \
                             it lacks {}",
                            missing.join(" and ")
                        ),
                        format!(
                            "gateway certificates need {} too: reissue with --usage dual",
                            missing.join(" and ")
                        ),
                    ),
                    Role::NatsLeafnode | Role::NatsLeafnodeHub => (
                        format!(
                            "a leafnode hub serves the remotes' connections, so its \
                             certificate needs serverAuth; it lacks it and the remotes refuse \
                             the hub (\"incompatible key usage\"){}",
                            if role == Role::NatsLeafnode {
                                " (for the dialing side only, say --role nats-leafnode-remote)"
                            } else {
                                ""
                            }
                        ),
                        "reissue with --usage server (or dual)".to_owned(),
                    ),
                    _ => (
                        format!(
                            "a {} certificate needs {}",
                            role.name(),
                            missing.join(" and ")
                        ),
                        format!(
                            "reissue with --usage {}",
                            if need_server {
                                "server (or dual)"
                            } else {
                                "client (or dual)"
                            }
                        ),
                    ),
                };
                out.push(
                    Finding::new(Severity::Error, "eku", message)
                        .about(s)
                        .fix(fix),
                );
            }
            if role == Role::NatsLeafnode && server && !client {
                out.push(
                    Finding::new(
                        Severity::Warning,
                        "eku",
                        "as a remote (the dialing side), a certificate without clientAuth is \
                         refused by a hub that verifies leafnode clients",
                    )
                    .about(s)
                    .fix("reissue with --usage dual, or say --role nats-leafnode-hub"),
                );
            }
        }
    }
}

/// A client certificate without SANs, named by its subject alone
/// (`cert issue --usage client --cn alice`), is an error for a server (Go
/// ignores the CN when matching a host), but fine for a client, since a
/// server that maps client certificates to users (NATS `verify_and_map`)
/// falls back to the subject DN when there is no email or DNS SAN.
/// [`lint_chain`] reports every SAN-less leaf as `cn-only`; [`relax_cn_only`]
/// turns that into an explanation when the certificate is linted as a client.
/// Whether a SAN-less leaf is judged as a client: the role says so, or,
/// without a role or hosts, its EKU allows only clientAuth.
fn judged_as_client(leaf: &CertInfo, role: Option<Role>, hosts: &[String]) -> bool {
    if !hosts.is_empty() {
        return false;
    }
    match role {
        Some(Role::Client | Role::NatsClient) => true,
        Some(_) => false,
        None => leaf.allows_client_auth() && !leaf.allows_server_auth(),
    }
}

/// Replaces the `cn-only` error of a client certificate by an info finding
/// that says how servers see it.
pub fn relax_cn_only(
    findings: Vec<Finding>,
    leaf: &CertInfo,
    role: Option<Role>,
    hosts: &[String],
) -> Vec<Finding> {
    if !leaf.sans.is_empty() || leaf.is_ca || !judged_as_client(leaf, role, hosts) {
        return findings;
    }
    let explain = || {
        let s = leaf.subject.as_str();
        Finding::new(
            Severity::Info,
            "cn-only-client",
            format!(
                "{s} has no SANs: fine for a client certificate. A server that maps client \
                 certificates to users (NATS verify_and_map) uses the subject DN when there \
                 is no email or DNS SAN, so the user is {:?}; it cannot serve, since no host \
                 matches it",
                dn::rfc2253(leaf)
            ),
        )
        .about(s)
    };
    // The role lint may call it an error (cn-only) or say nothing of it
    // (a client role needs no SANs): either way the explanation is given.
    let mut explained = false;
    let mut out: Vec<Finding> = findings
        .into_iter()
        .map(|f| {
            if f.code != "cn-only" {
                return f;
            }
            explained = true;
            explain()
        })
        .collect();
    if !explained && !out.iter().any(|f| f.code == "cn-only-client") {
        out.push(explain());
    }
    out.sort_by_key(|f| f.severity);
    out
}

fn looks_like_host(cn: &str) -> bool {
    cn.parse::<IpAddr>().is_ok()
        || (cn.contains('.')
            && cn
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '*')))
}

/// The validity findings of a certificate; `first` when it is the file's
/// first (the one `cert renew` reads).
fn validity_findings(info: &CertInfo, first: bool, out: &mut Vec<Finding>) {
    let s = info.subject.as_str();
    let renew = || expiry::renew_fix(info, expiry::Found { file: None, first });
    match info.validity {
        Validity::Expired => out.push(
            Finding::new(
                Severity::Error,
                "expired",
                format!("{s} expired on {}", format_time(info.not_after)),
            )
            .about(s)
            .fix(renew()),
        ),
        Validity::NotYetValid => out.push(
            Finding::new(
                Severity::Error,
                "not-yet-valid",
                format!("{s} is not valid until {}", format_time(info.not_before)),
            )
            .about(s),
        ),
        Validity::Valid if info.days_left < 30 => out.push(
            Finding::new(
                Severity::Warning,
                "expires-soon",
                format!(
                    "{s} expires in {} days ({})",
                    info.days_left,
                    format_time(info.not_after)
                ),
            )
            .about(s)
            .fix(renew()),
        ),
        Validity::Valid => {}
    }
}

fn chain_findings(chain: &[CertInfo], role: Option<Role>, out: &mut Vec<Finding>) {
    for (i, cert) in chain.iter().enumerate().skip(1) {
        let s = cert.subject.as_str();
        if !cert.is_ca {
            out.push(
                Finding::new(
                    Severity::Error,
                    "leaf-as-ca",
                    format!("{s} follows the leaf as an issuer but is not a CA (no CA:TRUE)"),
                )
                .about(s)
                .fix("remove it from the chain file"),
            );
        }
        if let Some(prev) = chain.get(i - 1)
            && prev.issuer_der != cert.subject_der
        {
            out.push(
                Finding::new(
                    Severity::Warning,
                    "chain-order",
                    format!(
                        "{s} did not issue the certificate before it ({})",
                        prev.subject
                    ),
                )
                .about(s)
                .fix("order the file leaf first, then its issuer, and so on"),
            );
        }
        validity_findings(cert, false, out);
        out.extend(key_and_signature_findings(cert, None));
        if let (Some(role), Some(ekus)) = (role, &cert.extended_key_usage) {
            let (server, client) = match role {
                Role::NatsRoute => (true, true),
                Role::NatsLeafnodeRemote => (false, true),
                _ => role.needs(),
            };
            let allows = |name: &str| ekus.iter().any(|e| e == name || e == "anyExtendedKeyUsage");
            let blocked: Vec<&str> = [(server, "serverAuth"), (client, "clientAuth")]
                .iter()
                .filter(|(need, name)| *need && !allows(name))
                .map(|(_, n)| *n)
                .collect();
            // One blocked direction of a route, or a remote's clientAuth,
            // is fragile rather than fatal (see role_findings).
            let fatal = match role {
                Role::NatsRoute => blocked.len() == 2,
                Role::NatsLeafnodeRemote => false,
                _ => true,
            };
            if cert.is_ca && !blocked.is_empty() {
                out.push(
                    Finding::new(
                        if fatal {
                            Severity::Error
                        } else {
                            Severity::Warning
                        },
                        "intermediate-eku",
                        format!(
                            "{s} restricts what it issues to {}: a leaf under it cannot be \
                             used for {} (Go enforces an intermediate's EKU on its leaves)",
                            ekus.join(", "),
                            blocked.join(" and ")
                        ),
                    )
                    .about(s)
                    .fix("issue from an intermediate without that restriction"),
                );
            }
        }
    }
}

/// Whether any finding is an error.
pub fn has_errors(findings: &[Finding]) -> bool {
    findings.iter().any(|f| f.severity == Severity::Error)
}

/// One NATS node as its peers meet it: the certificate it presents (leaf
/// and chain), the CA file it verifies peers with, and the name the other
/// node dials it by (checked against its SANs when given).
pub struct Node<'a> {
    pub name: &'a str,
    pub leaf: &'a CertificateDer<'a>,
    pub chain: &'a [CertificateDer<'a>],
    pub anchors: &'a Anchors,
    pub host: Option<&'a str>,
}

/// Why one direction of a connection fails.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DialFailure {
    /// The node whose verification refuses.
    pub refused_by: String,
    /// The node whose certificate is refused.
    pub refused: String,
    pub purpose: Purpose,
    pub reason: Box<Reason>,
}

impl std::fmt::Display for DialFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} refuses {}'s certificate as a {}: {}",
            self.refused_by,
            self.refused,
            match self.purpose {
                Purpose::Server => "server",
                Purpose::Client => "client",
            },
            self.reason
        )
    }
}

/// `dialer` dials `acceptor` (a route, gateway or leafnode connection):
/// the dialer verifies the acceptor's certificate as a server (for the
/// host it dials), and the acceptor, when it verifies, the dialer's as a
/// client. Judged by `release`'s crypto/x509.
pub fn dial(
    dialer: &Node<'_>,
    acceptor: &Node<'_>,
    acceptor_verifies: bool,
    at: OffsetDateTime,
    release: GoRelease,
) -> Result<(), DialFailure> {
    verify::verify_as(
        dialer.anchors,
        acceptor.leaf,
        acceptor.chain,
        Purpose::Server,
        acceptor.host,
        at,
        release,
    )
    .map_err(|reason| DialFailure {
        refused_by: dialer.name.to_owned(),
        refused: acceptor.name.to_owned(),
        purpose: Purpose::Server,
        reason: Box::new(reason),
    })?;
    if acceptor_verifies {
        verify::verify_as(
            acceptor.anchors,
            dialer.leaf,
            dialer.chain,
            Purpose::Client,
            None,
            at,
            release,
        )
        .map_err(|reason| DialFailure {
            refused_by: acceptor.name.to_owned(),
            refused: dialer.name.to_owned(),
            purpose: Purpose::Client,
            reason: Box::new(reason),
        })?;
    }
    Ok(())
}

/// Whether a cluster route between two nodes forms. nats-server verifies
/// both ends of a route, and each node that lists the other dials it; one
/// working direction is enough for the route.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "route", rename_all = "snake_case")]
pub enum RouteForms {
    BothWays,
    /// Only `dialer` dialling works: the route forms while it dials, and
    /// is gone when only the other node can reconnect.
    OnlyWhileDials {
        dialer: String,
        other_way: DialFailure,
    },
    Never {
        a_dials: DialFailure,
        b_dials: DialFailure,
    },
}

impl std::fmt::Display for RouteForms {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RouteForms::BothWays => write!(f, "the route forms whichever node dials"),
            RouteForms::OnlyWhileDials { dialer, other_way } => write!(
                f,
                "the route forms only while {dialer} dials: fragile (the other way, \
                 {other_way})"
            ),
            RouteForms::Never { a_dials, b_dials } => {
                write!(f, "no route forms: {a_dials}; and the other way, {b_dials}")
            }
        }
    }
}

/// The route between `a` and `b`, both listing each other.
pub fn route(a: &Node<'_>, b: &Node<'_>, at: OffsetDateTime, release: GoRelease) -> RouteForms {
    match (dial(a, b, true, at, release), dial(b, a, true, at, release)) {
        (Ok(()), Ok(())) => RouteForms::BothWays,
        (Ok(()), Err(other_way)) => RouteForms::OnlyWhileDials {
            dialer: a.name.to_owned(),
            other_way,
        },
        (Err(other_way), Ok(())) => RouteForms::OnlyWhileDials {
            dialer: b.name.to_owned(),
            other_way,
        },
        (Err(a_dials), Err(b_dials)) => RouteForms::Never { a_dials, b_dials },
    }
}

/// A leafnode connection: the remote dials the hub. The hub verifies the
/// remote's certificate only with `verify: true` in its leafnodes tls block.
pub fn leafnode(
    remote: &Node<'_>,
    hub: &Node<'_>,
    hub_verifies: bool,
    at: OffsetDateTime,
    release: GoRelease,
) -> Result<(), DialFailure> {
    dial(remote, hub, hub_verifies, at, release)
}

/// Gateways between two clusters: each dials the other, and nats-server
/// always verifies incoming gateway connections, so both directions must
/// work.
pub fn gateway(
    a: &Node<'_>,
    b: &Node<'_>,
    at: OffsetDateTime,
    release: GoRelease,
) -> Result<(), DialFailure> {
    dial(a, b, true, at, release)?;
    dial(b, a, true, at, release)
}
