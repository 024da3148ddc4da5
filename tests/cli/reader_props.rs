//! Property tests of the reader and the model on hostile bytes: arbitrary
//! input, and valid PEM/DER mutated at random. Whatever comes in, nothing
//! panics, and every block either decodes or names its problem.

use proptest::prelude::*;
use time::OffsetDateTime;

use tlsctl::pki::reader::{self, Item};
use tlsctl::pki::{CertInfo, CsrInfo, KeyInfo, cert};

use crate::support::fixture;

fn exercise(input: &[u8]) {
    let now = OffsetDateTime::UNIX_EPOCH;
    if let Ok(blocks) = reader::read(input) {
        for block in blocks {
            if let Ok(item) = &block.item {
                let _ = cert::item_pin(item);
                match item {
                    Item::Certificate(der) => {
                        let _ = CertInfo::parse(der, now);
                    }
                    Item::PublicKey(spki) => {
                        let _ = KeyInfo::from_spki(spki);
                    }
                    Item::Csr(der) => {
                        let _ = CsrInfo::parse(der);
                    }
                    Item::PrivateKey(_) => {}
                }
            }
        }
    }
    let _ = reader::read_strict(input);
}

fn seeds() -> Vec<Vec<u8>> {
    [
        "chain/leaf-fullchain.pem",
        "certs/rsa2048.der",
        "certs/ed25519.pem",
        "keys/p521.traditional.pem",
        "keys/rsa2048.der",
        "keys/p256.pub.pem",
        "misc/p256.csr.pem",
        "misc/bundle-crlf-prose.pem",
        "misc/encrypted-traditional.pem",
    ]
    .iter()
    .map(|f| std::fs::read(fixture(f)).unwrap())
    .collect()
}

#[derive(Debug, Clone)]
enum Mutation {
    Flip(usize, u8),
    Truncate(usize),
    Insert(usize, Vec<u8>),
    Delete(usize, usize),
    Duplicate(usize, usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Mutation::Flip(i, b)),
        any::<usize>().prop_map(Mutation::Truncate),
        (
            any::<usize>(),
            proptest::collection::vec(any::<u8>(), 1..16)
        )
            .prop_map(|(i, v)| Mutation::Insert(i, v)),
        (any::<usize>(), 1usize..64).prop_map(|(i, n)| Mutation::Delete(i, n)),
        (any::<usize>(), 1usize..200).prop_map(|(i, n)| Mutation::Duplicate(i, n)),
    ]
}

fn apply(mut data: Vec<u8>, mutations: &[Mutation]) -> Vec<u8> {
    for m in mutations {
        if data.is_empty() {
            break;
        }
        let len = data.len();
        match m {
            Mutation::Flip(i, b) => data[i % len] ^= b | 1,
            Mutation::Truncate(i) => data.truncate(i % len),
            Mutation::Insert(i, v) => {
                let at = i % len;
                data.splice(at..at, v.iter().copied());
            }
            Mutation::Delete(i, n) => {
                let at = i % len;
                data.drain(at..(at + n).min(len));
            }
            Mutation::Duplicate(i, n) => {
                let at = i % len;
                let piece: Vec<u8> = data[at..(at + n).min(len)].to_vec();
                data.splice(at..at, piece);
            }
        }
    }
    data
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, .. ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(input in proptest::collection::vec(any::<u8>(), 0..4096)) {
        exercise(&input);
    }

    #[test]
    fn arbitrary_text_with_pem_markers_never_panics(
        parts in proptest::collection::vec(prop_oneof![
            Just("-----BEGIN CERTIFICATE-----\n".to_owned()),
            Just("-----END CERTIFICATE-----\n".to_owned()),
            Just("-----BEGIN PRIVATE KEY-----\r\n".to_owned()),
            Just("Proc-Type: 4,ENCRYPTED\n\n".to_owned()),
            Just("MIIB".to_owned()),
            Just("=\n".to_owned()),
            "[A-Za-z0-9+/=\r\n -]{0,80}",
        ], 0..24)
    ) {
        exercise(parts.concat().as_bytes());
    }

    #[test]
    fn mutated_pem_and_der_never_panic(
        seed in 0usize..9,
        mutations in proptest::collection::vec(mutation(), 1..6)
    ) {
        let seeds = seeds();
        let input = apply(seeds[seed % seeds.len()].clone(), &mutations);
        exercise(&input);
    }

    #[test]
    fn crlf_and_lf_read_the_same(seed in 0usize..9) {
        let seeds = seeds();
        let original = &seeds[seed % seeds.len()];
        if original.starts_with(b"-----") {
            let text = String::from_utf8_lossy(original).replace("\r\n", "\n");
            let crlf = text.replace('\n', "\r\n");
            let lf_pins: Vec<_> = reader::read_strict(text.as_bytes()).unwrap_or_default()
                .iter().map(|(_, i)| cert::item_pin(i).ok()).collect();
            let crlf_pins: Vec<_> = reader::read_strict(crlf.as_bytes()).unwrap_or_default()
                .iter().map(|(_, i)| cert::item_pin(i).ok()).collect();
            prop_assert_eq!(lf_pins, crlf_pins);
        }
    }
}

#[test]
fn hostile_shapes_are_named_not_panicked_on() {
    // A DER length that claims 4 GiB.
    let mut claims_4gib = vec![0x30, 0x84, 0xff, 0xff, 0xff, 0xf0];
    claims_4gib.extend_from_slice(&[0u8; 64]);
    let blocks = reader::read(&claims_4gib).unwrap();
    assert!(
        blocks[0]
            .item
            .as_ref()
            .unwrap_err()
            .to_string()
            .contains("truncated")
    );

    // Nesting 100,000 deep.
    let mut nested = Vec::new();
    for _ in 0..100_000 {
        nested.extend_from_slice(&[0x30, 0x80]);
    }
    exercise(&nested);

    // A 5 MB line.
    let mut long_line = b"-----BEGIN CERTIFICATE-----\n".to_vec();
    long_line.extend(std::iter::repeat_n(b'A', 5 * 1024 * 1024));
    long_line.extend_from_slice(b"\n-----END CERTIFICATE-----\n");
    let err = reader::read_strict(&long_line).unwrap_err().to_string();
    assert!(err.starts_with("block 1: certificate "), "{err}");

    // UTF-16 text.
    let pem = std::fs::read_to_string(fixture("chain/root.pem")).unwrap();
    let utf16: Vec<u8> = pem.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
    assert_eq!(reader::read(&utf16).unwrap_err(), reader::ReadError::Utf16);
}

#[test]
fn large_bundles_read_in_parallel_number_blocks_like_a_sequential_read() {
    // Over the parallel threshold, with a truncated block deep inside: the
    // block number must be the one a sequential count gives.
    let root = std::fs::read(fixture("chain/root.pem")).unwrap();
    let bad = std::fs::read(fixture("misc/truncated-der.pem")).unwrap();
    let mut input = Vec::new();
    let copies = 3000;
    for i in 0..copies {
        if i == 2222 {
            input.extend_from_slice(&bad);
        } else {
            input.extend_from_slice(&root);
        }
        input.extend_from_slice(b"prose between blocks\n");
    }
    assert!(input.len() > 2 * 1024 * 1024);
    let blocks = reader::read(&input).unwrap();
    assert_eq!(blocks.len(), copies);
    for (i, block) in blocks.iter().enumerate() {
        assert_eq!(block.index, i + 1);
        assert_eq!(block.item.is_err(), i == 2222);
    }
    let err = reader::read_strict(&input).unwrap_err().to_string();
    assert!(
        err.starts_with("block 2223: certificate is truncated"),
        "{err}"
    );
}
