//! Argument types several command groups share: key types, usages, times
//! `--pin`, `--replace` and `--mount` values.

use anyhow::{Context, Result, bail};
use clap::ValueEnum;
use time::OffsetDateTime;

use crate::pki::issue::{KeyType, Usage};
use crate::pki::reader::{self, Item};
use crate::pki::{cert, pin};

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

/// `--usage` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum UsageArg {
    /// serverAuth + clientAuth (NATS routes need both)
    Dual,
    /// serverAuth only
    Server,
    /// clientAuth only
    Client,
}

impl From<UsageArg> for Usage {
    fn from(u: UsageArg) -> Usage {
        match u {
            UsageArg::Dual => Usage::Dual,
            UsageArg::Server => Usage::Server,
            UsageArg::Client => Usage::Client,
        }
    }
}

/// Parses `--not-before`/`--at` times: RFC 3339 (`2026-12-01T00:00:00Z`), a
/// date (`2026-12-01`, midnight UTC), or a time relative to now (`+30d`,
/// `-12h`; now is `TLSCTL_NOW` when set).
pub fn parse_time(text: &str) -> Result<OffsetDateTime, String> {
    if let Some(offset) = crate::pki::expiry::parse_relative(text) {
        let offset = offset.map_err(|e| e.to_string())?;
        let now = super::clock_from_env().map_err(|e| e.to_string())?.now();
        return now
            .checked_add(offset)
            .ok_or_else(|| format!("{text:?} is too far from now"));
    }
    crate::pki::expiry::parse_absolute(text).ok_or_else(|| {
        format!("{text:?} is not a time: use 2026-12-01, 2026-12-01T08:00:00Z or +30d")
    })
}

/// A `--mount PATH=SECRET` value (`nats check`, `tui`): a mount directory
/// the configs name, and the Secret manifest that stands in for it.
pub fn parse_mount(text: &str) -> Result<(std::path::PathBuf, std::path::PathBuf), String> {
    match text.split_once('=') {
        Some((a, b)) if !a.is_empty() && !b.is_empty() => Ok((a.into(), b.into())),
        _ => Err(format!(
            "{text:?} is not PATH=SECRET (a mount directory the config names, and a Secret manifest)"
        )),
    }
}

/// A `--replace PATH=NEWPATH` value (`nats check`, `tui`).
pub fn parse_replace(text: &str) -> Result<(std::path::PathBuf, std::path::PathBuf), String> {
    match text.split_once('=') {
        Some((a, b)) if !a.is_empty() && !b.is_empty() => Ok((a.into(), b.into())),
        _ => Err(format!("{text:?} is not PATH=NEWPATH")),
    }
}

/// A `--pin` value: a file (its first item, certificate or key, is pinned),
/// or 64 hex digits. The pin, and the item when it came from a file.
pub fn pin_argument(text: &str) -> Result<(String, Option<(String, Item)>)> {
    let path = std::path::Path::new(text);
    if let Some(hex) = pin::normalise_hex_sha256(text).filter(|_| !crate::store::exists(path)) {
        return Ok((hex, None));
    }
    // A file, or `FILE#KEY` of a manifest.
    let file = crate::pki::k8s::split_key(text).0;
    if !crate::store::exists(path) && !crate::store::exists(std::path::Path::new(file)) {
        bail!("--pin {text}: neither a file nor a SHA-256 pin (64 hex digits)");
    }
    let input = crate::store::k8s::read_input_or_manifest(path, false)?;
    let (block, item) = reader::read_strict(&input.bytes)
        .map_err(|e| anyhow::anyhow!("{}: {e}", input.name))?
        .into_iter()
        .next()
        .with_context(|| format!("{}: holds nothing to pin", input.name))?;
    let pin =
        cert::item_pin(&item).map_err(|e| anyhow::anyhow!("{}: block {block}: {e}", input.name))?;
    Ok((pin, Some((input.name, item))))
}

/// Parses `--expires-within` windows: `30d`, `12h`, `90m`, `3600s`.
pub fn parse_window(text: &str) -> Result<time::Duration, String> {
    crate::pki::expiry::parse_duration(text).map_err(|e| e.to_string())
}

/// The first line of a password file (as openssl's `-passin file:` reads it).
pub fn password_from_file(path: &std::path::Path) -> Result<Vec<u8>> {
    let input = crate::store::read_input(path)?;
    let line = input
        .bytes
        .split(|b| *b == b'\n')
        .next()
        .unwrap_or_default();
    Ok(line.strip_suffix(b"\r").unwrap_or(line).to_vec())
}

/// A password from `file`, or asked on the terminal (twice with `confirm`);
/// without a terminal, an error naming `flag`.
pub fn password(
    file: Option<&std::path::Path>,
    interactive: bool,
    prompt: &str,
    confirm: bool,
    flag: &str,
) -> Result<String> {
    if let Some(f) = file {
        return String::from_utf8(password_from_file(f)?)
            .map_err(|_| anyhow::anyhow!("{}: the password is not UTF-8 text", f.display()));
    }
    if !interactive {
        bail!("{prompt}: pass {flag} FILE (stdin is not a terminal, so tlsctl cannot ask)");
    }
    let mut p = dialoguer::Password::new().with_prompt(prompt);
    if confirm {
        p = p.with_confirmation("Again", "the passwords differ");
    }
    p.interact()
        .map_err(|e| anyhow::anyhow!("reading the password from the terminal: {e}"))
}
