//! The TUI's forms for `cert sign` (a CSR signed by the selected CA), `ca
//! import` (certificate and key files into the store) and `cert p12` (the
//! selected issued certificate as a PKCS#12 file, its password in masked
//! fields): opened by their keys, checked as they are typed, and run by
//! their jobs through the same operations as the CLI, on a real store.

use std::os::unix::fs::PermissionsExt;

use tlsctl::ops::{Clock, Env};
use tlsctl::tui::app::{Action, App, Effect, Form, FormKind, JobResult, Overlay, StorePane};
use tlsctl::tui::jobs;
use tlsctl::tui::keymap::Cmd;

use crate::support::{Sandbox, fixture, json_of, stdout_of};
use crate::tui::{app_with_bundle, cmd, now, plain_screen, repo_pattern, screen, snap, typed};

fn form(app: &App) -> Form {
    match &app.overlay {
        Some(Overlay::Form(f)) => f.clone(),
        _ => panic!("a form"),
    }
}

fn error_of(app: &App, label: &str) -> Option<String> {
    form(app)
        .fields
        .iter()
        .find(|f| f.label == label)
        .and_then(|f| f.error.clone())
}

/// Moves the focus to the field `label` of the open form.
fn focus(app: &mut App, label: &str) {
    for _ in 0..20 {
        let f = form(app);
        if f.fields[f.focus].label == label {
            return;
        }
        cmd(app, Cmd::NextField);
    }
    panic!("no field {label}");
}

fn set(form: &mut Form, label: &str, value: &str) {
    let f = form
        .fields
        .iter_mut()
        .find(|f| f.label == label)
        .unwrap_or_else(|| panic!("no field {label}"));
    f.value = value.to_owned();
}

fn done(result: JobResult) -> (Result<String, String>, Vec<String>) {
    match result {
        JobResult::Done {
            result, warnings, ..
        } => (result, warnings),
        _ => panic!("a Done job"),
    }
}

fn env(sb: &Sandbox) -> Env {
    Env::new(Some(sb.store()), Clock::Fixed(now()))
}

#[test]
fn s_opens_the_sign_form_with_the_selected_ca_and_checks_it_as_typed() {
    let mut app = app_with_bundle((80, 24));
    cmd(&mut app, Cmd::PrevTab); // the store, the CA "root" selected
    let footer = screen(&app, 80, 24).lines().last().unwrap().to_owned();
    assert!(
        footer.contains("s sign") && footer.contains("I import"),
        "{footer}"
    );
    cmd(&mut app, Cmd::SignCsr);
    let f = form(&app);
    assert_eq!(f.kind, FormKind::Sign);
    assert_eq!(f.value("CA"), "root");
    assert_eq!(error_of(&app, "CSR").as_deref(), Some("a path is needed"));
    assert_eq!(
        error_of(&app, "Output").as_deref(),
        Some("a path is needed")
    );
    typed(&mut app, "req.csr");
    assert_eq!(error_of(&app, "CSR"), None);
    focus(&mut app, "Output");
    typed(&mut app, "signed/");
    focus(&mut app, "SANs");
    typed(&mut app, "a.*.example");
    assert!(
        error_of(&app, "SANs")
            .unwrap()
            .contains("whole leftmost label"),
        "the CLI's SAN rules"
    );
    assert!(cmd(&mut app, Cmd::Submit).is_empty(), "not with a bad SAN");
    cmd(&mut app, Cmd::DeleteWord);
    typed(&mut app, "node.example");
    let effects = cmd(&mut app, Cmd::Submit);
    assert!(
        matches!(&effects[..], [Effect::SignCsr(f)] if f.value("CSR") == "req.csr" && f.value("Output") == "signed/" && f.value("SANs") == "node.example"),
        "{effects:?}"
    );
    assert_eq!(app.status.as_ref().unwrap().0, "signing the request...");
    // A failure brings the form back with the reason, and the status line
    // no longer says it is working.
    app.update(Action::Job(JobResult::Done {
        result: Err("req.csr: no such file".into()),
        warnings: vec![],
        reload: tlsctl::tui::app::Reload::Nothing,
    }));
    assert_eq!(form(&app).error.as_deref(), Some("req.csr: no such file"));
    assert_eq!(form(&app).value("CSR"), "req.csr");
    assert_eq!(app.status, None);
}

#[test]
fn the_sign_job_signs_the_request_to_a_file_or_a_directory_and_never_over_one() {
    let sb = Sandbox::new();
    sb.cmd().args(["ca", "create", "root"]).assert().success();
    let env = env(&sb);
    let mut f = Form::sign(Some("root"));
    set(
        &mut f,
        "CSR",
        &fixture("misc/p256.csr.pem").display().to_string(),
    );
    set(&mut f, "Output", &sb.path("c.pem").display().to_string());
    let (result, _) = done(jobs::run(Effect::SignCsr(f.clone()), &env));
    let message = result.unwrap();
    assert!(
        message.starts_with("signed O=tlsctl fixtures, CN=csr with root"),
        "{message}"
    );
    let doc = json_of(sb.cmd().args(["--json", "inspect", "c.pem"]));
    let cert = &doc["files"][0]["items"][0]["certificate"];
    assert_eq!(cert["issuer"], "O=tlsctl, CN=root", "{doc:#}");
    // The requester's key: the pin is the request's.
    let req_pin = stdout_of(
        sb.cmd()
            .args(["pin", "--bare"])
            .arg(fixture("misc/p256.csr.pem")),
    );
    assert_eq!(cert["pin_sha256"], req_pin.trim());
    assert!(message.ends_with(req_pin.trim()), "{message}");
    // Again to the same file: refused, the file unchanged.
    let before = std::fs::read(sb.path("c.pem")).unwrap();
    let (again, _) = done(jobs::run(Effect::SignCsr(f.clone()), &env));
    assert!(again.unwrap_err().contains("c.pem"));
    assert_eq!(std::fs::read(sb.path("c.pem")).unwrap(), before);
    // DIR/: cert.pem and ca.pem, as cert issue --out lays them out.
    set(&mut f, "Output", &format!("{}/", sb.path("node").display()));
    done(jobs::run(Effect::SignCsr(f), &env)).0.unwrap();
    for name in ["cert.pem", "ca.pem"] {
        assert!(sb.path("node").join(name).exists(), "{name}");
    }
}

#[test]
fn capital_i_imports_a_ca_whose_key_is_its_own() {
    let mut app = app_with_bundle((80, 24));
    cmd(&mut app, Cmd::PrevTab);
    cmd(&mut app, Cmd::ImportCa);
    assert_eq!(form(&app).kind, FormKind::Import);
    typed(&mut app, "x");
    assert_eq!(
        error_of(&app, "Name").as_deref(),
        Some("a CA named \"x\" exists")
    );
    cmd(&mut app, Cmd::DeleteChar);
    typed(&mut app, "corp");
    assert_eq!(
        error_of(&app, "Certificate").as_deref(),
        Some("a path is needed")
    );

    let sb = Sandbox::new();
    let env = env(&sb);
    let mut f = Form::import();
    set(&mut f, "Name", "corp");
    set(
        &mut f,
        "Certificate",
        &fixture("chain/root.pem").display().to_string(),
    );
    // Not its key: refused, nothing written.
    set(
        &mut f,
        "Key",
        &fixture("chain/leaf.key").display().to_string(),
    );
    let (result, _) = done(jobs::run(Effect::ImportCa(f.clone()), &env));
    assert!(result.unwrap_err().contains("not the key of"));
    assert!(!sb.store().join("cas/corp").exists());
    set(
        &mut f,
        "Key",
        &fixture("chain/root.key").display().to_string(),
    );
    let (result, _) = done(jobs::run(Effect::ImportCa(f), &env));
    assert_eq!(
        result.unwrap(),
        "imported O=tlsctl fixtures, CN=Fixture Root as the CA \"corp\""
    );
    let key = sb.store().join("cas/corp/ca.key");
    assert_eq!(
        std::fs::metadata(&key).unwrap().permissions().mode() & 0o777,
        0o600
    );
    // And it issues.
    sb.cmd()
        .args(["cert", "issue", "a.example", "--ca", "corp", "--out", "a"])
        .assert()
        .success();
}

#[test]
fn an_encrypted_key_takes_the_password_of_the_masked_field() {
    let sb = Sandbox::new();
    let env = env(&sb);
    let mut f = Form::import();
    set(&mut f, "Name", "corp");
    set(
        &mut f,
        "Certificate",
        &fixture("chain/root.pem").display().to_string(),
    );
    // keys/p256.pem encrypted with "fixture" (tests/fixtures/make.sh).
    set(
        &mut f,
        "Key",
        &fixture("misc/encrypted-pkcs8.pem").display().to_string(),
    );
    let (result, _) = done(jobs::run(Effect::ImportCa(f.clone()), &env));
    assert!(result.unwrap_err().contains("give its password"));
    set(&mut f, "Key password", "not-it");
    let (result, _) = done(jobs::run(Effect::ImportCa(f.clone()), &env));
    assert!(result.unwrap_err().contains("wrong password"));
    // The right one decrypts it; then it is compared with the certificate
    // (p256's key, not the root's).
    set(&mut f, "Key password", "fixture");
    let (result, _) = done(jobs::run(Effect::ImportCa(f.clone()), &env));
    assert!(result.unwrap_err().contains("not the key of"));
    // The password is never in the form's debug text.
    let debug = format!("{:?}", Effect::ImportCa(f));
    assert!(
        !debug.contains("fixture\"") && debug.contains("(secret)"),
        "{debug}"
    );
}

#[test]
fn e_writes_the_selected_issued_certificate_as_p12_with_a_masked_password() {
    let mut app = app_with_bundle((80, 24));
    cmd(&mut app, Cmd::PrevTab);
    // On the CA list, e says where it works.
    cmd(&mut app, Cmd::ExportP12);
    assert_eq!(app.overlay, None);
    assert!(
        app.status
            .as_ref()
            .unwrap()
            .0
            .contains("select an issued certificate")
    );
    cmd(&mut app, Cmd::NextPane);
    assert_eq!(app.store.pane, StorePane::Issued);
    let footer = screen(&app, 80, 24).lines().last().unwrap().to_owned();
    assert!(footer.contains("e p12"), "{footer}");
    cmd(&mut app, Cmd::ExportP12);
    let f = form(&app);
    assert_eq!(f.kind, FormKind::P12);
    assert_eq!(f.value("Certificate"), "/srv/node-a/cert.pem");
    assert_eq!(f.value("Key"), "/srv/node-a/key.pem");
    assert_eq!(f.value("Output"), "node-a.p12");
    focus(&mut app, "Password");
    typed(&mut app, "s3cret-pw");
    cmd(&mut app, Cmd::NextField);
    typed(&mut app, "s3cret-p");
    assert_eq!(
        error_of(&app, "Again").as_deref(),
        Some("the passwords differ")
    );
    assert!(cmd(&mut app, Cmd::Submit).is_empty());
    for (w, h) in [(80u16, 24u16), (120, 40)] {
        let s = screen(&app, w, h);
        assert!(!s.contains("s3cret"), "the password is never drawn:\n{s}");
        assert!(s.contains("*********"), "{s}");
        app.color = false;
        snap!(
            format!("nocolor_form_p12_{w}x{h}"),
            plain_screen(&app, w, h)
        );
        app.color = true;
    }
    typed(&mut app, "w");
    assert_eq!(error_of(&app, "Again"), None);
    let effects = cmd(&mut app, Cmd::Submit);
    assert!(
        matches!(&effects[..], [Effect::WriteP12(f)] if f.value("Password") == "s3cret-pw"),
        "{effects:?}"
    );
    assert!(!format!("{effects:?}").contains("s3cret"));
}

#[test]
fn the_p12_job_writes_a_0600_file_its_password_opens() {
    let sb = Sandbox::new();
    sb.cmd()
        .args(["cert", "issue", "node.example", "--out", "node"])
        .assert()
        .success();
    let env = env(&sb);
    let mut f = Form::p12(
        &sb.path("node/cert.pem").display().to_string(),
        &sb.path("node/key.pem").display().to_string(),
        &sb.path("node.p12").display().to_string(),
    );
    set(&mut f, "Password", "pw-123");
    set(&mut f, "Again", "pw-123");
    let app_result = jobs::run(Effect::WriteP12(f.clone()), &env);
    let (result, warnings) = done(app_result);
    let message = result.unwrap();
    assert!(message.starts_with("wrote "), "{message}");
    assert!(!message.contains("pw-123"), "{message}");
    assert!(warnings.is_empty(), "{warnings:?}");
    let out = sb.path("node.p12");
    assert_eq!(
        std::fs::metadata(&out).unwrap().permissions().mode() & 0o777,
        0o600
    );
    let bytes = std::fs::read(&out).unwrap();
    let contents = tlsctl::ops::p12::read("node.p12", &bytes, "pw-123").unwrap();
    assert_eq!(contents.keys.len(), 1);
    let pin = stdout_of(sb.cmd().args(["pin", "--bare", "node/cert.pem"]));
    assert_eq!(contents.keys[0].pin_sha256.as_deref(), Some(pin.trim()));
    assert!(tlsctl::ops::p12::read("node.p12", &bytes, "wrong").is_err());
    // Never over the file it wrote; an empty password is warned about.
    let (again, _) = done(jobs::run(Effect::WriteP12(f.clone()), &env));
    assert!(again.unwrap_err().contains("node.p12"));
    assert_eq!(std::fs::read(&out).unwrap(), bytes);
    set(&mut f, "Output", &sb.path("open.p12").display().to_string());
    set(&mut f, "Password", "");
    set(&mut f, "Again", "");
    let (result, warnings) = done(jobs::run(Effect::WriteP12(f), &env));
    result.unwrap();
    assert!(
        warnings.iter().any(|w| w.contains("password is empty")),
        "{warnings:?}"
    );
    // The status line says so, after the result.
    let mut app = app_with_bundle((80, 24));
    app.update(Action::Job(JobResult::Done {
        result: Ok("wrote open.p12".into()),
        warnings,
        reload: tlsctl::tui::app::Reload::Nothing,
    }));
    assert!(
        app.status
            .as_ref()
            .unwrap()
            .0
            .contains("warning: the PKCS#12 password is empty")
    );
}
