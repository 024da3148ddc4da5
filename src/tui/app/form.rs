//! The forms that create a CA and issue a certificate, checked as the user
//! types with the rules the CLI applies.

use crate::ops::issue::{DEFAULT_DAYS, parse_sans};
use crate::pki::issue::{KeyType, Usage};
use crate::store::layout::check_name;
use time::OffsetDateTime;

/// A form field: free text, or one of a few choices.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub label: &'static str,
    pub value: String,
    pub choices: Option<&'static [&'static str]>,
    pub hint: &'static str,
    pub error: Option<String>,
    /// Where typing goes, in characters (clamped to the value).
    pub cursor: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormKind {
    Ca,
    Cert,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Form {
    pub kind: FormKind,
    pub fields: Vec<Field>,
    pub focus: usize,
    /// Why the last submit failed (the form comes back with its input).
    pub error: Option<String>,
}

/// The most days a form accepts (about 2,700 years).
pub const MAX_FORM_DAYS: i64 = 1_000_000;

/// What a form needs to know of a store CA.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownCa {
    pub name: String,
    /// Path length 0: it signs leaves, not other CAs.
    pub leaves_only: bool,
}

pub const YES_NO: &[&str] = &["no", "yes"];

impl Form {
    pub fn ca(default_parent: Option<&str>) -> Form {
        Form {
            kind: FormKind::Ca,
            fields: vec![
                field("Name", "", None, "store name: letters, digits, . _ -"),
                field(
                    "Parent",
                    default_parent.unwrap_or(""),
                    None,
                    "empty for a root; a store CA for an intermediate",
                ),
                field(
                    "Key type",
                    KeyType::EcdsaP256.name(),
                    Some(&KeyType::NAMES),
                    "← → to choose",
                ),
                field(
                    "Days",
                    "",
                    None,
                    "empty: 3650 for a root, 1825 for an intermediate",
                ),
                field("Common name", "", None, "empty: the name"),
                field("Organisation", "", None, "empty: tlsctl"),
                field(
                    "Path length",
                    "",
                    None,
                    "CAs allowed below it; empty: none (root), 0 (intermediate)",
                ),
                field(
                    "Not before",
                    "",
                    None,
                    "empty: now; a later date stages a standby (YYYY-MM-DD)",
                ),
            ],
            focus: 0,
            error: None,
        }
    }

    pub fn cert(default_ca: Option<&str>) -> Form {
        Form {
            kind: FormKind::Cert,
            fields: vec![
                field(
                    "SANs",
                    "",
                    None,
                    "DNS names, IPs, emails, URIs; space-separated",
                ),
                field(
                    "Usage",
                    Usage::Dual.name(),
                    Some(&Usage::NAMES),
                    "dual = serverAuth + clientAuth (NATS routes)",
                ),
                field(
                    "CA",
                    default_ca.unwrap_or(""),
                    None,
                    "empty: the CA \"default\" (created on first use)",
                ),
                field(
                    "Key type",
                    KeyType::EcdsaP256.name(),
                    Some(&KeyType::NAMES),
                    "← → to choose",
                ),
                field(
                    "Days",
                    &DEFAULT_DAYS.to_string(),
                    None,
                    "capped at the CA's expiry",
                ),
                field(
                    "Output dir",
                    "",
                    None,
                    "empty: the store; else DIR/cert.pem, key.pem, ca.pem",
                ),
                field(
                    "Chain",
                    "yes",
                    Some(YES_NO),
                    "the intermediates after the leaf (no: the leaf alone)",
                ),
            ],
            focus: 0,
            error: None,
        }
    }

    pub fn value(&self, label: &str) -> &str {
        self.fields
            .iter()
            .find(|f| f.label == label)
            .map_or("", |f| f.value.as_str())
    }

    /// Re-checks every field, with the same rules as the CLI.
    pub fn validate(&mut self, cas: &[KnownCa]) {
        let known = |name: &str| name.is_empty() || cas.iter().any(|c| c.name == name);
        for i in 0..self.fields.len() {
            let Some(f) = self.fields.get(i) else {
                continue;
            };
            let v = f.value.trim().to_owned();
            let error = match (self.kind, f.label) {
                (FormKind::Ca, "Name") => {
                    if v.is_empty() {
                        Some("a name is needed".to_owned())
                    } else if let Err(e) = check_name(&v) {
                        Some(e.to_string())
                    } else if cas.iter().any(|c| c.name == v) {
                        Some(format!("a CA named {v:?} exists"))
                    } else {
                        None
                    }
                }
                (_, "Parent") | (_, "CA") if !known(&v) => {
                    Some(format!("no CA named {v:?} in the store"))
                }
                (_, "Parent") => cas
                    .iter()
                    .any(|c| c.name == v && c.leaves_only)
                    .then(|| format!("{v} has path length 0: it signs leaves, not other CAs")),
                // At least a day, and well short of the year 9999 (the job
                // checks the exact end and the form comes back if it fails).
                (_, "Days") if !v.is_empty() => match v.parse::<i64>() {
                    Ok(1..=MAX_FORM_DAYS) => None,
                    Ok(d) if d > MAX_FORM_DAYS => Some(format!(
                        "at most {MAX_FORM_DAYS} days: certificates end by 9999-12-31"
                    )),
                    _ => Some("a whole number of days, 1 or more".to_owned()),
                },
                (FormKind::Ca, "Path length") if !v.is_empty() => match v.parse::<u8>() {
                    Ok(_) => None,
                    Err(_) => Some("a whole number from 0 to 255, or empty".to_owned()),
                },
                (FormKind::Ca, "Not before") if !v.is_empty() => parse_time(&v).err(),
                (FormKind::Cert, "SANs") => match parse_sans(&[v], true) {
                    Ok(sans) if sans.is_empty() => Some("at least one name".to_owned()),
                    Ok(_) => None,
                    Err(e) => Some(e.to_string()),
                },
                _ => None,
            };
            if let Some(f) = self.fields.get_mut(i) {
                f.error = error;
            }
        }
    }

    pub fn is_valid(&self) -> bool {
        self.fields.iter().all(|f| f.error.is_none())
    }
}

/// A time as the CLI's `--not-before` takes it: RFC 3339
/// (`2027-01-01T08:00:00Z`) or a date (`2027-01-01`, midnight UTC).
pub fn parse_time(text: &str) -> Result<OffsetDateTime, String> {
    crate::pki::expiry::parse_absolute(text)
        .ok_or_else(|| "a date (2027-01-01) or an RFC 3339 time (2027-01-01T08:00:00Z)".to_owned())
}

fn field(
    label: &'static str,
    value: &str,
    choices: Option<&'static [&'static str]>,
    hint: &'static str,
) -> Field {
    Field {
        label,
        value: value.to_owned(),
        choices,
        hint,
        error: None,
        cursor: value.chars().count(),
    }
}
