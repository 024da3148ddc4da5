//! A certificate as Go's crypto/x509 parses it (parser.go): the fields
//! that Verify reads, and the parse failures that make nats-server refuse a
//! certificate before any chain is built. Where Go releases differ the
//! rule names the release (see `GoRelease`).

use std::ops::Range;
use std::sync::Arc;

use super::GoRelease;
use super::der::{self, Der};

/// Go's KeyUsageCertSign bit.
pub const KU_CERT_SIGN: u16 = 1 << 5;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Curve {
    P224,
    P256,
    P384,
    P521,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PublicKey {
    /// The PKCS#1 RSAPublicKey and the modulus size.
    Rsa {
        pkcs1: Vec<u8>,
        bits: usize,
    },
    /// The uncompressed point.
    Ec {
        curve: Curve,
        point: Vec<u8>,
    },
    Ed25519(Vec<u8>),
    /// DSA and anything Go does not know: it can sign nothing in Go.
    Unknown,
}

/// The signature algorithm as Go's signatureAlgorithmDetails names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SigAlg {
    RsaMd5,
    RsaSha1,
    RsaSha256,
    RsaSha384,
    RsaSha512,
    RsaPssSha256,
    RsaPssSha384,
    RsaPssSha512,
    EcdsaSha1,
    EcdsaSha256,
    EcdsaSha384,
    EcdsaSha512,
    Ed25519,
    /// DSA, MD2, PSS in other shapes and the rest: Go answers "algorithm
    /// unimplemented".
    Other,
}

impl SigAlg {
    /// Go's SignatureAlgorithm.String().
    pub fn go_name(self) -> &'static str {
        match self {
            SigAlg::RsaMd5 => "MD5-RSA",
            SigAlg::RsaSha1 => "SHA1-RSA",
            SigAlg::RsaSha256 => "SHA256-RSA",
            SigAlg::RsaSha384 => "SHA384-RSA",
            SigAlg::RsaSha512 => "SHA512-RSA",
            SigAlg::RsaPssSha256 => "SHA256-RSAPSS",
            SigAlg::RsaPssSha384 => "SHA384-RSAPSS",
            SigAlg::RsaPssSha512 => "SHA512-RSAPSS",
            SigAlg::EcdsaSha1 => "ECDSA-SHA1",
            SigAlg::EcdsaSha256 => "ECDSA-SHA256",
            SigAlg::EcdsaSha384 => "ECDSA-SHA384",
            SigAlg::EcdsaSha512 => "ECDSA-SHA512",
            SigAlg::Ed25519 => "Ed25519",
            SigAlg::Other => "unknown",
        }
    }
}

/// One name of a SAN extension, in order: (tag number, bytes).
pub type GeneralName = (u8, Vec<u8>);

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Constraints {
    pub dns: Vec<String>,
    /// (address, mask), 4 or 16 bytes each.
    pub ips: Vec<(Vec<u8>, Vec<u8>)>,
    pub emails: Vec<String>,
    pub uris: Vec<String>,
}

impl Constraints {
    pub fn is_empty(&self) -> bool {
        self.dns.is_empty() && self.ips.is_empty() && self.emails.is_empty() && self.uris.is_empty()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoCert {
    /// The DER, shared with the anchors it came from.
    pub raw: Arc<[u8]>,
    /// Where in `raw` the TBSCertificate, RawSubject and RawIssuer are
    /// (offsets, not copies: three fewer copies of every anchor's bytes;
    /// see [`GoCert::tbs`]).
    tbs_span: Range<usize>,
    subject_span: Range<usize>,
    issuer_span: Range<usize>,
    pub signature: Vec<u8>,
    pub sig_alg: SigAlg,
    pub version: u8,
    pub not_before: i64,
    pub not_after: i64,
    pub key: PublicKey,
    pub bc_valid: bool,
    pub is_ca: bool,
    pub max_path_len: i64,
    pub key_usage: u16,
    /// Known EKUs by Go's names; `unknown_ekus` counts the others.
    pub ekus: Vec<&'static str>,
    pub unknown_ekus: usize,
    pub has_san: bool,
    pub sans: Vec<GeneralName>,
    pub has_name_constraints: bool,
    pub permitted: Constraints,
    pub excluded: Constraints,
    pub subject_key_id: Vec<u8>,
    pub authority_key_id: Vec<u8>,
    pub unhandled_critical: Vec<String>,
    pub common_name: Option<String>,
}

impl GoCert {
    /// The TBSCertificate element, what the signature covers.
    pub fn tbs(&self) -> &[u8] {
        &self.raw[self.tbs_span.clone()]
    }

    /// RawSubject: the whole Name element.
    pub fn raw_subject(&self) -> &[u8] {
        &self.raw[self.subject_span.clone()]
    }

    /// RawIssuer: the whole Name element.
    pub fn raw_issuer(&self) -> &[u8] {
        &self.raw[self.issuer_span.clone()]
    }

    pub fn dns_names(&self) -> impl Iterator<Item = &str> {
        self.sans
            .iter()
            .filter(|(t, _)| *t == 2)
            .filter_map(|(_, v)| std::str::from_utf8(v).ok())
    }

    pub fn ip_addresses(&self) -> impl Iterator<Item = &[u8]> {
        self.sans
            .iter()
            .filter(|(t, _)| *t == 7)
            .map(|(_, v)| v.as_slice())
    }
}

const OID_RSA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];
const OID_EC: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];
const OID_ED25519: &[u8] = &[0x2b, 0x65, 0x70];
const OID_P224: &[u8] = &[0x2b, 0x81, 0x04, 0x00, 0x21];
const OID_P256: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07];
const OID_P384: &[u8] = &[0x2b, 0x81, 0x04, 0x00, 0x22];
const OID_P521: &[u8] = &[0x2b, 0x81, 0x04, 0x00, 0x23];
const OID_AIA: &[u8] = &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x01, 0x01];
const OID_CN: &[u8] = &[0x55, 0x04, 0x03];
const NULL_PARAMS: &[u8] = &[0x05, 0x00];

/// Go's getSignatureAlgorithmFromAI: PKCS#1 and ECDSA algorithms by OID
/// alone (their parameters are not read), Ed25519 only without
/// parameters, RSASSA-PSS only in Go's three shapes (MGF1 with the message
/// hash, salt = hash length, trailer 1).
fn sig_alg(oid: &[u8], params: Option<&[u8]>) -> SigAlg {
    const RSA_PREFIX: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01];
    const ECDSA_SHA1: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x01];
    const ECDSA_SHA2: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03];
    if let Some(rest) = oid.strip_prefix(RSA_PREFIX) {
        return match rest {
            [4] => SigAlg::RsaMd5,
            [5] => SigAlg::RsaSha1,
            [10] => pss(params.unwrap_or_default()).unwrap_or(SigAlg::Other),
            [11] => SigAlg::RsaSha256,
            [12] => SigAlg::RsaSha384,
            [13] => SigAlg::RsaSha512,
            _ => SigAlg::Other,
        };
    }
    if oid == ECDSA_SHA1 {
        return SigAlg::EcdsaSha1;
    }
    if let Some(rest) = oid.strip_prefix(ECDSA_SHA2) {
        return match rest {
            [2] => SigAlg::EcdsaSha256,
            [3] => SigAlg::EcdsaSha384,
            [4] => SigAlg::EcdsaSha512,
            _ => SigAlg::Other,
        };
    }
    if oid == OID_ED25519 && params.is_none() {
        return SigAlg::Ed25519;
    }
    SigAlg::Other
}

/// RSASSA-PSS-params in one of Go's three buckets.
fn pss(params: &[u8]) -> Option<SigAlg> {
    const SHA2: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02];
    const MGF1: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x08];
    let mut seq = Der::new(params).contents(der::SEQUENCE)?;
    let mut hash_ai = Der::new(seq.read(der::ctx_cons(0))?.contents).contents(der::SEQUENCE)?;
    let hash = hash_ai.read(der::OID)?.contents;
    let hash_params = hash_ai.read_any().map(|e| e.full);
    let mut mgf_ai = Der::new(seq.read(der::ctx_cons(1))?.contents).contents(der::SEQUENCE)?;
    let mgf = mgf_ai.read(der::OID)?.contents;
    let mut mgf_hash_ai = mgf_ai.contents(der::SEQUENCE)?;
    let mgf_hash = mgf_hash_ai.read(der::OID)?.contents;
    let mgf_hash_params = mgf_hash_ai.read_any().map(|e| e.full);
    let salt = der::small_integer(
        Der::new(seq.read(der::ctx_cons(2))?.contents)
            .read(der::INTEGER)?
            .contents,
    )?;
    let trailer = match seq.optional(der::ctx_cons(3))? {
        Some(t) => der::small_integer(Der::new(t.contents).read(der::INTEGER)?.contents)?,
        None => 1,
    };
    let null_or_none = |p: Option<&[u8]>| p.is_none_or(|p| p == NULL_PARAMS);
    if !null_or_none(hash_params)
        || mgf != MGF1
        || mgf_hash != hash
        || !null_or_none(mgf_hash_params)
        || trailer != 1
    {
        return None;
    }
    match (hash.strip_prefix(SHA2)?, salt) {
        ([1], 32) => Some(SigAlg::RsaPssSha256),
        ([2], 48) => Some(SigAlg::RsaPssSha384),
        ([3], 64) => Some(SigAlg::RsaPssSha512),
        _ => None,
    }
}

type Parse<T> = Result<T, String>;

fn malformed(what: &str) -> String {
    format!("x509: malformed {what}")
}

/// Parses `der` as Go's x509.ParseCertificate does for `release`.
/// Where `part`, a slice of `whole`, lies in it.
fn span(whole: &[u8], part: &[u8]) -> Range<usize> {
    let start = part.as_ptr() as usize - whole.as_ptr() as usize;
    debug_assert!(start + part.len() <= whole.len());
    start..start + part.len()
}

pub fn parse(raw: &[u8], release: GoRelease) -> Parse<GoCert> {
    parse_shared(&Arc::from(raw), release)
}

/// [`parse`] of bytes the caller keeps too (a bundle's anchors): the
/// certificate shares them instead of copying them.
pub fn parse_shared(shared: &Arc<[u8]>, release: GoRelease) -> Parse<GoCert> {
    let raw: &[u8] = shared;
    let mut outer = Der::new(raw);
    let cert = outer
        .read(der::SEQUENCE)
        .ok_or_else(|| malformed("certificate"))?;
    if !outer.is_empty() {
        return Err("x509: trailing data".to_owned());
    }
    let mut body = Der::new(cert.contents);
    let tbs_el = body
        .read(der::SEQUENCE)
        .ok_or_else(|| malformed("tbs certificate"))?;
    let mut tbs = Der::new(tbs_el.contents);

    let version = match tbs
        .optional(der::ctx_cons(0))
        .ok_or_else(|| malformed("version"))?
    {
        Some(v) => {
            let mut inner = Der::new(v.contents);
            let int = inner
                .read(der::INTEGER)
                .ok_or_else(|| malformed("version"))?;
            let n = der::small_integer(int.contents).ok_or_else(|| malformed("version"))?;
            if n < 0 {
                return Err(malformed("version"));
            }
            if n > 2 {
                return Err("x509: invalid version".to_owned());
            }
            u8::try_from(n + 1).map_err(|_| malformed("version"))?
        }
        None => 1,
    };

    let serial = tbs
        .read(der::INTEGER)
        .ok_or_else(|| malformed("serial number"))?;
    if !der::valid_integer(serial.contents) {
        return Err(malformed("serial number"));
    }
    if serial.contents.first().is_some_and(|b| b & 0x80 != 0) && release.rejects_negative_serials()
    {
        return Err("x509: negative serial number".to_owned());
    }

    let inner_alg = tbs
        .read(der::SEQUENCE)
        .ok_or_else(|| malformed("signature algorithm identifier"))?;
    let outer_alg = body
        .read(der::SEQUENCE)
        .ok_or_else(|| malformed("algorithm identifier"))?;
    if inner_alg.contents != outer_alg.contents {
        return Err("x509: inner and outer signature algorithm identifiers don't match".to_owned());
    }
    let (alg_oid, alg_params) = algorithm_identifier(inner_alg.contents)?;
    let sig_alg = sig_alg(alg_oid, alg_params);

    let issuer = tbs.read(der::SEQUENCE).ok_or_else(|| malformed("issuer"))?;
    check_name(issuer.contents)?;
    let mut validity = tbs
        .contents(der::SEQUENCE)
        .ok_or_else(|| malformed("validity"))?;
    let not_before = read_time(&mut validity)?;
    let not_after = read_time(&mut validity)?;
    let subject = tbs.read(der::SEQUENCE).ok_or_else(|| malformed("issuer"))?;
    let common_name = check_name(subject.contents)?;

    let mut spki = tbs
        .contents(der::SEQUENCE)
        .ok_or_else(|| malformed("spki"))?;
    let key_alg = spki
        .read(der::SEQUENCE)
        .ok_or_else(|| malformed("public key algorithm identifier"))?;
    let (key_oid, key_params) = algorithm_identifier(key_alg.contents)?;
    let key_bits = spki
        .read(der::BIT_STRING)
        .and_then(|b| bit_string(b.contents))
        .ok_or_else(|| malformed("subjectPublicKey"))?;
    let key = public_key(key_oid, key_params, key_bits.0)?;

    let mut cert = GoCert {
        raw: Arc::clone(shared),
        tbs_span: span(raw, tbs_el.full),
        subject_span: span(raw, subject.full),
        issuer_span: span(raw, issuer.full),
        signature: Vec::new(),
        sig_alg,
        version,
        not_before,
        not_after,
        key,
        bc_valid: false,
        is_ca: false,
        max_path_len: -1,
        key_usage: 0,
        ekus: Vec::new(),
        unknown_ekus: 0,
        has_san: false,
        sans: Vec::new(),
        has_name_constraints: false,
        permitted: Constraints::default(),
        excluded: Constraints::default(),
        subject_key_id: Vec::new(),
        authority_key_id: Vec::new(),
        unhandled_critical: Vec::new(),
        common_name,
    };

    if version > 1 {
        tbs.optional(der::ctx(1))
            .ok_or_else(|| malformed("issuerUniqueID"))?;
        tbs.optional(der::ctx(2))
            .ok_or_else(|| malformed("subjectUniqueID"))?;
        if version == 3 {
            let exts = tbs
                .optional(der::ctx_cons(3))
                .ok_or_else(|| malformed("extensions"))?;
            if let Some(exts) = exts {
                let mut seq = Der::new(exts.contents)
                    .contents(der::SEQUENCE)
                    .ok_or_else(|| malformed("extensions"))?;
                let mut seen: Vec<&[u8]> = Vec::new();
                let mut list = Vec::new();
                while !seq.is_empty() {
                    let mut ext = seq
                        .contents(der::SEQUENCE)
                        .ok_or_else(|| malformed("extension"))?;
                    let oid = ext
                        .read(der::OID)
                        .filter(|o| der::valid_oid(o.contents))
                        .ok_or_else(|| malformed("extension OID field"))?;
                    let mut critical = false;
                    if ext.peek_tag() == Some(der::BOOLEAN) {
                        critical = ext
                            .read(der::BOOLEAN)
                            .and_then(|b| boolean(b.contents))
                            .ok_or_else(|| malformed("extension critical field"))?;
                    }
                    let value = ext
                        .read(der::OCTET_STRING)
                        .ok_or_else(|| malformed("extension value field"))?;
                    if seen.contains(&oid.contents) {
                        return Err(release.duplicate_extension_error(oid.contents));
                    }
                    seen.push(oid.contents);
                    list.push((oid.contents, critical, value.contents));
                }
                for (oid, critical, value) in list {
                    process_extension(&mut cert, oid, critical, value, release)?;
                }
            }
        }
    }

    let sig = body
        .read(der::BIT_STRING)
        .and_then(|b| bit_string(b.contents))
        .ok_or_else(|| malformed("signature"))?;
    cert.signature = sig.0.to_vec();
    Ok(cert)
}

fn boolean(contents: &[u8]) -> Option<bool> {
    match contents {
        [0x00] => Some(false),
        [0xff] => Some(true),
        _ => None,
    }
}

/// (bytes, bit length) of a BIT STRING's contents, as cryptobyte reads it.
fn bit_string(contents: &[u8]) -> Option<(&[u8], usize)> {
    let (&unused, bytes) = contents.split_first()?;
    if unused > 7 || (bytes.is_empty() && unused != 0) {
        return None;
    }
    if let Some(last) = bytes.last()
        && last & ((1u8 << unused) - 1) != 0
    {
        return None;
    }
    Some((bytes, bytes.len() * 8 - usize::from(unused)))
}

fn algorithm_identifier(contents: &[u8]) -> Parse<(&[u8], Option<&[u8]>)> {
    let mut d = Der::new(contents);
    let oid = d
        .read(der::OID)
        .filter(|o| der::valid_oid(o.contents))
        .ok_or_else(|| malformed("OID"))?;
    if d.is_empty() {
        return Ok((oid.contents, None));
    }
    let params = d.read_any().ok_or_else(|| malformed("parameters"))?;
    Ok((oid.contents, Some(params.full)))
}

/// Checks a Name parses (Go's parseName) and returns its CN.
fn check_name(contents: &[u8]) -> Parse<Option<String>> {
    let bad = || "x509: invalid RDNSequence".to_owned();
    let mut rdns = Der::new(contents);
    let mut cn = None;
    while !rdns.is_empty() {
        let mut set = rdns.contents(0x31).ok_or_else(bad)?;
        while !set.is_empty() {
            let mut atv = set
                .contents(der::SEQUENCE)
                .ok_or_else(|| "x509: invalid RDNSequence: invalid attribute".to_owned())?;
            let oid = atv
                .read(der::OID)
                .ok_or_else(|| "x509: invalid RDNSequence: invalid attribute type".to_owned())?;
            let value = atv
                .read_any()
                .ok_or_else(|| "x509: invalid RDNSequence: invalid attribute value".to_owned())?;
            if oid.contents == OID_CN {
                cn = String::from_utf8(value.contents.to_vec()).ok();
            }
        }
    }
    Ok(cn)
}

fn digits(b: &[u8]) -> Option<i64> {
    let mut v = 0i64;
    for &c in b {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v * 10 + i64::from(c - b'0');
    }
    Some(v)
}

fn read_time(d: &mut Der<'_>) -> Parse<i64> {
    match d.peek_tag() {
        Some(der::UTC_TIME) => {
            let e = d.read(der::UTC_TIME).ok_or_else(|| malformed("UTCTime"))?;
            // YYMMDDHHMMSSZ; 50-99 are 19xx.
            let s = e.contents;
            if s.len() != 13 || s.last() != Some(&b'Z') {
                return Err(malformed("UTCTime"));
            }
            let yy = digits(s.get(0..2).unwrap_or_default()).ok_or_else(|| malformed("UTCTime"))?;
            let year = if yy >= 50 { 1900 + yy } else { 2000 + yy };
            civil(year, s.get(2..12).unwrap_or_default()).ok_or_else(|| malformed("UTCTime"))
        }
        Some(der::GENERALIZED_TIME) => {
            let e = d
                .read(der::GENERALIZED_TIME)
                .ok_or_else(|| malformed("GeneralizedTime"))?;
            let s = e.contents;
            if s.len() != 15 || s.last() != Some(&b'Z') {
                return Err(malformed("GeneralizedTime"));
            }
            let year = digits(s.get(0..4).unwrap_or_default())
                .ok_or_else(|| malformed("GeneralizedTime"))?;
            civil(year, s.get(4..14).unwrap_or_default())
                .ok_or_else(|| malformed("GeneralizedTime"))
        }
        _ => Err("x509: unsupported time format".to_owned()),
    }
}

/// MMDDHHMMSS of `year` as Unix seconds.
fn civil(year: i64, rest: &[u8]) -> Option<i64> {
    if rest.len() != 10 {
        return None;
    }
    let part = |i: usize| digits(rest.get(i..i + 2).unwrap_or_default());
    let (month, day, hour, min, sec) = (part(0)?, part(2)?, part(4)?, part(6)?, part(8)?);
    let month = time::Month::try_from(u8::try_from(month).ok()?).ok()?;
    let date =
        time::Date::from_calendar_date(i32::try_from(year).ok()?, month, u8::try_from(day).ok()?)
            .ok()?;
    let t = date
        .with_hms(
            u8::try_from(hour).ok()?,
            u8::try_from(min).ok()?,
            u8::try_from(sec).ok()?,
        )
        .ok()?;
    Some(t.assume_utc().unix_timestamp())
}

fn public_key(oid: &[u8], params: Option<&[u8]>, key: &[u8]) -> Parse<PublicKey> {
    if oid == OID_RSA {
        if params != Some(NULL_PARAMS) {
            return Err("x509: RSA key missing NULL parameters".to_owned());
        }
        let mut d = Der::new(key)
            .contents(der::SEQUENCE)
            .ok_or_else(|| "x509: invalid RSA public key".to_owned())?;
        let n = d
            .read(der::INTEGER)
            .filter(|n| der::valid_integer(n.contents))
            .ok_or_else(|| "x509: invalid RSA modulus".to_owned())?;
        let e = d
            .read(der::INTEGER)
            .and_then(|e| der::small_integer(e.contents))
            .ok_or_else(|| "x509: invalid RSA public exponent".to_owned())?;
        let modulus = n.contents;
        if modulus.first().is_some_and(|b| b & 0x80 != 0) || modulus.iter().all(|&b| b == 0) {
            return Err("x509: RSA modulus is not a positive number".to_owned());
        }
        if e <= 0 {
            return Err("x509: RSA public exponent is not a positive number".to_owned());
        }
        let significant: &[u8] = {
            let skip = modulus.iter().take_while(|&&b| b == 0).count();
            modulus.get(skip..).unwrap_or_default()
        };
        let bits = significant
            .first()
            .map_or(0, |b| significant.len() * 8 - b.leading_zeros() as usize);
        return Ok(PublicKey::Rsa {
            pkcs1: key.to_vec(),
            bits,
        });
    }
    if oid == OID_EC {
        let curve_oid = params
            .and_then(|p| Der::new(p).read(der::OID))
            .filter(|o| der::valid_oid(o.contents))
            .ok_or_else(|| "x509: invalid ECDSA parameters".to_owned())?;
        let (curve, size) = match curve_oid.contents {
            OID_P224 => (Curve::P224, 28),
            OID_P256 => (Curve::P256, 32),
            OID_P384 => (Curve::P384, 48),
            OID_P521 => (Curve::P521, 66),
            _ => return Err("x509: unsupported elliptic curve".to_owned()),
        };
        // elliptic.Unmarshal: uncompressed only (the on-curve check is
        // left to the signature check).
        if key.len() != 1 + 2 * size || key.first() != Some(&4) {
            return Err("x509: failed to unmarshal elliptic curve point".to_owned());
        }
        return Ok(PublicKey::Ec {
            curve,
            point: key.to_vec(),
        });
    }
    if oid == OID_ED25519 {
        if params.is_some() {
            return Err("x509: Ed25519 key encoded with illegal parameters".to_owned());
        }
        if key.len() != 32 {
            return Err("x509: wrong Ed25519 public key size".to_owned());
        }
        return Ok(PublicKey::Ed25519(key.to_vec()));
    }
    Ok(PublicKey::Unknown)
}

fn ia5(b: &[u8]) -> bool {
    b.iter().all(|c| c.is_ascii())
}

fn process_extension(
    out: &mut GoCert,
    oid: &[u8],
    critical: bool,
    value: &[u8],
    release: GoRelease,
) -> Parse<()> {
    let mut unhandled = false;
    if let [0x55, 0x1d, n] = oid {
        match n {
            15 => {
                let (bytes, len) = Der::new(value)
                    .read(der::BIT_STRING)
                    .and_then(|b| bit_string(b.contents))
                    .ok_or_else(|| "x509: invalid key usage".to_owned())?;
                let mut usage = 0u16;
                for i in 0..9usize.min(len) {
                    if bytes.get(i / 8).is_some_and(|b| b & (0x80 >> (i % 8)) != 0) {
                        usage |= 1 << i;
                    }
                }
                out.key_usage = usage;
            }
            19 => {
                let mut d = Der::new(value)
                    .contents(der::SEQUENCE)
                    .ok_or_else(|| "x509: invalid basic constraints a".to_owned())?;
                let mut is_ca = false;
                if d.peek_tag() == Some(der::BOOLEAN) {
                    is_ca = d
                        .read(der::BOOLEAN)
                        .and_then(|b| boolean(b.contents))
                        .ok_or_else(|| "x509: invalid basic constraints b".to_owned())?;
                }
                let mut max = -1;
                if d.peek_tag() == Some(der::INTEGER) {
                    max = d
                        .read(der::INTEGER)
                        .and_then(|i| der::small_integer(i.contents))
                        .filter(|v| i32::try_from(*v).is_ok())
                        .ok_or_else(|| "x509: invalid basic constraints c".to_owned())?;
                }
                out.is_ca = is_ca;
                out.max_path_len = max;
                out.bc_valid = true;
            }
            17 => {
                out.has_san = true;
                out.sans = parse_sans(value, release)?;
                if out.sans.iter().all(|(t, _)| !matches!(t, 1 | 2 | 6 | 7)) {
                    unhandled = true;
                }
            }
            30 => {
                out.has_name_constraints = true;
                unhandled = parse_name_constraints(out, value, release)?;
            }
            31 => {
                // CRL distribution points: only their shape matters here.
                let mut d = Der::new(value)
                    .contents(der::SEQUENCE)
                    .ok_or_else(|| "x509: invalid CRL distribution points".to_owned())?;
                while !d.is_empty() {
                    d.read(der::SEQUENCE)
                        .ok_or_else(|| "x509: invalid CRL distribution point".to_owned())?;
                }
            }
            35 => {
                if critical && release.rejects_critical_key_ids() {
                    return Err(
                        "x509: authority key identifier incorrectly marked critical".to_owned()
                    );
                }
                let mut d = Der::new(value)
                    .contents(der::SEQUENCE)
                    .ok_or_else(|| "x509: invalid authority key identifier".to_owned())?;
                if d.peek_tag() == Some(der::ctx(0)) {
                    let id = d
                        .read(der::ctx(0))
                        .ok_or_else(|| "x509: invalid authority key identifier".to_owned())?;
                    out.authority_key_id = id.contents.to_vec();
                }
            }
            37 => {
                let mut d = Der::new(value)
                    .contents(der::SEQUENCE)
                    .ok_or_else(|| "x509: invalid extended key usages".to_owned())?;
                while !d.is_empty() {
                    let o = d
                        .read(der::OID)
                        .filter(|o| der::valid_oid(o.contents))
                        .ok_or_else(|| "x509: invalid extended key usages".to_owned())?;
                    match eku_name(o.contents) {
                        Some(name) => out.ekus.push(name),
                        None => out.unknown_ekus += 1,
                    }
                }
            }
            14 => {
                if critical && release.rejects_critical_key_ids() {
                    return Err(
                        "x509: subject key identifier incorrectly marked critical".to_owned()
                    );
                }
                let id = Der::new(value)
                    .read(der::OCTET_STRING)
                    .ok_or_else(|| "x509: invalid subject key identifier".to_owned())?;
                out.subject_key_id = id.contents.to_vec();
            }
            32 => {
                let mut d = Der::new(value)
                    .contents(der::SEQUENCE)
                    .ok_or_else(|| "x509: invalid certificate policies".to_owned())?;
                while !d.is_empty() {
                    let mut p = d
                        .contents(der::SEQUENCE)
                        .ok_or_else(|| "x509: invalid certificate policies".to_owned())?;
                    p.read(der::OID)
                        .ok_or_else(|| "x509: invalid certificate policies".to_owned())?;
                }
            }
            // Policy constraints, mappings and inhibitAnyPolicy: handled
            // (so a critical one is fine) since Go 1.24's policy validation.
            33 | 36 | 54 if release.handles_policy_extensions() => {}
            _ => unhandled = true,
        }
    } else if oid == OID_AIA {
        if critical && release.rejects_critical_key_ids() {
            return Err("x509: authority info access incorrectly marked critical".to_owned());
        }
        let bad = || "x509: invalid authority info access".to_owned();
        let mut d = Der::new(value).contents(der::SEQUENCE).ok_or_else(bad)?;
        while !d.is_empty() {
            let mut ad = d.contents(der::SEQUENCE).ok_or_else(bad)?;
            ad.read(der::OID)
                .filter(|o| der::valid_oid(o.contents))
                .ok_or_else(bad)?;
            if ad.peek_tag() == Some(der::ctx(6)) {
                ad.read(der::ctx(6)).ok_or_else(bad)?;
            }
        }
    } else {
        unhandled = true;
    }
    if critical && unhandled {
        out.unhandled_critical.push(der::oid_string(oid));
    }
    Ok(())
}

fn eku_name(oid: &[u8]) -> Option<&'static str> {
    const KP: &[u8] = &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03];
    if oid == [0x55, 0x1d, 0x25, 0x00] {
        return Some("anyExtendedKeyUsage");
    }
    if let Some(rest) = oid.strip_prefix(KP) {
        return match rest {
            [1] => Some("serverAuth"),
            [2] => Some("clientAuth"),
            [3] => Some("codeSigning"),
            [4] => Some("emailProtection"),
            [5] => Some("ipsecEndSystem"),
            [6] => Some("ipsecTunnel"),
            [7] => Some("ipsecUser"),
            [8] => Some("timeStamping"),
            [9] => Some("OCSPSigning"),
            _ => None,
        };
    }
    // Microsoft and Netscape server-gated crypto, commercial code signing,
    // kernel code signing: known to Go, useless to TLS.
    match oid {
        [0x2b, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x0a, 0x03, 0x03] => Some("msSGC"),
        [0x60, 0x86, 0x48, 0x01, 0x86, 0xf8, 0x42, 0x04, 0x01] => Some("nsSGC"),
        [0x2b, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x02, 0x01, 0x16] => Some("msCommercial"),
        [0x2b, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x3d, 0x01, 0x01] => Some("msKernel"),
        _ => None,
    }
}

/// Go's forEachSAN + parseSANExtension.
fn parse_sans(value: &[u8], release: GoRelease) -> Parse<Vec<GeneralName>> {
    let mut d = Der::new(value)
        .contents(der::SEQUENCE)
        .ok_or_else(|| "x509: invalid subject alternative names".to_owned())?;
    let mut out = Vec::new();
    while !d.is_empty() {
        let e = d
            .read_any()
            .ok_or_else(|| "x509: invalid subject alternative name".to_owned())?;
        let tag = e.tag ^ 0x80;
        let data = e.contents;
        match tag {
            1 if !ia5(data) => return Err("x509: SAN rfc822Name is malformed".to_owned()),
            2 if !ia5(data) => return Err("x509: SAN dNSName is malformed".to_owned()),
            6 => {
                if !ia5(data) {
                    return Err("x509: SAN uniformResourceIdentifier is malformed".to_owned());
                }
                let s = String::from_utf8_lossy(data);
                if let Some(host) = uri_host(&s)
                    && !host.is_empty()
                    && domain_to_reverse_labels(host).is_none()
                    && !host.starts_with('[')
                {
                    return Err(format!("x509: cannot parse URI {s:?}: invalid domain"));
                }
            }
            7 => match data.len() {
                4 => {}
                16 => {
                    if release.rejects_mapped_ipv6()
                        && data.starts_with(&[0; 10])
                        && data.get(10..12) == Some(&[0xff, 0xff])
                    {
                        return Err(
                            "x509: SAN iPAddress contains IPv4-mapped IPv6 address".to_owned()
                        );
                    }
                }
                n => return Err(format!("x509: cannot parse IP address of length {n}")),
            },
            _ => {}
        }
        out.push((tag, data.to_vec()));
    }
    Ok(out)
}

/// The host of a URI as Go's url.Parse finds it (scheme://[userinfo@]host[:port]/...),
/// or None when there is no authority.
pub fn uri_host(uri: &str) -> Option<&str> {
    let (_, rest) = uri.split_once("://")?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    if host_port.starts_with('[') {
        return Some(
            host_port
                .split_once(']')
                .map_or(host_port, |(h, _)| h)
                .trim_start_matches('['),
        );
    }
    Some(host_port.split(':').next().unwrap_or_default())
}

/// Go's parseNameConstraintsExtension: whether it holds a form Go does not
/// handle (a critical one is then an unhandled critical extension).
fn parse_name_constraints(out: &mut GoCert, value: &[u8], release: GoRelease) -> Parse<bool> {
    let bad = || "x509: invalid NameConstraints extension".to_owned();
    let mut outer = Der::new(value);
    let mut top = outer.contents(der::SEQUENCE).ok_or_else(bad)?;
    if !outer.is_empty() {
        return Err(bad());
    }
    let permitted = top.optional(der::ctx_cons(0)).ok_or_else(bad)?;
    let excluded = top.optional(der::ctx_cons(1)).ok_or_else(bad)?;
    if !top.is_empty() {
        return Err(bad());
    }
    let p = permitted.map(|e| e.contents).unwrap_or_default();
    let x = excluded.map(|e| e.contents).unwrap_or_default();
    if (permitted.is_none() && excluded.is_none()) || (p.is_empty() && x.is_empty()) {
        return Err("x509: empty name constraints extension".to_owned());
    }
    if release.rejects_empty_subtrees()
        && ((permitted.is_some() && p.is_empty()) || (excluded.is_some() && x.is_empty()))
    {
        return Err("x509: empty name constraints subtree sequence".to_owned());
    }
    let mut unhandled = false;
    out.permitted = subtrees(p, &mut unhandled, release)?;
    out.excluded = subtrees(x, &mut unhandled, release)?;
    Ok(unhandled)
}

fn subtrees(d: &[u8], unhandled: &mut bool, release: GoRelease) -> Parse<Constraints> {
    let mut c = Constraints::default();
    let mut list = Der::new(d);
    while !list.is_empty() {
        let mut seq = list
            .contents(der::SEQUENCE)
            .ok_or_else(|| "x509: invalid NameConstraints extension".to_owned())?;
        let base = seq
            .read_any()
            .ok_or_else(|| "x509: invalid NameConstraints extension".to_owned())?;
        let value = base.contents;
        let text = || String::from_utf8_lossy(value).into_owned();
        match base.tag {
            0x82 => {
                if !ia5(value) {
                    return Err(
                        "x509: invalid constraint value: asn1: invalid IA5String".to_owned()
                    );
                }
                let domain = text();
                let trimmed = domain.strip_prefix('.').unwrap_or(&domain);
                if !domain.is_empty() && domain_to_reverse_labels(trimmed).is_none() {
                    return Err(format!(
                        "x509: failed to parse dnsName constraint {domain:?}"
                    ));
                }
                c.dns.push(domain);
            }
            0x87 => {
                let (ip, mask) = match value.len() {
                    8 => value.split_at(4),
                    32 => value.split_at(16),
                    n => {
                        return Err(format!("x509: IP constraint contained value of length {n}"));
                    }
                };
                if !valid_mask(mask) {
                    return Err(format!(
                        "x509: IP constraint contained invalid mask {}",
                        hex::encode(mask)
                    ));
                }
                if release.rejects_mapped_ipv6()
                    && ip.len() == 16
                    && ip.starts_with(&[0; 10])
                    && ip.get(10..12) == Some(&[0xff, 0xff])
                {
                    return Err("x509: IP constraint contained IPv4-mapped IPv6 address".to_owned());
                }
                c.ips.push((ip.to_vec(), mask.to_vec()));
            }
            0x81 => {
                if !ia5(value) {
                    return Err(
                        "x509: invalid constraint value: asn1: invalid IA5String".to_owned()
                    );
                }
                let constraint = text();
                let ok = if constraint.contains('@') {
                    parse_mailbox(&constraint).is_some()
                } else {
                    let trimmed = constraint.strip_prefix('.').unwrap_or(&constraint);
                    constraint.is_empty() || domain_to_reverse_labels(trimmed).is_some()
                };
                if !ok {
                    return Err(format!(
                        "x509: failed to parse rfc822Name constraint {constraint:?}"
                    ));
                }
                c.emails.push(constraint);
            }
            0x86 => {
                if !ia5(value) {
                    return Err(
                        "x509: invalid constraint value: asn1: invalid IA5String".to_owned()
                    );
                }
                let domain = text();
                if domain.parse::<std::net::IpAddr>().is_ok() {
                    return Err(format!(
                        "x509: failed to parse URI constraint {domain:?}: cannot be IP address"
                    ));
                }
                let trimmed = domain.strip_prefix('.').unwrap_or(&domain);
                if !domain.is_empty() && domain_to_reverse_labels(trimmed).is_none() {
                    return Err(format!("x509: failed to parse URI constraint {domain:?}"));
                }
                c.uris.push(domain);
            }
            _ => *unhandled = true,
        }
    }
    Ok(c)
}

fn valid_mask(mask: &[u8]) -> bool {
    let mut seen_zero = false;
    for &b in mask {
        if seen_zero {
            if b != 0 {
                return false;
            }
            continue;
        }
        match b {
            0xff => {}
            0x00 | 0x80 | 0xc0 | 0xe0 | 0xf0 | 0xf8 | 0xfc | 0xfe => seen_zero = true,
            _ => return false,
        }
    }
    true
}

/// Go's domainToReverseLabels: None for an empty label (an absolute name
/// included) or a byte outside 33..=126.
pub fn domain_to_reverse_labels(domain: &str) -> Option<Vec<&str>> {
    if domain.is_empty() {
        return Some(Vec::new());
    }
    let labels: Vec<&str> = domain.rsplit('.').collect();
    if labels
        .iter()
        .any(|l| l.is_empty() || l.bytes().any(|c| !(33..=126).contains(&c)))
    {
        return None;
    }
    Some(labels)
}

/// An RFC 2821 mailbox: (local part, domain), as Go's parseRFC2821Mailbox
/// accepts it (dot-atoms and quoted strings; escapes kept simple).
pub fn parse_mailbox(input: &str) -> Option<(String, String)> {
    let bytes = input.as_bytes();
    let mut local = Vec::new();
    let mut i = 0;
    if bytes.first() == Some(&b'"') {
        i = 1;
        loop {
            let c = *bytes.get(i)?;
            i += 1;
            match c {
                b'"' => break,
                b'\\' => {
                    local.push(*bytes.get(i)?);
                    i += 1;
                }
                9 | 10 | 13 => return None,
                _ => local.push(c),
            }
        }
    } else {
        while let Some(&c) = bytes.get(i) {
            let atext = c.is_ascii_alphanumeric() || b"!#$%&'*+-/=?^_`{|}~.".contains(&c);
            if c == b'\\' {
                i += 1;
                local.push(*bytes.get(i)?);
                i += 1;
                continue;
            }
            if !atext {
                break;
            }
            local.push(c);
            i += 1;
        }
        if local.is_empty()
            || local.first() == Some(&b'.')
            || local.last() == Some(&b'.')
            || local.windows(2).any(|w| w == b"..")
        {
            return None;
        }
    }
    if bytes.get(i) != Some(&b'@') {
        return None;
    }
    let domain = input.get(i + 1..)?;
    domain_to_reverse_labels(domain)?;
    Some((String::from_utf8(local).ok()?, domain.to_owned()))
}
