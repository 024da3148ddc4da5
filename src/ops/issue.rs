//! Issuing and renewing leaves from a store CA, written so that a reloading
//! server never sees a mismatched pair: every check happens before a key is
//! generated or a file written; the default CA is created on first use.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow, bail};
use serde::Serialize;
use time::OffsetDateTime;

use super::ca::{self, CaSpec};
use super::{Env, Outcome, Warnings, absolute};
use crate::pki::issue::{self, BACKDATE, KeyType, LeafKey, LeafRequest, Signer, Usage, Window};
use crate::pki::render;
use crate::pki::san::{self, SanSpec};
use crate::pki::{CertInfo, SanKind, Validity, bundle, key};
use crate::store::{
    self, IssuedRecord, Layout, MODE_PRIVATE, MODE_PUBLIC, Overwrite, Store, StoredCa,
    VersionedFile,
};

pub use super::ca::DEFAULT_CA;
/// Validity of a leaf when none is given, in days.
pub const DEFAULT_DAYS: i64 = 365;

/// Turns the names a user typed into SANs: one name per text (a command
/// line argument, where a space or comma is a typo), or, where `split` is
/// true (a prompt, a form field), names separated by spaces and commas.
/// Duplicates are dropped.
pub fn parse_sans(texts: &[String], split: bool) -> Result<Vec<SanSpec>> {
    let mut sans: Vec<SanSpec> = Vec::new();
    for arg in texts {
        let parts: Vec<&str> = if split {
            arg.split([',', ' ']).filter(|t| !t.is_empty()).collect()
        } else if arg.contains([' ', ',']) {
            bail!(
                "{arg:?}: one argument is one name, and names hold no spaces or commas; give \
                 each name as its own argument"
            );
        } else {
            vec![arg.as_str()]
        };
        for text in parts {
            let san = san::parse_san(text).map_err(|e| {
                if text == arg {
                    anyhow!("{e}")
                } else {
                    anyhow!("{e} (in {arg:?}: spaces and commas separate names)")
                }
            })?;
            if !sans.contains(&san) {
                sans.push(san);
            }
        }
    }
    Ok(sans)
}

/// Where an issued leaf goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Destination {
    /// The store's own versioned directory, `certs/NAME`.
    Store,
    /// A versioned directory: `cert.pem`, `key.pem`, `ca.pem`.
    Dir(PathBuf),
    /// Plain files; the key file may be left out when the key is reused.
    Files { cert: PathBuf, key: Option<PathBuf> },
}

/// A leaf to issue.
#[derive(Debug, Clone)]
pub struct IssueSpec {
    pub sans: Vec<SanSpec>,
    /// The store CA; `None` for [`DEFAULT_CA`], created on first use.
    pub ca: Option<String>,
    /// The record's name; the first SAN when `None`.
    pub name: Option<String>,
    /// Common name; the first SAN when `None`.
    pub cn: Option<String>,
    pub usage: Usage,
    pub key_type: KeyType,
    pub days: i64,
    pub destination: Destination,
    /// Put the CA's intermediates after the leaf in the certificate file
    /// (what a peer that trusts only the root needs to verify it).
    pub chain: bool,
    /// Issue for this existing private key (the pin stays the same).
    pub reuse_key: Option<PathBuf>,
    /// Replace existing files.
    pub replace: bool,
}

impl IssueSpec {
    /// A dual-use P-256 leaf from the default CA into the store, for `sans`.
    pub fn new(sans: Vec<SanSpec>) -> IssueSpec {
        IssueSpec {
            sans,
            ca: None,
            name: None,
            cn: None,
            usage: Usage::Dual,
            key_type: KeyType::EcdsaP256,
            days: DEFAULT_DAYS,
            destination: Destination::Store,
            chain: true,
            reuse_key: None,
            replace: false,
        }
    }
}

/// What issuing and renewing report.
#[derive(Debug, Serialize)]
pub struct IssueReport {
    pub name: String,
    pub ca: String,
    pub cert_path: String,
    pub key_path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ca_path: Option<String>,
    pub layout: Layout,
    pub created_default_ca: bool,
    pub capped_at_ca_expiry: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub previous_pin_sha256: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pin_kept: Option<bool>,
    pub certificate: CertInfo,
}

/// What `issue` did.
#[derive(Debug)]
pub struct Issued {
    pub report: IssueReport,
    /// The issuing CA and its ancestors, the CA first.
    pub chain: Vec<StoredCa>,
    /// Where the default CA lives (named when it was created).
    pub default_ca_dir: PathBuf,
}

impl Issued {
    /// How many intermediates the issuing CA's chain has.
    pub fn intermediates(&self) -> usize {
        self.chain
            .iter()
            .filter(|c| c.meta.parent.is_some())
            .count()
    }
}

/// Issues a leaf: every check before any key is generated or file
/// written; the default CA created on first use; files written atomically;
/// the store record updated.
pub fn issue(env: &Env, spec: &IssueSpec) -> Result<Outcome<Issued>> {
    let now = env.now();
    let mut warnings = Warnings::default();
    // A client certificate may go without SANs: a server mapping clients
    // by certificate (NATS verify_and_map) reads its subject DN.
    let (default_name, common_name) = match (spec.sans.first(), &spec.cn) {
        (Some(first), cn) => (
            san::file_name_for(first),
            cn.clone().unwrap_or_else(|| first.value()),
        ),
        (None, Some(cn)) if spec.usage == Usage::Client => (san::file_name_of(cn), cn.clone()),
        (None, Some(_)) => return Err(SansNeeded { usage: spec.usage }.into()),
        (None, None) => bail!("no names given for the certificate"),
    };
    let name = match &spec.name {
        Some(n) => {
            store::layout::check_name(n)?;
            n.clone()
        }
        None => default_name,
    };
    let store = env.store()?;
    let destination = match &spec.destination {
        Destination::Store => Destination::Dir(store.certs_dir().join(&name)),
        Destination::Dir(dir) => Destination::Dir(absolute(dir)),
        Destination::Files { cert, key } => {
            if key.is_none() && spec.reuse_key.is_none() {
                bail!(
                    "a certificate file needs a key file beside it (where the new private key \
                     goes), or a key to reuse"
                );
            }
            Destination::Files {
                cert: absolute(cert),
                key: key.as_deref().map(absolute),
            }
        }
    };
    // Under the store lock: what a killed earlier run left is cleaned up
    // (or completed) before the destinations are checked, so that a retry
    // of an issue that never published needs no --force.
    let lock = store.lock()?;
    warnings.recovered(&lock);
    if let Destination::Files {
        cert,
        key: Some(key),
    } = &destination
        && let Some(what) = store::take_back_unfinished_pair(cert, key)
    {
        warnings.push("recovered", what);
    }
    match &destination {
        Destination::Dir(dir) => refuse_existing(
            &[
                &dir.join("cert.pem"),
                &dir.join("key.pem"),
                &dir.join("ca.pem"),
            ],
            spec.replace,
            true,
        )?,
        Destination::Files { cert, key } => {
            refuse_existing(&[cert.as_path()], spec.replace, false)?;
            if let Some(key) = key {
                refuse_existing(&[key.as_path()], spec.replace, false)?;
            }
        }
        Destination::Store => {}
    }
    let reused = spec
        .reuse_key
        .as_deref()
        .map(store::read_private_key)
        .transpose()?
        .map(|(input, key)| (key, input.bytes));
    let subject = issue::name(&common_name, None)?;
    let window = Window::days_from(now - BACKDATE, spec.days)?;

    let (stored_ca, signer, created_default) =
        resolve_ca(&store, spec.ca.as_deref(), now, &mut warnings)?;
    let chain = ca::chain_from(&store, stored_ca.clone())?;

    let (key_pair, key_pem) = match &reused {
        Some((der, bytes)) => (
            key::key_pair(der).with_context(|| {
                format!(
                    "{}",
                    spec.reuse_key.as_deref().unwrap_or(Path::new("")).display()
                )
            })?,
            bytes.clone(),
        ),
        None => {
            let pair = spec.key_type.generate()?;
            let pem = pair.serialize_pem().into_bytes();
            (pair, pem)
        }
    };
    let record = |cert: &Path, key: &Path, layout| IssuedRecord {
        name: name.clone(),
        cert: cert.to_path_buf(),
        key: key.to_path_buf(),
        ca: stored_ca.name.clone(),
        layout,
        chain: spec.chain,
        issued: now,
    };
    // The key's file and issued.json's record (which names the files, not
    // their contents) start on their way to disk while the certificate is
    // signed; removed again if signing fails.
    let staged = match &destination {
        Destination::Files { cert, key: Some(k) } => Some((
            store::Staged::key(k, cert, key_pem.clone())?,
            store.stage_record(record(cert, k, Layout::Files))?,
        )),
        _ => None,
    };
    let rsa = KeyType::of_spki(&issue::spki_of(&key_pair)).is_some_and(KeyType::is_rsa);
    let req = LeafRequest {
        sans: spec.sans.clone(),
        subject,
        usage: spec.usage,
        window,
        rsa,
    };
    let issued = issue::issue_leaf(&req, LeafKey::Pair(&key_pair), &signer, now)?;
    if issued.capped {
        warn_capped(&signer, &mut warnings);
    }
    let info = CertInfo::parse(&issued.cert, now)?;
    let cert_text = cert_file_text(&info, &issued.cert, &chain, spec.chain, now)?;
    let overwrite = if spec.replace {
        Overwrite::Allow
    } else {
        Overwrite::Never
    };
    let (cert_path, key_path, ca_path, layout) = match &destination {
        Destination::Dir(dir) => {
            let ca_text = root_bundle_text(&chain, now)?;
            store::write_versioned(
                dir,
                &[
                    VersionedFile {
                        name: "key.pem",
                        contents: &key_pem,
                        mode: MODE_PRIVATE,
                    },
                    VersionedFile {
                        name: "cert.pem",
                        contents: cert_text.as_bytes(),
                        mode: MODE_PUBLIC,
                    },
                    VersionedFile {
                        name: "ca.pem",
                        contents: ca_text.as_bytes(),
                        mode: MODE_PUBLIC,
                    },
                ],
                overwrite,
            )?;
            (
                dir.join("cert.pem"),
                dir.join("key.pem"),
                Some(dir.join("ca.pem")),
                Layout::Versioned,
            )
        }
        Destination::Files { cert, key } => {
            // A new key and its certificate land together, or the old
            // pair stays as it was; the record lands in the same batch.
            let key_path = match (key, &spec.reuse_key, staged) {
                (Some(k), _, Some((staged_key, staged_record))) => {
                    store.write_staged_pair_recorded(
                        cert_text.as_bytes(),
                        staged_key,
                        overwrite,
                        staged_record,
                    )?;
                    k.clone()
                }
                (None, Some(reused), _) => {
                    store::write_atomic(cert, cert_text.as_bytes(), MODE_PUBLIC, overwrite)?;
                    let key = absolute(reused);
                    store.record_issued(record(cert, &key, Layout::Files))?;
                    key
                }
                (Some(_), _, None) => bail!("{}: the key was not staged", cert.display()),
                (None, None, _) => bail!("a certificate file needs a key file beside it"),
            };
            (cert.clone(), key_path, None, Layout::Files)
        }
        Destination::Store => bail!("the store destination was not resolved"),
    };
    if layout == Layout::Versioned {
        store.record_issued(record(&cert_path, &key_path, layout))?;
    }

    let report = IssueReport {
        name,
        ca: stored_ca.name.clone(),
        cert_path: cert_path.display().to_string(),
        key_path: key_path.display().to_string(),
        ca_path: ca_path.as_ref().map(|p| p.display().to_string()),
        layout,
        created_default_ca: created_default,
        capped_at_ca_expiry: issued.capped,
        previous_pin_sha256: None,
        pin_kept: None,
        certificate: info,
    };
    Ok(warnings.finish(Issued {
        report,
        chain,
        default_ca_dir: store.ca_dir(DEFAULT_CA),
    }))
}

/// A renewal.
#[derive(Debug, Clone)]
pub struct RenewSpec {
    /// The certificate to renew (a file tlsctl or another tool issued).
    pub cert: PathBuf,
    /// The store CA; the one that issued the certificate when `None`.
    pub ca: Option<String>,
    /// With `rekey`: where the new key goes; the recorded key when `None`.
    pub key: Option<PathBuf>,
    /// Generate a new key (the pin changes).
    pub rekey: bool,
    /// Validity; the current certificate's when `None`.
    pub days: Option<i64>,
    /// Renew even from a CA that is not valid yet.
    pub from_staged: bool,
}

/// What `renew` did.
#[derive(Debug)]
pub struct Renewed {
    pub report: IssueReport,
    /// The certificate that was replaced.
    pub previous: CertInfo,
    /// The input's name, as the user gave it.
    pub input_name: String,
}

/// A renewal from a CA that is not valid yet, refused: it would replace a
/// certificate that verifies with one that does not yet.
#[derive(Debug, thiserror::Error)]
#[error(
    "CA {ca:?} is not valid until {from}: {cert} renewed from it would not verify before then, \
     and renew replaces the certificate in use; renew from the active CA, or wait (to rehearse, \
     issue into a scratch directory from {ca:?})"
)]
pub struct StagedRenewal {
    pub ca: String,
    pub from: String,
    pub cert: String,
}

/// Renews a leaf: same subject, SANs and usage, a new serial and validity,
/// the key kept unless `rekey`; a versioned directory switches cert and key
/// together.
pub fn renew(env: &Env, spec: &RenewSpec) -> Result<Outcome<Renewed>> {
    let now = env.now();
    let mut warnings = Warnings::default();
    if store::k8s::is_manifest(&spec.cert) {
        bail!(
            "{}: is a Kubernetes manifest, and cert renew rewrites the certificate file it is \
             given; renew the files the Secret was made from (the --out directory of cert \
             issue), then write the Secret again (cert issue --k8s-secret)",
            crate::pki::text::escape_controls(&spec.cert.display().to_string())
        );
    }
    let (cert_name, certs) = store::read_certificate_file(&spec.cert)?;
    let leaf_der = certs.first().context("no certificate")?;
    let leaf = CertInfo::parse(leaf_der, now).map_err(|e| anyhow!("{}: {e}", cert_name))?;
    if leaf.is_ca {
        bail!("{cert_name}: is a CA certificate; renew a CA by creating it again, replacing it");
    }
    let sans = leaf
        .sans
        .iter()
        .map(|s| match s.kind {
            SanKind::Other => Err(anyhow!(
                "{}: has a SAN tlsctl cannot reissue ({}); issue a new certificate instead",
                cert_name,
                s.value
            )),
            _ => san::parse_san(&s.value).map_err(anyhow::Error::from),
        })
        .collect::<Result<Vec<_>>>()?;
    let store = env.store()?;
    let cert_path = absolute(&spec.cert);
    let lock = store.lock()?;
    warnings.recovered(&lock);
    let record = store.find_issued(&cert_path)?;
    let ca_name = match &spec.ca {
        Some(n) => n.clone(),
        None => issuing_ca(&store, &leaf, record.as_ref(), now)?,
    };
    let (_, signer) = ca::signer(&store, &ca_name, now)?;
    if signer.info.validity == Validity::NotYetValid && !spec.from_staged {
        return Err(StagedRenewal {
            ca: signer.name.clone(),
            from: render::format_time(signer.info.not_before),
            cert: cert_name,
        }
        .into());
    }
    warn_if_staged(&signer, &mut warnings);
    let chain = ca::chain(&store, &ca_name)?;
    let versioned = store::versioned_dir_of(&cert_path);

    let days = spec
        .days
        .unwrap_or_else(|| (leaf.not_after - leaf.not_before).whole_days().max(1));
    let window = Window::days_from(now - BACKDATE, days)?;
    let key_type = KeyType::of_spki(&leaf.spki_der);
    let req = LeafRequest {
        sans,
        subject: issue::subject_of(leaf_der)?,
        usage: Usage::of(&leaf),
        window,
        rsa: key_type.is_some_and(KeyType::is_rsa),
    };

    // The key: kept (only the public half is needed), or a new one.
    let new_key = if spec.rekey {
        let kt = key_type
            .ok_or_else(|| anyhow!("{}: its key type is not one tlsctl generates", cert_name))?;
        Some(kt.generate()?)
    } else {
        None
    };
    let issued = match &new_key {
        Some(pair) => issue::issue_leaf(&req, LeafKey::Pair(pair), &signer, now)?,
        None => {
            let public = issue::public_key(&leaf.spki_der)?;
            issue::issue_leaf(&req, LeafKey::Public(&public), &signer, now)?
        }
    };
    if issued.capped {
        warn_capped(&signer, &mut warnings);
    }
    let with_chain = certs.len() > 1 || record.as_ref().is_some_and(|r| r.chain);
    let info = CertInfo::parse(&issued.cert, now)?;
    let cert_text = cert_file_text(&info, &issued.cert, &chain, with_chain, now)?;
    let new_key_pem = new_key.as_ref().map(|k| k.serialize_pem().into_bytes());

    let (key_path, layout, ca_path) = match &versioned {
        Some(dir) => {
            let current = dir.join(store::CURRENT);
            let old_key = store::read_if_present(&current.join("key.pem"))?;
            let old_ca = store::read_if_present(&current.join("ca.pem"))?;
            let key_bytes = match (&new_key_pem, &old_key) {
                (Some(k), _) => k.clone(),
                (None, Some(k)) => k.clone(),
                (None, None) => bail!("{}: has no key.pem in its current version", dir.display()),
            };
            let mut files = vec![
                VersionedFile {
                    name: "key.pem",
                    contents: &key_bytes,
                    mode: MODE_PRIVATE,
                },
                VersionedFile {
                    name: "cert.pem",
                    contents: cert_text.as_bytes(),
                    mode: MODE_PUBLIC,
                },
            ];
            if let Some(ca) = &old_ca {
                files.push(VersionedFile {
                    name: "ca.pem",
                    contents: ca,
                    mode: MODE_PUBLIC,
                });
            }
            store::write_versioned(dir, &files, Overwrite::Allow)?;
            let ca_path = old_ca.is_some().then(|| dir.join("ca.pem"));
            (dir.join("key.pem"), Layout::Versioned, ca_path)
        }
        None => {
            let key_path = match (&new_key_pem, &spec.key, &record) {
                (Some(_), Some(k), _) => absolute(k),
                (Some(_), None, Some(r)) => r.key.clone(),
                (Some(_), None, None) => {
                    return Err(UnknownKeyPath { cert: cert_name }.into());
                }
                (None, _, Some(r)) => r.key.clone(),
                (None, _, None) => PathBuf::new(),
            };
            match &new_key_pem {
                Some(pem) => store::write_cert_and_key(
                    &cert_path,
                    cert_text.as_bytes(),
                    &key_path,
                    pem,
                    Overwrite::Allow,
                )?,
                None => store::write_atomic(
                    &cert_path,
                    cert_text.as_bytes(),
                    MODE_PUBLIC,
                    Overwrite::Allow,
                )?,
            }
            if new_key_pem.is_some() {
                warnings.push(
                    "separate-files",
                    format!(
                        "{} and {} are separate files: a server reloading between the two \
                         writes could read a mismatched pair; issue into a versioned \
                         directory to have renewals switch both at once",
                        key_path.display(),
                        cert_path.display()
                    ),
                );
            }
            (key_path, Layout::Files, None)
        }
    };
    if let Some(r) = &record {
        store.record_issued(IssuedRecord {
            key: key_path.clone(),
            issued: now,
            ca: ca_name.clone(),
            chain: with_chain,
            ..r.clone()
        })?;
    }

    let pin_kept = info.pin_sha256 == leaf.pin_sha256;
    let report = IssueReport {
        name: record
            .as_ref()
            .map_or_else(|| cert_name.clone(), |r| r.name.clone()),
        ca: ca_name,
        cert_path: cert_path.display().to_string(),
        key_path: key_path.display().to_string(),
        ca_path: ca_path.map(|p| p.display().to_string()),
        layout,
        created_default_ca: false,
        capped_at_ca_expiry: issued.capped,
        previous_pin_sha256: Some(leaf.pin_sha256.clone()),
        pin_kept: Some(pin_kept),
        certificate: info,
    };
    Ok(warnings.finish(Renewed {
        report,
        previous: leaf,
        input_name: cert_name,
    }))
}

/// A rekeying renewal of plain files with no record of the key's place.
#[derive(Debug, thiserror::Error)]
#[error("tlsctl has no record of where {cert}'s key is; name the file for the new key")]
pub struct UnknownKeyPath {
    pub cert: String,
}

/// The CA to sign with: the one named, or the default CA, created on first
/// use.
pub(crate) fn resolve_ca(
    store: &Store,
    ca: Option<&str>,
    now: OffsetDateTime,
    warnings: &mut Warnings,
) -> Result<(StoredCa, Signer, bool)> {
    let name = ca.unwrap_or(DEFAULT_CA);
    let mut created = false;
    if ca.is_none() && !store.ca_exists(DEFAULT_CA) {
        let spec = CaSpec {
            cn: Some("tlsctl default CA".to_owned()),
            org: Some("tlsctl".to_owned()),
            ..CaSpec::root(DEFAULT_CA)
        };
        let made = ca::create_locked(store, &spec, now)?;
        warnings.extend(made.warnings);
        created = true;
    }
    let (stored, signer) = ca::signer(store, name, now)?;
    warn_if_staged(&signer, warnings);
    Ok((stored, signer, created))
}

fn warn_if_staged(signer: &Signer, warnings: &mut Warnings) {
    if signer.info.validity == Validity::NotYetValid {
        warnings.push(
            "staged-ca",
            format!(
                "CA {:?} is not valid until {}: what it signs verifies only from then",
                signer.name,
                render::format_time(signer.info.not_before)
            ),
        );
    }
}

pub(crate) fn warn_capped(signer: &Signer, warnings: &mut Warnings) {
    warnings.push(
        "validity-capped",
        format!(
            "the validity was cut to the CA's expiry ({})",
            render::format_time(signer.info.not_after)
        ),
    );
}

/// The certificate file's text: the leaf, then (with `chain`) the CA's
/// intermediates, each in canonical form.
pub(crate) fn cert_file_text(
    leaf_info: &CertInfo,
    leaf: &[u8],
    chain: &[StoredCa],
    with_intermediates: bool,
    now: OffsetDateTime,
) -> Result<String> {
    let mut entries = vec![(leaf_info.clone(), leaf.to_vec())];
    if with_intermediates {
        for c in chain.iter().filter(|c| c.meta.parent.is_some()) {
            entries.push((ca::ca_info(c, now)?, c.cert.to_vec()));
        }
    }
    Ok(bundle::render(&entries))
}

/// The trust bundle for peers: the root of the chain.
pub(crate) fn root_bundle_text(chain: &[StoredCa], now: OffsetDateTime) -> Result<String> {
    let root = chain.last().context("the CA chain is empty")?;
    Ok(bundle::render_entry(&ca::ca_info(root, now)?, &root.cert))
}

/// Refuses to replace existing files unless asked to. `own_links` is true
/// for the store's versioned layout, whose `cert.pem` links are tlsctl's own;
/// anywhere else a link is named as a link.
pub(crate) fn refuse_existing(paths: &[&Path], replace: bool, own_links: bool) -> Result<()> {
    if replace {
        return Ok(());
    }
    for path in paths {
        match store::existing(path) {
            Some(store::Existing::Link) if !own_links => {
                return Err(store::IsLink(path.to_path_buf()).into());
            }
            Some(_) => return Err(store::AlreadyExists(path.to_path_buf()).into()),
            None => {}
        }
    }
    Ok(())
}

/// Finds the store CA that issued `leaf`: by the record, then by AKI, then
/// by issuer name.
fn issuing_ca(
    store: &Store,
    leaf: &CertInfo,
    record: Option<&IssuedRecord>,
    now: OffsetDateTime,
) -> Result<String> {
    if let Some(r) = record
        && store.ca_exists(&r.ca)
    {
        return Ok(r.ca.clone());
    }
    let cas = store.list_cas()?;
    let infos: Vec<(String, CertInfo)> = cas
        .iter()
        .filter_map(|c| ca::ca_info(c, now).ok().map(|i| (c.name.clone(), i)))
        .collect();
    if let Some(aki) = &leaf.authority_key_id
        && let Some((name, _)) = infos
            .iter()
            .find(|(_, i)| i.subject_key_id.as_ref() == Some(aki))
    {
        return Ok(name.clone());
    }
    if let Some((name, _)) = infos.iter().find(|(_, i)| i.subject_der == leaf.issuer_der) {
        return Ok(name.clone());
    }
    Err(NoIssuingCa {
        store: store.root.clone(),
        issuer: leaf.issuer.clone(),
    }
    .into())
}

/// A server or dual-use certificate without SANs: Go (and so NATS) ignores
/// the CN when it matches a host, so such a certificate matches none.
#[derive(Debug, thiserror::Error)]
#[error(
    "a {} certificate needs SANs: TLS clients (Go, NATS) ignore the CN, so it would match no \
     host; only a client certificate may go without, named by its subject",
    usage.name()
)]
pub struct SansNeeded {
    pub usage: Usage,
}

/// No store CA issued the certificate to renew.
#[derive(Debug, thiserror::Error)]
#[error("no CA in {} issued this certificate (issuer {issuer})", store.display())]
pub struct NoIssuingCa {
    pub store: PathBuf,
    pub issuer: String,
}
