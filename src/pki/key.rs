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
    match KeyPair::try_from(key) {
        Ok(pair) => Ok(pair.subject_public_key_info()),
        // aws-lc-rs refuses RSA keys it would not sign with (under 2048
        // bits); their public half is still plain data in the key.
        Err(_) => rsa_spki_from_structure(key).ok_or(KeyError::Unreadable),
    }
}

/// Loads a private key for signing.
pub fn key_pair(key: &PrivateKeyDer<'_>) -> Result<KeyPair, KeyError> {
    KeyPair::try_from(key).map_err(|_| KeyError::Unreadable)
}

fn rsa_spki_from_structure(key: &PrivateKeyDer<'_>) -> Option<Vec<u8>> {
    let pkcs1 = match key {
        PrivateKeyDer::Pkcs1(k) => k.secret_pkcs1_der(),
        PrivateKeyDer::Pkcs8(k) => {
            let seq = der::read_exact(k.secret_pkcs8_der()).ok()?;
            let mut parts = der::elements(seq.value);
            let _version = parts.next()?.ok()?;
            let alg = parts.next()?.ok()?;
            let (oid, _) = der::expect(alg.value, der::OID).ok()?;
            if oid.value != der::OID_RSA_ENCRYPTION {
                return None;
            }
            let octets = parts.next()?.ok()?;
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
