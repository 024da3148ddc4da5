//! One consistent face on the command line: tables that fit the terminal
//! in display columns, and colour by the variables every CLI honours.

use crate::support::{Sandbox, stdout_of};
use tlsctl::pki::render::display_width;

#[test]
fn bundle_list_fits_columns_and_pads_by_display_width() {
    let sb = Sandbox::new();
    sb.cmd()
        .args(["ca", "create", "tokyo", "--cn", "東京ルート認証局"])
        .assert()
        .success();
    sb.cmd()
        .args([
            "ca",
            "create",
            "x3",
            "--parent",
            "tokyo",
            "--cn",
            "An Intermediate With A Long Name",
        ])
        .assert()
        .success();
    for ca in ["tokyo", "x3"] {
        let pem = stdout_of(sb.cmd().args(["ca", "export", ca]));
        sb.write(&format!("{ca}.pem"), pem);
    }
    sb.cmd()
        .args(["bundle", "add", "b.pem", "tokyo.pem", "x3.pem"])
        .assert()
        .success();
    let narrow = stdout_of(
        sb.cmd()
            .env("COLUMNS", "80")
            .args(["bundle", "list", "b.pem"]),
    );
    let rows: Vec<&str> = narrow.lines().skip(1).collect();
    assert_eq!(rows.len(), 3, "{narrow}");
    for row in &rows {
        assert!(
            display_width(row) <= 80,
            "{} columns: {row}",
            display_width(row)
        );
    }
    // Every row's PIN column starts at the same display column, CJK or not.
    let pin_col = |row: &str| {
        let at = row.rfind("  ").unwrap() + 2;
        display_width(&row[..at])
    };
    assert_eq!(pin_col(rows[1]), pin_col(rows[2]), "{narrow}");
    assert_eq!(pin_col(rows[0]), pin_col(rows[1]), "{narrow}");
    // On a pipe without COLUMNS nothing is cut.
    let wide = stdout_of(sb.cmd().args(["bundle", "list", "b.pem"]));
    assert!(wide.contains("An Intermediate With A Long Name"), "{wide}");
}

#[test]
fn colour_follows_clicolor_force_and_a_staged_ca_is_not_red() {
    let sb = Sandbox::new();
    sb.cmd().args(["ca", "create", "acme"]).assert().success();
    sb.cmd()
        .args([
            "ca",
            "create",
            "r3",
            "--parent",
            "acme",
            "--not-before",
            "2027-07-01",
        ])
        .assert()
        .success();
    let plain = stdout_of(sb.cmd().args(["ca", "list"]));
    assert!(!plain.contains('\u{1b}'), "no colour on a pipe: {plain:?}");
    let forced = stdout_of(sb.cmd().env("CLICOLOR_FORCE", "1").args(["ca", "list"]));
    assert!(
        forced.contains("\u{1b}["),
        "CLICOLOR_FORCE colours: {forced:?}"
    );
    let staged = forced.lines().find(|l| l.contains("r3")).unwrap();
    assert!(
        !staged.contains("\u{1b}[31m"),
        "a staged CA is not trouble: {staged:?}"
    );
    let never = stdout_of(
        sb.cmd()
            .env("CLICOLOR_FORCE", "1")
            .args(["--color", "never", "ca", "list"]),
    );
    assert!(!never.contains('\u{1b}'), "the flag beats the variable");
}

#[test]
fn control_characters_in_a_certificate_never_reach_the_terminal_raw() {
    let sb = Sandbox::new();
    // A CN that would recolour the terminal and fake a second line.
    let evil = "evil\u{1b}[31m\nFAKE: OK\u{9b}";
    let key = rcgen::KeyPair::generate().unwrap();
    let mut params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
    params.distinguished_name = rcgen::DistinguishedName::new();
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, evil);
    params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    let cert = params.self_signed(&key).unwrap();
    sb.write("evil.pem", cert.pem());
    for args in [
        vec!["inspect", "evil.pem"],
        vec!["ca", "list"],
        vec!["bundle", "lint", "evil.pem"],
        vec!["pin", "--nats", "evil.pem"],
        vec!["lint", "evil.pem"],
    ] {
        let out = sb.cmd().args(&args).output().unwrap();
        for stream in [&out.stdout, &out.stderr] {
            let text = String::from_utf8_lossy(stream);
            assert!(
                !text.chars().any(|c| c.is_control() && c != '\n'),
                "{args:?}: a raw control character: {text:?}"
            );
            assert!(
                !text.contains("\nFAKE: OK"),
                "{args:?}: a faked line: {text}"
            );
        }
    }
    let shown = stdout_of(sb.cmd().args(["inspect", "evil.pem"]));
    assert!(
        shown.contains("evil\\u{1b}[31m\\nFAKE: OK\\u{9b}"),
        "{shown}"
    );
}

#[test]
fn a_file_name_with_control_characters_is_shown_escaped() {
    let sb = Sandbox::new();
    let pem = std::fs::read(crate::support::fixture("chain/root.pem")).unwrap();
    let name = "evil\u{1b}[2J.pem";
    sb.write(name, &pem);
    for args in [
        vec!["inspect", name],
        vec!["bundle", "list", name],
        vec!["lint", name],
        vec!["bundle", "lint", name],
    ] {
        let out = sb.cmd().args(&args).output().unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(!text.contains('\u{1b}'), "{args:?}: {text:?}");
        assert!(text.contains("evil\\u{1b}[2J.pem"), "{args:?}: {text}");
    }
}
