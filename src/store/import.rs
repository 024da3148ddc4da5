//! CAs brought into the store from elsewhere (`tlsctl ca import`): the
//! certificates above an imported CA, whose keys the store never holds.
//! Their directories are written like `write_ca`'s, in one rename, without
//! `ca.key`; signing with one fails naming the missing key.

use std::fs;

use anyhow::{Context, Result};

use super::layout::{CaExists, CaMeta, Store, check_name};
use super::{MODE_PUBLIC, Overwrite, create_private_dir, sync_dir, write_atomic};

impl Store {
    /// Writes a CA directory holding only a certificate (no key): a chain
    /// certificate of an imported CA.
    pub fn write_ca_cert_only(&self, meta: &CaMeta, cert_pem: &[u8]) -> Result<()> {
        check_name(&meta.name)?;
        let cas = self.cas_dir();
        create_private_dir(&cas)?;
        let target = self.ca_dir(&meta.name);
        if target.exists() {
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
            write_atomic(&tmp.join("ca.pem"), cert_pem, MODE_PUBLIC, Overwrite::Never)?;
            let json = serde_json::to_vec_pretty(meta)?;
            write_atomic(&tmp.join("meta.json"), &json, MODE_PUBLIC, Overwrite::Never)?;
            fs::rename(&tmp, &target).with_context(|| format!("creating {}", target.display()))?;
            sync_dir(&cas).with_context(|| format!("syncing {}", cas.display()))?;
            Ok(())
        })();
        if result.is_err() {
            fs::remove_dir_all(&tmp).ok();
        }
        result
    }
}
