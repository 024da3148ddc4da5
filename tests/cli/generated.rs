//! completions/ and man/ are generated from the clap definition and
//! committed. This test regenerates them: when a committed file is stale it
//! rewrites it and fails, so the fix is to commit what it wrote.

use std::path::Path;

#[test]
fn committed_completions_and_man_pages_are_current() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let files = tlsctl::cli::completions::generated_files().unwrap();
    assert!(files.iter().any(|(p, _)| p.ends_with("man/tlsctl-pin.1")));
    let mut stale = Vec::new();
    for (rel, contents) in &files {
        let path = root.join(rel);
        if std::fs::read(&path).ok().as_deref() != Some(contents.as_slice()) {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, contents).unwrap();
            stale.push(rel.display().to_string());
        }
    }
    // A page for a command that no longer exists is stale too.
    for dir in ["completions", "man"] {
        for entry in std::fs::read_dir(root.join(dir)).unwrap() {
            let path = entry.unwrap().path();
            let rel = path.strip_prefix(root).unwrap();
            if !files.iter().any(|(p, _)| p == rel) {
                std::fs::remove_file(&path).unwrap();
                stale.push(format!("{} (removed)", rel.display()));
            }
        }
    }
    assert!(
        stale.is_empty(),
        "generated files were stale and have been rewritten; commit them:\n  {}",
        stale.join("\n  ")
    );
}
