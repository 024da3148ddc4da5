//! Names as Go's verify.go matches them: name constraints
//! (matchDomainConstraint, matchEmailConstraint, matchURIConstraint,
//! matchIPConstraint) and VerifyHostname.

use std::net::IpAddr;

use super::gocert::{Constraints, GoCert, domain_to_reverse_labels, parse_mailbox, uri_host};

const MAX_CONSTRAINT_COMPARISONS: usize = 250_000;

/// Go's matchDomainConstraint.
pub fn match_domain(domain: &str, constraint: &str) -> Result<bool, String> {
    if constraint.is_empty() {
        return Ok(true);
    }
    let domain_labels = domain_to_reverse_labels(domain)
        .filter(|l| !l.is_empty())
        .ok_or_else(|| format!("x509: internal error: cannot parse domain {domain:?}"))?;
    let (must_have_subdomains, constraint) = match constraint.strip_prefix('.') {
        Some(rest) => (true, rest),
        None => (false, constraint),
    };
    let constraint_labels = domain_to_reverse_labels(constraint)
        .filter(|l| !l.is_empty())
        .ok_or_else(|| format!("x509: internal error: cannot parse domain {constraint:?}"))?;
    if domain_labels.len() < constraint_labels.len()
        || (must_have_subdomains && domain_labels.len() == constraint_labels.len())
    {
        return Ok(false);
    }
    Ok(constraint_labels
        .iter()
        .zip(domain_labels.iter())
        .all(|(c, d)| c.eq_ignore_ascii_case(d)))
}

fn match_email(mailbox: &(String, String), constraint: &str) -> Result<bool, String> {
    if constraint.contains('@') {
        let c = parse_mailbox(constraint).ok_or_else(|| {
            format!("x509: internal error: cannot parse constraint {constraint:?}")
        })?;
        return Ok(mailbox.0 == c.0 && mailbox.1.eq_ignore_ascii_case(&c.1));
    }
    match_domain(&mailbox.1, constraint)
}

fn match_uri(uri: &str, constraint: &str) -> Result<bool, String> {
    let host = uri_host(uri).unwrap_or_default();
    if host.is_empty() {
        return Err(format!(
            "URI with empty host ({uri:?}) cannot be matched against constraints"
        ));
    }
    if host.parse::<IpAddr>().is_ok() || uri.contains("://[") {
        return Err(format!(
            "URI with IP ({uri:?}) cannot be matched against constraints"
        ));
    }
    match_domain(host, constraint)
}

fn match_ip(ip: &[u8], (net, mask): &(Vec<u8>, Vec<u8>)) -> bool {
    ip.len() == net.len()
        && ip
            .iter()
            .zip(net.iter().zip(mask.iter()))
            .all(|(a, (n, m))| a & m == n & m)
}

fn ip_text(ip: &[u8]) -> String {
    match ip.len() {
        4 => {
            let b: [u8; 4] = ip.try_into().unwrap_or_default();
            std::net::Ipv4Addr::from(b).to_string()
        }
        16 => {
            let b: [u8; 16] = ip.try_into().unwrap_or_default();
            let v6 = std::net::Ipv6Addr::from(b);
            // Go prints IPv4-mapped addresses as IPv4.
            v6.to_ipv4_mapped()
                .map_or_else(|| v6.to_string(), |v4| v4.to_string())
        }
        _ => hex::encode(ip),
    }
}

fn cidr_text((net, mask): &(Vec<u8>, Vec<u8>)) -> String {
    let ones: u32 = mask.iter().map(|b| b.count_ones()).sum();
    format!("{}/{ones}", ip_text(net))
}

/// Go's checkNameConstraints for one name: Err(detail) with Go's words.
fn check<T>(
    kind: &str,
    name: &str,
    parsed: &T,
    permitted: &[String],
    excluded: &[String],
    matches: impl Fn(&T, &str) -> Result<bool, String>,
) -> Result<(), String> {
    for c in excluded {
        if matches(parsed, c)? {
            return Err(format!("{kind} {name:?} is excluded by constraint {c:?}"));
        }
    }
    let mut ok = true;
    for c in permitted {
        ok = matches(parsed, c)?;
        if ok {
            break;
        }
    }
    if !ok {
        return Err(format!(
            "{kind} {name:?} is not permitted by any constraint"
        ));
    }
    Ok(())
}

/// The names of `san_cert` checked against `ca`'s constraints, as isValid
/// does for an intermediate or root: Err(detail), Go's CANotAuthorizedForThisName.
pub fn check_constraints(ca: &GoCert, san_cert: &GoCert, count: &mut usize) -> Result<(), String> {
    let (p, x): (&Constraints, &Constraints) = (&ca.permitted, &ca.excluded);
    for (tag, data) in &san_cert.sans {
        // Go's MaxConstraintComparisions default: a bound on the work a
        // hostile certificate can cause (Go's error text for it is this).
        *count += match tag {
            1 => p.emails.len() + x.emails.len(),
            2 => p.dns.len() + x.dns.len(),
            6 => p.uris.len() + x.uris.len(),
            7 => p.ips.len() + x.ips.len(),
            _ => 0,
        };
        if *count > MAX_CONSTRAINT_COMPARISONS {
            return Err("x509: unknown error".to_owned());
        }
        let text = String::from_utf8_lossy(data).into_owned();
        match tag {
            1 => {
                let mailbox = parse_mailbox(&text)
                    .ok_or_else(|| format!("x509: cannot parse rfc822Name {text:?}"))?;
                check(
                    "email address",
                    &text,
                    &mailbox,
                    &p.emails,
                    &x.emails,
                    match_email,
                )?;
            }
            2 => {
                if domain_to_reverse_labels(&text).is_none_or(|l| l.is_empty()) {
                    return Err(format!("x509: cannot parse dnsName {text:?}"));
                }
                check("DNS name", &text, &text, &p.dns, &x.dns, |d, c| {
                    match_domain(d, c)
                })?;
            }
            6 => {
                check("URI", &text, &text, &p.uris, &x.uris, |u, c| {
                    match_uri(u, c)
                })?;
            }
            7 => {
                let name = ip_text(data);
                for c in &x.ips {
                    if match_ip(data, c) {
                        return Err(format!(
                            "IP address {name:?} is excluded by constraint {:?}",
                            cidr_text(c)
                        ));
                    }
                }
                if !p.ips.is_empty() && !p.ips.iter().any(|c| match_ip(data, c)) {
                    return Err(format!(
                        "IP address {name:?} is not permitted by any constraint"
                    ));
                }
            }
            _ => {}
        }
    }
    Ok(())
}

fn valid_hostname(host: &str, pattern: bool) -> bool {
    let host = if pattern {
        host
    } else {
        host.strip_suffix('.').unwrap_or(host)
    };
    if host.is_empty() {
        return false;
    }
    host.split('.').enumerate().all(|(i, part)| {
        !part.is_empty()
            && ((pattern && i == 0 && part == "*")
                || part
                    .char_indices()
                    .all(|(j, c)| c.is_ascii_alphanumeric() || (c == '-' && j != 0) || c == '_'))
    })
}

fn match_hostnames(pattern: &str, host: &str) -> bool {
    let pattern = pattern.to_ascii_lowercase();
    let host = host.strip_suffix('.').unwrap_or(host).to_ascii_lowercase();
    if pattern.is_empty() || host.is_empty() {
        return false;
    }
    let p: Vec<&str> = pattern.split('.').collect();
    let h: Vec<&str> = host.split('.').collect();
    p.len() == h.len()
        && p.iter()
            .zip(h.iter())
            .enumerate()
            .all(|(i, (a, b))| (i == 0 && *a == "*") || a == b)
}

fn match_exactly(a: &str, b: &str) -> bool {
    !(a.is_empty() || a == "." || b.is_empty() || b == ".") && a.eq_ignore_ascii_case(b)
}

/// Go's VerifyHostname: Err(Go's HostnameError text).
pub fn verify_hostname(cert: &GoCert, h: &str) -> Result<(), String> {
    let candidate_ip = h
        .strip_prefix('[')
        .and_then(|s| s.strip_suffix(']'))
        .filter(|_| h.len() >= 3)
        .unwrap_or(h);
    if let Ok(ip) = candidate_ip.parse::<IpAddr>() {
        let want: Vec<u8> = match ip {
            IpAddr::V4(v4) => v4.octets().to_vec(),
            IpAddr::V6(v6) => v6.octets().to_vec(),
        };
        let v4_in_v6 = |x: &[u8]| -> Vec<u8> {
            if x.len() == 16 && x.starts_with(&[0; 10]) && x.get(10..12) == Some(&[0xff, 0xff]) {
                x.get(12..).unwrap_or_default().to_vec()
            } else {
                x.to_vec()
            }
        };
        if cert.ip_addresses().any(|c| v4_in_v6(c) == v4_in_v6(&want)) {
            return Ok(());
        }
        let ips: Vec<String> = cert.ip_addresses().map(ip_text).collect();
        if !cert.has_san
            && cert
                .common_name
                .as_deref()
                .is_some_and(|cn| match_hostnames(cn, candidate_ip))
        {
            return Err(
                "x509: certificate relies on legacy Common Name field, use SANs instead".to_owned(),
            );
        }
        if ips.is_empty() {
            return Err(format!(
                "x509: cannot validate certificate for {candidate_ip} because it doesn't contain any IP SANs"
            ));
        }
        return Err(format!(
            "x509: certificate is valid for {}, not {candidate_ip}",
            ips.join(", ")
        ));
    }
    let candidate = h.to_ascii_lowercase();
    let valid_candidate = valid_hostname(&candidate, false);
    for name in cert.dns_names() {
        let ok = if valid_candidate && valid_hostname(name, true) {
            match_hostnames(name, &candidate)
        } else {
            match_exactly(name, &candidate)
        };
        if ok {
            return Ok(());
        }
    }
    if !cert.has_san
        && cert
            .common_name
            .as_deref()
            .is_some_and(|cn| match_hostnames(cn, h))
    {
        return Err(
            "x509: certificate relies on legacy Common Name field, use SANs instead".to_owned(),
        );
    }
    let names: Vec<&str> = cert.dns_names().collect();
    if names.is_empty() {
        return Err(format!(
            "x509: certificate is not valid for any names, but wanted to match {h}"
        ));
    }
    Err(format!(
        "x509: certificate is valid for {}, not {h}",
        names.join(", ")
    ))
}
