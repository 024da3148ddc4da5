//! Kubernetes manifests tlsctl writes: the `kubernetes.io/tls` Secret of an
//! issued certificate (`cert issue --k8s-secret NAME`), 0600 from creation
//! since it carries the private key.

use std::path::{Path, PathBuf};

use anyhow::{Result, bail};

use super::absolute;
use crate::pki::k8s;
use crate::store::{self, MODE_PRIVATE, Overwrite};

/// Writes `out` as a `kubernetes.io/tls` Secret named `name` holding the
/// certificate file (leaf and chain) as `tls.crt`, the key as `tls.key`,
/// and the root bundle as `ca.crt` when there is one.
pub fn write_tls_secret(
    name: &str,
    namespace: Option<&str>,
    cert: &Path,
    key: &Path,
    ca: Option<&Path>,
    out: &Path,
    replace: bool,
) -> Result<PathBuf> {
    if !k8s::valid_name(name) {
        bail!(
            "{name:?} is not a Kubernetes object name: lowercase letters, digits, '-' and '.', \
             starting and ending with a letter or digit"
        );
    }
    if let Some(ns) = namespace
        && !k8s::valid_name(ns)
    {
        bail!("{ns:?} is not a Kubernetes namespace name");
    }
    let tls_crt = store::read_input(cert)?.bytes;
    let tls_key = store::read_input(key)?.bytes;
    let ca_crt = match ca {
        Some(p) => Some(store::read_input(p)?.bytes),
        None => None,
    };
    let text = k8s::tls_secret(name, namespace, &tls_crt, &tls_key, ca_crt.as_deref());
    let out = absolute(out);
    let overwrite = if replace {
        Overwrite::Allow
    } else {
        Overwrite::Never
    };
    store::write_atomic(&out, text.as_bytes(), MODE_PRIVATE, overwrite)?;
    Ok(out)
}
