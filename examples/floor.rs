//! The floor for the benchmarks in BENCHMARKS.md: what any tool must do to
//! pin or diff PEM bundles, and nothing else. It reads each file, has
//! rustls-pki-types' `PemObject` (the decoder tlsctl uses) base64-decode
//! every certificate on as many threads as tlsctl uses, and hashes every
//! certificate's SPKI (`spki`) or whole DER (`der`). No checks, no block
//! numbering, no output but a count.
//!
//! cargo build --release --example floor
//! target/release/examples/floor spki BUNDLE...   (floor of `tlsctl pin --bare`)
//! target/release/examples/floor der OLD NEW      (floor of `tlsctl bundle diff`)

use aws_lc_rs::digest::{SHA256, digest};
use rustls_pki_types::CertificateDer;
use rustls_pki_types::pem::PemObject;

fn main() {
    let mut args = std::env::args().skip(1);
    let what = args.next().unwrap_or_default();
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(4));
    let mut total = 0usize;
    for path in args {
        let bytes = std::fs::read(&path).unwrap_or_default();
        // Split at BEGIN lines into one chunk per thread, as tlsctl does.
        let mut cuts = vec![0];
        for i in 1..threads {
            let from = bytes.len() / threads * i;
            if let Some(at) = find(&bytes[from..], b"\n-----BEGIN ") {
                cuts.push(from + at + 1);
            }
        }
        cuts.push(bytes.len());
        total += std::thread::scope(|s| {
            let handles: Vec<_> = cuts
                .windows(2)
                .map(|w| {
                    let chunk = &bytes[w[0]..w[1]];
                    let what = what.as_str();
                    s.spawn(move || {
                        CertificateDer::pem_slice_iter(chunk)
                            .filter_map(Result::ok)
                            .map(|der| match what {
                                "spki" => digest(&SHA256, spki(&der)),
                                _ => digest(&SHA256, &der),
                            })
                            .fold(0, |n, digest| {
                                std::hint::black_box(digest);
                                n + 1
                            })
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().unwrap_or(0))
                .sum::<usize>()
        });
    }
    println!("{total}");
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// The SPKI of a certificate, by the same walk tlsctl uses.
fn spki(der: &[u8]) -> &[u8] {
    tlsctl::pki::der::certificate_spki(der).unwrap_or_default()
}
