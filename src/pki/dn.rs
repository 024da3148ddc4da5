//! Distinguished names as Go prints them: the subject string nats-server
//! maps a certificate to a user by (`verify_and_map`), and the names its
//! `checkClientTLSCertSubject` tries. Used by lint's CN-only explanation,
//! `nats check` and `nats config`.

use x509_parser::der_parser::asn1_rs::Tag;
use x509_parser::prelude::FromDer;
use x509_parser::x509::{AttributeTypeAndValue, X509Name};

use super::cert::CertInfo;

/// The subject as nats-server names it when it maps a certificate to a
/// user: Go's `cert.Subject.ToRDNSequence().String()` (RFC 2253: the last
/// RDN first, comma-separated, values escaped). Go rebuilds the sequence
/// from the parsed name, so only C, ST, L, STREET, POSTALCODE, O, OU, CN and
/// SERIALNUMBER survive, in that fixed order (several values of one type
/// become one multi-valued RDN, the last CN wins); other attributes
/// (emailAddress, DC, UID) are dropped. tlsctl's own subject text lists RDNs
/// in certificate order, `, `-separated.
pub fn rfc2253(leaf: &CertInfo) -> String {
    go_rdn_string(&leaf.subject_der).unwrap_or_else(|| {
        let mut rdns: Vec<&str> = leaf.subject.split(", ").collect();
        rdns.reverse();
        rdns.join(",")
    })
}

/// The subject names nats-server's `checkClientTLSCertSubject` tries, in its
/// order: with domain components (`RDN,DC=a,DC=b`, their certificate order)
/// when the subject has some, then the RDN string alone. Empty when the
/// subject is empty. (A client block also matches a user whose name parses
/// as the same DN in another order; cluster and gateway maps compare these
/// strings with `authorization.user`.)
pub fn subject_map_names(leaf: &CertInfo) -> Vec<String> {
    let Ok((_, name)) = X509Name::from_der(&leaf.subject_der) else {
        return vec![rfc2253(leaf)];
    };
    if name.iter().all(|rdn| rdn.iter().next().is_none()) {
        return Vec::new();
    }
    let rdn = rfc2253(leaf);
    let dcs: Vec<String> = name
        .iter()
        .flat_map(|r| r.iter())
        .filter(|a| a.attr_type().to_id_string() == "0.9.2342.19200300.100.1.25")
        .filter_map(|a| go_string(a))
        .map(|v| format!("DC={v}"))
        .collect();
    let mut out = Vec::new();
    if !dcs.is_empty() {
        out.push(format!("{rdn},{}", dcs.join(",")));
    }
    out.push(rdn);
    out
}

/// The value Go's asn1 decodes an attribute into, when it is a string.
fn go_string(a: &AttributeTypeAndValue<'_>) -> Option<String> {
    if let Ok(s) = a.as_str() {
        return Some(s.to_owned());
    }
    let any = a.attr_value();
    match any.tag() {
        Tag::T61String => Some(any.data.iter().map(|&b| char::from(b)).collect()),
        Tag::BmpString => {
            let units: Vec<u16> = any
                .data
                .chunks_exact(2)
                .map(|c| u16::from_be_bytes([c[0], c[1]]))
                .collect();
            String::from_utf16(&units).ok()
        }
        _ => None,
    }
}

/// Go's `Name.ToRDNSequence().String()` of a DER-encoded Name.
fn go_rdn_string(der: &[u8]) -> Option<String> {
    let (_, name) = X509Name::from_der(der).ok()?;
    // FillFromRDNSequence: the 2.5.4.x attributes Go knows, by type.
    const ORDER: [(&str, &str); 9] = [
        ("2.5.4.6", "C"),
        ("2.5.4.8", "ST"),
        ("2.5.4.7", "L"),
        ("2.5.4.9", "STREET"),
        ("2.5.4.17", "POSTALCODE"),
        ("2.5.4.10", "O"),
        ("2.5.4.11", "OU"),
        ("2.5.4.3", "CN"),
        ("2.5.4.5", "SERIALNUMBER"),
    ];
    let mut values: Vec<Vec<String>> = vec![Vec::new(); ORDER.len()];
    for atv in name.iter().flat_map(|r| r.iter()) {
        let oid = atv.attr_type().to_id_string();
        let Some(i) = ORDER.iter().position(|(o, _)| *o == oid) else {
            continue;
        };
        let Some(v) = go_string(atv) else { continue };
        if ORDER[i].1 == "CN" || ORDER[i].1 == "SERIALNUMBER" {
            values[i] = vec![v];
        } else {
            values[i].push(v);
        }
    }
    let rdns: Vec<String> = ORDER
        .iter()
        .zip(&values)
        .filter(|(_, v)| !v.is_empty())
        .map(|((_, ty), v)| {
            v.iter()
                .map(|v| format!("{ty}={}", go_escape(v)))
                .collect::<Vec<_>>()
                .join("+")
        })
        .collect();
    Some(rdns.into_iter().rev().collect::<Vec<_>>().join(","))
}

/// RDNSequence.String's escaping of a value.
fn go_escape(v: &str) -> String {
    let last = v.len().saturating_sub(1);
    let mut out = String::with_capacity(v.len());
    for (k, c) in v.char_indices() {
        let escape = match c {
            ',' | '+' | '"' | '\\' | '<' | '>' | ';' => true,
            ' ' => k == 0 || k == last,
            '#' => k == 0,
            _ => false,
        };
        if escape {
            out.push('\\');
        }
        out.push(c);
    }
    out
}
