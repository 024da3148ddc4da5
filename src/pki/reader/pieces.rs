//! Reading a large PEM file in pieces, as each thread gets to them.
//!
//! A fresh buffer for a whole 7 MB bundle costs a page fault per 4 KiB,
//! and on the reference VM those faults, not the copy, were most of the
//! time `pin` and `bundle diff` spent before they could decode anything.
//! Here each thread reads its share of the file through one buffer of a
//! few hundred KiB that it reuses, and sees exactly the blocks, numbers,
//! offsets, line numbers and verdicts [`map_chunks`] gives for the whole
//! file in memory (a property test compares the two at every piece size).
//! The reader does no I/O of its own: the store hands it a [`Source`].

use std::cell::RefCell;
use std::sync::Mutex;

use super::{
    Block, Blocks, Counted, MAX_INPUT, PARALLEL_THRESHOLD, ReadError, at_line_start, begin_label,
    counted_chunks, line_end, looks_like_utf16, map_chunks, on_threads, read_pem_block,
};

/// A file the reader reads in pieces (the store's open input file).
pub trait Source: Sync {
    /// Its size when it was opened.
    fn size(&self) -> usize;
    /// Reads into `buf` from `offset`: how many bytes, 0 at the end.
    fn read_at(&self, buf: &mut [u8], offset: usize) -> std::io::Result<usize>;
}

/// An input's bytes for the reader: in memory, or a file read in pieces.
#[derive(Clone, Copy)]
pub enum Text<'a> {
    Bytes(&'a [u8]),
    File(&'a dyn Source),
}

/// How much a thread reads at a time.
const PIECE: usize = 256 * 1024;

/// How much of a file decides whether it is read in pieces.
const HEAD: usize = 64 * 1024;

const BEGIN: &[u8] = b"-----BEGIN ";

/// [`map_chunks`] over `text`: the same chunks, blocks and results, from
/// memory or from a file read in pieces.
pub fn map_text_chunks<T: Send>(
    text: Text<'_>,
    f: impl Fn(&mut Blocks<'_>) -> T + Sync,
) -> Result<Vec<T>, ReadError> {
    match text {
        Text::Bytes(bytes) => map_chunks(bytes, f),
        Text::File(source) => map_source_chunks(source, PIECE, f),
    }
}

/// Fills `buf` from `offset` unless the file ends first: how much it read
/// (a short read is retried; only the end of the file stops it early).
pub fn read_full(source: &dyn Source, buf: &mut [u8], offset: usize) -> std::io::Result<usize> {
    let mut done = 0;
    while let Some(rest) = buf.get_mut(done..).filter(|r| !r.is_empty()) {
        match source.read_at(rest, offset + done) {
            Ok(0) => break,
            Ok(n) => done += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(done)
}

fn io_error(e: &std::io::Error) -> ReadError {
    ReadError::Io(e.to_string())
}

/// [`map_text_chunks`] of a file, `piece` bytes at a time. A file that is
/// not plain PEM from its first bytes (a byte-order mark, UTF-16, DER, a
/// long preamble) is read whole and handed to [`map_chunks`].
pub(super) fn map_source_chunks<T: Send>(
    source: &dyn Source,
    piece: usize,
    f: impl Fn(&mut Blocks<'_>) -> T + Sync,
) -> Result<Vec<T>, ReadError> {
    let len = source.size();
    if len > MAX_INPUT {
        return Err(ReadError::TooLarge);
    }
    super::search::input_of(len);
    let mut head = vec![0u8; len.min(HEAD)];
    let got = read_full(source, &mut head, 0).map_err(|e| io_error(&e))?;
    head.truncate(got);
    let plain = !head.starts_with(b"\xef\xbb\xbf")
        && !looks_like_utf16(&head)
        && super::search::find(&head, BEGIN).is_some();
    if !plain {
        let mut all = vec![0u8; len];
        let got = read_full(source, &mut all, 0).map_err(|e| io_error(&e))?;
        all.truncate(got);
        return map_chunks(&all, f);
    }
    let piece = piece.max(BEGIN.len() + 1);
    let threads = if len >= PARALLEL_THRESHOLD {
        std::thread::available_parallelism().map_or(1, |n| n.get().min(4))
    } else {
        1
    };
    let bounds = split_points(source, len, threads, piece)?;
    // Counted first, one thread per chunk, so that every thread numbers
    // its blocks from the start (the same two passes as from memory; the
    // first reads the file through a warm buffer, which is cheap).
    let (chunks, count) = counted_chunks(&bounds, |from, to| {
        count_blocks(source, len, from, to, piece)
    })?;
    if count == 0 {
        return Err(ReadError::NotPemOrDer);
    }
    let failed: Mutex<Option<String>> = Mutex::new(None);
    let results = on_threads(&chunks, |c| {
        let blocks = PieceBlocks::new(source, len, piece, c.from, c.to, c.first_index, &failed);
        f(&mut Counted::new(blocks, c.blocks))
    });
    match failed.into_inner().unwrap_or_else(|e| e.into_inner()) {
        Some(e) => Err(ReadError::Io(e)),
        None => Ok(results),
    }
}

/// Window buffers left by finished threads, for the next ones (the count
/// pass's for the decoding pass, OLD's for NEW): a fresh buffer costs a
/// page fault per 4 KiB.
static SPARE: Mutex<Vec<Vec<u8>>> = Mutex::new(Vec::new());

/// A spare buffer no larger than this is kept for reuse.
const KEEP: usize = 4 * PIECE;

/// A thread's view of part of the file: `data[..filled]` holds the bytes
/// from `base`. `data` stays initialised to its full length, so that
/// reading into it never zeroes it first.
struct Window<'s> {
    source: &'s dyn Source,
    /// The file's length (shortened if it turns out shorter).
    len: usize,
    piece: usize,
    data: Vec<u8>,
    filled: usize,
    base: usize,
}

impl Drop for Window<'_> {
    fn drop(&mut self) {
        let data = std::mem::take(&mut self.data);
        if data.capacity() <= KEEP {
            SPARE.lock().unwrap_or_else(|e| e.into_inner()).push(data);
        }
    }
}

impl<'s> Window<'s> {
    fn new(source: &'s dyn Source, len: usize, piece: usize) -> Self {
        let data = SPARE.lock().unwrap_or_else(|e| e.into_inner()).pop();
        Window {
            source,
            len,
            piece,
            data: data.unwrap_or_default(),
            filled: 0,
            base: 0,
        }
    }

    /// What the window holds, from `base`.
    fn bytes(&self) -> &[u8] {
        self.data.get(..self.filled).unwrap_or_default()
    }

    fn end(&self) -> usize {
        self.base + self.filled
    }

    fn at_end(&self) -> bool {
        self.end() >= self.len
    }

    /// Makes the window hold `start..end` (up to the end of the file).
    /// What it holds before `start` is dropped before it reads more, or
    /// once it is a piece or more, so that it stays about two pieces long.
    fn cover(&mut self, start: usize, end: usize) -> std::io::Result<()> {
        let end = end.min(self.len);
        if start < self.base || start > self.end() {
            self.filled = 0;
            self.base = start;
        } else if start > self.base && (start - self.base >= self.piece || self.end() < end) {
            let drop = start - self.base;
            self.data.copy_within(drop..self.filled, 0);
            self.filled -= drop;
            self.base = start;
        }
        while self.end() < end {
            let offset = self.end();
            let want = (end - offset).max(self.piece).min(self.len - offset);
            if self.data.len() < self.filled + want {
                self.data.resize(self.filled + want, 0);
            }
            let got = match self.data.get_mut(self.filled..self.filled + want) {
                Some(tail) => read_full(self.source, tail, offset)?,
                None => 0,
            };
            self.filled += got;
            if got < want {
                // Shorter than when it was opened: it ends here.
                self.len = self.end();
                break;
            }
        }
        Ok(())
    }

    /// The first `needle` starting in `from..to`, reading on as needed.
    fn find(
        &mut self,
        finder: &super::search::Finder,
        mut from: usize,
        to: usize,
    ) -> std::io::Result<Option<usize>> {
        let needle = finder.needle().len();
        loop {
            if from >= to.min(self.len) {
                return Ok(None);
            }
            self.cover(from.saturating_sub(1), from + needle)?;
            let stop = (to.saturating_add(needle - 1)).min(self.end());
            let hay = self
                .bytes()
                .get(from - self.base..stop.saturating_sub(self.base))
                .unwrap_or_default();
            if let Some(i) = finder.find(hay).filter(|&i| from + i < to) {
                return Ok(Some(from + i));
            }
            if stop >= to.saturating_add(needle - 1) || self.at_end() {
                return Ok(None);
            }
            // Keep what could be the start of a needle cut by the end.
            from = from.max(self.end().saturating_sub(needle - 1));
            let more = self.end() + self.piece;
            self.cover(from.saturating_sub(1), more)?;
        }
    }

    /// Makes the window hold the byte before `at` and the whole line at
    /// `at` with its terminator; returns `at`'s offset in the window.
    fn cover_line(&mut self, at: usize) -> std::io::Result<usize> {
        let mut want = at + 256;
        loop {
            self.cover(at.saturating_sub(1), want)?;
            let local = at - self.base;
            let (_, next) = line_end(self.bytes(), local);
            if next < self.filled || self.at_end() {
                return Ok(local);
            }
            want = self.end() + self.piece;
        }
    }
}

/// Offsets that cut the file into about `parts` pieces at `-----BEGIN`
/// lines, as [`super::split_points`] cuts it in memory.
fn split_points(
    source: &dyn Source,
    len: usize,
    parts: usize,
    piece: usize,
) -> Result<Vec<usize>, ReadError> {
    let finder = super::search::Finder::new(b"\n-----BEGIN ");
    let mut window = Window::new(source, len, piece);
    let mut points = vec![0];
    for i in 1..parts {
        let target = len / parts * i;
        let found = window
            .find(&finder, target, usize::MAX)
            .map_err(|e| io_error(&e))?;
        if let Some(found) = found {
            let at = found + 1;
            if points.last().is_some_and(|&last| at > last) && at < len {
                points.push(at);
            }
        }
    }
    points.push(len);
    Ok(points)
}

/// How many blocks the chunk `from..to` holds, as [`super::count_blocks`]
/// counts them in memory.
fn count_blocks(
    source: &dyn Source,
    len: usize,
    from: usize,
    to: usize,
    piece: usize,
) -> Result<usize, ReadError> {
    let finder = super::search::Finder::new(BEGIN);
    let mut window = Window::new(source, len, piece);
    let mut pos = from;
    let mut count = 0;
    while let Some(at) = window.find(&finder, pos, to).map_err(|e| io_error(&e))? {
        let local = window.cover_line(at).map_err(|e| io_error(&e))?;
        let buf = window.bytes();
        if at_line_start(buf, local)
            && buf
                .get(local..line_end(buf, local).0)
                .and_then(begin_label)
                .is_some()
        {
            count += 1;
        }
        pos = at + BEGIN.len();
    }
    Ok(count)
}

/// Line numbers of offsets in the file, counted as `line_of` counts them
/// in memory (LF, CRLF and a lone CR end a line), read from the start
/// once per thread and carried on from the last offset asked for. Only an
/// error message asks.
#[derive(Default)]
struct Lines {
    /// Bytes before `pos` are counted...
    pos: usize,
    breaks: usize,
    /// ...but for a CR at `pos - 1`, which is a line break unless an LF
    /// follows.
    last_was_cr: bool,
}

impl Lines {
    fn line(&mut self, source: &dyn Source, offset: usize) -> usize {
        if offset < self.pos {
            *self = Lines::default();
        }
        let mut buf = vec![0u8; PIECE.min(offset - self.pos)];
        while self.pos < offset {
            let n = buf.len().min(offset - self.pos);
            let got = match buf.get_mut(..n) {
                Some(part) => read_full(source, part, self.pos).unwrap_or(0),
                None => 0,
            };
            if got == 0 {
                break;
            }
            for &b in buf.get(..got).unwrap_or_default() {
                if self.last_was_cr && b != b'\n' {
                    self.breaks += 1;
                }
                if b == b'\n' {
                    self.breaks += 1;
                }
                self.last_was_cr = b == b'\r';
            }
            self.pos += got;
        }
        1 + self.breaks
    }
}

/// The blocks whose BEGIN line starts in `from..to`, read in pieces: what
/// [`super::scan_pem`] yields for the same range of the file in memory.
/// A read error ends them and is kept in `failed`.
struct PieceBlocks<'s> {
    window: Window<'s>,
    pos: usize,
    to: usize,
    index: usize,
    begin: super::search::Finder,
    dashes: super::search::Finder,
    lines: RefCell<Lines>,
    failed: &'s Mutex<Option<String>>,
}

impl<'s> PieceBlocks<'s> {
    fn new(
        source: &'s dyn Source,
        len: usize,
        piece: usize,
        from: usize,
        to: usize,
        first_index: usize,
        failed: &'s Mutex<Option<String>>,
    ) -> Self {
        PieceBlocks {
            window: Window::new(source, len, piece),
            pos: from,
            to,
            index: first_index,
            begin: super::search::Finder::new(BEGIN),
            dashes: super::search::Finder::new(b"-----"),
            lines: RefCell::default(),
            failed,
        }
    }

    fn fail(&self, e: &std::io::Error) -> Option<Block> {
        let mut failed = self.failed.lock().unwrap_or_else(|e| e.into_inner());
        failed.get_or_insert_with(|| e.to_string());
        None
    }

    /// The block whose BEGIN needle is at `at`, or where to scan on from.
    fn block_at(&mut self, at: usize) -> std::io::Result<Result<Block, usize>> {
        let mut want = at + 4096;
        loop {
            self.window.cover_line(at)?;
            self.window.cover(at.saturating_sub(1), want)?;
            let base = self.window.base;
            let at_end = self.window.at_end();
            let input = self.window.bytes();
            let local = at - base;
            let (begin_end, body_start) = line_end(input, local);
            if !at_line_start(input, local) {
                return Ok(Err(at + 1));
            }
            let Some(label) = input.get(local..begin_end).and_then(begin_label) else {
                return Ok(Err(base + body_start.max(local + 1)));
            };
            let label = String::from_utf8_lossy(label).into_owned();
            let source = self.window.source;
            let lines = &self.lines;
            let line_of = |offset: usize| lines.borrow_mut().line(source, base + offset);
            let (mut block, next, looked) = read_pem_block(
                input,
                local,
                body_start,
                self.index + 1,
                label,
                &self.dashes,
                &line_of,
            );
            if looked >= input.len() && !at_end {
                // The block (or the line that ends it) runs past what is
                // here: read on, and decide again.
                want = self.window.end() + self.window.piece.max(self.window.filled);
                continue;
            }
            block.offset = base + local;
            self.pos = base + next;
            return Ok(Ok(block));
        }
    }
}

impl Iterator for PieceBlocks<'_> {
    type Item = Block;

    fn next(&mut self) -> Option<Block> {
        loop {
            let at = match self.window.find(&self.begin, self.pos, self.to) {
                Ok(Some(at)) => at,
                Ok(None) => return None,
                Err(e) => return self.fail(&e),
            };
            match self.block_at(at) {
                Ok(Ok(block)) => {
                    self.index += 1;
                    return Some(block);
                }
                Ok(Err(resume)) => self.pos = resume,
                Err(e) => return self.fail(&e),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::super::{Block, Item, map_chunks};
    use super::*;

    /// Bytes in memory, read as a file would be: only through `read_at`.
    /// `claimed` is the length reported (a file that shrank claims more).
    struct Bytes<'a> {
        data: &'a [u8],
        claimed: usize,
        fail_at: Option<usize>,
    }

    impl Source for Bytes<'_> {
        fn size(&self) -> usize {
            self.claimed
        }

        fn read_at(&self, buf: &mut [u8], offset: usize) -> std::io::Result<usize> {
            if self.fail_at.is_some_and(|at| offset + buf.len() > at) {
                return Err(std::io::Error::other("injected"));
            }
            let rest = self.data.get(offset..).unwrap_or_default();
            let n = rest.len().min(buf.len()).min(97);
            buf[..n].copy_from_slice(&rest[..n]);
            Ok(n)
        }
    }

    type Seen = (
        usize,
        usize,
        String,
        bool,
        Result<(&'static str, Vec<u8>), String>,
    );

    fn seen(block: Block) -> Seen {
        let item = block.item.map(|item| {
            let der = match &item {
                Item::Certificate(c) => c.as_ref().to_vec(),
                Item::PrivateKey(k) => k.secret_der().to_vec(),
                Item::PublicKey(k) => k.as_ref().to_vec(),
                Item::Csr(c) => c.as_ref().to_vec(),
            };
            (item.kind_name(), der)
        });
        (
            block.index,
            block.offset,
            block.label,
            block.pem_headers,
            item.map_err(|e| e.to_string()),
        )
    }

    fn in_memory(data: &[u8]) -> Result<Vec<Vec<Seen>>, ReadError> {
        map_chunks(data, |blocks| blocks.map(seen).collect())
    }

    fn in_pieces(data: &[u8], piece: usize) -> Result<Vec<Vec<Seen>>, ReadError> {
        let source = Bytes {
            data,
            claimed: data.len(),
            fail_at: None,
        };
        map_source_chunks(&source, piece, |blocks| blocks.map(seen).collect())
    }

    fn fixture(name: &str) -> Vec<u8> {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        std::fs::read(path.join(name)).unwrap()
    }

    fn parts() -> Vec<Vec<u8>> {
        [
            "chain/leaf-fullchain.pem",
            "certs/ed25519.pem",
            "keys/p256.traditional.pem",
            "keys/rsa2048.pub.pem",
            "misc/p256.csr.pem",
            "misc/bundle-crlf-prose.pem",
            "misc/encrypted-traditional.pem",
            "misc/headers.pem",
            "misc/bad-base64.pem",
            "misc/missing-end.pem",
        ]
        .iter()
        .map(|f| fixture(f))
        .collect::<Vec<_>>()
        .into_iter()
        .chain([
            b"prose between blocks\n".to_vec(),
            b"\r\n\r".to_vec(),
            b"  -----BEGIN CERTIFICATE-----\n".to_vec(),
            b"-----BEGIN CERTIFICATE-----\r\nMIIB\r\n".to_vec(),
            b"-----END CERTIFICATE-----\n".to_vec(),
            b"-----BEGIN \n".to_vec(),
        ])
        .collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, .. ProptestConfig::default() })]

        #[test]
        fn pieces_read_what_memory_reads(
            picks in proptest::collection::vec(0usize..16, 1..12),
            cut in proptest::option::of(any::<usize>()),
            flips in proptest::collection::vec((any::<usize>(), any::<u8>()), 0..3),
            piece in 1usize..400,
        ) {
            let parts = parts();
            let mut data: Vec<u8> = picks.iter().flat_map(|&i| parts[i % parts.len()].clone()).collect();
            for (at, bits) in flips {
                let len = data.len();
                data[at % len] ^= bits | 1;
            }
            if let Some(cut) = cut {
                data.truncate(cut % (data.len() + 1));
            }
            // A file starting with plain PEM is read in pieces; any other
            // is read whole. Either way the result is memory's.
            prop_assert_eq!(in_pieces(&data, piece), in_memory(&data));
        }
    }

    #[test]
    fn a_large_file_read_in_pieces_on_several_threads_is_read_as_in_memory() {
        let parts = parts();
        let mut data = Vec::new();
        let mut i = 0;
        while data.len() < 3 * PARALLEL_THRESHOLD {
            data.extend(&parts[(i * 7) % parts.len()]);
            i += 1;
        }
        let want = in_memory(&data);
        assert!(want.as_ref().map_or(0, Vec::len) > 1, "more than one chunk");
        for piece in [13, 4096, PIECE] {
            assert!(in_pieces(&data, piece) == want, "piece {piece}");
        }
    }

    #[test]
    fn a_file_shorter_than_it_claimed_is_read_to_its_end_and_a_read_error_is_an_error() {
        let data = [
            fixture("chain/leaf-fullchain.pem"),
            fixture("certs/ed25519.pem"),
        ]
        .concat();
        let shrunk = Bytes {
            data: &data,
            claimed: data.len() + 5000,
            fail_at: None,
        };
        let got = map_source_chunks(&shrunk, 100, |blocks| blocks.map(seen).collect::<Vec<_>>());
        assert!(got == in_memory(&data));
        let failing = Bytes {
            data: &data,
            claimed: data.len(),
            fail_at: Some(data.len() / 2),
        };
        let got = map_source_chunks(&failing, 100, |blocks| blocks.count());
        assert_eq!(got, Err(ReadError::Io("injected".to_owned())));
    }
}
