//! The one key table. It turns keys into commands for the current mode,
//! and the same table writes the help bar and the `?` overlay, so what the
//! help says is what the keys do.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Which table applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Normal,
    /// Typing a filter, a path, or a form field.
    Typing,
    Confirm,
    Help,
}

/// What a key asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cmd {
    Quit,
    Help,
    Up,
    Down,
    Top,
    Bottom,
    PageUp,
    PageDown,
    Open,
    Back,
    NextPane,
    NextTab,
    PrevTab,
    Filter,
    Mark,
    Pins,
    Add,
    Remove,
    NewCa,
    IssueCert,
    Reload,
    WritePins,
    // Typing mode.
    Submit,
    Cancel,
    DeleteChar,
    NextField,
    PrevField,
    ChoiceNext,
    ChoicePrev,
    // Confirm mode.
    Yes,
    No,
}

/// A key, as the table spells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    Char(char),
    Ctrl(char),
    Code(KeyCode),
}

/// One row of the table.
pub struct Binding {
    pub mode: Mode,
    pub keys: &'static [Key],
    pub cmd: Cmd,
    /// What the help overlay says.
    pub help: &'static str,
    /// Shown in the help bar (the short list at the bottom).
    pub bar: Option<&'static str>,
}

use Key::{Char, Code, Ctrl};

/// Every binding, in the order help lists them.
pub const BINDINGS: &[Binding] = &[
    Binding {
        mode: Mode::Normal,
        keys: &[Char('j'), Code(KeyCode::Down)],
        cmd: Cmd::Down,
        help: "next row",
        bar: None,
    },
    Binding {
        mode: Mode::Normal,
        keys: &[Char('k'), Code(KeyCode::Up)],
        cmd: Cmd::Up,
        help: "previous row",
        bar: None,
    },
    Binding {
        mode: Mode::Normal,
        keys: &[Char('g'), Code(KeyCode::Home)],
        cmd: Cmd::Top,
        help: "first row",
        bar: None,
    },
    Binding {
        mode: Mode::Normal,
        keys: &[Char('G'), Code(KeyCode::End)],
        cmd: Cmd::Bottom,
        help: "last row",
        bar: None,
    },
    Binding {
        mode: Mode::Normal,
        keys: &[Code(KeyCode::PageDown), Ctrl('d')],
        cmd: Cmd::PageDown,
        help: "page down",
        bar: None,
    },
    Binding {
        mode: Mode::Normal,
        keys: &[Code(KeyCode::PageUp), Ctrl('u')],
        cmd: Cmd::PageUp,
        help: "page up",
        bar: None,
    },
    Binding {
        mode: Mode::Normal,
        keys: &[Code(KeyCode::Enter), Char('l')],
        cmd: Cmd::Open,
        help: "open the detail pane",
        bar: Some("detail"),
    },
    Binding {
        mode: Mode::Normal,
        keys: &[Code(KeyCode::Esc), Char('h')],
        cmd: Cmd::Back,
        help: "back: close the detail pane",
        bar: None,
    },
    Binding {
        mode: Mode::Normal,
        keys: &[Code(KeyCode::Tab)],
        cmd: Cmd::NextPane,
        help: "next pane (CAs / issued, changes / peers, list / detail)",
        bar: Some("pane"),
    },
    Binding {
        mode: Mode::Normal,
        keys: &[Char(']')],
        cmd: Cmd::NextTab,
        help: "next view",
        bar: Some("view"),
    },
    Binding {
        mode: Mode::Normal,
        keys: &[Char('[')],
        cmd: Cmd::PrevTab,
        help: "previous view",
        bar: None,
    },
    Binding {
        mode: Mode::Normal,
        keys: &[Char('/')],
        cmd: Cmd::Filter,
        help: "filter the list (subject, SAN, pin prefix)",
        bar: Some("filter"),
    },
    Binding {
        mode: Mode::Normal,
        keys: &[Char(' ')],
        cmd: Cmd::Mark,
        help: "mark the row's pin for the pins view",
        bar: None,
    },
    Binding {
        mode: Mode::Normal,
        keys: &[Char('p')],
        cmd: Cmd::Pins,
        help: "pins view: marked pins as pinned_certs",
        bar: Some("pins"),
    },
    Binding {
        mode: Mode::Normal,
        keys: &[Char('a')],
        cmd: Cmd::Add,
        help: "add certificates to this bundle",
        bar: None,
    },
    Binding {
        mode: Mode::Normal,
        keys: &[Char('d'), Char('x')],
        cmd: Cmd::Remove,
        help: "remove the selected certificate from this bundle",
        bar: None,
    },
    Binding {
        mode: Mode::Normal,
        keys: &[Char('c')],
        cmd: Cmd::NewCa,
        help: "create a CA",
        bar: None,
    },
    Binding {
        mode: Mode::Normal,
        keys: &[Char('i')],
        cmd: Cmd::IssueCert,
        help: "issue a certificate",
        bar: None,
    },
    Binding {
        mode: Mode::Normal,
        keys: &[Char('w')],
        cmd: Cmd::WritePins,
        help: "write the pins block to a file (pins view)",
        bar: None,
    },
    Binding {
        mode: Mode::Normal,
        keys: &[Char('r')],
        cmd: Cmd::Reload,
        help: "reload the view from disk",
        bar: None,
    },
    Binding {
        mode: Mode::Normal,
        keys: &[Char('?')],
        cmd: Cmd::Help,
        help: "this help",
        bar: Some("help"),
    },
    Binding {
        mode: Mode::Normal,
        keys: &[Char('q'), Ctrl('c')],
        cmd: Cmd::Quit,
        help: "quit",
        bar: Some("quit"),
    },
    Binding {
        mode: Mode::Typing,
        keys: &[Code(KeyCode::Enter)],
        cmd: Cmd::Submit,
        help: "accept",
        bar: Some("accept"),
    },
    Binding {
        mode: Mode::Typing,
        keys: &[Code(KeyCode::Esc)],
        cmd: Cmd::Cancel,
        help: "cancel",
        bar: Some("cancel"),
    },
    Binding {
        mode: Mode::Typing,
        keys: &[Code(KeyCode::Backspace)],
        cmd: Cmd::DeleteChar,
        help: "delete a character",
        bar: None,
    },
    Binding {
        mode: Mode::Typing,
        keys: &[Code(KeyCode::Tab), Code(KeyCode::Down)],
        cmd: Cmd::NextField,
        help: "next field",
        bar: Some("next field"),
    },
    Binding {
        mode: Mode::Typing,
        keys: &[Code(KeyCode::BackTab), Code(KeyCode::Up)],
        cmd: Cmd::PrevField,
        help: "previous field",
        bar: None,
    },
    Binding {
        mode: Mode::Typing,
        keys: &[Code(KeyCode::Right)],
        cmd: Cmd::ChoiceNext,
        help: "next choice",
        bar: Some("choice"),
    },
    Binding {
        mode: Mode::Typing,
        keys: &[Code(KeyCode::Left)],
        cmd: Cmd::ChoicePrev,
        help: "previous choice",
        bar: None,
    },
    Binding {
        mode: Mode::Typing,
        keys: &[Ctrl('c')],
        cmd: Cmd::Quit,
        help: "quit",
        bar: None,
    },
    Binding {
        mode: Mode::Confirm,
        keys: &[Char('y'), Char('Y')],
        cmd: Cmd::Yes,
        help: "yes",
        bar: Some("yes"),
    },
    Binding {
        mode: Mode::Confirm,
        keys: &[Char('n'), Char('N'), Code(KeyCode::Esc)],
        cmd: Cmd::No,
        help: "no",
        bar: Some("no"),
    },
    Binding {
        mode: Mode::Help,
        keys: &[Char('j'), Code(KeyCode::Down)],
        cmd: Cmd::Down,
        help: "scroll the help down",
        bar: Some("scroll"),
    },
    Binding {
        mode: Mode::Help,
        keys: &[Char('k'), Code(KeyCode::Up)],
        cmd: Cmd::Up,
        help: "scroll the help up",
        bar: None,
    },
    Binding {
        mode: Mode::Help,
        keys: &[Code(KeyCode::Esc), Char('?'), Char('q')],
        cmd: Cmd::Back,
        help: "close the help",
        bar: Some("close"),
    },
];

fn matches(key: Key, ev: &KeyEvent) -> bool {
    match key {
        Key::Ctrl(c) => ev.modifiers.contains(KeyModifiers::CONTROL) && ev.code == KeyCode::Char(c),
        Key::Char(c) => {
            !ev.modifiers.contains(KeyModifiers::CONTROL)
                && !ev.modifiers.contains(KeyModifiers::ALT)
                && ev.code == KeyCode::Char(c)
        }
        Key::Code(code) => ev.code == code,
    }
}

/// The command a key means in `mode`.
pub fn lookup(mode: Mode, ev: &KeyEvent) -> Option<Cmd> {
    BINDINGS
        .iter()
        .filter(|b| b.mode == mode)
        .find(|b| b.keys.iter().any(|k| matches(*k, ev)))
        .map(|b| b.cmd)
}

/// How a key is written in help.
pub fn key_name(key: Key) -> String {
    match key {
        Key::Char(' ') => "space".to_owned(),
        Key::Char(c) => c.to_string(),
        Key::Ctrl(c) => format!("C-{c}"),
        Key::Code(KeyCode::Down) => "↓".to_owned(),
        Key::Code(KeyCode::Up) => "↑".to_owned(),
        Key::Code(KeyCode::Left) => "←".to_owned(),
        Key::Code(KeyCode::Right) => "→".to_owned(),
        Key::Code(KeyCode::Enter) => "Enter".to_owned(),
        Key::Code(KeyCode::Esc) => "Esc".to_owned(),
        Key::Code(KeyCode::Tab) => "Tab".to_owned(),
        Key::Code(KeyCode::BackTab) => "S-Tab".to_owned(),
        Key::Code(KeyCode::Backspace) => "Bksp".to_owned(),
        Key::Code(KeyCode::Home) => "Home".to_owned(),
        Key::Code(KeyCode::End) => "End".to_owned(),
        Key::Code(KeyCode::PageUp) => "PgUp".to_owned(),
        Key::Code(KeyCode::PageDown) => "PgDn".to_owned(),
        Key::Code(other) => format!("{other:?}"),
    }
}

/// The help bar for a mode: `key label` pairs, from the table.
pub fn bar(mode: Mode) -> Vec<(String, &'static str)> {
    BINDINGS
        .iter()
        .filter(|b| b.mode == mode)
        .filter_map(|b| {
            b.bar.map(|label| {
                (
                    b.keys.first().map(|k| key_name(*k)).unwrap_or_default(),
                    label,
                )
            })
        })
        .collect()
}

/// The help overlay: every binding of the normal and typing modes.
pub fn help_lines() -> Vec<(String, &'static str)> {
    BINDINGS
        .iter()
        .filter(|b| matches!(b.mode, Mode::Normal))
        .map(|b| {
            let keys: Vec<String> = b.keys.iter().map(|k| key_name(*k)).collect();
            (keys.join(" "), b.help)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn vim_keys_and_arrows_mean_the_same() {
        assert_eq!(
            lookup(Mode::Normal, &key(KeyCode::Char('j'))),
            Some(Cmd::Down)
        );
        assert_eq!(lookup(Mode::Normal, &key(KeyCode::Down)), Some(Cmd::Down));
        assert_eq!(
            lookup(Mode::Normal, &key(KeyCode::Char('G'))),
            Some(Cmd::Bottom)
        );
        assert_eq!(
            lookup(
                Mode::Normal,
                &KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL)
            ),
            Some(Cmd::Quit)
        );
        assert_eq!(
            lookup(Mode::Normal, &key(KeyCode::Char('c'))),
            Some(Cmd::NewCa)
        );
    }

    #[test]
    fn typing_mode_leaves_letters_to_the_text() {
        assert_eq!(lookup(Mode::Typing, &key(KeyCode::Char('q'))), None);
        assert_eq!(
            lookup(Mode::Typing, &key(KeyCode::Enter)),
            Some(Cmd::Submit)
        );
    }

    #[test]
    fn every_key_has_one_meaning_per_mode() {
        for mode in [Mode::Normal, Mode::Typing, Mode::Confirm, Mode::Help] {
            let keys: Vec<Key> = BINDINGS
                .iter()
                .filter(|b| b.mode == mode)
                .flat_map(|b| b.keys.iter().copied())
                .collect();
            for (i, k) in keys.iter().enumerate() {
                assert!(!keys[i + 1..].contains(k), "{k:?} bound twice in {mode:?}");
            }
        }
    }

    #[test]
    fn the_help_comes_from_the_table() {
        let help = help_lines();
        assert!(help.iter().any(|(k, h)| k == "j ↓" && *h == "next row"));
        assert_eq!(
            help.len(),
            BINDINGS.iter().filter(|b| b.mode == Mode::Normal).count()
        );
        assert!(
            bar(Mode::Normal)
                .iter()
                .any(|(k, l)| k == "q" && *l == "quit")
        );
    }
}
