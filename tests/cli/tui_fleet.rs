//! The TUI's fleet view (`tlsctl tui --conf A.conf B.conf`): two
//! nats-server configurations of one cluster whose route is broken as
//! configured (each node trusts only intermediate X; node-b's certificate
//! is from R) or breaks under a rehearsed replacement; `App::update` for
//! every action and whole screens without colour at 80x24 and 120x40.

use std::path::PathBuf;

use tlsctl::pki::natscheck::{ConnVerdict, Kind};
use tlsctl::tui::app::{Action, App, Effect, FleetPane, FormKind, JobResult, Launch, Overlay, Tab};
use tlsctl::tui::data::fleet::{Change, FleetOptions};
use tlsctl::tui::jobs;
use tlsctl::tui::keymap::{Cmd, Mode};

use crate::support::Sandbox;
use crate::tui::{cmd, env, plain_screen, repo_pattern, screen, snap, snapshot, typed};

const ROOT: &str = "tests/fixtures/chain/root.pem";
const INTER_X: &str = "tests/fixtures/chain/inter.pem";

/// node-a (a leaf of intermediate X) and node-b (a leaf of R) of cluster
/// c1, routing to each other, each trusting `ca`. The certificate paths
/// are relative: nats-server (and so `nats check`) opens them from its
/// working directory, the checkout here.
fn confs(sb: &Sandbox, ca: &str) -> Vec<PathBuf> {
    [("node-a", "node-b", "leaf"), ("node-b", "node-a", "leaf-r")]
        .iter()
        .map(|(node, peer, cert)| {
            sb.write(
                &format!("{node}.conf"),
                format!(
                    "server_name: {node}\ncluster {{\n  name: c1\n  listen: \"{node}.example.com:6222\"\n  routes: [nats-route://{peer}.example.com:6222]\n  tls {{\n    cert_file: tests/fixtures/chain/{cert}-fullchain.pem\n    key_file: tests/fixtures/chain/{cert}.key\n    ca_file: {ca}\n  }}\n}}\n"
                ),
            )
        })
        .collect()
}

/// The app on those configurations, with every load run as the loop
/// would run it.
fn fleet_app(confs: Vec<PathBuf>, size: (u16, u16)) -> App {
    launched(
        Launch {
            confs,
            ..Launch::default()
        },
        size,
    )
}

/// The app as `launch` asks (`tlsctl tui --conf ... --replace ... --peer
/// ...`), with every load run.
fn launched(launch: Launch, size: (u16, u16)) -> App {
    let (mut app, effects) = App::new(&launch, size);
    assert_eq!(effects.len(), 2, "the store and the fleet load at start");
    run(&mut app, effects);
    app
}

fn run(app: &mut App, effects: Vec<Effect>) {
    for effect in effects {
        let result = match effect {
            Effect::LoadStore => JobResult::Store(Ok(snapshot())),
            other => jobs::run(other, &env()),
        };
        let more = app.update(Action::Job(result));
        run(app, more);
    }
}

fn status(app: &App) -> String {
    app.status.as_ref().map(|s| s.0.clone()).unwrap_or_default()
}

fn form_value(app: &App) -> (FormKind, String, Option<String>) {
    match &app.overlay {
        Some(Overlay::Form(f)) => (f.kind, f.fields[0].value.clone(), f.fields[0].error.clone()),
        _ => panic!("a form"),
    }
}

/// `R`, the field emptied, `text` typed, Enter: the effects.
fn rehearse(app: &mut App, text: &str) -> Vec<Effect> {
    cmd(app, Cmd::Replace);
    assert_eq!(app.mode(), Mode::Typing);
    cmd(app, Cmd::LineEnd);
    while !form_value(app).1.is_empty() {
        cmd(app, Cmd::DeleteChar);
    }
    typed(app, text);
    cmd(app, Cmd::Submit)
}

#[test]
fn the_fleet_view_opens_on_the_configs_and_shows_the_broken_route() {
    let sb = Sandbox::new();
    let mut app = fleet_app(confs(&sb, INTER_X), (80, 24));
    assert_eq!(app.tabs, [Tab::Store, Tab::Fleet, Tab::Pins]);
    assert_eq!(app.current_tab(), Tab::Fleet);
    assert_eq!(app.busy, 0);
    let view = app.fleet.as_ref().unwrap();
    let fleet = view.fleet.as_ref().unwrap();
    assert!(!fleet.rehearsed());
    let names: Vec<&str> = fleet.nodes.iter().map(|n| n.name.as_str()).collect();
    assert_eq!(names, ["node-a", "node-b"]);
    // node-b's certificate does not verify against its own ca_file.
    assert_eq!((fleet.nodes[0].errors, fleet.nodes[1].errors), (0, 1));
    assert_eq!(fleet.links.len(), 1);
    let l = &fleet.links[0];
    assert_eq!(
        (l.kind, l.from.as_str(), l.to.as_str()),
        (Kind::Route, "node-a", "node-b")
    );
    assert_eq!(l.now, Some(ConnVerdict::Broken));
    assert!(
        l.reasons_now
            .iter()
            .any(|r| r.contains("node-a refuses node-b's certificate as a server")),
        "{:?}",
        l.reasons_now
    );
    assert_eq!(status(&app), "0 ok, 0 one-way, 1 broken");
    // The connections have the focus, and say why below.
    assert_eq!(view.pane, FleetPane::Links);
    let s = screen(&app, 80, 24);
    assert!(s.contains(">route node-a -> node-b ✗ broken"), "{s}");
    assert!(s.contains("node-a refuses node-b's certificate"), "{s}");
    // Tab: the nodes; the selected node's findings below.
    cmd(&mut app, Cmd::NextPane);
    cmd(&mut app, Cmd::Down);
    assert_eq!(app.fleet.as_ref().unwrap().pane, FleetPane::Nodes);
    let s = screen(&app, 80, 24);
    assert!(s.contains("Findings of node-b (1)"), "{s}");
    assert!(
        s.contains("error   cluster.tls [cert-does-not-verify]"),
        "{s}"
    );
    // Enter opens them as a scrollable detail; Esc closes it.
    cmd(&mut app, Cmd::Open);
    assert!(app.detail && app.detail_focus);
    cmd(&mut app, Cmd::Back);
    assert!(!app.detail);
    // The filter works on the focused list.
    cmd(&mut app, Cmd::Filter);
    typed(&mut app, "node-a");
    assert_eq!(app.list().unwrap().filtered, [0]);
    cmd(&mut app, Cmd::Cancel);
    // r judges the fleet again, from the files.
    assert_eq!(
        cmd(&mut app, Cmd::Reload),
        [Effect::LoadFleet {
            configs: app.fleet.as_ref().unwrap().configs.clone(),
            replace: vec![],
            options: FleetOptions::default(),
        }]
    );
}

#[test]
fn a_rehearsed_replacement_shows_the_verdicts_now_and_after_what_breaks_first() {
    let sb = Sandbox::new();
    let configs = confs(&sb, ROOT);
    let mut app = fleet_app(configs.clone(), (80, 24));
    let fleet = app.fleet.as_ref().unwrap().fleet.as_ref().unwrap();
    assert_eq!(
        fleet.links[0].now,
        Some(ConnVerdict::Ok),
        "both trust the root"
    );
    // A form, checked as it is typed, with what --replace takes.
    cmd(&mut app, Cmd::Replace);
    assert_eq!(form_value(&app).0, FormKind::Replace);
    typed(&mut app, "root.pem");
    assert_eq!(
        form_value(&app).2.as_deref(),
        Some("\"root.pem\" is not PATH=NEWPATH")
    );
    assert!(cmd(&mut app, Cmd::Submit).is_empty(), "not submitted");
    cmd(&mut app, Cmd::Cancel);
    // The standby roll: the bundle that holds only X replaces the root.
    let effects = rehearse(&mut app, &format!("{ROOT}={INTER_X}"));
    assert_eq!(
        effects,
        [Effect::LoadFleet {
            configs: configs.clone(),
            replace: vec![(ROOT.into(), INTER_X.into())],
            options: FleetOptions::default(),
        }]
    );
    assert_eq!(app.overlay, None);
    assert_eq!(app.busy, 1);
    run(&mut app, effects);
    assert_eq!(app.busy, 0);
    let fleet = app.fleet.as_ref().unwrap().fleet.as_ref().unwrap();
    assert!(fleet.rehearsed());
    let l = &fleet.links[0];
    assert_eq!(
        (l.now, l.after, l.change),
        (
            Some(ConnVerdict::Ok),
            Some(ConnVerdict::Broken),
            Change::Worse
        )
    );
    assert_eq!(l.change.label(l.after), "! breaks");
    // node-b's finding is new after the replacement.
    let b = &fleet.nodes[1];
    assert_eq!(b.errors, 1);
    assert!(b.findings.iter().all(|(_, new)| *new), "{:?}", b.findings);
    assert_eq!(
        status(&app),
        "after the replacement: 0 ok, 0 one-way, 1 broken; 1 connection worse"
    );
    let s = screen(&app, 80, 24);
    assert!(s.contains("✓ ok ✗ broken ! breaks"), "{s}");
    assert!(s.contains("Replacing"), "{s}");
    // The form comes back holding the replacement; emptied, the fleet is
    // judged as configured again.
    cmd(&mut app, Cmd::Replace);
    assert_eq!(form_value(&app).1, format!("{ROOT}={INTER_X}"));
    cmd(&mut app, Cmd::Cancel);
    let effects = rehearse(&mut app, "");
    assert_eq!(
        effects,
        [Effect::LoadFleet {
            configs,
            replace: vec![],
            options: FleetOptions::default(),
        }]
    );
    run(&mut app, effects);
    let fleet = app.fleet.as_ref().unwrap().fleet.as_ref().unwrap();
    assert!(!fleet.rehearsed());
    assert_eq!(fleet.links[0].change, Change::Same);
}

#[test]
fn a_replacement_that_mends_the_route_and_one_that_names_no_file() {
    let sb = Sandbox::new();
    let mut app = fleet_app(confs(&sb, INTER_X), (120, 40));
    let effects = rehearse(&mut app, &format!("{INTER_X}={ROOT}"));
    run(&mut app, effects);
    let fleet = app.fleet.as_ref().unwrap().fleet.as_ref().unwrap();
    let l = &fleet.links[0];
    assert_eq!(
        (l.now, l.after, l.change),
        (
            Some(ConnVerdict::Broken),
            Some(ConnVerdict::Ok),
            Change::Mends
        )
    );
    assert_eq!(fleet.worse(), 0);
    assert!(
        status(&app).ends_with("nothing gets worse"),
        "{}",
        status(&app)
    );
    // A path no TLS block names: the check's warning reaches the status.
    let effects = rehearse(&mut app, &format!("nothere.pem={ROOT}"));
    run(&mut app, effects);
    let s = status(&app);
    assert!(
        s.contains("warning: --replace nothere.pem: no TLS block"),
        "{s}"
    );
}

#[test]
fn an_unreadable_config_is_shown_with_its_name_and_r_outside_the_fleet_says_where() {
    let sb = Sandbox::new();
    let missing = sb.path("gone.conf");
    let mut app = fleet_app(vec![missing], (80, 24));
    let view = app.fleet.as_ref().unwrap();
    assert!(view.fleet.is_none());
    let e = view.error.clone().unwrap();
    assert!(e.contains("gone.conf"), "{e}");
    assert!(screen(&app, 80, 24).contains("gone.conf"));
    cmd(&mut app, Cmd::PrevTab);
    assert_eq!(app.current_tab(), Tab::Store);
    cmd(&mut app, Cmd::Replace);
    assert_eq!(app.overlay, None);
    assert!(
        status(&app).contains("open the fleet view"),
        "{}",
        status(&app)
    );
}

#[test]
fn the_fleet_footer_and_help_have_the_replace_key() {
    let sb = Sandbox::new();
    let mut app = fleet_app(confs(&sb, INTER_X), (80, 24));
    let footer = screen(&app, 80, 24).lines().last().unwrap().to_owned();
    for want in ["R replace", "Tab pane", "/ filter", "? help", "q quit"] {
        assert!(footer.contains(want), "{footer}");
    }
    assert!(!footer.contains("space mark"), "{footer}");
    cmd(&mut app, Cmd::Help);
    cmd(&mut app, Cmd::Bottom);
    screen(&app, 80, 24);
    cmd(&mut app, Cmd::Bottom);
    let mut seen = String::new();
    cmd(&mut app, Cmd::Top);
    for _ in 0..40 {
        seen.push_str(&screen(&app, 80, 24));
        cmd(&mut app, Cmd::Down);
    }
    assert!(
        seen.contains("fleet: rehearse a replacement PATH=NEWPATH"),
        "{seen}"
    );
}

#[test]
fn fleet_screens_without_colour_at_80x24_and_120x40() {
    let sb = Sandbox::new();
    for (w, h) in [(80u16, 24u16), (120, 40)] {
        let mut app = fleet_app(confs(&sb, INTER_X), (w, h));
        app.color = false;
        let s = plain_screen(&app, w, h);
        // The verdict is a mark and a word, and the selected row is in
        // reverse video with its pointer.
        assert!(s.contains("✗ broken"), "{s}");
        let row = s.lines().position(|l| l.contains(">route")).unwrap();
        assert!(s.lines().nth(row + 1).unwrap().contains("^^^^^"), "{s}");
        snap!(format!("fleet_{w}x{h}"), s);
        // Rehearsed: now and after side by side, what breaks marked `!`.
        let mut app = fleet_app(confs(&sb, ROOT), (w, h));
        app.color = false;
        let effects = rehearse(&mut app, &format!("{ROOT}={INTER_X}"));
        run(&mut app, effects);
        cmd(&mut app, Cmd::NextPane);
        cmd(&mut app, Cmd::Down);
        let s = plain_screen(&app, w, h);
        assert!(s.contains("! breaks"), "{s}");
        assert!(s.contains("new after the replacement"), "{s}");
        snap!(format!("fleet_after_{w}x{h}"), s);
        cmd(&mut app, Cmd::Replace);
        snap!(
            format!("fleet_replace_form_{w}x{h}"),
            plain_screen(&app, w, h)
        );
    }
}

#[test]
fn control_characters_of_a_config_are_shown_escaped() {
    let sb = Sandbox::new();
    let conf = sb.write(
        "evil.conf",
        "server_name: \"evil\u{1b}[31mnode\"\ncluster { name: c1, listen: \"a.example.com:6222\", routes: [nats-route://b.example.com:6222] }\n",
    );
    let app = fleet_app(vec![conf], (120, 40));
    let fleet = app.fleet.as_ref().unwrap().fleet.as_ref().unwrap();
    assert_eq!(fleet.nodes[0].name, "evil\u{1b}[31mnode");
    let s = screen(&app, 120, 40);
    assert!(!s.contains('\u{1b}'), "{s}");
    assert!(s.contains("evil\\u{1b}[31mnode"), "{s}");
}

fn fleet_of(app: &App) -> &tlsctl::tui::data::fleet::Fleet {
    app.fleet.as_ref().unwrap().fleet.as_ref().unwrap()
}

fn with(confs: Vec<PathBuf>, options: FleetOptions) -> Launch {
    Launch {
        confs,
        fleet: options,
        ..Launch::default()
    }
}

#[test]
fn replace_at_launch_opens_on_the_fleet_before_and_after() {
    let sb = Sandbox::new();
    let replace = vec![(PathBuf::from(ROOT), PathBuf::from(INTER_X))];
    let launch = Launch {
        confs: confs(&sb, ROOT),
        replace: replace.clone(),
        ..Launch::default()
    };
    let (_, effects) = App::new(&launch, (80, 24));
    assert!(
        effects.contains(&Effect::LoadFleet {
            configs: launch.confs.clone(),
            replace: replace.clone(),
            options: FleetOptions::default(),
        }),
        "{effects:?}"
    );
    let mut app = launched(launch, (80, 24));
    let fleet = fleet_of(&app);
    assert!(fleet.rehearsed());
    assert_eq!(
        (fleet.links[0].now, fleet.links[0].after),
        (Some(ConnVerdict::Ok), Some(ConnVerdict::Broken))
    );
    assert!(
        status(&app).starts_with("after the replacement"),
        "{}",
        status(&app)
    );
    let s = screen(&app, 80, 24);
    assert!(s.contains("Replacing"), "{s}");
    assert!(s.contains("! breaks"), "{s}");
    // R holds it, to change.
    cmd(&mut app, Cmd::Replace);
    assert_eq!(form_value(&app).1, format!("{ROOT}={INTER_X}"));
}

#[test]
fn peers_at_launch_show_each_blocks_verdict() {
    let sb = Sandbox::new();
    let peers: Vec<PathBuf> = ["leaf-fullchain.pem", "leaf-r-fullchain.pem"]
        .iter()
        .map(|f| PathBuf::from(format!("tests/fixtures/chain/{f}")))
        .collect();
    let options = FleetOptions {
        peers: peers.clone(),
        ..FleetOptions::default()
    };
    let mut app = launched(with(confs(&sb, INTER_X), options.clone()), (120, 40));
    let fleet = fleet_of(&app);
    assert_eq!(fleet.result.peers.len(), 2);
    // Both nodes trust X only: X's leaf is accepted, R's refused.
    let (x, r) = (&fleet.result.peers[0], &fleet.result.peers[1]);
    assert!(!x.verdicts.is_empty() && !x.refused(), "{x:?}");
    assert!(r.refused(), "{r:?}");
    assert_eq!(fleet.peers_refused(), 1);
    assert!(
        status(&app).contains("1 of 2 peers refused"),
        "{}",
        status(&app)
    );
    let s = screen(&app, 120, 40);
    assert!(
        s.contains("Peers (2): 1 accepted everywhere, 1 refused"),
        "{s}"
    );
    assert!(s.contains("leaf-r-fullchain.pem"), "{s}");
    assert!(s.contains("✓ accepted node-a cluster.tls as"), "{s}");
    assert!(s.contains("✗ refused  node-a cluster.tls as"), "{s}");
    // At 80x24 the refused peer comes first, and what does not fit is
    // counted.
    let s = screen(&app, 80, 24);
    let first = s
        .lines()
        .position(|l| l.contains("leaf-r-fullchain.pem"))
        .unwrap();
    assert!(
        s.lines().nth(first + 1).unwrap().contains("✗ refused"),
        "{s}"
    );
    assert!(
        s.contains("more line(s): tlsctl nats check --peer lists them all"),
        "{s}"
    );
    // r judges them again with the fleet; so does a rehearsal.
    assert_eq!(
        cmd(&mut app, Cmd::Reload),
        [Effect::LoadFleet {
            configs: app.fleet.as_ref().unwrap().configs.clone(),
            replace: vec![],
            options: options.clone(),
        }]
    );
    let effects = rehearse(&mut app, &format!("{INTER_X}={ROOT}"));
    assert!(
        matches!(&effects[..], [Effect::LoadFleet { options: o, .. }] if *o == options),
        "{effects:?}"
    );
    // Without them: no peers section.
    let app = fleet_app(confs(&sb, INTER_X), (120, 40));
    assert!(!screen(&app, 120, 40).contains("Peers ("));
}

#[test]
fn at_judges_the_fleet_at_that_time() {
    let sb = Sandbox::new();
    let app = fleet_app(confs(&sb, ROOT), (80, 24));
    assert_eq!(fleet_of(&app).links[0].now, Some(ConnVerdict::Ok));
    // The fixtures' leaves expire in 2036.
    let options = FleetOptions {
        at: Some(time::macros::datetime!(2037-01-01 0:00 UTC)),
        ..FleetOptions::default()
    };
    let app = launched(with(confs(&sb, ROOT), options), (80, 24));
    let fleet = fleet_of(&app);
    assert_eq!(
        fleet.links[0].now,
        Some(ConnVerdict::Broken),
        "{:?}",
        fleet.links[0]
    );
    assert!(fleet.nodes.iter().all(|n| n.errors > 0));
}

#[test]
fn server_version_reaches_the_check() {
    let sb = Sandbox::new();
    sb.pki();
    let conf = sb.write(
        "n.conf",
        "leafnodes {\n  listen: 7422\n  tls {\n    cert_file: node-a/cert.pem\n    key_file: node-a/key.pem\n    handshake_first: true\n  }\n}\n",
    );
    let codes = |app: &App| -> Vec<String> {
        fleet_of(app)
            .judged()
            .findings
            .iter()
            .map(|f| f.code.to_string())
            .collect()
    };
    let app = fleet_app(vec![conf.clone()], (80, 24));
    assert!(
        !codes(&app).contains(&"handshake-first-version".to_owned()),
        "{:?}",
        codes(&app)
    );
    let options = FleetOptions {
        server_version: Some("2.9.10".into()),
        ..FleetOptions::default()
    };
    let app = launched(with(vec![conf], options), (80, 24));
    assert!(
        codes(&app).contains(&"handshake-first-version".to_owned()),
        "{:?}",
        codes(&app)
    );
}

#[test]
fn a_mount_stands_in_for_the_secret_directory() {
    use base64::Engine;
    let sb = Sandbox::new();
    let b64 = |f: &str| {
        base64::engine::general_purpose::STANDARD
            .encode(std::fs::read(format!("tests/fixtures/chain/{f}")).unwrap())
    };
    let secret = sb.write(
        "tls-secret.yaml",
        format!(
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: nats-tls\ntype: kubernetes.io/tls\ndata:\n  tls.crt: {}\n  tls.key: {}\n  ca.crt: {}\n",
            b64("leaf-fullchain.pem"),
            b64("leaf.key"),
            b64("root.pem")
        ),
    );
    let conf = sb.write(
        "m.conf",
        "server_name: m\ncluster {\n  name: c1\n  listen: \"m.example.com:6222\"\n  routes: [nats-route://m.example.com:6222]\n  tls {\n    cert_file: /etc/nats-certs/cluster/tls.crt\n    key_file: /etc/nats-certs/cluster/tls.key\n    ca_file: /etc/nats-certs/cluster/ca.crt\n  }\n}\n",
    );
    let without = fleet_app(vec![conf.clone()], (80, 24));
    let options = FleetOptions {
        mounts: vec![("/etc/nats-certs/cluster".into(), secret)],
        ..FleetOptions::default()
    };
    let app = launched(with(vec![conf], options), (80, 24));
    let errors = |app: &App| {
        app.fleet
            .as_ref()
            .unwrap()
            .fleet
            .as_ref()
            .map(|f| f.nodes[0].errors)
    };
    assert_eq!(
        errors(&app),
        Some(0),
        "{:?}",
        app.fleet.as_ref().unwrap().error
    );
    assert_ne!(
        errors(&without),
        Some(0),
        "without the mount the files are missing"
    );
}

#[test]
fn peers_and_a_replacement_at_launch_without_colour_at_80x24_and_120x40() {
    let sb = Sandbox::new();
    for (w, h) in [(80u16, 24u16), (120, 40)] {
        let launch = Launch {
            confs: confs(&sb, ROOT),
            replace: vec![(ROOT.into(), INTER_X.into())],
            fleet: FleetOptions {
                peers: vec!["tests/fixtures/chain/leaf-r-fullchain.pem".into()],
                ..FleetOptions::default()
            },
            ..Launch::default()
        };
        let mut app = launched(launch, (w, h));
        app.color = false;
        let s = plain_screen(&app, w, h);
        assert!(s.contains("! breaks"), "{s}");
        assert!(s.contains("✗ refused"), "{s}");
        snap!(format!("fleet_launch_peers_{w}x{h}"), s);
    }
}

#[test]
fn the_fleet_flags_need_conf_and_say_what_they_take() {
    let sb = Sandbox::new();
    for (args, want) in [
        (
            &["tui", "--peer", "leaf.pem"][..],
            "--peer goes with --diff",
        ),
        (&["tui", "--replace", "a.pem=b.pem"][..], "--conf"),
        (&["tui", "--at", "2027-01-01"][..], "--conf"),
        (
            &["tui", "--conf", "a.conf", "--replace", "a.pem"][..],
            "is not PATH=NEWPATH",
        ),
        (
            &["tui", "--conf", "a.conf", "--mount", "/etc/x"][..],
            "is not PATH=SECRET",
        ),
        (
            &["tui", "--conf", "a.conf", "--at", "soon"][..],
            "is not a time",
        ),
    ] {
        let out = sb.cmd().args(args).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(want), "{args:?}: {err}");
    }
}
