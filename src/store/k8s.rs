//! Reading a Kubernetes Secret or ConfigMap manifest wherever a PEM file is
//! read: `FILE` (its certificate keys: `tls.crt`, `ca.crt`, `*.pem`,
//! `*.crt`; `tls.key` too where a key is wanted) or `FILE#KEY` (one key).
//! PEM and DER files come back exactly as `read_input` reads them.

use std::path::{Path, PathBuf};

use anyhow::{Result, anyhow, bail};

use super::{Content, Input, Opened, exists, is_stdin, open_input, read_input, read_input_into};
use crate::pki::k8s;

/// Reads `path` as `read_input` does; a manifest becomes the selected keys'
/// contents, one after another, named `FILE#KEY` when one key was picked.
pub fn read_input_or_manifest(path: &Path, want_key: bool) -> Result<Input> {
    let mut bytes = Vec::new();
    let name = read_input_or_manifest_into(path, want_key, &mut bytes)?;
    Ok(Input { name, bytes })
}

/// [`read_input_or_manifest`] into `buf` (as `read_input_into`), returning
/// the name to show.
pub fn read_input_or_manifest_into(
    path: &Path,
    want_key: bool,
    buf: &mut Vec<u8>,
) -> Result<String> {
    let (file, key) = match keyed(path) {
        Some((file, key)) => (file, Some(key)),
        None => (path.to_path_buf(), None),
    };
    let name = read_input_into(&file, buf)?;
    if key.is_none() && !k8s::looks_like_manifest(buf) {
        return Ok(name);
    }
    let entries = k8s::read_manifest(buf).map_err(|e| anyhow!("{name}: {e}"))?;
    let chosen =
        k8s::select(&entries, key.as_deref(), want_key).map_err(|e| anyhow!("{name}: {e}"))?;
    let mut bytes = Vec::new();
    for e in &chosen {
        bytes.extend_from_slice(&e.bytes);
        if !bytes.ends_with(b"\n") {
            bytes.push(b'\n');
        }
    }
    if bytes.len() > super::MAX_INPUT {
        bail!(
            "{name}: the selected keys are larger than {} bytes",
            super::MAX_INPUT
        );
    }
    *buf = bytes;
    Ok(match key {
        Some(k) => format!("{name}#{k}"),
        None => name,
    })
}

/// The file and key `FILE#KEY` names, unless a file of that very name
/// exists (or it is standard input).
fn keyed(path: &Path) -> Option<(PathBuf, String)> {
    match k8s::split_key(&path.to_string_lossy()) {
        (file, Some(key)) if !is_stdin(path) && !exists(path) => {
            Some((PathBuf::from(file), key.to_owned()))
        }
        _ => None,
    }
}

/// [`read_input_or_manifest`], leaving a large PEM or DER file to be read
/// in pieces (`store::open_input`); a manifest is read whole, as ever.
pub fn open_input_or_manifest(path: &Path, want_key: bool) -> Result<Opened> {
    if keyed(path).is_none() {
        let opened = open_input(path)?;
        let manifest = match &opened.content {
            Content::Bytes(bytes) => k8s::looks_like_manifest(bytes),
            Content::File(file) => {
                let head = file
                    .head(64 * 1024)
                    .map_err(|e| anyhow!("{}: could not be read: {e}", opened.name))?;
                k8s::looks_like_manifest(&head)
            }
        };
        if !manifest {
            return Ok(opened);
        }
    }
    read_input_or_manifest(path, want_key).map(Opened::from)
}

/// [`open_input_or_manifest`] for several paths; `-` may be named once.
pub fn open_inputs_or_manifests(paths: &[PathBuf], want_key: bool) -> Result<Vec<Opened>> {
    if paths.iter().filter(|p| is_stdin(p)).count() > 1 {
        bail!("standard input (-) can be given only once");
    }
    paths
        .iter()
        .map(|p| open_input_or_manifest(p, want_key))
        .collect()
}

/// [`read_input_or_manifest`] for several paths; `-` may be named once.
pub fn read_inputs_or_manifests(paths: &[PathBuf], want_key: bool) -> Result<Vec<Input>> {
    if paths.iter().filter(|p| is_stdin(p)).count() > 1 {
        bail!("standard input (-) can be given only once");
    }
    paths
        .iter()
        .map(|p| read_input_or_manifest(p, want_key))
        .collect()
}

/// Where a manifest input names one key for a program that reads files
/// (nats-server reads the key where the pod mounts it): `FILE#KEY`, or for
/// a manifest named alone `FILE#default` (or its one certificate key when
/// it has no `default`). The path to read and the key; `None` for a PEM or
/// DER file (and for stdin, read once elsewhere).
pub fn mounted_key(path: &Path, default: &str) -> Result<Option<(PathBuf, String)>> {
    if is_stdin(path) {
        return Ok(None);
    }
    if let Some((_, key)) = keyed(path) {
        return Ok(Some((path.to_path_buf(), key)));
    }
    let text = path.to_string_lossy();
    let input = read_input(path)?;
    if !k8s::looks_like_manifest(&input.bytes) {
        return Ok(None);
    }
    let entries = k8s::read_manifest(&input.bytes).map_err(|e| anyhow!("{}: {e}", input.name))?;
    // Only a certificate key falls back (a key file is never a certificate).
    let key = if entries.iter().any(|e| e.key == default) || !k8s::is_certificate_key(default) {
        default.to_owned()
    } else {
        match k8s::select(&entries, None, false).as_deref() {
            Ok([one]) => one.key.clone(),
            _ => default.to_owned(),
        }
    };
    Ok(Some((PathBuf::from(format!("{text}#{key}")), key)))
}

/// Whether `path` is a manifest (or `FILE#KEY` of one): for the commands
/// that rewrite the file they read, which refuse one.
pub fn is_manifest(path: &Path) -> bool {
    if is_stdin(path) {
        return false;
    }
    let file = keyed(path).map_or_else(|| path.to_path_buf(), |(file, _)| file);
    read_input(&file).is_ok_and(|i| k8s::looks_like_manifest(&i.bytes))
}
