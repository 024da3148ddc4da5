//! Links GCC's unwinder statically (`libgcc_eh.a`) instead of loading
//! `libgcc_s.so.1` at run time, on Linux with glibc.
//!
//! Rust's standard library asks for `-lgcc_s` (panics and backtraces
//! unwind through it). Loading it costs every process its relocation and
//! its constructor, which asks the CPU for its features with `cpuid`: the
//! hypervisor traps each one, and on the 2-core VM that was 0.15 ms of a
//! 3 ms `tlsctl cert issue` (BENCHMARKS.md). A `libgcc_s.a` in this
//! package's link search path, naming the same unwinder as a static
//! archive, is found before the shared library. Where the compiler has no
//! `libgcc_eh.a` (or builds with a sanitizer, or links statically anyway),
//! nothing changes; nor in a cross build (the compiler asked is the host's).

use std::path::PathBuf;
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=CC");
    let var = |name: &str| std::env::var(name).unwrap_or_default();
    let gnu_linux = var("CARGO_CFG_TARGET_OS") == "linux" && var("CARGO_CFG_TARGET_ENV") == "gnu";
    // The compiler asked below is the host's: a cross build keeps libgcc_s.
    let native = var("HOST") == var("TARGET");
    let static_crt = var("CARGO_CFG_TARGET_FEATURE")
        .split(',')
        .any(|f| f == "crt-static");
    if !gnu_linux || !native || static_crt || std::env::var_os("CARGO_CFG_SANITIZE").is_some() {
        return;
    }
    let Some(archive) = libgcc_eh() else {
        return;
    };
    println!("cargo:rerun-if-changed={}", archive.display());
    let Some(out) = std::env::var_os("OUT_DIR").map(PathBuf::from) else {
        return;
    };
    let dir = out.join("static-unwinder");
    let link = dir.join("libgcc_s.a");
    let made = std::fs::create_dir_all(&dir).and_then(|()| {
        match std::fs::remove_file(&link) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
            _ => {}
        }
        std::os::unix::fs::symlink(&archive, &link)
    });
    if made.is_ok() {
        println!("cargo:rustc-link-search=native={}", dir.display());
    }
}

/// Where the C compiler (the linker rustc drives) keeps `libgcc_eh.a`.
fn libgcc_eh() -> Option<PathBuf> {
    let cc = std::env::var("CC").unwrap_or_else(|_| "cc".to_owned());
    let output = Command::new(cc)
        .arg("-print-file-name=libgcc_eh.a")
        .output()
        .ok()?;
    let path = PathBuf::from(String::from_utf8(output.stdout).ok()?.trim());
    (output.status.success() && path.is_absolute() && path.is_file()).then_some(path)
}
