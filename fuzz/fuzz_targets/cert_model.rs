//! The certificate model (and the key and CSR models) on arbitrary DER, as
//! `inspect` would build it, and the detail renderer over what parses.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tlsctl::pki::{CertInfo, CsrInfo, KeyInfo, der, render};

fuzz_target!(|data: &[u8]| {
    let now = time::OffsetDateTime::UNIX_EPOCH;
    if let Ok(info) = CertInfo::parse(data, now) {
        let _ = render::cert_details(&info);
        let _ = render::expiry_phrase(&info);
    }
    let _ = der::certificate_parts(data);
    let _ = KeyInfo::from_spki(data);
    if let Ok(csr) = CsrInfo::parse(data) {
        let _ = render::csr_details(&csr);
    }
});
