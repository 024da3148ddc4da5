//! The nats-server config reader (`pki::natsconf`) on a generated corpus
//! and on arbitrary bytes: it never panics, never hangs, and judges the
//! corpus the same way whatever loader reads it. The same corpus is the
//! oracle's (tests/cli/interop_natsconf.rs), where the real servers judge it.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use proptest::prelude::*;

use tlsctl::pki::natsconf::{ConfError, Config, Dialect, Map, Reader, Value};

/// One generated configuration: the main file, files beside it (paths
/// relative to its directory) and the environment it is read with.
#[derive(Debug, Clone)]
pub struct Case {
    pub name: String,
    pub main: Vec<u8>,
    pub files: Vec<(String, Vec<u8>)>,
    pub env: Vec<(String, String)>,
    /// Slow for nats-server (it recurses until its stack overflows).
    pub slow: bool,
}

fn case(name: impl Into<String>, main: impl Into<Vec<u8>>) -> Case {
    Case {
        name: name.into(),
        main: main.into(),
        files: Vec::new(),
        env: Vec::new(),
        slow: false,
    }
}

impl Case {
    fn file(mut self, path: &str, text: &str) -> Case {
        self.files
            .push((path.to_string(), text.as_bytes().to_vec()));
        self
    }

    fn env(mut self, k: &str, v: &str) -> Case {
        self.env.push((k.to_string(), v.to_string()));
        self
    }

    fn slow(mut self) -> Case {
        self.slow = true;
        self
    }

    /// Reads the case with the library, from an in-memory file system
    /// rooted at `dir` (where the oracle writes the same files).
    pub fn read(&self, dir: &Path, dialect: Dialect) -> Result<Config, ConfError> {
        let mut fs: HashMap<PathBuf, Vec<u8>> = HashMap::new();
        fs.insert(dir.join("main.conf"), self.main.clone());
        for (p, b) in &self.files {
            fs.insert(dir.join(p), b.clone());
        }
        let env: HashMap<String, String> = self.env.iter().cloned().collect();
        let mut loader = |p: &Path| -> Result<Vec<u8>, String> {
            fs.get(p).cloned().ok_or("no such file".into())
        };
        let lookup = |n: &str| env.get(n).cloned();
        let mut reader = Reader::new(&mut loader, &lookup).dialect(dialect);
        reader.read(&dir.join("main.conf"))
    }
}

const SEPS: &[&str] = &[": ", " = ", " ", ":", "=", " : ", "\t"];
const TERMS: &[&str] = &["\n", ";\n", ",\n", "\r\n", " # note\n", " // note\n", "; "];
const MTERMS: &[&str] = &["\n", ", ", "; ", ",\n", "\n\n", " # in map\n"];
const SIZES: &[&str] = &[
    "1048576", "1MB", "1mb", "1024KB", "1Mi", "1MiB", "2m", "512kb", "1024k",
];
const BOOLS: &[&str] = &["true", "TRUE", "yes", "on", "false", "No", "OFF", "Yes"];
/// ping_interval takes a duration string only: a bare `2m` is the integer
/// 2000000 and `120` an integer, both refused (see the edge cases).
const DURATIONS: &[&str] = &[
    "\"2m\"", "10s", "30s", "'1m'", "\"1h\"", "2m30s", "1m5s", "\"90s\"",
];
const MAP_OPEN: &[&str] = &[" {", ": {", " = {", " {\n", "={"];

fn pick<'a>(list: &[&'a str], i: usize, stride: usize) -> &'a str {
    list[(i * stride + stride / 3) % list.len()]
}

/// A string value in one of the three quotings.
fn q(s: &str, style: usize) -> String {
    match style % 3 {
        0 => s.to_string(),
        1 => format!("\"{s}\""),
        _ => format!("'{s}'"),
    }
}

/// A valid configuration, from options both nats-server releases know,
/// written in variant `i` of the syntax.
fn valid(i: usize) -> Case {
    let sep = pick(SEPS, i, 1);
    let term = pick(TERMS, i, 3);
    let mterm = pick(MTERMS, i, 5);
    let quote = i / 2;
    let use_vars = i % 4 == 1;
    let json = i % 17 == 3;
    let mut text = String::new();
    if json {
        let mut c = case(
            format!("valid-{i}-json"),
            format!(
                "{{\n  \"port\": {},\n  \"server_name\": \"n{i}\",\n  \"debug\": {},\n  \"cluster\": {{ \"name\": \"c1\", \"port\": 6222, \"routes\": [\"nats://127.0.0.1:6223\", \"nats://127.0.0.1:6224\" ] }}\n}}\n",
                4222 + i,
                pick(BOOLS, i, 7)
            ),
        );
        if i.is_multiple_of(2) {
            c.main.retain(|b| *b != b'\n');
        }
        return c;
    }
    match i % 3 {
        0 => text.push_str("# generated\n"),
        1 => text.push_str("// generated\n\n"),
        _ => {}
    }
    if use_vars {
        text.push_str(&format!("SRV{sep}{}{term}", q(&format!("n{i}"), quote)));
        text.push_str(&format!("CL{sep}c{i}{term}"));
    }
    text.push_str(&format!("port{sep}{}{term}", 4222 + i));
    text.push_str(&format!("host{sep}{}{term}", q("127.0.0.1", quote + 1)));
    if use_vars {
        text.push_str(&format!("server_name{sep}$SRV{term}"));
    } else {
        text.push_str(&format!(
            "server_name{sep}{}{term}",
            q(&format!("n{i}"), quote)
        ));
    }
    text.push_str(&format!("max_payload{sep}{}{term}", pick(SIZES, i, 7)));
    text.push_str(&format!("debug{sep}{}{term}", pick(BOOLS, i, 5)));
    text.push_str(&format!(
        "ping_interval{sep}{}{term}",
        pick(DURATIONS, i, 3)
    ));
    if i % 5 != 4 {
        let open = pick(MAP_OPEN, i, 2);
        let name = if use_vars {
            "$CL".to_string()
        } else {
            q("c1", quote + 2)
        };
        let r1 = q("nats://127.0.0.1:6223", quote);
        let r2 = q("nats://127.0.0.1:6224", quote + 1);
        let routes = match i % 4 {
            0 => format!("[{r1}, {r2} ]"),
            1 => format!("[\n    {r1}\n    {r2}\n  ]"),
            2 => format!("[ {r1} # first\n  {r2},\n  ]"),
            _ => format!("[{r1},{r2}]"),
        };
        text.push_str(&format!(
            "cluster{open}\n  name{sep}{name}{mterm}  port{sep}6222{mterm}  routes{sep}{routes}{mterm}}}\n"
        ));
    }
    let mut c = case(format!("valid-{i}"), text);
    match i % 6 {
        0 => {
            c = c.file(
                "inc/auth.conf",
                "authorization {\n  user: admin\n  password: \"s3cr3t\"\n  timeout: 1.5\n}\n",
            );
            let inc = [
                "include inc/auth.conf\n",
                "include \"inc/auth.conf\"\n",
                "INCLUDE 'inc/auth.conf'\n",
            ][i % 3];
            c.main.extend_from_slice(inc.as_bytes());
        }
        1 => {
            c.main.extend_from_slice(
                format!(
                    "authorization{}\n  user{sep}{}\n  password{sep}(\nline\n)\n}}\n",
                    pick(MAP_OPEN, i, 1),
                    q("admin", quote)
                )
                .as_bytes(),
            );
        }
        2 => {
            c = c.env("TLSCTL_NC_MAXCONN", ["100", "1k", "\"250\""][i % 3]);
            c.main.extend_from_slice(
                format!("max_connections{sep}$TLSCTL_NC_MAXCONN{term}").as_bytes(),
            );
        }
        3 => {
            c = c.file("inc/leaf.conf", "port: 7422\n");
            c.main
                .extend_from_slice(b"leafnodes {\n  include inc/leaf.conf\n}\n");
        }
        _ => {}
    }
    c
}

/// Syntax errors, one per mutation, applied to a valid configuration.
fn mutated(i: usize, m: usize) -> Case {
    let base = valid(i);
    let text = String::from_utf8_lossy(&base.main).into_owned();
    let mut c = base.clone();
    let name = |what: &str| format!("invalid-{i}-{what}");
    let set = |c: &mut Case, what: &str, t: String| {
        c.name = name(what);
        c.main = t.into_bytes();
    };
    match m {
        0 => match text.rfind('}') {
            Some(at) => set(
                &mut c,
                "unclosed-map",
                format!("{}{}", &text[..at], &text[at + 1..]),
            ),
            None => set(
                &mut c,
                "unclosed-map",
                format!("{text}cluster {{ name: x\n"),
            ),
        },
        1 => match text.find(']') {
            Some(at) => set(
                &mut c,
                "unclosed-array",
                format!("{}{}", &text[..at], &text[at + 1..]),
            ),
            None => set(
                &mut c,
                "unclosed-array",
                format!("{text}cluster {{ routes: [ \"nats://a:1\"\n}}\n"),
            ),
        },
        2 => set(
            &mut c,
            "unclosed-dquote",
            format!("{text}host: \"127.0.0.1\n"),
        ),
        3 => set(&mut c, "separator-first", format!("= 5\n{text}")),
        4 => set(&mut c, "two-values", format!("{text}port: 4222 4223\n")),
        5 => set(
            &mut c,
            "bad-escape",
            format!("{text}server_name: \"bad\\q\"\n"),
        ),
        6 => set(&mut c, "float-dot", format!("{text}max_payload: .5\n")),
        7 => set(
            &mut c,
            "unclosed-block",
            format!("{text}server_name: (\nnever closed\n"),
        ),
        8 => set(
            &mut c,
            "undefined-variable",
            format!("{text}server_name: $TLSCTL_NC_UNDEFINED\n"),
        ),
        9 => set(
            &mut c,
            "missing-include",
            format!("{text}include inc/missing.conf\n"),
        ),
        10 => set(
            &mut c,
            "integer-range",
            format!("{text}max_payload: 99999999999999999999\n"),
        ),
        11 => set(&mut c, "short-date", format!("{text}port: 2024-01-01\n")),
        12 => set(&mut c, "lone-slash", format!("/ oops\n{text}")),
        13 => set(&mut c, "include-array", format!("{text}include [x]\n")),
        14 => set(
            &mut c,
            "bracket-in-map",
            format!("{text}cluster {{ name: c1 ] }}\n"),
        ),
        15 => {
            let mut b = text.into_bytes();
            b.extend_from_slice(b"\n\0\n");
            c.name = name("nul-line");
            c.main = b;
        }
        16 => set(
            &mut c,
            "int-before-bracket",
            format!("{text}cluster {{ routes: [1, 2] }}\n"),
        ),
        17 => set(&mut c, "unclosed-squote", format!("{text}host: '127.0.0.1")),
        18 => set(&mut c, "map-at-eof", format!("{text}leafnodes {{")),
        19 => set(&mut c, "trailing-key", format!("{text}debug")),
        20 => set(
            &mut c,
            "double-comma",
            format!("{text}authorization {{ user: a,, password: b }}\n"),
        ),
        21 => set(
            &mut c,
            "bad-hex",
            format!("{text}server_name: \"x\\xZ1\"\n"),
        ),
        22 => set(&mut c, "value-newline", format!("{text}port:\n4222\n")),
        23 => set(
            &mut c,
            "unknown-option",
            format!("{text}no_such_option: 1\n"),
        ),
        24 => set(&mut c, "wrong-type", format!("{text}debug: \"true\"\n")),
        25 => set(&mut c, "quoted-key-eof", format!("{text}\"port")),
        26 => set(&mut c, "unused-variable", format!("UNUSED = 1\n{text}")),
        _ => set(&mut c, "map-key-eof", format!("{text}cluster {{ name")),
    }
    c
}

const MUTATIONS: usize = 28;

/// Hand-written cases: each rule of the format, the quirks, and where
/// 2.9 and 2.15 differ.
fn edge_cases() -> Vec<Case> {
    let bcrypt = "$2a$11$W2zko751KUvVy59mUTWmpOdWjpEm5qhcCZRd05GjI/sSOT.xtiHyG";
    vec![
        case("empty", ""),
        case("only-comment", "# nothing here\n"),
        case("empty-braces", "{}"),
        case("open-top-brace", "{ port: 4222"),
        case("closed-top-brace", "{ port: 4222 }"),
        case("double-top-brace", "{{ port: 4222 }}"),
        case("lone-close-brace", "port: 4222\n}"),
        case("close-brace-then-key", "port: 4222\n}\nhost: x"),
        case("brace-semicolon", "{ port: 4222 }; host: \"a\""),
        case("nul-after-value", b"port: 4222\0\n".to_vec()),
        case("nul-then-garbage", b"port: 4222\0garbage {".to_vec()),
        case("nul-after-key", b"port\0: 4222".to_vec()),
        case("duration-compound", "ping_interval: 2m30s"),
        case("duration-quoted", "ping_interval: \"2m30s\""),
        case("duration-bare-size", "ping_interval: 2m"),
        case("duration-integer", "ping_interval: 120"),
        case("size-then-digit", "server_name: 1kb5"),
        case("unknown-suffix", "port: 4222\nmax_payload: 1kbb"),
        case("number-then-quote", "server_name: 12'"),
        case("ip-then-letter", "server_name: 10.0.0.1x"),
        case("float-then-letter", "server_name: 1.5x"),
        case("brace-glued-key", "cluster{name: x}"),
        case("include-colon-is-a-key", "include: x"),
        case("quoted-keys", "\"port\": 4222\n'host' = \"127.0.0.1\""),
        case(
            "bcrypt",
            format!("authorization {{ user: a, password: {bcrypt} }}"),
        ),
        case(
            "nested-scope-variable",
            "cluster { CN = c9; name: $CN, port: 6222 }",
        ),
        case(
            "outer-scope-variable",
            "CN = c9\ncluster { name: $CN, port: 6222 }",
        ),
        case("variable-after-use", "server_name: $S\nS = n1"),
        case("variable-case", "S = n1\nserver_name: $s"),
        case(
            "crlf",
            "port: 4222\r\nserver_name: n1\r\ncluster {\r\n  name: c1\r\n  port: 6222\r\n}\r\n",
        ),
        case("tabs", "port\t4222\ncluster\t{\n\tname\tc1\n}\n"),
        case("unicode-string", "server_name: \"nœud-1\""),
        case("arabic-digits", "port: \u{664}\u{662}\u{662}\u{662}"),
        case("negative-port", "port: -1"),
        case(
            "auth-float-timeout",
            "authorization { user: a, password: b, timeout: 0.5 }",
        ),
        case("bad-date", "port: 2023-02-29T00:00:00Z"),
        case("one-line", "port 4222; host 127.0.0.1; server_name n1"),
        case(
            "trailing-comma-array",
            "cluster { name: c1, routes: [ \"nats://127.0.0.1:6223\", ] }",
        ),
        case(
            "array-leading-comma",
            "cluster { name: c1, routes: [ , \"nats://127.0.0.1:6223\" ] }",
        ),
        case("map-comma-key", "cluster { , }"),
        case("key-without-value-in-map", "cluster { name }"),
        case(
            "block-at-eof",
            "authorization { user: a\npassword: (\nsecret\n)\n}",
        ),
        case(
            "block-paren-not-alone",
            "authorization { user: a\npassword: (\nsecret )\n)\n}",
        ),
        case("escapes", "server_name: \"a\\tb\\x41\""),
        case("single-quote-no-escapes", "server_name: 'a\\q'"),
        case("include-abs", "include /etc/abs.conf").file("etc/abs.conf", "port: 4222\n"),
        case("include-relative-chain", "include a/one.conf")
            .file("a/one.conf", "port: 4222\ninclude ../b/two.conf\n")
            .file("b/two.conf", "server_name: n2\n"),
        case("include-no-var-scope", "S = n1\ninclude a.conf").file("a.conf", "server_name: $S\n"),
        case("include-defines-var", "include vars.conf\nserver_name: $S")
            .file("vars.conf", "S = n1\n"),
        case("include-unclosed-quote", "include \"a.conf"),
        case("include-error-inside", "include a.conf").file("a.conf", "port: [\n"),
        case("include-empty-file", "port: 4222\ninclude e.conf").file("e.conf", ""),
        case("env-number", "max_connections: $TLSCTL_NC_N").env("TLSCTL_NC_N", "5k"),
        case("env-string", "server_name: $TLSCTL_NC_S").env("TLSCTL_NC_S", "n-env"),
        case("env-unparsable", "server_name: $TLSCTL_NC_S").env("TLSCTL_NC_S", "\"open"),
        case("env-map", "cluster: $TLSCTL_NC_C").env("TLSCTL_NC_C", "{ name: c1, port: 6222 }"),
        case("env-nested", "server_name: $TLSCTL_NC_A")
            .env("TLSCTL_NC_A", "$TLSCTL_NC_B")
            .env("TLSCTL_NC_B", "n-deep"),
        case("include-self", "port: 4222\ninclude main.conf").slow(),
        case("include-cycle", "include a.conf")
            .file("a.conf", "include b.conf\n")
            .file("b.conf", "port: 4222\ninclude a.conf\n")
            .slow(),
    ]
}

/// A small deterministic generator (xorshift), so the corpus is the same
/// on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 11) as usize
    }

    fn pick<'a>(&mut self, list: &[&'a str]) -> &'a str {
        list[self.next() % list.len()]
    }
}

/// Random token soup: options the servers know with well-typed values,
/// strung together with random separators, terminators, brackets, quotes
/// and comments, so that syntax, not option checks, decides most of them.
fn soup(i: usize) -> Case {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ (i as u64 + 1).wrapping_mul(0x2545_F491_4F6C_DD1D));
    const SEP: &[&str] = &[": ", " = ", " ", ":", "=", "", " :"];
    const END: &[&str] = &[
        "\n", ";", ",", " ", "\n\n", " # c\n", " // c\n", "}", "\r\n", "",
    ];
    const NOISE: &[&str] = &[
        "{", "}", "[", "]", "\"", "'", "(", ")", "\n)\n", ",", ";", "#", "/", "$V", "=", ":", "\\",
        "\0",
    ];
    let mut text = String::new();
    if rng.next().is_multiple_of(8) {
        text.push_str("{ ");
    }
    let items = 1 + rng.next() % 6;
    for _ in 0..items {
        let (key, value) = match rng.next() % 9 {
            0 => (
                "port",
                rng.pick(&["4222", "-1", "4_222", "4222.0", "\"4222\""]),
            ),
            1 => (
                "server_name",
                rng.pick(&[
                    "n1",
                    "\"n1\"",
                    "'n1'",
                    "n-1",
                    "\"n 1\"",
                    "n1x",
                    "(\nn1\n)\n",
                ]),
            ),
            2 => (
                "debug",
                rng.pick(&["true", "false", "yes", "Off", "\"true\"", "1"]),
            ),
            3 => (
                "max_payload",
                rng.pick(&[
                    "1MB",
                    "1mb",
                    "1024",
                    "1kb5",
                    "1k",
                    "2m30s",
                    "99999999999999999999",
                ]),
            ),
            4 => (
                "host",
                rng.pick(&["127.0.0.1", "\"127.0.0.1\"", "localhost", "'::1'"]),
            ),
            5 => (
                "ping_interval",
                rng.pick(&["\"2m\"", "2m", "30s", "2m30s", "'1m'", "120"]),
            ),
            6 => (
                "cluster",
                rng.pick(&[
                    "{ name: c1 }",
                    "{ name: c1, port: 6222 }",
                    "{name: c1\nroutes: [nats://127.0.0.1:6223]}",
                    "{ routes: [ \"nats://127.0.0.1:6223\", ] }",
                    "{}",
                    "{ port: 6222 ]",
                ]),
            ),
            7 => (
                "authorization",
                rng.pick(&[
                    "{ user: a, password: b }",
                    "{ user: a; password: 'b' }",
                    "{ user = a\n password = \"b\" }",
                    "{ timeout: 1.5 }",
                ]),
            ),
            _ => (
                "leafnodes",
                rng.pick(&[
                    "{ port: 7422 }",
                    "{ port = 7422; }",
                    "{ listen: \"127.0.0.1:7422\" }",
                ]),
            ),
        };
        text.push_str(key);
        text.push_str(rng.pick(SEP));
        text.push_str(value);
        if rng.next().is_multiple_of(5) {
            text.push_str(rng.pick(NOISE));
        }
        text.push_str(rng.pick(END));
    }
    if rng.next().is_multiple_of(8) {
        text.push_str(" }");
    }
    case(format!("soup-{i}"), text)
}

/// The whole corpus: valid variants, their mutations, the edge cases and
/// the token soup.
pub fn corpus() -> Vec<Case> {
    let mut all = Vec::new();
    for i in 0..170 {
        all.push(valid(i));
    }
    for i in 0..(MUTATIONS * 5) {
        all.push(mutated(i, i % MUTATIONS));
    }
    all.extend(edge_cases());
    // TLSCTL_NATSCONF_SOUP=3000 widens the soup for a longer oracle run.
    let soups = std::env::var("TLSCTL_NATSCONF_SOUP")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(200usize);
    for i in 0..soups {
        all.push(soup(i));
    }
    all
}

/// What nats-server's option processing would refuse among configs the
/// reader accepts, for the options the corpus uses: an unknown option
/// (unless used as a variable), a value of the wrong type, a name with a
/// space. The corpus is built so that only syntax decides; this keeps the
/// few quirk cases (`cluster{name: x}` is the key "cluster{name") honest.
pub fn semantic_problem(config: &Config, dialect: Dialect) -> Option<String> {
    fn kind_ok(v: &Value, kinds: &str) -> bool {
        kinds.split('|').any(|k| {
            matches!(
                (k, v),
                ("int", Value::Integer(_))
                    | ("str", Value::String(_))
                    | ("bool", Value::Bool(_))
                    | ("float", Value::Float(_))
                    | ("map", Value::Map(_))
                    | ("arr", Value::Array(_))
            )
        })
    }
    fn check(map: &Map, opts: &[(&str, &str)], path: &str, spaces_refused: bool) -> Option<String> {
        for e in map.entries() {
            if e.used_as_variable {
                continue;
            }
            let Some((_, kinds)) = opts.iter().find(|(k, _)| e.key.eq_ignore_ascii_case(k)) else {
                return Some(format!("{path}unknown field {:?}", e.key));
            };
            if !kind_ok(&e.value.value, kinds) {
                return Some(format!("{path}{} is {}", e.key, e.value.value.kind()));
            }
            let lower = e.key.to_ascii_lowercase();
            if lower == "ping_interval"
                && e.value
                    .as_str()
                    .is_some_and(|d| tlsctl::pki::natsconf::model::go_duration(d).is_none())
            {
                return Some(format!("{path}{} is not a duration", e.key));
            }
            // 2.9.10 takes a server name with a space; 2.15.1 refuses it.
            if spaces_refused
                && (lower == "server_name" || lower == "name")
                && e.value.as_str().is_some_and(|s| s.contains(' '))
            {
                return Some(format!("{path}{} has a space", e.key));
            }
            let sub: &[(&str, &str)] = match lower.as_str() {
                "cluster" => &[
                    ("name", "str"),
                    ("port", "int"),
                    ("listen", "str"),
                    ("routes", "arr"),
                    ("no_advertise", "bool"),
                ],
                "authorization" => &[
                    ("user", "str"),
                    ("password", "str"),
                    ("timeout", "int|float"),
                ],
                "leafnodes" => &[("port", "int"), ("listen", "str")],
                _ => continue,
            };
            if let Some(m) = e.value.as_map()
                && let Some(p) = check(m, sub, &format!("{lower}."), spaces_refused)
            {
                return Some(p);
            }
        }
        None
    }
    const TOP: &[(&str, &str)] = &[
        ("port", "int"),
        ("host", "str"),
        ("server_name", "str"),
        ("max_payload", "int"),
        ("max_connections", "int"),
        ("ping_interval", "str"),
        ("debug", "bool"),
        ("cluster", "map"),
        ("authorization", "map"),
        ("leafnodes", "map"),
    ];
    check(&config.root, TOP, "", dialect == Dialect::V2_15)
}

#[test]
fn the_corpus_is_large_and_has_both_verdicts_on_both_releases() {
    let all = corpus();
    assert!(all.len() >= 300, "{} cases", all.len());
    let dir = Path::new("/corpus");
    for dialect in [Dialect::V2_9, Dialect::V2_15] {
        let ok = all.iter().filter(|c| c.read(dir, dialect).is_ok()).count();
        assert!(
            ok > 100 && all.len() - ok > 100,
            "{dialect:?}: {ok} of {} parse",
            all.len()
        );
    }
}

#[test]
fn the_disk_loader_reads_the_corpus_as_the_in_memory_one_does() {
    let tmp = tempfile::tempdir().unwrap();
    for (n, c) in corpus().iter().enumerate().step_by(7) {
        let dir = tmp.path().join(format!("c{n}"));
        write_case(c, &dir);
        let mem = c.read(&dir, Dialect::V2_15).map_err(|e| e.kind);
        let env: HashMap<String, String> = c.env.iter().cloned().collect();
        let lookup = |k: &str| env.get(k).cloned();
        let mut loader = tlsctl::store::conf::load;
        let disk = Reader::new(&mut loader, &lookup)
            .dialect(Dialect::V2_15)
            .read(&dir.join("main.conf"))
            .map_err(|e| e.kind);
        match (&mem, &disk) {
            (Ok(a), Ok(b)) => assert_eq!(a.root, b.root, "{}", c.name),
            (Err(_), Err(_)) => {}
            _ => panic!("{}: memory {mem:?} disk {disk:?}", c.name),
        }
    }
}

/// For tests/cli/natsrv.rs (the lead wires it into `NatsServer::start_with`):
/// every config an interop test starts a real server with must be one the
/// reader accepts too, read as that release reads it.
#[allow(dead_code)]
pub fn assert_reader_accepts(config: &Path, version: &str) {
    let dialect = Dialect::for_version(version).unwrap_or_default();
    let parsed = tlsctl::store::conf::read_config(config, dialect).unwrap_or_else(|e| {
        panic!(
            "nats-server {version} runs {} but the reader refuses it: {e:#}",
            config.display()
        )
    });
    let node = tlsctl::pki::natsconf::model::node(&parsed, dialect);
    let errors: Vec<_> = node
        .findings
        .iter()
        .filter(|f| f.severity == tlsctl::pki::natsconf::model::Severity::Error)
        .collect();
    assert!(
        errors.is_empty(),
        "nats-server {version} runs {} but the model reports {errors:?}",
        config.display()
    );
}

/// Writes a case's files under `dir`.
pub fn write_case(c: &Case, dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join("main.conf"), &c.main).unwrap();
    for (p, b) in &c.files {
        let path = dir.join(p);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, b).unwrap();
    }
}

fn read_bytes(bytes: &[u8], others: &HashMap<PathBuf, Vec<u8>>) -> Result<Config, ConfError> {
    let mut loader =
        |p: &Path| -> Result<Vec<u8>, String> { others.get(p).cloned().ok_or("none".into()) };
    let lookup = |n: &str| (n == "E").then(|| "$E".to_string());
    let mut reader = Reader::new(&mut loader, &lookup);
    reader.read_bytes(Path::new("m.conf"), bytes)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, .. ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        let _ = read_bytes(&bytes, &HashMap::new());
    }

    #[test]
    fn config_alphabet_soup_never_panics(
        parts in proptest::collection::vec(
            prop_oneof![
                Just("{"), Just("}"), Just("["), Just("]"), Just(":"), Just("="), Just(","),
                Just(";"), Just("\n"), Just(" "), Just("\""), Just("'"), Just("("), Just(")"),
                Just("\n)\n"), Just("#"), Just("//"), Just("$E"), Just("$x"), Just("x"),
                Just("include m.conf"), Just("include i.conf"), Just("12"), Just("1kb"), Just("-"),
                Just("."), Just("\\"), Just("\\x4"), Just("2024-01-01T00:00:00Z"), Just("\0"),
                Just("true"), Just("x = 1\n"), Just("é")
            ],
            0..80,
        )
    ) {
        let text: String = parts.concat();
        let mut others = HashMap::new();
        others.insert(PathBuf::from("i.conf"), text.clone().into_bytes());
        others.insert(PathBuf::from("m.conf"), text.clone().into_bytes());
        let _ = read_bytes(text.as_bytes(), &others);
    }

    #[test]
    fn every_prefix_of_a_valid_config_is_judged_without_panic(cut in 0usize..400, i in 0usize..170) {
        let c = valid(i);
        let end = cut.min(c.main.len());
        let _ = read_bytes(&c.main[..end], &HashMap::new());
    }
}

#[test]
fn disk_errors_name_the_file_and_the_include_line() {
    let tmp = tempfile::tempdir().unwrap();
    let main = tmp.path().join("main.conf");
    std::fs::write(&main, "port: 4222\ninclude sub/missing.conf\n").unwrap();
    std::fs::create_dir(tmp.path().join("dir.conf")).unwrap();
    let err = tlsctl::store::conf::read_config(&main, Dialect::V2_15).unwrap_err();
    let text = format!("{err:#}");
    assert!(
        text.starts_with(&format!(
            "{}:2:9: cannot read the include 'sub/missing.conf'",
            main.display()
        )),
        "{text}"
    );
    assert!(text.contains("sub/missing.conf: no such file"), "{text}");
    let err =
        tlsctl::store::conf::read_config(&tmp.path().join("dir.conf"), Dialect::V2_15).unwrap_err();
    assert!(
        format!("{err:#}").contains("dir.conf: is a directory"),
        "{err:#}"
    );
    let err = tlsctl::store::conf::read_config(&tmp.path().join("nope.conf"), Dialect::V2_15)
        .unwrap_err();
    assert!(
        format!("{err:#}").contains("nope.conf: no such file"),
        "{err:#}"
    );
}
