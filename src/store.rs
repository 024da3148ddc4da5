//! The only code that touches disk: reading inputs (files or stdin), atomic
//! writes, private-key files, locks, and the store layout.
//!
//! Writes go to a temporary file in the destination's directory, are
//! fsynced, renamed over the destination, and the directory is fsynced, so a
//! reader (or a crash) sees the old file or the new one, never a mix.
//! Private keys are created with mode 0600 by `open(2)` itself, never
//! chmod-ed afterwards.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use crate::pki::reader::MAX_INPUT;

pub mod bundle_file;
pub mod import;
pub mod k8s;
pub mod layout;

pub use layout::{CaExists, CaMeta, IssuedRecord, Layout, Store, StoredCa};

/// The name tlsctl uses for standard input in messages and output.
pub const STDIN_NAME: &str = "<stdin>";

/// An input file's bytes and the name to show for it.
#[derive(Debug, Clone)]
pub struct Input {
    /// The path as the user typed it, or `<stdin>`.
    pub name: String,
    pub bytes: Vec<u8>,
}

/// Reads every input; `-` is standard input, which may be named once.
pub fn read_inputs(paths: &[PathBuf]) -> Result<Vec<Input>> {
    let stdin_count = paths.iter().filter(|p| is_stdin(p)).count();
    if stdin_count > 1 {
        bail!("standard input (-) can be given only once");
    }
    paths.iter().map(|p| read_input(p)).collect()
}

pub fn is_stdin(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// Reads one input file (or stdin for `-`), refusing directories, special
/// files and anything larger than [`MAX_INPUT`].
pub fn read_input(path: &Path) -> Result<Input> {
    if is_stdin(path) {
        let mut bytes = Vec::new();
        io::stdin()
            .lock()
            .take(MAX_INPUT as u64 + 1)
            .read_to_end(&mut bytes)
            .context("reading standard input")?;
        if bytes.len() > MAX_INPUT {
            bail!("{STDIN_NAME}: input is larger than {MAX_INPUT} bytes");
        }
        return Ok(Input {
            name: STDIN_NAME.to_owned(),
            bytes,
        });
    }
    let name = path.display().to_string();
    let meta = fs::metadata(path).map_err(|e| describe_open_error(&name, path, e))?;
    if meta.is_dir() {
        bail!("{name}: is a directory; give a certificate, key or bundle file");
    }
    if !meta.is_file() {
        bail!("{name}: is not a regular file");
    }
    if meta.len() > MAX_INPUT as u64 {
        bail!("{name}: is larger than {MAX_INPUT} bytes; is this really a PEM or DER file?");
    }
    let bytes = fs::read(path).map_err(|e| describe_open_error(&name, path, e))?;
    Ok(Input { name, bytes })
}

/// A regular file beside a missing `path` whose name is one or two edits
/// away (a typo'd extension, a swapped letter), as the user would type it.
/// Never a name that differs only in digits (`node-2.pem` for `node-3.pem`
/// is another node's file) or a key file for a name that is not one.
fn near_name(path: &Path) -> Option<String> {
    let wanted = path.file_name()?.to_str()?;
    let dir = parent_dir(path);
    let keyish = |name: &str| name.to_ascii_lowercase().contains("key");
    let digits_only = |a: &str, b: &str| {
        a.len() == b.len()
            && a.bytes()
                .zip(b.bytes())
                .all(|(x, y)| x == y || (x.is_ascii_digit() && y.is_ascii_digit()))
    };
    let mut best: Option<(usize, String)> = None;
    for entry in fs::read_dir(dir).ok()?.flatten().take(10_000) {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        if name.len().abs_diff(wanted.len()) > 2
            || digits_only(wanted, name)
            || (keyish(name) && !keyish(wanted))
            || !entry.file_type().is_ok_and(|t| t.is_file())
        {
            continue;
        }
        let distance = strsim::damerau_levenshtein(wanted, name);
        let better = best
            .as_ref()
            .is_none_or(|(d, n)| (distance, name) < (*d, n.as_str()));
        if distance <= 2 && better {
            best = Some((distance, name.to_owned()));
        }
    }
    let (_, name) = best?;
    Some(match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.join(name).display().to_string(),
        _ => name,
    })
}

/// The error for an input that does not exist, suggesting a near name.
pub fn missing_file(path: &Path) -> anyhow::Error {
    describe_open_error(
        &path.display().to_string(),
        path,
        io::Error::from(io::ErrorKind::NotFound),
    )
}

fn describe_open_error(name: &str, path: &Path, e: io::Error) -> anyhow::Error {
    match e.kind() {
        io::ErrorKind::NotFound => {
            if fs::symlink_metadata(path).is_ok() {
                anyhow::anyhow!("{name}: is a symbolic link to a file that does not exist")
            } else {
                match near_name(path) {
                    Some(near) => anyhow::anyhow!("{name}: no such file; did you mean {near}?"),
                    None => anyhow::anyhow!("{name}: no such file; check the path"),
                }
            }
        }
        io::ErrorKind::PermissionDenied => {
            anyhow::anyhow!("{name}: permission denied (check the file's owner and mode)")
        }
        _ => anyhow::Error::new(e).context(format!("{name}: cannot read")),
    }
}

/// A destination that exists where the caller asked not to replace one.
/// (The CLI adds the flag that replaces it.)
#[derive(Debug, thiserror::Error)]
#[error("{}: already exists", .0.display())]
pub struct AlreadyExists(pub PathBuf);

/// Whether an existing destination may be replaced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overwrite {
    /// Fail if the destination exists (atomically: no window in which a
    /// concurrent writer could be clobbered).
    Never,
    Allow,
}

/// File modes tlsctl creates files with.
pub const MODE_PRIVATE: u32 = 0o600;
pub const MODE_PUBLIC: u32 = 0o644;

/// Writes `contents` to `path` atomically with `mode` from creation.
pub fn write_atomic(path: &Path, contents: &[u8], mode: u32, overwrite: Overwrite) -> Result<()> {
    let dir = parent_dir(path);
    let name = path
        .file_name()
        .with_context(|| format!("{}: not a file path", path.display()))?;
    let (tmp_path, mut tmp) =
        create_temp(dir, &name.to_string_lossy(), mode).with_context(|| {
            format!(
                "{}: cannot create a temporary file beside it",
                path.display()
            )
        })?;
    let result = (|| -> Result<()> {
        tmp.write_all(contents)
            .and_then(|()| tmp.sync_all())
            .with_context(|| format!("writing {}", path.display()))?;
        drop(tmp);
        match overwrite {
            Overwrite::Allow => fs::rename(&tmp_path, path)
                .with_context(|| format!("replacing {}", path.display()))?,
            Overwrite::Never => {
                // link(2) fails if the destination exists: an atomic no-clobber.
                fs::hard_link(&tmp_path, path).map_err(|e| {
                    if e.kind() == io::ErrorKind::AlreadyExists {
                        anyhow::Error::new(AlreadyExists(path.to_path_buf()))
                    } else {
                        anyhow::Error::new(e).context(format!("creating {}", path.display()))
                    }
                })?;
                fs::remove_file(&tmp_path).ok();
            }
        }
        sync_dir(dir).with_context(|| format!("syncing directory {}", dir.display()))?;
        Ok(())
    })();
    if result.is_err() {
        fs::remove_file(&tmp_path).ok();
    }
    result
}

/// The directory a path lives in (`.` for a bare file name).
pub fn parent_dir(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// Creates `.NAME.tmp-PID-N` in `dir` with `mode`, exclusively.
fn create_temp(dir: &Path, name: &str, mode: u32) -> io::Result<(PathBuf, File)> {
    let pid = std::process::id();
    let mut last_err = None;
    for attempt in 0..100u32 {
        let nonce = nonce() ^ attempt;
        let tmp = dir.join(format!(".{name}.tmp-{pid}-{nonce:08x}"));
        match OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(mode)
            .open(&tmp)
        {
            Ok(f) => return Ok((tmp, f)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => last_err = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last_err.unwrap_or_else(|| io::Error::other("could not create a temporary file")))
}

fn nonce() -> u32 {
    let mut b = [0u8; 4];
    if aws_lc_rs::rand::fill(&mut b).is_err() {
        let t = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        return t;
    }
    u32::from_le_bytes(b)
}

/// fsyncs a directory so that a rename in it survives a crash.
pub fn sync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
}

/// Creates `dir` (and missing parents) with mode 0700.
pub fn create_private_dir(dir: &Path) -> Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .with_context(|| format!("creating directory {}", dir.display()))
}

/// An exclusive advisory lock, held until dropped. Taken on a separate
/// `.NAME.lock` file, because the file it guards is replaced by rename.
pub struct Lock {
    _file: File,
}

/// Locks `path` against other tlsctl writers (waiting for them).
pub fn lock(path: &Path) -> Result<Lock> {
    let dir = parent_dir(path);
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    match fs::metadata(dir) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => bail!(
            "{}: no such directory; create it first (mkdir -p {})",
            dir.display(),
            dir.display()
        ),
        Ok(meta) if !meta.is_dir() => bail!(
            "{}: is not a directory, so nothing can be written in it",
            dir.display()
        ),
        _ => {}
    }
    let lock_path = dir.join(format!(".{name}.lock"));
    let file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .mode(MODE_PRIVATE)
        .open(&lock_path)
        .with_context(|| format!("{}: cannot create lock file", lock_path.display()))?;
    file.lock()
        .with_context(|| format!("{}: cannot lock", lock_path.display()))?;
    Ok(Lock { _file: file })
}

/// One file of a versioned directory.
pub struct VersionedFile<'a> {
    pub name: &'a str,
    pub contents: &'a [u8],
    pub mode: u32,
}

/// The link in a versioned directory that names the current version.
pub const CURRENT: &str = "..data";

/// Whether `path` is a file of a versioned directory (a link into
/// `..data/`), returning the directory.
pub fn versioned_dir_of(path: &Path) -> Option<PathBuf> {
    let target = fs::read_link(path).ok()?;
    let first = target.components().next()?;
    (first.as_os_str() == CURRENT).then(|| parent_dir(path).to_path_buf())
}

/// Writes `files` into `dir` as a new version and switches to it with one
/// atomic rename, as Kubernetes updates a mounted secret:
///
/// ```text
/// dir/cert.pem -> ..data/cert.pem      (links made once)
/// dir/..data   -> ..v7                 (swapped by rename)
/// dir/..v7/cert.pem, key.pem, ...      (the new version)
/// dir/..v6/...                         (the previous one, kept)
/// ```
///
/// A reader that opens `dir/cert.pem` and `dir/key.pem` always gets a pair
/// from one version. Without `overwrite`, an existing `dir/NAME` for any of
/// the files is refused before anything is written.
pub fn write_versioned(
    dir: &Path,
    files: &[VersionedFile<'_>],
    overwrite: Overwrite,
) -> Result<()> {
    create_private_dir(dir)?;
    let _lock = lock(&dir.join("versions"))?;
    if overwrite == Overwrite::Never {
        for f in files {
            let path = dir.join(f.name);
            if fs::symlink_metadata(&path).is_ok() {
                return Err(AlreadyExists(path).into());
            }
        }
    }
    let versions = version_numbers(dir)?;
    let next = versions.iter().max().copied().unwrap_or(0) + 1;
    let version_name = format!("..v{next}");
    let version_dir = dir.join(&version_name);
    create_private_dir(&version_dir)?;
    let written = (|| -> Result<()> {
        for f in files {
            write_atomic(
                &version_dir.join(f.name),
                f.contents,
                f.mode,
                Overwrite::Never,
            )?;
        }
        // The data link, swapped in by rename.
        let tmp_link = dir.join(format!("..data.tmp-{}", std::process::id()));
        fs::remove_file(&tmp_link).ok();
        std::os::unix::fs::symlink(&version_name, &tmp_link)
            .with_context(|| format!("linking {}", tmp_link.display()))?;
        fs::rename(&tmp_link, dir.join(CURRENT)).with_context(|| {
            format!(
                "switching {} to {version_name}",
                dir.join(CURRENT).display()
            )
        })?;
        // The user-facing links, made once (or replacing a plain file).
        for f in files {
            let path = dir.join(f.name);
            let wanted = Path::new(CURRENT).join(f.name);
            if fs::read_link(&path).ok().as_deref() != Some(wanted.as_path()) {
                let tmp = dir.join(format!(".{}.link-{}", f.name, std::process::id()));
                fs::remove_file(&tmp).ok();
                std::os::unix::fs::symlink(&wanted, &tmp)
                    .with_context(|| format!("linking {}", path.display()))?;
                fs::rename(&tmp, &path).with_context(|| format!("linking {}", path.display()))?;
            }
        }
        sync_dir(dir).with_context(|| format!("syncing directory {}", dir.display()))?;
        Ok(())
    })();
    if written.is_err() {
        fs::remove_dir_all(&version_dir).ok();
        return written;
    }
    // Keep the previous version (a reader may still be resolving into it);
    // remove older ones.
    for old in versions.into_iter().filter(|&v| v + 1 < next) {
        fs::remove_dir_all(dir.join(format!("..v{old}"))).ok();
    }
    Ok(())
}

fn version_numbers(dir: &Path) -> Result<Vec<u64>> {
    let mut out = Vec::new();
    let entries = match fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(out),
        Err(e) => return Err(anyhow::Error::new(e).context(format!("reading {}", dir.display()))),
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        if let Some(n) = name
            .to_str()
            .and_then(|n| n.strip_prefix("..v"))
            .and_then(|n| n.parse().ok())
        {
            out.push(n);
        }
    }
    Ok(out)
}

/// The certificates of a file, in order (a leaf first, then its chain),
/// failing on any unreadable block and on a file that holds none.
pub fn read_certificates(
    path: &Path,
) -> Result<(String, Vec<rustls_pki_types::CertificateDer<'static>>)> {
    let input = read_input(path)?;
    let items = crate::pki::reader::read_strict(&input.bytes)
        .map_err(|e| anyhow::anyhow!("{}: {e}", input.name))?;
    if !items
        .iter()
        .any(|(_, i)| matches!(i, crate::pki::Item::Certificate(_)))
    {
        return Err(not_a_certificate(&input.name, items.iter().map(|(_, i)| i)));
    }
    let certs = items
        .into_iter()
        .filter_map(|(_, item)| match item {
            crate::pki::Item::Certificate(c) => Some(c),
            _ => None,
        })
        .collect();
    Ok((input.name, certs))
}

/// The error for a file that holds no certificate: what it holds instead,
/// and what to give.
pub fn not_a_certificate<'a>(
    name: &str,
    items: impl IntoIterator<Item = &'a crate::pki::Item>,
) -> anyhow::Error {
    let mut kinds: Vec<&str> = items.into_iter().map(|i| i.kind_name()).collect();
    kinds.dedup();
    if kinds.is_empty() {
        anyhow::anyhow!("{name}: holds no certificate; give a certificate file (PEM or DER)")
    } else {
        anyhow::anyhow!(
            "{name}: holds a {}, not a certificate; give the certificate file \
             (`tlsctl inspect FILE` shows what a file holds)",
            kinds.join(" and a ")
        )
    }
}

/// The one private key of a file (its bytes come along, for copying it).
pub fn read_private_key(path: &Path) -> Result<(Input, rustls_pki_types::PrivateKeyDer<'static>)> {
    let input = read_input(path)?;
    let mut keys = crate::pki::reader::read_strict(&input.bytes)
        .map_err(|e| anyhow::anyhow!("{}: {e}", input.name))?
        .into_iter()
        .filter_map(|(_, item)| match item {
            crate::pki::Item::PrivateKey(k) => Some(k),
            _ => None,
        });
    let key = keys
        .next()
        .with_context(|| format!("{}: holds no private key", input.name))?;
    if keys.next().is_some() {
        bail!(
            "{}: holds more than one private key; give a file with one",
            input.name
        );
    }
    Ok((input, key))
}

/// What is already at a destination path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Existing {
    /// A symbolic link (dangling or not).
    Link,
    /// A file, directory or anything else.
    Other,
}

/// What is at `path` without following a link; `None` when nothing is.
pub fn existing(path: &Path) -> Option<Existing> {
    fs::symlink_metadata(path).ok().map(|m| {
        if m.file_type().is_symlink() {
            Existing::Link
        } else {
            Existing::Other
        }
    })
}

/// Whether a path names something (a file, a directory, a live link).
pub fn exists(path: &Path) -> bool {
    path.exists()
}

/// A destination that is a symbolic link, which tlsctl does not write
/// keys or certificates through. (The CLI adds the flag that replaces it.)
#[derive(Debug, thiserror::Error)]
#[error(
    "{}: is a symbolic link; tlsctl does not write keys or certificates through links",
    .0.display()
)]
pub struct IsLink(pub PathBuf);

/// The bytes of a file that may be missing; `None` when it is.
pub fn read_if_present(path: &Path) -> Result<Option<Vec<u8>>> {
    match fs::read(path) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(anyhow::Error::new(e).context(format!("reading {}", path.display()))),
    }
}

/// `~/rest` as a path under the home directory (`HOME`); anything else as
/// it is.
pub fn expand_home(path: &Path) -> PathBuf {
    match path.strip_prefix("~") {
        Ok(rest) => std::env::var_os("HOME")
            .map(|home| PathBuf::from(home).join(rest))
            .unwrap_or_else(|| path.to_path_buf()),
        Err(_) => path.to_path_buf(),
    }
}
