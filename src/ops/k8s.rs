//! Kubernetes manifests tlsctl writes: the `kubernetes.io/tls` Secret of an
//! issued certificate (`cert issue --k8s-secret NAME`), 0600 from creation
//! since it carries the private key, and the ConfigMap of a trust bundle
//! (`bundle export BUNDLE --configmap NAME`).

use std::path::{Path, PathBuf};

use anyhow::{Result, bail};

use super::{Env, Outcome, absolute};
use crate::pki::bundle::{self, Entry};
use crate::pki::k8s;
use crate::store::{self, MODE_PRIVATE, MODE_PUBLIC, Overwrite};

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
    check_names(name, namespace)?;
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

fn check_names(name: &str, namespace: Option<&str>) -> Result<()> {
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
    Ok(())
}

/// A bundle to export as a ConfigMap.
#[derive(Debug, Clone)]
pub struct ExportSpec {
    pub bundle: PathBuf,
    pub name: String,
    pub namespace: Option<String>,
    /// The ConfigMap key that holds the bundle (`ca.pem`).
    pub key: String,
    /// Where to write it; `None` for the caller to print.
    pub out: Option<PathBuf>,
    pub replace: bool,
}

/// The exported ConfigMap.
#[derive(Debug)]
pub struct Exported {
    pub bundle: String,
    pub manifest: String,
    pub entries: Vec<Entry>,
    /// The file written, absolute.
    pub written: Option<PathBuf>,
}

/// The bundle's certificates in canonical form under one key of a
/// ConfigMap. A bundle with any block Go would skip (or none left) is
/// refused: the ConfigMap would not hold what the file shows.
pub fn export_bundle(env: &Env, spec: &ExportSpec) -> Result<Outcome<Exported>> {
    check_names(&spec.name, spec.namespace.as_deref())?;
    if !k8s::valid_key(&spec.key) {
        bail!(
            "{:?} is not a ConfigMap key: letters, digits, '-', '_' and '.'",
            spec.key
        );
    }
    if let Some(out) = &spec.out {
        store::check_destination(out)?;
    }
    let (name, parsed) = super::bundle::parse_input(&spec.bundle, env.now())?;
    if let Some(problem) = parsed.problems.first() {
        bail!(
            "{name}: {problem}; fix the bundle first (tlsctl bundle lint {name} lists every \
             problem)"
        );
    }
    if parsed.entries.is_empty() {
        bail!("{name}: holds no certificate to export");
    }
    let refs: Vec<&Entry> = parsed.entries.iter().collect();
    let text = bundle::render_entries(&refs);
    let manifest = k8s::config_map(&spec.name, spec.namespace.as_deref(), &spec.key, &text);
    let written = match &spec.out {
        Some(out) => {
            let out = absolute(out);
            let overwrite = if spec.replace {
                Overwrite::Allow
            } else {
                Overwrite::Never
            };
            store::write_atomic(&out, manifest.as_bytes(), MODE_PUBLIC, overwrite)?;
            Some(out)
        }
        None => None,
    };
    Ok(Outcome::new(Exported {
        bundle: name,
        manifest,
        entries: parsed.entries,
        written,
    }))
}
