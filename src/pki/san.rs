//! Subject alternative names from the text a user types: the kind comes from
//! the text (an IP address, an email with `@`, a URI with `://`, DNS
//! otherwise), and each kind is validated before anything is issued.

use std::net::IpAddr;

use thiserror::Error;

use super::cert::SanKind;

/// A validated SAN, ready to issue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SanSpec {
    /// Lowercase ASCII; Unicode names are converted to punycode.
    Dns(String),
    Ip(IpAddr),
    Email(String),
    Uri(String),
}

impl SanSpec {
    pub fn kind(&self) -> SanKind {
        match self {
            SanSpec::Dns(_) => SanKind::Dns,
            SanSpec::Ip(_) => SanKind::Ip,
            SanSpec::Email(_) => SanKind::Email,
            SanSpec::Uri(_) => SanKind::Uri,
        }
    }

    /// The value as it goes in the certificate.
    pub fn value(&self) -> String {
        match self {
            SanSpec::Dns(s) | SanSpec::Email(s) | SanSpec::Uri(s) => s.clone(),
            SanSpec::Ip(ip) => ip.to_string(),
        }
    }
}

impl std::fmt::Display for SanSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.kind().as_str(), self.value())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("SAN {text:?}: {reason}")]
pub struct SanError {
    pub text: String,
    pub reason: String,
}

fn err(text: &str, reason: impl Into<String>) -> SanError {
    SanError {
        text: text.to_owned(),
        reason: reason.into(),
    }
}

/// Parses one SAN from its text.
pub fn parse_san(text: &str) -> Result<SanSpec, SanError> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(err(text, "is empty"));
    }
    let unbracketed = trimmed
        .strip_prefix('[')
        .and_then(|s| s.strip_suffix(']'))
        .unwrap_or(trimmed);
    if let Ok(ip) = unbracketed.parse::<IpAddr>() {
        return Ok(SanSpec::Ip(ip));
    }
    if trimmed.contains("://") {
        return parse_uri(trimmed).map(SanSpec::Uri);
    }
    if let Some((local, domain)) = trimmed.rsplit_once('@') {
        if local.is_empty() || local.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(err(text, "is not an email address (bad local part)"));
        }
        if !local.is_ascii() {
            return Err(err(text, "email local parts must be ASCII"));
        }
        let domain = dns_name(domain, false).map_err(|reason| err(text, reason))?;
        return Ok(SanSpec::Email(format!("{local}@{domain}")));
    }
    dns_name(trimmed, true)
        .map(SanSpec::Dns)
        .map_err(|reason| err(text, reason))
}

fn parse_uri(text: &str) -> Result<String, SanError> {
    let Some((scheme, rest)) = text.split_once("://") else {
        return Err(err(text, "is not a URI"));
    };
    let scheme_ok = scheme
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    if !scheme_ok {
        return Err(err(text, format!("URI scheme {scheme:?} is not valid")));
    }
    if rest.is_empty() {
        return Err(err(text, "URI has nothing after ://"));
    }
    if !text.is_ascii() || text.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(err(
            text,
            "URIs must be ASCII without spaces (percent-encode them)",
        ));
    }
    Ok(text.to_owned())
}

/// Validates a DNS name (converting Unicode to punycode), allowing a
/// wildcard only as the whole leftmost label when `wildcard` is true.
fn dns_name(text: &str, wildcard: bool) -> Result<String, String> {
    let name = text.strip_suffix('.').unwrap_or(text);
    if name.is_empty() {
        return Err("is not a DNS name".to_owned());
    }
    let (star, rest) = match name.strip_prefix("*.") {
        Some(rest) if wildcard => (true, rest),
        Some(_) => return Err("wildcards are not allowed here".to_owned()),
        None => (false, name),
    };
    if rest.contains('*') {
        return Err(
            "a wildcard is only allowed as the whole leftmost label (*.example.com)".to_owned(),
        );
    }
    let ascii = if rest.is_ascii() {
        rest.to_ascii_lowercase()
    } else {
        idna::domain_to_ascii(rest)
            .map_err(|_| "is not a valid internationalised domain name".to_owned())?
    };
    let labels: Vec<&str> = ascii.split('.').collect();
    for label in &labels {
        if label.is_empty() {
            return Err("has an empty label (two dots in a row?)".to_owned());
        }
        if label.len() > 63 {
            return Err(format!("label {label:?} is longer than 63 characters"));
        }
        if let Some(c) = label
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || *c == '-'))
        {
            return Err(format!(
                "{c:?} is not allowed in a DNS name (letters, digits and hyphens only)"
            ));
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Err(format!("label {label:?} starts or ends with a hyphen"));
        }
    }
    if labels
        .last()
        .is_some_and(|tld| tld.chars().all(|c| c.is_ascii_digit()))
    {
        return Err("looks like an IP address but is not a valid one".to_owned());
    }
    if star && labels.len() < 2 {
        return Err("a wildcard needs at least two labels after it (*.example.com)".to_owned());
    }
    let full = if star { format!("*.{ascii}") } else { ascii };
    if full.len() > 253 {
        return Err("is longer than 253 characters".to_owned());
    }
    Ok(full)
}

/// A name for files and the store from the first SAN: `*.example.com`
/// becomes `wildcard.example.com`, `::1` becomes `__1`.
pub fn file_name_for(san: &SanSpec) -> String {
    file_name_of(&san.value())
}

/// A file or record name from any text (a SAN's value, a client's CN):
/// `*.` becomes `wildcard.`, anything but letters, digits, `.`, `-`, `_`
/// becomes `_`.
pub fn file_name_of(text: &str) -> String {
    let value = text.replacen("*.", "wildcard.", 1);
    value
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(text: &str) -> SanSpec {
        parse_san(text).unwrap()
    }

    fn reason(text: &str) -> String {
        parse_san(text).unwrap_err().reason
    }

    #[test]
    fn kind_comes_from_the_text() {
        assert_eq!(ok("127.0.0.1"), SanSpec::Ip("127.0.0.1".parse().unwrap()));
        assert_eq!(ok("::1"), SanSpec::Ip("::1".parse().unwrap()));
        assert_eq!(ok("[fe80::1]"), SanSpec::Ip("fe80::1".parse().unwrap()));
        assert_eq!(
            ok("ops@example.com"),
            SanSpec::Email("ops@example.com".into())
        );
        assert_eq!(
            ok("spiffe://cluster/ns/nats"),
            SanSpec::Uri("spiffe://cluster/ns/nats".into())
        );
        assert_eq!(
            ok("Node-A.Example.COM"),
            SanSpec::Dns("node-a.example.com".into())
        );
        assert_eq!(ok("localhost"), SanSpec::Dns("localhost".into()));
        assert_eq!(ok("example.com."), SanSpec::Dns("example.com".into()));
    }

    #[test]
    fn unicode_names_become_punycode() {
        assert_eq!(
            ok("bücher.example"),
            SanSpec::Dns("xn--bcher-kva.example".into())
        );
        assert_eq!(
            ok("*.bücher.example"),
            SanSpec::Dns("*.xn--bcher-kva.example".into())
        );
    }

    #[test]
    fn wildcards_only_as_the_whole_leftmost_label() {
        assert_eq!(ok("*.example.com"), SanSpec::Dns("*.example.com".into()));
        assert!(reason("a.*.example.com").contains("whole leftmost label"));
        assert!(reason("f*.example.com").contains("whole leftmost label"));
        assert!(reason("*.com").contains("at least two labels"));
        assert!(reason("ops@*.example.com").contains("not allowed"));
    }

    #[test]
    fn bad_dns_names_are_refused_with_the_reason() {
        assert!(reason("-bad.example.com").contains("hyphen"));
        assert!(reason("bad-.example.com").contains("hyphen"));
        assert!(reason("a..b").contains("empty label"));
        assert!(reason("under_score.example").contains("'_' is not allowed"));
        assert!(reason(&format!("{}.com", "a".repeat(64))).contains("longer than 63"));
        assert!(reason(&format!("{}.com", vec!["a".repeat(60); 5].join("."))).contains("253"));
        assert!(reason("10.0.0.300").contains("looks like an IP address"));
        assert!(reason("has space.example").contains("not allowed"));
        assert!(reason("").contains("empty"));
    }

    #[test]
    fn bad_uris_and_emails_are_refused() {
        assert!(reason("1http://x").contains("scheme"));
        assert!(reason("http://").contains("nothing after"));
        assert!(reason("http://a b").contains("ASCII without spaces"));
        assert!(reason("@example.com").contains("local part"));
    }

    #[test]
    fn file_names_are_safe() {
        assert_eq!(file_name_for(&ok("*.example.com")), "wildcard.example.com");
        assert_eq!(file_name_for(&ok("::1")), "__1");
        assert_eq!(file_name_for(&ok("spiffe://a/b")), "spiffe___a_b");
    }
}
