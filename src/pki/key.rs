//! Private keys: the public half of any private key tlsctl reads, without
//! ever exposing the private half.

use rcgen::{KeyPair, PublicKeyData};
use rustls_pki_types::PrivateKeyDer;
use thiserror::Error;

use super::der;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum KeyError {
    #[error(
        "private key could not be read (not a valid RSA, ECDSA P-256/P-384/P-521 or Ed25519 key)"
    )]
    Unreadable,
}

/// The SubjectPublicKeyInfo (DER) of a private key in PKCS#8, PKCS#1 or
/// SEC1 form.
pub fn public_spki(key: &PrivateKeyDer<'_>) -> Result<Vec<u8>, KeyError> {
    match key_pair(key) {
        Ok(pair) => Ok(pair.subject_public_key_info()),
        // aws-lc-rs refuses RSA keys it would not sign with (under 2048
        // bits); their public half is still plain data in the key.
        Err(_) => rsa_spki_from_structure(key).ok_or(KeyError::Unreadable),
    }
}

/// Loads a private key for signing.
pub fn key_pair(key: &PrivateKeyDer<'_>) -> Result<KeyPair, KeyError> {
    // rcgen, not told the algorithm, tries Ed25519 first, and aws-lc parses
    // (and checks) an EC key in full before refusing it as Ed25519: told
    // the algorithm the key names, the key is parsed once. The same
    // algorithms rcgen would choose; anything else goes the long way.
    if let Some(alg) = named_algorithm(key)
        && let Ok(pair) = KeyPair::from_der_and_sign_algo(key, alg)
    {
        return Ok(pair);
    }
    KeyPair::try_from(key).map_err(|_| KeyError::Unreadable)
}

/// The signature algorithm rcgen's `KeyPair::try_from` picks for `key`,
/// read from its algorithm identifier (PKCS#8) or curve (SEC1).
fn named_algorithm(key: &PrivateKeyDer<'_>) -> Option<&'static rcgen::SignatureAlgorithm> {
    let curve = |oid: &[u8]| match oid {
        OID_P256 => Some(&rcgen::PKCS_ECDSA_P256_SHA256),
        OID_P384 => Some(&rcgen::PKCS_ECDSA_P384_SHA384),
        OID_P521 => Some(&rcgen::PKCS_ECDSA_P521_SHA512),
        _ => None,
    };
    match key {
        PrivateKeyDer::Pkcs8(k) => {
            let (oid, params, _) = pkcs8_parts(k.secret_pkcs8_der())?;
            match oid {
                der::OID_ED25519 => Some(&rcgen::PKCS_ED25519),
                der::OID_EC_PUBLIC_KEY => curve(der::expect(params, der::OID).ok()?.0.value),
                _ => None,
            }
        }
        PrivateKeyDer::Sec1(k) => {
            // ECPrivateKey { version, privateKey, [0] parameters, [1] publicKey }
            let seq = der::read_exact(k.secret_sec1_der()).ok()?;
            let params = der::elements(seq.value)
                .filter_map(Result::ok)
                .find(|e| e.tag == 0xa0)?;
            curve(der::expect(params.value, der::OID).ok()?.0.value)
        }
        _ => None,
    }
}

/// A PKCS#8 `PrivateKeyInfo`'s algorithm OID (content octets), the
/// algorithm's parameters after it, and the `privateKey` element.
fn pkcs8_parts(pkcs8: &[u8]) -> Option<(&[u8], &[u8], Option<der::Tlv<'_>>)> {
    let seq = der::read_exact(pkcs8).ok()?;
    let mut parts = der::elements(seq.value);
    let _version = parts.next()?.ok()?;
    let alg = parts.next()?.ok()?;
    let (oid, params) = der::expect(alg.value, der::OID).ok()?;
    Some((oid.value, params, parts.next().and_then(Result::ok)))
}

/// OID content octets of the NIST curves (prime256v1, secp384r1, secp521r1).
const OID_P256: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07];
const OID_P384: &[u8] = &[0x2b, 0x81, 0x04, 0x00, 0x22];
const OID_P521: &[u8] = &[0x2b, 0x81, 0x04, 0x00, 0x23];

fn rsa_spki_from_structure(key: &PrivateKeyDer<'_>) -> Option<Vec<u8>> {
    let pkcs1 = match key {
        PrivateKeyDer::Pkcs1(k) => k.secret_pkcs1_der(),
        PrivateKeyDer::Pkcs8(k) => {
            let (oid, _, octets) = pkcs8_parts(k.secret_pkcs8_der())?;
            if oid != der::OID_RSA_ENCRYPTION {
                return None;
            }
            let octets = octets?;
            (octets.tag == der::OCTET_STRING).then_some(octets.value)?
        }
        _ => return None,
    };
    let seq = der::read_exact(pkcs1).ok()?;
    let mut ints = der::elements(seq.value);
    let _version = ints.next()?.ok()?;
    let n = ints.next()?.ok()?;
    let e = ints.next()?.ok()?;
    if n.tag != der::INTEGER || e.tag != der::INTEGER {
        return None;
    }
    let mut public = n.raw.to_vec();
    public.extend_from_slice(e.raw);
    Some(der::spki(
        der::RSA_ENCRYPTION_ALG,
        &der::encode(der::SEQUENCE, &public),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rcgen::PublicKeyData;

    /// Every fixture key, each form: the algorithm read from the key is the
    /// one rcgen's own detection picks, and the key is the same key.
    #[test]
    fn a_key_loaded_by_its_named_algorithm_is_the_key_rcgen_detects() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/keys");
        let mut named = 0;
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if !name.ends_with(".pem") || name.ends_with(".pub.pem") {
                continue;
            }
            let text = std::fs::read(&path).unwrap();
            let key = crate::pki::reader::read_strict(&text)
                .unwrap()
                .into_iter()
                .find_map(|(_, item)| match item {
                    crate::pki::Item::PrivateKey(k) => Some(k),
                    _ => None,
                })
                .unwrap();
            let detected = KeyPair::try_from(&key).unwrap();
            let loaded = key_pair(&key).unwrap();
            assert_eq!(loaded.algorithm(), detected.algorithm(), "{name}");
            assert_eq!(
                loaded.subject_public_key_info(),
                detected.subject_public_key_info(),
                "{name}"
            );
            named += usize::from(named_algorithm(&key).is_some());
        }
        // The PKCS#8 and SEC1 forms of the EC keys and Ed25519's.
        assert!(named >= 7, "only {named} keys named their algorithm");
    }
}
