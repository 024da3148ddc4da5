//! The forms that create a CA, issue a certificate, sign a request, import
//! a CA, write a PKCS#12 file and rehearse a replacement in the fleet
//! view, checked as the user types with the rules the CLI applies.

use crate::ops::issue::{DEFAULT_DAYS, parse_sans};
use crate::pki::issue::{KeyType, Usage};
use crate::store::layout::check_name;
use time::OffsetDateTime;

/// A form field: free text, or one of a few choices.
#[derive(Clone, PartialEq, Eq)]
pub struct Field {
    pub label: &'static str,
    pub value: String,
    pub choices: Option<&'static [&'static str]>,
    pub hint: &'static str,
    pub error: Option<String>,
    /// Where typing goes, in characters (clamped to the value).
    pub cursor: usize,
    /// A password: drawn masked, left out of `Debug`.
    pub secret: bool,
}

impl std::fmt::Debug for Field {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Field")
            .field("label", &self.label)
            .field(
                "value",
                &if self.secret {
                    "(secret)"
                } else {
                    self.value.as_str()
                },
            )
            .field("error", &self.error)
            .finish_non_exhaustive()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormKind {
    Ca,
    Cert,
    /// `cert sign`: a CSR signed by a store CA.
    Sign,
    /// `ca import`: an existing CA into the store.
    Import,
    /// `cert p12`: a certificate and its key as a PKCS#12 file.
    P12,
    /// The fleet view's `--replace PATH=NEWPATH`.
    Replace,
}

impl FormKind {
    pub fn title(self) -> &'static str {
        match self {
            FormKind::Ca => " Create a CA ",
            FormKind::Cert => " Issue a certificate ",
            FormKind::Sign => " Sign a certificate request (CSR) ",
            FormKind::Import => " Import a CA into the store ",
            FormKind::P12 => " Write a PKCS#12 (.p12) file ",
            FormKind::Replace => " Rehearse a replacement (nats check --replace) ",
        }
    }

    /// What the status line says while the form's job runs.
    pub fn working(self) -> &'static str {
        match self {
            FormKind::Ca => "creating the CA...",
            FormKind::Cert => "issuing the certificate...",
            FormKind::Sign => "signing the request...",
            FormKind::Import => "importing the CA...",
            FormKind::P12 => "writing the PKCS#12 file...",
            FormKind::Replace => "checking the fleet...",
        }
    }

    /// Fields that must not be empty.
    fn required(self) -> &'static [&'static str] {
        match self {
            FormKind::Sign => &["CSR", "Output"],
            FormKind::Import => &["Certificate", "Key"],
            FormKind::P12 => &["Certificate", "Key", "Output"],
            _ => &[],
        }
    }
}

/// The protections `cert p12` writes.
pub const P12_PROTECTIONS: &[&str] = &["modern", "legacy"];

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

    /// `tlsctl cert sign`: the request, the CA (the selected one), usage,
    /// days, where the certificate goes, the chain, SANs that replace the
    /// request's.
    pub fn sign(default_ca: Option<&str>) -> Form {
        Form {
            kind: FormKind::Sign,
            fields: vec![
                field("CSR", "", None, "the request file (PEM or DER)"),
                field(
                    "CA",
                    default_ca.unwrap_or(""),
                    None,
                    "empty: the CA \"default\" (created on first use)",
                ),
                field(
                    "Usage",
                    Usage::Dual.name(),
                    Some(&Usage::NAMES),
                    "dual = serverAuth + clientAuth (NATS routes)",
                ),
                field(
                    "Days",
                    &DEFAULT_DAYS.to_string(),
                    None,
                    "capped at the CA's expiry",
                ),
                field(
                    "Output",
                    "",
                    None,
                    "a file (cert.pem), or DIR/ for DIR/cert.pem and ca.pem",
                ),
                field(
                    "Chain",
                    "no",
                    Some(YES_NO),
                    "the CA's intermediates after the leaf",
                ),
                field(
                    "SANs",
                    "",
                    None,
                    "empty: the request's; else these replace them",
                ),
            ],
            focus: 0,
            error: None,
        }
    }

    /// `tlsctl ca import NAME --cert F --key F [--chain F]`.
    pub fn import() -> Form {
        let mut password = field(
            "Key password",
            "",
            None,
            "only for an encrypted key (ENCRYPTED PRIVATE KEY)",
        );
        password.secret = true;
        Form {
            kind: FormKind::Import,
            fields: vec![
                field("Name", "", None, "store name: letters, digits, . _ -"),
                field(
                    "Certificate",
                    "",
                    None,
                    "the CA certificate (certificates after it are its chain)",
                ),
                field("Key", "", None, "its private key (PKCS#8, PKCS#1 or SEC1)"),
                field(
                    "Chain",
                    "",
                    None,
                    "empty, or the certificates above it when its issuer is not in the store",
                ),
                password,
            ],
            focus: 0,
            error: None,
        }
    }

    /// `tlsctl cert p12` of an issued certificate: its files, the output,
    /// the password twice (masked).
    pub fn p12(cert: &str, key: &str, out: &str) -> Form {
        let mut password = field(
            "Password",
            "",
            None,
            "typed twice, never shown; empty: anyone with the file has the key",
        );
        password.secret = true;
        let mut again = field("Again", "", None, "the password again");
        again.secret = true;
        Form {
            kind: FormKind::P12,
            fields: vec![
                field(
                    "Certificate",
                    cert,
                    None,
                    "the leaf, and its chain after it",
                ),
                field("Key", key, None, "its private key"),
                field("Output", out, None, "the .p12 file to write (0600)"),
                password,
                again,
                field(
                    "Protection",
                    "modern",
                    Some(P12_PROTECTIONS),
                    "modern: AES-256, PBKDF2; legacy: 3DES for old readers",
                ),
                field("Alias", "", None, "the entry's name; empty: the CN"),
            ],
            focus: 0,
            error: None,
        }
    }

    /// The fleet's replacements, as `--replace` takes them.
    pub fn replace(current: &[(std::path::PathBuf, std::path::PathBuf)]) -> Form {
        let text = current
            .iter()
            .map(|(a, b)| format!("{}={}", a.display(), b.display()))
            .collect::<Vec<_>>()
            .join(" ");
        Form {
            kind: FormKind::Replace,
            fields: vec![field(
                "Replace",
                &text,
                None,
                "PATH=NEWPATH, space-separated; empty: as configured",
            )],
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
        let password = self.value("Password").to_owned();
        for i in 0..self.fields.len() {
            let Some(f) = self.fields.get(i) else {
                continue;
            };
            let v = f.value.trim().to_owned();
            let error = match (self.kind, f.label) {
                (kind, label) if v.is_empty() && kind.required().contains(&label) => {
                    Some("a path is needed".to_owned())
                }
                (FormKind::P12, "Again") => {
                    (f.value != password).then(|| "the passwords differ".to_owned())
                }
                (FormKind::Replace, "Replace") => parse_replacements(&v).err(),
                (FormKind::Sign, "SANs") if !v.is_empty() => {
                    parse_sans(&[v], true).err().map(|e| e.to_string())
                }
                (FormKind::Ca | FormKind::Import, "Name") => {
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
        secret: false,
    }
}

/// `PATH=NEWPATH` pairs, space-separated, as `--replace` takes each.
pub fn parse_replacements(
    text: &str,
) -> Result<Vec<(std::path::PathBuf, std::path::PathBuf)>, String> {
    text.split_whitespace()
        .map(|pair| match pair.split_once('=') {
            Some((a, b)) if !a.is_empty() && !b.is_empty() => Ok((a.into(), b.into())),
            _ => Err(format!("{pair:?} is not PATH=NEWPATH")),
        })
        .collect()
}
