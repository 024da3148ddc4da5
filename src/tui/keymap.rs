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
    /// Sign a CSR with the selected CA.
    SignCsr,
    /// Import an existing CA into the store.
    ImportCa,
    /// Write the selected issued certificate as a PKCS#12 file.
    ExportP12,
    /// Rehearse a replacement in the fleet view.
    Replace,
    Reload,
    WritePins,
    // Typing mode.
    Submit,
    Cancel,
    DeleteChar,
    /// Delete the character under the cursor.
    DeleteForward,
    /// Delete the word before the cursor.
    DeleteWord,
    LineStart,
    LineEnd,
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
    /// Where the binding does something (and so when the bar shows it).
    pub when: When,
}

/// Where a binding applies, for the help bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    Always,
    /// A view with a list (not the pins view).
    Lists,
    /// A list of certificates (the store, a file).
    CertLists,
    /// A view with several panes.
    Panes,
    /// A file view (a bundle).
    Bundle,
    Store,
    /// The store's CA list has the focus.
    StoreCas,
    /// The store's issued list has the focus.
    StoreIssued,
    /// The fleet view.
    Fleet,
    Pins,
    /// The detail pane is open.
    Detail,
    /// Typing in a form.
    Form,
    /// On a choice field of a form.
    Choice,
    /// On a text field, a prompt or a filter.
    Text,
}

/// The view the user is in, as the help bar needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    Store,
    File,
    Diff,
    Fleet,
    Pins,
}

/// Where the user is: which bindings the help bar shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Place {
    pub view: View,
    /// In the store, the issued list has the focus (not the CAs).
    pub issued: bool,
    pub detail: bool,
    /// Typing in a form (not a prompt or a filter).
    pub form: bool,
    /// The form's focused field is a choice.
    pub choice: bool,
}

impl When {
    fn applies(self, p: Place) -> bool {
        match self {
            When::Always => true,
            When::Lists => p.view != View::Pins && !p.detail,
            When::CertLists => matches!(p.view, View::Store | View::File),
            When::Panes => p.view != View::Pins,
            When::Bundle => p.view == View::File,
            When::Store => p.view == View::Store,
            When::StoreCas => p.view == View::Store && !p.issued,
            When::StoreIssued => p.view == View::Store && p.issued,
            When::Fleet => p.view == View::Fleet,
            When::Pins => p.view == View::Pins,
            When::Detail => p.detail,
            When::Form => p.form,
            When::Choice => p.form && p.choice,
            When::Text => !(p.form && p.choice),
        }
    }
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
        when: When::Always,
    },
    Binding {
        mode: Mode::Normal,
        keys: &[Char('k'), Code(KeyCode::Up)],
        cmd: Cmd::Up,
        help: "previous row",
        bar: None,
        when: When::Always,
    },
    Binding {
        mode: Mode::Normal,
        keys: &[Char('g'), Code(KeyCode::Home)],
        cmd: Cmd::Top,
        help: "first row",
        bar: None,
        when: When::Always,
    },
    Binding {
        mode: Mode::Normal,
        keys: &[Char('G'), Code(KeyCode::End)],
        cmd: Cmd::Bottom,
        help: "last row",
        bar: None,
        when: When::Always,
    },
    Binding {
        mode: Mode::Normal,
        keys: &[Code(KeyCode::PageDown), Ctrl('d')],
        cmd: Cmd::PageDown,
        help: "page down",
        bar: None,
        when: When::Always,
    },
    Binding {
        mode: Mode::Normal,
        keys: &[Code(KeyCode::PageUp), Ctrl('u')],
        cmd: Cmd::PageUp,
        help: "page up",
        bar: None,
        when: When::Always,
    },
    Binding {
        mode: Mode::Normal,
        keys: &[Code(KeyCode::Enter), Char('l')],
        cmd: Cmd::Open,
        help: "open the detail pane",
        bar: Some("detail"),
        when: When::Lists,
    },
    Binding {
        mode: Mode::Normal,
        keys: &[Code(KeyCode::Esc), Char('h')],
        cmd: Cmd::Back,
        help: "back: close the detail pane",
        bar: Some("back"),
        when: When::Detail,
    },
    Binding {
        mode: Mode::Normal,
        keys: &[Code(KeyCode::Tab)],
        cmd: Cmd::NextPane,
        help: "next pane (CAs / issued, changes / peers, list / detail)",
        bar: Some("pane"),
        when: When::Panes,
    },
    Binding {
        mode: Mode::Normal,
        keys: &[Char(']')],
        cmd: Cmd::NextTab,
        help: "next view",
        bar: Some("view"),
        when: When::Always,
    },
    Binding {
        mode: Mode::Normal,
        keys: &[Char('[')],
        cmd: Cmd::PrevTab,
        help: "previous view",
        bar: None,
        when: When::Always,
    },
    Binding {
        mode: Mode::Normal,
        keys: &[Char('/')],
        cmd: Cmd::Filter,
        help: "filter (text; 4+ hex digits match a pin or fingerprint prefix)",
        bar: Some("filter"),
        when: When::Lists,
    },
    Binding {
        mode: Mode::Normal,
        keys: &[Char(' ')],
        cmd: Cmd::Mark,
        help: "mark the row's pin for the pins view",
        bar: Some("mark"),
        when: When::CertLists,
    },
    Binding {
        mode: Mode::Normal,
        keys: &[Char('p')],
        cmd: Cmd::Pins,
        help: "pins view: marked pins as pinned_certs",
        bar: Some("pins"),
        when: When::Always,
    },
    Binding {
        mode: Mode::Normal,
        keys: &[Char('a')],
        cmd: Cmd::Add,
        help: "add certificates to this bundle",
        bar: Some("add"),
        when: When::Bundle,
    },
    Binding {
        mode: Mode::Normal,
        keys: &[Char('d'), Char('x')],
        cmd: Cmd::Remove,
        help: "remove the selected certificate (first: who it cuts off)",
        bar: Some("remove"),
        when: When::Bundle,
    },
    Binding {
        mode: Mode::Normal,
        keys: &[Char('c')],
        cmd: Cmd::NewCa,
        help: "create a CA",
        bar: Some("new CA"),
        when: When::Store,
    },
    Binding {
        mode: Mode::Normal,
        keys: &[Char('i')],
        cmd: Cmd::IssueCert,
        help: "issue a certificate",
        bar: Some("issue"),
        when: When::Store,
    },
    Binding {
        mode: Mode::Normal,
        keys: &[Char('s')],
        cmd: Cmd::SignCsr,
        help: "sign a CSR with the selected CA (cert sign)",
        bar: Some("sign"),
        when: When::StoreCas,
    },
    Binding {
        mode: Mode::Normal,
        keys: &[Char('I')],
        cmd: Cmd::ImportCa,
        help: "import a CA from its certificate and key files (ca import)",
        bar: Some("import"),
        when: When::StoreCas,
    },
    Binding {
        mode: Mode::Normal,
        keys: &[Char('e')],
        cmd: Cmd::ExportP12,
        help: "write the issued certificate and key as .p12 (password masked)",
        bar: Some("p12"),
        when: When::StoreIssued,
    },
    Binding {
        mode: Mode::Normal,
        keys: &[Char('R')],
        cmd: Cmd::Replace,
        help: "fleet: rehearse a replacement PATH=NEWPATH, before and after",
        bar: Some("replace"),
        when: When::Fleet,
    },
    Binding {
        mode: Mode::Normal,
        keys: &[Char('w')],
        cmd: Cmd::WritePins,
        help: "write the pins block to a file (pins view)",
        bar: Some("write"),
        when: When::Pins,
    },
    Binding {
        mode: Mode::Normal,
        keys: &[Char('r')],
        cmd: Cmd::Reload,
        help: "reload the view from disk",
        bar: None,
        when: When::Always,
    },
    Binding {
        mode: Mode::Normal,
        keys: &[Char('?')],
        cmd: Cmd::Help,
        help: "this help",
        bar: Some("help"),
        when: When::Always,
    },
    Binding {
        mode: Mode::Normal,
        keys: &[Char('q'), Ctrl('c')],
        cmd: Cmd::Quit,
        help: "quit",
        bar: Some("quit"),
        when: When::Always,
    },
    Binding {
        mode: Mode::Typing,
        keys: &[Code(KeyCode::Enter)],
        cmd: Cmd::Submit,
        help: "accept",
        bar: Some("accept"),
        when: When::Always,
    },
    Binding {
        mode: Mode::Typing,
        keys: &[Code(KeyCode::Esc)],
        cmd: Cmd::Cancel,
        help: "cancel",
        bar: Some("cancel"),
        when: When::Always,
    },
    Binding {
        mode: Mode::Typing,
        keys: &[Code(KeyCode::Backspace)],
        cmd: Cmd::DeleteChar,
        help: "delete a character",
        bar: None,
        when: When::Text,
    },
    Binding {
        mode: Mode::Typing,
        keys: &[Code(KeyCode::Tab), Code(KeyCode::Down)],
        cmd: Cmd::NextField,
        help: "next field",
        bar: Some("next field"),
        when: When::Form,
    },
    Binding {
        mode: Mode::Typing,
        keys: &[Code(KeyCode::BackTab), Code(KeyCode::Up)],
        cmd: Cmd::PrevField,
        help: "previous field",
        bar: None,
        when: When::Form,
    },
    Binding {
        mode: Mode::Typing,
        keys: &[Code(KeyCode::Right)],
        cmd: Cmd::ChoiceNext,
        help: "cursor right; next choice",
        bar: Some("choose"),
        when: When::Choice,
    },
    Binding {
        mode: Mode::Typing,
        keys: &[Code(KeyCode::Left)],
        cmd: Cmd::ChoicePrev,
        help: "cursor left; previous choice",
        bar: None,
        when: When::Choice,
    },
    Binding {
        mode: Mode::Typing,
        keys: &[Code(KeyCode::Delete)],
        cmd: Cmd::DeleteForward,
        help: "delete the character under the cursor",
        bar: None,
        when: When::Text,
    },
    Binding {
        mode: Mode::Typing,
        keys: &[Ctrl('w')],
        cmd: Cmd::DeleteWord,
        help: "delete the word before the cursor",
        bar: Some("delete word"),
        when: When::Text,
    },
    Binding {
        mode: Mode::Typing,
        keys: &[Code(KeyCode::Home), Ctrl('a')],
        cmd: Cmd::LineStart,
        help: "cursor to the start",
        bar: None,
        when: When::Text,
    },
    Binding {
        mode: Mode::Typing,
        keys: &[Code(KeyCode::End), Ctrl('e')],
        cmd: Cmd::LineEnd,
        help: "cursor to the end",
        bar: None,
        when: When::Text,
    },
    Binding {
        mode: Mode::Typing,
        keys: &[Ctrl('c')],
        cmd: Cmd::Quit,
        help: "quit",
        bar: None,
        when: When::Always,
    },
    Binding {
        mode: Mode::Confirm,
        keys: &[Char('y'), Char('Y')],
        cmd: Cmd::Yes,
        help: "yes",
        bar: Some("yes"),
        when: When::Always,
    },
    Binding {
        mode: Mode::Confirm,
        keys: &[Char('n'), Char('N'), Code(KeyCode::Esc)],
        cmd: Cmd::No,
        help: "no",
        bar: Some("no"),
        when: When::Always,
    },
    Binding {
        mode: Mode::Help,
        keys: &[Char('j'), Code(KeyCode::Down)],
        cmd: Cmd::Down,
        help: "scroll the help down",
        bar: Some("scroll"),
        when: When::Always,
    },
    Binding {
        mode: Mode::Help,
        keys: &[Char('k'), Code(KeyCode::Up)],
        cmd: Cmd::Up,
        help: "scroll the help up",
        bar: None,
        when: When::Always,
    },
    Binding {
        mode: Mode::Help,
        keys: &[Char('g'), Code(KeyCode::Home)],
        cmd: Cmd::Top,
        help: "the top of the help",
        bar: None,
        when: When::Always,
    },
    Binding {
        mode: Mode::Help,
        keys: &[Char('G'), Code(KeyCode::End)],
        cmd: Cmd::Bottom,
        help: "the end of the help",
        bar: Some("end"),
        when: When::Always,
    },
    Binding {
        mode: Mode::Help,
        keys: &[Code(KeyCode::PageDown), Ctrl('d')],
        cmd: Cmd::PageDown,
        help: "page down",
        bar: None,
        when: When::Always,
    },
    Binding {
        mode: Mode::Help,
        keys: &[Code(KeyCode::PageUp), Ctrl('u')],
        cmd: Cmd::PageUp,
        help: "page up",
        bar: None,
        when: When::Always,
    },
    Binding {
        mode: Mode::Help,
        keys: &[Code(KeyCode::Esc), Char('?'), Char('q')],
        cmd: Cmd::Back,
        help: "close the help",
        bar: Some("close"),
        when: When::Always,
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

/// One entry of the help bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BarItem {
    pub key: String,
    pub label: &'static str,
    /// Specific to where the user is (kept when the bar is short of room;
    /// the general ones go first).
    pub specific: bool,
    /// Moving about (detail, pane): goes after the general ones, before
    /// the view's own actions.
    pub moving: bool,
}

/// The help bar for a mode at a place: `key label` pairs, from the table,
/// only the bindings that do something there.
pub fn bar(mode: Mode, place: Place) -> Vec<BarItem> {
    BINDINGS
        .iter()
        .filter(|b| b.mode == mode && b.when.applies(place))
        .filter_map(|b| {
            b.bar.map(|label| BarItem {
                key: b.keys.first().map(|k| key_name(*k)).unwrap_or_default(),
                label,
                specific: b.when != When::Always || matches!(b.cmd, Cmd::Help | Cmd::Quit),
                moving: matches!(b.cmd, Cmd::Open | Cmd::NextPane),
            })
        })
        .collect()
}

/// Every binding of a mode as (keys, what they do), for the help overlay
/// and the man page.
pub fn mode_lines(mode: Mode) -> Vec<(String, &'static str)> {
    BINDINGS
        .iter()
        .filter(|b| b.mode == mode)
        .map(|b| {
            let keys: Vec<String> = b.keys.iter().map(|k| key_name(*k)).collect();
            (keys.join(" "), b.help)
        })
        .collect()
}

/// The help overlay's first part: every binding of the normal mode.
pub fn help_lines() -> Vec<(String, &'static str)> {
    mode_lines(Mode::Normal)
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
        let store = Place {
            view: View::Store,
            issued: false,
            detail: false,
            form: false,
            choice: false,
        };
        let labels = |mode, place| -> Vec<String> {
            bar(mode, place)
                .into_iter()
                .map(|b| format!("{} {}", b.key, b.label))
                .collect()
        };
        let in_store = labels(Mode::Normal, store);
        for want in ["q quit", "c new CA", "i issue", "space mark", "/ filter"] {
            assert!(in_store.contains(&want.to_owned()), "{in_store:?}");
        }
        assert!(!in_store.iter().any(|l| l == "a add" || l == "d remove"));
        // Signing and importing on the CA list, the .p12 on the issued one.
        assert!(in_store.contains(&"s sign".to_owned()), "{in_store:?}");
        assert!(in_store.contains(&"I import".to_owned()), "{in_store:?}");
        assert!(!in_store.contains(&"e p12".to_owned()), "{in_store:?}");
        let on_issued = labels(
            Mode::Normal,
            Place {
                issued: true,
                ..store
            },
        );
        assert!(on_issued.contains(&"e p12".to_owned()), "{on_issued:?}");
        assert!(!on_issued.contains(&"s sign".to_owned()), "{on_issued:?}");
        let in_fleet = labels(
            Mode::Normal,
            Place {
                view: View::Fleet,
                ..store
            },
        );
        assert!(in_fleet.contains(&"R replace".to_owned()), "{in_fleet:?}");
        assert!(
            !in_fleet
                .iter()
                .any(|l| l == "space mark" || l == "c new CA")
        );
        let in_bundle = labels(
            Mode::Normal,
            Place {
                view: View::File,
                ..store
            },
        );
        for want in ["a add", "d remove", "space mark"] {
            assert!(in_bundle.contains(&want.to_owned()), "{in_bundle:?}");
        }
        assert!(!in_bundle.iter().any(|l| l == "c new CA"));
        let in_pins = labels(
            Mode::Normal,
            Place {
                view: View::Pins,
                ..store
            },
        );
        assert!(in_pins.contains(&"w write".to_owned()), "{in_pins:?}");
        assert!(!in_pins.iter().any(|l| l == "/ filter"));
        // A text field offers word delete; a choice field the arrows.
        let text = labels(
            Mode::Typing,
            Place {
                form: true,
                ..store
            },
        );
        assert!(text.contains(&"C-w delete word".to_owned()), "{text:?}");
        assert!(!text.iter().any(|l| l.ends_with("choose")));
        let choice = labels(
            Mode::Typing,
            Place {
                form: true,
                choice: true,
                ..store
            },
        );
        assert!(choice.contains(&"→ choose".to_owned()), "{choice:?}");
        assert!(!choice.iter().any(|l| l.ends_with("delete word")));
    }
}
