//! The nats-server log reader of `nats explain`: every line parsed, the
//! lines grouped and explained; nothing from the input reaches the output
//! with a control character in it.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tlsctl::pki::natslog;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let lines: Vec<_> = text.lines().filter_map(natslog::parse_line).collect();
    for g in natslog::group(lines) {
        let e = natslog::explain(&g);
        for s in [&e.explanation, &e.fix, &g.message] {
            assert!(!s.chars().any(char::is_control), "{s:?}");
        }
        for c in &g.certs {
            assert_eq!(c.sha256.len(), 64);
            assert!(!c.subject.chars().any(char::is_control));
        }
        assert!(g.count >= 1 && g.remotes.len() <= natslog::MAX_REMOTES);
    }
});
