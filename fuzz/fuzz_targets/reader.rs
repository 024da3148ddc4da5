//! The PEM/DER reader on any bytes: every block decodes or names its
//! problem, and pinning what decodes never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tlsctl::pki::{cert, reader};

fuzz_target!(|data: &[u8]| {
    if let Ok(blocks) = reader::read(data) {
        for block in &blocks {
            if let Ok(item) = &block.item {
                let _ = cert::item_pin(item);
            }
        }
    }
    let _ = reader::read_strict(data);
});
