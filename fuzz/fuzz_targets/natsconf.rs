//! The nats-server config reader. The input is a little file system: its
//! first byte picks the release to follow, then files separated by 0xFF
//! bytes, named `0.conf`, `1.conf`, ...; `0.conf` is the config read, so
//! `include 0.conf` (or one of the others, both ways) makes a cycle. The
//! last file doubles as the value of the environment variable `$E`.
#![no_main]

use std::path::{Path, PathBuf};

use libfuzzer_sys::fuzz_target;
use tlsctl::pki::natsconf::{Dialect, Reader};

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let dialect = if first & 1 == 0 { Dialect::V2_9 } else { Dialect::V2_15 };
    let files: Vec<&[u8]> = rest.split(|b| *b == 0xFF).take(8).collect();
    let env_value = String::from_utf8_lossy(files.last().copied().unwrap_or(b"")).into_owned();
    let mut loader = |p: &Path| -> Result<Vec<u8>, String> {
        files
            .iter()
            .enumerate()
            .find(|(i, _)| p == PathBuf::from(format!("d/{i}.conf")))
            .map(|(_, f)| f.to_vec())
            .ok_or_else(|| "no such file".to_string())
    };
    let lookup = |name: &str| (name == "E").then(|| env_value.clone());
    let mut reader = Reader::new(&mut loader, &lookup).dialect(dialect);
    if let Ok(config) = reader.read(Path::new("d/0.conf")) {
        // Every position names a file the reader read.
        for entry in config.root.entries() {
            assert!((entry.key_pos.file as usize) < config.files.len());
        }
    }
});
