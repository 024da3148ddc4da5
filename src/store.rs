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

fn describe_open_error(name: &str, path: &Path, e: io::Error) -> anyhow::Error {
    match e.kind() {
        io::ErrorKind::NotFound => {
            if fs::symlink_metadata(path).is_ok() {
                anyhow::anyhow!("{name}: is a symbolic link to a file that does not exist")
            } else {
                anyhow::anyhow!("{name}: no such file")
            }
        }
        io::ErrorKind::PermissionDenied => {
            anyhow::anyhow!("{name}: permission denied (check the file's owner and mode)")
        }
        _ => anyhow::Error::new(e).context(format!("{name}: cannot read")),
    }
}

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
                        anyhow::anyhow!(
                            "{}: already exists; pass --force to replace it",
                            path.display()
                        )
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
