//! How the binary is linked (build.rs): GCC's unwinder statically, where
//! the toolchain has it, and unwinding still works.

use std::process::Command;

/// The toolchain's static unwinder, as build.rs looks for it.
fn static_unwinder() -> bool {
    Command::new("cc")
        .arg("-print-file-name=libgcc_eh.a")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .is_some_and(|p| {
            let path = std::path::Path::new(p.trim());
            path.is_absolute() && path.is_file()
        })
}

#[test]
fn the_binary_does_not_load_libgcc_s_where_a_static_unwinder_exists() {
    if !cfg!(all(target_os = "linux", target_env = "gnu")) || !static_unwinder() {
        return;
    }
    let bin = std::fs::read(assert_cmd::cargo::cargo_bin("tlsctl")).unwrap();
    // A needed library is named in the dynamic string table.
    assert!(
        !bin.windows(b"libgcc_s.so".len())
            .any(|w| w == b"libgcc_s.so"),
        "tlsctl still names libgcc_s.so"
    );
}

#[test]
fn a_panic_unwinds_with_the_static_unwinder() {
    // This test binary is linked as tlsctl is: a broken unwinder aborts it.
    let caught = std::panic::catch_unwind(|| panic!("unwinding, as expected"));
    assert!(caught.is_err());
}
