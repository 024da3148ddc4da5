//! SPKI SHA-256 pins of files, and the NATS `pinned_certs` block made of
//! them.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Result, anyhow};
use serde::Serialize;
use time::OffsetDateTime;

use crate::pki::reader::{self, Item};
use crate::pki::{CertInfo, cert};
use crate::store::{self, MODE_PUBLIC, Overwrite};

/// One pinned item. The file's name is borrowed from its input, and the
/// row's own name (`FILE#N`) is made only when it is written: a
/// 10,000-certificate bundle would otherwise allocate 20,000 copies of it.
#[derive(Debug, Clone)]
pub struct PinRow<'a> {
    pub file: &'a str,
    /// 1-based position among the file's pinnable items.
    pub item: usize,
    /// Whether the file gave more than one row, so that the row is named
    /// `FILE#N`.
    pub numbered: bool,
    pub kind: &'static str,
    pub subject: Option<String>,
    pub pin_sha256: String,
}

impl PinRow<'_> {
    /// `FILE`, or `FILE#N` when the file holds more than one item.
    pub fn name(&self) -> std::borrow::Cow<'_, str> {
        if self.numbered {
            numbered_name(self.file, self.item).into()
        } else {
            self.file.into()
        }
    }
}

impl Serialize for PinRow<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct as _;
        let mut row = serializer.serialize_struct("PinRow", 6)?;
        row.serialize_field("file", self.file)?;
        row.serialize_field("item", &self.item)?;
        row.serialize_field("name", &self.name())?;
        row.serialize_field("kind", self.kind)?;
        match &self.subject {
            Some(subject) => row.serialize_field("subject", subject)?,
            None => row.skip_field("subject")?,
        }
        row.serialize_field("pin_sha256", &self.pin_sha256)?;
        row.end()
    }
}

/// Which items of a file are pinned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Take {
    /// Every item.
    All,
    /// The first item only (`--leaf-only`).
    First,
    /// The leaf alone when the file is a leaf followed by its chain (its
    /// first block a certificate that is not a CA, every block readable, and
    /// more blocks after it); every item of a bundle of CAs or a single item.
    LeafOfChain,
}

/// Why a block yields no row: it could not be read at all, or its item
/// could not be pinned (or its subject not parsed).
enum Failed {
    Read(String),
    Item(String),
}

/// What one chunk of the input yields (on the thread that read it): its
/// rows up to its first failure, that failure, whether any block of it
/// could not be read at all, and how many blocks it held.
struct ChunkPins<'a> {
    rows: Vec<PinRow<'a>>,
    failed: Option<Failed>,
    unreadable: bool,
    /// For its first block, when it is a certificate whose model was parsed:
    /// whether it is a CA.
    first_is_ca: Option<bool>,
    blocks: usize,
}

/// Pins the items of one input that `take` asks for. Blocks are pinned as
/// they are decoded (on several threads for a large bundle), each thread
/// making its own rows, and the decoded DER dropped; the input is read once.
pub fn pin_input(
    input: &store::Opened,
    take: Take,
    want_subject: bool,
    now: OffsetDateTime,
) -> Result<Vec<PinRow<'_>>> {
    let file = input.name.as_str();
    let pin_block = |block: reader::Block| -> Result<(PinRow<'_>, Option<bool>), Failed> {
        let first = block.index == 1;
        let (index, item) = reader::strict(block).map_err(|e| Failed::Read(e.to_string()))?;
        let in_block = |e: &dyn std::fmt::Display| Failed::Item(format!("block {index}: {e}"));
        let pin = cert::item_pin(&item).map_err(|e| in_block(&e))?;
        let info = match &item {
            Item::Certificate(der) if want_subject => {
                Some(CertInfo::parse(der, now).map_err(|e| in_block(&e))?)
            }
            // Only to tell a chain file's leaf from a CA.
            Item::Certificate(der) if first && take == Take::LeafOfChain => {
                CertInfo::parse(der, now).ok()
            }
            _ => None,
        };
        let is_ca = info.as_ref().map(|info| info.is_ca);
        let row = PinRow {
            file,
            item: index,
            numbered: false,
            kind: item.kind_name(),
            subject: info.filter(|_| want_subject).map(|info| info.subject),
            pin_sha256: pin,
        };
        Ok((row, is_ca))
    };
    let chunks = reader::map_text_chunks(input.content.text(), |blocks| {
        let mut chunk = ChunkPins {
            rows: Vec::with_capacity(blocks.size_hint().0),
            failed: None,
            unreadable: false,
            first_is_ca: None,
            blocks: 0,
        };
        for block in blocks {
            let first = chunk.blocks == 0;
            chunk.blocks += 1;
            match pin_block(block) {
                Ok((row, is_ca)) => {
                    if first {
                        chunk.first_is_ca = is_ca;
                    }
                    if chunk.failed.is_none() {
                        chunk.rows.push(row);
                    }
                }
                Err(failed) => {
                    chunk.unreadable |= matches!(failed, Failed::Read(_));
                    chunk.failed.get_or_insert(failed);
                }
            }
        }
        chunk
    })
    .map_err(|e| anyhow!("{file}: {e}"))?;
    let blocks = chunks.iter().map(|c| c.blocks).sum::<usize>();
    // Whether the blocks are a leaf followed by its chain: more than one,
    // all readable, the first a certificate that is not a CA (an unreadable
    // later block is reported, not skipped).
    let leaf_only = match take {
        Take::All => false,
        Take::First => true,
        Take::LeafOfChain => {
            blocks > 1
                && !chunks.iter().any(|c| c.unreadable)
                && chunks
                    .iter()
                    .find(|c| c.blocks > 0)
                    .is_some_and(|c| c.first_is_ca == Some(false))
        }
    };
    let failed = |failed: Failed| match failed {
        Failed::Read(m) | Failed::Item(m) => anyhow!("{file}: {m}"),
    };
    // A chunk may hold no block at all (only lines that look like BEGIN).
    let mut chunks = chunks.into_iter().filter(|c| c.blocks > 0);
    let Some(first) = chunks.next() else {
        return Ok(Vec::new());
    };
    if leaf_only {
        let mut rows = first.rows;
        rows.truncate(1);
        return match (rows.is_empty(), first.failed) {
            (true, Some(f)) => Err(failed(f)),
            _ => Ok(rows),
        };
    }
    // The first chunk's vector grows to hold them all (a large one is
    // remapped, not copied).
    let mut rows = first.rows;
    if let Some(f) = first.failed {
        return Err(failed(f));
    }
    rows.reserve_exact(blocks - rows.len());
    for chunk in chunks {
        if let Some(f) = chunk.failed {
            return Err(failed(f));
        }
        rows.extend(chunk.rows);
    }
    if rows.len() > 1 {
        for row in &mut rows {
            row.numbered = true;
        }
    }
    Ok(rows)
}

/// `FILE#N`, built without the formatting machinery: a 10,000-certificate
/// bundle builds 10,000 of them.
fn numbered_name(file: &str, n: usize) -> String {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    let mut rest = n;
    loop {
        at -= 1;
        if let Some(d) = digits.get_mut(at) {
            *d = b'0' + (rest % 10) as u8;
        }
        rest /= 10;
        if rest == 0 || at == 0 {
            break;
        }
    }
    let mut name = String::with_capacity(file.len() + 1 + digits.len() - at);
    name.push_str(file);
    name.push('#');
    name.push_str(std::str::from_utf8(digits.get(at..).unwrap_or_default()).unwrap_or_default());
    name
}

/// `pinned_certs: [ ... ]` with a comment naming each subject; the same key
/// seen twice (a certificate and its key) is listed once.
pub fn nats_block(rows: &[PinRow]) -> String {
    let mut out = String::from("pinned_certs: [\n");
    let mut seen: Vec<&str> = Vec::new();
    for row in rows {
        if seen.contains(&row.pin_sha256.as_str()) {
            continue;
        }
        seen.push(&row.pin_sha256);
        let sources = rows
            .iter()
            .filter(|r| r.pin_sha256 == row.pin_sha256)
            .map(|r| match &r.subject {
                Some(subject) => format!("{subject} ({})", r.name()),
                None => format!("{} ({})", r.kind, r.name()),
            });
        for source in sources {
            let _ = writeln!(out, "  # {}", one_line(&source));
        }
        let _ = writeln!(out, "  \"{}\"", row.pin_sha256);
    }
    out.push_str("]\n");
    out
}

/// Comments must stay on one line whatever a subject holds.
fn one_line(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// How writing a pins block went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BlockWrite {
    Written(PathBuf),
    /// The file exists and holds no PEM: replace it only when the user says.
    NeedsConfirmation(PathBuf),
}

/// Writes a pins block to `path` (`~/` is the home directory): never over a
/// file that holds PEM blocks (a bundle, a key), and over any other existing
/// file only with `replace`.
pub fn write_block(path: &Path, text: &str, replace: bool) -> Result<BlockWrite> {
    let path = store::expand_home(path);
    if path.as_os_str().is_empty() {
        return Err(anyhow!("give a path to write to"));
    }
    if let Some(existing) = store::read_if_present(&path).ok().flatten() {
        if memchr::memmem::find(&existing, b"-----BEGIN").is_some() {
            return Err(anyhow!(
                "{}: holds PEM blocks (certificates or keys); choose another file",
                path.display()
            ));
        }
        if !replace {
            return Ok(BlockWrite::NeedsConfirmation(path));
        }
    }
    let overwrite = if replace {
        Overwrite::Allow
    } else {
        Overwrite::Never
    };
    store::write_atomic(&path, text.as_bytes(), MODE_PUBLIC, overwrite)?;
    Ok(BlockWrite::Written(path))
}

#[cfg(test)]
mod tests {
    #[test]
    fn numbered_names_are_file_hash_number() {
        assert_eq!(super::numbered_name("b.pem", 1), "b.pem#1");
        assert_eq!(super::numbered_name("b.pem", 10), "b.pem#10");
        assert_eq!(super::numbered_name("b.pem", 100_000), "b.pem#100000");
        assert_eq!(
            super::numbered_name("x", usize::MAX),
            format!("x#{}", usize::MAX)
        );
    }
}
