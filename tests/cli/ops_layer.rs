//! What the operations layer under both shells guarantees: the TUI reads the
//! clock per operation, not at launch, and the warnings an operation gives
//! reach the TUI's status line and every `--json` document.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use tlsctl::ops::{Clock, Env};
use tlsctl::pki::CertInfo;
use tlsctl::tui::app::{Action, App, Effect, Form, Launch};

use crate::support::{NOW, Sandbox, json_of};

fn now() -> OffsetDateTime {
    OffsetDateTime::parse(NOW, &Rfc3339).unwrap()
}

/// A clock the test moves: NOW plus the seconds in the cell.
fn driven(offset: &Arc<AtomicI64>) -> Clock {
    let offset = Arc::clone(offset);
    Clock::Driven(Arc::new(move || {
        now() + time::Duration::seconds(offset.load(Ordering::SeqCst))
    }))
}

fn cert_form(san: &str, ca: &str, days: &str, out: &str) -> Form {
    let mut form = Form::cert(Some(ca));
    for f in &mut form.fields {
        match f.label {
            "SANs" => f.value = san.to_owned(),
            "Days" => f.value = days.to_owned(),
            "Output dir" => f.value = out.to_owned(),
            _ => {}
        }
    }
    form
}

/// Runs a job as the TUI's loop does and hands the result to the model.
fn run_in(app: &mut App, effect: Effect, env: &Env) -> Vec<Effect> {
    let result = tlsctl::tui::jobs::run(effect, env);
    app.update(Action::Job(result))
}

fn status(app: &App) -> String {
    app.status
        .as_ref()
        .map(|(t, _)| t.clone())
        .unwrap_or_default()
}

#[test]
fn a_tui_issue_after_the_clock_has_moved_gets_the_new_time() {
    let sb = Sandbox::new();
    sb.cmd().args(["ca", "create", "acme"]).assert().success();
    let offset = Arc::new(AtomicI64::new(0));
    let env = Env::new(Some(sb.store()), driven(&offset));
    let (mut app, effects) = App::new(&Launch::default(), (80, 24));
    for effect in effects {
        run_in(&mut app, effect, &env);
    }
    // Two hours pass with the TUI open.
    offset.store(7200, Ordering::SeqCst);
    let form = cert_form(
        "late.example",
        "acme",
        "30",
        &sb.path("late").display().to_string(),
    );
    run_in(&mut app, Effect::IssueCert(form), &env);
    assert!(
        status(&app).starts_with("issued CN=late.example"),
        "{}",
        status(&app)
    );

    let issued = std::fs::read(sb.path("late/cert.pem")).unwrap();
    let der = tlsctl::pki::reader::read_strict(&issued).unwrap();
    let tlsctl::pki::Item::Certificate(leaf) = &der[0].1 else {
        panic!("a certificate")
    };
    let info = CertInfo::parse(leaf, now()).unwrap();
    let two_hours_later = now() + time::Duration::hours(2);
    assert_eq!(
        info.not_before,
        two_hours_later - time::Duration::minutes(1)
    );
    assert_eq!(
        info.not_after,
        two_hours_later - time::Duration::minutes(1) + time::Duration::days(30)
    );
    let records: serde_json::Value =
        serde_json::from_slice(&std::fs::read(sb.store().join("issued.json")).unwrap()).unwrap();
    let recorded = records.as_array().unwrap()[0]["issued"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        OffsetDateTime::parse(&recorded, &Rfc3339).unwrap(),
        two_hours_later
    );
}

#[test]
fn a_staged_ca_warning_reaches_the_tui_status_line_and_the_json_document() {
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
    let env = Env::new(Some(sb.store()), Clock::Fixed(now()));
    let (mut app, _) = App::new(&Launch::default(), (80, 24));
    let form = cert_form("b.example", "r3", "30", &sb.path("b").display().to_string());
    run_in(&mut app, Effect::IssueCert(form), &env);
    assert!(
        status(&app).contains("warning: CA \"r3\" is not valid until 2027-07-01"),
        "{}",
        status(&app)
    );

    let doc = json_of(
        sb.cmd()
            .args(["--json", "cert", "issue", "c.example", "--ca", "r3"]),
    );
    let warnings = doc["warnings"].as_array().unwrap();
    assert_eq!(warnings[0]["code"], "staged-ca");
    assert!(
        warnings[0]["message"]
            .as_str()
            .unwrap()
            .contains("is not valid until 2027-07-01")
    );
}

#[test]
fn a_capped_validity_warning_reaches_the_tui_status_line_and_the_json_document() {
    let sb = Sandbox::new();
    sb.cmd()
        .args(["ca", "create", "short", "--days", "30"])
        .assert()
        .success();
    let env = Env::new(Some(sb.store()), Clock::Fixed(now()));
    let (mut app, _) = App::new(&Launch::default(), (80, 24));
    let form = cert_form(
        "s.example",
        "short",
        "365",
        &sb.path("s").display().to_string(),
    );
    run_in(&mut app, Effect::IssueCert(form), &env);
    assert!(
        status(&app).contains("warning: the validity was cut to the CA's expiry"),
        "{}",
        status(&app)
    );

    let doc = json_of(sb.cmd().args([
        "--json",
        "cert",
        "issue",
        "t.example",
        "--ca",
        "short",
        "--days",
        "365",
    ]));
    assert_eq!(doc["warnings"][0]["code"], "validity-capped");
    assert_eq!(doc["capped_at_ca_expiry"], true);
}

#[test]
fn a_block_skipped_as_go_skips_it_is_warned_in_the_tui_diff_and_the_json_documents() {
    let sb = Sandbox::new();
    let pki = sb.pki();
    // A bundle whose second block carries PEM headers: Go skips it.
    let x3 = std::fs::read_to_string(&pki.x3).unwrap();
    let r3 = std::fs::read_to_string(&pki.r3).unwrap();
    let headered = r3.replacen(
        "-----BEGIN CERTIFICATE-----\n",
        "-----BEGIN CERTIFICATE-----\nProc-Type: 4,ENCRYPTED\n\n",
        1,
    );
    let bundle = sb.write("headered.pem", format!("{x3}{headered}"));

    let env = Env::new(Some(sb.store()), Clock::Fixed(now()));
    let launch = Launch {
        files: vec![],
        diff: Some((pki.x3.clone(), bundle.clone(), vec![])),
        confs: vec![],
        ..Launch::default()
    };
    let (mut app, effects) = App::new(&launch, (120, 40));
    for effect in effects {
        if matches!(effect, Effect::LoadDiff { .. }) {
            run_in(&mut app, effect, &env);
        }
    }
    let parts = app.diff.as_ref().unwrap().parts.as_ref().unwrap();
    assert!(
        parts
            .warnings
            .iter()
            .any(|w| w.code == "skipped-block"
                && w.message.contains("skipped, as Go and NATS skip it")),
        "{:?}",
        parts.warnings
    );

    for args in [
        vec!["--json", "bundle", "diff", "x3.pem", "headered.pem"],
        vec![
            "--json",
            "verify",
            "node-a/cert.pem",
            "--bundle",
            "headered.pem",
        ],
    ] {
        let out = sb.cmd().args(&args).output().unwrap();
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let codes: Vec<&str> = doc["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|w| w["code"].as_str().unwrap())
            .collect();
        assert!(codes.contains(&"skipped-block"), "{args:?}: {codes:?}");
    }
}

#[test]
fn replacing_a_ca_names_what_it_orphans_and_where_the_old_one_is_kept() {
    let sb = Sandbox::new();
    sb.cmd()
        .args(["cert", "issue", "a.example", "--out", "a"])
        .assert()
        .success();
    let out = sb
        .cmd()
        .args(["--json", "ca", "create", "default", "--force"])
        .assert()
        .success()
        .stderr(predicates::str::contains(
            "replaced the default CA, which `cert issue` signs with",
        ))
        .get_output()
        .stdout
        .clone();
    let doc: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let warnings = doc["warnings"].as_array().unwrap();
    let codes: Vec<&str> = warnings
        .iter()
        .map(|w| w["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["replaced-ca", "orphaned-certificates"], "{doc}");
    assert!(
        warnings[1]["message"]
            .as_str()
            .unwrap()
            .contains(&sb.path("a/cert.pem").display().to_string())
    );
    // The old CA is kept, its key 0600.
    let kept = sb.store().join("cas/.replaced");
    let dir = std::fs::read_dir(&kept)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(dir.join("ca.key"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
}
