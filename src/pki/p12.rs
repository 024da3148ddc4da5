//! PKCS#12 (`.p12`/`.pfx`) files for Java, .NET and Windows clients, through
//! the p12-keystore crate: a key, its certificate and chain written with
//! AES-256-CBC and PBKDF2 (HMAC-SHA256 MAC) by default, or 3DES with a
//! SHA-1 MAC for old readers; and the contents of a PKCS#12 file read back.
//! Bytes and the password in, bytes out.

use p12_keystore::{
    Certificate, EncryptionAlgorithm, KeyStore, KeyStoreEntry, MacAlgorithm, Pkcs12Archive,
    PrivateKey, PrivateKeyChain,
};
use serde::Serialize;
use thiserror::Error;

use super::pin::spki_pin;

#[derive(Debug, Error)]
pub enum P12Error {
    #[error("a certificate could not be put in the PKCS#12 file: {0}")]
    Certificate(String),
    #[error("the key could not be put in the PKCS#12 file: {0}")]
    Key(String),
    #[error("the PKCS#12 file could not be written: {0}")]
    Write(String),
    #[error("wrong password, or not a PKCS#12 file tlsctl can read ({0})")]
    Read(String),
}

/// How the file is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Protection {
    /// PBES2: PBKDF2-HMAC-SHA256 and AES-256-CBC; HMAC-SHA256 MAC
    /// (OpenSSL 3's default, Java 12+, .NET on current Windows).
    Modern,
    /// PBE-SHA1-3DES and a SHA-1 MAC, for readers before OpenSSL 3 / Java 8u301
    /// / Windows Server 2016.
    Legacy,
}

/// Iterations of the key derivation (OpenSSL's `pkcs12 -export` uses 2048).
const ITERATIONS: u32 = 10_000;

/// Writes a PKCS#12 file: one key entry (`alias`), the leaf first, then the
/// chain. `key_pkcs8` is a PKCS#8 PrivateKeyInfo (DER).
pub fn write(
    key_pkcs8: &[u8],
    leaf: &[u8],
    chain: &[Vec<u8>],
    alias: &str,
    password: &str,
    protection: Protection,
) -> Result<Vec<u8>, P12Error> {
    let cert =
        |der: &[u8]| Certificate::from_der(der).map_err(|e| P12Error::Certificate(e.to_string()));
    let mut certs = vec![cert(leaf)?];
    for c in chain {
        certs.push(cert(c)?);
    }
    let key = PrivateKey::from_der(key_pkcs8).map_err(|e| P12Error::Key(e.to_string()))?;
    // The local key id ties the key bag to the leaf's bag.
    let local_id: Vec<u8> = super::pin::sha256(leaf)[..20].to_vec();
    let mut store = KeyStore::new();
    store.add_entry(
        alias,
        KeyStoreEntry::PrivateKeyChain(PrivateKeyChain::new(local_id, key, certs)),
    );
    let writer = store.writer(password);
    let writer = match protection {
        Protection::Modern => writer
            .encryption_algorithm(EncryptionAlgorithm::PbeWithHmacSha256AndAes256)
            .mac_algorithm(MacAlgorithm::HmacSha256),
        Protection::Legacy => writer
            .encryption_algorithm(EncryptionAlgorithm::PbeWithShaAnd3KeyTripleDesCbc)
            .mac_algorithm(MacAlgorithm::HmacSha1),
    };
    writer
        .encryption_iterations(ITERATIONS)
        .mac_iterations(ITERATIONS)
        .write()
        .map_err(|e| P12Error::Write(e.to_string()))
}

/// What a PKCS#12 file holds.
#[derive(Debug, Clone)]
pub struct Contents {
    pub keys: Vec<KeyEntry>,
    /// Certificates (DER) in file order.
    pub certs: Vec<CertEntry>,
}

#[derive(Debug, Clone, Serialize)]
pub struct KeyEntry {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub friendly_name: Option<String>,
    /// The SPKI pin of the key's public half, when tlsctl can derive it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pin_sha256: Option<String>,
    /// The public half (DER SubjectPublicKeyInfo), when it could be derived.
    #[serde(skip)]
    pub spki: Option<Vec<u8>>,
}

#[derive(Debug, Clone)]
pub struct CertEntry {
    pub friendly_name: Option<String>,
    pub der: Vec<u8>,
}

/// Reads a PKCS#12 file (its MAC checked, its bags decrypted).
pub fn read(data: &[u8], password: &str) -> Result<Contents, P12Error> {
    let archive =
        Pkcs12Archive::from_pkcs12(data, password).map_err(|e| P12Error::Read(e.to_string()))?;
    let keys = archive
        .keys
        .iter()
        .map(|k| {
            let der = rustls_pki_types::PrivateKeyDer::Pkcs8(k.key.as_der().to_vec().into());
            let spki = super::key::public_spki(&der).ok();
            KeyEntry {
                friendly_name: k.friendly_name.clone(),
                pin_sha256: spki.as_deref().map(spki_pin),
                spki,
            }
        })
        .collect();
    let certs = archive
        .certs
        .iter()
        .map(|c| CertEntry {
            friendly_name: c.friendly_name.clone(),
            der: c.cert.as_der().to_vec(),
        })
        .collect();
    Ok(Contents { keys, certs })
}

/// Whether bytes look like a PKCS#12 PFX (a SEQUENCE whose first element is
/// INTEGER 3), for `inspect` to tell it from DER certificates.
pub fn looks_like_pfx(bytes: &[u8]) -> bool {
    let Ok(outer) = super::der::read_exact(bytes) else {
        return false;
    };
    outer.tag == super::der::SEQUENCE
        && super::der::elements(outer.value)
            .next()
            .and_then(Result::ok)
            .is_some_and(|v| v.tag == super::der::INTEGER && v.value == [3])
}
