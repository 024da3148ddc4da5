//! SPKI SHA-256 pins of files, and the NATS `pinned_certs` block made of
//! them.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Result, anyhow};
use serde::Serialize;
use time::OffsetDateTime;

use crate::pki::reader::{self, Item};
use crate::pki::{CertInfo, pin};
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

/// Pins every item of one input. Blocks are pinned as they are decoded
/// (on several threads for a large bundle), and the decoded DER dropped.
pub fn pin_input(
    input: &store::Input,
    leaf_only: bool,
    want_subject: bool,
    now: OffsetDateTime,
) -> Result<Vec<PinRow>> {
    let pinned = reader::map_blocks(&input.bytes, |block| {
        let (index, item) = reader::strict(block).map_err(|e| e.to_string())?;
        let in_block = |e: &dyn std::fmt::Display| format!("block {index}: {e}");
        let pin = pin::item_pin(&item).map_err(|e| in_block(&e))?;
        let subject = match &item {
            Item::Certificate(der) if want_subject => {
                Some(CertInfo::parse(der, now).map_err(|e| in_block(&e))?.subject)
            }
            _ => None,
        };
        Ok::<_, String>((item.kind_name(), subject, pin))
    })
    .map_err(|e| anyhow!("{}: {e}", input.name))?;
    let take = if leaf_only { 1 } else { pinned.len() };
    let numbered = pinned.len() > 1 && !leaf_only;
    pinned
        .into_iter()
        .take(take)
        .enumerate()
        .map(|(i, result)| {
            let (kind, subject, pin) = result.map_err(|e| anyhow!("{}: {e}", input.name))?;
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

/// Whether a file is a leaf followed by its chain (its first block a
/// certificate that is not a CA, and more blocks after it), as opposed to a
/// bundle of CAs or a single item.
pub fn is_chain_file(input: &store::Input, now: OffsetDateTime) -> bool {
    let Ok(items) = reader::read_strict(&input.bytes) else {
        return false;
    };
    match items.first() {
        Some((_, Item::Certificate(der))) if items.len() > 1 => {
            CertInfo::parse(der, now).is_ok_and(|info| !info.is_ca)
        }
        _ => false,
    }
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
