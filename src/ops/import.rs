//! Bringing an existing CA into the store (`tlsctl ca import NAME --cert F
//! --key F [--chain F]`): an openssl-made root, a corporate intermediate.
//! The certificate must be a CA that can sign, the key must be its key; an
//! intermediate's issuer must be in the store already or come in the
//! chain, whose certificates are stored without keys. The key is written
//! 0600 from creation, as PKCS#8, by the store's CA writer.

use std::path::PathBuf;

use anyhow::{Context, Result, anyhow, bail};
use rustls_pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};
use serde::Serialize;

use super::ca::CaEntry;
use super::{Env, Outcome, Warnings};
use crate::pki::issue::KeyType;
use crate::pki::{CertInfo, bundle, key, pkcs8, san};
use crate::store::layout::{CaMeta, Store};
use crate::store::{self, Overwrite};

#[derive(Debug, Clone)]
pub struct ImportSpec {
    pub name: String,
    /// The CA certificate; any certificates after it are its chain.
    pub cert: PathBuf,
    pub key: PathBuf,
    /// More chain certificates (intermediates above it, the root).
    pub chain: Option<PathBuf>,
    /// The password of an encrypted PKCS#8 key.
    pub key_password: Option<Vec<u8>>,
    pub replace: bool,
}

#[derive(Debug, Serialize)]
pub struct Imported {
    pub ca: CaEntry,
    /// Store CAs created for the chain above it (certificates only).
    pub chain_imported: Vec<String>,
    /// The key was encrypted and has been decrypted into the store.
    pub key_was_encrypted: bool,
}

/// The key needs a password (an `ENCRYPTED PRIVATE KEY`).
#[derive(Debug, thiserror::Error)]
#[error("{0}: the key is encrypted; give its password")]
pub struct KeyPasswordNeeded(pub String);

/// Whether the key file holds an encrypted PKCS#8 key.
pub fn key_is_encrypted(path: &std::path::Path) -> Result<bool> {
    let input = store::k8s::read_input_or_manifest(path, true)?;
    Ok(encrypted_block(&input.bytes).is_some())
}

fn encrypted_block(bytes: &[u8]) -> Option<Vec<u8>> {
    pem::parse_many(bytes)
        .ok()?
        .into_iter()
        .find(|p| p.tag() == "ENCRYPTED PRIVATE KEY")
        .map(|p| p.into_contents())
}

pub fn import(env: &Env, spec: &ImportSpec) -> Result<Outcome<Imported>> {
    let now = env.now();
    let mut warnings = Warnings::default();
    crate::store::layout::check_name(&spec.name)?;
    let (cert_name, mut certs) = store::read_certificates(&spec.cert)?;
    let ca_der = certs.remove(0);
    if let Some(chain) = &spec.chain {
        certs.extend(store::read_certificates(chain)?.1);
    }
    let info = CertInfo::parse(&ca_der, now).map_err(|e| anyhow!("{cert_name}: {e}"))?;
    if !info.is_ca {
        bail!(
            "{cert_name}: {} is not a CA certificate (no CA:TRUE); import a CA, or use its \
             issuer",
            info.subject
        );
    }
    if let Some(ku) = &info.key_usage
        && !ku.iter().any(|u| u == "keyCertSign")
    {
        bail!(
            "{cert_name}: {} lacks the keyCertSign key usage: it cannot sign",
            info.subject
        );
    }

    // The key: plain, or encrypted PKCS#8 with the password given.
    let key_input = store::k8s::read_input_or_manifest(&spec.key, true)?;
    let (private, was_encrypted) = match encrypted_block(&key_input.bytes) {
        Some(enc) => {
            let password = spec
                .key_password
                .as_deref()
                .ok_or_else(|| KeyPasswordNeeded(key_input.name.clone()))?;
            let plain =
                pkcs8::decrypt(&enc, password).map_err(|e| anyhow!("{}: {e}", key_input.name))?;
            (PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(plain)), true)
        }
        None => (store::read_private_key(&spec.key)?.1, false),
    };
    let pair = key::key_pair(&private).map_err(|e| anyhow!("{}: {e}", key_input.name))?;
    let spki = key::public_spki(&private).map_err(|e| anyhow!("{}: {e}", key_input.name))?;
    if spki != info.spki_der {
        bail!(
            "{}: this key is not the key of {} ({cert_name}): their public keys differ",
            key_input.name,
            info.subject
        );
    }

    let store = env.store()?;
    let _lock = store.lock()?;
    let existed = store.ca_exists(&spec.name);
    if existed && !spec.replace {
        return Err(crate::store::CaExists {
            name: spec.name.clone(),
            store: store.root.clone(),
        }
        .into());
    }
    // The parent: nothing for a root; else a store CA that issued it, or
    // the chain's certificate that did (stored without a key).
    let mut chain_imported = Vec::new();
    let parent = if info.self_signed {
        None
    } else {
        Some(parent_of(
            &store,
            &spec.name,
            &info,
            &certs,
            now,
            &mut chain_imported,
        )?)
    };
    let meta = CaMeta {
        name: spec.name.clone(),
        parent,
        key_type: KeyType::of_spki(&info.spki_der)
            .map(|k| k.name().to_owned())
            .unwrap_or_else(|| info.key.describe()),
        created: now,
    };
    let cert_pem = bundle::render_entry(&info, &ca_der);
    let overwrite = if spec.replace {
        Overwrite::Allow
    } else {
        Overwrite::Never
    };
    store.write_ca(
        &meta,
        cert_pem.as_bytes(),
        pair.serialize_pem().as_bytes(),
        overwrite,
    )?;
    if existed {
        warnings.push(
            "ca-replaced",
            format!("the CA {:?} was replaced", spec.name),
        );
    }
    if was_encrypted {
        warnings.push(
            "key-decrypted",
            format!(
                "the store holds the key unencrypted (0600, like every store key); keep {} \
                 as the protected copy",
                key_input.name
            ),
        );
    }
    let ca = store.load_ca(&spec.name)?;
    Ok(warnings.finish(Imported {
        ca: CaEntry::new(&ca, now)?,
        chain_imported,
        key_was_encrypted: was_encrypted,
    }))
}

/// The store name of the CA that issued `info`: an existing store CA with
/// the issuer's name and key, else the chain certificate that issued it,
/// imported (with its own issuers) as a certificate-only store CA.
fn parent_of(
    store: &Store,
    name: &str,
    info: &CertInfo,
    chain: &[rustls_pki_types::CertificateDer<'static>],
    now: time::OffsetDateTime,
    imported: &mut Vec<String>,
) -> Result<String> {
    let issues = |issuer: &CertInfo, child: &CertInfo| {
        issuer.subject_der == child.issuer_der
            && match (&child.authority_key_id, &issuer.subject_key_id) {
                (Some(aki), Some(ski)) => aki == ski,
                _ => true,
            }
    };
    for ca in store.list_cas()? {
        if ca.name == name {
            continue;
        }
        let c = CertInfo::parse(&ca.cert, now)?;
        if issues(&c, info) {
            return Ok(ca.name);
        }
    }
    let mut child = info.clone();
    let mut child_name: Option<String> = None;
    let mut first: Option<String> = None;
    let mut pending: Vec<(CaMeta, String)> = Vec::new();
    for _ in 0..8 {
        let Some((der, issuer)) = chain.iter().find_map(|d| {
            let c = CertInfo::parse(d, now).ok()?;
            issues(&c, &child).then_some((d, c))
        }) else {
            bail!(
                "the issuer of {} ({}) is neither in the store nor in the chain given; import \
                 it first, or pass its certificate with --chain",
                child.subject,
                child.issuer
            );
        };
        // An issuer already in the store (by certificate) ends the walk.
        if let Some(existing) = store
            .list_cas()?
            .into_iter()
            .find(|c| c.cert.as_ref() == der.as_ref())
        {
            link(&mut pending, child_name.as_deref(), &existing.name);
            return finish(store, pending, first.unwrap_or(existing.name), imported);
        }
        let base = san::file_name_of(issuer.common_name.as_deref().unwrap_or("issuer"));
        let mut cand = format!("{name}-{base}");
        let mut n = 2;
        while store.ca_exists(&cand) || pending.iter().any(|(m, _)| m.name == cand) {
            cand = format!("{name}-{base}-{n}");
            n += 1;
        }
        link(&mut pending, child_name.as_deref(), &cand);
        first.get_or_insert_with(|| cand.clone());
        let meta = CaMeta {
            name: cand.clone(),
            parent: None,
            key_type: KeyType::of_spki(&issuer.spki_der)
                .map(|k| k.name().to_owned())
                .unwrap_or_else(|| issuer.key.describe()),
            created: now,
        };
        pending.push((meta, bundle::render_entry(&issuer, der)));
        if issuer.self_signed {
            let top = first.clone().context("the chain is empty")?;
            return finish(store, pending, top, imported);
        }
        child_name = Some(cand);
        child = issuer;
    }
    bail!(
        "the chain of {} is longer than 8 certificates",
        info.subject
    )
}

/// Sets the parent of the pending CA named `child` (the first pending one
/// has none: it is the imported CA's parent, linked by the caller).
fn link(pending: &mut [(CaMeta, String)], child: Option<&str>, parent: &str) {
    if let Some(child) = child
        && let Some((m, _)) = pending.iter_mut().find(|(m, _)| m.name == child)
    {
        m.parent = Some(parent.to_owned());
    }
}

fn finish(
    store: &Store,
    pending: Vec<(CaMeta, String)>,
    parent: String,
    imported: &mut Vec<String>,
) -> Result<String> {
    // Roots first, so a directory never names a parent that is not there.
    for (meta, pem) in pending.into_iter().rev() {
        store.write_ca_cert_only(&meta, pem.as_bytes())?;
        imported.push(meta.name);
    }
    Ok(parent)
}
