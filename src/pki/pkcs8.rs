//! Encrypted PKCS#8 private keys (`-----BEGIN ENCRYPTED PRIVATE KEY-----`,
//! what `openssl pkcs8 -topk8` and `openssl genpkey -aes256` write):
//! PBES2 with PBKDF2 (HMAC-SHA1/256/384/512) and AES-128/256-CBC, decrypted
//! with aws-lc-rs, the one crypto backend. Bytes and the password in, the
//! plain PKCS#8 DER out; the password is never kept.

use std::num::NonZeroU32;

use aws_lc_rs::cipher::{
    AES_128, AES_256, DecryptionContext, PaddedBlockDecryptingKey, UnboundCipherKey,
};
use aws_lc_rs::iv::FixedLength;
use aws_lc_rs::pbkdf2;
use thiserror::Error;

use super::der::{self, OCTET_STRING, OID, SEQUENCE};

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DecryptError {
    #[error("the encrypted key is malformed")]
    Malformed,
    #[error(
        "the key is encrypted with a scheme tlsctl cannot decrypt ({0}); convert it with openssl \
         pkcs8 -topk8 -v2 aes-256-cbc"
    )]
    Unsupported(&'static str),
    #[error("wrong password (or the encrypted key is damaged)")]
    WrongPassword,
    #[error("the key asks for {0} PBKDF2 iterations, more than tlsctl will spend")]
    TooManyIterations(u64),
}

const OID_PBES2: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x05, 0x0d];
const OID_PBKDF2: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x05, 0x0c];
const OID_HMAC_SHA1: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x02, 0x07];
const OID_HMAC_SHA256: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x02, 0x09];
const OID_HMAC_SHA384: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x02, 0x0a];
const OID_HMAC_SHA512: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x02, 0x0b];
const OID_AES128_CBC: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x01, 0x02];
const OID_AES256_CBC: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x01, 0x2a];

/// More iterations than this are refused rather than spent (a hostile file
/// could otherwise hold the CPU for hours); OpenSSL writes 2048, PKCS#12
/// tools up to a few hundred thousand.
pub const MAX_ITERATIONS: u64 = 10_000_000;

/// Decrypts an EncryptedPrivateKeyInfo (DER) to the PKCS#8 PrivateKeyInfo.
pub fn decrypt(der_bytes: &[u8], password: &[u8]) -> Result<Vec<u8>, DecryptError> {
    let m = |_| DecryptError::Malformed;
    let outer = der::read_exact(der_bytes).map_err(m)?;
    if outer.tag != SEQUENCE {
        return Err(DecryptError::Malformed);
    }
    let mut parts = der::elements(outer.value);
    let alg = next(&mut parts, SEQUENCE)?;
    let data = next(&mut parts, OCTET_STRING)?;
    let mut alg_parts = der::elements(alg.value);
    let scheme = next(&mut alg_parts, OID)?;
    if scheme.value != OID_PBES2 {
        return Err(DecryptError::Unsupported(
            "a PKCS#5 v1 or PKCS#12 scheme, not PBES2",
        ));
    }
    let params = next(&mut alg_parts, SEQUENCE)?;
    let mut p = der::elements(params.value);
    let kdf = next(&mut p, SEQUENCE)?;
    let enc = next(&mut p, SEQUENCE)?;

    // encryptionScheme: aes-*-cbc with a 16-byte IV.
    let mut e = der::elements(enc.value);
    let cipher_oid = next(&mut e, OID)?;
    let iv = next(&mut e, OCTET_STRING)?;
    let (cipher, key_len) = match cipher_oid.value {
        OID_AES128_CBC => (&AES_128, 16),
        OID_AES256_CBC => (&AES_256, 32),
        _ => {
            return Err(DecryptError::Unsupported(
                "a cipher other than AES-128/256-CBC",
            ));
        }
    };
    let iv: [u8; 16] = iv.value.try_into().map_err(|_| DecryptError::Malformed)?;

    // keyDerivationFunc: PBKDF2 { salt, iterations, [keyLength], [prf] }.
    let mut k = der::elements(kdf.value);
    if next(&mut k, OID)?.value != OID_PBKDF2 {
        return Err(DecryptError::Unsupported(
            "a key derivation other than PBKDF2 (scrypt?)",
        ));
    }
    let kp = next(&mut k, SEQUENCE)?;
    let mut kp = der::elements(kp.value);
    let salt = next(&mut kp, OCTET_STRING)?;
    let iterations = uint(next(&mut kp, der::INTEGER)?.value)?;
    let mut prf = pbkdf2::PBKDF2_HMAC_SHA1;
    for rest in kp {
        let t = rest.map_err(m)?;
        match t.tag {
            der::INTEGER => {
                if uint(t.value)? != key_len as u64 {
                    return Err(DecryptError::Malformed);
                }
            }
            SEQUENCE => {
                let (oid, _) = der::expect(t.value, OID).map_err(m)?;
                prf = match oid.value {
                    OID_HMAC_SHA1 => pbkdf2::PBKDF2_HMAC_SHA1,
                    OID_HMAC_SHA256 => pbkdf2::PBKDF2_HMAC_SHA256,
                    OID_HMAC_SHA384 => pbkdf2::PBKDF2_HMAC_SHA384,
                    OID_HMAC_SHA512 => pbkdf2::PBKDF2_HMAC_SHA512,
                    _ => return Err(DecryptError::Unsupported("an unknown PBKDF2 PRF")),
                };
            }
            _ => return Err(DecryptError::Malformed),
        }
    }
    if iterations > MAX_ITERATIONS {
        return Err(DecryptError::TooManyIterations(iterations));
    }
    let iterations = u32::try_from(iterations)
        .ok()
        .and_then(NonZeroU32::new)
        .ok_or(DecryptError::Malformed)?;
    let mut key = [0u8; 32];
    let key = &mut key[..key_len];
    pbkdf2::derive(prf, iterations, salt.value, password, key);
    let unbound = UnboundCipherKey::new(cipher, key).map_err(|_| DecryptError::Malformed)?;
    let decrypting =
        PaddedBlockDecryptingKey::cbc_pkcs7(unbound).map_err(|_| DecryptError::Malformed)?;
    let mut buf = data.value.to_vec();
    let plain = decrypting
        .decrypt(&mut buf, DecryptionContext::Iv128(FixedLength::from(iv)))
        .map_err(|_| DecryptError::WrongPassword)?;
    // A wrong password that happens to unpad leaves garbage: the result must
    // be a DER SEQUENCE that fills it exactly.
    match der::read_exact(plain) {
        Ok(t) if t.tag == SEQUENCE => Ok(plain.to_vec()),
        _ => Err(DecryptError::WrongPassword),
    }
}

fn next<'a>(
    it: &mut impl Iterator<Item = Result<der::Tlv<'a>, der::DerError>>,
    tag: u8,
) -> Result<der::Tlv<'a>, DecryptError> {
    match it.next() {
        Some(Ok(t)) if t.tag == tag => Ok(t),
        _ => Err(DecryptError::Malformed),
    }
}

fn uint(bytes: &[u8]) -> Result<u64, DecryptError> {
    let bytes = match bytes {
        [0, rest @ ..] => rest,
        b => b,
    };
    if bytes.len() > 8 || bytes.first().is_some_and(|b| b & 0x80 != 0) {
        return Err(DecryptError::Malformed);
    }
    Ok(bytes.iter().fold(0u64, |n, b| (n << 8) | u64::from(*b)))
}
