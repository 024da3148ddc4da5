//! The NATS INFO line parser of `probe`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tlsctl::pki::nats;

fuzz_target!(|data: &[u8]| {
    let _ = nats::parse_info(data);
});
