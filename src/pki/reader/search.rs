//! Byte search for the reader: memchr's vector searchers once the process
//! has read a large input, its portable ones until then.
//!
//! memchr's vector code asks the CPU for its features the first time it
//! runs: several `cpuid` instructions, which a hypervisor traps (7 µs
//! apiece on the 2-core VM, 50 µs in all), more than reading a key, a CA
//! certificate or a config takes. A command that reads only small files
//! (`cert issue`, `verify` of one leaf) never pays it; one that reads a
//! bundle of thousands pays it once. The results are the same either way.

use std::sync::atomic::{AtomicBool, Ordering};

use memchr::arch::all;
use memchr::memmem;

/// An input of this many bytes switches the process to vector search.
pub const LARGE: usize = 64 * 1024;

static VECTOR: AtomicBool = AtomicBool::new(false);

/// Notes the size of an input about to be searched.
pub fn input_of(len: usize) {
    if len >= LARGE && !VECTOR.load(Ordering::Relaxed) {
        VECTOR.store(true, Ordering::Relaxed);
    }
}

fn vector() -> bool {
    VECTOR.load(Ordering::Relaxed)
}

/// A searcher for one needle.
pub struct Finder {
    needle: &'static [u8],
    vector: Option<memmem::Finder<'static>>,
    portable: all::rabinkarp::Finder,
}

impl Finder {
    pub fn new(needle: &'static [u8]) -> Finder {
        Finder {
            needle,
            vector: vector().then(|| memmem::Finder::new(needle)),
            portable: all::rabinkarp::Finder::new(needle),
        }
    }

    pub fn needle(&self) -> &'static [u8] {
        self.needle
    }

    pub fn find(&self, haystack: &[u8]) -> Option<usize> {
        match &self.vector {
            Some(v) => v.find(haystack),
            None => self.portable.find(haystack, self.needle),
        }
    }

    /// The non-overlapping matches, in order.
    pub fn find_iter<'h>(&'h self, haystack: &'h [u8]) -> impl Iterator<Item = usize> + 'h {
        let mut pos = 0;
        std::iter::from_fn(move || {
            let at = pos + self.find(haystack.get(pos..)?)?;
            pos = at + self.needle.len().max(1);
            Some(at)
        })
    }
}

/// The first `needle` in `haystack`.
pub fn find(haystack: &[u8], needle: &'static [u8]) -> Option<usize> {
    if vector() {
        memmem::find(haystack, needle)
    } else {
        all::rabinkarp::Finder::new(needle).find(haystack, needle)
    }
}

/// The first `byte`.
pub fn byte(byte: u8, haystack: &[u8]) -> Option<usize> {
    if vector() {
        memchr::memchr(byte, haystack)
    } else {
        all::memchr::One::new(byte).find(haystack)
    }
}

/// How many `byte`s.
pub fn count(byte: u8, haystack: &[u8]) -> usize {
    if vector() {
        memchr::memchr_iter(byte, haystack).count()
    } else {
        all::memchr::One::new(byte).count(haystack)
    }
}

/// Every `byte`, in order.
pub fn positions(byte: u8, haystack: &[u8]) -> impl Iterator<Item = usize> + '_ {
    let mut pos = 0;
    std::iter::from_fn(move || {
        let at = pos + self::byte(byte, haystack.get(pos..)?)?;
        pos = at + 1;
        Some(at)
    })
}

/// The first of `a` and `b`.
pub fn either(a: u8, b: u8, haystack: &[u8]) -> Option<usize> {
    if vector() {
        memchr::memchr2(a, b, haystack)
    } else {
        all::memchr::Two::new(a, b).find(haystack)
    }
}

/// The last of `a` and `b`.
pub fn either_last(a: u8, b: u8, haystack: &[u8]) -> Option<usize> {
    if vector() {
        memchr::memrchr2(a, b, haystack)
    } else {
        all::memchr::Two::new(a, b).rfind(haystack)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn both<T: PartialEq + std::fmt::Debug>(f: impl Fn() -> T) {
        // The portable answer (as a fresh process gives), then the vector
        // one: the switch is one-way and process-wide, so the portable
        // code is run directly for the first.
        let vector = f();
        let portable = {
            VECTOR.store(false, Ordering::Relaxed);
            let got = f();
            VECTOR.store(true, Ordering::Relaxed);
            got
        };
        assert_eq!(portable, vector);
    }

    proptest! {
        #[test]
        fn portable_and_vector_search_agree(
            hay in proptest::collection::vec(
                prop_oneof![Just(b'-'), Just(b'\n'), Just(b'\r'), Just(b'B'), any::<u8>()],
                0..300,
            ),
        ) {
            VECTOR.store(true, Ordering::Relaxed);
            both(|| find(&hay, b"--"));
            both(|| find(&hay, b"-----BEGIN "));
            both(|| Finder::new(b"--").find_iter(&hay).collect::<Vec<_>>());
            both(|| Finder::new(b"-").find(&hay));
            both(|| byte(b'\n', &hay));
            both(|| count(b'\r', &hay));
            both(|| positions(b'-', &hay).collect::<Vec<_>>());
            both(|| either(b'\n', b'\r', &hay));
            both(|| either_last(b'\n', b'\r', &hay));
        }
    }
}
