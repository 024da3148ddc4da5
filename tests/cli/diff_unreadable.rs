//! `bundle diff` with a NEW or OLD that holds no readable certificate is
//! refused (exit 2, naming the file), as nats-server refuses such a
//! ca_file (tests/cli/interop_rotation.rs shows it); with some unreadable
//! blocks it warns, and `--check` fails. The shell wiring is the lead's:
//! `pki::diff::read_bundle` and `Bundle::partly_unreadable` are in place.

use predicates::prelude::*;

use crate::support::{Sandbox, fixture};

#[test]
fn a_new_bundle_with_no_readable_certificate_is_exit_2_naming_it() {
    let sb = Sandbox::new();
    std::fs::copy(fixture("chain/root.pem"), sb.path("old.pem")).unwrap();
    for bad in ["misc/bad-base64.pem", "keys/p256.pem", "misc/headers.pem"] {
        std::fs::copy(fixture(bad), sb.path("new.pem")).unwrap();
        for (a, b) in [("old.pem", "new.pem"), ("new.pem", "old.pem")] {
            sb.cmd()
                .args(["bundle", "diff", a, b])
                .assert()
                .code(2)
                .stderr(predicate::str::contains(
                    "tlsctl: new.pem: holds no readable certificate (block 1: ",
                ));
        }
    }
}

#[test]
fn a_partly_unreadable_bundle_warns_and_fails_check() {
    let sb = Sandbox::new();
    std::fs::copy(fixture("chain/root.pem"), sb.path("old.pem")).unwrap();
    let text = [
        std::fs::read_to_string(fixture("chain/root.pem")).unwrap(),
        std::fs::read_to_string(fixture("misc/bad-base64.pem")).unwrap(),
    ]
    .concat();
    sb.write("new.pem", text);
    sb.cmd()
        .args(["bundle", "diff", "old.pem", "new.pem"])
        .assert()
        .code(0)
        .stderr(predicate::str::contains("new.pem: block 2: "));
    sb.cmd()
        .args(["bundle", "diff", "old.pem", "new.pem", "--check"])
        .assert()
        .code(1);
}
