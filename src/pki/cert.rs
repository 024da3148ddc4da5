//! The certificate model: what a certificate says, in the words tlsctl's
//! users need, computed once from DER and a `now` that the caller passes in.
//! Public keys and CSRs get the same treatment through [`KeyInfo`] and
//! [`CsrInfo`], and any item that carries a public key gets its pin through
//! [`item_pin`] (the digests themselves are `pin`'s, below this module).

use std::net::IpAddr;

use serde::Serialize;
use thiserror::Error;
use time::OffsetDateTime;
use x509_parser::certificate::X509Certificate;
use x509_parser::certification_request::X509CertificationRequest;
use x509_parser::extensions::{GeneralName, ParsedExtension};
use x509_parser::prelude::FromDer;
use x509_parser::x509::{SubjectPublicKeyInfo, X509Name};

use super::der::{self, DerError};
use super::key::{self, KeyError};
use super::pin::{sha256_hex, spki_pin};
use super::reader::Item;
use super::text::escape_controls;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ModelError {
    #[error("certificate could not be parsed: {0}")]
    Certificate(String),
    #[error("public key could not be parsed: {0}")]
    PublicKey(String),
    #[error("certificate signing request could not be parsed: {0}")]
    Csr(String),
}

/// Where a certificate stands against `now`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Validity {
    Valid,
    Expired,
    NotYetValid,
}

/// A subject alternative name, by kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct San {
    pub kind: SanKind,
    pub value: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SanKind {
    Dns,
    Ip,
    Email,
    Uri,
    Other,
}

impl SanKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SanKind::Dns => "DNS",
            SanKind::Ip => "IP",
            SanKind::Email => "email",
            SanKind::Uri => "URI",
            SanKind::Other => "other",
        }
    }
}

/// Basic constraints, when the extension is present.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct BasicConstraints {
    pub ca: bool,
    pub path_len: Option<u32>,
    pub critical: bool,
}

/// Key algorithm and size, from a SubjectPublicKeyInfo.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KeyInfo {
    /// `RSA`, `ECDSA`, `Ed25519`, `Ed448`, `DSA`, or the algorithm OID.
    pub algorithm: String,
    pub bits: u32,
    /// `P-256`, `P-384`, `P-521` (ECDSA only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub curve: Option<String>,
}

impl KeyInfo {
    /// "ECDSA P-256", "RSA 2048", "Ed25519".
    pub fn describe(&self) -> String {
        match (&self.curve, self.algorithm.as_str()) {
            (Some(curve), _) => format!("{} {curve}", self.algorithm),
            (None, "Ed25519" | "Ed448") => self.algorithm.clone(),
            (None, _) => format!("{} {}", self.algorithm, self.bits),
        }
    }

    /// Parses the key description out of SPKI DER.
    pub fn from_spki(spki_der: &[u8]) -> Result<KeyInfo, ModelError> {
        let (_, spki) = SubjectPublicKeyInfo::from_der(spki_der)
            .map_err(|e| ModelError::PublicKey(e.to_string()))?;
        Ok(key_info(&spki))
    }
}

fn key_info(spki: &SubjectPublicKeyInfo<'_>) -> KeyInfo {
    let oid = spki.algorithm.algorithm.to_id_string();
    let bits = spki.parsed().map(|k| k.key_size()).unwrap_or(0) as u32;
    let (algorithm, bits, curve) = match oid.as_str() {
        "1.2.840.113549.1.1.1" => ("RSA".to_owned(), bits, None),
        "1.2.840.113549.1.1.10" => ("RSA-PSS".to_owned(), bits, None),
        "1.2.840.10045.2.1" => {
            let curve_oid = spki
                .algorithm
                .parameters
                .as_ref()
                .and_then(|p| p.as_oid().ok())
                .map(|o| o.to_id_string())
                .unwrap_or_default();
            let (curve, bits) = match curve_oid.as_str() {
                "1.2.840.10045.3.1.7" => ("P-256".to_owned(), 256),
                "1.3.132.0.34" => ("P-384".to_owned(), 384),
                "1.3.132.0.35" => ("P-521".to_owned(), 521),
                "1.3.132.0.10" => ("secp256k1".to_owned(), 256),
                other => (other.to_owned(), bits),
            };
            ("ECDSA".to_owned(), bits, Some(curve))
        }
        "1.3.101.112" => ("Ed25519".to_owned(), 256, None),
        "1.3.101.113" => ("Ed448".to_owned(), 456, None),
        "1.2.840.10040.4.1" => ("DSA".to_owned(), bits, None),
        _ => (oid, bits, None),
    };
    KeyInfo {
        algorithm,
        bits,
        curve,
    }
}

/// Everything tlsctl shows about a certificate.
#[derive(Debug, Clone, Serialize)]
pub struct CertInfo {
    pub subject: String,
    pub issuer: String,
    /// The subject's first common name, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub common_name: Option<String>,
    /// Lowercase hex, colon-free.
    pub serial: String,
    #[serde(with = "time::serde::rfc3339")]
    pub not_before: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub not_after: OffsetDateTime,
    /// Whole days from `now` to not-after (negative once expired).
    pub days_left: i64,
    /// Seconds from `now` to not-after, for "23 hours" where days say 0.
    #[serde(skip)]
    pub seconds_left: i64,
    pub validity: Validity,
    pub sans: Vec<San>,
    /// RFC 5280 names (`digitalSignature`, `keyCertSign`, ...); `None` when
    /// the extension is absent.
    pub key_usage: Option<Vec<String>>,
    /// `serverAuth`, `clientAuth`, ... or dotted OIDs; `None` when the
    /// extension is absent (which permits every usage).
    pub extended_key_usage: Option<Vec<String>>,
    pub basic_constraints: Option<BasicConstraints>,
    pub is_ca: bool,
    pub self_signed: bool,
    pub key: KeyInfo,
    pub subject_key_id: Option<String>,
    pub authority_key_id: Option<String>,
    pub signature_algorithm: String,
    pub version: u32,
    /// SHA-256 of the whole certificate DER (what `openssl x509
    /// -fingerprint -sha256` and NATS logs show). Not the pin.
    pub fingerprint_sha256: String,
    /// SHA-256 of the DER SubjectPublicKeyInfo (what NATS `pinned_certs`
    /// holds). Survives a renewal with the same key.
    pub pin_sha256: String,
    /// DER of the subject name, for matching across bundles.
    #[serde(skip)]
    pub subject_der: Vec<u8>,
    #[serde(skip)]
    pub issuer_der: Vec<u8>,
    #[serde(skip)]
    pub spki_der: Vec<u8>,
}

impl CertInfo {
    /// Builds the model from certificate DER, with `now` for days left.
    pub fn parse(der: &[u8], now: OffsetDateTime) -> Result<CertInfo, ModelError> {
        let (_, cert) =
            X509Certificate::from_der(der).map_err(|e| ModelError::Certificate(e.to_string()))?;
        Ok(Self::from_parsed(&cert, der, now))
    }

    fn from_parsed(cert: &X509Certificate<'_>, der: &[u8], now: OffsetDateTime) -> CertInfo {
        let not_before = asn1_time(cert.validity().not_before.timestamp());
        let not_after = asn1_time(cert.validity().not_after.timestamp());
        let validity = if now < not_before {
            Validity::NotYetValid
        } else if now > not_after {
            Validity::Expired
        } else {
            Validity::Valid
        };
        let days_left = (not_after - now).whole_days();
        let seconds_left = (not_after - now).whole_seconds();

        let mut sans = Vec::new();
        let mut key_usage = None;
        let mut extended_key_usage = None;
        let mut basic_constraints = None;
        let mut subject_key_id = None;
        let mut authority_key_id = None;
        for ext in cert.extensions() {
            match ext.parsed_extension() {
                ParsedExtension::SubjectAlternativeName(san) => {
                    sans.extend(san.general_names.iter().map(san_of));
                }
                ParsedExtension::KeyUsage(ku) => key_usage = Some(key_usage_names(ku.flags)),
                ParsedExtension::ExtendedKeyUsage(eku) => {
                    let mut names = Vec::new();
                    let flags = [
                        (eku.any, "anyExtendedKeyUsage"),
                        (eku.server_auth, "serverAuth"),
                        (eku.client_auth, "clientAuth"),
                        (eku.code_signing, "codeSigning"),
                        (eku.email_protection, "emailProtection"),
                        (eku.time_stamping, "timeStamping"),
                        (eku.ocsp_signing, "OCSPSigning"),
                    ];
                    names.extend(
                        flags
                            .iter()
                            .filter(|(on, _)| *on)
                            .map(|(_, n)| n.to_string()),
                    );
                    names.extend(eku.other.iter().map(|o| o.to_id_string()));
                    extended_key_usage = Some(names);
                }
                ParsedExtension::BasicConstraints(bc) => {
                    basic_constraints = Some(BasicConstraints {
                        ca: bc.ca,
                        path_len: bc.path_len_constraint,
                        critical: ext.critical,
                    });
                }
                ParsedExtension::SubjectKeyIdentifier(ki) => {
                    subject_key_id = Some(colon_hex(ki.0));
                }
                ParsedExtension::AuthorityKeyIdentifier(aki) => {
                    authority_key_id = aki.key_identifier.as_ref().map(|ki| colon_hex(ki.0));
                }
                _ => {}
            }
        }
        let spki = cert.public_key();
        let subject_der = cert.subject().as_raw().to_vec();
        let issuer_der = cert.issuer().as_raw().to_vec();
        let self_signed = subject_der == issuer_der
            && (authority_key_id.is_none() || authority_key_id == subject_key_id);
        CertInfo {
            subject: name_string(cert.subject()),
            issuer: name_string(cert.issuer()),
            common_name: common_name(cert.subject()),
            serial: hex::encode(trim_serial(cert.raw_serial())),
            not_before,
            not_after,
            days_left,
            seconds_left,
            validity,
            sans,
            key_usage,
            extended_key_usage,
            is_ca: basic_constraints.is_some_and(|bc| bc.ca),
            basic_constraints,
            self_signed,
            key: key_info(spki),
            subject_key_id,
            authority_key_id,
            signature_algorithm: signature_algorithm_name(
                &cert.signature_algorithm.algorithm.to_id_string(),
            ),
            version: cert.version().0 + 1,
            fingerprint_sha256: sha256_hex(der),
            pin_sha256: spki_pin(spki.raw),
            subject_der,
            issuer_der,
            spki_der: spki.raw.to_vec(),
        }
    }

    /// Whether the EKU extension allows TLS server authentication (absent
    /// EKU allows everything).
    pub fn allows_server_auth(&self) -> bool {
        self.allows_eku("serverAuth")
    }

    pub fn allows_client_auth(&self) -> bool {
        self.allows_eku("clientAuth")
    }

    /// The EKUs a use needs (`server`, `client`) that this certificate
    /// lacks, by name.
    pub fn missing_ekus(&self, server: bool, client: bool) -> Vec<&'static str> {
        [
            (server && !self.allows_server_auth(), "serverAuth"),
            (client && !self.allows_client_auth(), "clientAuth"),
        ]
        .into_iter()
        .filter_map(|(missing, name)| missing.then_some(name))
        .collect()
    }

    fn allows_eku(&self, name: &str) -> bool {
        self.extended_key_usage
            .as_ref()
            .is_none_or(|ekus| ekus.iter().any(|e| e == name || e == "anyExtendedKeyUsage"))
    }

    /// The subject's display name: CN when there is one, else the full DN.
    pub fn short_name(&self) -> &str {
        self.common_name.as_deref().unwrap_or(&self.subject)
    }
}

/// What tlsctl shows about a CSR.
#[derive(Debug, Clone, Serialize)]
pub struct CsrInfo {
    pub subject: String,
    pub sans: Vec<San>,
    pub key: KeyInfo,
    pub signature_algorithm: String,
    pub pin_sha256: String,
}

impl CsrInfo {
    pub fn parse(der: &[u8]) -> Result<CsrInfo, ModelError> {
        let (_, csr) =
            X509CertificationRequest::from_der(der).map_err(|e| ModelError::Csr(e.to_string()))?;
        let info = &csr.certification_request_info;
        let mut sans = Vec::new();
        if let Some(exts) = csr.requested_extensions() {
            for ext in exts {
                if let ParsedExtension::SubjectAlternativeName(san) = ext {
                    sans.extend(san.general_names.iter().map(san_of));
                }
            }
        }
        Ok(CsrInfo {
            subject: name_string(&info.subject),
            sans,
            key: key_info(&info.subject_pki),
            signature_algorithm: signature_algorithm_name(
                &csr.signature_algorithm.algorithm.to_id_string(),
            ),
            pin_sha256: spki_pin(info.subject_pki.raw),
        })
    }

    /// The raw SPKI of the CSR.
    pub fn spki(der: &[u8]) -> Result<Vec<u8>, ModelError> {
        let (_, csr) =
            X509CertificationRequest::from_der(der).map_err(|e| ModelError::Csr(e.to_string()))?;
        Ok(csr.certification_request_info.subject_pki.raw.to_vec())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PinError {
    #[error("certificate {0}")]
    Certificate(DerError),
    #[error(transparent)]
    Key(#[from] KeyError),
    #[error(transparent)]
    Model(#[from] ModelError),
}

/// The SPKI (DER) of any item that carries a public key.
pub fn item_spki(item: &Item) -> Result<std::borrow::Cow<'_, [u8]>, PinError> {
    use std::borrow::Cow;
    Ok(match item {
        Item::Certificate(cert) => {
            Cow::Borrowed(der::certificate_spki(cert).map_err(PinError::Certificate)?)
        }
        Item::PublicKey(spki) => Cow::Borrowed(spki.as_ref()),
        Item::Csr(csr) => Cow::Owned(CsrInfo::spki(csr.as_ref())?),
        Item::PrivateKey(key) => Cow::Owned(key::public_spki(key)?),
    })
}

/// The pin of any item that carries a public key.
pub fn item_pin(item: &Item) -> Result<String, PinError> {
    Ok(spki_pin(&item_spki(item)?))
}

fn asn1_time(timestamp: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(timestamp).unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

/// The display of a DER-encoded Name, as [`CertInfo::subject`] shows it,
/// without parsing the rest of the certificate; `None` when it is not a Name.
pub fn name_of_der(der: &[u8]) -> Option<String> {
    X509Name::from_der(der)
        .ok()
        .map(|(_, name)| name_string(&name))
}

fn name_string(name: &X509Name<'_>) -> String {
    // x509-parser renders in certificate order ("C=US, O=..., CN=...").
    let s = name.to_string();
    if s.is_empty() {
        "(empty)".to_owned()
    } else {
        // A crafted name must not reach a terminal raw.
        escape_controls(&s).into_owned()
    }
}

fn common_name(name: &X509Name<'_>) -> Option<String> {
    name.iter_common_name()
        .next()
        .and_then(|cn| cn.as_str().ok())
        .map(|cn| escape_controls(cn).into_owned())
}

fn san_of(name: &GeneralName<'_>) -> San {
    let (kind, value) = match name {
        GeneralName::DNSName(s) => (SanKind::Dns, (*s).to_owned()),
        GeneralName::RFC822Name(s) => (SanKind::Email, (*s).to_owned()),
        GeneralName::URI(s) => (SanKind::Uri, (*s).to_owned()),
        GeneralName::IPAddress(bytes) => (SanKind::Ip, ip_string(bytes)),
        other => (SanKind::Other, format!("{other}")),
    };
    San {
        kind,
        value: escape_controls(&value).into_owned(),
    }
}

fn ip_string(bytes: &[u8]) -> String {
    match bytes.len() {
        4 => <[u8; 4]>::try_from(bytes)
            .map(|b| IpAddr::from(b).to_string())
            .unwrap_or_default(),
        16 => <[u8; 16]>::try_from(bytes)
            .map(|b| IpAddr::from(b).to_string())
            .unwrap_or_default(),
        _ => format!("(malformed: {})", hex::encode(bytes)),
    }
}

fn key_usage_names(flags: u16) -> Vec<String> {
    const NAMES: [&str; 9] = [
        "digitalSignature",
        "nonRepudiation",
        "keyEncipherment",
        "dataEncipherment",
        "keyAgreement",
        "keyCertSign",
        "cRLSign",
        "encipherOnly",
        "decipherOnly",
    ];
    NAMES
        .iter()
        .enumerate()
        .filter(|(i, _)| (flags >> i) & 1 == 1)
        .map(|(_, n)| (*n).to_owned())
        .collect()
}

fn trim_serial(raw: &[u8]) -> &[u8] {
    let skip = raw.iter().take_while(|&&b| b == 0).count();
    match raw.get(skip..) {
        Some([]) | None => raw.get(raw.len().saturating_sub(1)..).unwrap_or(raw),
        Some(rest) => rest,
    }
}

/// `ab:cd:ef`, the form openssl prints key identifiers in.
pub fn colon_hex(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 3);
    for (i, b) in bytes.iter().enumerate() {
        if i > 0 {
            s.push(':');
        }
        s.push_str(&format!("{b:02x}"));
    }
    s
}

/// Names for the signature algorithms certificates carry.
pub fn signature_algorithm_name(oid: &str) -> String {
    match oid {
        "1.2.840.113549.1.1.4" => "md5WithRSAEncryption",
        "1.2.840.113549.1.1.5" => "sha1WithRSAEncryption",
        "1.2.840.113549.1.1.10" => "rsassaPss",
        "1.2.840.113549.1.1.11" => "sha256WithRSAEncryption",
        "1.2.840.113549.1.1.12" => "sha384WithRSAEncryption",
        "1.2.840.113549.1.1.13" => "sha512WithRSAEncryption",
        "1.2.840.10045.4.1" => "ecdsa-with-SHA1",
        "1.2.840.10045.4.3.2" => "ecdsa-with-SHA256",
        "1.2.840.10045.4.3.3" => "ecdsa-with-SHA384",
        "1.2.840.10045.4.3.4" => "ecdsa-with-SHA512",
        "1.3.101.112" => "Ed25519",
        "1.3.101.113" => "Ed448",
        other => return other.to_owned(),
    }
    .to_owned()
}
