//! The nats-server configuration format, read as nats-server reads it.
//!
//! [`Reader`] follows nats-server's own lexer and parser (`conf/lex.go`,
//! `conf/parse.go`, in the pedantic mode that `nats-server -c` uses):
//! `key: value`, `key = value` and `key value`; maps and arrays with or
//! without commas; `#` and `//` comments; single- and double-quoted and bare
//! strings; `( ... )` blocks (a `)` alone on its line ends them); integers
//! with the size suffixes k/kb/ki/kib ... e/eb/ei/eib, floats, Zulu dates;
//! booleans `true/false/yes/no/on/off` in any case; `include PATH`, relative
//! to the including file's directory (an absolute path too, as Go's
//! `filepath.Join` does); and `$NAME` variables, looked up in the enclosing
//! maps, innermost first, then in the environment, whose value is parsed as a
//! value of its own. Its quirks are kept on purpose, because the question
//! this answers is "will nats-server take this file": `[1, 2]` is an error
//! (a number before `]` reads on as a string), `cluster{` is one key, a NUL
//! byte ends the input.
//!
//! Nothing here touches the disk or the environment: include files come in
//! through the caller's loader, and variables through the caller's lookup.
//! Every key and value keeps its file, line and column. Limits bound every
//! input: include depth and cycles, nesting depth, variable indirection,
//! file size and the bytes all includes add up to.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use thiserror::Error;
use time::OffsetDateTime;

mod lex;
pub mod model;
#[cfg(test)]
mod tests;

use lex::{Item, ItemKind, Lexer};

/// Which nats-server release's reading to follow where releases differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Dialect {
    /// nats-server 2.9 (Debian's 2.9.10): a top-level `{` is skipped and
    /// needs no `}`; a key with no value at the end of the file is
    /// dropped; an empty file is a valid config.
    V2_9,
    /// The current reading (checked against 2.15.1): a top-level `{`
    /// opens a block that `}` must close; a key with no value at the end
    /// of the file is an error; so is a config with no values at all; a
    /// size suffix followed by a digit (`2m30s`) reads on as a string.
    /// Which release between 2.10 and 2.15 brought each change is not
    /// checked here.
    #[default]
    V2_15,
}

impl Dialect {
    /// The reading for a release named `2.9`, `2.9.10`, `v2.15.1`...: 2.9
    /// and older read as [`Dialect::V2_9`], later ones as
    /// [`Dialect::V2_15`]. `None` for what is not a version.
    pub fn for_version(version: &str) -> Option<Dialect> {
        let v = version.trim().trim_start_matches('v');
        let mut parts = v.split('.');
        let major: u32 = parts.next()?.parse().ok()?;
        let minor: u32 = parts.next().map_or(Some(0), |m| m.parse().ok())?;
        if parts.next().is_some_and(|p| p.parse::<u32>().is_err()) {
            return None;
        }
        Some(if major < 2 || (major == 2 && minor <= 9) {
            Dialect::V2_9
        } else {
            Dialect::V2_15
        })
    }
}

/// Bounds on any input (nats-server has fewer; these are far above any
/// real configuration).
pub mod limits {
    /// Largest configuration file read.
    pub const MAX_FILE: usize = 16 * 1024 * 1024;
    /// Bytes all files and environment values of one read add up to
    /// (an include of an include twice at every level grows fast).
    pub const MAX_TOTAL: usize = 64 * 1024 * 1024;
    /// Includes nested deeper than this are refused.
    pub const MAX_INCLUDE_DEPTH: usize = 32;
    /// Maps and arrays nested deeper than this are refused.
    pub const MAX_NESTING: usize = 256;
    /// A variable whose value comes from the environment may refer to
    /// further environment variables this many levels deep.
    pub const MAX_ENV_DEPTH: usize = 16;
}

/// Where a key or value starts: the file (an index into
/// [`Config::files`]), its line and its column (1-based, in bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Pos {
    pub file: u32,
    pub line: u32,
    pub col: u32,
}

/// A parsed value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    String(String),
    Integer(i64),
    Float(f64),
    Bool(bool),
    Datetime(OffsetDateTime),
    Array(Arc<Vec<Node>>),
    Map(Arc<Map>),
}

impl Value {
    /// What kind of value this is, for messages ("expected a string, found
    /// an integer").
    pub fn kind(&self) -> &'static str {
        match self {
            Value::String(_) => "a string",
            Value::Integer(_) => "an integer",
            Value::Float(_) => "a float",
            Value::Bool(_) => "a boolean",
            Value::Datetime(_) => "a date",
            Value::Array(_) => "an array",
            Value::Map(_) => "a map",
        }
    }
}

/// A value and where it is written.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub value: Value,
    pub pos: Pos,
    /// Maps and arrays nested inside this value (0 for a scalar).
    depth: u16,
}

impl Node {
    fn scalar(value: Value, pos: Pos) -> Node {
        Node {
            value,
            pos,
            depth: 0,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_i64(&self) -> Option<i64> {
        match &self.value {
            Value::Integer(i) => Some(*i),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match &self.value {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    pub fn as_map(&self) -> Option<&Map> {
        match &self.value {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Array(a) => Some(a),
            _ => None,
        }
    }
}

/// One `key: value` of a map.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// The key as written (nats-server matches option names
    /// case-insensitively; the map itself keeps case, as Go's does).
    pub key: String,
    pub key_pos: Pos,
    pub value: Node,
    /// The entry was referred to as `$key`: nats-server then does not
    /// report it as an unknown option.
    pub used_as_variable: bool,
}

/// A map: entries in the order first written; writing a key again replaces
/// its value (as Go's map assignment does).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Map {
    entries: Vec<Entry>,
    index: HashMap<String, usize>,
}

impl Map {
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The entry whose key is exactly `key`.
    pub fn get(&self, key: &str) -> Option<&Entry> {
        self.index.get(key).and_then(|&i| self.entries.get(i))
    }

    /// Every entry whose key equals `key` ignoring ASCII case, in the order
    /// written. nats-server lowercases option names, so `Port` and `port`
    /// are the same option (and which one wins is up to Go's map order).
    pub fn get_all_ci<'m>(&'m self, key: &'m str) -> impl Iterator<Item = &'m Entry> + 'm {
        self.entries
            .iter()
            .filter(move |e| e.key.eq_ignore_ascii_case(key))
    }

    /// The last entry written whose key equals `key` ignoring ASCII case.
    pub fn get_ci<'m>(&'m self, key: &'m str) -> Option<&'m Entry> {
        self.get_all_ci(key).last()
    }

    fn set(&mut self, entry: Entry) {
        match self.index.get(&entry.key) {
            Some(&i) => {
                if let Some(slot) = self.entries.get_mut(i) {
                    *slot = entry;
                }
            }
            None => {
                self.index.insert(entry.key.clone(), self.entries.len());
                self.entries.push(entry);
            }
        }
    }

    fn get_mut(&mut self, key: &str) -> Option<&mut Entry> {
        match self.index.get(key) {
            Some(&i) => self.entries.get_mut(i),
            None => None,
        }
    }
}

/// A whole configuration: the top-level map and the files it was read from
/// (the first is the one asked for; [`Pos::file`] indexes this list).
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    pub root: Map,
    pub files: Vec<PathBuf>,
}

impl Config {
    /// The file a position is in.
    pub fn file(&self, pos: Pos) -> &Path {
        self.files
            .get(pos.file as usize)
            .map_or(Path::new(""), PathBuf::as_path)
    }

    /// `FILE:LINE:COL` for a position, as findings print it.
    pub fn locate(&self, pos: Pos) -> String {
        format!("{}:{}:{}", self.file(pos).display(), pos.line, pos.col)
    }
}

/// Why a configuration was refused, and where.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{}:{line}:{col}: {kind}", file.display())]
pub struct ConfError {
    /// The file as the caller or the including file named it.
    pub file: PathBuf,
    pub line: u32,
    pub col: u32,
    pub kind: ErrorKind,
}

/// What was wrong.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ErrorKind {
    /// The lexer met something it did not expect; the text says what it
    /// expected instead.
    #[error("{0}")]
    Syntax(String),
    #[error("integer '{0}' is out of range")]
    IntegerRange(String),
    #[error("expected an integer, found '{0}'")]
    BadInteger(String),
    #[error("float '{0}' is out of range")]
    FloatRange(String),
    #[error("expected a float, found '{0}'")]
    BadFloat(String),
    #[error("expected a Zulu date (2006-01-02T15:04:05Z), found '{0}'")]
    BadDatetime(String),
    #[error(
        "variable '${0}' is not defined above in this file nor in the environment; set it as \
         the node's environment does ({0}=... tlsctl nats check ...; the NATS Helm chart sets \
         SERVER_NAME to the pod's name)"
    )]
    VariableNotFound(String),
    #[error("variable '${name}' from the environment does not parse as a value: {reason}")]
    VariableParse { name: String, reason: String },
    #[error("variable '${0}' refers to itself through the environment")]
    VariableCycle(String),
    #[error(
        "environment variables refer to each other more than {} deep",
        limits::MAX_ENV_DEPTH
    )]
    VariableTooDeep,
    #[error("cannot read the include '{include}' ({}): {reason}", path.display())]
    IncludeUnreadable {
        include: String,
        path: PathBuf,
        reason: String,
    },
    #[error("include '{include}' includes itself ({})", chain.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(" -> "))]
    IncludeCycle {
        include: String,
        chain: Vec<PathBuf>,
    },
    #[error("includes are nested deeper than {}", limits::MAX_INCLUDE_DEPTH)]
    IncludeTooDeep,
    #[error("maps and arrays are nested deeper than {}", limits::MAX_NESTING)]
    TooDeep,
    #[error("the file is larger than {} bytes", limits::MAX_FILE)]
    FileTooLarge,
    #[error(
        "the files and includes add up to more than {} bytes",
        limits::MAX_TOTAL
    )]
    TotalTooLarge,
    #[error("expected a value for the key '{0}' before the end of the file")]
    KeyWithoutValue(String),
    #[error("the configuration has no values (nats-server 2.11 and later refuse it)")]
    Empty,
    #[error("internal parser state: {0}")]
    Internal(&'static str),
}

/// Supplies the bytes of a file (the configuration or an include), or why
/// it cannot. `store::conf` has the real-filesystem one.
pub type Loader<'a> = dyn FnMut(&Path) -> Result<Vec<u8>, String> + 'a;

/// Looks up an environment variable.
pub type EnvLookup<'a> = dyn Fn(&str) -> Option<String> + 'a;

/// Reads configurations: one loader for files, one lookup for variables.
pub struct Reader<'a> {
    loader: &'a mut Loader<'a>,
    env: &'a EnvLookup<'a>,
    dialect: Dialect,
}

impl<'a> Reader<'a> {
    pub fn new(loader: &'a mut Loader<'a>, env: &'a EnvLookup<'a>) -> Self {
        Reader {
            loader,
            env,
            dialect: Dialect::default(),
        }
    }

    pub fn dialect(mut self, dialect: Dialect) -> Self {
        self.dialect = dialect;
        self
    }

    /// Reads the configuration at `path` (through the loader) and its
    /// includes.
    pub fn read(&mut self, path: &Path) -> Result<Config, ConfError> {
        let bytes = (self.loader)(path).map_err(|reason| ConfError {
            file: path.to_path_buf(),
            line: 0,
            col: 0,
            kind: ErrorKind::IncludeUnreadable {
                include: path.display().to_string(),
                path: path.to_path_buf(),
                reason,
            },
        })?;
        self.read_bytes(path, &bytes)
    }

    /// Reads a configuration whose bytes the caller already has; `path`
    /// names it and anchors its relative includes.
    pub fn read_bytes(&mut self, path: &Path, bytes: &[u8]) -> Result<Config, ConfError> {
        let mut state = ReadState {
            loader: &mut *self.loader,
            env: self.env,
            dialect: self.dialect,
            files: Vec::new(),
            include_chain: Vec::new(),
            env_chain: Vec::new(),
            total: 0,
        };
        let root = state.parse_file(path, bytes, FileKind::Config)?;
        if self.dialect == Dialect::V2_15 && root.is_empty() {
            return Err(ConfError {
                file: path.to_path_buf(),
                line: 1,
                col: 1,
                kind: ErrorKind::Empty,
            });
        }
        Ok(Config {
            root,
            files: state.files,
        })
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum FileKind {
    Config,
    /// The value of an environment variable, parsed as `pk=VALUE`.
    Env,
}

struct ReadState<'r, 'a> {
    loader: &'r mut Loader<'a>,
    env: &'r EnvLookup<'a>,
    dialect: Dialect,
    files: Vec<PathBuf>,
    include_chain: Vec<PathBuf>,
    env_chain: Vec<String>,
    total: usize,
}

/// Line starts of one file, to turn byte offsets into line and column.
struct Lines {
    starts: Vec<usize>,
}

impl Lines {
    fn new(input: &[u8]) -> Lines {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', input).map(|i| i + 1));
        Lines { starts }
    }

    fn at(&self, offset: usize) -> (u32, u32) {
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let start = self.starts.get(line - 1).copied().unwrap_or(0);
        (
            u32::try_from(line).unwrap_or(u32::MAX),
            u32::try_from(offset.saturating_sub(start) + 1).unwrap_or(u32::MAX),
        )
    }
}

enum Ctx {
    Map(Map, Pos),
    Array(Vec<Node>, Pos, u16),
}

/// Go's `filepath.Join(dir, name)` on Unix: joined, then cleaned
/// lexically. An absolute `name` does not restart the path.
pub fn go_join(dir: &Path, name: &str) -> PathBuf {
    let joined = format!("{}/{}", dir.display(), name);
    PathBuf::from(go_clean(&joined))
}

/// Go's `filepath.Dir`: the path without its last element, cleaned; `.` for
/// a bare file name.
pub fn go_dir(path: &Path) -> PathBuf {
    let s = path.display().to_string();
    let dir = match s.rfind('/') {
        Some(i) => &s[..=i],
        None => "",
    };
    PathBuf::from(go_clean(dir))
}

fn go_clean(path: &str) -> String {
    let rooted = path.starts_with('/');
    let mut out: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if out.last().is_some_and(|p| *p != "..") {
                    out.pop();
                } else if !rooted {
                    out.push("..");
                }
            }
            p => out.push(p),
        }
    }
    let body = out.join("/");
    match (rooted, body.is_empty()) {
        (true, _) => format!("/{body}"),
        (false, true) => ".".to_string(),
        (false, false) => body,
    }
}

fn lossy(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

impl ReadState<'_, '_> {
    fn parse_file(&mut self, path: &Path, input: &[u8], kind: FileKind) -> Result<Map, ConfError> {
        let err_at = |line: u32, col: u32, kind: ErrorKind| ConfError {
            file: path.to_path_buf(),
            line,
            col,
            kind,
        };
        if input.len() > limits::MAX_FILE {
            return Err(err_at(0, 0, ErrorKind::FileTooLarge));
        }
        self.total = self.total.saturating_add(input.len());
        if self.total > limits::MAX_TOTAL {
            return Err(err_at(0, 0, ErrorKind::TotalTooLarge));
        }
        let file = u32::try_from(self.files.len()).unwrap_or(u32::MAX);
        self.files.push(path.to_path_buf());
        let lines = Lines::new(input);
        let pos_of = |offset: usize| {
            let (line, col) = lines.at(offset);
            Pos { file, line, col }
        };
        let err = |offset: usize, kind: ErrorKind| {
            let (line, col) = lines.at(offset);
            err_at(line, col, kind)
        };
        let dir = match kind {
            FileKind::Config => go_dir(path),
            FileKind::Env => PathBuf::from("."),
        };

        let mut lexer = Lexer::new(input, self.dialect);
        let mut ctxs: Vec<Ctx> = vec![Ctx::Map(Map::default(), pos_of(0))];
        let mut keys: Vec<(String, Pos)> = Vec::new();
        // The last item before the end, when it was a key: nats-server
        // 2.11+ refuses a key left without a value.
        let mut prev_key: Option<(Vec<u8>, usize)> = None;

        loop {
            let item = lexer
                .next_item()
                .map_err(|e| err(e.offset, ErrorKind::Syntax(e.message)))?;
            if item.kind == ItemKind::Eof {
                if let Some((val, offset)) = &prev_key
                    && self.dialect == Dialect::V2_15
                    && val.as_slice() != b"}"
                {
                    return Err(err(*offset, ErrorKind::KeyWithoutValue(lossy(val))));
                }
                break;
            }
            let pos = pos_of(item.offset);
            prev_key = (item.kind == ItemKind::Key).then(|| (item.val.clone(), item.offset));
            let Item {
                kind: ik,
                val,
                offset,
            } = item;
            let value = match ik {
                ItemKind::Eof | ItemKind::Text | ItemKind::CommentStart => continue,
                ItemKind::Key => {
                    keys.push((lossy(&val), pos));
                    continue;
                }
                ItemKind::MapStart => {
                    if ctxs.len() > limits::MAX_NESTING {
                        return Err(err(offset, ErrorKind::TooDeep));
                    }
                    ctxs.push(Ctx::Map(Map::default(), pos));
                    continue;
                }
                ItemKind::ArrayStart => {
                    if ctxs.len() > limits::MAX_NESTING {
                        return Err(err(offset, ErrorKind::TooDeep));
                    }
                    ctxs.push(Ctx::Array(Vec::new(), pos, 0));
                    continue;
                }
                ItemKind::MapEnd | ItemKind::ArrayEnd => {
                    if ctxs.len() < 2 {
                        return Err(err(offset, ErrorKind::Internal("context stack empty")));
                    }
                    match ctxs.pop() {
                        Some(Ctx::Map(m, p)) => {
                            let depth = m
                                .entries
                                .iter()
                                .map(|e| e.value.depth)
                                .max()
                                .unwrap_or(0)
                                .saturating_add(1);
                            Node {
                                value: Value::Map(Arc::new(m)),
                                pos: p,
                                depth,
                            }
                        }
                        Some(Ctx::Array(a, p, d)) => Node {
                            value: Value::Array(Arc::new(a)),
                            pos: p,
                            depth: d.saturating_add(1),
                        },
                        None => {
                            return Err(err(offset, ErrorKind::Internal("context stack empty")));
                        }
                    }
                }
                ItemKind::String => Node::scalar(Value::String(lossy(&val)), pos),
                ItemKind::Integer => match parse_integer(&val) {
                    Ok(Some(i)) => Node::scalar(Value::Integer(i), pos),
                    // An unknown suffix ("1kbb"): parse.go sets no value
                    // and leaves the key on its stack.
                    Ok(None) => continue,
                    Err(kind) => return Err(err(offset, kind)),
                },
                ItemKind::Float => match parse_float(&val) {
                    Ok(f) => Node::scalar(Value::Float(f), pos),
                    Err(kind) => return Err(err(offset, kind)),
                },
                ItemKind::Bool => {
                    let b = matches!(
                        val.to_ascii_lowercase().as_slice(),
                        b"true" | b"yes" | b"on"
                    );
                    Node::scalar(Value::Bool(b), pos)
                }
                ItemKind::Datetime => match parse_datetime(&val) {
                    Some(t) => Node::scalar(Value::Datetime(t), pos),
                    None => return Err(err(offset, ErrorKind::BadDatetime(lossy(&val)))),
                },
                ItemKind::Variable => {
                    let name = lossy(&val);
                    match self.lookup_variable(&mut ctxs, &name, pos) {
                        Ok(Some(node)) => node,
                        Ok(None) => return Err(err(offset, ErrorKind::VariableNotFound(name))),
                        Err(kind) => return Err(err(offset, kind)),
                    }
                }
                ItemKind::Include => {
                    let include = lossy(&val);
                    let target = go_join(&dir, &include);
                    let included = self.include(&include, &target).map_err(|e| match e {
                        IncludeFailure::Here(kind) => err(offset, kind),
                        IncludeFailure::Inside(e) => e,
                    })?;
                    for entry in included.entries {
                        keys.push((entry.key, entry.key_pos));
                        set_value(&mut ctxs, &mut keys, entry.value, entry.used_as_variable)
                            .map_err(|k| err(offset, k))?;
                    }
                    continue;
                }
            };
            if value.depth as usize > limits::MAX_NESTING {
                return Err(err(offset, ErrorKind::TooDeep));
            }
            set_value(&mut ctxs, &mut keys, value, false).map_err(|k| err(offset, k))?;
        }
        match ctxs.into_iter().next() {
            Some(Ctx::Map(m, _)) => Ok(m),
            _ => Err(err_at(0, 0, ErrorKind::Internal("root is not a map"))),
        }
    }

    fn include(&mut self, include: &str, target: &Path) -> Result<Map, IncludeFailure> {
        if self.include_chain.iter().any(|p| p == target) {
            let mut chain = self.include_chain.clone();
            chain.push(target.to_path_buf());
            return Err(IncludeFailure::Here(ErrorKind::IncludeCycle {
                include: include.to_string(),
                chain,
            }));
        }
        if self.include_chain.len() >= limits::MAX_INCLUDE_DEPTH {
            return Err(IncludeFailure::Here(ErrorKind::IncludeTooDeep));
        }
        let bytes = (self.loader)(target).map_err(|reason| {
            IncludeFailure::Here(ErrorKind::IncludeUnreadable {
                include: include.to_string(),
                path: target.to_path_buf(),
                reason,
            })
        })?;
        self.include_chain.push(target.to_path_buf());
        let result = self.parse_file(target, &bytes, FileKind::Config);
        self.include_chain.pop();
        result.map_err(IncludeFailure::Inside)
    }

    /// parse.go's lookupVariable: a bcrypt hash (`$2a$...`) is a string;
    /// otherwise the enclosing maps, innermost first, then the environment.
    fn lookup_variable(
        &mut self,
        ctxs: &mut [Ctx],
        name: &str,
        pos: Pos,
    ) -> Result<Option<Node>, ErrorKind> {
        if name.starts_with("2a$") {
            return Ok(Some(Node::scalar(Value::String(format!("${name}")), pos)));
        }
        for ctx in ctxs.iter_mut().rev() {
            if let Ctx::Map(m, _) = ctx
                && let Some(entry) = m.get_mut(name)
            {
                entry.used_as_variable = true;
                let mut node = entry.value.clone();
                node.pos = pos;
                return Ok(Some(node));
            }
        }
        if self.env_chain.iter().any(|n| n == name) {
            return Err(ErrorKind::VariableCycle(name.to_string()));
        }
        if self.env_chain.len() >= limits::MAX_ENV_DEPTH {
            return Err(ErrorKind::VariableTooDeep);
        }
        let Some(text) = (self.env)(name) else {
            return Ok(None);
        };
        let data = format!("pk={text}");
        self.env_chain.push(name.to_string());
        let parsed = self.parse_file(
            Path::new(&format!("${name}")),
            data.as_bytes(),
            FileKind::Env,
        );
        self.env_chain.pop();
        match parsed {
            Ok(map) => Ok(map.get("pk").map(|e| {
                let mut node = e.value.clone();
                node.pos = pos;
                node
            })),
            Err(e) => match e.kind {
                ErrorKind::VariableCycle(_) | ErrorKind::VariableTooDeep => Err(e.kind),
                _ if self.dialect == Dialect::V2_9 => Ok(None),
                _ => Err(ErrorKind::VariableParse {
                    name: name.to_string(),
                    reason: e.kind.to_string(),
                }),
            },
        }
    }
}

enum IncludeFailure {
    /// The include itself failed (unreadable, cycle, too deep).
    Here(ErrorKind),
    /// The included file has an error of its own, with its own position.
    Inside(ConfError),
}

/// parse.go's setValue: appended to an array, or set in a map under the
/// key on top of the key stack.
fn set_value(
    ctxs: &mut [Ctx],
    keys: &mut Vec<(String, Pos)>,
    value: Node,
    used: bool,
) -> Result<(), ErrorKind> {
    match ctxs.last_mut() {
        Some(Ctx::Array(a, _, depth)) => {
            *depth = (*depth).max(value.depth);
            a.push(value);
            Ok(())
        }
        Some(Ctx::Map(m, _)) => {
            let (key, key_pos) = keys.pop().ok_or(ErrorKind::Internal("key stack empty"))?;
            m.set(Entry {
                key,
                key_pos,
                value,
                used_as_variable: used,
            });
            Ok(())
        }
        None => Err(ErrorKind::Internal("context stack empty")),
    }
}

/// parse.go's integer rule: the leading digits (and '-') as a decimal
/// int64, then a case-insensitive size suffix. `Ok(None)` for a suffix
/// parse.go does not know, which sets no value at all.
fn parse_integer(val: &[u8]) -> Result<Option<i64>, ErrorKind> {
    let text = lossy(val);
    let digits_end = text
        .char_indices()
        .find(|&(_, c)| !(lex::is_digit(c) || c == '-'))
        .map_or(text.len(), |(i, _)| i);
    let digits = &text[..digits_end];
    if !digits.is_ascii() {
        return Err(ErrorKind::BadInteger(text));
    }
    let num: i64 = match digits.parse::<i64>() {
        Ok(n) => n,
        Err(e) => {
            return Err(match e.kind() {
                std::num::IntErrorKind::PosOverflow | std::num::IntErrorKind::NegOverflow => {
                    ErrorKind::IntegerRange(text)
                }
                _ => ErrorKind::BadInteger(text),
            });
        }
    };
    let suffix = text[digits_end..].trim().to_ascii_lowercase();
    let (base, power): (i64, u32) = match suffix.as_str() {
        "" => (1, 0),
        "k" => (1000, 1),
        "kb" | "ki" | "kib" => (1024, 1),
        "m" => (1000, 2),
        "mb" | "mi" | "mib" => (1024, 2),
        "g" => (1000, 3),
        "gb" | "gi" | "gib" => (1024, 3),
        "t" => (1000, 4),
        "tb" | "ti" | "tib" => (1024, 4),
        "p" => (1000, 5),
        "pb" | "pi" | "pib" => (1024, 5),
        "e" => (1000, 6),
        "eb" | "ei" | "eib" => (1024, 6),
        _ => return Ok(None),
    };
    // Go's int64 multiplication wraps; so does this.
    let mut n = num;
    for _ in 0..power {
        n = n.wrapping_mul(base);
    }
    Ok(Some(n))
}

fn parse_float(val: &[u8]) -> Result<f64, ErrorKind> {
    let text = lossy(val);
    if !text.is_ascii() {
        return Err(ErrorKind::BadFloat(text));
    }
    match text.parse::<f64>() {
        Ok(f) if f.is_finite() => Ok(f),
        Ok(_) => Err(ErrorKind::FloatRange(text)),
        Err(_) => Err(ErrorKind::BadFloat(text)),
    }
}

/// Go's `time.Parse("2006-01-02T15:04:05Z", s)`: ASCII digits, a real
/// calendar day, hours below 24, minutes and seconds below 60.
fn parse_datetime(val: &[u8]) -> Option<OffsetDateTime> {
    let s = std::str::from_utf8(val).ok()?;
    if !s.is_ascii() || s.len() != 20 {
        return None;
    }
    let num = |r: std::ops::Range<usize>| s.get(r)?.parse::<u32>().ok();
    let year = i32::try_from(num(0..4)?).ok()?;
    let month = time::Month::try_from(u8::try_from(num(5..7)?).ok()?).ok()?;
    let day = u8::try_from(num(8..10)?).ok()?;
    let date = time::Date::from_calendar_date(year, month, day).ok()?;
    let t = time::Time::from_hms(
        u8::try_from(num(11..13)?).ok()?,
        u8::try_from(num(14..16)?).ok()?,
        u8::try_from(num(17..19)?).ok()?,
    )
    .ok()?;
    Some(time::PrimitiveDateTime::new(date, t).assume_utc())
}

impl fmt::Display for Pos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.col)
    }
}
