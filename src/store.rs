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
use std::os::fd::OwnedFd;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use anyhow::{Context, Result, bail};

use crate::pki::reader::MAX_INPUT;

pub mod bundle_file;
pub mod conf;
pub mod import;
pub mod k8s;
pub mod layout;
pub mod trust;

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
    let mut bytes = Vec::new();
    let name = read_input_into(path, &mut bytes)?;
    Ok(Input { name, bytes })
}

/// [`read_input`] into `buf` (cleared first), returning the name to show:
/// a caller reading several large files in turn reuses one buffer, whose
/// pages the kernel has already handed over (a fresh buffer costs a page
/// fault per 4 KiB, a tenth of reading a bundle).
pub fn read_input_into(path: &Path, buf: &mut Vec<u8>) -> Result<String> {
    if is_stdin(path) {
        buf.clear();
        if !read_capped(io::stdin().lock(), buf).context("reading standard input")? {
            bail!("{STDIN_NAME}: input is larger than {MAX_INPUT} bytes");
        }
        return Ok(STDIN_NAME.to_owned());
    }
    let name = shown_name(path);
    let meta = fs::metadata(path).map_err(|e| describe_open_error(&name, path, e))?;
    if meta.is_dir() {
        bail!("{name}: is a directory; give a certificate, key or bundle file");
    }
    // A pipe (`<(kubectl logs nats-0)`, a named FIFO) is read as standard
    // input is, to the same limit; devices and sockets are refused.
    if std::os::unix::fs::FileTypeExt::is_fifo(&meta.file_type()) {
        buf.clear();
        let within = File::open(path)
            .and_then(|f| read_capped(f, buf))
            .map_err(|e| describe_open_error(&name, path, e))?;
        if !within {
            bail!("{name}: input is larger than {MAX_INPUT} bytes");
        }
        return Ok(name);
    }
    if !meta.is_file() {
        bail!("{name}: is not a regular file or a pipe");
    }
    if meta.len() > MAX_INPUT as u64 {
        bail!("{name}: is larger than {MAX_INPUT} bytes; is this really a PEM or DER file?");
    }
    File::open(path)
        .and_then(|file| {
            let len = meta.len() as usize;
            read_regular(&FileSource { file, len }, buf)
        })
        .map_err(|e| describe_open_error(&name, path, e))?;
    Ok(name)
}

/// An input file opened for reading: its bytes, or (a large regular file)
/// the file itself, which the reader reads in pieces.
#[derive(Debug)]
pub struct Opened {
    /// The path as the user typed it, or `<stdin>`.
    pub name: String,
    pub content: Content,
}

#[derive(Debug)]
pub enum Content {
    Bytes(Vec<u8>),
    File(FileSource),
}

impl Content {
    /// The content as the reader takes it.
    pub fn text(&self) -> crate::pki::reader::Text<'_> {
        match self {
            Content::Bytes(bytes) => crate::pki::reader::Text::Bytes(bytes),
            Content::File(file) => crate::pki::reader::Text::File(file),
        }
    }
}

impl From<Input> for Opened {
    fn from(Input { name, bytes }: Input) -> Opened {
        Opened {
            name,
            content: Content::Bytes(bytes),
        }
    }
}

/// An open regular file and its size when opened, read where the reader
/// asks (`pread`, so that threads read their parts at once).
#[derive(Debug)]
pub struct FileSource {
    file: File,
    len: usize,
}

impl FileSource {
    /// The first `n` bytes (fewer when the file is shorter).
    pub fn head(&self, n: usize) -> io::Result<Vec<u8>> {
        let mut head = vec![0u8; n.min(self.len)];
        let got = crate::pki::reader::read_full(self, &mut head, 0)?;
        head.truncate(got);
        Ok(head)
    }
}

impl crate::pki::reader::Source for FileSource {
    fn size(&self) -> usize {
        self.len
    }

    fn read_at(&self, buf: &mut [u8], offset: usize) -> io::Result<usize> {
        std::os::unix::fs::FileExt::read_at(&self.file, buf, offset as u64)
    }
}

/// Opens one input as [`read_input`] reads it, but leaves a large regular
/// file to be read in pieces by the reader (which holds a few hundred KiB
/// of it at a time instead of all of it).
pub fn open_input(path: &Path) -> Result<Opened> {
    if !is_stdin(path)
        && let Ok(meta) = fs::metadata(path)
        && meta.is_file()
        && meta.len() >= PARALLEL_READ as u64
        && meta.len() <= MAX_INPUT as u64
    {
        let name = shown_name(path);
        let file = File::open(path).map_err(|e| describe_open_error(&name, path, e))?;
        let len = meta.len() as usize;
        return Ok(Opened {
            name,
            content: Content::File(FileSource { file, len }),
        });
    }
    read_input(path).map(Opened::from)
}

/// Files at least this large are read on several threads.
const PARALLEL_READ: usize = 1 << 20;

/// Reads a regular file of `len` bytes (its size when opened) into `buf`.
/// A large one is read in one piece per thread (`pread` into its own part of
/// the buffer): the kernel's copy and the page faults of a fresh buffer are
/// most of the time a reading command spends before it can start decoding,
/// and they are split over the CPUs instead of paid on one. A file that
/// changes size while it is read is read again from the start, in one piece,
/// as a plain read would.
fn read_regular(source: &FileSource, buf: &mut Vec<u8>) -> io::Result<()> {
    let (file, len) = (&source.file, source.len);
    // A small file is read in one call, without asking how many CPUs there
    // are (which reads the process's cgroup files).
    let threads = if len < PARALLEL_READ {
        1
    } else {
        std::thread::available_parallelism().map_or(1, |n| n.get().min(4))
    };
    if threads < 2 {
        buf.clear();
        return (&*file).read_to_end(buf).map(drop);
    }
    // What the buffer holds is overwritten: only bytes it never held are
    // zeroed first (by the allocator, for a fresh buffer: untouched pages).
    if buf.len() >= len {
        buf.truncate(len);
    } else if buf.capacity() == 0 {
        *buf = vec![0u8; len];
    } else {
        // A larger file than the last one read into it: the old buffer
        // grows (remapped, not copied), only its new tail zeroed.
        buf.resize(len, 0);
    }
    let piece = len.div_ceil(threads);
    let whole = |part: &mut [u8], offset: usize| -> io::Result<bool> {
        Ok(crate::pki::reader::read_full(source, part, offset)? == part.len())
    };
    let complete = std::thread::scope(|scope| {
        let mut parts = buf.chunks_mut(piece);
        let first = parts.next();
        let others: Vec<_> = parts
            .enumerate()
            .map(|(i, part)| scope.spawn(move || whole(part, (i + 1) * piece)))
            .collect();
        let mut complete = first.map_or(Ok(true), |part| whole(part, 0));
        for handle in others {
            let result = handle
                .join()
                .unwrap_or_else(|e| std::panic::resume_unwind(e));
            complete = match (complete, result) {
                (Ok(a), Ok(b)) => Ok(a && b),
                (Err(e), _) | (_, Err(e)) => Err(e),
            };
        }
        complete
    })?;
    // Shorter than when opened, or longer: read what is there now.
    if !complete || crate::pki::reader::Source::read_at(source, &mut [0u8; 1], len)? != 0 {
        buf.clear();
        let mut from_start = file;
        io::Seek::rewind(&mut from_start)?;
        let within = read_capped(from_start, buf)?;
        if !within {
            return Err(io::Error::other(format!(
                "grew past {MAX_INPUT} bytes while it was read"
            )));
        }
    }
    Ok(())
}

/// A file's name as every message shows it: a name with control
/// characters must not reach a terminal raw either.
fn shown_name(path: &Path) -> String {
    crate::pki::text::escape_controls(&path.display().to_string()).into_owned()
}

/// Reads a stream of unknown length (standard input, a pipe) into `buf`,
/// at most one byte past the input limit: `false` when it held more.
fn read_capped(stream: impl Read, buf: &mut Vec<u8>) -> io::Result<bool> {
    stream.take(MAX_INPUT as u64 + 1).read_to_end(buf)?;
    Ok(buf.len() <= MAX_INPUT)
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
            // A link to a file counts (tlsctl's own --out directories are links).
            || !fs::metadata(entry.path()).is_ok_and(|m| m.is_file())
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

/// Refuses a destination tlsctl must not replace: a directory, a device,
/// pipe or socket, anything under `/dev` or `/proc`, or a link to any of
/// those (`--key-out /dev/stdout` would otherwise replace the `/dev/stdout`
/// link with a key file). A missing path, a regular file and a link to a
/// regular file (or to nothing) pass.
pub fn check_destination(path: &Path) -> Result<()> {
    let shown = path.display();
    let special = |what: &str| {
        anyhow::anyhow!(
            "{shown}: is {what}, not a regular file; tlsctl writes keys, certificates and \
             bundles only to regular files (give a file path)"
        )
    };
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let resolved = fs::canonicalize(parent_dir(&absolute))
        .map(|dir| dir.join(absolute.file_name().unwrap_or_default()))
        .unwrap_or_else(|_| absolute.clone());
    for system in ["/dev", "/proc", "/sys"] {
        if absolute.starts_with(system) || resolved.starts_with(system) {
            return Err(special(&format!("in {system}")));
        }
    }
    let meta = match fs::symlink_metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(anyhow::Error::new(e).context(format!("{shown}: cannot look at it"))),
    };
    let kind = if meta.file_type().is_symlink() {
        match fs::metadata(path) {
            Ok(target) => target.file_type(),
            // A dangling link: the callers say what they do with links.
            Err(_) => return Ok(()),
        }
    } else {
        meta.file_type()
    };
    if let Ok(target) = fs::canonicalize(path) {
        for system in ["/dev", "/proc", "/sys"] {
            if target.starts_with(system) {
                return Err(special(&format!("a link into {system}")));
            }
        }
    }
    use std::os::unix::fs::FileTypeExt;
    if kind.is_file() {
        Ok(())
    } else if kind.is_dir() {
        Err(special("a directory"))
    } else if kind.is_char_device() || kind.is_block_device() {
        Err(special("a device"))
    } else if kind.is_fifo() {
        Err(special("a pipe"))
    } else if kind.is_socket() {
        Err(special("a socket"))
    } else {
        Err(special("a special file"))
    }
}

/// Writes `contents` to `path` atomically with `mode` from creation.
/// Refuses a destination [`check_destination`] refuses.
pub fn write_atomic(path: &Path, contents: &[u8], mode: u32, overwrite: Overwrite) -> Result<()> {
    check_destination(path)?;
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

/// Removes the `.NAME.tmp-PID-N` files in `dir` that a killed tlsctl left
/// (its PID no longer runs): a key's temporary file is a second copy of
/// the key, hidden beside it. Only where `/proc` tells which PIDs run.
fn remove_stale_temps(dir: &Path, name: &str) {
    if !Path::new("/proc/self").exists() {
        return;
    }
    let prefix = format!(".{name}.tmp-");
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(rest) = file_name.to_str().and_then(|n| n.strip_prefix(&prefix)) else {
            continue;
        };
        let Some((pid, nonce)) = rest.split_once('-') else {
            continue;
        };
        let ours = !pid.is_empty()
            && pid.bytes().all(|b| b.is_ascii_digit())
            && nonce.len() == 8
            && nonce.bytes().all(|b| b.is_ascii_hexdigit());
        if ours
            && !Path::new("/proc").join(pid).exists()
            && entry.file_type().is_ok_and(|t| t.is_file())
        {
            fs::remove_file(entry.path()).ok();
        }
    }
}

/// Creates `.NAME.tmp-PID-N` in `dir` with `mode`, exclusively (after
/// removing the ones killed runs left).
fn create_temp(dir: &Path, name: &str, mode: u32) -> io::Result<(PathBuf, File)> {
    remove_stale_temps(dir, name);
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
/// A link at `dir` (or any of its parents) whose target does not exist
/// is named as such, not as "File exists".
pub fn create_private_dir(dir: &Path) -> Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .map_err(|e| {
            if e.kind() == io::ErrorKind::AlreadyExists
                && let Some((link, target)) = dangling_link_in(dir)
            {
                return anyhow::anyhow!(
                    "{}: is a symbolic link to {}, which does not exist; create that \
                     directory, or remove the link",
                    link.display(),
                    target.display()
                );
            }
            anyhow::Error::new(e).context(format!("creating directory {}", dir.display()))
        })
}

/// The first of `dir` and its ancestors that is a link to nothing, and its
/// target.
fn dangling_link_in(dir: &Path) -> Option<(PathBuf, PathBuf)> {
    dir.ancestors().find_map(|p| {
        let meta = fs::symlink_metadata(p).ok()?;
        (meta.file_type().is_symlink() && fs::metadata(p).is_err())
            .then(|| Some((p.to_path_buf(), fs::read_link(p).ok()?)))
            .flatten()
    })
}

/// Replaces a certificate file and its key file so that either both new
/// files land or both old ones stay byte for byte (a missing old file
/// stays missing), whichever write fails. The certificate is created
/// [`MODE_PUBLIC`], the key [`MODE_PRIVATE`], both from `open(2)`.
///
/// Both temporary files are written and fsynced before either name
/// changes. With [`Overwrite::Allow`] the old key is kept under a second
/// name (a hard link, `.KEY.old-PID-N`) until the certificate is in
/// place; if the certificate's rename fails the old key is renamed back.
/// With [`Overwrite::Never`] both are linked in with `link(2)` (no
/// clobbering), and the key is unlinked again if the certificate cannot be.
///
/// What no order of two renames avoids is a crash *between* them: the new
/// key beside the old certificate, with the backup still there.
/// [`recover_cert_and_key`] (run by [`Store::recover`] for the plain-file
/// leaves issued.json lists) puts the old key back in that case. A reader
/// that must never see a mismatched pair uses the versioned layout.
pub fn write_cert_and_key(
    cert_path: &Path,
    cert_pem: &[u8],
    key_path: &Path,
    key_pem: &[u8],
    overwrite: Overwrite,
) -> Result<()> {
    write_cert_and_key_then(cert_path, cert_pem, key_path, key_pem, overwrite, None)
}

/// A file written after a pair in the same batch (`issued.json`'s record
/// of the pair): replaced by rename once the pair is in place.
#[derive(Debug, Clone, Copy)]
pub struct ThenFile<'a> {
    pub path: &'a Path,
    pub contents: &'a [u8],
    pub mode: u32,
}

/// [`write_cert_and_key`], then `then`, as one batch: every temporary file
/// is written, then all are fsynced at once (fsyncs that wait together
/// share one journal commit), then the names change in order (key,
/// certificate, `then`), then each directory is fsynced once, all at once. A reader, or a kill, sees the same states in the same
/// order as with separate writes: nothing, the key (taken back by
/// recovery), the pair, the pair and `then`; `then` never names a pair
/// that is not in place. No name changes before every file's data is on
/// disk. If the pair cannot be written `then` is not; if `then` cannot
/// be, the pair stays and the error says so.
pub fn write_cert_and_key_then(
    cert_path: &Path,
    cert_pem: &[u8],
    key_path: &Path,
    key_pem: &[u8],
    overwrite: Overwrite,
    then: Option<ThenFile<'_>>,
) -> Result<()> {
    write_batch(
        cert_path,
        cert_pem,
        key_path,
        Source::Bytes(key_pem, MODE_PRIVATE),
        overwrite,
        then.map(|t| (t.path, Source::Bytes(t.contents, t.mode))),
    )
}

/// A file of a batch written to a temporary file beside its destination
/// and fsynced on a thread of its own, started as soon as its contents
/// exist: a new key before its certificate is signed, issued.json's record
/// (which names the files, not their contents). The batch that lands them
/// ([`write_staged_cert_and_key_then`]) finds their data already on disk.
/// Dropped unused, it removes its temporary file.
#[derive(Debug)]
pub struct Staged {
    path: PathBuf,
    job: Option<Staging>,
}

#[derive(Debug)]
enum Staging {
    Running(std::thread::JoinHandle<Result<PathBuf>>),
    Done(Result<PathBuf>),
}

impl Staged {
    /// Starts writing `contents` beside `path`, created with `mode`, once
    /// `path` passes the checks the batch makes.
    pub fn start(path: &Path, contents: Vec<u8>, mode: u32) -> Result<Staged> {
        check_destination(path)?;
        let path = path.to_path_buf();
        let contents = std::sync::Arc::new(contents);
        let spawned = {
            let (target, contents) = (path.clone(), std::sync::Arc::clone(&contents));
            std::thread::Builder::new().spawn(move || stage(&target, &contents, mode))
        };
        // Without a thread to spare, the file is written here and now.
        let job = match spawned {
            Ok(handle) => Staging::Running(handle),
            Err(_) => Staging::Done(stage(&path, &contents, mode)),
        };
        Ok(Staged {
            path,
            job: Some(job),
        })
    }

    /// A private key for `key_path` ([`MODE_PRIVATE`] from creation), once
    /// both of the pair's destinations pass the batch's checks: no key is
    /// written where tlsctl would refuse to write it.
    pub fn key(key_path: &Path, cert_path: &Path, pem: Vec<u8>) -> Result<Staged> {
        check_pair_destinations(cert_path, key_path)?;
        Staged::start(key_path, pem, MODE_PRIVATE)
    }

    /// The file's destination.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Waits for the file: its temporary file, written and fsynced. The
    /// caller removes it from then on.
    fn wait(&mut self) -> Result<PathBuf> {
        match self.job.take() {
            Some(Staging::Running(handle)) => handle
                .join()
                .unwrap_or_else(|_| bail!("{}: writing it failed", self.path.display())),
            Some(Staging::Done(result)) => result,
            None => bail!("{}: the file was already taken", self.path.display()),
        }
    }
}

/// A temporary file beside `path` (after removing the ones killed runs
/// left there) holding `contents`, created with `mode`; not yet fsynced.
fn write_temp(path: &Path, contents: &[u8], mode: u32) -> Result<(PathBuf, File)> {
    let name = path
        .file_name()
        .with_context(|| format!("{}: not a file path", path.display()))?;
    let (tmp_path, mut tmp) = create_temp(parent_dir(path), &name.to_string_lossy(), mode)
        .with_context(|| {
            format!(
                "{}: cannot create a temporary file beside it",
                path.display()
            )
        })?;
    if let Err(e) = tmp.write_all(contents) {
        fs::remove_file(&tmp_path).ok();
        return Err(anyhow::Error::new(e).context(format!("writing {}", path.display())));
    }
    Ok((tmp_path, tmp))
}

/// [`Staged`]'s work: the temporary file written and fsynced.
fn stage(target: &Path, contents: &[u8], mode: u32) -> Result<PathBuf> {
    let (tmp, file) = write_temp(target, contents, mode)?;
    match file.sync_all() {
        Ok(()) => Ok(tmp),
        Err(e) => {
            fs::remove_file(&tmp).ok();
            Err(anyhow::Error::new(e).context(format!("writing {}", target.display())))
        }
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        if self.job.is_some()
            && let Ok(tmp) = self.wait()
        {
            fs::remove_file(tmp).ok();
        }
    }
}

/// [`write_cert_and_key_then`] of a key, and a file to write after the
/// pair, [`Staged`] earlier.
pub fn write_staged_cert_and_key_then(
    cert_path: &Path,
    cert_pem: &[u8],
    key: Staged,
    overwrite: Overwrite,
    then: Option<Staged>,
) -> Result<()> {
    let key_path = key.path.clone();
    let then_path = then.as_ref().map(|t| t.path.clone());
    write_batch(
        cert_path,
        cert_pem,
        &key_path,
        Source::Staged(key),
        overwrite,
        then_path
            .as_deref()
            .zip(then)
            .map(|(path, t)| (path, Source::Staged(t))),
    )
}

/// [`check_destination`] of both, and not one file for the two.
fn check_pair_destinations(cert_path: &Path, key_path: &Path) -> Result<()> {
    check_destination(cert_path)?;
    check_destination(key_path)?;
    if std::path::absolute(cert_path).ok() == std::path::absolute(key_path).ok() {
        bail!(
            "{}: the certificate and the key cannot go to one file; give two paths",
            cert_path.display()
        );
    }
    Ok(())
}

/// A batch's file: its bytes and mode, or already on its way to disk.
enum Source<'a> {
    Bytes(&'a [u8], u32),
    Staged(Staged),
}

fn write_batch(
    cert_path: &Path,
    cert_pem: &[u8],
    key_path: &Path,
    key: Source<'_>,
    overwrite: Overwrite,
    then: Option<(&Path, Source<'_>)>,
) -> Result<()> {
    check_pair_destinations(cert_path, key_path)?;
    if let Some((path, _)) = &then {
        check_destination(path)?;
    }
    if overwrite == Overwrite::Never {
        take_back_unfinished_pair(cert_path, key_path);
    }
    let then_path = then.as_ref().map(|(path, _)| *path);
    let files = [
        Some((key_path, key)),
        Some((cert_path, Source::Bytes(cert_pem, MODE_PUBLIC))),
        then,
    ];
    // Every file's temporary, in batch order (key, certificate, `then`):
    // written here and fsynced below, or staged earlier.
    let mut temps: Vec<PathBuf> = Vec::with_capacity(3);
    let mut here: Vec<(File, &Path)> = Vec::with_capacity(3);
    let mut staged: Vec<(usize, Staged)> = Vec::new();
    let remove_all = |temps: &[PathBuf]| {
        for tmp in temps.iter().filter(|t| !t.as_os_str().is_empty()) {
            fs::remove_file(tmp).ok();
        }
    };
    for (path, source) in files.into_iter().flatten() {
        match source {
            Source::Bytes(contents, mode) => match write_temp(path, contents, mode) {
                Ok((tmp, file)) => {
                    temps.push(tmp);
                    here.push((file, path));
                }
                Err(e) => {
                    remove_all(&temps);
                    return Err(e);
                }
            },
            Source::Staged(s) => {
                staged.push((temps.len(), s));
                temps.push(PathBuf::new());
            }
        }
    }
    let mut synced = all_at_once(&here, |(file, path)| {
        file.sync_all()
            .map_err(|e| anyhow::Error::new(e).context(format!("writing {}", path.display())))
    });
    // What was staged has been on its way to disk meanwhile.
    for (at, mut s) in staged {
        match (s.wait(), &synced) {
            (Ok(tmp), _) => temps[at] = tmp,
            (Err(e), Ok(())) => synced = Err(e),
            (Err(_), Err(_)) => {}
        }
    }
    if let Err(e) = synced {
        remove_all(&temps);
        return Err(e);
    }
    let (tmp_key, tmp_cert) = match temps.as_slice() {
        [k, c, ..] => (k.as_path(), c.as_path()),
        _ => {
            remove_all(&temps);
            bail!("{}: the pair was not staged", cert_path.display())
        }
    };
    // The files the renames replace (the old key's backup goes as before)
    // stay open until the directories are synced: freeing a file's blocks
    // is a synchronous discard on a disk mounted with `discard`, and it
    // then overlaps the directory fsyncs instead of holding up each rename.
    // Only where an open file outlives its name (not NFS, which would keep
    // it as a `.nfsXXXX` file).
    let mut held: Vec<OwnedFd> = Vec::new();
    if overwrite == Overwrite::Allow {
        held.extend(
            [Some(key_path), Some(cert_path), then_path]
                .into_iter()
                .flatten()
                .filter(|path| frees_when_closed(parent_dir(path)))
                .filter_map(hold_open),
        );
    }
    let result = match overwrite {
        Overwrite::Never => link_pair(cert_path, tmp_cert, key_path, tmp_key),
        Overwrite::Allow => rename_pair(cert_path, tmp_cert, key_path, tmp_key),
    };
    fs::remove_file(tmp_key).ok();
    fs::remove_file(tmp_cert).ok();
    let then_tmp = temps.get(2);
    if let Err(e) = result {
        if let Some(t) = then_tmp {
            fs::remove_file(t).ok();
        }
        return Err(e);
    }
    let then_result = match (then_tmp, then_path) {
        (Some(tmp), Some(path)) => fs::rename(tmp, path).map_err(|e| {
            fs::remove_file(tmp).ok();
            anyhow::Error::new(e).context(format!(
                "replacing {} (the certificate and key are in place)",
                path.display()
            ))
        }),
        _ => Ok(()),
    };
    // Each directory once; the old files let go meanwhile.
    let mut jobs: Vec<Finish> = Vec::with_capacity(4);
    let then_dir = then_path.filter(|_| then_result.is_ok()).map(parent_dir);
    for dir in [
        Some(parent_dir(key_path)),
        Some(parent_dir(cert_path)),
        then_dir,
    ]
    .into_iter()
    .flatten()
    {
        if !jobs
            .iter()
            .any(|j| matches!(j, Finish::SyncDir(d) if *d == dir))
        {
            jobs.push(Finish::SyncDir(dir));
        }
    }
    if !held.is_empty() {
        jobs.push(Finish::Release(Mutex::new(held)));
    }
    all_at_once(&jobs, Finish::run)?;
    then_result
}

/// The last round of a batch, run at once: each directory synced; the
/// replaced files let go.
enum Finish<'a> {
    SyncDir(&'a Path),
    Release(Mutex<Vec<OwnedFd>>),
}

impl Finish<'_> {
    fn run(&self) -> Result<()> {
        match self {
            Finish::SyncDir(dir) => {
                sync_dir(dir).with_context(|| format!("syncing directory {}", dir.display()))
            }
            Finish::Release(held) => {
                drop(held.lock().map(|mut held| std::mem::take(&mut *held)));
                Ok(())
            }
        }
    }
}

/// Runs `f` on every item at once, one thread each beside this one (an
/// item whose thread cannot start runs on this one), and returns the first
/// error, this thread's first. For fsyncs: the filesystem
/// commits its journal once for fsyncs that wait together, where fsyncs in
/// turn wait for a commit each (milliseconds apiece on a busy disk).
fn all_at_once<T: Sync>(items: &[T], f: impl Fn(&T) -> Result<()> + Sync) -> Result<()> {
    let Some((first, rest)) = items.split_first() else {
        return Ok(());
    };
    let f = &f;
    std::thread::scope(|scope| {
        // An item whose thread cannot start runs here, after the rest.
        let (others, left): (Vec<_>, Vec<_>) = rest
            .iter()
            .map(|item| {
                std::thread::Builder::new()
                    .spawn_scoped(scope, move || f(item))
                    .map_err(|_| item)
            })
            .partition(Result::is_ok);
        let mine = std::iter::once(first)
            .chain(left.into_iter().filter_map(Result::err))
            .try_for_each(f);
        let theirs = others
            .into_iter()
            .filter_map(Result::ok)
            .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)));
        std::iter::once(mine)
            .chain(theirs)
            .collect::<Result<Vec<()>>>()
    })
    .map(|_| ())
}

/// Undoes the half of a no-clobber [`write_cert_and_key`] that a kill
/// between its two `link(2)` calls published: a key whose certificate
/// never appeared, still the same file as the temporary one a dead tlsctl
/// linked it from. Removes that key (and the temporaries) so that a retry
/// needs no `--force`; returns what it did. A key that is not provably
/// such a leftover is never touched. Callers that check destinations
/// before writing call this first (under the store lock).
pub fn take_back_unfinished_pair(cert_path: &Path, key_path: &Path) -> Option<String> {
    if fs::symlink_metadata(cert_path).is_ok() || !Path::new("/proc/self").exists() {
        return None;
    }
    let dir = parent_dir(key_path);
    let name = key_path.file_name()?.to_str()?;
    let prefix = format!(".{name}.tmp-");
    for entry in fs::read_dir(dir).ok()?.flatten() {
        let file_name = entry.file_name();
        let Some(rest) = file_name.to_str().and_then(|n| n.strip_prefix(&prefix)) else {
            continue;
        };
        let dead = rest
            .split_once('-')
            .is_some_and(|(pid, _)| !Path::new("/proc").join(pid).exists());
        if dead && same_file(&entry.path(), key_path) {
            fs::remove_file(key_path).ok()?;
            fs::remove_file(entry.path()).ok();
            return Some(format!(
                "removed {}, a key an interrupted write left without its certificate {}",
                key_path.display(),
                cert_path.display()
            ));
        }
    }
    None
}

fn already_exists(path: &Path, e: io::Error) -> anyhow::Error {
    if e.kind() == io::ErrorKind::AlreadyExists {
        anyhow::anyhow!(
            "{}: already exists; pass --force to replace it",
            path.display()
        )
    } else {
        anyhow::Error::new(e).context(format!("creating {}", path.display()))
    }
}

/// The no-clobber half of [`write_cert_and_key`].
fn link_pair(cert: &Path, tmp_cert: &Path, key: &Path, tmp_key: &Path) -> Result<()> {
    fs::hard_link(tmp_key, key).map_err(|e| already_exists(key, e))?;
    if let Err(e) = fs::hard_link(tmp_cert, cert) {
        // Take back the key just linked (it is still our inode).
        if same_file(key, tmp_key) {
            fs::remove_file(key).ok();
        }
        return Err(already_exists(cert, e));
    }
    Ok(())
}

/// The replacing half of [`write_cert_and_key`].
fn rename_pair(cert: &Path, tmp_cert: &Path, key: &Path, tmp_key: &Path) -> Result<()> {
    let backup = match fs::symlink_metadata(key) {
        Ok(_) => Some(backup_key(key)?),
        Err(e) if e.kind() == io::ErrorKind::NotFound => None,
        Err(e) => return Err(anyhow::Error::new(e).context(format!("{}", key.display()))),
    };
    let drop_backup = |backup: &Option<PathBuf>| {
        if let Some(b) = backup {
            fs::remove_file(b).ok();
        }
    };
    if let Err(e) = fs::rename(tmp_key, key) {
        drop_backup(&backup);
        return Err(anyhow::Error::new(e).context(format!("replacing {}", key.display())));
    }
    if let Err(e) = fs::rename(tmp_cert, cert) {
        let restored = match &backup {
            Some(b) => fs::rename(b, key),
            None => fs::remove_file(key),
        };
        let e = anyhow::Error::new(e).context(format!("replacing {}", cert.display()));
        return Err(match restored {
            Ok(()) => e.context(format!(
                "{} and {} are unchanged",
                cert.display(),
                key.display()
            )),
            Err(r) => e.context(format!(
                "{} could not be put back ({r}); the old key is at {}",
                key.display(),
                backup.as_deref().unwrap_or(key).display()
            )),
        });
    }
    drop_backup(&backup);
    Ok(())
}

/// Whether a file held open outlives its name and is freed when let go:
/// the local filesystems (ext2/3/4, XFS, Btrfs, F2FS). On NFS a file
/// renamed over while open is kept as a `.nfsXXXX` file instead.
fn frees_when_closed(dir: &Path) -> bool {
    const LOCAL: [i128; 4] = [0xEF53, 0x5846_5342, 0x9123_683E, 0xF2F5_2010];
    rustix::fs::statfs(dir).is_ok_and(|s| LOCAL.contains(&i128::from(s.f_type)))
}

/// Opens `path` without following a link or reading it (`O_PATH`), to
/// keep the file it names alive after a rename replaces that name.
fn hold_open(path: &Path) -> Option<OwnedFd> {
    use rustix::fs::{CWD, Mode, OFlags, openat};
    openat(
        CWD,
        path,
        OFlags::PATH | OFlags::NOFOLLOW | OFlags::CLOEXEC,
        Mode::empty(),
    )
    .ok()
}

/// A second name for the key at `key` (a link to a link stays a link).
fn backup_key(key: &Path) -> Result<PathBuf> {
    let dir = parent_dir(key);
    let name = key.file_name().unwrap_or_default().to_string_lossy();
    let pid = std::process::id();
    let is_link = fs::symlink_metadata(key).is_ok_and(|m| m.file_type().is_symlink());
    for attempt in 0..100u32 {
        let backup = dir.join(format!(".{name}.old-{pid}-{:08x}", nonce() ^ attempt));
        let made = if is_link {
            fs::read_link(key).and_then(|t| std::os::unix::fs::symlink(t, &backup))
        } else {
            fs::hard_link(key, &backup)
        };
        match made {
            Ok(()) => return Ok(backup),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => {
                return Err(anyhow::Error::new(e)
                    .context(format!("{}: cannot keep the old key aside", key.display())));
            }
        }
    }
    bail!("{}: cannot keep the old key aside", key.display())
}

fn same_file(a: &Path, b: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (fs::symlink_metadata(a), fs::symlink_metadata(b)) {
        (Ok(x), Ok(y)) => x.dev() == y.dev() && x.ino() == y.ino(),
        _ => false,
    }
}

/// Repairs what a [`write_cert_and_key`] killed between its two renames
/// left: a `.KEY.old-*` backup beside `key_path`. If the certificate
/// matches the backup rather than the key (the new key landed, the new
/// certificate did not), the backup is renamed back over the key;
/// otherwise (the pair landed) the backup is removed. Returns what it did.
pub fn recover_cert_and_key(cert_path: &Path, key_path: &Path) -> Vec<String> {
    let mut done = Vec::new();
    let dir = parent_dir(key_path);
    let Some(name) = key_path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
    else {
        return done;
    };
    let prefix = format!(".{name}.old-");
    let Ok(entries) = fs::read_dir(dir) else {
        return done;
    };
    // Read only when a backup is there (nearly never): every command that
    // takes the store lock runs this for each plain pair issued.json lists.
    let cert_pin_once = std::cell::OnceCell::new();
    let cert_pin = || {
        cert_pin_once.get_or_init(|| {
            read_certificate_file(cert_path)
                .ok()
                .and_then(|(_, certs)| certs.into_iter().next())
                .and_then(|c| {
                    crate::pki::der::certificate_spki(&c)
                        .ok()
                        .map(crate::pki::pin::spki_pin)
                })
        })
    };
    let key_pin = |path: &Path| {
        read_private_key_file(path)
            .ok()
            .and_then(|(_, k)| crate::pki::key::public_spki(&k).ok())
            .map(|spki| crate::pki::pin::spki_pin(&spki))
    };
    for entry in entries.flatten() {
        let backup = entry.path();
        if !entry.file_name().to_string_lossy().starts_with(&prefix) {
            continue;
        }
        let Some(cert_pin) = cert_pin() else { continue };
        if key_pin(key_path).as_ref() == Some(cert_pin) {
            if fs::remove_file(&backup).is_ok() {
                done.push(format!(
                    "removed {}, the old key an interrupted write kept aside (the new pair \
                     is in place)",
                    backup.display()
                ));
            }
        } else if key_pin(&backup).as_ref() == Some(cert_pin)
            && fs::rename(&backup, key_path).is_ok()
        {
            sync_dir(dir).ok();
            done.push(format!(
                "put back the key {} (an interrupted write had replaced it, but not {})",
                key_path.display(),
                cert_path.display()
            ));
        }
    }
    done
}

/// An exclusive advisory lock, held until dropped. Taken on a separate
/// `.NAME.lock` file, because the file it guards is replaced by rename.
pub struct Lock {
    _file: File,
    recovered: Vec<String>,
}

impl Lock {
    /// What taking the lock cleaned up or completed after an interrupted
    /// run (one sentence each), for the command to report as warnings.
    pub fn recovered(&self) -> &[String] {
        &self.recovered
    }

    pub(crate) fn note(&mut self, what: String) {
        self.recovered.push(what);
    }
}

/// Where a write to `path` lands when it is written through its links, as
/// an editor writes: the final target of a chain of symbolic links
/// (relative links resolved from their own directory), which need not
/// exist yet. `path` itself when it is not a link.
pub fn resolve_links(path: &Path) -> Result<PathBuf> {
    let mut current = path.to_path_buf();
    for _ in 0..40 {
        match fs::symlink_metadata(&current) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let target = fs::read_link(&current)
                    .with_context(|| format!("{}: cannot read the link", current.display()))?;
                current = if target.is_absolute() {
                    target
                } else {
                    parent_dir(&current).join(target)
                };
            }
            _ => return Ok(current),
        }
    }
    bail!(
        "{}: too many levels of symbolic links (a loop?)",
        path.display()
    )
}

/// Locks `path` against other tlsctl writers (waiting for them). A link is
/// locked at its target ([`resolve_links`]), so that writers through two
/// names of one file exclude each other.
pub fn lock(path: &Path) -> Result<Lock> {
    let resolved = resolve_links(path)?;
    let path = resolved.as_path();
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
    Ok(Lock {
        _file: file,
        recovered: Vec::new(),
    })
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
    // What a killed write left (an unpublished first version and its
    // links, say) is not in the way of this one.
    clean_versioned_locked(dir);
    if overwrite == Overwrite::Never {
        for f in files {
            let path = dir.join(f.name);
            if fs::symlink_metadata(&path).is_ok() {
                return Err(AlreadyExists(path).into());
            }
        }
    }
    // Re-read under the lock: the version readers may be in right now.
    let current = current_version(dir);
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
        sync_dir(&version_dir)
            .with_context(|| format!("syncing directory {}", version_dir.display()))?;
        // The user-facing links, made once (or replacing a plain file),
        // before the switch: on a first write they dangle until `..data`
        // appears, so the one rename below is the moment of publication
        // (a kill before it publishes nothing, and a retry needs no
        // --force).
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
        // The data link, swapped in by rename.
        let tmp_link = dir.join(format!("{CURRENT}.tmp-{}", std::process::id()));
        fs::remove_file(&tmp_link).ok();
        std::os::unix::fs::symlink(&version_name, &tmp_link)
            .with_context(|| format!("linking {}", tmp_link.display()))?;
        fs::rename(&tmp_link, dir.join(CURRENT)).with_context(|| {
            format!(
                "switching {} to {version_name}",
                dir.join(CURRENT).display()
            )
        })?;
        sync_dir(dir).with_context(|| format!("syncing directory {}", dir.display()))?;
        Ok(())
    })();
    if written.is_err() {
        // Only when the switch did not happen: a version `..data` names is
        // never removed.
        if current_version(dir) != Some(next) {
            fs::remove_dir_all(&version_dir).ok();
        }
        if current_version(dir).is_none() {
            clean_versioned_locked(dir);
        }
        return written;
    }
    // Keep the new version and the one that was current until now (a
    // reader may still be resolving into it); remove every other one,
    // leftovers of interrupted writes included.
    let keep: Vec<u64> = std::iter::once(next).chain(current).collect();
    prune_versions(dir, &keep);
    Ok(())
}

/// The version `dir/..data` names now (`..vN` -> N).
fn current_version(dir: &Path) -> Option<u64> {
    let target = fs::read_link(dir.join(CURRENT)).ok()?;
    target.to_str()?.strip_prefix("..v")?.parse().ok()
}

/// Removes every `..vN` of `dir` not in `keep`, and the temporary links an
/// interrupted write leaves. Returns what it removed.
fn prune_versions(dir: &Path, keep: &[u64]) -> Vec<String> {
    let mut removed = Vec::new();
    let Ok(entries) = fs::read_dir(dir) else {
        return removed;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        let version = name.strip_prefix("..v").and_then(|n| n.parse::<u64>().ok());
        let stale = match version {
            Some(v) => !keep.contains(&v),
            // `..data.tmp-PID` and `.NAME.link-PID` of a killed write.
            None => {
                name.starts_with(&format!("{CURRENT}.tmp-"))
                    || (name.starts_with('.') && name.contains(".link-"))
            }
        };
        if !stale {
            continue;
        }
        let path = entry.path();
        let gone = if version.is_some() {
            fs::remove_dir_all(&path)
        } else {
            fs::remove_file(&path)
        };
        if gone.is_ok() {
            removed.push(name.to_owned());
        }
    }
    removed
}

/// Completes or cleans what an interrupted [`write_versioned`] left in
/// `dir`: versions newer than the current one (never switched to) and
/// older than the one before it, and temporary links. The current version
/// and the previous one stay. When nothing was ever switched to, every
/// version goes (nothing was published). Skips a directory another writer
/// holds. Returns what it removed.
pub fn recover_versioned(dir: &Path) -> Vec<String> {
    let lock_path = dir.join(".versions.lock");
    let Ok(file) = OpenOptions::new().read(true).write(true).open(&lock_path) else {
        return Vec::new();
    };
    if file.try_lock().is_err() {
        return Vec::new();
    }
    clean_versioned_locked(dir)
}

/// [`recover_versioned`] for a caller that holds the versions lock.
fn clean_versioned_locked(dir: &Path) -> Vec<String> {
    let versions = version_numbers(dir).unwrap_or_default();
    match current_version(dir) {
        Some(current) => {
            let previous = versions.iter().copied().filter(|&v| v < current).max();
            let keep: Vec<u64> = std::iter::once(current).chain(previous).collect();
            prune_versions(dir, &keep)
        }
        None => {
            // Nothing was ever published: the links made for the first
            // version dangle, and go with it.
            let mut removed = prune_versions(dir, &[]);
            if let Ok(entries) = fs::read_dir(dir) {
                for entry in entries.flatten() {
                    let into_data = fs::read_link(entry.path())
                        .ok()
                        .and_then(|t| t.components().next().map(|c| c.as_os_str() == CURRENT))
                        .unwrap_or(false);
                    if into_data && fs::remove_file(entry.path()).is_ok() {
                        removed.push(entry.file_name().to_string_lossy().into_owned());
                    }
                }
            }
            removed
        }
    }
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

/// The certificates of an input, in order (a leaf first, then its chain),
/// failing on any unreadable block and on an input that holds none. A
/// Kubernetes Secret or ConfigMap manifest gives its certificate keys
/// (`FILE#KEY` one key; [`k8s::read_input_or_manifest`]).
pub fn read_certificates(
    path: &Path,
) -> Result<(String, Vec<rustls_pki_types::CertificateDer<'static>>)> {
    certificates_of(k8s::read_input_or_manifest(path, false)?)
}

/// [`read_certificates`] of the file itself, never a manifest's keys: the
/// store's own files, and a certificate that is written back where it is.
pub fn read_certificate_file(
    path: &Path,
) -> Result<(String, Vec<rustls_pki_types::CertificateDer<'static>>)> {
    certificates_of(read_input(path)?)
}

fn certificates_of(
    input: Input,
) -> Result<(String, Vec<rustls_pki_types::CertificateDer<'static>>)> {
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

/// The one private key of an input (its bytes come along, for copying it);
/// from a manifest, its `tls.key` (or the key `FILE#KEY` names).
pub fn read_private_key(path: &Path) -> Result<(Input, rustls_pki_types::PrivateKeyDer<'static>)> {
    private_key_of(k8s::read_input_or_manifest(path, true)?)
}

/// [`read_private_key`] of the file itself, never a manifest's key.
pub fn read_private_key_file(
    path: &Path,
) -> Result<(Input, rustls_pki_types::PrivateKeyDer<'static>)> {
    private_key_of(read_input(path)?)
}

fn private_key_of(input: Input) -> Result<(Input, rustls_pki_types::PrivateKeyDer<'static>)> {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A file of `len` bytes none of which repeats at a short period, so a
    /// piece read at the wrong offset shows.
    fn numbered_file(len: usize) -> (tempfile::NamedTempFile, Vec<u8>) {
        let bytes: Vec<u8> = (0..len).map(|i| (i * 7 + i / 251) as u8).collect();
        let file = tempfile::NamedTempFile::new().unwrap();
        fs::write(file.path(), &bytes).unwrap();
        (file, bytes)
    }

    #[test]
    fn a_large_file_read_in_pieces_is_the_file() {
        let (file, bytes) = numbered_file(3 * PARALLEL_READ + 12_345);
        let mut buf = Vec::new();
        read_input_into(file.path(), &mut buf).unwrap();
        assert!(buf == bytes);
        // Into a buffer that held a longer file, and one that held a shorter.
        let (longer, _) = numbered_file(5 * PARALLEL_READ);
        let mut buf = Vec::new();
        read_input_into(longer.path(), &mut buf).unwrap();
        read_input_into(file.path(), &mut buf).unwrap();
        assert!(buf == bytes);
        let (shorter, _) = numbered_file(PARALLEL_READ + 1);
        let mut buf = Vec::new();
        read_input_into(shorter.path(), &mut buf).unwrap();
        read_input_into(file.path(), &mut buf).unwrap();
        assert!(buf == bytes);
    }

    #[test]
    fn a_file_that_changed_size_after_it_was_measured_is_read_whole() {
        let (file, bytes) = numbered_file(2 * PARALLEL_READ + 3);
        let open = || File::open(file.path()).unwrap();
        // Measured shorter than it is (it grew), and longer (it shrank).
        for measured in [PARALLEL_READ + 10, 3 * PARALLEL_READ] {
            let mut buf = Vec::new();
            let source = FileSource {
                file: open(),
                len: measured,
            };
            read_regular(&source, &mut buf).unwrap();
            assert!(buf == bytes, "measured {measured}");
        }
    }
}
