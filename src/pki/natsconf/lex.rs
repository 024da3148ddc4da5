//! The lexer of the nats-server configuration format, modelled state for
//! state on nats-server's `conf/lex.go`: the same states, the same stack of
//! states to return to, the same one-rune look-ahead and back-up, and so the
//! same quirks (a NUL byte reads as the end of input, a `)` closes a block
//! only alone on its line, `cluster{` without a space is one key).
//!
//! It never recurses: every state returns the next one, and the states to
//! come back to live on an explicit stack that grows at most one entry per
//! input byte.

use super::Dialect;

/// What the lexer hands the parser.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ItemKind {
    Eof,
    Key,
    Text,
    String,
    Bool,
    Integer,
    Float,
    Datetime,
    ArrayStart,
    ArrayEnd,
    MapStart,
    MapEnd,
    CommentStart,
    Variable,
    Include,
}

#[derive(Debug, Clone)]
pub(super) struct Item {
    pub kind: ItemKind,
    /// The token's bytes, escapes resolved (they may not be UTF-8: `\xff`).
    pub val: Vec<u8>,
    /// Byte offset of the token's first byte in the file.
    pub offset: usize,
}

/// A lexing error: what was expected, at a byte offset.
#[derive(Debug, Clone)]
pub(super) struct LexError {
    pub message: String,
    pub offset: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum St {
    Top,
    TopValueEnd,
    BlockStart,
    BlockValueEnd,
    BlockEnd,
    KeyStart,
    DubQuotedKey,
    QuotedKey,
    IncludeStart,
    Include,
    IncludeQuoted,
    IncludeDubQuoted,
    IncludeString,
    Key,
    KeyEnd,
    Value,
    ArrayValue,
    ArrayValueEnd,
    ArrayEnd,
    MapKeyStart,
    MapQuotedKey,
    MapDubQuotedKey,
    MapKey,
    MapKeyEnd,
    MapValue,
    MapValueEnd,
    MapEnd,
    QuotedString,
    DubQuotedString,
    Str,
    Block,
    StringEscape,
    StringBinary,
    NumberStart,
    Number,
    ConvenientNumber,
    DateAfterYear,
    NegNumberStart,
    NegNumber,
    FloatStart,
    Float,
    IpAddr,
    CommentStart,
    Comment,
}

/// The end of input, as lex.go spells it: rune 0. A NUL byte in the input
/// reads as this too (with a width of 1), exactly as in nats-server.
const EOF: char = '\0';

pub(super) struct Lexer<'a> {
    input: &'a [u8],
    dialect: Dialect,
    start: usize,
    pos: usize,
    width: usize,
    /// Where the current token began (`start`, before escapes moved it).
    item_start: usize,
    state: Option<St>,
    stack: Vec<St>,
    parts: Vec<u8>,
    has_parts: bool,
    string_state: St,
    pending: Option<Item>,
    error: Option<LexError>,
}

fn is_whitespace(r: char) -> bool {
    r == '\t' || r == ' '
}

fn is_nl(r: char) -> bool {
    r == '\n' || r == '\r'
}

fn is_key_separator(r: char) -> bool {
    r == '=' || r == ':'
}

fn is_number_suffix(r: char) -> bool {
    matches!(
        r,
        'k' | 'K' | 'm' | 'M' | 'g' | 'G' | 't' | 'T' | 'p' | 'P' | 'e' | 'E'
    )
}

/// Go's `unicode.IsSpace`: the same set as Rust's White_Space property.
fn is_space(r: char) -> bool {
    r.is_whitespace()
}

/// Go's `unicode.IsDigit`: any decimal digit (Unicode category Nd), not
/// only ASCII. The first code point of each run of ten Nd digits.
pub(super) fn is_digit(r: char) -> bool {
    if r.is_ascii_digit() {
        return true;
    }
    if (r as u32) < 0x660 {
        return false;
    }
    const ZEROS: &[u32] = &[
        0x660, 0x6F0, 0x7C0, 0x966, 0x9E6, 0xA66, 0xAE6, 0xB66, 0xBE6, 0xC66, 0xCE6, 0xD66, 0xDE6,
        0xE50, 0xED0, 0xF20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80, 0x1A90,
        0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0,
        0xFF10, 0x104A0, 0x10D30, 0x11066, 0x110F0, 0x11136, 0x111D0, 0x112F0, 0x11450, 0x114D0,
        0x11650, 0x116C0, 0x11730, 0x118E0, 0x11950, 0x11C50, 0x11D50, 0x11DA0, 0x16A60, 0x16AC0,
        0x16B50, 0x1E140, 0x1E2F0, 0x1E950, 0x1FBF0,
    ];
    let c = r as u32;
    if (0x1D7CE..=0x1D7FF).contains(&c) {
        return true;
    }
    ZEROS.iter().any(|&z| (z..z + 10).contains(&c))
}

/// Decodes one rune at `at` as Go's `utf8.DecodeRune` does: invalid UTF-8
/// is U+FFFD with a width of 1.
fn decode(input: &[u8], at: usize) -> (char, usize) {
    let rest = &input[at..];
    let len = match rest.first() {
        None => return (EOF, 0),
        Some(b) if *b < 0x80 => return (char::from(*b), 1),
        Some(b) if b & 0xE0 == 0xC0 => 2,
        Some(b) if b & 0xF0 == 0xE0 => 3,
        Some(b) if b & 0xF8 == 0xF0 => 4,
        Some(_) => return ('\u{FFFD}', 1),
    };
    match rest
        .get(..len)
        .and_then(|s| std::str::from_utf8(s).ok())
        .and_then(|s| s.chars().next())
    {
        Some(c) => (c, len),
        None => ('\u{FFFD}', 1),
    }
}

fn show(r: char) -> String {
    match r {
        EOF => "the end of the input".to_string(),
        '\n' => "a new line".to_string(),
        '\r' => "a carriage return".to_string(),
        c => format!("'{c}'"),
    }
}

impl<'a> Lexer<'a> {
    pub fn new(input: &'a [u8], dialect: Dialect) -> Self {
        Lexer {
            input,
            dialect,
            start: 0,
            pos: 0,
            width: 0,
            item_start: 0,
            state: Some(St::Top),
            stack: Vec::new(),
            parts: Vec::new(),
            has_parts: false,
            string_state: St::Str,
            pending: None,
            error: None,
        }
    }

    /// The next item, or the lexing error that ends the input.
    pub fn next_item(&mut self) -> Result<Item, LexError> {
        loop {
            if let Some(item) = self.pending.take() {
                return Ok(item);
            }
            if let Some(err) = self.error.clone() {
                return Err(err);
            }
            match self.state {
                None => {
                    return Ok(Item {
                        kind: ItemKind::Eof,
                        val: Vec::new(),
                        offset: self.pos,
                    });
                }
                Some(st) => self.state = self.step(st),
            }
        }
    }

    fn next(&mut self) -> char {
        if self.pos >= self.input.len() {
            self.width = 0;
            return EOF;
        }
        let (r, w) = decode(self.input, self.pos);
        self.width = w;
        self.pos += w;
        r
    }

    fn backup(&mut self) {
        self.pos = self.pos.saturating_sub(self.width);
    }

    fn peek(&mut self) -> char {
        let r = self.next();
        self.backup();
        r
    }

    fn ignore(&mut self) {
        self.start = self.pos;
        self.item_start = self.pos;
    }

    fn push(&mut self, st: St) {
        self.stack.push(st);
    }

    fn pop(&mut self) -> Option<St> {
        match self.stack.pop() {
            Some(st) => Some(st),
            None => self.errorf("a value in a context that has none (lexer stack empty)".into()),
        }
    }

    fn slice(&self) -> &'a [u8] {
        self.input.get(self.start..self.pos).unwrap_or(&[])
    }

    fn emit(&mut self, kind: ItemKind) {
        let mut val = self.parts.clone();
        val.extend_from_slice(self.slice());
        self.pending = Some(Item {
            kind,
            val,
            offset: self.item_start,
        });
        self.start = self.pos;
        self.item_start = self.pos;
    }

    fn emit_string(&mut self) {
        let mut val = std::mem::take(&mut self.parts);
        self.has_parts = false;
        val.extend_from_slice(self.slice());
        self.pending = Some(Item {
            kind: ItemKind::String,
            val,
            offset: self.item_start,
        });
        self.start = self.pos;
        self.item_start = self.pos;
    }

    fn add_current_string_part(&mut self, offset: usize) {
        let end = self.pos.saturating_sub(offset).max(self.start);
        self.parts
            .extend_from_slice(self.input.get(self.start..end).unwrap_or(&[]));
        self.has_parts = true;
        self.start = self.pos;
    }

    fn add_string_part(&mut self, s: &[u8]) -> Option<St> {
        self.parts.extend_from_slice(s);
        self.has_parts = true;
        self.start = self.pos;
        Some(self.string_state)
    }

    fn errorf(&mut self, message: String) -> Option<St> {
        self.error = Some(LexError {
            message,
            offset: self.pos,
        });
        None
    }

    /// `lx.pos > lx.start` at an end of input: a NUL byte or a dangling
    /// token is an error, a clean end emits EOF.
    fn eof_or_error(&mut self, what: &str) -> Option<St> {
        if self.pos > self.start {
            return self.errorf(format!("unexpected end of input {what}"));
        }
        self.emit(ItemKind::Eof);
        None
    }

    fn comment_or_slash(&mut self, after_comment: St) -> Result<Option<St>, ()> {
        // Called after a '/' was consumed: "//" starts a comment.
        let rn = self.next();
        if rn == '/' {
            self.push(after_comment);
            return Ok(Some(St::CommentStart));
        }
        self.backup();
        Err(())
    }

    fn is_bool(&self) -> bool {
        let s = self.slice().to_ascii_lowercase();
        matches!(
            s.as_slice(),
            b"true" | b"false" | b"on" | b"off" | b"yes" | b"no"
        )
    }

    fn is_variable(&mut self) -> bool {
        if self.input.get(self.start) == Some(&b'$') {
            self.start += 1;
            return true;
        }
        false
    }

    fn key_check_keyword(&mut self, fall_through: St, push: Option<St>) -> Option<St> {
        if self.slice().eq_ignore_ascii_case(b"include") {
            self.ignore();
            if let Some(p) = push {
                self.push(p);
            }
            return Some(St::IncludeStart);
        }
        self.emit(ItemKind::Key);
        Some(fall_through)
    }

    fn number_ends(r: char) -> bool {
        is_nl(r) || r == EOF || r == '}' || r == ';' || r == ',' || is_whitespace(r) || is_digit(r)
    }

    #[allow(clippy::too_many_lines)]
    fn step(&mut self, st: St) -> Option<St> {
        match st {
            St::Top => {
                let r = self.next();
                if is_space(r) {
                    self.ignore();
                    return Some(St::Top);
                }
                match r {
                    '{' => {
                        self.ignore();
                        if self.dialect == Dialect::V2_9 {
                            return Some(St::Top);
                        }
                        self.push(St::Top);
                        return Some(St::BlockStart);
                    }
                    '#' => {
                        self.push(St::Top);
                        return Some(St::CommentStart);
                    }
                    '/' => {
                        if let Ok(next) = self.comment_or_slash(St::Top) {
                            return next;
                        }
                        return self.eof_or_error("after '/' (a comment starts with '//')");
                    }
                    EOF => return self.eof_or_error("(a NUL byte?)"),
                    _ => {}
                }
                self.backup();
                self.push(St::TopValueEnd);
                Some(St::KeyStart)
            }
            St::TopValueEnd => {
                let r = self.next();
                match r {
                    '#' => {
                        self.push(St::Top);
                        return Some(St::CommentStart);
                    }
                    '/' => {
                        if let Ok(next) = self.comment_or_slash(St::Top) {
                            return next;
                        }
                        return Some(St::TopValueEnd);
                    }
                    _ => {}
                }
                if is_whitespace(r) {
                    return Some(St::TopValueEnd);
                }
                if is_nl(r) || r == EOF || r == ';' || r == ',' || r == '}' {
                    self.ignore();
                    return Some(St::Top);
                }
                self.errorf(format!(
                    "expected a new line, ';', ',' or a comment after a top-level value, found {}",
                    show(r)
                ))
            }
            St::BlockStart => {
                let r = self.next();
                if is_space(r) {
                    self.ignore();
                    return Some(St::BlockStart);
                }
                match r {
                    '{' => {
                        self.push(St::BlockEnd);
                        self.ignore();
                        return Some(St::BlockStart);
                    }
                    '}' => {
                        self.ignore();
                        return self.pop();
                    }
                    '#' => {
                        self.push(St::BlockStart);
                        return Some(St::CommentStart);
                    }
                    '/' => {
                        if let Ok(next) = self.comment_or_slash(St::BlockStart) {
                            return next;
                        }
                        return self.eof_or_error("after '/' (a comment starts with '//')");
                    }
                    EOF => return self.eof_or_error("(a NUL byte?)"),
                    _ => {}
                }
                self.backup();
                self.push(St::BlockValueEnd);
                Some(St::KeyStart)
            }
            St::BlockValueEnd => {
                let r = self.next();
                match r {
                    '#' => {
                        self.push(St::BlockValueEnd);
                        return Some(St::CommentStart);
                    }
                    '/' => {
                        if let Ok(next) = self.comment_or_slash(St::BlockValueEnd) {
                            return next;
                        }
                        return Some(St::BlockValueEnd);
                    }
                    _ => {}
                }
                if is_whitespace(r) {
                    return Some(St::BlockValueEnd);
                }
                if is_nl(r) || r == ';' || r == ',' {
                    self.ignore();
                    return Some(St::BlockStart);
                }
                if r == '}' {
                    self.backup();
                    return Some(St::BlockEnd);
                }
                self.errorf(format!(
                    "expected a new line, ';', ',' or '}}' after a value in the top-level '{{' block, found {}",
                    show(r)
                ))
            }
            St::BlockEnd => {
                let r = self.next();
                match r {
                    '#' => {
                        self.push(St::BlockStart);
                        return Some(St::CommentStart);
                    }
                    '/' => {
                        if let Ok(next) = self.comment_or_slash(St::BlockStart) {
                            return next;
                        }
                        return Some(St::BlockEnd);
                    }
                    _ => {}
                }
                if is_nl(r) || is_whitespace(r) {
                    return Some(St::BlockEnd);
                }
                if r == ';' || r == ',' {
                    self.ignore();
                    return Some(St::BlockStart);
                }
                if r == '}' {
                    self.ignore();
                    return self.pop();
                }
                self.errorf(format!(
                    "expected '}}' to close the top-level '{{' block, found {}",
                    show(r)
                ))
            }
            St::KeyStart => {
                let r = self.peek();
                if is_key_separator(r) {
                    return self.errorf(format!("expected a key, found the separator '{r}'"));
                }
                if is_space(r) {
                    self.next();
                    self.ignore();
                    return Some(St::KeyStart);
                }
                if r == '"' {
                    self.next();
                    self.ignore();
                    return Some(St::DubQuotedKey);
                }
                if r == '\'' {
                    self.next();
                    self.ignore();
                    return Some(St::QuotedKey);
                }
                self.ignore();
                self.next();
                Some(St::Key)
            }
            St::DubQuotedKey | St::QuotedKey => {
                let quote = if st == St::DubQuotedKey { '"' } else { '\'' };
                let r = self.peek();
                if r == quote {
                    self.emit(ItemKind::Key);
                    self.next();
                    self.ignore();
                    return Some(St::KeyEnd);
                }
                if r == EOF {
                    return self.eof_or_error("in a quoted key (expected its closing quote)");
                }
                self.next();
                Some(st)
            }
            St::IncludeStart => {
                let r = self.next();
                if is_whitespace(r) {
                    self.ignore();
                    return Some(St::IncludeStart);
                }
                self.backup();
                Some(St::Include)
            }
            St::IncludeQuoted | St::IncludeDubQuoted => {
                let quote = if st == St::IncludeDubQuoted {
                    '"'
                } else {
                    '\''
                };
                let r = self.next();
                if r == quote {
                    self.backup();
                    self.emit(ItemKind::Include);
                    self.next();
                    self.ignore();
                    return self.pop();
                }
                if r == EOF {
                    return self.errorf(
                        "unexpected end of input in a quoted include path (expected its closing quote)"
                            .into(),
                    );
                }
                Some(st)
            }
            St::IncludeString => {
                let r = self.next();
                if is_nl(r) || r == EOF || r == ';' || r == '}' || is_whitespace(r) {
                    self.backup();
                    self.emit(ItemKind::Include);
                    return self.pop();
                }
                if r == '\'' {
                    self.backup();
                    self.emit(ItemKind::Include);
                    self.next();
                    self.ignore();
                    return self.pop();
                }
                Some(St::IncludeString)
            }
            St::Include => {
                let r = self.next();
                let found = match r {
                    '\'' => {
                        self.ignore();
                        return Some(St::IncludeQuoted);
                    }
                    '"' => {
                        self.ignore();
                        return Some(St::IncludeDubQuoted);
                    }
                    '[' => "the start of an array",
                    '{' => "the start of a map",
                    '(' => "the start of a block",
                    '-' => "the start of a number",
                    '\\' => "an escape sequence",
                    c if is_digit(c) => "the start of a number",
                    c if is_nl(c) => "a new line",
                    _ => {
                        self.backup();
                        return Some(St::IncludeString);
                    }
                };
                self.errorf(format!("expected the path of the include, found {found}"))
            }
            St::Key => {
                let r = self.peek();
                if is_space(r) {
                    return self.key_check_keyword(St::KeyEnd, None);
                }
                if is_key_separator(r) || r == EOF {
                    self.emit(ItemKind::Key);
                    return Some(St::KeyEnd);
                }
                self.next();
                Some(St::Key)
            }
            St::KeyEnd => {
                let r = self.next();
                if is_space(r) {
                    self.ignore();
                    return Some(St::KeyEnd);
                }
                if is_key_separator(r) {
                    self.ignore();
                    return Some(St::Value);
                }
                if r == EOF {
                    self.emit(ItemKind::Eof);
                    return None;
                }
                self.backup();
                Some(St::Value)
            }
            St::Value => {
                let r = self.next();
                if is_whitespace(r) {
                    self.ignore();
                    return Some(St::Value);
                }
                match r {
                    '[' => {
                        self.ignore();
                        self.emit(ItemKind::ArrayStart);
                        return Some(St::ArrayValue);
                    }
                    '{' => {
                        self.ignore();
                        self.emit(ItemKind::MapStart);
                        return Some(St::MapKeyStart);
                    }
                    '\'' => {
                        self.ignore();
                        return Some(St::QuotedString);
                    }
                    '"' => {
                        self.ignore();
                        self.string_state = St::DubQuotedString;
                        return Some(St::DubQuotedString);
                    }
                    '-' => return Some(St::NegNumberStart),
                    '(' => {
                        self.ignore();
                        return Some(St::Block);
                    }
                    '.' => {
                        return self.errorf(
                            "a float must start with a digit, not '.' (quote a value that starts with '.', such as \"./certs/server.pem\")"
                                .into(),
                        );
                    }
                    c if is_digit(c) => {
                        self.backup();
                        return Some(St::NumberStart);
                    }
                    c if is_nl(c) => {
                        return self.errorf("expected a value, found a new line".into());
                    }
                    _ => {}
                }
                self.backup();
                self.string_state = St::Str;
                Some(St::Str)
            }
            St::ArrayValue => {
                let r = self.next();
                if is_space(r) {
                    self.ignore();
                    return Some(St::ArrayValue);
                }
                match r {
                    '#' => {
                        self.push(St::ArrayValue);
                        return Some(St::CommentStart);
                    }
                    '/' => {
                        if let Ok(next) = self.comment_or_slash(St::ArrayValue) {
                            return next;
                        }
                        return self
                            .errorf("expected an array value, found ',' or a lone '/'".into());
                    }
                    ',' => {
                        return self.errorf("expected an array value, found ','".into());
                    }
                    ']' => return Some(St::ArrayEnd),
                    _ => {}
                }
                self.backup();
                self.push(St::ArrayValueEnd);
                Some(St::Value)
            }
            St::ArrayValueEnd => {
                let r = self.next();
                if is_whitespace(r) {
                    self.ignore();
                    return Some(St::ArrayValueEnd);
                }
                match r {
                    '#' => {
                        self.push(St::ArrayValueEnd);
                        return Some(St::CommentStart);
                    }
                    '/' => {
                        if let Ok(next) = self.comment_or_slash(St::ArrayValueEnd) {
                            return next;
                        }
                        self.ignore();
                        return Some(St::ArrayValue);
                    }
                    ']' => return Some(St::ArrayEnd),
                    _ => {}
                }
                if r == ',' || is_nl(r) {
                    self.ignore();
                    return Some(St::ArrayValue);
                }
                self.errorf(format!(
                    "expected ',', a new line or ']' after an array value, found {}",
                    show(r)
                ))
            }
            St::ArrayEnd => {
                self.ignore();
                self.emit(ItemKind::ArrayEnd);
                self.pop()
            }
            St::MapKeyStart => {
                let r = self.peek();
                if is_key_separator(r) {
                    return self.errorf(format!("expected a key, found the separator '{r}'"));
                }
                match r {
                    ']' => return self.errorf("expected a key or '}', found ']'".into()),
                    c if is_space(c) => {
                        self.next();
                        self.ignore();
                        return Some(St::MapKeyStart);
                    }
                    '}' => {
                        self.next();
                        self.ignore();
                        return Some(St::MapEnd);
                    }
                    '#' => {
                        self.next();
                        self.push(St::MapKeyStart);
                        return Some(St::CommentStart);
                    }
                    '/' => {
                        self.next();
                        if let Ok(next) = self.comment_or_slash(St::MapKeyStart) {
                            return next;
                        }
                        // lex.go falls through to the key lexer here,
                        // with the '/' already consumed.
                    }
                    '\'' => {
                        self.next();
                        self.ignore();
                        return Some(St::MapQuotedKey);
                    }
                    '"' => {
                        self.next();
                        self.ignore();
                        return Some(St::MapDubQuotedKey);
                    }
                    EOF => {
                        return self.errorf(
                            "unexpected end of input in a map (expected a key or '}')".into(),
                        );
                    }
                    _ => {}
                }
                self.ignore();
                self.next();
                Some(St::MapKey)
            }
            St::MapQuotedKey | St::MapDubQuotedKey => {
                let quote = if st == St::MapDubQuotedKey { '"' } else { '\'' };
                let r = self.peek();
                if r == EOF {
                    return self.errorf(
                        "unexpected end of input in a quoted map key (expected its closing quote)"
                            .into(),
                    );
                }
                if r == quote {
                    self.emit(ItemKind::Key);
                    self.next();
                    self.ignore();
                    return Some(St::MapKeyEnd);
                }
                self.next();
                Some(st)
            }
            St::MapKey => {
                let r = self.peek();
                if r == EOF {
                    return self.errorf(
                        "unexpected end of input in a map key (expected a value and '}')".into(),
                    );
                }
                if is_space(r) {
                    return self.key_check_keyword(St::MapKeyEnd, Some(St::MapValueEnd));
                }
                if is_key_separator(r) {
                    self.emit(ItemKind::Key);
                    return Some(St::MapKeyEnd);
                }
                self.next();
                Some(St::MapKey)
            }
            St::MapKeyEnd => {
                let r = self.next();
                if is_space(r) {
                    self.ignore();
                    return Some(St::MapKeyEnd);
                }
                if is_key_separator(r) {
                    self.ignore();
                    return Some(St::MapValue);
                }
                self.backup();
                Some(St::MapValue)
            }
            St::MapValue => {
                let r = self.next();
                if is_space(r) {
                    self.ignore();
                    return Some(St::MapValue);
                }
                if r == ',' {
                    return self.errorf("expected a map value, found ','".into());
                }
                if r == '}' {
                    self.ignore();
                    return Some(St::MapEnd);
                }
                self.backup();
                self.push(St::MapValueEnd);
                Some(St::Value)
            }
            St::MapValueEnd => {
                let r = self.next();
                if is_whitespace(r) {
                    self.ignore();
                    return Some(St::MapValueEnd);
                }
                match r {
                    '#' => {
                        self.push(St::MapValueEnd);
                        return Some(St::CommentStart);
                    }
                    '/' => {
                        if let Ok(next) = self.comment_or_slash(St::MapValueEnd) {
                            return next;
                        }
                        self.ignore();
                        return Some(St::MapKeyStart);
                    }
                    '}' => {
                        self.ignore();
                        return Some(St::MapEnd);
                    }
                    _ => {}
                }
                if r == ';' || r == ',' || is_nl(r) {
                    self.ignore();
                    return Some(St::MapKeyStart);
                }
                self.errorf(format!(
                    "expected ',', ';', a new line or '}}' after a map value, found {}",
                    show(r)
                ))
            }
            St::MapEnd => {
                self.ignore();
                self.emit(ItemKind::MapEnd);
                self.pop()
            }
            St::QuotedString => {
                let r = self.next();
                if r == '\'' {
                    self.backup();
                    self.emit(ItemKind::String);
                    self.next();
                    self.ignore();
                    return self.pop();
                }
                if r == EOF {
                    return self.eof_or_error("in a quoted string (expected its closing quote)");
                }
                Some(St::QuotedString)
            }
            St::DubQuotedString => {
                let r = self.next();
                match r {
                    '\\' => {
                        self.add_current_string_part(1);
                        Some(St::StringEscape)
                    }
                    '"' => {
                        self.backup();
                        self.emit_string();
                        self.next();
                        self.ignore();
                        self.pop()
                    }
                    EOF => self.eof_or_error("in a quoted string (expected its closing quote)"),
                    _ => Some(St::DubQuotedString),
                }
            }
            St::Str => {
                let r = self.next();
                if r == '\\' {
                    self.add_current_string_part(1);
                    return Some(St::StringEscape);
                }
                if is_nl(r)
                    || r == EOF
                    || r == ';'
                    || r == ','
                    || r == ']'
                    || r == '}'
                    || is_whitespace(r)
                {
                    self.backup();
                    if self.has_parts {
                        self.emit_string();
                    } else if self.is_bool() {
                        self.emit(ItemKind::Bool);
                    } else if self.is_variable() {
                        self.emit(ItemKind::Variable);
                    } else {
                        self.emit_string();
                    }
                    return self.pop();
                }
                if r == '\'' {
                    self.backup();
                    self.emit_string();
                    self.next();
                    self.ignore();
                    return self.pop();
                }
                Some(St::Str)
            }
            St::Block => {
                let r = self.next();
                if r == ')' {
                    self.backup();
                    self.backup();
                    if self.next() != '\n' {
                        self.next();
                        return Some(St::Block);
                    }
                    self.next();
                    let after = self.next();
                    if after == '\n' || after == EOF {
                        self.backup();
                        self.backup();
                        self.emit(ItemKind::String);
                        self.next();
                        self.ignore();
                        return self.pop();
                    }
                    self.backup();
                    return Some(St::Block);
                }
                if r == EOF {
                    return self.errorf(
                        "unexpected end of input in a '(' block (expected ')' alone on a line)"
                            .into(),
                    );
                }
                Some(St::Block)
            }
            St::StringEscape => {
                let r = self.next();
                match r {
                    'x' => Some(St::StringBinary),
                    't' => self.add_string_part(b"\t"),
                    'n' => self.add_string_part(b"\n"),
                    'r' => self.add_string_part(b"\r"),
                    '"' => self.add_string_part(b"\""),
                    '\\' => self.add_string_part(b"\\"),
                    _ => self.errorf(format!(
                        "invalid escape {}: only \\xXX, \\t, \\n, \\r, \\\" and \\\\ are allowed",
                        show(r)
                    )),
                }
            }
            St::StringBinary => {
                let r = self.next();
                if is_nl(r) {
                    return self.errorf(
                        "expected two hexadecimal digits after '\\x', found the end of the line"
                            .into(),
                    );
                }
                let r = self.next();
                if is_nl(r) {
                    return self.errorf(
                        "expected two hexadecimal digits after '\\x', found the end of the line"
                            .into(),
                    );
                }
                let digits = self
                    .input
                    .get(self.pos.saturating_sub(2)..self.pos)
                    .unwrap_or(&[]);
                match (digits, std::str::from_utf8(digits)) {
                    (d, Ok(s)) if d.len() == 2 && d.iter().all(u8::is_ascii_hexdigit) => {
                        match u8::from_str_radix(s, 16) {
                            Ok(b) => {
                                self.add_string_part(&[b]);
                                Some(self.string_state)
                            }
                            Err(_) => self
                                .errorf("expected two hexadecimal digits after '\\x'".to_string()),
                        }
                    }
                    _ => self.errorf(format!(
                        "expected two hexadecimal digits after '\\x', found '{}'",
                        String::from_utf8_lossy(digits)
                    )),
                }
            }
            St::NumberStart | St::NegNumberStart => {
                let r = self.next();
                if !is_digit(r) {
                    if r == '.' {
                        return self.errorf("a float must start with a digit, not '.'".into());
                    }
                    return self.errorf(format!("expected a digit, found {}", show(r)));
                }
                Some(if st == St::NumberStart {
                    St::Number
                } else {
                    St::NegNumber
                })
            }
            St::Number => {
                let r = self.next();
                if r == '-' {
                    if self.pos - self.start != 5 {
                        return self.errorf(
                            "a date must be in full Zulu form (2006-01-02T15:04:05Z)".into(),
                        );
                    }
                    return Some(St::DateAfterYear);
                }
                if is_digit(r) {
                    return Some(St::Number);
                }
                if r == '.' {
                    return Some(St::FloatStart);
                }
                if is_number_suffix(r) {
                    return Some(St::ConvenientNumber);
                }
                if !Self::number_ends(r) {
                    self.string_state = St::Str;
                    return Some(St::Str);
                }
                self.backup();
                self.emit(ItemKind::Integer);
                self.pop()
            }
            St::ConvenientNumber => {
                let r = self.next();
                if matches!(r, 'b' | 'B' | 'i' | 'I') {
                    return Some(St::ConvenientNumber);
                }
                self.backup();
                // 2.9 ends the number at a digit too ("2m30s" is then an
                // error); 2.15 reads "2m30s" on as a string.
                let ends = is_nl(r)
                    || r == EOF
                    || r == '}'
                    || r == ';'
                    || r == ','
                    || is_whitespace(r)
                    || (self.dialect == Dialect::V2_9 && is_digit(r));
                if ends {
                    self.emit(ItemKind::Integer);
                    return self.pop();
                }
                self.string_state = St::Str;
                Some(St::Str)
            }
            St::DateAfterYear => {
                const FORMAT: &[char] = &[
                    '0', '0', '-', '0', '0', 'T', '0', '0', ':', '0', '0', ':', '0', '0', 'Z',
                ];
                for &f in FORMAT {
                    let r = self.next();
                    if f == '0' {
                        if !is_digit(r) {
                            return self.errorf(format!(
                                "expected a digit in the date (2006-01-02T15:04:05Z), found {}",
                                show(r)
                            ));
                        }
                    } else if f != r {
                        return self.errorf(format!(
                            "expected '{f}' in the date (2006-01-02T15:04:05Z), found {}",
                            show(r)
                        ));
                    }
                }
                self.emit(ItemKind::Datetime);
                self.pop()
            }
            St::NegNumber => {
                let r = self.next();
                if is_digit(r) {
                    return Some(St::NegNumber);
                }
                if r == '.' {
                    return Some(St::FloatStart);
                }
                if is_number_suffix(r) {
                    return Some(St::ConvenientNumber);
                }
                self.backup();
                self.emit(ItemKind::Integer);
                self.pop()
            }
            St::FloatStart => {
                let r = self.next();
                if !is_digit(r) {
                    return self.errorf(format!(
                        "expected a digit after the '.' of a float, found {}",
                        show(r)
                    ));
                }
                Some(St::Float)
            }
            St::Float => {
                let r = self.next();
                if is_digit(r) {
                    return Some(St::Float);
                }
                if r == '.' {
                    return Some(St::IpAddr);
                }
                self.backup();
                self.emit(ItemKind::Float);
                self.pop()
            }
            St::IpAddr => {
                let r = self.next();
                if is_digit(r) || r == '.' || r == ':' || r == '-' {
                    return Some(St::IpAddr);
                }
                self.backup();
                self.emit(ItemKind::String);
                self.pop()
            }
            St::CommentStart => {
                self.ignore();
                self.emit(ItemKind::CommentStart);
                Some(St::Comment)
            }
            St::Comment => {
                let r = self.peek();
                if is_nl(r) || r == EOF {
                    self.emit(ItemKind::Text);
                    return self.pop();
                }
                self.next();
                Some(St::Comment)
            }
        }
    }
}
