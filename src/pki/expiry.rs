//! Expiry windows for scripts and cron: `--expires-within 30d` and relative
//! times (`--at +30d`), the way `openssl x509 -checkend SECONDS` judges
//! them, and the words for a time left ("23 hours", not "0 days").
//!
//! Pure: the time now comes in as an argument.

use serde::Serialize;
use thiserror::Error;
use time::{Duration, OffsetDateTime};

use super::bundle::{Finding, Severity};
use super::cert::CertInfo;
use super::render::{duration_words, format_time};

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DurationError {
    #[error("{0:?} is not a duration: use a number and a unit, such as 30d, 12h, 90m or 3600s")]
    Malformed(String),
    #[error("{0:?} is too long a duration")]
    TooLong(String),
}

/// The longest window accepted: 1000 years, well past any certificate.
const MAX_SECONDS: i64 = 1000 * 366 * 86_400;

/// Parses `30d`, `12h`, `90m`, `3600s`, `2w`, or several together (`1d12h`).
/// A bare number is seconds, as `openssl x509 -checkend` takes them.
pub fn parse_duration(text: &str) -> Result<Duration, DurationError> {
    let malformed = || DurationError::Malformed(text.to_owned());
    let t = text.trim();
    if t.is_empty() {
        return Err(malformed());
    }
    if t.bytes().all(|b| b.is_ascii_digit()) {
        let n: i64 = t
            .parse()
            .map_err(|_| DurationError::TooLong(text.to_owned()))?;
        return checked(n, text);
    }
    let mut total: i64 = 0;
    let mut digits = String::new();
    for c in t.chars() {
        if c.is_ascii_digit() {
            if digits.len() >= 18 {
                return Err(DurationError::TooLong(text.to_owned()));
            }
            digits.push(c);
            continue;
        }
        let unit: i64 = match c {
            's' => 1,
            'm' => 60,
            'h' => 3600,
            'd' => 86_400,
            'w' => 7 * 86_400,
            _ => return Err(malformed()),
        };
        if digits.is_empty() {
            return Err(malformed());
        }
        let n: i64 = digits.parse().map_err(|_| malformed())?;
        digits.clear();
        total = n
            .checked_mul(unit)
            .and_then(|s| total.checked_add(s))
            .ok_or_else(|| DurationError::TooLong(text.to_owned()))?;
    }
    if !digits.is_empty() {
        // `30` after a unit (`1d30`): the unit is missing.
        return Err(malformed());
    }
    checked(total, text)
}

fn checked(seconds: i64, text: &str) -> Result<Duration, DurationError> {
    if seconds > MAX_SECONDS {
        return Err(DurationError::TooLong(text.to_owned()));
    }
    Ok(Duration::seconds(seconds))
}

/// An absolute time as the user types one: RFC 3339
/// (`2026-12-01T08:00:00Z`) or a date (`2026-12-01`, midnight UTC).
pub fn parse_absolute(text: &str) -> Option<OffsetDateTime> {
    use time::format_description::well_known::Rfc3339;
    if let Ok(t) = OffsetDateTime::parse(text, &Rfc3339) {
        return Some(t);
    }
    let format = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(text, &format)
        .ok()
        .map(|d| time::PrimitiveDateTime::new(d, time::Time::MIDNIGHT).assume_utc())
}

/// A time relative to now: `+30d` (ahead) or `-12h` (back). `None` when the
/// text does not start with a sign (it is then an absolute time or nothing).
pub fn parse_relative(text: &str) -> Option<Result<Duration, DurationError>> {
    let t = text.trim();
    let (sign, rest) = match t.as_bytes().first()? {
        b'+' => (1, &t[1..]),
        b'-' => (-1, &t[1..]),
        _ => return None,
    };
    Some(parse_duration(rest).map(|d| d * sign))
}

/// A window as the user wrote it, normalised to its largest whole unit
/// where exact: 30d, 12h, 90m, 45s.
pub fn window_text(d: Duration) -> String {
    let s = d.whole_seconds();
    if s != 0 && s % 86_400 == 0 {
        format!("{}d", s / 86_400)
    } else if s != 0 && s % 3600 == 0 {
        format!("{}h", s / 3600)
    } else if s != 0 && s % 60 == 0 {
        format!("{}m", s / 60)
    } else {
        format!("{s}s")
    }
}

/// Whether a certificate with this not-after expires within `window` of
/// `now`: as `openssl x509 -checkend`, not-after at or before now + window
/// (an expired certificate is within any window).
pub fn expires_within(not_after: OffsetDateTime, now: OffsetDateTime, window: Duration) -> bool {
    not_after <= now + window
}

/// One certificate that expires within the window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Expiring {
    pub subject: String,
    #[serde(with = "time::serde::rfc3339")]
    pub not_after: OffsetDateTime,
    /// Seconds from now to not-after (negative once expired).
    pub seconds_left: i64,
    /// "expires in 23 hours", "expired 3 days ago".
    pub message: String,
}

/// "expires in 23 hours (2027-06-02 11:00 UTC)", "expired 3 days ago (...)".
pub fn left_phrase(not_after: OffsetDateTime, now: OffsetDateTime) -> String {
    let left = not_after - now;
    if left.is_negative() {
        format!(
            "expired {} ago ({})",
            duration_words(left),
            format_time(not_after)
        )
    } else {
        format!(
            "expires in {} ({})",
            duration_words(left),
            format_time(not_after)
        )
    }
}

/// The certificate, if it expires within `window` of `now`.
pub fn check(info: &CertInfo, now: OffsetDateTime, window: Duration) -> Option<Expiring> {
    expires_within(info.not_after, now, window).then(|| Expiring {
        subject: info.subject.clone(),
        not_after: info.not_after,
        seconds_left: (info.not_after - now).whole_seconds(),
        message: format!("{} {}", info.subject, left_phrase(info.not_after, now)),
    })
}

/// Where a certificate was found, for the fix that names the command to
/// run: the file (when the caller knows it, not stdin) and whether the
/// certificate is its first, the one `cert renew FILE` reads.
#[derive(Debug, Clone, Copy, Default)]
pub struct Found<'a> {
    pub file: Option<&'a str>,
    pub first: bool,
}

/// What to do about a certificate that expires (or has): `cert renew` for a
/// leaf, naming its file when that is known and the certificate is the
/// file's first (`FILE` otherwise); `cert renew` does not handle a CA, which
/// is replaced by a new one, staged, then rolled to.
pub fn renew_fix(info: &CertInfo, found: Found<'_>) -> String {
    if info.is_ca {
        return "a CA is not renewed: create its successor (tlsctl ca create, staged with                 --not-before so that it is trusted before it is used), then roll to it as the                 README's rotation runbook does"
            .to_owned();
    }
    match (found.file, found.first) {
        (Some(file), true) => format!("renew it: tlsctl cert renew {file}"),
        (None, true) => "renew it: tlsctl cert renew FILE".to_owned(),
        (Some(file), false) => format!(
            "renew it from its own file (tlsctl cert renew FILE), then replace it in {file}"
        ),
        (None, false) => {
            "renew it from its own file (tlsctl cert renew FILE), then replace it here".to_owned()
        }
    }
}

/// The lint finding for a certificate that expires within the window (an
/// error: the user asked for the check, and scripts exit 1 on it).
pub fn finding(
    info: &CertInfo,
    now: OffsetDateTime,
    window: Duration,
    block: Option<usize>,
    found: Found<'_>,
) -> Option<Finding> {
    let e = check(info, now, window)?;
    let f = Finding::new(
        Severity::Error,
        "expires-within",
        format!("{}, within {}", e.message, window_text(window)),
    )
    .about(&info.subject)
    .fix(renew_fix(info, found));
    Some(match block {
        Some(b) => f.at(b),
        None => f,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn durations_take_days_hours_minutes_seconds_and_weeks() {
        assert_eq!(parse_duration("30d"), Ok(Duration::days(30)));
        assert_eq!(parse_duration("12h"), Ok(Duration::hours(12)));
        assert_eq!(parse_duration("90m"), Ok(Duration::minutes(90)));
        assert_eq!(parse_duration("3600s"), Ok(Duration::hours(1)));
        assert_eq!(parse_duration("3600"), Ok(Duration::hours(1)));
        assert_eq!(parse_duration("2w"), Ok(Duration::days(14)));
        assert_eq!(parse_duration("1d12h"), Ok(Duration::hours(36)));
        assert_eq!(parse_duration("0d"), Ok(Duration::ZERO));
    }

    #[test]
    fn malformed_or_huge_durations_are_refused() {
        for bad in ["", "d", "30x", "1.5d", "-1d", "1d30", "30 d", "ten days"] {
            assert!(
                matches!(parse_duration(bad), Err(DurationError::Malformed(_))),
                "{bad:?}"
            );
        }
        for huge in ["99999999999999999999", "9999999999999999d", "400000d"] {
            assert!(
                matches!(parse_duration(huge), Err(DurationError::TooLong(_))),
                "{huge:?}"
            );
        }
    }

    #[test]
    fn relative_times_have_a_sign() {
        assert_eq!(parse_relative("+30d"), Some(Ok(Duration::days(30))));
        assert_eq!(parse_relative("-12h"), Some(Ok(Duration::hours(-12))));
        assert_eq!(parse_relative("2027-01-01"), None);
        assert!(matches!(parse_relative("+x"), Some(Err(_))));
    }

    #[test]
    fn the_window_is_inclusive_like_openssl_checkend() {
        let now = datetime!(2027-06-01 12:00 UTC);
        let day = Duration::days(1);
        assert!(expires_within(now + day, now, day));
        assert!(!expires_within(now + day + Duration::seconds(1), now, day));
        assert!(expires_within(now - day, now, Duration::ZERO), "expired");
        assert!(!expires_within(
            now + Duration::seconds(1),
            now,
            Duration::ZERO
        ));
    }

    #[test]
    fn less_than_a_day_left_is_said_in_hours_or_minutes() {
        let now = datetime!(2027-06-01 12:00 UTC);
        assert_eq!(
            left_phrase(now + Duration::hours(23), now),
            "expires in 23 hours (2027-06-02 11:00:00 UTC)"
        );
        assert!(left_phrase(now + Duration::minutes(61), now).starts_with("expires in 1 hour "));
        assert!(left_phrase(now + Duration::minutes(5), now).starts_with("expires in 5 minutes"));
        assert!(left_phrase(now + Duration::days(3), now).starts_with("expires in 3 days"));
        assert!(left_phrase(now - Duration::days(3), now).starts_with("expired 3 days ago"));
        assert_eq!(window_text(Duration::days(30)), "30d");
        assert_eq!(window_text(Duration::minutes(90)), "90m");
        assert_eq!(window_text(Duration::seconds(45)), "45s");
    }
}
