//! `tlsctl tui`: the terminal UI, over the same core as the CLI.
//!
//! - `app.rs`: the model; `App::update(Action)` is the only mutator and
//!   returns effects.
//! - `keymap.rs`: the one key table, which also writes the help bar and
//!   the `?` overlay.
//! - `view.rs` and `widgets/`: drawing, from `&App`.
//! - `jobs.rs`: effects (loads, key generation, writes) on worker threads,
//!   their results coming back as events: input never waits.
//! - `data.rs`: rows loaded once, never re-parsed per frame.
//!
//! Jobs run the same `ops` use cases as the CLI, each reading the clock
//! when it runs (`ops::Env`), and bring their warnings back to the status
//! line. Nothing here imports `cli`.
//!
//! The loop is generic over the ratatui backend, so tests drive it with a
//! `TestBackend`. The terminal is restored on quit and, through ratatui's
//! panic hook, on panic.

pub mod app;
pub mod data;
pub mod jobs;
pub mod keymap;
pub mod theme;
pub mod view;
pub mod widgets;

use std::io;
use std::sync::mpsc::{self, Receiver, Sender};
use std::time::Duration;

use anyhow::{Context, Result};
use ratatui::Terminal;
use ratatui::backend::Backend;
use ratatui::crossterm::event::{
    self, Event as TermEvent, KeyEvent, KeyEventKind, KeyModifiers, MouseEventKind,
};

use crate::ops::Env;
use app::{Action, App, Effect, JobResult, Launch};
use keymap::Mode;

/// What the loop reacts to.
pub enum Event {
    Key(KeyEvent),
    /// Text pasted into the terminal (bracketed paste).
    Paste(String),
    Resize(u16, u16),
    /// Mouse wheel rows (negative is up).
    Scroll(i32),
    Tick,
    Job(JobResult),
}

/// The action a key means in the current mode: a command from the key
/// table, or (while typing) the character itself.
pub fn key_action(mode: Mode, key: &KeyEvent) -> Option<Action> {
    if let Some(cmd) = keymap::lookup(mode, key) {
        return Some(Action::Cmd(cmd));
    }
    match (mode, key.code) {
        (Mode::Typing, event::KeyCode::Char(c))
            if !key.modifiers.contains(KeyModifiers::CONTROL)
                && !key.modifiers.contains(KeyModifiers::ALT) =>
        {
            Some(Action::Char(c))
        }
        _ => None,
    }
}

/// Runs the TUI on the real terminal until the user quits; `color` is the
/// shell's decision (`--color`, `NO_COLOR`).
pub fn run(launch: &Launch, env: &Env, color: bool) -> Result<()> {
    // The view strips colours itself when `color` is off; crossterm's own
    // NO_COLOR handling would also turn every colour change into a reset
    // that drops reverse video, so it follows the same decision.
    ratatui::crossterm::style::Colored::set_ansi_color_disabled(!color);
    let mut terminal =
        ratatui::try_init().context("cannot start the terminal UI (is this a terminal?)")?;
    // ratatui's hook restores the terminal on a panic; a job thread's panic
    // is caught and shown as an error (jobs::spawn), so the terminal must
    // stay as it is for it.
    let restore_and_report = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if std::thread::current().name() != Some(jobs::THREAD_NAME) {
            restore_and_report(info);
        }
    }));
    let _ = ratatui::crossterm::execute!(
        io::stdout(),
        event::EnableMouseCapture,
        event::EnableBracketedPaste
    );
    let (tx, rx) = mpsc::channel();
    let input = tx.clone();
    std::thread::spawn(move || read_terminal(&input));
    let size = terminal
        .size()
        .map(|s| (s.width, s.height))
        .unwrap_or((80, 24));
    let (mut app, effects) = App::new(launch, size);
    app.color = color;
    let result = run_loop(&mut terminal, &mut app, effects, env, &tx, &rx);
    let _ = ratatui::crossterm::execute!(
        io::stdout(),
        event::DisableBracketedPaste,
        event::DisableMouseCapture
    );
    ratatui::try_restore().context("restoring the terminal")?;
    result
}

fn read_terminal(tx: &Sender<Event>) {
    loop {
        let event = match event::poll(Duration::from_millis(120)) {
            Ok(true) => match event::read() {
                Ok(TermEvent::Key(k)) if k.kind != KeyEventKind::Release => Event::Key(k),
                Ok(TermEvent::Resize(w, h)) => Event::Resize(w, h),
                Ok(TermEvent::Paste(text)) => Event::Paste(text),
                Ok(TermEvent::Mouse(m)) => match m.kind {
                    MouseEventKind::ScrollDown => Event::Scroll(3),
                    MouseEventKind::ScrollUp => Event::Scroll(-3),
                    _ => continue,
                },
                Ok(_) => continue,
                Err(_) => return,
            },
            Ok(false) => Event::Tick,
            Err(_) => return,
        };
        if tx.send(event).is_err() {
            return;
        }
    }
}

/// The loop: draw, wait for an event, update, start effects. Generic over
/// the backend so that tests can run it on a `TestBackend`.
pub fn run_loop<B: Backend>(
    terminal: &mut Terminal<B>,
    app: &mut App,
    effects: Vec<Effect>,
    env: &Env,
    tx: &Sender<Event>,
    rx: &Receiver<Event>,
) -> Result<()>
where
    B::Error: std::error::Error + Send + Sync + 'static,
{
    for effect in effects {
        jobs::spawn(effect, env.clone(), tx.clone());
    }
    terminal.draw(|f| view::draw(f, app))?;
    while !app.quit {
        let Ok(event) = rx.recv() else { break };
        let action = match event {
            Event::Key(key) => key_action(app.mode(), &key),
            Event::Paste(text) => Some(Action::Paste(text)),
            Event::Resize(w, h) => {
                terminal.autoresize()?;
                Some(Action::Resize(w, h))
            }
            Event::Scroll(n) => Some(Action::Scroll(n)),
            Event::Tick => Some(Action::Tick),
            Event::Job(result) => Some(Action::Job(result)),
        };
        if let Some(action) = action {
            for effect in app.update(action) {
                jobs::spawn(effect, env.clone(), tx.clone());
            }
        }
        terminal.draw(|f| view::draw(f, app))?;
    }
    Ok(())
}
