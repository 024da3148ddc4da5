//! Kubernetes Secret and ConfigMap manifests as certificate sources: YAML or
//! JSON, one object, several documents, or the `List` that `kubectl get -o
//! yaml` prints. A Secret's `data` is base64 and its `stringData` text; a
//! ConfigMap's `data` is text and its `binaryData` base64. `FILE#KEY` picks
//! one key; without it, the keys that hold certificates (`tls.crt`,
//! `ca.crt`, keys ending `.pem` or `.crt`), and `tls.key` only where a key
//! is wanted. Also the writer of a `kubernetes.io/tls` Secret.
//!
//! Pure: bytes in, entries out. yaml-rust2 (safe Rust, YAML 1.2) parses;
//! aliases are refused (no expansion), nesting and size are bounded.

use base64::Engine as _;
use thiserror::Error;
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;
use yaml_rust2::{Yaml, YamlLoader};

/// Manifests larger than this are refused (a Secret holds at most 1 MiB).
pub const MAX_MANIFEST: usize = 16 * 1024 * 1024;
const MAX_DEPTH: usize = 64;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum K8sError {
    #[error("not valid YAML or JSON: {0}")]
    Syntax(String),
    #[error("is larger than 16 MiB")]
    TooLarge,
    #[error("is not UTF-8 text")]
    NotText,
    #[error("uses YAML aliases (*name), which tlsctl does not expand")]
    Alias,
    #[error("nests deeper than {MAX_DEPTH} levels")]
    TooDeep,
    #[error("holds no Secret or ConfigMap")]
    NoObjects,
    #[error("{object}: key {key:?} is not valid base64")]
    Base64 { object: String, key: String },
    #[error("no key {key:?} in {objects}; keys there: {available}")]
    NoSuchKey {
        key: String,
        objects: String,
        available: String,
    },
}

/// One key of one object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// `Secret/ns/name` or `ConfigMap/name`.
    pub object: String,
    pub key: String,
    pub bytes: Vec<u8>,
}

/// Whether text looks like a manifest rather than PEM or DER: its first
/// meaningful line starts a YAML mapping with a Kubernetes field, or a JSON
/// object.
pub fn looks_like_manifest(bytes: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(&bytes[..bytes.len().min(64 * 1024)]) else {
        return false;
    };
    text.lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#') && *l != "---")
        .is_some_and(|l| {
            l.starts_with('{')
                || [
                    "apiVersion:",
                    "kind:",
                    "metadata:",
                    "data:",
                    "stringData:",
                    "items:",
                    "type:",
                ]
                .iter()
                .any(|f| l.starts_with(f))
        })
}

/// Refuses aliases and deep nesting before the tree is built.
struct Guard {
    depth: usize,
    error: Option<K8sError>,
}

impl MarkedEventReceiver for Guard {
    fn on_event(&mut self, ev: Event, _mark: Marker) {
        if self.error.is_some() {
            return;
        }
        match ev {
            Event::Alias(_) => self.error = Some(K8sError::Alias),
            Event::SequenceStart(..) | Event::MappingStart(..) => {
                self.depth += 1;
                if self.depth > MAX_DEPTH {
                    self.error = Some(K8sError::TooDeep);
                }
            }
            Event::SequenceEnd | Event::MappingEnd => self.depth = self.depth.saturating_sub(1),
            _ => {}
        }
    }
}

/// Every key of every Secret and ConfigMap in the manifest, in file order.
pub fn read_manifest(bytes: &[u8]) -> Result<Vec<Entry>, K8sError> {
    if bytes.len() > MAX_MANIFEST {
        return Err(K8sError::TooLarge);
    }
    let text = std::str::from_utf8(bytes).map_err(|_| K8sError::NotText)?;
    let mut guard = Guard {
        depth: 0,
        error: None,
    };
    Parser::new_from_str(text)
        .load(&mut guard, true)
        .map_err(|e| K8sError::Syntax(e.to_string()))?;
    if let Some(e) = guard.error {
        return Err(e);
    }
    let docs = YamlLoader::load_from_str(text).map_err(|e| K8sError::Syntax(e.to_string()))?;
    let mut out = Vec::new();
    let mut found = false;
    for doc in &docs {
        objects(doc, &mut out, &mut found)?;
    }
    if !found {
        return Err(K8sError::NoObjects);
    }
    Ok(out)
}

fn objects(doc: &Yaml, out: &mut Vec<Entry>, found: &mut bool) -> Result<(), K8sError> {
    match doc["kind"].as_str() {
        Some("List" | "SecretList" | "ConfigMapList") => {
            if let Some(items) = doc["items"].as_vec() {
                for item in items {
                    objects(item, out, found)?;
                }
            }
            Ok(())
        }
        Some(kind @ ("Secret" | "ConfigMap")) => {
            *found = true;
            let name = doc["metadata"]["name"].as_str().unwrap_or("(unnamed)");
            let object = match doc["metadata"]["namespace"].as_str() {
                Some(ns) => format!("{kind}/{ns}/{name}"),
                None => format!("{kind}/{name}"),
            };
            let (b64, text) = if kind == "Secret" {
                ("data", "stringData")
            } else {
                ("binaryData", "data")
            };
            if let Some(map) = doc[b64].as_hash() {
                for (k, v) in map {
                    let (Some(key), Some(value)) = (k.as_str(), v.as_str()) else {
                        continue;
                    };
                    let clean: String = value.chars().filter(|c| !c.is_whitespace()).collect();
                    let bytes = base64::engine::general_purpose::STANDARD
                        .decode(clean)
                        .map_err(|_| K8sError::Base64 {
                            object: object.clone(),
                            key: key.to_owned(),
                        })?;
                    push(out, &object, key, bytes);
                }
            }
            if let Some(map) = doc[text].as_hash() {
                for (k, v) in map {
                    if let (Some(key), Some(value)) = (k.as_str(), v.as_str()) {
                        push(out, &object, key, value.as_bytes().to_vec());
                    }
                }
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

/// `stringData` wins over `data` for the same key, as the API server does.
fn push(out: &mut Vec<Entry>, object: &str, key: &str, bytes: Vec<u8>) {
    if let Some(e) = out.iter_mut().find(|e| e.object == object && e.key == key) {
        e.bytes = bytes;
    } else {
        out.push(Entry {
            object: object.to_owned(),
            key: key.to_owned(),
            bytes,
        });
    }
}

/// Whether a key holds certificates by its name.
pub fn is_certificate_key(key: &str) -> bool {
    key == "tls.crt" || key == "ca.crt" || key.ends_with(".pem") || key.ends_with(".crt")
}

/// The entries `FILE` (no key: certificate keys, and `tls.key` when
/// `want_key`) or `FILE#KEY` (that key) selects.
pub fn select(
    entries: &[Entry],
    key: Option<&str>,
    want_key: bool,
) -> Result<Vec<Entry>, K8sError> {
    let chosen: Vec<Entry> = entries
        .iter()
        .filter(|e| match key {
            Some(k) => e.key == k,
            None => is_certificate_key(&e.key) || (want_key && e.key == "tls.key"),
        })
        .cloned()
        .collect();
    if chosen.is_empty() {
        let mut objects: Vec<&str> = entries.iter().map(|e| e.object.as_str()).collect();
        objects.dedup();
        return Err(K8sError::NoSuchKey {
            key: key.unwrap_or("tls.crt, ca.crt, *.pem, *.crt").to_owned(),
            objects: objects.join(", "),
            available: entries
                .iter()
                .map(|e| e.key.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        });
    }
    Ok(chosen)
}

/// Splits `FILE#KEY` when the part after the last `#` names a Kubernetes
/// key (letters, digits, `-`, `_`, `.`); `FILE#3` stays a block number.
pub fn split_key(text: &str) -> (&str, Option<&str>) {
    match text.rsplit_once('#') {
        Some((file, key))
            if !file.is_empty()
                && !key.is_empty()
                && !key.bytes().all(|b| b.is_ascii_digit())
                && key
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.')) =>
        {
            (file, Some(key))
        }
        _ => (text, None),
    }
}

/// Whether a name is a valid Kubernetes object name (DNS-1123 subdomain).
pub fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 253
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'-' | b'.'))
        && name
            .as_bytes()
            .first()
            .is_some_and(u8::is_ascii_alphanumeric)
        && name
            .as_bytes()
            .last()
            .is_some_and(u8::is_ascii_alphanumeric)
}

/// A `kubernetes.io/tls` Secret: `tls.crt` (leaf and chain), `tls.key`,
/// and `ca.crt` when given. Names must pass [`valid_name`].
pub fn tls_secret(
    name: &str,
    namespace: Option<&str>,
    tls_crt: &[u8],
    tls_key: &[u8],
    ca_crt: Option<&[u8]>,
) -> String {
    let b64 = |b: &[u8]| base64::engine::general_purpose::STANDARD.encode(b);
    let mut s = String::from("apiVersion: v1\nkind: Secret\nmetadata:\n");
    s.push_str(&format!("  name: {name}\n"));
    if let Some(ns) = namespace {
        s.push_str(&format!("  namespace: {ns}\n"));
    }
    s.push_str("type: kubernetes.io/tls\ndata:\n");
    s.push_str(&format!("  tls.crt: {}\n", b64(tls_crt)));
    s.push_str(&format!("  tls.key: {}\n", b64(tls_key)));
    if let Some(ca) = ca_crt {
        s.push_str(&format!("  ca.crt: {}\n", b64(ca)));
    }
    s
}

/// Whether a name is a valid ConfigMap or Secret key: letters, digits,
/// `-`, `_` and `.`, at most 253 bytes, not `.` or `..`.
pub fn valid_key(key: &str) -> bool {
    !key.is_empty()
        && key.len() <= 253
        && key != "."
        && key != ".."
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

/// A ConfigMap holding `text` under `key` as a YAML literal block, as a
/// trust-manager Bundle target or the NATS Helm chart's CA mount reads it.
/// Names must pass [`valid_name`] and the key [`valid_key`]. Characters
/// that YAML 1.1 readers (kubectl's) take as line breaks or a byte-order
/// mark become spaces; every other line is kept byte for byte.
pub fn config_map(name: &str, namespace: Option<&str>, key: &str, text: &str) -> String {
    let mut s = String::from("apiVersion: v1\nkind: ConfigMap\nmetadata:\n");
    s.push_str(&format!("  name: {name}\n"));
    if let Some(ns) = namespace {
        s.push_str(&format!("  namespace: {ns}\n"));
    }
    s.push_str(&format!("data:\n  {key}: |\n"));
    for line in text.lines() {
        if line.is_empty() {
            s.push('\n');
            continue;
        }
        s.push_str("    ");
        s.extend(line.chars().map(|c| match c {
            '\u{2028}' | '\u{2029}' | '\u{85}' | '\u{feff}' => ' ',
            c if c.is_control() => ' ',
            c => c,
        }));
        s.push('\n');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    const PEM: &str = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

    #[test]
    fn a_tls_secret_round_trips() {
        let text = tls_secret("web", Some("prod"), PEM.as_bytes(), b"KEY", Some(b"CA"));
        assert!(looks_like_manifest(text.as_bytes()));
        let entries = read_manifest(text.as_bytes()).unwrap();
        let keys: Vec<(&str, &str)> = entries
            .iter()
            .map(|e| (e.object.as_str(), e.key.as_str()))
            .collect();
        assert_eq!(
            keys,
            [
                ("Secret/prod/web", "tls.crt"),
                ("Secret/prod/web", "tls.key"),
                ("Secret/prod/web", "ca.crt")
            ]
        );
        assert_eq!(entries[0].bytes, PEM.as_bytes());
        let certs = select(&entries, None, false).unwrap();
        assert_eq!(certs.len(), 2, "tls.crt and ca.crt, not tls.key");
        assert_eq!(select(&entries, None, true).unwrap().len(), 3);
        assert_eq!(
            select(&entries, Some("tls.key"), true).unwrap()[0].bytes,
            b"KEY"
        );
        let err = select(&entries, Some("nope.pem"), false).unwrap_err();
        assert!(
            err.to_string()
                .contains("keys there: tls.crt, tls.key, ca.crt"),
            "{err}"
        );
    }

    #[test]
    fn a_config_map_round_trips_its_text() {
        let text = format!("# Subject: CN=a\u{2028}b\n{PEM}\n# Subject: CN=c\n{PEM}");
        let map = config_map("trust", Some("nats"), "ca.pem", &text);
        assert!(looks_like_manifest(map.as_bytes()));
        let entries = read_manifest(map.as_bytes()).unwrap();
        assert_eq!(entries.len(), 1);
        assert_eq!(entries[0].object, "ConfigMap/nats/trust");
        assert_eq!(entries[0].key, "ca.pem");
        assert_eq!(
            String::from_utf8(entries[0].bytes.clone()).unwrap(),
            text.replace('\u{2028}', " "),
            "blank lines kept, a YAML 1.1 line break made a space"
        );
        assert!(valid_key("ca.pem") && valid_key("tls_ca-1.crt"));
        assert!(!valid_key("a/b") && !valid_key("..") && !valid_key(""));
    }

    #[test]
    fn configmaps_lists_json_and_string_data_are_read() {
        let list = "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  \
                    metadata: {name: trust}\n  data:\n    ca.pem: |\n      -----BEGIN CERTIFICATE-----\n      \
                    MIIB\n      -----END CERTIFICATE-----\n- kind: Secret\n  metadata: {name: s}\n  \
                    stringData: {tls.crt: plain}\n  data: {tls.crt: aWdub3JlZA==}\n";
        let entries = read_manifest(list.as_bytes()).unwrap();
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[0].object, "ConfigMap/trust");
        assert_eq!(entries[0].bytes, PEM.as_bytes());
        assert_eq!(entries[1].bytes, b"plain", "stringData wins over data");
        let json = r#"{"apiVersion":"v1","kind":"Secret","metadata":{"name":"j"},"data":{"ca.crt":"Q0E="}}"#;
        assert!(looks_like_manifest(json.as_bytes()));
        assert_eq!(read_manifest(json.as_bytes()).unwrap()[0].bytes, b"CA");
        let multi = "kind: Secret\nmetadata: {name: a}\nstringData: {a.pem: x}\n---\nkind: ConfigMap\n\
                     metadata: {name: b}\ndata: {b.crt: y}\n";
        assert_eq!(read_manifest(multi.as_bytes()).unwrap().len(), 2);
    }

    #[test]
    fn hostile_or_wrong_manifests_are_refused_not_expanded() {
        let laughs = "kind: Secret\nmetadata: {name: a}\nx: &a [1,2]\ny: [*a, *a]\n";
        assert_eq!(read_manifest(laughs.as_bytes()), Err(K8sError::Alias));
        let deep = format!("kind: Secret\nx: {}{}\n", "[".repeat(100), "]".repeat(100));
        assert_eq!(read_manifest(deep.as_bytes()), Err(K8sError::TooDeep));
        assert_eq!(
            read_manifest(b"kind: Deployment\nmetadata: {name: a}\n"),
            Err(K8sError::NoObjects)
        );
        assert!(matches!(
            read_manifest(b"kind: Secret\nmetadata: {name: a}\ndata: {tls.crt: '!!!'}\n"),
            Err(K8sError::Base64 { .. })
        ));
        assert!(matches!(
            read_manifest(b"kind: [\n"),
            Err(K8sError::Syntax(_))
        ));
        assert!(!looks_like_manifest(PEM.as_bytes()));
        assert!(!looks_like_manifest(&[0x30, 0x82, 0x01]));
    }

    #[test]
    fn file_key_is_split_only_for_key_names() {
        assert_eq!(split_key("s.yaml#tls.crt"), ("s.yaml", Some("tls.crt")));
        assert_eq!(split_key("bundle.pem#3"), ("bundle.pem#3", None));
        assert_eq!(split_key("plain.pem"), ("plain.pem", None));
        assert_eq!(split_key("#x"), ("#x", None));
        assert!(valid_name("nats-tls.prod"));
        assert!(!valid_name("Nats"));
        assert!(!valid_name("-a"));
        assert!(!valid_name(""));
    }
}
