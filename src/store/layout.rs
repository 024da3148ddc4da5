//! The store: where tlsctl keeps its CAs and the record of what it issued.
//!
//! ```text
//! $TLSCTL_HOME (or the platform data dir, ~/.local/share/tlsctl on Linux)   0700
//!   cas/NAME/ca.pem        the CA certificate                           0644
//!   cas/NAME/ca.key        its private key, PKCS#8 PEM                  0600
//!   cas/NAME/meta.json     parent, key type, creation time              0644
//!   certs/NAME/            leaves issued without --out/--cert-out: a versioned
//!                          directory (cert.pem, key.pem, ca.pem -> ..data/...)
//!   issued.json            one record per issued leaf: where its cert and key are
//!   .lock                  serialises tlsctl commands that change the store
//! ```
//!
//! A CA directory appears whole or not at all: it is written under a
//! temporary name and renamed into place.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use rustls_pki_types::CertificateDer;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::{
    Lock, MODE_PRIVATE, MODE_PUBLIC, Overwrite, create_private_dir, lock, read_certificates,
    read_private_key, sync_dir, write_atomic,
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

    /// Creates the store directory (0700) if needed and takes the store lock.
    pub fn lock(&self) -> Result<Lock> {
        create_private_dir(&self.root)?;
        lock(&self.root.join("store"))
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
        let (_, mut certs) = read_certificates(&dir.join("ca.pem"))?;
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
        let (input, key) = read_private_key(&ca.key_path())?;
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
    /// existing CA of that name is replaced.
    pub fn write_ca(
        &self,
        meta: &CaMeta,
        cert_pem: &[u8],
        key_pem: &[u8],
        overwrite: Overwrite,
    ) -> Result<PathBuf> {
        check_name(&meta.name)?;
        let cas = self.cas_dir();
        create_private_dir(&cas)?;
        let target = self.ca_dir(&meta.name);
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
        let result = (|| -> Result<()> {
            write_atomic(&tmp.join("ca.key"), key_pem, MODE_PRIVATE, Overwrite::Never)?;
            write_atomic(&tmp.join("ca.pem"), cert_pem, MODE_PUBLIC, Overwrite::Never)?;
            let json = serde_json::to_vec_pretty(meta)?;
            write_atomic(&tmp.join("meta.json"), &json, MODE_PUBLIC, Overwrite::Never)?;
            if target.exists() {
                let old = cas.join(format!(".{}.replaced-{}", meta.name, std::process::id()));
                fs::rename(&target, &old)
                    .with_context(|| format!("moving the old {} aside", target.display()))?;
                fs::rename(&tmp, &target)
                    .with_context(|| format!("creating {}", target.display()))?;
                fs::remove_dir_all(&old).ok();
            } else {
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
        result.map(|()| target)
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
        let mut records = self.issued()?;
        records.retain(|r| r.cert != record.cert);
        records.push(record);
        let json = serde_json::to_vec_pretty(&records)?;
        write_atomic(&self.issued_path(), &json, MODE_PRIVATE, Overwrite::Allow)
    }

    /// The record of the leaf whose certificate is at `cert`.
    pub fn find_issued(&self, cert: &Path) -> Result<Option<IssuedRecord>> {
        let wanted = std::path::absolute(cert).unwrap_or_else(|_| cert.to_path_buf());
        Ok(self.issued()?.into_iter().find(|r| r.cert == wanted))
    }
}
