//! SPKI pins and certificate fingerprints.
//!
//! A NATS `pinned_certs` entry is the lowercase hex SHA-256 of the DER
//! SubjectPublicKeyInfo of the peer's leaf: the value of
//! `openssl x509 -noout -pubkey | openssl pkey -pubin -outform DER | openssl dgst -sha256`.
//! The certificate fingerprint (SHA-256 of the whole certificate) is a
//! different number, and changes on every re-issue.

use serde::Serialize;

/// SHA-256 of `bytes` (aws-lc's).
pub fn sha256(bytes: &[u8]) -> [u8; 32] {
    let mut out = [0u8; 32];
    out.copy_from_slice(aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, bytes).as_ref());
    out
}

/// Lowercase hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = sha256(bytes);
    let mut buf = [0u8; 64];
    match hex::encode_to_slice(digest, &mut buf) {
        // Hex digits are ASCII: no lossy conversion to pay for per pin.
        Ok(()) => std::str::from_utf8(&buf).map_or_else(|_| hex::encode(digest), str::to_owned),
        Err(_) => hex::encode(digest),
    }
}

/// The pin of an SPKI (DER).
pub fn spki_pin(spki_der: &[u8]) -> String {
    sha256_hex(spki_der)
}

/// `AB:CD:...`, the way `openssl x509 -fingerprint -sha256` prints a
/// fingerprint, so that it cannot be mistaken for a pin.
pub fn fingerprint_display(hex_lower: &str) -> String {
    let upper = hex_lower.to_ascii_uppercase();
    let bytes = upper.as_bytes();
    let mut out = String::with_capacity(bytes.len() * 3 / 2);
    for (i, pair) in bytes.chunks(2).enumerate() {
        if i > 0 {
            out.push(':');
        }
        out.push_str(std::str::from_utf8(pair).unwrap_or("??"));
    }
    out
}

/// Normalises a user-typed pin or fingerprint: case, colons, spaces, and a
/// `sha256:`/`sha256//` prefix are ignored. `None` unless 64 hex digits.
pub fn normalise_hex_sha256(text: &str) -> Option<String> {
    normalise_hex_prefix(text).filter(|hex| hex.len() == 64)
}

/// The shortest pin or fingerprint prefix accepted where a prefix will do.
pub const MIN_PREFIX: usize = 8;

/// Like [`normalise_hex_sha256`], but a leading part of at least
/// [`MIN_PREFIX`] digits will do, as `bundle list` and `ca list` print them
/// (a trailing `…` copied with it is ignored).
pub fn normalise_hex_prefix(text: &str) -> Option<String> {
    let t = text.trim();
    let t = t
        .strip_prefix("sha256//")
        .or_else(|| t.strip_prefix("sha256:"))
        .or_else(|| t.strip_prefix("SHA256:"))
        .unwrap_or(t);
    let t = t.trim_end_matches(['…', '.']);
    let hex: String = t
        .chars()
        .filter(|c| *c != ':' && !c.is_whitespace())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    ((MIN_PREFIX..=64).contains(&hex.len()) && hex.bytes().all(|b| b.is_ascii_hexdigit()))
        .then_some(hex)
}

/// How a pin is written: NATS wants hex; curl, HPKP and certtool spell the
/// same SHA-256 in base64.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PinFormat {
    /// Lowercase hex, as NATS `pinned_certs` wants.
    #[default]
    Hex,
    /// Standard base64 of the 32 bytes, as certtool prints after `pin-sha256:`.
    Base64,
    /// curl's `--pinnedpubkey sha256//BASE64`.
    Curl,
    /// HPKP (RFC 7469): `pin-sha256="BASE64"`.
    Rfc7469,
}

impl PinFormat {
    pub fn name(self) -> &'static str {
        match self {
            PinFormat::Hex => "hex",
            PinFormat::Base64 => "base64",
            PinFormat::Curl => "curl",
            PinFormat::Rfc7469 => "rfc7469",
        }
    }
}

/// Writes a hex SHA-256 pin in `format`. `None` when `hex_pin` is not 64
/// hex digits.
pub fn format_pin(hex_pin: &str, format: PinFormat) -> Option<String> {
    use base64::Engine as _;
    let bytes = hex::decode(hex_pin).ok().filter(|b| b.len() == 32)?;
    let b64 = || base64::engine::general_purpose::STANDARD.encode(&bytes);
    Some(match format {
        PinFormat::Hex => hex_pin.to_ascii_lowercase(),
        PinFormat::Base64 => b64(),
        PinFormat::Curl => format!("sha256//{}", b64()),
        PinFormat::Rfc7469 => format!("pin-sha256=\"{}\"", b64()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pins_are_written_in_base64_for_curl_and_hpkp() {
        // The SHA-256 of the empty string, whose base64 is well known.
        let pin = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
        let b64 = "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=";
        assert_eq!(format_pin(pin, PinFormat::Hex).as_deref(), Some(pin));
        assert_eq!(format_pin(pin, PinFormat::Base64).as_deref(), Some(b64));
        assert_eq!(
            format_pin(pin, PinFormat::Curl),
            Some(format!("sha256//{b64}"))
        );
        assert_eq!(
            format_pin(pin, PinFormat::Rfc7469),
            Some(format!("pin-sha256=\"{b64}\""))
        );
        assert_eq!(format_pin("abcd", PinFormat::Base64), None);
        assert_eq!(format_pin(&pin.replace('e', "g"), PinFormat::Curl), None);
    }

    #[test]
    fn sha256_of_empty_input_is_the_known_constant() {
        assert_eq!(
            sha256_hex(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }

    #[test]
    fn fingerprint_display_is_upper_case_with_colons() {
        assert_eq!(fingerprint_display("0a1bff"), "0A:1B:FF");
    }

    #[test]
    fn typed_pins_are_normalised() {
        let pin = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
        assert_eq!(normalise_hex_sha256(pin).as_deref(), Some(pin));
        let colons = super::fingerprint_display(pin);
        assert_eq!(normalise_hex_sha256(&colons).as_deref(), Some(pin));
        assert_eq!(normalise_hex_sha256("abc"), None);
        assert_eq!(normalise_hex_sha256(&pin[..16]), None);
    }

    #[test]
    fn a_prefix_of_eight_digits_or_more_is_accepted_where_prefixes_are() {
        let pin = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
        assert_eq!(
            normalise_hex_prefix("E3B0C44298FC1C14…").as_deref(),
            Some("e3b0c44298fc1c14")
        );
        assert_eq!(normalise_hex_prefix(pin).as_deref(), Some(pin));
        assert_eq!(normalise_hex_prefix("e3b0c44"), None, "seven digits");
        assert_eq!(normalise_hex_prefix("e3b0c44z"), None);
        assert_eq!(normalise_hex_prefix(&format!("{pin}00")), None);
    }
}
