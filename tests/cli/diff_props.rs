//! Property: diff(A, B) and diff(B, A) mirror each other. Added becomes
//! removed, every other class stays, and the same certificates are paired.

use std::sync::OnceLock;

use proptest::prelude::*;
use time::OffsetDateTime;

use tlsctl::pki::diff::{self, Cert, Pair, classify};
use tlsctl::pki::issue::{self, CaRequest, KeyType, Signer, Window};

fn now() -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(1_800_000_000).unwrap()
}

/// Certificates that exercise every class: the same CA renewed (same key)
/// and rekeyed (new key), and unrelated ones.
fn pool() -> &'static Vec<String> {
    static POOL: OnceLock<Vec<String>> = OnceLock::new();
    POOL.get_or_init(|| {
        let window = Window::days_from(now(), 365).unwrap();
        let root_key = KeyType::EcdsaP256.generate().unwrap();
        let root_req = CaRequest {
            common_name: "Root".into(),
            organization: None,
            window,
            path_len: None,
            parent: None,
        };
        let root_cert = issue::issue_ca(&root_req, &root_key, now()).unwrap();
        let root = Signer::new("root", root_cert.clone(), root_key, now()).unwrap();
        let k1 = KeyType::EcdsaP256.generate().unwrap();
        let k2 = KeyType::EcdsaP256.generate().unwrap();
        let k3 = KeyType::EcdsaP256.generate().unwrap();
        let ca = |cn: &str, key: &rcgen::KeyPair| {
            let req = CaRequest {
                common_name: cn.into(),
                organization: None,
                window,
                path_len: Some(0),
                parent: Some(&root),
            };
            issue::issue_ca(&req, key, now()).unwrap()
        };
        let certs = [
            root_cert,
            ca("X", &k1),
            ca("X", &k1), // renewed
            ca("X", &k2), // rekeyed
            ca("Y", &k3),
            ca("Y", &k3), // renewed
            ca("Z", &k2),
        ];
        certs
            .iter()
            .map(|c| tlsctl::pki::reader::encode_pem("CERTIFICATE", c))
            .collect()
    })
}

fn entries(picks: &[usize]) -> Vec<Cert> {
    let text: String = picks
        .iter()
        .map(|&i| pool()[i % pool().len()].clone())
        .collect();
    if text.is_empty() {
        return Vec::new();
    }
    diff::read(text.as_bytes()).unwrap().0
}

/// A side of a pair: position and DER.
type Named = Option<(usize, Vec<u8>)>;

/// A pair, with each side named by its certificate's DER and position.
fn key(p: &Pair, old: &[Cert], new: &[Cert]) -> (String, Named, Named) {
    (
        p.class.as_str().to_owned(),
        p.old.map(|i| (i, old[i].der().to_vec())),
        p.new.map(|i| (i, new[i].der().to_vec())),
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, .. ProptestConfig::default() })]

    #[test]
    fn diff_a_b_mirrors_diff_b_a(
        a in proptest::collection::vec(0usize..7, 0..8),
        b in proptest::collection::vec(0usize..7, 0..8),
    ) {
        let (ea, eb) = (entries(&a), entries(&b));
        let forward = classify(&ea, &eb);
        let backward = classify(&eb, &ea);
        let mut f: Vec<_> = forward.iter().map(|p| key(p, &ea, &eb)).collect();
        let mut m: Vec<_> = backward
            .iter()
            .map(|c| {
                let (_, old, new) = key(c, &eb, &ea);
                (c.class.mirrored().as_str().to_owned(), new, old)
            })
            .collect();
        f.sort();
        m.sort();
        prop_assert_eq!(f, m);
        // Every certificate is accounted for exactly once on each side.
        prop_assert_eq!(forward.iter().filter(|c| c.old.is_some()).count(), ea.len());
        prop_assert_eq!(forward.iter().filter(|c| c.new.is_some()).count(), eb.len());
    }
}

#[test]
fn the_pool_holds_every_class() {
    let changes = classify(&entries(&[0, 1, 4, 6]), &entries(&[0, 2, 3, 5]));
    let classes: Vec<&str> = changes.iter().map(|c| c.class.as_str()).collect();
    for class in ["unchanged", "renewed", "added", "removed"] {
        assert!(classes.contains(&class), "{class} missing from {classes:?}");
    }
    let rekeyed = classify(&entries(&[1]), &entries(&[3]));
    assert_eq!(rekeyed[0].class.as_str(), "rekeyed");
}
