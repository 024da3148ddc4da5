//! The diff of two inputs (the first byte says where to split the rest):
//! reading, matching, warnings, descriptions; and the mirror property.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tlsctl::pki::diff;

fuzz_target!(|data: &[u8]| {
    let Some((&split, rest)) = data.split_first() else { return };
    let at = rest.len() * usize::from(split) / 255;
    let (a, b) = rest.split_at(at.min(rest.len()));
    let now = time::OffsetDateTime::UNIX_EPOCH;
    let old = diff::read(a).map(|(c, _)| c).unwrap_or_default();
    let new = diff::read(b).map(|(c, _)| c).unwrap_or_default();
    let forward = diff::classify(&old, &new);
    let backward = diff::classify(&new, &old);
    assert_eq!(forward.len(), backward.len());
    let _ = diff::warnings(&old, &new, &forward, now);
    let _ = diff::describe(&forward, &old, &new, now, true);
});
