//! Criterion benchmarks of the `tlsctl pin` hot path on a 10,000-certificate
//! bundle (half RSA-2048, half P-256, built from the fixtures), beside the
//! floor: the same bytes base64-decoded by the same decoder and every SPKI
//! hashed, with nothing else (no block numbering, no checks, one thread).
//!
//! cargo bench --bench pin

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use rustls_pki_types::CertificateDer;
use rustls_pki_types::pem::PemObject;
use std::hint::black_box;

use tlsctl::pki::{cert, der, pin, reader};

fn bundle() -> Vec<u8> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/");
    let rsa = std::fs::read(format!("{dir}certs/rsa2048.pem")).unwrap_or_default();
    let ec = std::fs::read(format!("{dir}chain/inter.pem")).unwrap_or_default();
    let mut out = Vec::new();
    for _ in 0..5_000 {
        out.extend_from_slice(&rsa);
        out.extend_from_slice(&ec);
    }
    out
}

fn pins(c: &mut Criterion) {
    let input = bundle();
    let mut group = c.benchmark_group("pin_10k");
    group.throughput(Throughput::Bytes(input.len() as u64));
    group.sample_size(30);
    group.bench_function("tlsctl_read_and_pin", |b| {
        b.iter(|| {
            let pins = reader::map_blocks(black_box(&input), |block| {
                reader::strict(block)
                    .ok()
                    .and_then(|(_, item)| cert::item_pin(&item).ok())
            })
            .unwrap_or_default();
            assert_eq!(pins.len(), 10_000);
            pins
        })
    });
    group.bench_function("floor_decode_and_hash_one_thread", |b| {
        b.iter(|| {
            let pins: Vec<String> = CertificateDer::pem_slice_iter(black_box(&input))
                .filter_map(Result::ok)
                .filter_map(|cert| der::certificate_spki(&cert).ok().map(pin::spki_pin))
                .collect();
            assert_eq!(pins.len(), 10_000);
            pins
        })
    });
    group.finish();
}

fn model(c: &mut Criterion) {
    let input = bundle();
    let ders: Vec<Vec<u8>> = CertificateDer::pem_slice_iter(&input)
        .filter_map(Result::ok)
        .map(|c| c.to_vec())
        .collect();
    let now = time::OffsetDateTime::UNIX_EPOCH;
    let mut group = c.benchmark_group("model_10k");
    group.sample_size(10);
    group.bench_function("cert_info_parse_one_thread", |b| {
        b.iter(|| {
            ders.iter()
                .filter_map(|d| tlsctl::pki::CertInfo::parse(d, now).ok())
                .count()
        })
    });
    group.finish();
}

criterion_group!(benches, pins, model);
criterion_main!(benches);
