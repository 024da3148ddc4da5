//! A strict DER reader, as small as Go's cryptobyte use in crypto/x509
//! needs: definite lengths, one-byte tags, nothing allocated.

/// Universal and context-specific tags the certificate parser meets.
pub const BOOLEAN: u8 = 0x01;
pub const INTEGER: u8 = 0x02;
pub const BIT_STRING: u8 = 0x03;
pub const OCTET_STRING: u8 = 0x04;
pub const OID: u8 = 0x06;
pub const UTC_TIME: u8 = 0x17;
pub const GENERALIZED_TIME: u8 = 0x18;
pub const SEQUENCE: u8 = 0x30;

/// Context-specific primitive `[n]`.
pub const fn ctx(n: u8) -> u8 {
    0x80 | n
}

/// Context-specific constructed `[n]`.
pub const fn ctx_cons(n: u8) -> u8 {
    0xa0 | n
}

#[derive(Clone, Copy)]
pub struct Der<'a> {
    data: &'a [u8],
}

/// One element: its tag, its contents and all its bytes.
#[derive(Clone, Copy)]
pub struct Element<'a> {
    pub tag: u8,
    pub contents: &'a [u8],
    pub full: &'a [u8],
}

impl<'a> Der<'a> {
    pub fn new(data: &'a [u8]) -> Der<'a> {
        Der { data }
    }

    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    pub fn peek_tag(&self) -> Option<u8> {
        self.data.first().copied()
    }

    /// Reads any one element.
    pub fn read_any(&mut self) -> Option<Element<'a>> {
        let (&tag, rest) = self.data.split_first()?;
        if tag & 0x1f == 0x1f {
            return None; // multi-byte tags: nothing in a certificate uses them
        }
        let (&first, rest) = rest.split_first()?;
        let (len, rest) = if first < 0x80 {
            (usize::from(first), rest)
        } else {
            let n = usize::from(first & 0x7f);
            if n == 0 || n > 4 || rest.len() < n {
                return None;
            }
            let (bytes, rest) = rest.split_at(n);
            let mut len = 0usize;
            for &b in bytes {
                len = (len << 8) | usize::from(b);
            }
            // DER: minimal length encoding.
            if len < 0x80 || bytes.first() == Some(&0) {
                return None;
            }
            (len, rest)
        };
        if rest.len() < len {
            return None;
        }
        let header = self.data.len() - rest.len();
        let full = self.data.get(..header + len)?;
        let contents = rest.get(..len)?;
        self.data = rest.get(len..)?;
        Some(Element {
            tag,
            contents,
            full,
        })
    }

    /// Reads an element with `tag`.
    pub fn read(&mut self, tag: u8) -> Option<Element<'a>> {
        if self.peek_tag()? != tag {
            return None;
        }
        self.read_any()
    }

    /// Reads the contents of an element with `tag`.
    pub fn contents(&mut self, tag: u8) -> Option<Der<'a>> {
        self.read(tag).map(|e| Der::new(e.contents))
    }

    /// Reads an optional element with `tag`: `Some(None)` when absent,
    /// `None` when malformed.
    pub fn optional(&mut self, tag: u8) -> Option<Option<Element<'a>>> {
        if self.peek_tag() == Some(tag) {
            self.read_any().map(Some)
        } else {
            Some(None)
        }
    }
}

/// An INTEGER's contents, checked for minimal encoding as Go's
/// cryptobyte does.
pub fn valid_integer(contents: &[u8]) -> bool {
    match contents {
        [] => false,
        [0x00, next, ..] => next & 0x80 != 0,
        [0xff, next, ..] => next & 0x80 == 0,
        _ => true,
    }
}

/// A small non-negative INTEGER (path lengths): `None` when it is not one.
pub fn small_integer(contents: &[u8]) -> Option<i64> {
    if !valid_integer(contents) || contents.len() > 8 {
        return None;
    }
    let negative = contents.first().is_some_and(|b| b & 0x80 != 0);
    let mut v: i64 = if negative { -1 } else { 0 };
    for &b in contents {
        v = (v << 8) | i64::from(b);
    }
    Some(v)
}

/// An OID's contents as dotted text.
pub fn oid_string(contents: &[u8]) -> String {
    let mut parts = Vec::new();
    let mut value: u64 = 0;
    for (i, &b) in contents.iter().enumerate() {
        value = (value << 7) | u64::from(b & 0x7f);
        if b & 0x80 == 0 {
            if parts.is_empty() {
                let (first, second) = if value < 80 {
                    (value / 40, value % 40)
                } else {
                    (2, value - 80)
                };
                parts.push(first.to_string());
                parts.push(second.to_string());
            } else {
                parts.push(value.to_string());
            }
            value = 0;
        } else if i + 1 == contents.len() {
            parts.push("?".to_owned());
        }
    }
    parts.join(".")
}

/// Whether an OID's contents are well-formed (Go's ReadASN1ObjectIdentifier):
/// not empty, the last byte ends a sub-identifier, and no sub-identifier
/// starts with a padding 0x80.
pub fn valid_oid(contents: &[u8]) -> bool {
    if contents.last().is_none_or(|b| b & 0x80 != 0) {
        return false;
    }
    let mut start = true;
    for &b in contents {
        if start && b == 0x80 {
            return false;
        }
        start = b & 0x80 == 0;
    }
    true
}
