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

/// One pinned item.
#[derive(Debug, Clone, Serialize)]
pub struct PinRow {
    pub file: String,
    /// 1-based position among the file's pinnable items.
    pub item: usize,
    /// `FILE`, or `FILE#N` when the file holds more than one item.
    pub name: String,
    pub kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    pub pin_sha256: String,
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

impl Failed {
    fn message(self) -> String {
        match self {
            Failed::Read(m) | Failed::Item(m) => m,
        }
    }
}

/// What one block yields: its kind, subject, pin, and (for a certificate
/// whose model was parsed) whether it is a CA.
type Pinned = (&'static str, Option<String>, String, Option<bool>);

/// Pins the items of one input that `take` asks for. Blocks are pinned as
/// they are decoded (on several threads for a large bundle), and the decoded
/// DER dropped; the input is read once.
pub fn pin_input(
    input: &store::Input,
    take: Take,
    want_subject: bool,
    now: OffsetDateTime,
) -> Result<Vec<PinRow>> {
    let pinned = reader::map_blocks(&input.bytes, |block| {
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
        let subject = info.filter(|_| want_subject).map(|info| info.subject);
        Ok::<Pinned, Failed>((item.kind_name(), subject, pin, is_ca))
    })
    .map_err(|e| anyhow!("{}: {e}", input.name))?;
    let leaf_only = match take {
        Take::All => false,
        Take::First => true,
        Take::LeafOfChain => is_chain(&pinned),
    };
    let take = if leaf_only { 1 } else { pinned.len() };
    let numbered = pinned.len() > 1 && !leaf_only;
    pinned
        .into_iter()
        .take(take)
        .enumerate()
        .map(|(i, result)| {
            let (kind, subject, pin, _) =
                result.map_err(|e| anyhow!("{}: {}", input.name, e.message()))?;
            Ok(PinRow {
                file: input.name.clone(),
                item: i + 1,
                name: if numbered {
                    numbered_name(&input.name, i + 1)
                } else {
                    input.name.clone()
                },
                kind,
                subject,
                pin_sha256: pin,
            })
        })
        .collect()
}

/// Whether the blocks are a leaf followed by its chain: more than one, all
/// readable, the first a certificate that is not a CA (an unreadable later
/// block is reported, not skipped).
fn is_chain(pinned: &[Result<Pinned, Failed>]) -> bool {
    pinned.len() > 1
        && !pinned.iter().any(|r| matches!(r, Err(Failed::Read(_))))
        && matches!(pinned.first(), Some(Ok((_, _, _, Some(false)))))
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
                Some(subject) => format!("{subject} ({})", r.name),
                None => format!("{} ({})", r.kind, r.name),
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
