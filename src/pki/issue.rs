//! Issuing: CAs (roots and intermediates) and leaves, with rcgen on the
//! aws-lc-rs backend. A leaf cannot be issued without a [`Signer`]; every
//! check that refuses a request (a parent that is not a CA, a child that
//! would outlive its parent) happens here, before anything is signed.
//!
//! Serial numbers are always 16 random bytes (rcgen would otherwise derive
//! the serial from the key, so a renewal with the same key would repeat it).

use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, DnValue,
    ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair, KeyUsagePurpose, PublicKeyData, SanType,
    SerialNumber,
};
use rustls_pki_types::CertificateDer;
use serde::Serialize;
use thiserror::Error;
use time::{Duration, OffsetDateTime};
use x509_parser::prelude::FromDer;

use super::cert::CertInfo;
use super::san::SanSpec;

#[derive(Debug, Error)]
pub enum IssueError {
    #[error("{name} is not a CA certificate (no CA:TRUE basic constraint); it cannot sign")]
    NotCa { name: String },
    #[error("{name} has path length 0: it can sign leaves but not another CA")]
    PathLenZero { name: String },
    #[error("{name} lacks the keyCertSign key usage: it cannot sign certificates")]
    NoKeyCertSign { name: String },
    #[error(
        "the new CA would outlive its parent {parent} (which expires {parent_not_after}); \
         give it {max_days} days or fewer"
    )]
    OutlivesParent {
        parent: String,
        parent_not_after: String,
        max_days: i64,
    },
    #[error("{name} has expired ({not_after}); it can no longer sign")]
    SignerExpired { name: String, not_after: String },
    #[error("validity must be at least 1 day")]
    NoDays,
    #[error(
        "a validity of {0} days would end after 9999-12-31, the last date a certificate can hold; give fewer days"
    )]
    TooManyDays(i64),
    #[error("the key could not be generated: {0}")]
    KeyGeneration(String),
    #[error("signing failed: {0}")]
    Signing(String),
    #[error("the signer's certificate could not be read: {0}")]
    SignerCertificate(String),
    #[error("a common name or organisation is not valid: {0}")]
    Name(String),
    #[error("the public key is not one tlsctl can issue for: {0}")]
    PublicKey(String),
    #[error("random numbers are unavailable")]
    Random,
}

/// The key types tlsctl generates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum KeyType {
    EcdsaP256,
    EcdsaP384,
    EcdsaP521,
    Ed25519,
    Rsa2048,
    Rsa3072,
    Rsa4096,
}

impl KeyType {
    pub const ALL: [KeyType; 7] = [
        KeyType::EcdsaP256,
        KeyType::EcdsaP384,
        KeyType::EcdsaP521,
        KeyType::Ed25519,
        KeyType::Rsa2048,
        KeyType::Rsa3072,
        KeyType::Rsa4096,
    ];

    /// Every name, in the order of [`KeyType::ALL`] (choices in forms).
    pub const NAMES: [&'static str; 7] = [
        KeyType::ALL[0].name(),
        KeyType::ALL[1].name(),
        KeyType::ALL[2].name(),
        KeyType::ALL[3].name(),
        KeyType::ALL[4].name(),
        KeyType::ALL[5].name(),
        KeyType::ALL[6].name(),
    ];

    pub const fn name(self) -> &'static str {
        match self {
            KeyType::EcdsaP256 => "ecdsa-p256",
            KeyType::EcdsaP384 => "ecdsa-p384",
            KeyType::EcdsaP521 => "ecdsa-p521",
            KeyType::Ed25519 => "ed25519",
            KeyType::Rsa2048 => "rsa-2048",
            KeyType::Rsa3072 => "rsa-3072",
            KeyType::Rsa4096 => "rsa-4096",
        }
    }

    pub fn from_name(name: &str) -> Option<KeyType> {
        KeyType::ALL.into_iter().find(|k| k.name() == name)
    }

    pub fn is_rsa(self) -> bool {
        matches!(self, KeyType::Rsa2048 | KeyType::Rsa3072 | KeyType::Rsa4096)
    }

    /// Generates a fresh key (RSA takes from a fraction of a second to
    /// several seconds).
    pub fn generate(self) -> Result<KeyPair, IssueError> {
        let gen_err = |e: rcgen::Error| IssueError::KeyGeneration(e.to_string());
        match self {
            KeyType::EcdsaP256 => KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256),
            KeyType::EcdsaP384 => KeyPair::generate_for(&rcgen::PKCS_ECDSA_P384_SHA384),
            KeyType::EcdsaP521 => KeyPair::generate_for(&rcgen::PKCS_ECDSA_P521_SHA512),
            KeyType::Ed25519 => KeyPair::generate_for(&rcgen::PKCS_ED25519),
            KeyType::Rsa2048 => {
                KeyPair::generate_rsa_for(&rcgen::PKCS_RSA_SHA256, rcgen::RsaKeySize::_2048)
            }
            KeyType::Rsa3072 => {
                KeyPair::generate_rsa_for(&rcgen::PKCS_RSA_SHA256, rcgen::RsaKeySize::_3072)
            }
            KeyType::Rsa4096 => {
                KeyPair::generate_rsa_for(&rcgen::PKCS_RSA_SHA256, rcgen::RsaKeySize::_4096)
            }
        }
        .map_err(gen_err)
    }

    /// The key type of an existing key, from its SPKI.
    pub fn of_spki(spki_der: &[u8]) -> Option<KeyType> {
        let info = super::cert::KeyInfo::from_spki(spki_der).ok()?;
        match (info.algorithm.as_str(), info.curve.as_deref(), info.bits) {
            ("ECDSA", Some("P-256"), _) => Some(KeyType::EcdsaP256),
            ("ECDSA", Some("P-384"), _) => Some(KeyType::EcdsaP384),
            ("ECDSA", Some("P-521"), _) => Some(KeyType::EcdsaP521),
            ("Ed25519", _, _) => Some(KeyType::Ed25519),
            ("RSA", _, 2048) => Some(KeyType::Rsa2048),
            ("RSA", _, 3072) => Some(KeyType::Rsa3072),
            ("RSA", _, 4096) => Some(KeyType::Rsa4096),
            _ => None,
        }
    }
}

/// What a leaf is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Usage {
    /// serverAuth + clientAuth: what NATS routes (and any mTLS peer that
    /// both dials and accepts) need.
    Dual,
    Server,
    Client,
}

impl Usage {
    pub const ALL: [Usage; 3] = [Usage::Dual, Usage::Server, Usage::Client];
    /// Every name, in the order of [`Usage::ALL`] (choices in forms).
    pub const NAMES: [&'static str; 3] = [
        Usage::ALL[0].name(),
        Usage::ALL[1].name(),
        Usage::ALL[2].name(),
    ];

    pub fn from_name(name: &str) -> Option<Usage> {
        Usage::ALL.into_iter().find(|u| u.name() == name)
    }

    pub const fn name(self) -> &'static str {
        match self {
            Usage::Dual => "dual",
            Usage::Server => "server",
            Usage::Client => "client",
        }
    }

    /// The usage a certificate's EKU amounts to.
    pub fn of(info: &CertInfo) -> Usage {
        match (info.allows_server_auth(), info.allows_client_auth()) {
            (true, false) => Usage::Server,
            (false, true) => Usage::Client,
            _ => Usage::Dual,
        }
    }
}

/// A CA certificate and its key: what can sign.
pub struct Signer {
    /// A name for messages (the store name of the CA).
    pub name: String,
    pub cert: CertificateDer<'static>,
    pub info: CertInfo,
    pub key: KeyPair,
}

impl Signer {
    pub fn new(
        name: &str,
        cert: CertificateDer<'static>,
        key: KeyPair,
        now: OffsetDateTime,
    ) -> Result<Signer, IssueError> {
        let info = CertInfo::parse(&cert, now)
            .map_err(|e| IssueError::SignerCertificate(e.to_string()))?;
        Ok(Signer {
            name: name.to_owned(),
            cert,
            info,
            key,
        })
    }

    /// Refuses a signer that is not a CA, has expired, or lacks keyCertSign.
    fn check_can_sign(&self, now: OffsetDateTime) -> Result<(), IssueError> {
        if !self.info.is_ca {
            return Err(IssueError::NotCa {
                name: self.name.clone(),
            });
        }
        if let Some(ku) = &self.info.key_usage
            && !ku.iter().any(|u| u == "keyCertSign")
        {
            return Err(IssueError::NoKeyCertSign {
                name: self.name.clone(),
            });
        }
        if self.info.not_after < now {
            return Err(IssueError::SignerExpired {
                name: self.name.clone(),
                not_after: super::render::format_time(self.info.not_after),
            });
        }
        Ok(())
    }

    fn issuer(&self) -> Result<Issuer<'static, &KeyPair>, IssueError> {
        Issuer::from_ca_cert_der(&self.cert, &self.key)
            .map_err(|e| IssueError::SignerCertificate(e.to_string()))
    }
}

/// A validity window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub not_before: OffsetDateTime,
    pub not_after: OffsetDateTime,
}

impl Window {
    /// `days` from `start` (whole seconds).
    pub fn days_from(start: OffsetDateTime, days: i64) -> Result<Window, IssueError> {
        if days < 1 {
            return Err(IssueError::NoDays);
        }
        // Ten thousand years of days bounds the arithmetic below; the year
        // 9999 bounds what X.509 GeneralizedTime can hold.
        const MAX_DAYS: i64 = 3_652_500;
        let start = start.replace_nanosecond(0).unwrap_or(start);
        let not_after = (days <= MAX_DAYS)
            .then(|| start.checked_add(Duration::days(days)))
            .flatten()
            .filter(|end| end.year() <= 9999)
            .ok_or(IssueError::TooManyDays(days))?;
        Ok(Window {
            not_before: start,
            not_after,
        })
    }
}

/// How far back a certificate's not-before is set when the user gives no
/// start, so that a peer whose clock runs a little behind accepts it.
pub const BACKDATE: Duration = Duration::minutes(1);

/// A CA to create.
pub struct CaRequest<'a> {
    pub common_name: String,
    pub organization: Option<String>,
    pub window: Window,
    /// `None` for no limit.
    pub path_len: Option<u8>,
    pub parent: Option<&'a Signer>,
}

/// Issues a root (self-signed) or an intermediate (signed by the parent).
pub fn issue_ca(
    req: &CaRequest<'_>,
    key: &KeyPair,
    now: OffsetDateTime,
) -> Result<CertificateDer<'static>, IssueError> {
    let mut params = CertificateParams::default();
    params.distinguished_name = name(&req.common_name, req.organization.as_deref())?;
    params.not_before = req.window.not_before;
    params.not_after = req.window.not_after;
    params.serial_number = Some(random_serial()?);
    params.is_ca = IsCa::Ca(match req.path_len {
        Some(n) => BasicConstraints::Constrained(n),
        None => BasicConstraints::Unconstrained,
    });
    params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    let signing = |e: rcgen::Error| IssueError::Signing(e.to_string());
    match req.parent {
        None => params
            .self_signed(key)
            .map(|c| c.der().clone())
            .map_err(signing),
        Some(parent) => {
            parent.check_can_sign(now)?;
            if parent.info.basic_constraints.and_then(|bc| bc.path_len) == Some(0) {
                return Err(IssueError::PathLenZero {
                    name: parent.name.clone(),
                });
            }
            if req.window.not_after > parent.info.not_after {
                return Err(IssueError::OutlivesParent {
                    parent: parent.name.clone(),
                    parent_not_after: super::render::format_time(parent.info.not_after),
                    max_days: (parent.info.not_after - req.window.not_before).whole_days(),
                });
            }
            params.use_authority_key_identifier_extension = true;
            params
                .signed_by(key, &parent.issuer()?)
                .map(|c| c.der().clone())
                .map_err(signing)
        }
    }
}

/// The public key a leaf is issued for: a fresh or reused key pair, or
/// (for a renewal that keeps the key) just the public key.
pub enum LeafKey<'a> {
    Pair(&'a KeyPair),
    Public(&'a rcgen::SubjectPublicKeyInfo),
}

/// A leaf to issue.
pub struct LeafRequest {
    pub sans: Vec<SanSpec>,
    /// The subject: a CN (and optional O) for a new leaf, or the subject of
    /// the certificate being renewed.
    pub subject: DistinguishedName,
    pub usage: Usage,
    pub window: Window,
    /// Adds keyEncipherment (RSA keys, for TLS 1.2 RSA key exchange).
    pub rsa: bool,
}

/// What issuing a leaf produced.
pub struct IssuedLeaf {
    pub cert: CertificateDer<'static>,
    /// The window was cut to the issuer's not-after.
    pub capped: bool,
}

/// Issues a leaf: explicit CA:FALSE, digitalSignature (+ keyEncipherment
/// for RSA), EKU by usage, SKI and AKI, random serial; the validity is
/// capped at the issuer's not-after.
pub fn issue_leaf(
    req: &LeafRequest,
    key: LeafKey<'_>,
    signer: &Signer,
    now: OffsetDateTime,
) -> Result<IssuedLeaf, IssueError> {
    signer.check_can_sign(now)?;
    let mut params = CertificateParams::default();
    params.distinguished_name = req.subject.clone();
    params.subject_alt_names = req.sans.iter().map(san_type).collect::<Result<_, _>>()?;
    let capped = req.window.not_after > signer.info.not_after;
    params.not_before = req.window.not_before;
    params.not_after = if capped {
        signer.info.not_after
    } else {
        req.window.not_after
    };
    params.serial_number = Some(random_serial()?);
    params.is_ca = IsCa::ExplicitNoCa;
    params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    if req.rsa {
        params.key_usages.push(KeyUsagePurpose::KeyEncipherment);
    }
    params.extended_key_usages = match req.usage {
        Usage::Dual => vec![
            ExtendedKeyUsagePurpose::ServerAuth,
            ExtendedKeyUsagePurpose::ClientAuth,
        ],
        Usage::Server => vec![ExtendedKeyUsagePurpose::ServerAuth],
        Usage::Client => vec![ExtendedKeyUsagePurpose::ClientAuth],
    };
    params.use_authority_key_identifier_extension = true;
    let issuer = signer.issuer()?;
    let signing = |e: rcgen::Error| IssueError::Signing(e.to_string());
    let cert = match key {
        LeafKey::Pair(pair) => params.signed_by(pair, &issuer),
        LeafKey::Public(public) => params.signed_by(public, &issuer),
    }
    .map_err(signing)?;
    Ok(IssuedLeaf {
        cert: cert.der().clone(),
        capped,
    })
}

/// The rcgen public key of an SPKI, for issuing to a key whose private half
/// tlsctl does not have.
pub fn public_key(spki_der: &[u8]) -> Result<rcgen::SubjectPublicKeyInfo, IssueError> {
    rcgen::SubjectPublicKeyInfo::from_der(spki_der)
        .map_err(|e| IssueError::PublicKey(e.to_string()))
}

/// The SPKI (DER) of a key pair.
pub fn spki_of(key: &KeyPair) -> Vec<u8> {
    key.subject_public_key_info()
}

/// `CN=cn` (and `O=org`), as UTF8Strings.
pub fn name(
    common_name: &str,
    organization: Option<&str>,
) -> Result<DistinguishedName, IssueError> {
    if common_name.trim().is_empty() {
        return Err(IssueError::Name("the common name is empty".to_owned()));
    }
    if common_name.chars().any(char::is_control) {
        return Err(IssueError::Name(
            "the common name holds control characters".to_owned(),
        ));
    }
    let mut dn = DistinguishedName::new();
    if let Some(org) = organization {
        dn.push(
            DnType::OrganizationName,
            DnValue::Utf8String(org.to_owned()),
        );
    }
    dn.push(
        DnType::CommonName,
        DnValue::Utf8String(common_name.to_owned()),
    );
    Ok(dn)
}

/// The subject of an existing certificate, rebuilt attribute by attribute
/// with the original string types, for a renewal that keeps it.
pub fn subject_of(cert_der: &[u8]) -> Result<DistinguishedName, IssueError> {
    let (_, cert) = x509_parser::certificate::X509Certificate::from_der(cert_der)
        .map_err(|e| IssueError::SignerCertificate(e.to_string()))?;
    dn_of(cert.subject())
}

/// A parsed name (a certificate's subject, a CSR's), rebuilt attribute by
/// attribute with the original string types.
pub fn dn_of(name: &x509_parser::x509::X509Name<'_>) -> Result<DistinguishedName, IssueError> {
    use x509_parser::der_parser::asn1_rs::Tag;
    let mut dn = DistinguishedName::new();
    for attr in name.iter_attributes() {
        let oid = attr.attr_type();
        let ty = match oid.to_id_string().as_str() {
            "2.5.4.3" => DnType::CommonName,
            "2.5.4.10" => DnType::OrganizationName,
            "2.5.4.11" => DnType::OrganizationalUnitName,
            "2.5.4.6" => DnType::CountryName,
            "2.5.4.8" => DnType::StateOrProvinceName,
            "2.5.4.7" => DnType::LocalityName,
            _ => match oid.iter() {
                Some(arcs) => DnType::CustomDnType(arcs.collect()),
                None => continue,
            },
        };
        let text = attr
            .as_str()
            .map_err(|e| IssueError::Name(e.to_string()))?
            .to_owned();
        let value = match attr.attr_value().tag() {
            Tag::PrintableString => rcgen::string::PrintableString::try_from(text.as_str())
                .map(DnValue::PrintableString)
                .unwrap_or(DnValue::Utf8String(text)),
            Tag::Ia5String => rcgen::string::Ia5String::try_from(text.as_str())
                .map(DnValue::Ia5String)
                .unwrap_or(DnValue::Utf8String(text)),
            _ => DnValue::Utf8String(text),
        };
        dn.push(ty, value);
    }
    Ok(dn)
}

fn san_type(san: &SanSpec) -> Result<SanType, IssueError> {
    let ia5 = |s: &str| {
        rcgen::string::Ia5String::try_from(s).map_err(|e| IssueError::Name(e.to_string()))
    };
    Ok(match san {
        SanSpec::Dns(s) => SanType::DnsName(ia5(s)?),
        SanSpec::Ip(ip) => SanType::IpAddress(*ip),
        SanSpec::Email(s) => SanType::Rfc822Name(ia5(s)?),
        SanSpec::Uri(s) => SanType::URI(ia5(s)?),
    })
}

/// 16 random bytes, positive, with no leading zero byte.
fn random_serial() -> Result<SerialNumber, IssueError> {
    let mut bytes = [0u8; 16];
    aws_lc_rs::rand::fill(&mut bytes).map_err(|_| IssueError::Random)?;
    if let Some(first) = bytes.first_mut() {
        *first = (*first & 0x7f) | 0x40;
    }
    Ok(SerialNumber::from_slice(&bytes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pki::san::parse_san;

    fn now() -> OffsetDateTime {
        OffsetDateTime::from_unix_timestamp(1_800_000_000).unwrap()
    }

    #[test]
    fn days_past_the_year_9999_are_an_error_not_a_panic() {
        for days in [99_999_999, i64::MAX, 3_000_000] {
            assert!(matches!(
                Window::days_from(now(), days),
                Err(IssueError::TooManyDays(d)) if d == days
            ));
        }
        let w = Window::days_from(now(), 2_900_000).unwrap();
        assert!(w.not_after.year() <= 9999);
    }

    fn root(days: i64) -> Signer {
        let key = KeyType::EcdsaP256.generate().unwrap();
        let req = CaRequest {
            common_name: "Test Root".into(),
            organization: Some("tlsctl".into()),
            window: Window::days_from(now(), days).unwrap(),
            path_len: None,
            parent: None,
        };
        let cert = issue_ca(&req, &key, now()).unwrap();
        Signer::new("root", cert, key, now()).unwrap()
    }

    #[test]
    fn a_root_is_a_critical_ca_with_cert_sign_and_a_random_serial() {
        let a = root(3650);
        let b = root(3650);
        assert!(a.info.is_ca && a.info.self_signed);
        assert!(a.info.basic_constraints.unwrap().critical);
        assert_eq!(
            a.info.key_usage.as_deref().unwrap(),
            ["keyCertSign", "cRLSign"]
        );
        assert!(a.info.subject_key_id.is_some());
        assert_ne!(a.info.serial, b.info.serial);
        assert_eq!(a.info.serial.len(), 32);
    }

    #[test]
    fn an_intermediate_may_not_outlive_its_parent() {
        let parent = root(100);
        let key = KeyType::EcdsaP256.generate().unwrap();
        let req = CaRequest {
            common_name: "Inter".into(),
            organization: None,
            window: Window::days_from(now(), 200).unwrap(),
            path_len: Some(0),
            parent: Some(&parent),
        };
        let err = issue_ca(&req, &key, now()).unwrap_err();
        assert!(
            err.to_string().contains("give it 100 days or fewer"),
            "{err}"
        );
    }

    #[test]
    fn a_path_length_zero_ca_cannot_sign_a_ca() {
        let parent = root(100);
        let key = KeyType::EcdsaP256.generate().unwrap();
        let inter_req = CaRequest {
            common_name: "Inter".into(),
            organization: None,
            window: Window::days_from(now(), 50).unwrap(),
            path_len: Some(0),
            parent: Some(&parent),
        };
        let inter_cert = issue_ca(&inter_req, &key, now()).unwrap();
        let inter = Signer::new("inter", inter_cert, key, now()).unwrap();
        assert_eq!(inter.info.authority_key_id, parent.info.subject_key_id);
        let key2 = KeyType::EcdsaP256.generate().unwrap();
        let req = CaRequest {
            parent: Some(&inter),
            ..inter_req
        };
        let err = issue_ca(&req, &key2, now()).unwrap_err();
        assert!(matches!(err, IssueError::PathLenZero { .. }));
    }

    #[test]
    fn leaves_are_capped_at_the_issuer_and_carry_dual_eku() {
        let ca = root(10);
        let key = KeyType::EcdsaP256.generate().unwrap();
        let req = LeafRequest {
            sans: vec![parse_san("localhost").unwrap(), parse_san("::1").unwrap()],
            subject: name("localhost", None).unwrap(),
            usage: Usage::Dual,
            window: Window::days_from(now(), 365).unwrap(),
            rsa: false,
        };
        let issued = issue_leaf(&req, LeafKey::Pair(&key), &ca, now()).unwrap();
        assert!(issued.capped);
        let info = CertInfo::parse(&issued.cert, now()).unwrap();
        assert_eq!(info.not_after, ca.info.not_after);
        assert_eq!(
            info.extended_key_usage.unwrap(),
            ["serverAuth", "clientAuth"]
        );
        assert_eq!(info.basic_constraints.map(|b| b.ca), Some(false));
        assert_eq!(info.key_usage.unwrap(), ["digitalSignature"]);
        assert_eq!(info.authority_key_id, ca.info.subject_key_id);
        assert_eq!(info.pin_sha256, crate::pki::pin::spki_pin(&spki_of(&key)));
    }

    #[test]
    fn a_leaf_cannot_be_signed_by_a_leaf() {
        let ca = root(10);
        let key = KeyType::EcdsaP256.generate().unwrap();
        let req = LeafRequest {
            sans: vec![parse_san("a.example").unwrap()],
            subject: name("a.example", None).unwrap(),
            usage: Usage::Server,
            window: Window::days_from(now(), 5).unwrap(),
            rsa: false,
        };
        let leaf = issue_leaf(&req, LeafKey::Pair(&key), &ca, now()).unwrap();
        let signer = Signer::new("a.example", leaf.cert, key, now()).unwrap();
        let key2 = KeyType::EcdsaP256.generate().unwrap();
        let err = issue_leaf(&req, LeafKey::Pair(&key2), &signer, now())
            .err()
            .unwrap();
        assert!(matches!(err, IssueError::NotCa { .. }));
    }

    #[test]
    fn renewal_subjects_keep_their_bytes() {
        let ca = root(10);
        let der = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/certs/p256.der"
        ))
        .unwrap();
        let original = CertInfo::parse(&der, now()).unwrap();
        let key = KeyType::EcdsaP256.generate().unwrap();
        let req = LeafRequest {
            sans: vec![parse_san("a.example").unwrap()],
            subject: subject_of(&der).unwrap(),
            usage: Usage::Dual,
            window: Window::days_from(now(), 5).unwrap(),
            rsa: false,
        };
        let leaf = issue_leaf(&req, LeafKey::Pair(&key), &ca, now()).unwrap();
        let renewed = CertInfo::parse(&leaf.cert, now()).unwrap();
        assert_eq!(renewed.subject_der, original.subject_der);
    }
}
