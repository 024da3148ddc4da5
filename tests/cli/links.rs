//! Links on the way to what tlsctl writes: a bundle behind a symbolic link
//! is written through it (the link stays, as an editor keeps it), and a
//! store directory that is a dangling link is named as such.

use std::path::Path;

use predicates::prelude::*;

use crate::support::{Sandbox, fixture};

fn is_link(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink())
}

fn certificates_in(sb: &Sandbox, bundle: &Path) -> usize {
    let out = sb
        .cmd()
        .args(["--json", "bundle", "list"])
        .arg(bundle)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    v["certificates"].as_array().map_or(0, Vec::len)
}

#[test]
fn bundle_add_and_remove_write_through_a_symlinked_bundle_and_keep_the_link() {
    let sb = Sandbox::new();
    std::fs::copy(fixture("chain/root.pem"), sb.path("root.pem")).unwrap();
    std::fs::copy(fixture("chain/inter.pem"), sb.path("inter.pem")).unwrap();
    sb.cmd()
        .args(["-q", "bundle", "add", "real/ca.pem", "root.pem"])
        .assert()
        .code(2); // no directory yet
    std::fs::create_dir_all(sb.path("real")).unwrap();
    std::fs::create_dir_all(sb.path("conf")).unwrap();
    sb.cmd()
        .args(["-q", "bundle", "add", "real/ca.pem", "root.pem"])
        .assert()
        .success();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(
        sb.path("real/ca.pem"),
        std::fs::Permissions::from_mode(0o640),
    )
    .unwrap();
    // conf/ca.pem -> ../real/ca.pem (relative, from its own directory), and
    // a second link to that link.
    std::os::unix::fs::symlink("../real/ca.pem", sb.path("conf/ca.pem")).unwrap();
    std::os::unix::fs::symlink("conf/ca.pem", sb.path("twice.pem")).unwrap();
    sb.cmd()
        .args(["-q", "bundle", "add", "twice.pem", "inter.pem"])
        .assert()
        .success();
    assert!(is_link(&sb.path("twice.pem")), "the link stays a link");
    assert!(is_link(&sb.path("conf/ca.pem")));
    assert_eq!(
        certificates_in(&sb, &sb.path("real/ca.pem")),
        2,
        "the target got the certificate"
    );
    let mode = std::fs::metadata(sb.path("real/ca.pem"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o640, "the target keeps its mode");
    sb.cmd()
        .args([
            "-q",
            "bundle",
            "remove",
            "conf/ca.pem",
            "--subject",
            "Intermediate",
        ])
        .assert()
        .success();
    assert!(is_link(&sb.path("conf/ca.pem")));
    assert_eq!(certificates_in(&sb, &sb.path("real/ca.pem")), 1);
    // A dangling link gets its target created, as an editor would.
    std::os::unix::fs::symlink("real/new.pem", sb.path("new.pem")).unwrap();
    sb.cmd()
        .args(["-q", "bundle", "add", "new.pem", "root.pem"])
        .assert()
        .success();
    assert!(is_link(&sb.path("new.pem")));
    assert_eq!(certificates_in(&sb, &sb.path("real/new.pem")), 1);
}

#[test]
fn a_dangling_store_link_is_named_not_file_exists() {
    let sb = Sandbox::new();
    let link = sb.path("store-link");
    std::os::unix::fs::symlink(sb.path("gone/store"), &link).unwrap();
    sb.cmd()
        .env("TLSCTL_HOME", &link)
        .args(["cert", "issue", "n.example"])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains(format!(
                "{}: is a symbolic link to {}, which does not exist",
                link.display(),
                sb.path("gone/store").display()
            ))
            .and(predicate::str::contains("File exists").not()),
        );
    sb.cmd()
        .env("TLSCTL_HOME", &link)
        .args(["ca", "create", "root"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("which does not exist"));
}
