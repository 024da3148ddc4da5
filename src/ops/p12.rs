//! PKCS#12 files: a key, its certificate and chain packed for Java, .NET
//! and Windows clients (`tlsctl cert p12`), and read back (`tlsctl inspect
//! F.p12`). The file holds the private key, so it is written 0600 from
//! creation, atomically, never over an existing file without `replace`.

use std::path::PathBuf;

use anyhow::{Context, Result, anyhow, bail};
use serde::Serialize;

use super::{Env, Outcome, Warnings, absolute};
use crate::pki::p12::{self, Protection};
use crate::pki::{CertInfo, key};
use crate::store::{self, MODE_PRIVATE, Overwrite};

#[derive(Debug, Clone)]
pub struct P12Spec {
    /// The leaf, optionally followed by its chain.
    pub cert: PathBuf,
    pub key: PathBuf,
    /// More chain certificates.
    pub chain: Option<PathBuf>,
    pub out: PathBuf,
    pub password: String,
    pub protection: Protection,
    /// The entry's friendly name (alias); the leaf's CN when `None`.
    pub alias: Option<String>,
    pub replace: bool,
}

#[derive(Debug, Serialize)]
pub struct P12Report {
    pub file: String,
    pub protection: Protection,
    pub alias: String,
    pub certificates: Vec<String>,
    pub pin_sha256: String,
}

pub fn write(env: &Env, spec: &P12Spec) -> Result<Outcome<P12Report>> {
    let now = env.now();
    let mut warnings = Warnings::default();
    let (cert_name, mut certs) = store::read_certificates(&spec.cert)?;
    let leaf = certs.remove(0);
    if let Some(chain) = &spec.chain {
        certs.extend(store::read_certificates(chain)?.1);
    }
    let info = CertInfo::parse(&leaf, now).map_err(|e| anyhow!("{cert_name}: {e}"))?;
    let (key_input, private) = store::read_private_key(&spec.key)?;
    let spki = key::public_spki(&private).map_err(|e| anyhow!("{}: {e}", key_input.name))?;
    if spki != info.spki_der {
        bail!(
            "{}: this key is not the key of {} ({cert_name}): their public keys differ",
            key_input.name,
            info.subject
        );
    }
    let pkcs8 = key::key_pair(&private)
        .map_err(|e| anyhow!("{}: {e}", key_input.name))?
        .serialize_der();
    if spec.password.is_empty() {
        warnings.push(
            "empty-password",
            "the PKCS#12 password is empty: anyone with the file has the key",
        );
    }
    if spec.protection == Protection::Legacy {
        warnings.push(
            "legacy-p12",
            "legacy protection (3DES, SHA-1 MAC) is weak; use it only for readers that need it",
        );
    }
    let alias = spec
        .alias
        .clone()
        .or_else(|| info.common_name.clone())
        .unwrap_or_else(|| "tlsctl".to_owned());
    let chain: Vec<Vec<u8>> = certs.iter().map(|c| c.as_ref().to_vec()).collect();
    let bytes = p12::write(
        &pkcs8,
        &leaf,
        &chain,
        &alias,
        &spec.password,
        spec.protection,
    )?;
    let out = absolute(&spec.out);
    let overwrite = if spec.replace {
        Overwrite::Allow
    } else {
        Overwrite::Never
    };
    store::write_atomic(&out, &bytes, MODE_PRIVATE, overwrite)?;
    let mut subjects = vec![info.subject.clone()];
    for c in &certs {
        subjects.push(
            CertInfo::parse(c, now)
                .map(|i| i.subject)
                .context("a chain certificate")?,
        );
    }
    Ok(warnings.finish(P12Report {
        file: out.display().to_string(),
        protection: spec.protection,
        alias,
        certificates: subjects,
        pin_sha256: info.pin_sha256,
    }))
}

/// Whether the file at `path` is a PKCS#12 file (for `inspect`).
pub fn is_p12(bytes: &[u8]) -> bool {
    p12::looks_like_pfx(bytes)
}

/// Reads a PKCS#12 file's contents with its password.
pub fn read(name: &str, bytes: &[u8], password: &str) -> Result<p12::Contents> {
    p12::read(bytes, password).map_err(|e| anyhow!("{name}: {e}"))
}
