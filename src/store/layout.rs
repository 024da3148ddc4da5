//! The store: where tlsctl keeps its CAs and the record of what it issued.
//!
//! ```text
//! $TLSCTL_HOME (or the platform data dir, ~/.local/share/tlsctl on Linux)   0700
//!   cas/NAME/ca.pem        the CA certificate                           0644
//!   cas/NAME/ca.key        its private key, PKCS#8 PEM                  0600
//!   cas/NAME/meta.json     parent, key type, creation time              0644
//!   cas/.replaced/NAME.N/  a CA `ca create --force` replaced, kept (key 0600)
//!   certs/NAME/            leaves issued without --out/--cert-out: a versioned
//!                          directory (cert.pem, key.pem, ca.pem -> ..data/...)
//!   issued.json            one record per issued leaf: where its cert and key are
//!   .lock                  serialises tlsctl commands that change the store
//! ```
//!
//! A CA directory appears whole or not at all: it is written under a
//! temporary name and renamed into place; a replaced CA is first kept as
//! `cas/.replaced/NAME.N` and then swapped out in one
//! `renameat2(RENAME_EXCHANGE)`, so the name never goes missing. Taking the
//! store lock ([`Store::lock`]) recovers from interrupted runs first.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use rustls_pki_types::CertificateDer;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::{
    Lock, MODE_PRIVATE, MODE_PUBLIC, Overwrite, create_private_dir, lock, read_certificate_file,
    read_private_key_file, sync_dir, write_atomic,
};

/// What tlsctl records about a CA beside its certificate.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CaMeta {
    pub name: String,
    /// The store name of the CA that signed it; `None` for a root.
    pub parent: Option<String>,
    pub key_type: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created: OffsetDateTime,
}

/// A CA as found in the store.
#[derive(Debug, Clone)]
pub struct StoredCa {
    pub name: String,
    pub dir: PathBuf,
    pub cert: CertificateDer<'static>,
    pub meta: CaMeta,
}

impl StoredCa {
    pub fn cert_path(&self) -> PathBuf {
        self.dir.join("ca.pem")
    }

    pub fn key_path(&self) -> PathBuf {
        self.dir.join("ca.key")
    }
}

/// How an issued leaf's files are laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Layout {
    /// A versioned directory: cert.pem, key.pem, ca.pem are links into
    /// `..data/`, switched by one rename on renewal.
    Versioned,
    /// Plain files given by --cert-out/--key-out.
    Files,
}

/// issued.json with one more record, staged ([`Store::stage_record`]),
/// and the pair it names.
#[derive(Debug)]
pub struct StagedRecord {
    staged: super::Staged,
    cert: PathBuf,
    key: PathBuf,
}

/// The record of one issued leaf.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct IssuedRecord {
    pub name: String,
    /// Absolute path of the certificate file.
    pub cert: PathBuf,
    /// Absolute path of the private key file.
    pub key: PathBuf,
    pub ca: String,
    pub layout: Layout,
    /// The cert file holds the intermediates after the leaf.
    pub chain: bool,
    #[serde(with = "time::serde::rfc3339")]
    pub issued: OffsetDateTime,
}

/// A CA of that name is in the store, and the caller did not ask to
/// replace it. (The CLI adds the flag that does.)
#[derive(Debug, thiserror::Error)]
#[error("a CA named {name:?} already exists in {}", store.display())]
pub struct CaExists {
    pub name: String,
    pub store: PathBuf,
}

/// The store, found but not necessarily created yet.
#[derive(Debug, Clone)]
pub struct Store {
    pub root: PathBuf,
}

/// Store and CA names: a letter or digit, then letters, digits, `.`, `_`, `-`.
pub fn check_name(name: &str) -> Result<()> {
    let ok = name.len() <= 64
        && name
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    if !ok {
        bail!(
            "{name:?} is not a valid name: use letters, digits, '.', '_' and '-', \
             starting with a letter or digit (at most 64)"
        );
    }
    Ok(())
}

impl Store {
    /// The store at `explicit` (`--store` or `TLSCTL_HOME`), or the
    /// platform data directory.
    pub fn locate(explicit: Option<&Path>) -> Result<Store> {
        let root = match explicit {
            Some(p) => std::path::absolute(p)
                .with_context(|| format!("{}: not a usable store path", p.display()))?,
            None => directories::ProjectDirs::from("", "", "tlsctl")
                .map(|d| d.data_dir().to_path_buf())
                .context(
                    "no home directory to keep the store in; pass --store DIR or set TLSCTL_HOME",
                )?,
        };
        Ok(Store { root })
    }

    /// Creates the store directory (0700) if needed, takes the store lock,
    /// and then recovers from any interrupted run (see [`Store::recover`]);
    /// what it did is in [`Lock::recovered`].
    pub fn lock(&self) -> Result<Lock> {
        create_private_dir(&self.root)?;
        let mut lock = lock(&self.root.join("store"))?;
        for what in self.recover()? {
            lock.note(what);
        }
        Ok(lock)
    }

    /// Puts the store back in order after a command was killed, returning
    /// one sentence per thing done. Call only under the store lock (every
    /// writer of CA directories holds it, so what is found is dead):
    ///
    /// - a CA moved aside by an interrupted replacement is put back when
    ///   its name is empty, else kept under `cas/.replaced/`;
    /// - an unfinished CA directory (`cas/.NAME.tmp-*`, a private key of a
    ///   CA that never appeared, or the duplicate of a kept old one) is
    ///   removed, as is a half-made kept copy;
    /// - versioned leaf directories (those in `certs/` and those
    ///   issued.json names) lose versions nothing switched to and temporary
    ///   links; the current version and the one before it stay;
    /// - a plain cert/key pair issued.json names gets its old key back when
    ///   a [`super::write_cert_and_key`] was killed between its renames.
    pub fn recover(&self) -> Result<Vec<String>> {
        let mut done = Vec::new();
        let cas = self.cas_dir();
        let mut aside = Vec::new();
        let mut unfinished = Vec::new();
        if let Ok(entries) = fs::read_dir(&cas) {
            for entry in entries.flatten() {
                let file_name = entry.file_name();
                let Some(name) = file_name.to_str() else {
                    continue;
                };
                if let Some((ca, kind)) = hidden_ca_dir(name) {
                    match kind {
                        Hidden::Unfinished => unfinished.push(entry.path()),
                        Hidden::Aside => aside.push((ca.to_owned(), entry.path())),
                    }
                }
            }
        }
        // First put back a CA an interrupted replacement moved aside.
        for (name, path) in aside {
            let target = self.ca_dir(&name);
            if !target.join("ca.pem").exists() {
                fs::remove_dir(&target).ok();
                fs::rename(&path, &target).with_context(|| {
                    format!(
                        "putting back CA {name:?} from {} (an interrupted `ca create --force`)",
                        path.display()
                    )
                })?;
                sync_dir(&cas).with_context(|| format!("syncing {}", cas.display()))?;
                done.push(format!(
                    "put back CA {name:?}: an interrupted `ca create --force` had moved it \
                     aside"
                ));
            } else if self.is_kept(&name, &path) {
                fs::remove_dir_all(&path).with_context(|| {
                    format!("removing {} (a copy of a kept CA)", path.display())
                })?;
            } else {
                let kept = self.keep_aside(&name, &path)?;
                done.push(format!(
                    "kept the CA {name:?} an interrupted `ca create --force` replaced at {}",
                    kept.display()
                ));
            }
        }
        for path in unfinished {
            fs::remove_dir_all(&path).with_context(|| {
                format!(
                    "removing {} (what an interrupted `ca create` left)",
                    path.display()
                )
            })?;
            done.push(format!(
                "removed {}, left by an interrupted `ca create` (it held a private key)",
                path.display()
            ));
        }
        if let Ok(entries) = fs::read_dir(self.replaced_dir()) {
            for entry in entries.flatten() {
                if entry.file_name().to_string_lossy().contains(".tmp-") {
                    fs::remove_dir_all(entry.path()).with_context(|| {
                        format!("removing {} (a half-made copy)", entry.path().display())
                    })?;
                }
            }
        }
        // Versioned leaf directories.
        let mut dirs: Vec<PathBuf> = fs::read_dir(self.certs_dir())
            .map(|entries| entries.flatten().map(|e| e.path()).collect())
            .unwrap_or_default();
        if let Ok(records) = self.issued() {
            dirs.extend(
                records
                    .iter()
                    .filter(|r| r.layout == Layout::Versioned)
                    .map(|r| super::parent_dir(&r.cert).to_path_buf()),
            );
            // Plain cert and key files: a write killed between its renames.
            for r in records.iter().filter(|r| r.layout == Layout::Files) {
                done.extend(super::recover_cert_and_key(&r.cert, &r.key));
            }
        }
        dirs.sort();
        dirs.dedup();
        for dir in dirs {
            let removed = super::recover_versioned(&dir);
            if !removed.is_empty() {
                done.push(format!(
                    "removed what an interrupted write left in {}: {}",
                    dir.display(),
                    removed.join(", ")
                ));
            }
        }
        Ok(done)
    }

    /// Where replaced CAs are kept: `cas/.replaced/NAME.N/`, the newest
    /// with the highest N, keys 0600. tlsctl never reads or removes them.
    pub fn replaced_dir(&self) -> PathBuf {
        self.cas_dir().join(".replaced")
    }

    /// The kept copies of CA `name`, oldest first.
    pub fn kept_cas(&self, name: &str) -> Vec<PathBuf> {
        let mut found: Vec<(u64, PathBuf)> = fs::read_dir(self.replaced_dir())
            .map(|entries| {
                entries
                    .flatten()
                    .filter_map(|e| {
                        let n = e
                            .file_name()
                            .to_str()?
                            .strip_prefix(name)?
                            .strip_prefix('.')?
                            .parse()
                            .ok()?;
                        Some((n, e.path()))
                    })
                    .collect()
            })
            .unwrap_or_default();
        found.sort();
        found.into_iter().map(|(_, p)| p).collect()
    }

    /// Whether the newest kept copy of `name` holds the CA in `dir`.
    fn is_kept(&self, name: &str, dir: &Path) -> bool {
        let newest = self.kept_cas(name).pop();
        let cert = |d: &Path| fs::read(d.join("ca.pem")).ok();
        let key = |d: &Path| fs::read(d.join("ca.key")).ok();
        newest.is_some_and(|k| cert(&k).is_some() && cert(&k) == cert(dir) && key(&k) == key(dir))
    }

    /// Keeps the CA in `dir` as the next `cas/.replaced/NAME.N`: its files
    /// hard-linked into a temporary directory, synced, and renamed into
    /// place, so a kept copy is whole or absent. `dir` is not changed.
    fn keep_aside(&self, name: &str, dir: &Path) -> Result<PathBuf> {
        let replaced = self.replaced_dir();
        create_private_dir(&replaced)?;
        let next = self
            .kept_cas(name)
            .last()
            .and_then(|p| p.extension()?.to_str()?.parse::<u64>().ok())
            .unwrap_or(0)
            + 1;
        let kept = replaced.join(format!("{name}.{next}"));
        let tmp = replaced.join(format!(".{name}.{next}.tmp-{}", std::process::id()));
        fs::remove_dir_all(&tmp).ok();
        create_private_dir(&tmp)?;
        let made = (|| -> Result<()> {
            for entry in fs::read_dir(dir)
                .with_context(|| format!("reading {}", dir.display()))?
                .flatten()
            {
                if entry.file_type().is_ok_and(|t| t.is_file()) {
                    fs::hard_link(entry.path(), tmp.join(entry.file_name()))
                        .with_context(|| format!("keeping {} aside", entry.path().display()))?;
                }
            }
            sync_dir(&tmp).with_context(|| format!("syncing {}", tmp.display()))?;
            fs::rename(&tmp, &kept)
                .with_context(|| format!("keeping the old CA as {}", kept.display()))?;
            sync_dir(&replaced).with_context(|| format!("syncing {}", replaced.display()))
        })();
        if made.is_err() {
            fs::remove_dir_all(&tmp).ok();
        }
        made.map(|()| kept)
    }

    pub fn cas_dir(&self) -> PathBuf {
        self.root.join("cas")
    }

    pub fn ca_dir(&self, name: &str) -> PathBuf {
        self.cas_dir().join(name)
    }

    pub fn certs_dir(&self) -> PathBuf {
        self.root.join("certs")
    }

    pub fn ca_exists(&self, name: &str) -> bool {
        self.ca_dir(name).join("ca.pem").exists()
    }

    /// Loads one CA's certificate and metadata (not its key).
    pub fn load_ca(&self, name: &str) -> Result<StoredCa> {
        check_name(name)?;
        let dir = self.ca_dir(name);
        if !dir.join("ca.pem").exists() {
            bail!(
                "no CA named {name:?} in {}; `tlsctl ca list` shows the CAs there",
                self.root.display()
            );
        }
        let (_, mut certs) = read_certificate_file(&dir.join("ca.pem"))?;
        let cert = certs.remove(0);
        let meta_path = dir.join("meta.json");
        let meta: CaMeta = serde_json::from_slice(
            &fs::read(&meta_path).with_context(|| format!("reading {}", meta_path.display()))?,
        )
        .with_context(|| format!("{}: not valid tlsctl metadata", meta_path.display()))?;
        Ok(StoredCa {
            name: name.to_owned(),
            dir,
            cert,
            meta,
        })
    }

    /// Reads a CA's private key.
    pub fn load_ca_key(&self, ca: &StoredCa) -> Result<rcgen::KeyPair> {
        let (input, key) = read_private_key_file(&ca.key_path())?;
        crate::pki::key::key_pair(&key).map_err(|e| anyhow::anyhow!("{}: {e}", input.name))
    }

    /// Every CA in the store, sorted by name.
    pub fn list_cas(&self) -> Result<Vec<StoredCa>> {
        let dir = self.cas_dir();
        let entries = match fs::read_dir(&dir) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => {
                return Err(anyhow::Error::new(e).context(format!("reading {}", dir.display())));
            }
        };
        let mut names: Vec<String> = entries
            .flatten()
            .filter_map(|e| e.file_name().to_str().map(str::to_owned))
            .filter(|n| !n.starts_with('.'))
            .collect();
        names.sort();
        names.iter().map(|n| self.load_ca(n)).collect()
    }

    /// The names of the CAs whose parent is `name`, sorted.
    pub fn children_of(&self, name: &str) -> Result<Vec<String>> {
        Ok(self
            .list_cas()?
            .into_iter()
            .filter(|c| c.meta.parent.as_deref() == Some(name))
            .map(|c| c.name)
            .collect())
    }

    /// Writes a new CA directory in one rename. With `Overwrite::Allow` an
    /// existing CA of that name is replaced (see [`Store::write_ca_keeping`],
    /// which also says where the old one was kept).
    pub fn write_ca(
        &self,
        meta: &CaMeta,
        cert_pem: &[u8],
        key_pem: &[u8],
        overwrite: Overwrite,
    ) -> Result<PathBuf> {
        self.write_ca_keeping(meta, cert_pem, key_pem, overwrite)
            .map(|w| w.dir)
    }

    /// Writes a new CA directory so that the name always holds a whole CA,
    /// the old one or the new one. Call under the store lock.
    ///
    /// The new CA is written (key 0600 first) and synced under a temporary
    /// name. When the name is taken (`Overwrite::Allow`), the old CA is
    /// first kept as `cas/.replaced/NAME.N` (hard links: its key stays the
    /// same 0600 file), then the two directories are swapped in one
    /// `renameat2(RENAME_EXCHANGE)`. On a filesystem without it, the old
    /// directory is renamed aside and the new one renamed in; a kill
    /// between the two is undone by [`Store::recover`] (the old CA put
    /// back) when the next command takes the store lock.
    pub fn write_ca_keeping(
        &self,
        meta: &CaMeta,
        cert_pem: &[u8],
        key_pem: &[u8],
        overwrite: Overwrite,
    ) -> Result<WrittenCa> {
        check_name(&meta.name)?;
        let cas = self.cas_dir();
        create_private_dir(&cas)?;
        let target = self.ca_dir(&meta.name);
        let replacing = target.join("ca.pem").exists();
        if overwrite == Overwrite::Never && target.exists() {
            return Err(CaExists {
                name: meta.name.clone(),
                store: self.root.clone(),
            }
            .into());
        }
        let tmp = cas.join(format!(".{}.tmp-{}", meta.name, std::process::id()));
        fs::remove_dir_all(&tmp).ok();
        create_private_dir(&tmp)?;
        let mut kept = None;
        let result = (|| -> Result<()> {
            write_atomic(&tmp.join("ca.key"), key_pem, MODE_PRIVATE, Overwrite::Never)?;
            write_atomic(&tmp.join("ca.pem"), cert_pem, MODE_PUBLIC, Overwrite::Never)?;
            let json = serde_json::to_vec_pretty(meta)?;
            write_atomic(&tmp.join("meta.json"), &json, MODE_PUBLIC, Overwrite::Never)?;
            if replacing {
                kept = Some(self.keep_aside(&meta.name, &target)?);
                swap_in(&tmp, &target, &cas, &meta.name)?;
                // `tmp` now holds the old CA, which is kept: drop the copy.
                fs::remove_dir_all(&tmp).ok();
            } else {
                fs::remove_dir(&target).ok();
                fs::rename(&tmp, &target).map_err(|e| {
                    anyhow::Error::new(e).context(format!(
                        "creating {} (did another tlsctl create it just now?)",
                        target.display()
                    ))
                })?;
            }
            sync_dir(&cas).with_context(|| format!("syncing {}", cas.display()))?;
            Ok(())
        })();
        if result.is_err() {
            fs::remove_dir_all(&tmp).ok();
        }
        result.map(|()| WrittenCa { dir: target, kept })
    }

    fn issued_path(&self) -> PathBuf {
        self.root.join("issued.json")
    }

    /// The records of issued leaves (empty when there are none).
    pub fn issued(&self) -> Result<Vec<IssuedRecord>> {
        let path = self.issued_path();
        match fs::read(&path) {
            Ok(bytes) => serde_json::from_slice(&bytes)
                .with_context(|| format!("{}: not valid tlsctl records", path.display())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
            Err(e) => Err(anyhow::Error::new(e).context(format!("reading {}", path.display()))),
        }
    }

    /// Adds or replaces (by certificate path) a record. Call under the
    /// store lock.
    pub fn record_issued(&self, record: IssuedRecord) -> Result<()> {
        let json = self.records_with(record)?;
        write_atomic(&self.issued_path(), &json, MODE_PRIVATE, Overwrite::Allow)
    }

    /// issued.json's contents with `record` added (or replacing the one of
    /// its certificate).
    fn records_with(&self, record: IssuedRecord) -> Result<Vec<u8>> {
        let mut records = self.issued()?;
        records.retain(|r| r.cert != record.cert);
        records.push(record);
        Ok(serde_json::to_vec_pretty(&records)?)
    }

    /// issued.json with `record` in it (replacing the one for its
    /// certificate), [`super::Staged`]: on its way to disk while the
    /// certificate it names is signed. Call under the store lock.
    pub fn stage_record(&self, record: IssuedRecord) -> Result<StagedRecord> {
        let (cert, key) = (record.cert.clone(), record.key.clone());
        let staged = super::Staged::start(
            &self.issued_path(),
            self.records_with(record)?,
            MODE_PRIVATE,
        )?;
        Ok(StagedRecord { staged, cert, key })
    }

    /// Writes a certificate and a key and record staged earlier
    /// ([`super::Staged::key`], [`Store::stage_record`]) to the paths the
    /// record names, as one batch ([`super::write_staged_cert_and_key_then`]:
    /// the record appears after the pair, and every file and directory is
    /// fsynced once). Call under the store lock.
    pub fn write_staged_pair_recorded(
        &self,
        cert_pem: &[u8],
        key: super::Staged,
        overwrite: Overwrite,
        record: StagedRecord,
    ) -> Result<()> {
        if key.path() != record.key {
            bail!(
                "{}: the record names the key {}",
                key.path().display(),
                record.key.display()
            );
        }
        super::write_staged_cert_and_key_then(
            &record.cert,
            cert_pem,
            key,
            overwrite,
            Some(record.staged),
        )
    }

    /// The records of the leaves CA `name` signed: those a replacement of
    /// it orphans (they chain to the kept copy, not to the new CA).
    pub fn issued_by(&self, name: &str) -> Result<Vec<IssuedRecord>> {
        Ok(self
            .issued()?
            .into_iter()
            .filter(|r| r.ca == name)
            .collect())
    }

    /// The record of the leaf whose certificate is at `cert`.
    pub fn find_issued(&self, cert: &Path) -> Result<Option<IssuedRecord>> {
        let wanted = std::path::absolute(cert).unwrap_or_else(|_| cert.to_path_buf());
        Ok(self.issued()?.into_iter().find(|r| r.cert == wanted))
    }
}

/// A CA directory written by [`Store::write_ca_keeping`].
#[derive(Debug, Clone)]
pub struct WrittenCa {
    /// `cas/NAME`.
    pub dir: PathBuf,
    /// Where the CA it replaced is kept (`cas/.replaced/NAME.N`), if any.
    pub kept: Option<PathBuf>,
}

/// What a hidden entry of `cas/` is.
enum Hidden {
    /// `.NAME.tmp-PID`: a CA being written (or, after the swap, the old
    /// one, already kept).
    Unfinished,
    /// `.NAME.old-PID` (or `.NAME.replaced-PID` of older tlsctl): a CA
    /// moved aside by a replacement without `RENAME_EXCHANGE`.
    Aside,
}

fn hidden_ca_dir(entry: &str) -> Option<(&str, Hidden)> {
    let rest = entry.strip_prefix('.')?;
    for (marker, kind) in [
        (".tmp-", Hidden::Unfinished),
        (".old-", Hidden::Aside),
        (".replaced-", Hidden::Aside),
    ] {
        if let Some(at) = rest.rfind(marker) {
            let name = &rest[..at];
            let pid = &rest[at + marker.len()..];
            if check_name(name).is_ok()
                && !pid.is_empty()
                && pid.bytes().all(|b| b.is_ascii_digit())
            {
                return Some((name, kind));
            }
        }
    }
    None
}

/// Puts the directory `new` at `target` (which exists) so that `target`
/// always names a whole directory: one `renameat2(RENAME_EXCHANGE)` (the
/// old one ends at `new`), or, where the filesystem lacks it, two renames
/// through `.NAME.old-PID` (the old one ends there).
fn swap_in(new: &Path, target: &Path, cas: &Path, name: &str) -> Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    use rustix::io::Errno;
    match renameat_with(CWD, new, CWD, target, RenameFlags::EXCHANGE) {
        Ok(()) => return Ok(()),
        Err(e) if e == Errno::INVAL || e == Errno::NOSYS || e == Errno::OPNOTSUPP => {}
        Err(e) => {
            return Err(anyhow::Error::new(std::io::Error::from(e))
                .context(format!("swapping in the new {}", target.display())));
        }
    }
    let aside = cas.join(format!(".{name}.old-{}", std::process::id()));
    fs::rename(target, &aside)
        .with_context(|| format!("moving the old {} aside", target.display()))?;
    if let Err(e) = fs::rename(new, target) {
        fs::rename(&aside, target).ok();
        return Err(anyhow::Error::new(e).context(format!("creating {}", target.display())));
    }
    // The old one is kept already; this was a second name for it.
    fs::remove_dir_all(&aside).ok();
    Ok(())
}
