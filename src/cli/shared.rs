//! Pieces several command groups share: key-type and time arguments, the
//! store, CA signers and their chains.

use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use clap::ValueEnum;
use time::format_description::well_known::Rfc3339;
use time::{Date, OffsetDateTime, PrimitiveDateTime, Time};

use super::Ctx;
use crate::pki::issue::{KeyType, Signer};
use crate::pki::reader::{self, Item};
use crate::pki::{CertInfo, pin};
use crate::store::{Store, StoredCa};

/// `--key-type` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum KeyTypeArg {
    #[value(name = "ecdsa-p256")]
    EcdsaP256,
    #[value(name = "ecdsa-p384")]
    EcdsaP384,
    #[value(name = "ecdsa-p521")]
    EcdsaP521,
    Ed25519,
    #[value(name = "rsa-2048")]
    Rsa2048,
    #[value(name = "rsa-3072")]
    Rsa3072,
    #[value(name = "rsa-4096")]
    Rsa4096,
}

impl From<KeyTypeArg> for KeyType {
    fn from(k: KeyTypeArg) -> KeyType {
        match k {
            KeyTypeArg::EcdsaP256 => KeyType::EcdsaP256,
            KeyTypeArg::EcdsaP384 => KeyType::EcdsaP384,
            KeyTypeArg::EcdsaP521 => KeyType::EcdsaP521,
            KeyTypeArg::Ed25519 => KeyType::Ed25519,
            KeyTypeArg::Rsa2048 => KeyType::Rsa2048,
            KeyTypeArg::Rsa3072 => KeyType::Rsa3072,
            KeyTypeArg::Rsa4096 => KeyType::Rsa4096,
        }
    }
}

/// Parses `--not-before`/`--at` times: RFC 3339 (`2026-12-01T00:00:00Z`) or
/// a date (`2026-12-01`, midnight UTC).
pub fn parse_time(text: &str) -> Result<OffsetDateTime, String> {
    if let Ok(t) = OffsetDateTime::parse(text, &Rfc3339) {
        return Ok(t);
    }
    let format = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(text, &format)
        .map(|d| PrimitiveDateTime::new(d, Time::MIDNIGHT).assume_utc())
        .map_err(|_| format!("{text:?} is not a time: use 2026-12-01 or 2026-12-01T08:00:00Z"))
}

/// The store for this run.
pub fn store(ctx: &Ctx) -> Result<Store> {
    Store::locate(ctx.store.as_deref())
}

/// A store CA, loaded with its key, ready to sign.
pub fn signer(store: &Store, name: &str, now: OffsetDateTime) -> Result<(StoredCa, Signer)> {
    let ca = store.load_ca(name)?;
    let key = store.load_ca_key(&ca)?;
    let signer =
        Signer::new(name, ca.cert.clone(), key, now).with_context(|| format!("CA {name:?}"))?;
    Ok((ca, signer))
}

/// A CA and its ancestors, the CA first and the root last.
pub fn ca_chain(store: &Store, name: &str) -> Result<Vec<StoredCa>> {
    let mut chain = vec![store.load_ca(name)?];
    while let Some(parent) = chain.last().and_then(|c| c.meta.parent.clone()) {
        if chain.iter().any(|c| c.name == parent) || chain.len() > 16 {
            bail!("the CA chain of {name:?} loops at {parent:?}; the store is damaged");
        }
        chain.push(store.load_ca(&parent)?);
    }
    Ok(chain)
}

/// The certificate model of a store CA.
pub fn ca_info(ca: &StoredCa, now: OffsetDateTime) -> Result<CertInfo> {
    CertInfo::parse(&ca.cert, now).with_context(|| format!("{}", ca.cert_path().display()))
}

/// An absolute form of a user path (for records and printed next steps).
pub fn absolute(path: &std::path::Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

/// A `--pin` value: a file (its first item, certificate or key, is pinned),
/// or 64 hex digits. The pin, and the item when it came from a file.
pub fn pin_argument(text: &str) -> Result<(String, Option<(String, Item)>)> {
    let path = std::path::Path::new(text);
    if !path.exists() {
        return match pin::normalise_hex_sha256(text) {
            Some(hex) => Ok((hex, None)),
            None => bail!("--pin {text}: neither a file nor a SHA-256 pin (64 hex digits)"),
        };
    }
    let input = crate::store::read_input(path)?;
    let (block, item) = reader::read_strict(&input.bytes)
        .map_err(|e| anyhow::anyhow!("{}: {e}", input.name))?
        .into_iter()
        .next()
        .with_context(|| format!("{}: holds nothing to pin", input.name))?;
    let pin =
        pin::item_pin(&item).map_err(|e| anyhow::anyhow!("{}: block {block}: {e}", input.name))?;
    Ok((pin, Some((input.name, item))))
}
