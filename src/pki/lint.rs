//! `tlsctl lint`: what is wrong with a certificate for the job it is meant
//! for, each finding with a fix. The role rules are NATS's: route and
//! gateway connections verify both ends, so their certificates need both
//! serverAuth and clientAuth; IP addresses must be IP SANs; Go ignores the
//! CN, so a certificate without SANs matches no host.

use std::net::IpAddr;

use serde::Serialize;

use super::bundle::{Finding, Severity, key_and_signature_findings};
use super::cert::{CertInfo, SanKind, Validity};
use super::render::format_time;
use super::verify::host_matches;

/// What the certificate is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    Server,
    Client,
    NatsClient,
    NatsRoute,
    NatsGateway,
    NatsLeafnode,
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
        }
    }

    /// (needs serverAuth, needs clientAuth)
    fn needs(self) -> (bool, bool) {
        match self {
            Role::Server => (true, false),
            Role::Client | Role::NatsClient => (false, true),
            Role::NatsRoute | Role::NatsGateway => (true, true),
            // A leafnode certificate serves on the hub or presents on the
            // remote; which one is the user's setup: only warn below.
            Role::NatsLeafnode => (false, false),
        }
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

    validity_findings(leaf, &mut out);
    out.extend(key_and_signature_findings(leaf, None));

    if leaf.is_ca {
        if role.is_some() || !hosts.is_empty() {
            out.push(
                Finding::new(
                    Severity::Error,
                    "ca-as-leaf",
                    format!("{s} is a CA certificate (CA:TRUE); peers reject it as a leaf"),
                )
                .about(s)
                .fix("issue a leaf from this CA: tlsctl cert issue HOST --ca NAME"),
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
        }
        chain_findings(chain, role, &mut out);
        out.sort_by_key(|f| f.severity);
        return out;
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
    if leaf.sans.is_empty() {
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
        let (server, client) = role.needs();
        let missing = leaf.missing_ekus(server, client);
        if !missing.is_empty() {
            let (message, fix) = match role {
                Role::NatsRoute | Role::NatsGateway => (
                    format!(
                        "{} connections verify both ends, so the certificate needs serverAuth \
                         and clientAuth; it lacks {}",
                        if role == Role::NatsRoute {
                            "route"
                        } else {
                            "gateway"
                        },
                        missing.join(" and ")
                    ),
                    format!(
                        "{} certificates need {} too: reissue with --usage dual",
                        if role == Role::NatsRoute {
                            "route"
                        } else {
                            "gateway"
                        },
                        missing.join(" and ")
                    ),
                ),
                _ => (
                    format!(
                        "a {} certificate needs {}",
                        role.name(),
                        missing.join(" and ")
                    ),
                    format!(
                        "reissue with --usage {}",
                        if server {
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
        if role == Role::NatsLeafnode && !(leaf.allows_server_auth() && leaf.allows_client_auth()) {
            out.push(
                Finding::new(
                    Severity::Warning,
                    "eku",
                    "a leafnode certificate serves on the hub and is presented by the remote; \
                     with only one of serverAuth and clientAuth it works on one side only",
                )
                .about(s)
                .fix("reissue with --usage dual"),
            );
        }
    }
    chain_findings(chain, role, &mut out);
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

fn validity_findings(info: &CertInfo, out: &mut Vec<Finding>) {
    let s = info.subject.as_str();
    match info.validity {
        Validity::Expired => out.push(
            Finding::new(
                Severity::Error,
                "expired",
                format!("{s} expired on {}", format_time(info.not_after)),
            )
            .about(s)
            .fix("renew it: tlsctl cert renew FILE"),
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
            .fix("renew it: tlsctl cert renew FILE"),
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
        validity_findings(cert, out);
        out.extend(key_and_signature_findings(cert, None));
        if let (Some(role), Some(ekus)) = (role, &cert.extended_key_usage) {
            let (server, client) = role.needs();
            let allows = |name: &str| ekus.iter().any(|e| e == name || e == "anyExtendedKeyUsage");
            let blocked: Vec<&str> = [(server, "serverAuth"), (client, "clientAuth")]
                .iter()
                .filter(|(need, name)| *need && !allows(name))
                .map(|(_, n)| *n)
                .collect();
            if cert.is_ca && !blocked.is_empty() {
                out.push(
                    Finding::new(
                        Severity::Error,
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
