//! nats-server configuration files from disk: the loader that
//! `pki::natsconf::Reader` asks for the configuration and each include, and
//! the process environment for `$NAME` variables. Paths are used as the
//! reader resolves them (relative to the including file, as nats-server
//! does), so a relative top-level path is relative to the working directory,
//! as it is for `nats-server -c`.
//!
//! A Kubernetes ConfigMap manifest stands in for the configuration file
//! (`cm.yaml`, or `cm.yaml#KEY`): its key is read as the file
//! `cm.yaml/KEY`, and an include beside it resolves to another key of the
//! same ConfigMap, as the Helm chart mounts every key in one directory.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use anyhow::Result;

use anyhow::{anyhow, bail};

use crate::pki::k8s::{self, Entry};
use crate::pki::natsconf::{Config, Dialect, Reader, go_dir, limits};

/// Reads one configuration file (the top one or an include): a regular file
/// of at most [`limits::MAX_FILE`] bytes. The error names the file.
pub fn load(path: &Path) -> Result<Vec<u8>, String> {
    let name = crate::pki::text::escape_controls(&path.display().to_string()).into_owned();
    let meta = fs::metadata(path).map_err(|e| format!("{name}: {}", plain(&e)))?;
    if meta.is_dir() {
        return Err(format!("{name}: is a directory, not a configuration file"));
    }
    // A pipe (`<(kubectl get cm ...)`) is read to the same limit.
    if !meta.is_file() && !std::os::unix::fs::FileTypeExt::is_fifo(&meta.file_type()) {
        return Err(format!("{name}: is not a regular file or a pipe"));
    }
    let file = fs::File::open(path).map_err(|e| format!("{name}: {}", plain(&e)))?;
    let mut bytes = Vec::new();
    file.take(limits::MAX_FILE as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("{name}: {}", plain(&e)))?;
    if bytes.len() > limits::MAX_FILE {
        return Err(format!(
            "{name}: is larger than {} bytes; is this really a nats-server configuration?",
            limits::MAX_FILE
        ));
    }
    Ok(bytes)
}

fn plain(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => e.to_string(),
    }
}

/// The process environment, as nats-server's `os.LookupEnv` sees it.
pub fn env_var(name: &str) -> Option<String> {
    if name.is_empty() || name.contains('=') || name.contains('\0') {
        return None;
    }
    std::env::var_os(name).map(|v| v.to_string_lossy().into_owned())
}

/// Reads the configuration at `path` with its includes from disk and its
/// variables from the process environment.
pub fn read_config(path: &Path, dialect: Dialect) -> Result<Config> {
    let bytes = load(path).map_err(anyhow::Error::msg)?;
    read_config_bytes(path, &bytes, dialect)
}

/// [`read_config`] of bytes already read from `path` (a pipe reads once).
fn read_config_bytes(path: &Path, bytes: &[u8], dialect: Dialect) -> Result<Config> {
    let mut loader = load;
    let env = env_var;
    let mut reader = Reader::new(&mut loader, &env).dialect(dialect);
    Ok(reader.read_bytes(path, bytes)?)
}

/// Reads a configuration file, or the nats-server configuration a
/// ConfigMap manifest holds (`FILE#KEY` picks the key, unless a file of
/// that very name exists; by default `nats.conf`, or the one key ending
/// `.conf`). Returns the path the configuration is known by: the file, or
/// `MANIFEST/KEY` for a ConfigMap key.
pub fn read_config_or_manifest(path: &Path, dialect: Dialect) -> Result<(PathBuf, Config)> {
    let text = path.to_string_lossy();
    let (file, key) = match k8s::split_key(&text) {
        (f, Some(k)) if !super::exists(path) => (PathBuf::from(f), Some(k.to_owned())),
        _ => (path.to_path_buf(), None),
    };
    let bytes = load(&file).map_err(anyhow::Error::msg)?;
    if key.is_none() && !k8s::looks_like_manifest(&bytes) {
        return Ok((
            path.to_path_buf(),
            read_config_bytes(path, &bytes, dialect)?,
        ));
    }
    let name = file.display().to_string();
    let manifest = k8s::read_manifest(&bytes);
    // A configuration in nats-server's JSON-like form starts with `{` as a
    // JSON manifest does: it is a manifest only when it holds objects.
    let json_like = bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{');
    if key.is_none() && json_like && manifest.is_err() {
        return Ok((
            path.to_path_buf(),
            read_config_bytes(path, &bytes, dialect)?,
        ));
    }
    let entries: Vec<Entry> = manifest
        .map_err(|e| anyhow!("{name}: {e}"))?
        .into_iter()
        .filter(|e| e.object.starts_with("ConfigMap/"))
        .collect();
    if entries.is_empty() {
        bail!(
            "{name}: holds no ConfigMap; give the ConfigMap that holds nats.conf (kubectl get configmap NAME -o yaml)"
        );
    }
    let candidates: Vec<&Entry> = match &key {
        Some(k) => entries.iter().filter(|e| &e.key == k).collect(),
        None => {
            let named: Vec<&Entry> = entries.iter().filter(|e| e.key == "nats.conf").collect();
            if named.is_empty() {
                entries
                    .iter()
                    .filter(|e| e.key.ends_with(".conf"))
                    .collect()
            } else {
                named
            }
        }
    };
    let keys = || {
        entries
            .iter()
            .map(|e| format!("{}#{}", e.object, e.key))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let chosen = match candidates.as_slice() {
        [one] => *one,
        [] => bail!(
            "{name}: no key {} in its ConfigMap; keys there: {}",
            key.as_deref().map_or_else(
                || "nats.conf (or one *.conf)".to_string(),
                |k| format!("{k:?}")
            ),
            keys()
        ),
        many => bail!(
            "{name}: {} keys could be the configuration ({}); pick one with {name}#KEY, one ConfigMap per file",
            many.len(),
            many.iter()
                .map(|e| format!("{}#{}", e.object, e.key))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    let top = file.join(&chosen.key);
    let dir = go_dir(&top);
    let object = chosen.object.clone();
    let siblings: Vec<&Entry> = entries.iter().filter(|e| e.object == object).collect();
    let mut loader = |p: &Path| -> Result<Vec<u8>, String> {
        if go_dir(p) == dir {
            let base = p.file_name().map(|b| b.to_string_lossy().into_owned());
            return match siblings.iter().find(|e| Some(&e.key) == base.as_ref()) {
                Some(e) => Ok(e.bytes.clone()),
                None => Err(format!(
                    "{object} in {name} has no key {:?} (an include beside {} names a key of the same ConfigMap); keys there: {}",
                    base.unwrap_or_default(),
                    chosen.key,
                    siblings
                        .iter()
                        .map(|e| e.key.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            };
        }
        load(p)
    };
    let env = env_var;
    let mut reader = Reader::new(&mut loader, &env).dialect(dialect);
    let config = reader.read_bytes(&top, &chosen.bytes)?;
    Ok((top, config))
}
