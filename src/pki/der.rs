//! A minimal, non-recursive DER walker: just enough to classify an unlabelled
//! DER blob, find the SubjectPublicKeyInfo of a certificate without a full
//! parse (the hot path of `tlsctl pin`), and build the few structures tlsctl
//! has to encode itself (an SPKI from a bare RSA key).
//!
//! Every length is checked against the bytes actually present before it is
//! used, so a header that claims 4 GiB costs nothing, and nothing here
//! recurses, so nesting depth cannot exhaust the stack.

use thiserror::Error;

/// Universal tags used by the structures tlsctl walks.
pub const INTEGER: u8 = 0x02;
pub const BIT_STRING: u8 = 0x03;
pub const OCTET_STRING: u8 = 0x04;
pub const NULL: u8 = 0x05;
pub const OID: u8 = 0x06;
pub const SEQUENCE: u8 = 0x30;
/// `[0] EXPLICIT` (certificate version, PKCS#8 attributes, SEC1 parameters).
pub const CONTEXT_0: u8 = 0xa0;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DerError {
    #[error("is empty")]
    Empty,
    #[error("is truncated (its DER header says {claimed} bytes, {available} are present)")]
    Truncated { claimed: u64, available: usize },
    #[error("is not DER (unsupported length encoding)")]
    BadLength,
    #[error("is not DER (expected tag 0x{expected:02x}, found 0x{found:02x})")]
    UnexpectedTag { expected: u8, found: u8 },
    #[error("has {0} bytes of trailing data after its end")]
    Trailing(usize),
}

/// One tag-length-value element borrowed from the input.
#[derive(Debug, Clone, Copy)]
pub struct Tlv<'a> {
    pub tag: u8,
    /// The content octets.
    pub value: &'a [u8],
    /// Header and content, as they appear in the input.
    pub raw: &'a [u8],
}

/// Reads one TLV from the front of `input`, returning it and the rest.
pub fn read_tlv(input: &[u8]) -> Result<(Tlv<'_>, &[u8]), DerError> {
    let (&tag, rest) = input.split_first().ok_or(DerError::Empty)?;
    if tag & 0x1f == 0x1f {
        // High tag numbers never occur in the structures tlsctl walks.
        return Err(DerError::BadLength);
    }
    let (&first, rest) = rest.split_first().ok_or(DerError::Truncated {
        claimed: 2,
        available: input.len(),
    })?;
    let (len, rest) = if first < 0x80 {
        (u64::from(first), rest)
    } else {
        let n = usize::from(first & 0x7f);
        // 0x80 is BER's indefinite length; more than 4 length octets is never
        // a real certificate.
        if n == 0 || n > 4 {
            return Err(DerError::BadLength);
        }
        let octets = rest.get(..n).ok_or(DerError::Truncated {
            claimed: 2 + n as u64,
            available: input.len(),
        })?;
        let len = octets
            .iter()
            .fold(0u64, |acc, &b| (acc << 8) | u64::from(b));
        (len, rest.get(n..).unwrap_or_default())
    };
    let header_len = input.len() - rest.len();
    let Ok(body_len) = usize::try_from(len) else {
        return Err(DerError::Truncated {
            claimed: len,
            available: input.len(),
        });
    };
    if body_len > rest.len() {
        return Err(DerError::Truncated {
            claimed: header_len as u64 + len,
            available: input.len(),
        });
    }
    let (value, after) = rest.split_at(body_len);
    let raw = input.get(..header_len + body_len).unwrap_or_default();
    Ok((Tlv { tag, value, raw }, after))
}

/// Reads one TLV that must carry `tag`.
pub fn expect(input: &[u8], tag: u8) -> Result<(Tlv<'_>, &[u8]), DerError> {
    let (tlv, rest) = read_tlv(input)?;
    if tlv.tag != tag {
        return Err(DerError::UnexpectedTag {
            expected: tag,
            found: tlv.tag,
        });
    }
    Ok((tlv, rest))
}

/// Reads exactly one TLV spanning the whole input.
pub fn read_exact(input: &[u8]) -> Result<Tlv<'_>, DerError> {
    let (tlv, rest) = read_tlv(input)?;
    if !rest.is_empty() {
        return Err(DerError::Trailing(rest.len()));
    }
    Ok(tlv)
}

/// Iterates over the elements of a constructed value's content.
pub fn elements(mut content: &[u8]) -> impl Iterator<Item = Result<Tlv<'_>, DerError>> {
    std::iter::from_fn(move || {
        if content.is_empty() {
            return None;
        }
        match read_tlv(content) {
            Ok((tlv, rest)) => {
                content = rest;
                Some(Ok(tlv))
            }
            Err(e) => {
                content = &[];
                Some(Err(e))
            }
        }
    })
}

/// The raw SubjectPublicKeyInfo of a DER certificate, found by walking the
/// TBSCertificate without parsing names or extensions.
pub fn certificate_spki(cert: &[u8]) -> Result<&[u8], DerError> {
    certificate_parts(cert).map(|p| p.spki)
}

/// The raw (tag and length included) fields of a certificate that
/// matching needs, found without a full parse.
#[derive(Debug, Clone, Copy)]
pub struct CertParts<'a> {
    pub issuer: &'a [u8],
    pub subject: &'a [u8],
    pub spki: &'a [u8],
}

/// Walks a DER certificate to its issuer, subject and SPKI.
pub fn certificate_parts(cert: &[u8]) -> Result<CertParts<'_>, DerError> {
    let outer = read_exact(cert)?;
    if outer.tag != SEQUENCE {
        return Err(DerError::UnexpectedTag {
            expected: SEQUENCE,
            found: outer.tag,
        });
    }
    let (tbs, _) = expect(outer.value, SEQUENCE)?;
    let mut rest = tbs.value;
    let (first, after) = read_tlv(rest)?;
    if first.tag == CONTEXT_0 {
        rest = after;
    }
    let (_, r) = expect(rest, INTEGER)?;
    let (_, r) = expect(r, SEQUENCE)?;
    let (issuer, r) = expect(r, SEQUENCE)?;
    let (_, r) = expect(r, SEQUENCE)?;
    let (subject, r) = expect(r, SEQUENCE)?;
    let (spki, _) = expect(r, SEQUENCE)?;
    Ok(CertParts {
        issuer: issuer.raw,
        subject: subject.raw,
        spki: spki.raw,
    })
}

/// Encodes one TLV with a definite length.
pub fn encode(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(content.len() + 6);
    out.push(tag);
    let len = content.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes = (len as u64).to_be_bytes();
        let skip = bytes.iter().take_while(|&&b| b == 0).count();
        let significant = bytes.get(skip..).unwrap_or_default();
        out.push(0x80 | significant.len() as u8);
        out.extend_from_slice(significant);
    }
    out.extend_from_slice(content);
    out
}

/// Builds an SPKI from an algorithm identifier (already DER) and the public
/// key bytes that go in its BIT STRING.
pub fn spki(algorithm: &[u8], public_key: &[u8]) -> Vec<u8> {
    let mut bits = Vec::with_capacity(public_key.len() + 1);
    bits.push(0); // no unused bits
    bits.extend_from_slice(public_key);
    let mut content = algorithm.to_vec();
    content.extend_from_slice(&encode(BIT_STRING, &bits));
    encode(SEQUENCE, &content)
}

/// `AlgorithmIdentifier { rsaEncryption, NULL }` in DER.
pub const RSA_ENCRYPTION_ALG: &[u8] = &[
    0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00,
];
/// OID content octets of rsaEncryption (1.2.840.113549.1.1.1).
pub const OID_RSA_ENCRYPTION: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];
/// OID content octets of id-ecPublicKey (1.2.840.10045.2.1).
pub const OID_EC_PUBLIC_KEY: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];
/// OID content octets of Ed25519 (1.3.101.112).
pub const OID_ED25519: &[u8] = &[0x2b, 0x65, 0x70];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_length_claiming_4_gib_is_truncation_not_allocation() {
        let input = [0x30, 0x84, 0xff, 0xff, 0xff, 0xff, 0x02, 0x01, 0x00];
        assert_eq!(
            read_tlv(&input).unwrap_err(),
            DerError::Truncated {
                claimed: 6 + 0xffff_ffff,
                available: 9
            }
        );
    }

    #[test]
    fn indefinite_and_oversized_length_forms_are_rejected() {
        assert_eq!(
            read_tlv(&[0x30, 0x80, 0, 0]).unwrap_err(),
            DerError::BadLength
        );
        assert_eq!(
            read_tlv(&[0x30, 0x85, 1, 0, 0, 0, 0]).unwrap_err(),
            DerError::BadLength
        );
    }

    #[test]
    fn encode_round_trips_through_read() {
        for len in [0usize, 1, 127, 128, 255, 256, 70_000] {
            let content = vec![7u8; len];
            let der = encode(OCTET_STRING, &content);
            let tlv = read_exact(&der).unwrap();
            assert_eq!(tlv.tag, OCTET_STRING);
            assert_eq!(tlv.value, &content[..]);
        }
    }

    #[test]
    fn trailing_bytes_are_reported() {
        assert_eq!(
            read_exact(&[0x05, 0x00, 0x00]).unwrap_err(),
            DerError::Trailing(1)
        );
    }

    #[test]
    fn deep_nesting_does_not_recurse() {
        // 100,000 nested SEQUENCE headers with lengths that cannot all be
        // right: walking the top element must fail fast, not overflow.
        let mut input = Vec::new();
        for _ in 0..100_000 {
            input.extend_from_slice(&[0x30, 0x84, 0x00, 0x10, 0x00, 0x00]);
        }
        assert!(certificate_spki(&input).is_err());
    }
}
