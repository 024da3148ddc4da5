//! The reader: any bytes a user hands tlsctl become typed items.
//!
//! Input is PEM (any number of blocks, CRLF or LF, text between blocks, a
//! UTF-8 byte-order mark) or DER (one or more concatenated structures,
//! classified by shape). PEM framing is done here so that every block can be
//! numbered and its problems named ("block 3: certificate is truncated");
//! the base64 inside each block is decoded by `rustls-pki-types`' `PemObject`.
//!
//! Two entry points: [`read`] keeps every block with its own verdict (for
//! `bundle lint` and `inspect`, which report problems), and [`read_strict`]
//! turns the first problem into an error (for `pin`, `bundle add`, `verify`,
//! which must not act on a file they only partly understand).
//!
//! Memory is bounded by the input: lengths are checked before use, nothing
//! recurses, and no error message quotes key material.

use rustls_pki_types::pem::{PemObject, SectionKind};
use rustls_pki_types::{
    CertificateDer, CertificateSigningRequestDer, PrivateKeyDer, PrivatePkcs1KeyDer,
    PrivatePkcs8KeyDer, PrivateSec1KeyDer, SubjectPublicKeyInfoDer,
};
use thiserror::Error;

use super::der::{self, DerError, Tlv};

mod pieces;
mod search;

pub use pieces::{Source, Text, map_text_chunks, read_full};

/// The largest input tlsctl reads (a 10,000-certificate bundle is ~12 MB).
pub const MAX_INPUT: usize = 256 * 1024 * 1024;

/// A decoded item.
#[derive(Debug)]
pub enum Item {
    Certificate(CertificateDer<'static>),
    PrivateKey(PrivateKeyDer<'static>),
    PublicKey(SubjectPublicKeyInfoDer<'static>),
    Csr(CertificateSigningRequestDer<'static>),
}

impl Clone for Item {
    fn clone(&self) -> Self {
        match self {
            Item::Certificate(c) => Item::Certificate(c.clone()),
            Item::PrivateKey(k) => Item::PrivateKey(k.clone_key()),
            Item::PublicKey(k) => Item::PublicKey(k.clone()),
            Item::Csr(c) => Item::Csr(c.clone()),
        }
    }
}

impl Item {
    /// What the item is, in words.
    pub fn kind_name(&self) -> &'static str {
        match self {
            Item::Certificate(_) => "certificate",
            Item::PrivateKey(PrivateKeyDer::Pkcs1(_)) => "private key (PKCS#1)",
            Item::PrivateKey(PrivateKeyDer::Sec1(_)) => "private key (SEC1)",
            Item::PrivateKey(_) => "private key (PKCS#8)",
            Item::PublicKey(_) => "public key",
            Item::Csr(_) => "certificate signing request",
        }
    }

    pub fn is_private_key(&self) -> bool {
        matches!(self, Item::PrivateKey(_))
    }
}

/// How a block was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Pem,
    Der,
}

/// One PEM block (or one DER structure) of an input, with its verdict.
#[derive(Debug, Clone)]
pub struct Block {
    /// 1-based position among the blocks of the input.
    pub index: usize,
    /// Byte offset of the BEGIN line (PEM) or of the structure (DER).
    pub offset: usize,
    /// The PEM label, or the detected DER structure.
    pub label: String,
    pub encoding: Encoding,
    /// The block carried RFC 1421 headers (`Proc-Type:` ...). Go's
    /// `pem.Decode` accepts them but `x509.CertPool.AppendCertsFromPEM`
    /// skips such certificate blocks, so NATS never sees them.
    pub pem_headers: bool,
    pub item: Result<Item, BlockError>,
}

/// What is wrong with one block.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum BlockError {
    #[error("{what} {detail}")]
    Der {
        what: &'static str,
        detail: DerError,
    },
    #[error("BEGIN {label} has no matching END line (the file may be cut short)")]
    MissingEnd { label: String },
    #[error("{label} block has invalid base64 on line {line}")]
    Base64 { label: String, line: usize },
    #[error("{label} block could not be decoded: {detail}")]
    Pem { label: String, detail: String },
    #[error(
        "{label} block carries PEM headers; Go and so NATS skip such blocks silently: \
         remove the header lines"
    )]
    PemHeaders { label: String },
    #[error(
        "encrypted private key: tlsctl does not decrypt keys; \
         decrypt it first (openssl pkey -in FILE -out PLAIN)"
    )]
    Encrypted,
    #[error("{label} block is not supported{hint}")]
    Unsupported { label: String, hint: &'static str },
    #[error("DER structure is not a certificate, key or CSR")]
    UnknownDer,
}

/// What is wrong with an input as a whole, or with one of its blocks.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ReadError {
    #[error("is empty")]
    Empty,
    #[error("is larger than {MAX_INPUT} bytes")]
    TooLarge,
    #[error("is UTF-16 text; convert it to UTF-8 first (iconv -f UTF-16 -t UTF-8)")]
    Utf16,
    #[error(
        "holds no PEM block and is not DER; expected a certificate, key or CSR \
         (PEM starts with -----BEGIN)"
    )]
    NotPemOrDer,
    #[error("block {index}: {error}")]
    Block { index: usize, error: BlockError },
    #[error("could not be read: {0}")]
    Io(String),
}

/// Reads every block of `input`, keeping each block's own verdict.
pub fn read(input: &[u8]) -> Result<Vec<Block>, ReadError> {
    map_blocks(input, |block| block)
}

/// Reads every block of `input`; the first block with a problem (including
/// PEM headers) is an error.
pub fn read_strict(input: &[u8]) -> Result<Vec<(usize, Item)>, ReadError> {
    map_blocks(input, strict)?.into_iter().collect()
}

/// A block's item, or its problem as an error naming the block.
pub fn strict(block: Block) -> Result<(usize, Item), ReadError> {
    match (block.item, block.pem_headers) {
        (Ok(_), true) => Err(ReadError::Block {
            index: block.index,
            error: BlockError::PemHeaders { label: block.label },
        }),
        (Ok(item), false) => Ok((block.index, item)),
        (Err(error), _) => Err(ReadError::Block {
            index: block.index,
            error,
        }),
    }
}

/// Inputs above this size are split at block boundaries and read on several
/// threads; below it a thread costs more than it saves.
const PARALLEL_THRESHOLD: usize = 1 << 20;

/// Reads every block of `input` and maps each through `f` as soon as it is
/// decoded, so that a caller that only needs a digest of each block (a pin)
/// never holds the whole decoded input. Large PEM inputs are split at
/// `-----BEGIN` lines and read on several threads; the result is the same,
/// in the same order, as a sequential read.
pub fn map_blocks<T: Send>(
    input: &[u8],
    f: impl Fn(Block) -> T + Sync,
) -> Result<Vec<T>, ReadError> {
    let chunks = map_chunks(input, |blocks| blocks.map(&f).collect::<Vec<T>>())?;
    // The first chunk's vector grows to hold them all (a large one is
    // remapped, not copied), instead of a second vector of every result.
    let total = chunks.iter().map(Vec::len).sum::<usize>();
    let mut chunks = chunks.into_iter();
    let mut all = chunks.next().unwrap_or_default();
    all.reserve_exact(total - all.len());
    for chunk in chunks {
        all.extend(chunk);
    }
    Ok(all)
}

/// The blocks of one chunk of the input, in order.
pub type Blocks<'a> = dyn Iterator<Item = Block> + 'a;

/// Like [`map_blocks`], but `f` sees each chunk's blocks as one iterator
/// (on the thread that reads the chunk), so that it can keep per-chunk
/// state: one buffer for all of a chunk's DER instead of an allocation per
/// certificate, say. The chunks come back in input order.
pub fn map_chunks<T: Send>(
    input: &[u8],
    f: impl Fn(&mut Blocks<'_>) -> T + Sync,
) -> Result<Vec<T>, ReadError> {
    if input.len() > MAX_INPUT {
        return Err(ReadError::TooLarge);
    }
    search::input_of(input.len());
    let input = input.strip_prefix(b"\xef\xbb\xbf").unwrap_or(input);
    if input.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(ReadError::Empty);
    }
    if looks_like_utf16(input) {
        return Err(ReadError::Utf16);
    }
    if search::find(input, b"-----BEGIN ").is_none() {
        if input.first() == Some(&der::SEQUENCE) {
            return Ok(vec![f(&mut read_der(input).into_iter())]);
        }
        return Err(ReadError::NotPemOrDer);
    }
    let threads = if input.len() >= PARALLEL_THRESHOLD {
        std::thread::available_parallelism().map_or(1, |n| n.get().min(4))
    } else {
        1
    };
    let bounds = split_points(input, threads);
    let Ok((chunks, count)) = counted_chunks::<std::convert::Infallible>(&bounds, |from, to| {
        Ok(count_blocks(input, from, to))
    });
    if count == 0 {
        return Err(ReadError::NotPemOrDer);
    }
    Ok(on_threads(&chunks, |c| {
        f(&mut Counted::new(
            scan_pem(input, c.from, c.to, c.first_index),
            c.blocks,
        ))
    }))
}

/// `f` of each item, in order: the first on this thread, each other on a
/// thread of its own (a panic in one is resumed here).
fn on_threads<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let Some((first, rest)) = items.split_first() else {
        return Vec::new();
    };
    let f = &f;
    std::thread::scope(|scope| {
        let others: Vec<_> = rest
            .iter()
            .map(|item| scope.spawn(move || f(item)))
            .collect();
        std::iter::once(f(first))
            .chain(
                others
                    .into_iter()
                    .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e))),
            )
            .collect()
    })
}

/// One chunk of an input: its bytes `from..to` and its blocks' numbering.
struct Chunk {
    from: usize,
    to: usize,
    /// How many blocks come before it, so that threads can number their
    /// blocks without waiting for each other.
    first_index: usize,
    blocks: usize,
}

/// The chunks between split points, counted at once (`count(from, to)`,
/// one thread each), and how many blocks they hold in all.
fn counted_chunks<E: Send>(
    bounds: &[usize],
    count: impl Fn(usize, usize) -> Result<usize, E> + Sync,
) -> Result<(Vec<Chunk>, usize), E> {
    let ranges: Vec<(usize, usize)> = bounds
        .windows(2)
        .filter_map(|w| match *w {
            [from, to] => Some((from, to)),
            _ => None,
        })
        .collect();
    let counts = on_threads(&ranges, |&(from, to)| count(from, to));
    let mut total = 0;
    let mut chunks = Vec::with_capacity(ranges.len());
    for (&(from, to), blocks) in ranges.iter().zip(counts) {
        let blocks = blocks?;
        chunks.push(Chunk {
            from,
            to,
            first_index: total,
            blocks,
        });
        total += blocks;
    }
    Ok((chunks, total))
}

/// A chunk's blocks with their count (from the pre-count) as the lower
/// bound of `size_hint`, so that collecting a chunk allocates once.
struct Counted<I> {
    blocks: I,
    left: usize,
}

impl<I> Counted<I> {
    fn new(blocks: I, count: usize) -> Self {
        Counted {
            blocks,
            left: count,
        }
    }
}

impl<I: Iterator<Item = Block>> Iterator for Counted<I> {
    type Item = Block;

    fn next(&mut self) -> Option<Block> {
        let block = self.blocks.next()?;
        self.left = self.left.saturating_sub(1);
        Some(block)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.left, None)
    }
}

/// How many blocks [`scan_pem`] yields for `from..to`: one per valid BEGIN
/// line at the start of a line (a block body never holds one, since the
/// first `-----` after a BEGIN line ends the block).
fn count_blocks(input: &[u8], from: usize, to: usize) -> usize {
    let finder = search::Finder::new(b"-----BEGIN ");
    let window = input.get(from..to).unwrap_or_default();
    finder
        .find_iter(window)
        .filter(|&i| {
            let at = from + i;
            at_line_start(input, at)
                && input
                    .get(at..line_end(input, at).0)
                    .and_then(begin_label)
                    .is_some()
        })
        .count()
}

/// Offsets that cut `input` into about `parts` pieces, each starting at a
/// `-----BEGIN` line (so that no block is cut), with 0 and `input.len()`
/// at the ends.
fn split_points(input: &[u8], parts: usize) -> Vec<usize> {
    let mut points = vec![0];
    for i in 1..parts {
        let target = input.len() / parts * i;
        let Some(tail) = input.get(target..) else {
            break;
        };
        if let Some(found) = search::find(tail, b"\n-----BEGIN ") {
            let at = target + found + 1;
            if points.last().is_some_and(|&last| at > last) && at < input.len() {
                points.push(at);
            }
        }
    }
    points.push(input.len());
    points
}

fn looks_like_utf16(input: &[u8]) -> bool {
    if input.starts_with(b"\xff\xfe") || input.starts_with(b"\xfe\xff") {
        return true;
    }
    // ASCII as UTF-16 without a byte-order mark: one byte of each pair NUL,
    // the other printable.
    let head = input.get(..64).unwrap_or(input);
    let count = |skip: usize, f: fn(u8) -> bool| {
        head.iter().skip(skip).step_by(2).filter(|&&b| f(b)).count()
    };
    let pairs = head.len() / 2;
    let text = |b: u8| b.is_ascii_graphic() || b.is_ascii_whitespace();
    let utf16 = |zero_at: usize| {
        count(zero_at, |b| b == 0) * 4 >= pairs * 3 && count(1 - zero_at, text) * 4 >= pairs * 3
    };
    pairs >= 4 && (utf16(0) || utf16(1))
}

/// The 1-based line number of byte `offset` (LF, CRLF or lone CR ends a
/// line). Only computed for error messages.
fn line_of(input: &[u8], offset: usize) -> usize {
    let head = input.get(..offset).unwrap_or(input);
    let lf = search::count(b'\n', head);
    let lone_cr = search::positions(b'\r', head)
        .filter(|&i| head.get(i + 1) != Some(&b'\n') && i + 1 != offset)
        .count();
    1 + lf + lone_cr
}

/// The end of the line starting at or containing `from` (before its
/// terminator), and the start of the next line.
fn line_end(input: &[u8], from: usize) -> (usize, usize) {
    let rest = input.get(from..).unwrap_or_default();
    match search::either(b'\n', b'\r', rest) {
        None => (input.len(), input.len()),
        Some(i) => {
            let end = from + i;
            let mut next = end + 1;
            if input.get(end) == Some(&b'\r') && input.get(next) == Some(&b'\n') {
                next += 1;
            }
            (end, next)
        }
    }
}

fn at_line_start(input: &[u8], at: usize) -> bool {
    at == 0 || matches!(input.get(at - 1), Some(b'\n' | b'\r'))
}

/// Iterates over the PEM blocks whose BEGIN line starts in `from..to`.
fn scan_pem(
    input: &[u8],
    from: usize,
    to: usize,
    first_index: usize,
) -> impl Iterator<Item = Block> + '_ {
    let mut pos = from;
    let mut index = first_index;
    let begin = search::Finder::new(b"-----BEGIN ");
    let dashes = search::Finder::new(b"-----");
    std::iter::from_fn(move || {
        loop {
            let window = input.get(pos..to)?;
            let at = pos + begin.find(window)?;
            let (begin_end, body_start) = line_end(input, at);
            if !at_line_start(input, at) {
                pos = at + 1;
                continue;
            }
            let Some(label) = input.get(at..begin_end).and_then(begin_label) else {
                pos = body_start.max(at + 1);
                continue;
            };
            index += 1;
            let label = String::from_utf8_lossy(label).into_owned();
            let lines = |offset| line_of(input, offset);
            let (block, next, _) =
                read_pem_block(input, at, body_start, index, label, &dashes, &lines);
            pos = next;
            return Some(block);
        }
    })
}

fn begin_label(line: &[u8]) -> Option<&[u8]> {
    trim_end(line.strip_prefix(b"-----BEGIN ")?).strip_suffix(b"-----")
}

fn is_end_of(line: &[u8], label: &str) -> bool {
    line.strip_prefix(b"-----END ")
        .map(trim_end)
        .and_then(|l| l.strip_suffix(b"-----"))
        .is_some_and(|l| l == label.as_bytes())
}

fn trim_end(mut s: &[u8]) -> &[u8] {
    while let Some((last, init)) = s.split_last() {
        if !last.is_ascii_whitespace() {
            break;
        }
        s = init;
    }
    s
}

/// Reads the block whose BEGIN line starts at `begin`; returns it, the
/// offset to scan on from, and how far into `input` it looked (the end of
/// the line that decided where the block ends, or `input.len()`): a reader
/// holding only part of a file reads more when that is its end.
/// `lines(offset)` is the line number of an offset in `input`.
fn read_pem_block(
    input: &[u8],
    begin: usize,
    body_start: usize,
    index: usize,
    label: String,
    dashes: &search::Finder,
    lines: &dyn Fn(usize) -> usize,
) -> (Block, usize, usize) {
    let mut block = Block {
        index,
        offset: begin,
        label,
        encoding: Encoding::Pem,
        pem_headers: false,
        item: Err(BlockError::UnknownDer),
    };
    // Neither base64 nor a header line holds "-----", so the next one is
    // this block's END line, or the sign that it has none.
    let rest = input.get(body_start..).unwrap_or_default();
    let marker = dashes.find(rest).map(|m| body_start + m);
    let looked = marker.map_or(input.len(), |m| line_end(input, m).1);
    let end = marker.and_then(|m| {
        let (line_stop, next) = line_end(input, m);
        let line = input.get(m..line_stop)?;
        (at_line_start(input, m) && is_end_of(line, &block.label)).then_some((m, next))
    });
    let Some((end_marker, after)) = end else {
        block.item = Err(BlockError::MissingEnd {
            label: block.label.clone(),
        });
        // Resume at the marker (likely the next BEGIN) so no block is lost.
        return (block, marker.unwrap_or(input.len()).max(body_start), looked);
    };
    let body = input.get(body_start..end_marker).unwrap_or_default();
    let first_line = body.get(..line_end(body, 0).0).unwrap_or_default();
    block.pem_headers = first_line.contains(&b':');
    let raw = input.get(begin..after).unwrap_or_default();
    block.item = decode_block(&block, raw, body_start, body, lines);
    (block, after, looked)
}

/// The base64 lines of a body whose first lines are RFC 1421 headers, and
/// whether a header says the content is encrypted.
fn strip_headers(body: &[u8]) -> (Vec<&[u8]>, bool) {
    let mut encrypted = false;
    let mut in_headers = true;
    let mut lines = Vec::new();
    let mut pos = 0;
    while pos < body.len() {
        let (stop, next) = line_end(body, pos);
        let line = trim_end(body.get(pos..stop).unwrap_or_default());
        if in_headers {
            encrypted |=
                line.starts_with(b"Proc-Type:") && search::find(line, b"ENCRYPTED").is_some();
            in_headers = !line.is_empty();
        } else {
            lines.push(line);
        }
        pos = next;
    }
    (lines, encrypted)
}

/// Decodes one block whose END line was found, through `PemObject`.
fn decode_block(
    block: &Block,
    raw_block: &[u8],
    body_start: usize,
    body: &[u8],
    lines: &dyn Fn(usize) -> usize,
) -> Result<Item, BlockError> {
    let label = block.label.as_str();
    let (header_free, encrypted_header) = if block.pem_headers {
        let (lines, encrypted) = strip_headers(body);
        (Some(lines), encrypted)
    } else {
        (None, false)
    };
    if encrypted_header || label == "ENCRYPTED PRIVATE KEY" {
        return Err(BlockError::Encrypted);
    }
    // Labels rustls-pki-types does not know, mapped onto ones it does.
    let relabel = match label {
        "NEW CERTIFICATE REQUEST" => Some("CERTIFICATE REQUEST"),
        "RSA PUBLIC KEY" => Some("RSA PUBLIC KEY"),
        _ => None,
    };
    let unsupported = |hint: &'static str| BlockError::Unsupported {
        label: label.to_owned(),
        hint,
    };
    match label {
        "CERTIFICATE"
        | "PUBLIC KEY"
        | "RSA PRIVATE KEY"
        | "PRIVATE KEY"
        | "EC PRIVATE KEY"
        | "CERTIFICATE REQUEST" => {}
        _ if relabel.is_some() => {}
        "TRUSTED CERTIFICATE" => {
            return Err(unsupported(
                " (OpenSSL's trust format, which Go and NATS ignore); \
                 convert it with openssl x509 -in FILE -out CERT.pem",
            ));
        }
        "OPENSSH PRIVATE KEY" => {
            return Err(unsupported(
                " (OpenSSH format); convert it with ssh-keygen -p -m PKCS8 -f FILE",
            ));
        }
        "X509 CRL" => return Err(unsupported(" (CRLs are not read by tlsctl)")),
        _ => return Err(unsupported("")),
    }

    // Rebuild the block when its framing differs from what PemObject reads
    // (headers removed, or a label it does not know); otherwise hand it the
    // original bytes untouched.
    let rebuilt;
    let pem: &[u8] = if header_free.is_some() || relabel.is_some() {
        let name = match relabel {
            Some("RSA PUBLIC KEY") => "PUBLIC KEY",
            Some(other) => other,
            None => label,
        };
        let mut s = Vec::with_capacity(raw_block.len());
        s.extend_from_slice(format!("-----BEGIN {name}-----\n").as_bytes());
        match &header_free {
            Some(lines) => {
                for line in lines {
                    s.extend_from_slice(line);
                    s.push(b'\n');
                }
            }
            None => {
                s.extend_from_slice(body);
                s.push(b'\n');
            }
        }
        s.extend_from_slice(format!("-----END {name}-----\n").as_bytes());
        rebuilt = s;
        &rebuilt
    } else {
        raw_block
    };

    // Public blocks in the usual framing take the fast decoder; anything it
    // does not accept goes to PemObject, whose verdict (and error) stands.
    let fast = if header_free.is_none() && relabel.is_none() {
        public_kind(label).and_then(|kind| Some((kind, decode_public_lines(body)?)))
    } else {
        None
    };
    let decoded = match fast {
        Some(section) => Ok(section),
        None => <(SectionKind, Vec<u8>)>::from_pem_slice(pem),
    };
    let (kind, der) = match decoded {
        Ok(section) => section,
        Err(rustls_pki_types::pem::Error::Base64Decode(_)) => {
            return Err(BlockError::Base64 {
                label: label.to_owned(),
                line: lines(body_start + first_bad_base64_offset(body)),
            });
        }
        Err(e) => {
            return Err(BlockError::Pem {
                label: label.to_owned(),
                detail: e.to_string(),
            });
        }
    };
    if label == "RSA PUBLIC KEY" {
        der::read_exact(&der).map_err(|detail| BlockError::Der {
            what: "RSA public key",
            detail,
        })?;
        return Ok(Item::PublicKey(
            der::spki(der::RSA_ENCRYPTION_ALG, &der).into(),
        ));
    }
    item_from_section(kind, der)
}

/// The kind of a block whose content is public (so needs no constant-time
/// decoding).
fn public_kind(label: &str) -> Option<SectionKind> {
    match label {
        "CERTIFICATE" => Some(SectionKind::Certificate),
        "PUBLIC KEY" => Some(SectionKind::PublicKey),
        "CERTIFICATE REQUEST" => Some(SectionKind::Csr),
        _ => None,
    }
}

/// Decodes a public block's base64 body line by line with the `base64`
/// crate's table decoder (several times faster than `PemObject`'s, which is
/// constant-time because it also decodes private keys). Only the plain
/// shape is accepted: canonical, padded base64 in lines of whole 4-character
/// groups, `=` only at the end of the last line, LF or CRLF endings, blank
/// lines ignored. For such a body `PemObject` decodes the same bytes; any
/// other body is `None`, and `PemObject` decides.
fn decode_public_lines(body: &[u8]) -> Option<Vec<u8>> {
    use base64::Engine as _;
    let engine = &base64::engine::general_purpose::STANDARD;
    let mut der = vec![0u8; body.len() / 4 * 3 + 3];
    let mut written = 0;
    let mut padded = false;
    let mut start = 0;
    while start < body.len() {
        let rest = body.get(start..).unwrap_or_default();
        let stop = search::byte(b'\n', rest).map_or(body.len(), |i| start + i);
        let line = body.get(start..stop).unwrap_or_default();
        start = stop + 1;
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.is_empty() {
            continue;
        }
        if padded || line.len() % 4 != 0 {
            return None;
        }
        padded = line.last() == Some(&b'=');
        let out = der.get_mut(written..)?;
        written += engine.decode_slice(line, out).ok()?;
    }
    der.truncate(written);
    Some(der)
}

/// The offset, within `body`, of the line holding the first character that
/// is not base64 (or of the last line, when the fault is the length).
fn first_bad_base64_offset(body: &[u8]) -> usize {
    let ok = |b: &u8| {
        b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=' | b' ' | b'\t' | b'\r' | b'\n')
    };
    let bad = body
        .iter()
        .position(|b| !ok(b))
        .unwrap_or(body.len().saturating_sub(1));
    let head = body.get(..bad).unwrap_or_default();
    search::either_last(b'\n', b'\r', head).map_or(0, |i| i + 1)
}

fn item_from_section(kind: SectionKind, der: Vec<u8>) -> Result<Item, BlockError> {
    let what = match kind {
        SectionKind::Certificate => "certificate",
        SectionKind::PublicKey => "public key",
        SectionKind::Csr => "certificate signing request",
        _ => "private key",
    };
    let check = |der: &[u8]| -> Result<(), BlockError> {
        let tlv = der::read_exact(der).map_err(|detail| BlockError::Der { what, detail })?;
        if tlv.tag != der::SEQUENCE {
            return Err(BlockError::Der {
                what,
                detail: DerError::UnexpectedTag {
                    expected: der::SEQUENCE,
                    found: tlv.tag,
                },
            });
        }
        if kind == SectionKind::Certificate {
            der::certificate_spki(der).map_err(|detail| BlockError::Der { what, detail })?;
        }
        Ok(())
    };
    check(&der)?;
    Ok(match kind {
        SectionKind::Certificate => Item::Certificate(der.into()),
        SectionKind::PublicKey => Item::PublicKey(der.into()),
        SectionKind::Csr => Item::Csr(der.into()),
        SectionKind::PrivateKey => Item::PrivateKey(PrivatePkcs8KeyDer::from(der).into()),
        SectionKind::RsaPrivateKey => Item::PrivateKey(PrivatePkcs1KeyDer::from(der).into()),
        SectionKind::EcPrivateKey => Item::PrivateKey(PrivateSec1KeyDer::from(der).into()),
        _ => {
            return Err(BlockError::Unsupported {
                label: format!("{kind:?}"),
                hint: "",
            });
        }
    })
}

/// Reads concatenated DER structures, classifying each by shape.
fn read_der(input: &[u8]) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut rest = input;
    while !rest.is_empty() {
        let index = blocks.len() + 1;
        let mut block = Block {
            index,
            offset: input.len() - rest.len(),
            label: "DER".to_owned(),
            encoding: Encoding::Der,
            pem_headers: false,
            item: Err(BlockError::UnknownDer),
        };
        match der::read_tlv(rest) {
            Ok((tlv, after)) => {
                let (label, item) = classify_der(tlv);
                block.label = label.to_owned();
                block.item = item;
                rest = after;
            }
            Err(detail) => {
                block.item = Err(BlockError::Der {
                    what: "DER structure",
                    detail,
                });
                rest = &[];
            }
        }
        let stop = block.item.is_err();
        blocks.push(block);
        if stop {
            break;
        }
    }
    blocks
}

fn classify_der(tlv: Tlv<'_>) -> (&'static str, Result<Item, BlockError>) {
    if tlv.tag != der::SEQUENCE {
        return ("DER", Err(BlockError::UnknownDer));
    }
    let children: Vec<Tlv<'_>> = match der::elements(tlv.value).collect() {
        Ok(c) => c,
        Err(detail) => {
            return (
                "DER",
                Err(BlockError::Der {
                    what: "DER structure",
                    detail,
                }),
            );
        }
    };
    let tags: Vec<u8> = children.iter().map(|c| c.tag).collect();
    let raw = tlv.raw.to_vec();
    let int_value = |i: usize| children.get(i).map(|c| c.value);
    match tags.as_slice() {
        // Certificate or CSR: SEQ { SEQ body, SEQ alg, BIT STRING sig }
        [der::SEQUENCE, der::SEQUENCE, der::BIT_STRING] => {
            let body_tags: Vec<u8> = children
                .first()
                .map(|b| {
                    der::elements(b.value)
                        .filter_map(Result::ok)
                        .map(|t| t.tag)
                        .collect()
                })
                .unwrap_or_default();
            let is_csr = body_tags.len() == 4
                && body_tags.first() == Some(&der::INTEGER)
                && body_tags.last() == Some(&der::CONTEXT_0);
            if is_csr {
                (
                    "CERTIFICATE REQUEST (DER)",
                    item_from_section(SectionKind::Csr, raw),
                )
            } else {
                (
                    "CERTIFICATE (DER)",
                    item_from_section(SectionKind::Certificate, raw),
                )
            }
        }
        // SubjectPublicKeyInfo: SEQ { SEQ alg, BIT STRING }
        [der::SEQUENCE, der::BIT_STRING] => (
            "PUBLIC KEY (DER)",
            item_from_section(SectionKind::PublicKey, raw),
        ),
        // EncryptedPrivateKeyInfo: SEQ { SEQ alg, OCTET STRING }
        [der::SEQUENCE, der::OCTET_STRING] => {
            ("ENCRYPTED PRIVATE KEY (DER)", Err(BlockError::Encrypted))
        }
        // PKCS#8: SEQ { INTEGER version, SEQ alg, OCTET STRING key, ... }
        [der::INTEGER, der::SEQUENCE, der::OCTET_STRING, ..] => (
            "PRIVATE KEY (DER)",
            item_from_section(SectionKind::PrivateKey, raw),
        ),
        // SEC1: SEQ { INTEGER 1, OCTET STRING, [0] params?, [1] pub? }
        [der::INTEGER, der::OCTET_STRING, ..] if int_value(0) == Some(&[1]) => (
            "EC PRIVATE KEY (DER)",
            item_from_section(SectionKind::EcPrivateKey, raw),
        ),
        // PKCS#1: SEQ { INTEGER 0, n, e, d, p, q, dp, dq, qinv }
        [der::INTEGER, der::INTEGER, der::INTEGER, rest @ ..]
            if rest.len() == 6 && rest.iter().all(|&t| t == der::INTEGER) =>
        {
            (
                "RSA PRIVATE KEY (DER)",
                item_from_section(SectionKind::RsaPrivateKey, raw),
            )
        }
        _ => ("DER", Err(BlockError::UnknownDer)),
    }
}

/// PEM text of one DER item (LF line ends, 64-column base64).
pub fn encode_pem(label: &str, der: &[u8]) -> String {
    pem::encode_config(
        &pem::Pem::new(label, der),
        pem::EncodeConfig::new().set_line_ending(pem::LineEnding::LF),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What PemObject makes of a CERTIFICATE block with this body.
    fn pem_object(body: &[u8]) -> Option<Vec<u8>> {
        let mut pem = b"-----BEGIN CERTIFICATE-----\n".to_vec();
        pem.extend_from_slice(body);
        pem.extend_from_slice(b"\n-----END CERTIFICATE-----\n");
        <(SectionKind, Vec<u8>)>::from_pem_slice(&pem)
            .ok()
            .map(|(_, der)| der)
    }

    #[test]
    fn the_fast_decoder_accepts_only_what_pem_object_decodes_the_same() {
        let bodies: &[&[u8]] = &[
            b"TWFu",
            b"TWFuTWFu\nTWE=",
            b"TWFuTWFu\r\nTWE=\r\n",
            b"TWFuTWFu\n\nTQ==",
            b"TQ==\nTWFu", // padding before the end
            b"TWFuTW\nFu", // a line that is not whole groups
            b"TWF uTWFu",  // a space inside a line
            b"TR==",       // non-canonical trailing bits
            b"TQ",         // no padding
            b"TWFu*WFu",   // not base64
            b"",
            b"\n\n",
        ];
        for body in bodies {
            if let Some(fast) = decode_public_lines(body) {
                assert_eq!(
                    Some(fast),
                    pem_object(body),
                    "{:?}",
                    String::from_utf8_lossy(body)
                );
            }
        }
        assert_eq!(
            decode_public_lines(b"TWFuTWFu\r\nTWE=\r\n"),
            Some(b"ManManMa".to_vec())
        );
        assert_eq!(decode_public_lines(b"TQ==\nTWFu"), None);
        assert_eq!(decode_public_lines(b"TWFuTW\nFu"), None);
        assert_eq!(decode_public_lines(b"TWF uTWFu"), None);
    }

    #[test]
    fn a_body_the_fast_decoder_refuses_still_reads_through_pem_object() {
        let clean = include_str!("../../tests/fixtures/certs/ed25519.pem");
        // A space at the end of the first base64 line: PemObject skips it,
        // the fast decoder hands the block over.
        let spaced = clean.replacen("\n", " \n", 2).replacen(" \n", "\n", 1);
        assert_ne!(clean, spaced);
        let der = |text: &str| match read_strict(text.as_bytes()).unwrap().remove(0).1 {
            Item::Certificate(der) => der.to_vec(),
            other => panic!("{other:?}"),
        };
        assert_eq!(der(clean), der(&spaced));
    }
}
