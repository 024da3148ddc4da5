//! The one renderer of item details: `tlsctl inspect` prints these lines and
//! the TUI's detail pane draws them. Each line carries a tone, which the CLI
//! turns into ANSI colour and the TUI into a style.

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::cert::{BasicConstraints, CertInfo, CsrInfo, KeyInfo, San, Validity};
use super::pin::fingerprint_display;

/// "1 certificate", "2 certificates": a count with its noun, for headings.
pub fn counted(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

pub use super::text::escape_controls;

/// Cuts `s` to `width`, with an ellipsis (for table cells). Widths are
/// display columns (a CJK character takes two), not characters.
pub fn fit(s: &str, width: usize) -> String {
    use unicode_width::UnicodeWidthChar;
    if display_width(s) <= width {
        return s.to_owned();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        used += w;
        out.push(c);
    }
    out.push('…');
    out
}

/// How many terminal columns `s` takes.
pub fn display_width(s: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(s)
}

/// `s` padded with spaces to `width` display columns (left-aligned).
pub fn pad(s: &str, width: usize) -> String {
    let mut out = s.to_owned();
    out.extend(std::iter::repeat_n(
        ' ',
        width.saturating_sub(display_width(s)),
    ));
    out
}

/// How a value should stand out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Normal,
    Good,
    Warn,
    Bad,
    Dim,
    /// The value people copy: the pin.
    Key,
}

/// One `label: value` line, with an optional explanation after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DetailLine {
    pub label: &'static str,
    pub value: String,
    pub tone: Tone,
    pub note: Option<&'static str>,
}

impl DetailLine {
    fn new(label: &'static str, value: impl Into<String>) -> Self {
        DetailLine {
            label,
            value: value.into(),
            tone: Tone::Normal,
            note: None,
        }
    }

    fn tone(mut self, tone: Tone) -> Self {
        self.tone = tone;
        self
    }

    fn note(mut self, note: &'static str) -> Self {
        self.note = Some(note);
        self
    }
}

/// `2026-11-22 14:03:00 UTC`.
pub fn format_time(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02} UTC",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// RFC 3339, for machine output.
pub fn format_rfc3339(t: OffsetDateTime) -> String {
    t.format(&Rfc3339).unwrap_or_else(|_| t.to_string())
}

/// A duration in the words people use for it, rounded down to the largest
/// unit that is at least one: "3 days", "23 hours", "1 minute", "0 seconds".
pub fn duration_words(d: time::Duration) -> String {
    let s = d.whole_seconds().abs();
    let (n, unit) = if s >= 86_400 {
        (s / 86_400, "day")
    } else if s >= 3600 {
        (s / 3600, "hour")
    } else if s >= 60 {
        (s / 60, "minute")
    } else {
        (s, "second")
    };
    if n == 1 {
        format!("1 {unit}")
    } else {
        format!("{n} {unit}s")
    }
}

/// The tone of an expiry: expired or not yet valid is bad, under 30 days a
/// warning.
pub fn expiry_tone(validity: Validity, days_left: i64) -> Tone {
    match validity {
        Validity::Expired => Tone::Bad,
        // A staged standby is planned, not trouble.
        Validity::NotYetValid => Tone::Dim,
        Validity::Valid if days_left < 30 => Tone::Warn,
        Validity::Valid => Tone::Good,
    }
}

/// "40 days left", "expired 3 days ago", "not valid until ...".
pub fn expiry_phrase(info: &CertInfo) -> String {
    match info.validity {
        Validity::Expired => {
            let ago = -info.days_left;
            match ago {
                0 => "expired today".to_owned(),
                1 => "expired 1 day ago".to_owned(),
                n => format!("expired {n} days ago"),
            }
        }
        Validity::NotYetValid => format!("not valid until {}", format_time(info.not_before)),
        // Less than a day: hours (or minutes), not "0 days".
        Validity::Valid if info.days_left == 0 => format!(
            "{} left",
            duration_words(time::Duration::seconds(info.seconds_left))
        ),
        Validity::Valid => match info.days_left {
            1 => "1 day left".to_owned(),
            n => format!("{n} days left"),
        },
    }
}

pub fn sans_text(sans: &[San]) -> String {
    if sans.is_empty() {
        return "(none)".to_owned();
    }
    sans.iter()
        .map(|s| format!("{}:{}", s.kind.as_str(), s.value))
        .collect::<Vec<_>>()
        .join(", ")
}

fn basic_constraints_text(bc: Option<BasicConstraints>) -> String {
    match bc {
        None => "(absent)".to_owned(),
        Some(bc) => {
            let mut s = if bc.ca { "CA:TRUE" } else { "CA:FALSE" }.to_owned();
            if let Some(n) = bc.path_len {
                s.push_str(&format!(", pathlen:{n}"));
            }
            if bc.critical {
                s.push_str(" (critical)");
            }
            s
        }
    }
}

fn list_or(list: &Option<Vec<String>>, absent: &str) -> String {
    match list {
        None => absent.to_owned(),
        Some(l) if l.is_empty() => "(empty)".to_owned(),
        Some(l) => l.join(", "),
    }
}

/// The detail lines of a certificate.
pub fn cert_details(info: &CertInfo) -> Vec<DetailLine> {
    let role = if info.is_ca {
        if info.self_signed {
            "root CA"
        } else {
            "intermediate CA"
        }
    } else {
        "leaf"
    };
    vec![
        DetailLine::new("Subject", &info.subject),
        DetailLine::new("Issuer", &info.issuer),
        DetailLine::new("Role", role),
        DetailLine::new("Serial", &info.serial).tone(Tone::Dim),
        DetailLine::new("Not before", format_time(info.not_before)),
        DetailLine::new(
            "Not after",
            format!("{} ({})", format_time(info.not_after), expiry_phrase(info)),
        )
        .tone(expiry_tone(info.validity, info.days_left)),
        DetailLine::new("SANs", sans_text(&info.sans)),
        DetailLine::new("Key usage", list_or(&info.key_usage, "(absent)")),
        DetailLine::new(
            "Extended key usage",
            list_or(&info.extended_key_usage, "(absent: any usage)"),
        ),
        DetailLine::new("Basic constraints", basic_constraints_text(info.basic_constraints)),
        DetailLine::new("Key", info.key.describe()),
        DetailLine::new("Signature", &info.signature_algorithm),
        DetailLine::new(
            "Subject key ID",
            info.subject_key_id.as_deref().unwrap_or("(absent)"),
        )
        .tone(Tone::Dim),
        DetailLine::new(
            "Authority key ID",
            info.authority_key_id.as_deref().unwrap_or("(absent)"),
        )
        .tone(Tone::Dim),
        DetailLine::new("Fingerprint", fingerprint_display(&info.fingerprint_sha256))
            .tone(Tone::Dim)
            .note("SHA-256 of the whole certificate, as openssl and NATS logs show it; not the pin"),
        DetailLine::new("SPKI pin", &info.pin_sha256)
            .tone(Tone::Key)
            .note("SHA-256 of the public key: the NATS pinned_certs value; kept by a renewal with the same key"),
    ]
}

/// The detail lines of a key (private or public).
pub fn key_details(key: &KeyInfo, pin: &str, private: bool) -> Vec<DetailLine> {
    let mut lines = vec![DetailLine::new("Key", key.describe())];
    if private {
        lines.push(
            DetailLine::new("Private", "yes (key material is never printed)").tone(Tone::Warn),
        );
    }
    lines.push(
        DetailLine::new("SPKI pin", pin)
            .tone(Tone::Key)
            .note("the pinned_certs value of any certificate issued for this key"),
    );
    lines
}

/// The detail lines of a CSR.
pub fn csr_details(info: &CsrInfo) -> Vec<DetailLine> {
    vec![
        DetailLine::new("Subject", &info.subject),
        DetailLine::new("SANs", sans_text(&info.sans)),
        DetailLine::new("Key", info.key.describe()),
        DetailLine::new("Signature", &info.signature_algorithm),
        DetailLine::new("SPKI pin", &info.pin_sha256)
            .tone(Tone::Key)
            .note("the pinned_certs value of the certificate this request becomes"),
    ]
}
