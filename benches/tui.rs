//! The TUI's hot paths on a 10,000-certificate bundle: loading it and
//! drawing the first screen, and one scroll step (update + redraw), on
//! ratatui's TestBackend at 80x24.
//!
//! cargo bench --bench tui

#![allow(clippy::unwrap_used, clippy::panic)] // a benchmark, not production code

use std::hint::black_box;
use std::io::Write;

use criterion::{Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use tlsctl::tui::app::{Action, App, JobResult, Launch};
use tlsctl::tui::keymap::Cmd;
use tlsctl::tui::{data, view};

fn bundle() -> tempfile::NamedTempFile {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/");
    let a = std::fs::read(format!("{dir}chain/inter.pem")).unwrap_or_default();
    let b = std::fs::read(format!("{dir}chain/inter-r.pem")).unwrap_or_default();
    let mut f = tempfile::NamedTempFile::new().unwrap_or_else(|e| panic!("{e}"));
    for _ in 0..5_000 {
        let _ = f.write_all(&a);
        let _ = f.write_all(&b);
    }
    f
}

fn tui(c: &mut Criterion) {
    let file = bundle();
    let now = time::OffsetDateTime::now_utc();
    let launch = Launch {
        files: vec![file.path().to_path_buf()],
        ..Launch::default()
    };
    let mut group = c.benchmark_group("tui_10k");
    group.sample_size(10);
    group.bench_function("load_and_first_screen", |b| {
        b.iter(|| {
            let (mut app, _) = App::new(&launch, (80, 24));
            let loaded = data::load_file(file.path(), now);
            app.update(Action::Job(JobResult::File {
                index: 0,
                result: loaded,
            }));
            let mut terminal =
                Terminal::new(TestBackend::new(80, 24)).unwrap_or_else(|e| panic!("{e}"));
            terminal
                .draw(|f| view::draw(f, &app))
                .unwrap_or_else(|e| panic!("{e}"));
            black_box(app.files.len())
        })
    });
    let (mut app, _) = App::new(&launch, (80, 24));
    app.update(Action::Job(JobResult::File {
        index: 0,
        result: data::load_file(file.path(), now),
    }));
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap_or_else(|e| panic!("{e}"));
    group.sample_size(100);
    group.bench_function("scroll_one_row_and_redraw", |b| {
        b.iter(|| {
            app.update(Action::Cmd(Cmd::Down));
            terminal
                .draw(|f| view::draw(f, &app))
                .unwrap_or_else(|e| panic!("{e}"));
        })
    });
    group.bench_function("filter_keystroke_and_redraw", |b| {
        b.iter(|| {
            app.update(Action::Cmd(Cmd::Filter));
            app.update(Action::Char('x'));
            terminal
                .draw(|f| view::draw(f, &app))
                .unwrap_or_else(|e| panic!("{e}"));
            app.update(Action::Cmd(Cmd::Cancel));
        })
    });
    group.finish();
}

criterion_group!(benches, tui);
criterion_main!(benches);
