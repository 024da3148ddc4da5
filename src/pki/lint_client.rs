//! A client certificate without SANs, named by its subject alone
//! (`cert issue --usage client --cn alice`): an error for a server (Go
//! ignores the CN when matching a host), but fine for a client, since a
//! server that maps client certificates to users (NATS `verify_and_map`)
//! falls back to the subject DN when there is no email or DNS SAN.
//!
//! `lint::lint_chain` reports every SAN-less leaf as `cn-only`; this turns
//! that into an explanation when the certificate is linted as a client.
//! (It belongs in `lint.rs` itself; it lives here while that file has
//! another owner.)

use super::bundle::{Finding, Severity};
use super::cert::CertInfo;
use super::lint::Role;

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
                rfc2253(leaf)
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

/// The subject the way Go's `pkix.Name.String()` writes it (RFC 2253: the
/// last RDN first, comma-separated), which is what NATS matches users to.
/// tlsctl's subject text lists RDNs in certificate order, `, `-separated.
pub fn rfc2253(leaf: &CertInfo) -> String {
    let mut rdns: Vec<&str> = leaf.subject.split(", ").collect();
    rdns.reverse();
    rdns.join(",")
}
