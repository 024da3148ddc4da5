//! The TUI without a terminal: `App::update` for every action, and whole
//! screens drawn on ratatui's `TestBackend` at 80x24 and 120x40, held as
//! insta snapshots (dates, days, hex and temporary paths filtered out).

use std::path::PathBuf;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use tlsctl::ops::{Clock, Env};
use tlsctl::tui::app::{
    Action, App, DiffPane, Effect, FormKind, JobResult, Launch, Overlay, PromptFor, Reload,
    StorePane, Tab,
};
use tlsctl::tui::data::{self, CaRow, CertRow, IssuedRow, StoreSnapshot};
use tlsctl::tui::keymap::{Cmd, Mode};
use tlsctl::tui::{jobs, view};

use crate::support::NOW;

/// A fixture by its path relative to the checkout (integration tests run
/// there), so that screens show the same text in every checkout.
pub(crate) fn fixture(rel: &str) -> PathBuf {
    PathBuf::from("tests/fixtures").join(rel)
}

pub(crate) fn now() -> OffsetDateTime {
    OffsetDateTime::parse(NOW, &Rfc3339).unwrap()
}

pub(crate) fn env() -> Env {
    Env::new(
        Some(PathBuf::from("/nonexistent/tlsctl-tui-test-store")),
        Clock::Fixed(now()),
    )
}

fn row(rel: &str) -> CertRow {
    data::load_file(&fixture(rel), now())
        .unwrap()
        .rows
        .remove(0)
}

/// A store snapshot made of fixture certificates (deterministic).
pub(crate) fn snapshot() -> StoreSnapshot {
    StoreSnapshot {
        root: "/home/ops/.local/share/tlsctl".to_owned(),
        cas: vec![
            CaRow {
                depth: 0,
                last: true,
                name: "root".into(),
                parent: None,
                key_type: "ecdsa-p256".into(),
                cert_path: "cas/root/ca.pem".into(),
                row: row("chain/root.pem"),
            },
            CaRow {
                depth: 1,
                last: false,
                name: "x".into(),
                parent: Some("root".into()),
                key_type: "ecdsa-p256".into(),
                cert_path: "cas/x/ca.pem".into(),
                row: row("chain/inter.pem"),
            },
            CaRow {
                depth: 1,
                last: true,
                name: "r".into(),
                parent: Some("root".into()),
                key_type: "ecdsa-p256".into(),
                cert_path: "cas/r/ca.pem".into(),
                row: row("chain/inter-r.pem"),
            },
        ],
        issued: vec![
            IssuedRow {
                name: "node-a".into(),
                ca: "x".into(),
                cert_path: "/srv/node-a/cert.pem".into(),
                key_path: "/srv/node-a/key.pem".into(),
                row: Some(row("chain/leaf.pem")),
                error: None,
            },
            IssuedRow {
                name: "gone".into(),
                ca: "x".into(),
                cert_path: "/srv/gone/cert.pem".into(),
                key_path: "/srv/gone/key.pem".into(),
                row: None,
                error: Some("/srv/gone/cert.pem: no such file".into()),
            },
        ],
    }
}

/// An app on the fixture bundle, loaded as the loop would load it.
pub(crate) fn app_with_bundle(size: (u16, u16)) -> App {
    let launch = Launch {
        files: vec![fixture("misc/bundle-crlf-prose.pem")],
        ..Launch::default()
    };
    let (mut app, effects) = App::new(&launch, size);
    assert_eq!(effects.len(), 2, "the store and the file load at start");
    for effect in effects {
        let result = match effect {
            Effect::LoadStore => JobResult::Store(Ok(snapshot())),
            other => jobs::run(other, &env()),
        };
        assert!(app.update(Action::Job(result)).is_empty());
    }
    app
}

pub(crate) fn cmd(app: &mut App, c: Cmd) -> Vec<Effect> {
    app.update(Action::Cmd(c))
}

pub(crate) fn typed(app: &mut App, text: &str) {
    for c in text.chars() {
        app.update(Action::Char(c));
    }
}

/// `d`: the removal plan runs as a job, whose answer is the question.
fn ask_remove(app: &mut App) {
    for effect in cmd(app, Cmd::Remove) {
        assert!(matches!(effect, Effect::PlanRemove { .. }), "{effect:?}");
        let result = jobs::run(effect, &env());
        app.update(Action::Job(result));
    }
}

pub(crate) fn screen(app: &App, w: u16, h: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal.draw(|f| view::draw(f, app)).unwrap();
    let buffer = terminal.backend().buffer().clone();
    let mut out = String::new();
    for y in 0..h {
        for x in 0..w {
            out.push_str(buffer[(x, y)].symbol());
        }
        out.push('\n');
    }
    out
}

/// The checkout's path as a regex, so that snapshots do not depend on it.
pub(crate) fn repo_pattern() -> String {
    env!("CARGO_MANIFEST_DIR")
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '/' {
                c.to_string()
            } else {
                format!("\\{c}")
            }
        })
        .collect()
}

macro_rules! snap {
    ($name:expr, $text:expr) => {
        let repo = repo_pattern();
        insta::with_settings!({
            filters => vec![
                (repo.as_str(), "[repo]"),
                (r"/tmp/\.tmp[A-Za-z0-9]+", "[tmp]"),
                (r"\b[0-9a-f]{8,}\b", "[hex]"),
                (r"\b([0-9A-F]{2}:){4,}[0-9A-F:]*", "[fp]"),
                (r"\d{4}-\d{2}-\d{2}( \d{2}:\d{2}:\d{2} UTC)?", "[date]"),
                (r"\(\d+d\)", "(Nd)"),
                (r"\d+ days left", "N days left"),
            ],
            snapshot_path => "snapshots",
            prepend_module_to_snapshot => false,
        }, {
            insta::assert_snapshot!($name, $text);
        });
    };
}
pub(crate) use snap;

#[test]
fn it_opens_on_the_first_file_and_loads_store_and_file() {
    let app = app_with_bundle((80, 24));
    assert_eq!(app.tabs, [Tab::Store, Tab::File(0), Tab::Pins]);
    assert_eq!(app.current_tab(), Tab::File(0));
    assert_eq!(app.files[0].loaded.as_ref().unwrap().rows.len(), 2);
    assert_eq!(app.busy, 0);
    assert_eq!(app.mode(), Mode::Normal);
}

#[test]
fn moving_opening_and_going_back() {
    let mut app = app_with_bundle((80, 24));
    assert_eq!(app.list().unwrap().selected, 0);
    cmd(&mut app, Cmd::Down);
    cmd(&mut app, Cmd::Down);
    assert_eq!(app.list().unwrap().selected, 1, "stops at the last row");
    cmd(&mut app, Cmd::Up);
    assert_eq!(app.list().unwrap().selected, 0);
    cmd(&mut app, Cmd::Bottom);
    assert_eq!(app.list().unwrap().selected, 1);
    cmd(&mut app, Cmd::Top);
    assert_eq!(app.list().unwrap().selected, 0);
    cmd(&mut app, Cmd::PageDown);
    assert_eq!(app.list().unwrap().selected, 1);
    cmd(&mut app, Cmd::PageUp);
    assert_eq!(app.list().unwrap().selected, 0);
    cmd(&mut app, Cmd::Open);
    assert!(app.detail);
    assert_eq!(
        app.selected_cert().unwrap().0.info.short_name(),
        "Fixture Root"
    );
    cmd(&mut app, Cmd::Back);
    assert!(!app.detail);
    cmd(&mut app, Cmd::NextPane);
    assert!(
        app.detail,
        "Tab moves between list and detail in a file view"
    );
    assert!(app.detail_focus);
    cmd(&mut app, Cmd::Back);
    app.update(Action::Scroll(3));
    assert_eq!(app.list().unwrap().selected, 1);
    app.update(Action::Scroll(-3));
    assert_eq!(app.list().unwrap().selected, 0);
}

#[test]
fn the_detail_pane_scrolls_when_it_has_the_focus() {
    // Narrow: the detail covers the list, so keys scroll it.
    let mut app = app_with_bundle((80, 24));
    cmd(&mut app, Cmd::Open);
    assert!(app.detail && app.detail_focus);
    cmd(&mut app, Cmd::Down);
    cmd(&mut app, Cmd::PageDown);
    assert_eq!(app.list().unwrap().selected, 0, "the list stays put");
    assert_eq!(app.detail_scroll, 1 + app.page() as u16);
    cmd(&mut app, Cmd::Top);
    assert_eq!(app.detail_scroll, 0);
    // Wide: list and detail side by side; keys move in the list (and the
    // detail follows) until Tab gives the detail the focus.
    let mut app = app_with_bundle((120, 40));
    cmd(&mut app, Cmd::Open);
    assert!(app.detail && !app.detail_focus);
    cmd(&mut app, Cmd::Down);
    assert_eq!(app.list().unwrap().selected, 1);
    assert_eq!(
        app.selected_cert().unwrap().0.info.short_name(),
        "Fixture Intermediate X"
    );
    cmd(&mut app, Cmd::NextPane);
    assert!(app.detail_focus);
    cmd(&mut app, Cmd::Down);
    assert_eq!((app.list().unwrap().selected, app.detail_scroll), (1, 1));
}

#[test]
fn filtering_by_any_text() {
    let mut app = app_with_bundle((80, 24));
    cmd(&mut app, Cmd::Filter);
    assert_eq!(app.mode(), Mode::Typing);
    typed(&mut app, "inter");
    assert_eq!(app.list().unwrap().filtered, [1]);
    cmd(&mut app, Cmd::DeleteChar);
    assert_eq!(app.list().unwrap().filter, "inte");
    cmd(&mut app, Cmd::Submit);
    assert_eq!(app.mode(), Mode::Normal);
    assert_eq!(app.list().unwrap().filtered.len(), 1);
    cmd(&mut app, Cmd::Back);
    assert_eq!(
        app.list().unwrap().filtered.len(),
        2,
        "Esc clears the filter"
    );
    // A pin prefix filters too.
    let pin = app.files[0].loaded.as_ref().unwrap().rows[0]
        .info
        .pin_sha256[..10]
        .to_owned();
    cmd(&mut app, Cmd::Filter);
    typed(&mut app, &pin);
    assert_eq!(app.list().unwrap().filtered, [0]);
    cmd(&mut app, Cmd::Cancel);
    assert_eq!(app.list().unwrap().filtered.len(), 2);
}

#[test]
fn tabs_panes_help_and_quit() {
    let mut app = app_with_bundle((80, 24));
    cmd(&mut app, Cmd::NextTab);
    assert_eq!(app.current_tab(), Tab::Pins);
    cmd(&mut app, Cmd::NextTab);
    assert_eq!(app.current_tab(), Tab::Store);
    cmd(&mut app, Cmd::PrevTab);
    assert_eq!(app.current_tab(), Tab::Pins);
    cmd(&mut app, Cmd::NextTab);
    assert_eq!(app.store.pane, StorePane::Cas);
    cmd(&mut app, Cmd::NextPane);
    assert_eq!(app.store.pane, StorePane::Issued);
    cmd(&mut app, Cmd::Help);
    assert_eq!(app.overlay, Some(Overlay::Help));
    assert_eq!(app.mode(), Mode::Help);
    cmd(&mut app, Cmd::Back);
    assert_eq!(app.overlay, None);
    app.update(Action::Resize(120, 40));
    assert_eq!(app.size, (120, 40));
    app.update(Action::Tick);
    assert!(!app.quit);
    cmd(&mut app, Cmd::Quit);
    assert!(app.quit);
}

#[test]
fn marking_builds_the_pins_view_and_w_writes_it() {
    let mut app = app_with_bundle((80, 24));
    cmd(&mut app, Cmd::Mark);
    cmd(&mut app, Cmd::Down);
    cmd(&mut app, Cmd::Mark);
    assert_eq!(app.marked.len(), 2);
    cmd(&mut app, Cmd::Mark);
    assert_eq!(app.marked.len(), 1, "space again unmarks");
    cmd(&mut app, Cmd::Pins);
    assert_eq!(app.current_tab(), Tab::Pins);
    assert!(
        app.pins_text
            .starts_with("pinned_certs: [\n  # O=tlsctl fixtures, CN=Fixture Root")
    );
    cmd(&mut app, Cmd::WritePins);
    let Some(Overlay::Prompt(p)) = &app.overlay else {
        panic!("a prompt")
    };
    assert_eq!(p.purpose, PromptFor::WritePins);
    for _ in 0..p.input.len() {
        cmd(&mut app, Cmd::DeleteChar);
    }
    typed(&mut app, "/tmp/pins.conf");
    let effects = cmd(&mut app, Cmd::Submit);
    assert_eq!(
        effects,
        [Effect::WritePins {
            path: "/tmp/pins.conf".into(),
            text: app.pins_text.clone(),
            replace: false,
        }]
    );
    assert_eq!(app.busy, 1);
    let after = app.update(Action::Job(JobResult::Done {
        result: Ok("wrote it".into()),
        warnings: vec![],
        reload: Reload::Nothing,
    }));
    assert!(after.is_empty());
    assert_eq!(app.busy, 0);
    assert_eq!(app.status.as_ref().unwrap().0, "wrote it");
}

#[test]
fn adding_and_removing_ask_first_and_reload_after() {
    let mut app = app_with_bundle((80, 24));
    cmd(&mut app, Cmd::Add);
    typed(&mut app, "x3.pem r3.pem");
    assert!(
        cmd(&mut app, Cmd::Submit).is_empty(),
        "nothing happens before the confirmation"
    );
    assert!(matches!(app.overlay, Some(Overlay::Confirm { .. })));
    assert_eq!(app.mode(), Mode::Confirm);
    let effects = cmd(&mut app, Cmd::Yes);
    let bundle = fixture("misc/bundle-crlf-prose.pem");
    assert_eq!(
        effects,
        [Effect::AddToBundle {
            index: 0,
            bundle: bundle.clone(),
            inputs: vec!["x3.pem".into(), "r3.pem".into()]
        }]
    );
    let reload = app.update(Action::Job(JobResult::Done {
        result: Ok("added 2".into()),
        warnings: vec![],
        reload: Reload::File(0),
    }));
    assert_eq!(
        reload,
        [Effect::LoadFile {
            index: 0,
            path: bundle.clone()
        }]
    );
    // Remove: what it cuts off, confirm, then the fingerprint of the
    // selected certificate.
    cmd(&mut app, Cmd::Down);
    ask_remove(&mut app);
    let Some(Overlay::Confirm { question, .. }) = &app.overlay else {
        panic!("a confirmation")
    };
    assert!(question.starts_with("Remove O=tlsctl fixtures, CN=Fixture Intermediate X from"));
    assert!(cmd(&mut app, Cmd::No).is_empty());
    assert_eq!(app.overlay, None);
    ask_remove(&mut app);
    let effects = cmd(&mut app, Cmd::Yes);
    let fp = app.files[0].loaded.as_ref().unwrap().rows[1]
        .info
        .fingerprint_sha256
        .clone();
    assert!(
        matches!(&effects[..], [Effect::RemoveFromBundle { fingerprint, index: 0, .. }] if *fingerprint == fp)
    );
    // Outside a bundle, a and d say where they work.
    cmd(&mut app, Cmd::PrevTab);
    assert!(cmd(&mut app, Cmd::Remove).is_empty());
    assert!(app.status.as_ref().unwrap().0.contains("open a bundle"));
}

#[test]
fn the_ca_form_validates_as_you_type() {
    let mut app = app_with_bundle((80, 24));
    cmd(&mut app, Cmd::PrevTab); // the store
    cmd(&mut app, Cmd::NewCa);
    let form = |app: &App| match &app.overlay {
        Some(Overlay::Form(f)) => f.clone(),
        _ => panic!("a form"),
    };
    assert_eq!(form(&app).kind, FormKind::Ca);
    assert_eq!(
        form(&app).value("Parent"),
        "root",
        "the selected CA is the default parent"
    );
    assert_eq!(
        form(&app).fields[0].error.as_deref(),
        Some("a name is needed")
    );
    typed(&mut app, "x");
    assert_eq!(
        form(&app).fields[0].error.as_deref(),
        Some("a CA named \"x\" exists")
    );
    typed(&mut app, "3/");
    assert!(
        form(&app).fields[0]
            .error
            .as_deref()
            .unwrap()
            .contains("not a valid name")
    );
    cmd(&mut app, Cmd::DeleteChar);
    assert_eq!(form(&app).fields[0].error, None);
    assert!(cmd(&mut app, Cmd::Submit).is_empty() || app.overlay.is_none());
    // Choices cycle with the arrows.
    let mut app = app_with_bundle((80, 24));
    cmd(&mut app, Cmd::NewCa);
    typed(&mut app, "standby");
    cmd(&mut app, Cmd::NextField);
    cmd(&mut app, Cmd::NextField);
    assert_eq!(form(&app).focus, 2);
    cmd(&mut app, Cmd::ChoiceNext);
    assert_eq!(form(&app).value("Key type"), "ecdsa-p384");
    cmd(&mut app, Cmd::ChoicePrev);
    cmd(&mut app, Cmd::ChoicePrev);
    assert_eq!(form(&app).value("Key type"), "rsa-4096");
    cmd(&mut app, Cmd::NextField);
    typed(&mut app, "0");
    assert!(form(&app).fields[3].error.is_some());
    let effects = cmd(&mut app, Cmd::Submit);
    assert!(effects.is_empty(), "an invalid form is not submitted");
    assert_eq!(form(&app).focus, 3, "the focus goes to the bad field");
    cmd(&mut app, Cmd::DeleteChar);
    typed(&mut app, "30");
    let effects = cmd(&mut app, Cmd::Submit);
    assert!(
        matches!(&effects[..], [Effect::CreateCa(f)] if f.value("Name") == "standby" && f.value("Days") == "30")
    );
    assert_eq!(app.overlay, None);
    assert_eq!(app.busy, 1);
    // Esc cancels a form.
    cmd(&mut app, Cmd::IssueCert);
    cmd(&mut app, Cmd::Cancel);
    assert_eq!(app.overlay, None);
}

#[test]
fn the_cert_form_checks_sans_with_the_cli_rules() {
    let mut app = app_with_bundle((80, 24));
    cmd(&mut app, Cmd::IssueCert);
    let form = |app: &App| match &app.overlay {
        Some(Overlay::Form(f)) => f.clone(),
        _ => panic!("a form"),
    };
    assert_eq!(
        form(&app).fields[0].error.as_deref(),
        Some("at least one name")
    );
    typed(&mut app, "a.*.example");
    assert!(
        form(&app).fields[0]
            .error
            .as_deref()
            .unwrap()
            .contains("whole leftmost label")
    );
    for _ in 0.."a.*.example".len() {
        cmd(&mut app, Cmd::DeleteChar);
    }
    typed(&mut app, "node.example 10.0.0.1");
    assert_eq!(form(&app).fields[0].error, None);
    cmd(&mut app, Cmd::NextField);
    cmd(&mut app, Cmd::NextField);
    typed(&mut app, "nope");
    assert_eq!(
        form(&app).fields[2].error.as_deref(),
        Some("no CA named \"nope\" in the store")
    );
    for _ in 0..4 {
        cmd(&mut app, Cmd::DeleteChar);
    }
    let effects = cmd(&mut app, Cmd::Submit);
    assert!(
        matches!(&effects[..], [Effect::IssueCert(f)] if f.value("SANs") == "node.example 10.0.0.1")
    );
}

#[test]
fn reload_asks_for_the_current_view() {
    let mut app = app_with_bundle((80, 24));
    assert_eq!(
        cmd(&mut app, Cmd::Reload),
        [Effect::LoadFile {
            index: 0,
            path: fixture("misc/bundle-crlf-prose.pem")
        }]
    );
    cmd(&mut app, Cmd::PrevTab);
    assert_eq!(cmd(&mut app, Cmd::Reload), [Effect::LoadStore]);
}

fn diff_app(size: (u16, u16)) -> App {
    let launch = Launch {
        files: vec![],
        diff: Some((
            fixture("chain/inter.pem"),
            fixture("chain/inter-r.pem"),
            vec![fixture("chain/leaf.pem"), fixture("chain/leaf-r.pem")],
        )),
        confs: vec![],
        ..Launch::default()
    };
    let (mut app, effects) = App::new(&launch, size);
    assert_eq!(app.current_tab(), Tab::Diff);
    for effect in effects {
        let result = match effect {
            Effect::LoadStore => JobResult::Store(Ok(snapshot())),
            other => jobs::run(other, &env()),
        };
        app.update(Action::Job(result));
    }
    app
}

#[test]
fn the_diff_view_puts_lost_peers_first() {
    let mut app = diff_app((80, 24));
    let d = app.diff.as_ref().unwrap();
    assert_eq!(
        d.pane,
        DiffPane::Peers,
        "with peers, the peers pane has the focus"
    );
    let parts = d.parts.as_ref().unwrap();
    assert_eq!(parts.peers[0].verdict.as_str(), "lost");
    assert_eq!(parts.peers[1].verdict.as_str(), "gained");
    cmd(&mut app, Cmd::NextPane);
    assert_eq!(app.diff.as_ref().unwrap().pane, DiffPane::Changes);
    cmd(&mut app, Cmd::Filter);
    typed(&mut app, "added");
    assert_eq!(app.list().unwrap().filtered.len(), 1);
    cmd(&mut app, Cmd::Submit);
    cmd(&mut app, Cmd::Open);
    assert!(app.detail, "a diff row opens its detail");
}

#[test]
fn screens_at_80x24_and_120x40() {
    for (w, h) in [(80u16, 24u16), (120, 40)] {
        let mut app = app_with_bundle((w, h));
        snap!(format!("bundle_{w}x{h}"), screen(&app, w, h));
        cmd(&mut app, Cmd::Open);
        snap!(format!("bundle_detail_{w}x{h}"), screen(&app, w, h));
        cmd(&mut app, Cmd::Back);
        cmd(&mut app, Cmd::Help);
        snap!(format!("help_{w}x{h}"), screen(&app, w, h));
        cmd(&mut app, Cmd::Back);
        cmd(&mut app, Cmd::Mark);
        cmd(&mut app, Cmd::Pins);
        snap!(format!("pins_{w}x{h}"), screen(&app, w, h));
        cmd(&mut app, Cmd::NextTab);
        snap!(format!("store_{w}x{h}"), screen(&app, w, h));
        cmd(&mut app, Cmd::NewCa);
        snap!(format!("form_ca_{w}x{h}"), screen(&app, w, h));
        cmd(&mut app, Cmd::Cancel);
        cmd(&mut app, Cmd::IssueCert);
        typed(&mut app, "node.example 10.0.0.1");
        snap!(format!("form_cert_{w}x{h}"), screen(&app, w, h));
        cmd(&mut app, Cmd::Cancel);
        cmd(&mut app, Cmd::NextTab);
        cmd(&mut app, Cmd::Down);
        ask_remove(&mut app);
        snap!(format!("confirm_{w}x{h}"), screen(&app, w, h));
        let mut app = diff_app((w, h));
        snap!(format!("diff_{w}x{h}"), screen(&app, w, h));
        cmd(&mut app, Cmd::Open);
        snap!(format!("diff_peer_detail_{w}x{h}"), screen(&app, w, h));
    }
}

#[test]
fn issuing_from_an_intermediate_without_the_chain_says_so_in_the_status_line() {
    // The CLI warns on stderr; the TUI, quiet, says it in the result.
    let sb = crate::support::Sandbox::new();
    sb.cmd().args(["ca", "create", "root"]).assert().success();
    sb.cmd()
        .args(["ca", "create", "x3", "--parent", "root"])
        .assert()
        .success();
    let env = Env::new(Some(sb.store()), Clock::Fixed(now()));
    let issue = |dir: &str, chain: &str| {
        let mut form = tlsctl::tui::app::Form::cert(Some("x3"));
        for f in &mut form.fields {
            match f.label {
                "SANs" => f.value = format!("{dir}.example"),
                "Output dir" => f.value = sb.path(dir).display().to_string(),
                "Chain" => f.value = chain.to_owned(),
                _ => {}
            }
        }
        match jobs::run(Effect::IssueCert(form), &env) {
            JobResult::Done { result, .. } => result.unwrap(),
            _ => panic!("issuing is a Done job"),
        }
    };
    let alone = issue("a", "no");
    assert!(alone.contains("from x3"), "{alone}");
    assert!(
        alone.contains("leaf alone: peers that trust only the root need Chain: yes"),
        "{alone}"
    );
    let chained = issue("b", "yes");
    assert!(!chained.contains("leaf alone"), "{chained}");
}

#[test]
fn a_new_filter_starts_at_the_first_match_at_the_top() {
    let mut app = app_with_bundle((80, 24));
    cmd(&mut app, Cmd::Bottom);
    assert!(app.list().unwrap().selected > 0);
    cmd(&mut app, Cmd::Filter);
    typed(&mut app, "fixture");
    let list = app.list().unwrap();
    assert_eq!((list.selected, list.offset), (0, 0));
    assert!(list.filtered.len() > 1);
}

#[test]
fn the_detail_scroll_stops_at_the_end_and_g_end_goes_there() {
    let mut app = app_with_bundle((80, 24));
    cmd(&mut app, Cmd::Open);
    assert!(app.detail_focus);
    // The view draws and tells the model how far the pane can scroll.
    screen(&app, 80, 24);
    let limit = app.detail_limit.get();
    assert!(limit > 0 && limit < 100, "{limit}");
    for _ in 0..(limit + 7) {
        cmd(&mut app, Cmd::Down);
    }
    assert_eq!(app.detail_scroll, limit, "no scrolling past the end");
    cmd(&mut app, Cmd::Up);
    assert_eq!(app.detail_scroll, limit - 1, "one key up moves at once");
    cmd(&mut app, Cmd::Top);
    cmd(&mut app, Cmd::Bottom);
    assert_eq!(
        app.detail_scroll, limit,
        "G scrolls the detail, not the list"
    );
    assert_eq!(app.list().unwrap().selected, 0);
}

#[test]
fn a_reload_that_fails_shows_the_error_not_the_old_rows() {
    let mut app = app_with_bundle((80, 24));
    assert!(app.files[0].loaded.is_some());
    app.update(Action::Job(JobResult::File {
        index: 0,
        result: Err("b.pem: holds no PEM block and is not DER".into()),
    }));
    assert!(app.files[0].loaded.is_none());
    let s = screen(&app, 80, 24);
    assert!(s.contains("holds no PEM block"), "{s}");
    assert!(!s.contains("Fixture Root"), "{s}");
}

#[test]
fn writing_pins_never_replaces_a_file_without_a_yes_and_never_a_bundle() {
    let sb = crate::support::Sandbox::new();
    let bundle = sb.write(
        "trust.pem",
        std::fs::read(fixture("chain/root.pem")).unwrap(),
    );
    let other = sb.write("pins.conf", "old pins\n");
    let fresh = sb.path("new.conf");
    let write = |path: &std::path::Path, replace: bool| {
        jobs::run(
            Effect::WritePins {
                path: path.to_owned(),
                text: "pinned_certs: []\n".into(),
                replace,
            },
            &env(),
        )
    };
    // A new file is written.
    assert!(matches!(
        write(&fresh, false),
        JobResult::Done { result: Ok(_), .. }
    ));
    assert_eq!(
        std::fs::read_to_string(&fresh).unwrap(),
        "pinned_certs: []\n"
    );
    // An existing file needs a yes first ...
    let JobResult::Confirm { question, effect } = write(&other, false) else {
        panic!("a confirmation")
    };
    assert!(question.contains("exists. Replace it"), "{question}");
    assert_eq!(std::fs::read_to_string(&other).unwrap(), "old pins\n");
    // ... which the app shows, and y runs.
    let mut app = app_with_bundle((80, 24));
    app.update(Action::Job(JobResult::Confirm {
        question,
        effect: effect.clone(),
    }));
    assert_eq!(cmd(&mut app, Cmd::Yes), std::slice::from_ref(&effect));
    assert!(matches!(
        jobs::run(effect, &env()),
        JobResult::Done { result: Ok(_), .. }
    ));
    assert_eq!(
        std::fs::read_to_string(&other).unwrap(),
        "pinned_certs: []\n"
    );
    // A bundle (or a key) is never replaced, even with a yes.
    let before = std::fs::read(&bundle).unwrap();
    for replace in [false, true] {
        let JobResult::Done { result: Err(e), .. } = write(&bundle, replace) else {
            panic!("refused")
        };
        assert!(e.contains("holds PEM blocks"), "{e}");
    }
    assert_eq!(std::fs::read(&bundle).unwrap(), before);
}

#[test]
fn a_form_whose_job_fails_comes_back_with_its_input_and_the_reason() {
    let mut app = app_with_bundle((80, 24));
    cmd(&mut app, Cmd::PrevTab);
    cmd(&mut app, Cmd::NewCa);
    typed(&mut app, "team");
    let effects = cmd(&mut app, Cmd::Submit);
    assert!(matches!(&effects[..], [Effect::CreateCa(_)]));
    assert!(app.overlay.is_none());
    app.update(Action::Job(JobResult::Done {
        result: Err("the store is read-only".into()),
        warnings: vec![],
        reload: Reload::Nothing,
    }));
    let Some(Overlay::Form(form)) = &app.overlay else {
        panic!("the form is back")
    };
    assert_eq!(form.value("Name"), "team");
    assert_eq!(form.error.as_deref(), Some("the store is read-only"));
    assert!(screen(&app, 80, 24).contains("the store is read-only"));
}

#[test]
fn the_ca_form_refuses_a_parent_with_path_length_0_and_absurd_days() {
    let mut app = app_with_bundle((80, 24));
    cmd(&mut app, Cmd::PrevTab);
    cmd(&mut app, Cmd::NewCa);
    let field = |app: &App, label: &str| match &app.overlay {
        Some(Overlay::Form(f)) => f
            .fields
            .iter()
            .find(|x| x.label == label)
            .unwrap()
            .error
            .clone(),
        _ => panic!("a form"),
    };
    typed(&mut app, "sub");
    cmd(&mut app, Cmd::NextField);
    // "root" is the default parent; x has path length 0.
    assert_eq!(field(&app, "Parent"), None);
    for _ in 0..4 {
        cmd(&mut app, Cmd::DeleteChar);
    }
    typed(&mut app, "x");
    assert_eq!(
        field(&app, "Parent").as_deref(),
        Some("x has path length 0: it signs leaves, not other CAs")
    );
    cmd(&mut app, Cmd::NextField);
    cmd(&mut app, Cmd::NextField);
    typed(&mut app, "99999999");
    assert!(field(&app, "Days").unwrap().contains("at most"));
}

#[test]
fn the_current_tab_stays_visible_with_many_files_open() {
    let files: Vec<PathBuf> = (0..12).map(|_| fixture("chain/root.pem")).collect();
    let launch = Launch {
        files,
        ..Launch::default()
    };
    let (mut app, _) = App::new(&launch, (80, 24));
    for _ in 0..11 {
        cmd(&mut app, Cmd::NextTab);
    }
    let first_line = screen(&app, 80, 24).lines().next().unwrap().to_owned();
    assert!(first_line.contains('‹'), "{first_line}");
    assert!(first_line.contains("root.pem"), "{first_line}");
    cmd(&mut app, Cmd::NextTab);
    assert_eq!(app.current_tab(), Tab::Pins);
    let first_line = screen(&app, 80, 24).lines().next().unwrap().to_owned();
    assert!(first_line.contains("Pins (0)"), "{first_line}");
}

#[test]
fn the_help_scrolls_on_a_short_terminal() {
    let mut app = app_with_bundle((80, 24));
    cmd(&mut app, Cmd::Help);
    let s = screen(&app, 80, 24);
    assert!(s.contains("↓ more: j/k scroll"), "{s}");
    assert!(!s.contains("In forms and prompts"));
    for _ in 0..20 {
        cmd(&mut app, Cmd::Down);
    }
    let s = screen(&app, 80, 24);
    assert!(s.contains("In forms and prompts"), "{s}");
    assert!(
        matches!(app.overlay, Some(Overlay::Help)),
        "j scrolls, it does not close"
    );
    cmd(&mut app, Cmd::Back);
    assert!(app.overlay.is_none());
}

/// A screen without colour as text, each line that has reverse video
/// followed by a line marking those columns with `^`; and every cell is
/// checked to carry no colour at all.
pub(crate) fn plain_screen(app: &App, w: u16, h: u16) -> String {
    use ratatui::style::{Color, Modifier};
    assert!(!app.color);
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal.draw(|f| view::draw(f, app)).unwrap();
    let buffer = terminal.backend().buffer().clone();
    let mut out = String::new();
    for y in 0..h {
        let mut marks = String::new();
        for x in 0..w {
            let cell = &buffer[(x, y)];
            assert_eq!(
                (cell.fg, cell.bg),
                (Color::Reset, Color::Reset),
                "colour at {x},{y}"
            );
            out.push_str(cell.symbol());
            marks.push(if cell.modifier.contains(Modifier::REVERSED) {
                '^'
            } else {
                ' '
            });
        }
        out.push('\n');
        if marks.contains('^') {
            out.push_str(marks.trim_end());
            out.push('\n');
        }
    }
    out
}

#[test]
fn without_colour_the_selection_and_the_focus_still_show() {
    for (w, h) in [(80u16, 24u16), (120, 40)] {
        let mut app = app_with_bundle((w, h));
        app.color = false;
        cmd(&mut app, Cmd::Down);
        let s = plain_screen(&app, w, h);
        // The selected row: a pointer, and reverse video across it.
        let row = s
            .lines()
            .position(|l| l.contains("Fixture Intermediate X"))
            .unwrap();
        let line = s.lines().nth(row).unwrap();
        assert!(line.starts_with("┃>"), "{line}");
        assert!(
            s.lines().nth(row + 1).unwrap().contains("^^^^^^^^^^"),
            "{s}"
        );
        // The focused pane: a thick border.
        let top = s.lines().find(|l| l.starts_with(['┏', '┌'])).unwrap();
        assert!(top.starts_with('┏'), "{s}");
        snap!(format!("nocolor_bundle_{w}x{h}"), s);
        // The store: Tab moves the focus (and the thick border) to the
        // issued certificates; the current tab is in reverse video.
        cmd(&mut app, Cmd::PrevTab);
        cmd(&mut app, Cmd::NextPane);
        let s = plain_screen(&app, w, h);
        let cas = s.lines().find(|l| l.contains(" CAs (3)")).unwrap();
        let issued = s
            .lines()
            .find(|l| l.contains(" Issued certificates"))
            .unwrap();
        assert!(cas.starts_with("┌"), "{cas}");
        assert!(issued.starts_with("┏"), "{issued}");
        assert!(
            s.lines().nth(1).unwrap().contains("^^^^^^^"),
            "the Store tab"
        );
        snap!(format!("nocolor_store_{w}x{h}"), s);
        // A form: the focused field is in reverse video with a pointer.
        cmd(&mut app, Cmd::NewCa);
        let s = plain_screen(&app, w, h);
        assert!(s.contains(">Name"), "{s}");
        snap!(format!("nocolor_form_ca_{w}x{h}"), s);
    }
}

#[test]
fn at_80x24_the_detail_starts_with_the_pin_and_an_unbroken_fingerprint() {
    let mut app = app_with_bundle((80, 24));
    cmd(&mut app, Cmd::Open);
    let s = screen(&app, 80, 24);
    let info = &app.files[0].loaded.as_ref().unwrap().rows[0].info;
    let lines: Vec<&str> = s.lines().collect();
    assert!(lines[2].contains("SPKI pin:"), "{s}");
    let pin_line = lines.iter().position(|l| l.contains(&info.pin_sha256));
    let fp_line = lines
        .iter()
        .position(|l| l.contains(&info.fingerprint_sha256));
    assert!(pin_line.is_some_and(|i| i <= 4), "{s}");
    assert!(
        fp_line.is_some_and(|i| i <= 9),
        "the fingerprint whole, on one line, near the top:\n{s}"
    );
}

#[test]
fn list_columns_are_as_wide_as_their_content() {
    for (w, h) in [(80u16, 24u16), (120, 40)] {
        let mut app = app_with_bundle((w, h));
        cmd(&mut app, Cmd::PrevTab);
        for open in [false, true] {
            if open {
                cmd(&mut app, Cmd::Open);
            }
            let s = screen(&app, w, h);
            let shown = if open && w < 100 {
                continue;
            } else {
                &s
            };
            assert!(shown.contains("intermediate"), "{shown}");
            assert!(
                !shown.contains("intermedia ") && !shown.contains("intermedi…"),
                "{shown}"
            );
            // The key column is whole or left out, never cut.
            for line in shown.lines() {
                if let Some(at) = line.find("ECDSA P-") {
                    assert!(line[at..].starts_with("ECDSA P-256"), "{line}");
                }
            }
        }
    }
    // The bundle list beside its detail at 120x40 too.
    let mut app = app_with_bundle((120, 40));
    cmd(&mut app, Cmd::Open);
    let s = screen(&app, 120, 40);
    assert!(s.contains("intermediate"), "{s}");
}

#[test]
fn empty_states_and_peer_reasons_wrap_instead_of_being_cut() {
    let mut app = app_with_bundle((80, 24));
    app.update(Action::Job(JobResult::Store(Ok(StoreSnapshot {
        root: "/home/ops/.local/share/tlsctl".into(),
        ..StoreSnapshot::default()
    }))));
    cmd(&mut app, Cmd::PrevTab);
    let s = screen(&app, 80, 24);
    let flat = s
        .replace(['│', '┃'], " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        flat.contains("(and first makes a CA named \"default\")."),
        "{s}"
    );
    assert!(
        flat.contains("i issues a certificate from the selected CA."),
        "{s}"
    );
    // The pins view with nothing marked.
    cmd(&mut app, Cmd::Pins);
    let s = screen(&app, 80, 24);
    let flat = s
        .replace('│', " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(flat.contains("which w writes to a file."), "{s}");
    // A lost peer's reason, whole, over several lines.
    let app = diff_app((80, 24));
    let parts = app.diff.as_ref().unwrap().parts.as_ref().unwrap();
    let reason = parts.peers[0].new.failure().unwrap().to_string();
    let s = screen(&app, 80, 24);
    let flat = s
        .replace(['│', '┃'], " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let words: Vec<&str> = reason.split_whitespace().collect();
    assert!(words.len() > 6, "{reason}");
    assert!(flat.contains(words.last().unwrap()), "{reason}\n{s}");
}

#[test]
fn the_footer_shows_the_keys_of_the_view_and_the_mode() {
    let footer = |app: &App, w: u16| screen(app, w, 24).lines().last().unwrap().to_owned();
    let mut app = app_with_bundle((80, 24));
    let bar = footer(&app, 80);
    for want in ["space mark", "a add", "d remove", "? help", "q quit"] {
        assert!(bar.contains(want), "{bar}");
    }
    assert!(!bar.contains("new CA"), "{bar}");
    cmd(&mut app, Cmd::PrevTab);
    let bar = footer(&app, 80);
    for want in ["c new CA", "i issue", "space mark", "q quit"] {
        assert!(bar.contains(want), "{bar}");
    }
    assert!(!bar.contains("a add"), "{bar}");
    cmd(&mut app, Cmd::NewCa);
    let bar = footer(&app, 80);
    assert!(
        bar.contains("C-w delete word") && bar.contains("Tab next field"),
        "{bar}"
    );
    cmd(&mut app, Cmd::NextField);
    cmd(&mut app, Cmd::NextField);
    let bar = footer(&app, 80);
    assert!(
        bar.contains("→ choose") && !bar.contains("delete word"),
        "{bar}"
    );
    cmd(&mut app, Cmd::Cancel);
    cmd(&mut app, Cmd::Pins);
    assert!(footer(&app, 80).contains("w write"));
    cmd(&mut app, Cmd::Help);
    let bar: Vec<String> = tlsctl::tui::view::help_bar_items(&app, 80)
        .into_iter()
        .map(|i| format!("{} {}", i.key, i.label))
        .collect();
    assert!(bar.contains(&"G end".to_owned()), "{bar:?}");
}

#[test]
fn text_fields_have_a_cursor_word_delete_and_paste() {
    let mut app = app_with_bundle((80, 24));
    cmd(&mut app, Cmd::IssueCert);
    let sans = |app: &App| match &app.overlay {
        Some(Overlay::Form(f)) => (f.fields[0].value.clone(), f.fields[0].cursor),
        _ => panic!("a form"),
    };
    typed(&mut app, "b.example");
    cmd(&mut app, Cmd::LineStart);
    typed(&mut app, "a.example ");
    assert_eq!(sans(&app), ("a.example b.example".into(), 10));
    cmd(&mut app, Cmd::ChoicePrev);
    cmd(&mut app, Cmd::DeleteWord);
    assert_eq!(sans(&app), (" b.example".into(), 0));
    cmd(&mut app, Cmd::DeleteForward);
    cmd(&mut app, Cmd::LineEnd);
    app.update(Action::Paste(" 10.0.0.1\n".into()));
    assert_eq!(sans(&app), ("b.example 10.0.0.1".into(), 18));
    cmd(&mut app, Cmd::ChoicePrev);
    cmd(&mut app, Cmd::DeleteForward);
    assert_eq!(sans(&app), ("b.example 10.0.0.".into(), 17));
    // The prompt and the filter edit the same way.
    cmd(&mut app, Cmd::Cancel);
    cmd(&mut app, Cmd::Add);
    app.update(Action::Paste("x3.pem r3.pem".into()));
    cmd(&mut app, Cmd::DeleteWord);
    let Some(Overlay::Prompt(p)) = &app.overlay else {
        panic!("a prompt")
    };
    assert_eq!(p.input, "x3.pem ");
    cmd(&mut app, Cmd::Cancel);
    cmd(&mut app, Cmd::Filter);
    typed(&mut app, "zinter");
    assert!(app.list().unwrap().filtered.is_empty());
    cmd(&mut app, Cmd::LineStart);
    cmd(&mut app, Cmd::DeleteForward);
    assert_eq!(app.list().unwrap().filter, "inter");
    assert_eq!(app.list().unwrap().filtered, [1]);
}

#[test]
fn the_ca_form_stages_a_ca_with_path_length_and_organisation() {
    let sb = crate::support::Sandbox::new();
    sb.cmd().args(["ca", "create", "root"]).assert().success();
    let env = Env::new(Some(sb.store()), Clock::Fixed(now()));
    let mut form = tlsctl::tui::app::Form::ca(Some("root"));
    let not_before = (now() + time::Duration::days(30)).date().to_string();
    for f in &mut form.fields {
        match f.label {
            "Name" => f.value = "r3".into(),
            "Organisation" => f.value = "Acme Ops".into(),
            "Path length" => f.value = "1".into(),
            "Not before" => f.value = not_before.clone(),
            _ => {}
        }
    }
    form.validate(&[tlsctl::tui::app::KnownCa {
        name: "root".into(),
        leaves_only: false,
    }]);
    assert!(form.is_valid(), "{form:?}");
    let JobResult::Done { result, .. } = jobs::run(Effect::CreateCa(form.clone()), &env) else {
        panic!("a Done job")
    };
    result.unwrap();
    let JobResult::Store(Ok(snap)) = jobs::run(Effect::LoadStore, &env) else {
        panic!("the store")
    };
    let r3 = snap.cas.iter().find(|c| c.name == "r3").unwrap();
    assert_eq!(r3.row.info.not_before.date().to_string(), not_before);
    assert_eq!(r3.row.expiry().0, format!("staged {not_before}"));
    assert_eq!(
        r3.row.info.basic_constraints.as_ref().unwrap().path_len,
        Some(1)
    );
    assert!(
        r3.row.info.subject.contains("O=Acme Ops"),
        "{}",
        r3.row.info.subject
    );
    // Bad values are caught as they are typed.
    for (label, value) in [("Path length", "256"), ("Not before", "next week")] {
        let mut bad = form.clone();
        for f in &mut bad.fields {
            if f.label == label {
                f.value = value.into();
            }
        }
        bad.validate(&[]);
        assert!(
            bad.fields
                .iter()
                .any(|f| f.label == label && f.error.is_some()),
            "{label}={value}"
        );
    }
}

#[test]
fn removing_from_a_bundle_says_first_which_issued_certificates_it_cuts_off() {
    let sb = crate::support::Sandbox::new();
    sb.cmd().args(["ca", "create", "root"]).assert().success();
    for ca in ["x3", "r3"] {
        sb.cmd()
            .args(["ca", "create", ca, "--parent", "root"])
            .assert()
            .success();
    }
    sb.cmd()
        .args(["cert", "issue", "node-a.example", "--ca", "x3", "--out"])
        .arg(sb.path("node-a"))
        .assert()
        .success();
    let store = sb.store();
    let bundle = sb.path("trust.pem");
    sb.cmd()
        .args(["bundle", "add"])
        .arg(&bundle)
        .arg(store.join("cas/x3/ca.pem"))
        .arg(store.join("cas/r3/ca.pem"))
        .assert()
        .success();
    let env = Env::new(Some(store.clone()), Clock::Fixed(now()));
    let JobResult::Store(Ok(snap)) = jobs::run(Effect::LoadStore, &env) else {
        panic!("the store")
    };
    let launch = Launch {
        files: vec![bundle.clone()],
        ..Launch::default()
    };
    let (mut app, effects) = App::new(&launch, (80, 24));
    for effect in effects {
        let result = match effect {
            Effect::LoadStore => JobResult::Store(Ok(snap.clone())),
            other => jobs::run(other, &env),
        };
        app.update(Action::Job(result));
    }
    let before = std::fs::read(&bundle).unwrap();
    let ask = |app: &mut App| {
        let effects = cmd(app, Cmd::Remove);
        let [Effect::PlanRemove { peers, .. }] = &effects[..] else {
            panic!("{effects:?}")
        };
        assert_eq!(peers, &[sb.path("node-a/cert.pem")]);
        for effect in effects {
            let result = jobs::run(effect, &env);
            app.update(Action::Job(result));
        }
        match &app.overlay {
            Some(Overlay::Confirm { question, .. }) => question.clone(),
            other => panic!("{:?}", other.is_some()),
        }
    };
    // x3 issued node-a: removing it cuts node-a off.
    let question = ask(&mut app);
    assert!(
        question.starts_with("Remove O=tlsctl, CN=x3 from"),
        "{question}"
    );
    assert!(
        question.contains("It cuts off 1 of 1 certificate checked (what the store issued"),
        "{question}"
    );
    assert!(question.contains("lost: CN=node-a.example"), "{question}");
    snap!("confirm_remove_cuts_off_80x24", screen(&app, 80, 24));
    assert!(cmd(&mut app, Cmd::No).is_empty());
    // r3 issued nothing: no one loses trust.
    cmd(&mut app, Cmd::Down);
    let question = ask(&mut app);
    assert!(
        question.contains("No one loses trust: 1 certificate checked"),
        "{question}"
    );
    cmd(&mut app, Cmd::No);
    assert_eq!(std::fs::read(&bundle).unwrap(), before, "nothing written");
}

#[test]
fn a_hex_filter_matches_pin_prefixes_and_titles_count_what_it_shows() {
    let mut app = app_with_bundle((80, 24));
    let rows = &app.files[0].loaded.as_ref().unwrap().rows;
    let pins: Vec<String> = rows.iter().map(|r| r.info.pin_sha256.clone()).collect();
    let fps: Vec<String> = rows
        .iter()
        .map(|r| r.info.fingerprint_sha256.clone())
        .collect();
    // Digits from inside the first pin that begin no pin or fingerprint.
    let inner = (1..56)
        .map(|i| pins[0][i..i + 6].to_owned())
        .find(|d| !pins.iter().chain(&fps).any(|k| k.starts_with(d.as_str())))
        .unwrap();
    cmd(&mut app, Cmd::Filter);
    typed(&mut app, &inner);
    assert!(
        app.list().unwrap().filtered.is_empty(),
        "{inner} is inside, not a prefix"
    );
    cmd(&mut app, Cmd::Cancel);
    cmd(&mut app, Cmd::Filter);
    typed(&mut app, &pins[1][..4]);
    assert!(app.list().unwrap().filtered.contains(&1));
    cmd(&mut app, Cmd::Cancel);
    // A fingerprint prefix as shown, with colons.
    let shown = tlsctl::pki::pin::fingerprint_display(&fps[1]);
    cmd(&mut app, Cmd::Filter);
    typed(&mut app, &shown[..11]);
    assert_eq!(app.list().unwrap().filtered, [1]);
    cmd(&mut app, Cmd::Cancel);
    // The title counts what the filter shows.
    cmd(&mut app, Cmd::Filter);
    typed(&mut app, "intermediate x");
    let s = screen(&app, 80, 24);
    assert!(s.contains("— 1 of 2 certificates"), "{s}");
}

#[test]
fn g_and_end_scroll_the_help_to_its_end() {
    let mut app = app_with_bundle((80, 24));
    cmd(&mut app, Cmd::Help);
    screen(&app, 80, 24);
    cmd(&mut app, Cmd::Bottom);
    assert_eq!(app.help_scroll, app.help_limit.get());
    assert!(app.help_scroll > 0);
    let s = screen(&app, 80, 24);
    assert!(s.contains("Text can be pasted into any field."), "{s}");
    assert!(s.contains("C-w"), "the typing keys are listed: {s}");
    cmd(&mut app, Cmd::Top);
    assert_eq!(app.help_scroll, 0);
    cmd(&mut app, Cmd::PageDown);
    assert!(app.help_scroll > 1);
    assert!(matches!(app.overlay, Some(Overlay::Help)));
}
