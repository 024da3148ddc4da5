//! Bundle parsing, lint, and canonical rendering of what parses.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tlsctl::pki::bundle;

fuzz_target!(|data: &[u8]| {
    let now = time::OffsetDateTime::UNIX_EPOCH;
    if let Ok(parsed) = bundle::parse(data, now) {
        let _ = bundle::lint(&parsed);
        let entries: Vec<&bundle::Entry> = parsed.entries.iter().collect();
        let text = bundle::render_entries(&entries);
        // What tlsctl writes it must read back, whole.
        if let Ok(again) = bundle::parse(text.as_bytes(), now) {
            assert_eq!(again.entries.len(), parsed.entries.len());
            assert!(again.problems.is_empty());
        }
    }
});
