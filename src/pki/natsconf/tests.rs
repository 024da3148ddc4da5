//! Unit tests of the reader, one or more per syntax rule. Where a rule is
//! a nats-server quirk, the test says so; the oracle in
//! tests/cli/interop_natsconf.rs checks the same rules against the real
//! servers.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::*;

fn files(list: &[(&str, &str)]) -> HashMap<PathBuf, Vec<u8>> {
    list.iter()
        .map(|(p, t)| (PathBuf::from(p), t.as_bytes().to_vec()))
        .collect()
}

fn read_with(
    main: &str,
    others: &[(&str, &str)],
    env: &[(&str, &str)],
    dialect: Dialect,
) -> Result<Config, ConfError> {
    let fs = files(others);
    let envs: HashMap<String, String> = env
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let mut loader = |p: &Path| fs.get(p).cloned().ok_or_else(|| "no such file".to_string());
    let lookup = |n: &str| envs.get(n).cloned();
    let mut reader = Reader::new(&mut loader, &lookup).dialect(dialect);
    reader.read_bytes(Path::new("conf/main.conf"), main.as_bytes())
}

fn read(text: &str) -> Result<Config, ConfError> {
    read_with(text, &[], &[], Dialect::V2_15)
}

fn ok(text: &str) -> Config {
    match read(text) {
        Ok(c) => c,
        Err(e) => panic!("{text:?} should parse: {e}"),
    }
}

fn err(text: &str) -> ConfError {
    match read(text) {
        Ok(c) => panic!("{text:?} should fail, parsed {:?}", c.root),
        Err(e) => e,
    }
}

fn get<'c>(c: &'c Config, key: &str) -> &'c Value {
    &c.root
        .get(key)
        .unwrap_or_else(|| panic!("no key {key}"))
        .value
        .value
}

fn s(v: &Value) -> &str {
    match v {
        Value::String(s) => s,
        other => panic!("not a string: {other:?}"),
    }
}

#[test]
fn three_key_separators_colon_equals_and_space() {
    for text in [
        "port: 4222",
        "port = 4222",
        "port 4222",
        "port:4222",
        "port=4222",
        "port\t4222",
    ] {
        assert_eq!(get(&ok(text), "port"), &Value::Integer(4222), "{text}");
    }
}

#[test]
fn values_end_at_newline_semicolon_or_comma_at_top_level() {
    let c = ok("a: 1; b: 2, c: 3\nd: 4");
    for (k, v) in [("a", 1), ("b", 2), ("c", 3), ("d", 4)] {
        assert_eq!(get(&c, k), &Value::Integer(v));
    }
    let e = err("a: 1 b: 2");
    assert!(e.to_string().contains("expected a new line"), "{e}");
}

#[test]
fn maps_with_or_without_separator_and_commas() {
    for text in [
        "cluster { name: a, port: 1 }",
        "cluster: { name: a; port: 1 }",
        "cluster = {\n name: a\n port: 1\n}",
        "cluster {name a\nport 1}",
    ] {
        let c = ok(text);
        let m = c.root.get("cluster").unwrap().value.as_map().unwrap();
        assert_eq!(m.get("name").unwrap().value.as_str(), Some("a"), "{text}");
        assert_eq!(m.get("port").unwrap().value.as_i64(), Some(1), "{text}");
    }
}

#[test]
fn a_brace_right_after_a_key_is_part_of_the_key() {
    // nats-server: `cluster{name: x}` is the key "cluster{name".
    let c = ok("cluster{name: x}");
    assert!(c.root.get("cluster{name").is_some());
}

#[test]
fn arrays_with_commas_newlines_and_comments() {
    let c = ok("routes = [\n  nats://a:1, nats://b:2 # first two\n  // more\n  \"nats://c:3\"\n]");
    let a = c.root.get("routes").unwrap().value.as_array().unwrap();
    let got: Vec<&str> = a.iter().map(|n| n.as_str().unwrap()).collect();
    assert_eq!(got, ["nats://a:1", "nats://b:2", "nats://c:3"]);
}

#[test]
fn a_number_right_before_the_closing_bracket_reads_on_as_a_string() {
    // nats-server quirk: `[1, 2]` fails (`2]` is a string, then EOF);
    // `[1, 2 ]` is two integers.
    let e = err("x = [1, 2]");
    assert!(e.to_string().contains("after an array value"), "{e}");
    let c = ok("x = [1, 2 ]");
    let a = c.root.get("x").unwrap().value.as_array().unwrap();
    assert_eq!(
        a.iter().map(|n| n.as_i64().unwrap()).collect::<Vec<_>>(),
        [1, 2]
    );
}

#[test]
fn empty_array_values_and_leading_commas_are_errors() {
    assert!(err("x = [,1 ]").to_string().contains("found ','"));
    // In a map a ',' where a key belongs is read as the key ","; the map
    // then closes with that key still waiting for its value, so parse.go
    // sets the map under "," at the top (nats-server: unknown field ",").
    let c = ok("x = { , }");
    assert!(c.root.get(",").is_some() && c.root.get("x").is_none());
}

#[test]
fn hash_and_double_slash_comments() {
    let c = ok("# one\n// two\nport: 1 # three\nhost: h // four\n");
    assert_eq!(get(&c, "port"), &Value::Integer(1));
    assert_eq!(s(get(&c, "host")), "h");
    // A single '/' at the start of a line is not a comment.
    assert!(err("/ x").to_string().contains("'//'"));
}

#[test]
fn quoted_strings_single_double_and_escapes() {
    let c = ok(r#"a: "x\ty\n\"q\"\\\x41"
b: 'no \escapes here'
c: bare\x42"#);
    assert_eq!(s(get(&c, "a")), "x\ty\n\"q\"\\A");
    assert_eq!(s(get(&c, "b")), "no \\escapes here");
    assert_eq!(s(get(&c, "c")), "bareB");
    assert!(err(r#"a: "\q""#).to_string().contains("invalid escape"));
    assert!(err(r#"a: "\xZZ""#).to_string().contains("hexadecimal"));
}

#[test]
fn unclosed_quotes_are_errors_except_an_empty_tail() {
    assert!(err("a: \"abc").to_string().contains("closing quote"));
    assert!(err("a: 'abc").to_string().contains("closing quote"));
    assert!(err("'abc").to_string().contains("closing quote"));
    // `a: "` at the very end: lex.go ends the input there, so the key has
    // no value: 2.15 refuses it, 2.9 drops the key.
    assert!(matches!(err("a: \"").kind, ErrorKind::KeyWithoutValue(_)));
    assert!(read_with("x: 1\na: \"", &[], &[], Dialect::V2_9).is_ok());
}

#[test]
fn block_strings_end_at_a_paren_alone_on_its_line() {
    let c = ok("a: (\nline one\n  (x) )\n)\nb: 1");
    assert_eq!(s(get(&c, "a")), "\nline one\n  (x) )\n");
    assert_eq!(get(&c, "b"), &Value::Integer(1));
    assert!(err("a: (\nnever closed").to_string().contains("')' alone"));
    // At the very end of the input the ')' stays in the string (lex.go).
    assert_eq!(s(get(&ok("a: (\nx\n)"), "a")), "\nx\n)");
}

#[test]
fn integers_and_size_suffixes() {
    for (text, want) in [
        ("1", 1i64),
        ("-7", -7),
        ("2k", 2000),
        ("2K", 2000),
        ("2kb", 2048),
        ("2KiB", 2048),
        ("2ki", 2048),
        ("3m", 3_000_000),
        ("3mb", 3 << 20),
        ("1g", 1_000_000_000),
        ("1GB", 1 << 30),
        ("1t", 1_000_000_000_000),
        ("1tib", 1 << 40),
        ("1p", 1_000_000_000_000_000),
        ("1pb", 1 << 50),
        ("1e", 1_000_000_000_000_000_000),
        ("1eb", 1 << 60),
    ] {
        assert_eq!(
            get(&ok(&format!("x: {text}")), "x"),
            &Value::Integer(want),
            "{text}"
        );
    }
    assert!(matches!(
        err("x: 99999999999999999999").kind,
        ErrorKind::IntegerRange(_)
    ));
    // Go's multiplication wraps, and so does ours.
    assert_eq!(
        get(&ok("x: 9223372036854775807k"), "x"),
        &Value::Integer(9_223_372_036_854_775_807i64.wrapping_mul(1000))
    );
}

#[test]
fn an_unknown_size_suffix_sets_no_value() {
    // parse.go has no default case: `1kbb` is lexed as an integer whose
    // suffix it does not know, and the key is left without a value.
    let c = ok("x: 1kbb\ny: 2");
    assert!(c.root.get("x").is_none());
    assert_eq!(get(&c, "y"), &Value::Integer(2));
}

#[test]
fn numbers_followed_by_letters_are_strings_durations_included() {
    let c = ok("a: 10s\nb: 2m30s\nc: 1kx\nd: 4222#c");
    // 2.9 ends "2m" at the digit and then fails.
    assert!(read_with("b: 2m30s", &[], &[], Dialect::V2_9).is_err());
    assert_eq!(s(get(&c, "a")), "10s");
    assert_eq!(s(get(&c, "b")), "2m30s");
    assert_eq!(s(get(&c, "c")), "1kx");
    assert_eq!(s(get(&c, "d")), "4222#c");
    // A negative number has no such fallback.
    assert!(err("a: -1x").to_string().contains("expected a new line"));
}

#[test]
fn floats_ip_addresses_and_dates() {
    let c = ok("a: 1.5\nb: -0.25\nc: 127.0.0.1:4222\nd: 2024-02-29T12:00:00Z");
    assert_eq!(get(&c, "a"), &Value::Float(1.5));
    assert_eq!(get(&c, "b"), &Value::Float(-0.25));
    assert_eq!(s(get(&c, "c")), "127.0.0.1:4222");
    assert!(matches!(get(&c, "d"), Value::Datetime(_)));
    assert!(err("a: .5").to_string().contains("start with a digit"));
    // The trap behind it: a bare relative path.
    assert!(
        err("cert_file: ./certs/a.pem")
            .to_string()
            .contains("quote a value")
    );
    assert!(err("a: 1.x").to_string().contains("after the '.'"));
    assert!(matches!(
        err("d: 2023-02-29T12:00:00Z").kind,
        ErrorKind::BadDatetime(_)
    ));
    assert!(err("d: 2023-02").to_string().contains("date"));
    assert!(err("d: 12-02").to_string().contains("Zulu"));
    let huge = format!("a: {}.0", "9".repeat(400));
    assert!(matches!(err(&huge).kind, ErrorKind::FloatRange(_)));
}

#[test]
fn booleans_in_every_spelling_and_case() {
    for (word, want) in [
        ("true", true),
        ("TRUE", true),
        ("Yes", true),
        ("on", true),
        ("false", false),
        ("No", false),
        ("OFF", false),
    ] {
        assert_eq!(
            get(&ok(&format!("x: {word}")), "x"),
            &Value::Bool(want),
            "{word}"
        );
    }
    // Quoted, they are strings.
    assert_eq!(s(get(&ok("x: \"true\""), "x")), "true");
}

#[test]
fn variables_from_enclosing_maps_innermost_first_then_environment() {
    let c = read_with(
        "A = outer\nm { A = inner; x: $A }\ny: $A\nz: $FROM_ENV\nw: $NUM",
        &[],
        &[("FROM_ENV", "e"), ("NUM", "5k")],
        Dialect::V2_15,
    )
    .unwrap();
    let m = c.root.get("m").unwrap().value.as_map().unwrap();
    assert_eq!(m.get("x").unwrap().value.as_str(), Some("inner"));
    assert!(m.get("A").unwrap().used_as_variable);
    assert_eq!(s(get(&c, "y")), "outer");
    assert!(c.root.get("A").unwrap().used_as_variable);
    assert_eq!(s(get(&c, "z")), "e");
    // An environment value is parsed as a value: "5k" is 5000.
    assert_eq!(get(&c, "w"), &Value::Integer(5000));
    assert!(!c.root.get("y").unwrap().used_as_variable);
}

#[test]
fn variables_are_case_sensitive_and_must_be_defined_before_use() {
    assert!(matches!(
        err("x: $a\na = 1").kind,
        ErrorKind::VariableNotFound(_)
    ));
    assert!(matches!(
        err("A = 1\nx: $a").kind,
        ErrorKind::VariableNotFound(_)
    ));
    // Arrays are not scopes.
    assert!(matches!(
        err("x: [ $y ]").kind,
        ErrorKind::VariableNotFound(_)
    ));
}

#[test]
fn bcrypt_hashes_are_strings_not_variables() {
    let c = ok("p: $2a$11$W2zko751KUvVy59mUTWmpOdWjpEm5qhcCZRd05GjI/sSOT.xtiHyG");
    assert!(s(get(&c, "p")).starts_with("$2a$11$"));
}

#[test]
fn environment_cycles_and_unparsable_values_are_errors() {
    let e = read_with("x: $A", &[], &[("A", "$B"), ("B", "$A")], Dialect::V2_15).unwrap_err();
    assert!(matches!(e.kind, ErrorKind::VariableCycle(_)), "{e}");
    let e = read_with("x: $A", &[], &[("A", "\"open")], Dialect::V2_15).unwrap_err();
    assert!(matches!(e.kind, ErrorKind::VariableParse { .. }), "{e}");
    let e = read_with("x: $A", &[], &[("A", "\"open")], Dialect::V2_9).unwrap_err();
    assert!(matches!(e.kind, ErrorKind::VariableNotFound(_)), "{e}");
}

#[test]
fn include_is_relative_to_the_including_file_and_merges_its_keys() {
    let c = read_with(
        "port: 1\ninclude sub/a.conf\nm { include 'sub/b.conf' }",
        &[
            ("conf/sub/a.conf", "port: 2\ninclude ../c.conf"),
            ("conf/c.conf", "host: h"),
            ("conf/sub/b.conf", "x: 3"),
        ],
        &[],
        Dialect::V2_15,
    )
    .unwrap();
    assert_eq!(get(&c, "port"), &Value::Integer(2));
    assert_eq!(s(get(&c, "host")), "h");
    let m = c.root.get("m").unwrap().value.as_map().unwrap();
    assert_eq!(m.get("x").unwrap().value.as_i64(), Some(3));
    // Positions point into the included file.
    let host = c.root.get("host").unwrap();
    assert_eq!(c.file(host.key_pos), Path::new("conf/c.conf"));
    assert_eq!(c.locate(host.value.pos), "conf/c.conf:1:7");
}

#[test]
fn an_absolute_include_path_is_still_joined_to_the_directory() {
    // Go's filepath.Join("conf", "/etc/x.conf") is "conf/etc/x.conf".
    let c = read_with(
        "include /etc/x.conf",
        &[("conf/etc/x.conf", "a: 1")],
        &[],
        Dialect::V2_15,
    )
    .unwrap();
    assert_eq!(get(&c, "a"), &Value::Integer(1));
}

#[test]
fn include_keyword_needs_a_space_and_is_case_insensitive() {
    let c = read_with(
        "INCLUDE \"a.conf\"",
        &[("conf/a.conf", "a: 1")],
        &[],
        Dialect::V2_15,
    )
    .unwrap();
    assert_eq!(get(&c, "a"), &Value::Integer(1));
    // `include: x` is an ordinary key.
    assert_eq!(s(get(&ok("include: x"), "include")), "x");
    assert!(
        err("include [x]")
            .to_string()
            .contains("path of the include")
    );
}

#[test]
fn variables_do_not_cross_into_included_files() {
    let e = read_with(
        "A = 1\ninclude a.conf",
        &[("conf/a.conf", "x: $A")],
        &[],
        Dialect::V2_15,
    )
    .unwrap_err();
    assert!(matches!(e.kind, ErrorKind::VariableNotFound(_)));
    assert_eq!(e.file, PathBuf::from("conf/a.conf"));
    assert_eq!((e.line, e.col), (1, 4));
}

#[test]
fn missing_includes_and_cycles_are_errors_at_the_include() {
    let e = read_with("port: 1\ninclude nope.conf", &[], &[], Dialect::V2_15).unwrap_err();
    assert!(matches!(e.kind, ErrorKind::IncludeUnreadable { .. }));
    assert_eq!(
        e.to_string(),
        "conf/main.conf:2:9: cannot read the include 'nope.conf' (conf/nope.conf): no such file"
    );
    let e = read_with(
        "include a.conf",
        &[
            ("conf/a.conf", "include b.conf"),
            ("conf/b.conf", "include a.conf"),
        ],
        &[],
        Dialect::V2_15,
    )
    .unwrap_err();
    assert!(matches!(e.kind, ErrorKind::IncludeCycle { .. }), "{e}");
    assert_eq!(e.file, PathBuf::from("conf/b.conf"));
}

#[test]
fn includes_that_double_at_every_level_stop_at_the_byte_budget() {
    let big = format!("x: \"{}\"\n", "a".repeat(1 << 20));
    let mut list: Vec<(String, String)> = vec![("conf/f0.conf".into(), big)];
    for i in 1..30 {
        list.push((
            format!("conf/f{i}.conf"),
            format!("include f{}.conf\ninclude f{}.conf", i - 1, i - 1),
        ));
    }
    let refs: Vec<(&str, &str)> = list.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let e = read_with("include f29.conf", &refs, &[], Dialect::V2_15).unwrap_err();
    assert!(matches!(e.kind, ErrorKind::TotalTooLarge), "{e}");
}

#[test]
fn deep_nesting_is_refused_without_overflowing_the_stack() {
    let deep = format!("x: {}", "[".repeat(100_000));
    assert!(matches!(err(&deep).kind, ErrorKind::TooDeep));
    let deep = format!("x: {}", "{a: ".repeat(100_000));
    assert!(matches!(err(&deep).kind, ErrorKind::TooDeep));
    let fine = format!("x: {}1 {}", "[".repeat(200), " ]".repeat(200));
    assert!(read(&fine).is_ok());
    // Variables cannot stack values past the limit either.
    let mut text = format!("v0 = {}1 {}\n", "[".repeat(250), " ]".repeat(250));
    for i in 1..20 {
        text.push_str(&format!("v{i} = [ $v{} ]\n", i - 1));
    }
    assert!(matches!(err(&text).kind, ErrorKind::TooDeep));
}

#[test]
fn unclosed_maps_and_arrays_are_errors() {
    assert!(
        err("cluster {")
            .to_string()
            .contains("end of input in a map")
    );
    assert!(err("cluster { name").to_string().contains("map key"));
    assert!(
        err("cluster { name: a")
            .to_string()
            .contains("after a map value")
    );
    assert!(err("x = [ 1").to_string().contains("after an array value"));
    assert!(err("x = [").to_string().contains("after an array value"));
}

#[test]
fn a_key_without_a_value_at_the_end_differs_between_releases() {
    assert!(matches!(
        err("port: 1\nhost").kind,
        ErrorKind::KeyWithoutValue(_)
    ));
    assert!(read_with("port: 1\nhost", &[], &[], Dialect::V2_9).is_ok());
    // A lone closing brace at the end is allowed by both (JSON style).
    assert!(read("port: 1\n}").is_ok());
}

#[test]
fn top_level_braces_differ_between_releases() {
    assert!(read("{ \"port\": 4222 }").is_ok());
    assert!(read_with("{ port: 4222", &[], &[], Dialect::V2_9).is_ok());
    assert!(
        err("{ port: 4222")
            .to_string()
            .contains("top-level '{' block")
    );
    assert!(read("{ port: 4222 }").is_ok());
}

#[test]
fn an_empty_configuration_differs_between_releases() {
    for text in ["", "# nothing", "{}"] {
        assert!(matches!(err(text).kind, ErrorKind::Empty), "{text:?}");
        assert!(read_with(text, &[], &[], Dialect::V2_9).is_ok(), "{text:?}");
    }
}

#[test]
fn a_nul_byte_ends_the_input_like_lex_go() {
    // After a value a NUL ends the line (so what follows is read on), at
    // the start of a line it is a dangling end of input, after a key it
    // ends the file.
    assert!(
        err("port: 4222\0garbage {")
            .to_string()
            .contains("end of input in a map")
    );
    assert_eq!(get(&ok("port: 4222\0\n"), "port"), &Value::Integer(4222));
    assert!(err("port: 4222\n\0").to_string().contains("end of input"));
    assert!(matches!(
        err("port\0: 4222").kind,
        ErrorKind::KeyWithoutValue(_)
    ));
    assert!(read_with("port\0: 4222", &[], &[], Dialect::V2_9).is_ok());
}

#[test]
fn later_keys_replace_earlier_ones_and_case_is_kept() {
    let c = ok("Port: 1\nport: 2\nPort: 3");
    assert_eq!(c.root.len(), 2);
    assert_eq!(c.root.get("Port").unwrap().value.as_i64(), Some(3));
    assert_eq!(c.root.get_ci("PORT").unwrap().value.as_i64(), Some(2));
    assert_eq!(c.root.get_all_ci("port").count(), 2);
}

#[test]
fn positions_are_line_and_column_of_key_and_value() {
    let c = ok("# c\n  port: 4222\ncluster {\n  name: \"x\"\n}");
    let port = c.root.get("port").unwrap();
    assert_eq!((port.key_pos.line, port.key_pos.col), (2, 3));
    assert_eq!((port.value.pos.line, port.value.pos.col), (2, 9));
    let name = c
        .root
        .get("cluster")
        .unwrap()
        .value
        .as_map()
        .unwrap()
        .get("name")
        .unwrap();
    assert_eq!(c.locate(name.value.pos), "conf/main.conf:4:10");
}

#[test]
fn errors_carry_file_line_and_column() {
    let e = err("port: 4222\ncluster {\n  name: a b\n}");
    assert_eq!((e.line, e.col), (3, 12));
    assert!(
        e.to_string()
            .starts_with("conf/main.conf:3:12: expected ','"),
        "{e}"
    );
}

#[test]
fn odd_separators_are_errors() {
    assert!(err("= 1").to_string().contains("separator"));
    assert!(err("x: { : 1 }").to_string().contains("separator"));
    assert!(err("x: { a: 1 ] }").to_string().contains("']'") || read("x: { a: 1 ] }").is_err());
}

#[test]
fn huge_tokens_and_files_stay_linear_and_bounded() {
    let long = format!("x: \"{}\"", "\\n".repeat(2_000_000));
    assert_eq!(s(get(&ok(&long), "x")).len(), 2_000_000);
    let too_big = "#".repeat(limits::MAX_FILE + 1);
    assert!(matches!(err(&too_big).kind, ErrorKind::FileTooLarge));
}

#[test]
fn go_join_and_dir_clean_like_filepath() {
    assert_eq!(go_join(Path::new("."), "a.conf"), PathBuf::from("a.conf"));
    assert_eq!(
        go_join(Path::new("/etc/nats"), "../x/./y.conf"),
        PathBuf::from("/etc/x/y.conf")
    );
    assert_eq!(
        go_join(Path::new("/etc"), "/abs.conf"),
        PathBuf::from("/etc/abs.conf")
    );
    assert_eq!(go_join(Path::new("a"), "../../b"), PathBuf::from("../b"));
    assert_eq!(go_dir(Path::new("main.conf")), PathBuf::from("."));
    assert_eq!(go_dir(Path::new("/main.conf")), PathBuf::from("/"));
    assert_eq!(
        go_dir(Path::new("conf/x/main.conf")),
        PathBuf::from("conf/x")
    );
}

#[test]
fn dialect_for_a_release_name() {
    assert_eq!(Dialect::for_version("2.9.10"), Some(Dialect::V2_9));
    assert_eq!(Dialect::for_version("v2.9"), Some(Dialect::V2_9));
    assert_eq!(Dialect::for_version("2.10.4"), Some(Dialect::V2_15));
    assert_eq!(Dialect::for_version("2.15.1"), Some(Dialect::V2_15));
    assert_eq!(Dialect::for_version("3"), Some(Dialect::V2_15));
    assert_eq!(Dialect::for_version("latest"), None);
    assert_eq!(Dialect::for_version("2.x"), None);
}
