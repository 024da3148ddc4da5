//! The TUI's model. `App::update` is the only mutator: it takes an action
//! (a command from the key table, typed text, a resize, a finished job) and
//! returns the effects the loop must run (loads and writes, on worker
//! threads). Nothing here touches the disk or the terminal.

use std::path::PathBuf;

use crate::ops::bundle::DiffParts;
use crate::ops::issue::{DEFAULT_DAYS, parse_sans};
use crate::pki::issue::{KeyType, Usage};
use crate::pki::render::Tone;
use crate::store::layout::check_name;

use super::data::{CertRow, LoadedFile, StoreSnapshot};
use super::keymap::{Cmd, Mode};

/// A view the tabs switch between.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Store,
    File(usize),
    Diff,
    Pins,
}

/// A filtered, scrollable list over rows held elsewhere. Only indices:
/// the rows are never copied or re-parsed.
#[derive(Debug, Clone, Default)]
pub struct List {
    pub filter: String,
    /// Indices of the rows the filter keeps.
    pub filtered: Vec<usize>,
    /// Position in `filtered`.
    pub selected: usize,
    /// First visible position in `filtered`.
    pub offset: usize,
}

impl List {
    /// Recomputes the filtered rows from each row's search text.
    pub fn refilter<'a>(&mut self, searches: impl Iterator<Item = &'a str>) {
        let needle = self.filter.trim().to_lowercase();
        self.filtered = searches
            .enumerate()
            .filter(|(_, s)| needle.is_empty() || s.contains(&needle))
            .map(|(i, _)| i)
            .collect();
        self.selected = self.selected.min(self.filtered.len().saturating_sub(1));
        self.offset = self.offset.min(self.selected);
    }

    /// The selected row's index, if any row is shown.
    pub fn current(&self) -> Option<usize> {
        self.filtered.get(self.selected).copied()
    }

    fn go(&mut self, to: usize, page: usize) {
        let last = self.filtered.len().saturating_sub(1);
        self.selected = to.min(last);
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + page {
            self.offset = self.selected + 1 - page;
        }
    }

    pub fn step(&mut self, delta: isize, page: usize) {
        let to = if delta < 0 {
            self.selected.saturating_sub(delta.unsigned_abs())
        } else {
            self.selected.saturating_add(delta.unsigned_abs())
        };
        self.go(to, page.max(1));
    }

    pub fn top(&mut self) {
        self.selected = 0;
        self.offset = 0;
    }

    pub fn bottom(&mut self, page: usize) {
        self.go(self.filtered.len().saturating_sub(1), page.max(1));
    }
}

/// A loaded (or loading) file.
#[derive(Debug, Clone)]
pub struct FileView {
    pub path: PathBuf,
    pub loaded: Option<LoadedFile>,
    pub error: Option<String>,
    pub list: List,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StorePane {
    Cas,
    Issued,
}

#[derive(Debug, Clone)]
pub struct StoreView {
    pub snapshot: Option<StoreSnapshot>,
    pub error: Option<String>,
    pub pane: StorePane,
    pub cas: List,
    pub issued: List,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiffPane {
    Peers,
    Changes,
}

pub struct DiffView {
    pub old: PathBuf,
    pub new: PathBuf,
    pub peer_files: Vec<PathBuf>,
    pub parts: Option<DiffParts>,
    pub error: Option<String>,
    pub pane: DiffPane,
    pub changes: List,
    pub peers: List,
}

/// A pin marked for the pins view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Marked {
    pub pin: String,
    pub subject: String,
    pub source: String,
}

/// What a text prompt is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PromptFor {
    /// Paths of certificate files to add to the bundle of file view N.
    AddToBundle(usize),
    /// A path to write the pins block to.
    WritePins,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prompt {
    pub title: String,
    pub input: String,
    pub purpose: PromptFor,
    pub error: Option<String>,
}

/// A form field: free text, or one of a few choices.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub label: &'static str,
    pub value: String,
    pub choices: Option<&'static [&'static str]>,
    pub hint: &'static str,
    pub error: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormKind {
    Ca,
    Cert,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Form {
    pub kind: FormKind,
    pub fields: Vec<Field>,
    pub focus: usize,
    /// Why the last submit failed (the form comes back with its input).
    pub error: Option<String>,
}

/// The most days a form accepts (about 2,700 years).
pub const MAX_FORM_DAYS: i64 = 1_000_000;

/// What a form needs to know of a store CA.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownCa {
    pub name: String,
    /// Path length 0: it signs leaves, not other CAs.
    pub leaves_only: bool,
}

pub const YES_NO: &[&str] = &["no", "yes"];

impl Form {
    pub fn ca(default_parent: Option<&str>) -> Form {
        Form {
            kind: FormKind::Ca,
            fields: vec![
                field("Name", "", None, "store name: letters, digits, . _ -"),
                field(
                    "Parent",
                    default_parent.unwrap_or(""),
                    None,
                    "empty for a root; a store CA for an intermediate",
                ),
                field(
                    "Key type",
                    KeyType::EcdsaP256.name(),
                    Some(&KeyType::NAMES),
                    "← → to choose",
                ),
                field(
                    "Days",
                    "",
                    None,
                    "empty: 3650 for a root, 1825 for an intermediate",
                ),
                field("Common name", "", None, "empty: the name"),
            ],
            focus: 0,
            error: None,
        }
    }

    pub fn cert(default_ca: Option<&str>) -> Form {
        Form {
            kind: FormKind::Cert,
            fields: vec![
                field(
                    "SANs",
                    "",
                    None,
                    "DNS names, IPs, emails, URIs; space-separated",
                ),
                field(
                    "Usage",
                    Usage::Dual.name(),
                    Some(&Usage::NAMES),
                    "dual = serverAuth + clientAuth (NATS routes)",
                ),
                field(
                    "CA",
                    default_ca.unwrap_or(""),
                    None,
                    "empty: the CA \"default\" (created on first use)",
                ),
                field(
                    "Key type",
                    KeyType::EcdsaP256.name(),
                    Some(&KeyType::NAMES),
                    "← → to choose",
                ),
                field(
                    "Days",
                    &DEFAULT_DAYS.to_string(),
                    None,
                    "capped at the CA's expiry",
                ),
                field(
                    "Output dir",
                    "",
                    None,
                    "empty: the store; else DIR/cert.pem, key.pem, ca.pem",
                ),
                field(
                    "Chain",
                    "no",
                    Some(YES_NO),
                    "put the intermediates after the leaf",
                ),
            ],
            focus: 0,
            error: None,
        }
    }

    pub fn value(&self, label: &str) -> &str {
        self.fields
            .iter()
            .find(|f| f.label == label)
            .map_or("", |f| f.value.as_str())
    }

    /// Re-checks every field, with the same rules as the CLI.
    pub fn validate(&mut self, cas: &[KnownCa]) {
        let known = |name: &str| name.is_empty() || cas.iter().any(|c| c.name == name);
        for i in 0..self.fields.len() {
            let Some(f) = self.fields.get(i) else {
                continue;
            };
            let v = f.value.trim().to_owned();
            let error = match (self.kind, f.label) {
                (FormKind::Ca, "Name") => {
                    if v.is_empty() {
                        Some("a name is needed".to_owned())
                    } else if let Err(e) = check_name(&v) {
                        Some(e.to_string())
                    } else if cas.iter().any(|c| c.name == v) {
                        Some(format!("a CA named {v:?} exists"))
                    } else {
                        None
                    }
                }
                (_, "Parent") | (_, "CA") if !known(&v) => {
                    Some(format!("no CA named {v:?} in the store"))
                }
                (_, "Parent") => cas
                    .iter()
                    .any(|c| c.name == v && c.leaves_only)
                    .then(|| format!("{v} has path length 0: it signs leaves, not other CAs")),
                // At least a day, and well short of the year 9999 (the job
                // checks the exact end and the form comes back if it fails).
                (_, "Days") if !v.is_empty() => match v.parse::<i64>() {
                    Ok(1..=MAX_FORM_DAYS) => None,
                    Ok(d) if d > MAX_FORM_DAYS => Some(format!(
                        "at most {MAX_FORM_DAYS} days: certificates end by 9999-12-31"
                    )),
                    _ => Some("a whole number of days, 1 or more".to_owned()),
                },
                (FormKind::Cert, "SANs") => match parse_sans(&[v], true) {
                    Ok(sans) if sans.is_empty() => Some("at least one name".to_owned()),
                    Ok(_) => None,
                    Err(e) => Some(e.to_string()),
                },
                _ => None,
            };
            if let Some(f) = self.fields.get_mut(i) {
                f.error = error;
            }
        }
    }

    pub fn is_valid(&self) -> bool {
        self.fields.iter().all(|f| f.error.is_none())
    }
}

fn field(
    label: &'static str,
    value: &str,
    choices: Option<&'static [&'static str]>,
    hint: &'static str,
) -> Field {
    Field {
        label,
        value: value.to_owned(),
        choices,
        hint,
        error: None,
    }
}

/// What covers the view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Overlay {
    Help,
    Confirm { question: String, effect: Effect },
    Prompt(Prompt),
    Form(Form),
}

/// Work the loop runs off the input thread.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    LoadStore,
    LoadFile {
        index: usize,
        path: PathBuf,
    },
    LoadDiff {
        old: PathBuf,
        new: PathBuf,
        peers: Vec<PathBuf>,
    },
    AddToBundle {
        index: usize,
        bundle: PathBuf,
        inputs: Vec<PathBuf>,
    },
    RemoveFromBundle {
        index: usize,
        bundle: PathBuf,
        fingerprint: String,
        subject: String,
    },
    CreateCa(Form),
    IssueCert(Form),
    WritePins {
        path: PathBuf,
        text: String,
        /// Replace an existing file (after the user confirmed it).
        replace: bool,
    },
}

/// What to reload after a write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reload {
    Nothing,
    Store,
    File(usize),
}

/// A finished job.
pub enum JobResult {
    Store(Result<StoreSnapshot, String>),
    File {
        index: usize,
        result: Result<LoadedFile, String>,
    },
    Diff(Result<DiffParts, String>),
    Done {
        result: Result<String, String>,
        /// What the operation warned about: shown after the result.
        warnings: Vec<String>,
        reload: Reload,
    },
    /// The job needs a yes before it does anything (replacing a file).
    Confirm {
        question: String,
        effect: Effect,
    },
}

/// Everything the model reacts to.
pub enum Action {
    Cmd(Cmd),
    Char(char),
    Resize(u16, u16),
    /// Mouse wheel: rows to move (negative is up).
    Scroll(i32),
    Tick,
    Job(JobResult),
}

pub struct App {
    pub tabs: Vec<Tab>,
    pub tab: usize,
    pub store: StoreView,
    pub files: Vec<FileView>,
    pub diff: Option<DiffView>,
    pub marked: Vec<Marked>,
    pub pins_text: String,
    /// The detail pane is open.
    pub detail: bool,
    /// Keys scroll the detail pane rather than move in the list (always
    /// so when the pane covers the list, below 100 columns).
    pub detail_focus: bool,
    /// Lines the detail pane is scrolled down.
    pub detail_scroll: u16,
    /// The furthest the detail pane can scroll, as last drawn (the view
    /// knows the pane's size and the wrapped lines; the model clamps to it).
    pub detail_limit: std::cell::Cell<u16>,
    /// The help overlay's scroll, and its furthest useful value as drawn.
    pub help_scroll: u16,
    pub help_limit: std::cell::Cell<u16>,
    /// The form whose job is running.
    pub pending_form: Option<Form>,
    /// Typing a filter for the current list.
    pub filtering: bool,
    pub overlay: Option<Overlay>,
    pub status: Option<(String, Tone)>,
    /// Jobs under way.
    pub busy: usize,
    pub spinner: usize,
    pub size: (u16, u16),
    pub quit: bool,
}

/// What `tlsctl tui` was asked to open.
#[derive(Debug, Clone, Default)]
pub struct Launch {
    pub files: Vec<PathBuf>,
    pub diff: Option<(PathBuf, PathBuf, Vec<PathBuf>)>,
}

impl App {
    /// The model for a launch, and the loads to start with.
    pub fn new(launch: &Launch, size: (u16, u16)) -> (App, Vec<Effect>) {
        let mut tabs = vec![Tab::Store];
        let mut effects = vec![Effect::LoadStore];
        let files: Vec<FileView> = launch
            .files
            .iter()
            .enumerate()
            .map(|(index, path)| {
                tabs.push(Tab::File(index));
                effects.push(Effect::LoadFile {
                    index,
                    path: path.clone(),
                });
                FileView {
                    path: path.clone(),
                    loaded: None,
                    error: None,
                    list: List::default(),
                }
            })
            .collect();
        let diff = launch.diff.as_ref().map(|(old, new, peers)| {
            tabs.push(Tab::Diff);
            effects.push(Effect::LoadDiff {
                old: old.clone(),
                new: new.clone(),
                peers: peers.clone(),
            });
            DiffView {
                old: old.clone(),
                new: new.clone(),
                peer_files: peers.clone(),
                parts: None,
                error: None,
                pane: DiffPane::Changes,
                changes: List::default(),
                peers: List::default(),
            }
        });
        tabs.push(Tab::Pins);
        // Open on what was asked for: the first file, else the diff, else
        // the store.
        let tab = if launch.diff.is_some() {
            tabs.len() - 2
        } else if launch.files.is_empty() {
            0
        } else {
            1
        };
        let busy = effects.len();
        let app = App {
            tabs,
            tab,
            store: StoreView {
                snapshot: None,
                error: None,
                pane: StorePane::Cas,
                cas: List::default(),
                issued: List::default(),
            },
            files,
            diff,
            marked: Vec::new(),
            pins_text: String::new(),
            detail: false,
            detail_focus: false,
            detail_scroll: 0,
            detail_limit: std::cell::Cell::new(u16::MAX),
            help_scroll: 0,
            help_limit: std::cell::Cell::new(u16::MAX),
            pending_form: None,
            filtering: false,
            overlay: None,
            status: None,
            busy,
            spinner: 0,
            size,
            quit: false,
        };
        (app, effects)
    }

    pub fn current_tab(&self) -> Tab {
        self.tabs.get(self.tab).copied().unwrap_or(Tab::Store)
    }

    /// Which key table applies now.
    pub fn mode(&self) -> Mode {
        match &self.overlay {
            Some(Overlay::Help) => Mode::Help,
            Some(Overlay::Confirm { .. }) => Mode::Confirm,
            Some(Overlay::Prompt(_)) | Some(Overlay::Form(_)) => Mode::Typing,
            None if self.filtering => Mode::Typing,
            None => Mode::Normal,
        }
    }

    /// Rows a list shows at the current size (an estimate the view agrees
    /// with closely enough for paging).
    pub fn page(&self) -> usize {
        usize::from(self.size.1).saturating_sub(7).max(1)
    }

    /// The list that keys move in the current view.
    pub fn list_mut(&mut self) -> Option<&mut List> {
        match self.current_tab() {
            Tab::Store => Some(match self.store.pane {
                StorePane::Cas => &mut self.store.cas,
                StorePane::Issued => &mut self.store.issued,
            }),
            Tab::File(i) => self.files.get_mut(i).map(|f| &mut f.list),
            Tab::Diff => self.diff.as_mut().map(|d| match d.pane {
                DiffPane::Peers => &mut d.peers,
                DiffPane::Changes => &mut d.changes,
            }),
            Tab::Pins => None,
        }
    }

    pub fn list(&self) -> Option<&List> {
        match self.current_tab() {
            Tab::Store => Some(match self.store.pane {
                StorePane::Cas => &self.store.cas,
                StorePane::Issued => &self.store.issued,
            }),
            Tab::File(i) => self.files.get(i).map(|f| &f.list),
            Tab::Diff => self.diff.as_ref().map(|d| match d.pane {
                DiffPane::Peers => &d.peers,
                DiffPane::Changes => &d.changes,
            }),
            Tab::Pins => None,
        }
    }

    /// The certificate under the cursor, for the detail pane and marking.
    pub fn selected_cert(&self) -> Option<(&CertRow, String)> {
        match self.current_tab() {
            Tab::Store => {
                let snap = self.store.snapshot.as_ref()?;
                match self.store.pane {
                    StorePane::Cas => {
                        let ca = snap.cas.get(self.store.cas.current()?)?;
                        Some((&ca.row, format!("CA {}", ca.name)))
                    }
                    StorePane::Issued => {
                        let issued = snap.issued.get(self.store.issued.current()?)?;
                        Some((issued.row.as_ref()?, issued.cert_path.display().to_string()))
                    }
                }
            }
            Tab::File(i) => {
                let f = self.files.get(i)?;
                let loaded = f.loaded.as_ref()?;
                let row = loaded.rows.get(f.list.current()?)?;
                Some((row, format!("{}#{}", loaded.name, row.block)))
            }
            Tab::Diff | Tab::Pins => None,
        }
    }

    fn refilter_current(&mut self) {
        match self.current_tab() {
            Tab::Store => {
                if let Some(snap) = &self.store.snapshot {
                    match self.store.pane {
                        StorePane::Cas => self
                            .store
                            .cas
                            .refilter(snap.cas.iter().map(|c| c.row.search.as_str())),
                        StorePane::Issued => {
                            self.store.issued.refilter(snap.issued.iter().map(|r| {
                                r.row
                                    .as_ref()
                                    .map_or(r.name.as_str(), |row| row.search.as_str())
                            }))
                        }
                    }
                }
            }
            Tab::File(i) => {
                if let Some(f) = self.files.get_mut(i)
                    && let Some(loaded) = &f.loaded
                {
                    f.list
                        .refilter(loaded.rows.iter().map(|r| r.search.as_str()));
                }
            }
            Tab::Diff => {
                if let Some(d) = self.diff.as_mut()
                    && let Some(parts) = &d.parts
                {
                    let changes: Vec<String> = parts.changes.iter().map(change_search).collect();
                    let peers: Vec<String> = parts
                        .peers
                        .iter()
                        .map(|p| {
                            format!("{} {} {}", p.peer, p.subject, p.verdict.as_str())
                                .to_lowercase()
                        })
                        .collect();
                    match d.pane {
                        DiffPane::Changes => d.changes.refilter(changes.iter().map(String::as_str)),
                        DiffPane::Peers => d.peers.refilter(peers.iter().map(String::as_str)),
                    }
                }
            }
            Tab::Pins => {}
        }
    }

    fn status(&mut self, text: impl Into<String>, tone: Tone) {
        self.status = Some((text.into(), tone));
    }

    /// The one mutator.
    pub fn update(&mut self, action: Action) -> Vec<Effect> {
        match action {
            Action::Resize(w, h) => {
                self.size = (w, h);
                Vec::new()
            }
            Action::Tick => {
                if self.busy > 0 {
                    self.spinner = self.spinner.wrapping_add(1);
                }
                Vec::new()
            }
            Action::Scroll(rows) => {
                if self.overlay.is_none() {
                    let page = self.page();
                    self.step(rows as isize, page);
                }
                Vec::new()
            }
            Action::Job(result) => self.job_done(result),
            Action::Char(c) => {
                self.type_char(c);
                Vec::new()
            }
            Action::Cmd(cmd) => self.command(cmd),
        }
    }

    fn type_char(&mut self, c: char) {
        match &mut self.overlay {
            Some(Overlay::Prompt(p)) => {
                p.input.push(c);
                p.error = None;
            }
            Some(Overlay::Form(form)) => {
                if let Some(f) = form.fields.get_mut(form.focus)
                    && f.choices.is_none()
                {
                    f.value.push(c);
                }
                let cas = self.ca_names();
                if let Some(Overlay::Form(form)) = &mut self.overlay {
                    form.validate(&cas);
                }
            }
            None if self.filtering => self.edit_filter(|f| f.push(c)),
            _ => {}
        }
    }

    pub fn ca_names(&self) -> Vec<KnownCa> {
        self.store
            .snapshot
            .as_ref()
            .map(|s| {
                s.cas
                    .iter()
                    .map(|c| KnownCa {
                        name: c.name.clone(),
                        leaves_only: c
                            .row
                            .info
                            .basic_constraints
                            .as_ref()
                            .is_some_and(|b| b.path_len == Some(0)),
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    fn command(&mut self, cmd: Cmd) -> Vec<Effect> {
        let page = self.page();
        match (self.mode(), cmd) {
            (_, Cmd::Quit) => {
                self.quit = true;
                Vec::new()
            }
            (Mode::Help, Cmd::Down) => {
                self.help_scroll = self
                    .help_scroll
                    .saturating_add(1)
                    .min(self.help_limit.get());
                Vec::new()
            }
            (Mode::Help, Cmd::Up) => {
                self.help_scroll = self.help_scroll.saturating_sub(1);
                Vec::new()
            }
            (Mode::Help, _) => {
                self.overlay = None;
                self.help_scroll = 0;
                Vec::new()
            }
            (Mode::Confirm, Cmd::Yes) => match self.overlay.take() {
                Some(Overlay::Confirm { effect, .. }) => {
                    self.busy += 1;
                    vec![effect]
                }
                _ => Vec::new(),
            },
            (Mode::Confirm, _) => {
                self.overlay = None;
                self.status("cancelled", Tone::Dim);
                Vec::new()
            }
            (Mode::Typing, c) => self.typing(c),
            (Mode::Normal, c) => self.normal(c, page),
        }
    }

    /// Changes the current list's filter: the selection goes back to the
    /// first match, at the top.
    fn edit_filter(&mut self, edit: impl FnOnce(&mut String)) {
        if let Some(list) = self.list_mut() {
            edit(&mut list.filter);
            list.selected = 0;
            list.offset = 0;
        }
        self.detail_scroll = 0;
        self.refilter_current();
    }

    fn typing(&mut self, cmd: Cmd) -> Vec<Effect> {
        if self.overlay.is_none() && self.filtering {
            match cmd {
                Cmd::Submit => self.filtering = false,
                Cmd::Cancel => {
                    self.filtering = false;
                    self.edit_filter(String::clear);
                }
                Cmd::DeleteChar => self.edit_filter(|f| {
                    f.pop();
                }),
                _ => {}
            }
            return Vec::new();
        }
        let cas = self.ca_names();
        match &mut self.overlay {
            Some(Overlay::Prompt(prompt)) => match cmd {
                Cmd::Cancel => {
                    self.overlay = None;
                    Vec::new()
                }
                Cmd::DeleteChar => {
                    prompt.input.pop();
                    Vec::new()
                }
                Cmd::Submit => self.submit_prompt(),
                _ => Vec::new(),
            },
            Some(Overlay::Form(form)) => match cmd {
                Cmd::Cancel => {
                    self.overlay = None;
                    Vec::new()
                }
                Cmd::NextField => {
                    form.focus = (form.focus + 1) % form.fields.len().max(1);
                    Vec::new()
                }
                Cmd::PrevField => {
                    form.focus = form
                        .focus
                        .checked_sub(1)
                        .unwrap_or(form.fields.len().saturating_sub(1));
                    Vec::new()
                }
                Cmd::ChoiceNext | Cmd::ChoicePrev => {
                    if let Some(f) = form.fields.get_mut(form.focus)
                        && let Some(choices) = f.choices
                    {
                        let at = choices.iter().position(|c| *c == f.value).unwrap_or(0);
                        let n = choices.len();
                        let next = if cmd == Cmd::ChoiceNext {
                            (at + 1) % n
                        } else {
                            (at + n - 1) % n
                        };
                        f.value = choices.get(next).copied().unwrap_or_default().to_owned();
                    }
                    Vec::new()
                }
                Cmd::DeleteChar => {
                    if let Some(f) = form.fields.get_mut(form.focus)
                        && f.choices.is_none()
                    {
                        f.value.pop();
                    }
                    form.validate(&cas);
                    Vec::new()
                }
                Cmd::Submit => {
                    form.validate(&cas);
                    if !form.is_valid() {
                        if let Some(bad) = form.fields.iter().position(|f| f.error.is_some()) {
                            form.focus = bad;
                        }
                        return Vec::new();
                    }
                    form.error = None;
                    let form = form.clone();
                    // Kept until the job answers, to come back with its
                    // input if it fails.
                    self.pending_form = Some(form.clone());
                    self.overlay = None;
                    self.busy += 1;
                    let (label, effect) = match form.kind {
                        FormKind::Ca => ("creating the CA...", Effect::CreateCa(form)),
                        FormKind::Cert => ("issuing the certificate...", Effect::IssueCert(form)),
                    };
                    self.status(label, Tone::Dim);
                    vec![effect]
                }
                _ => Vec::new(),
            },
            _ => Vec::new(),
        }
    }

    fn submit_prompt(&mut self) -> Vec<Effect> {
        let Some(Overlay::Prompt(prompt)) = self.overlay.clone() else {
            return Vec::new();
        };
        let paths: Vec<PathBuf> = prompt.input.split_whitespace().map(PathBuf::from).collect();
        if paths.is_empty() {
            if let Some(Overlay::Prompt(p)) = &mut self.overlay {
                p.error = Some("type a path".to_owned());
            }
            return Vec::new();
        }
        match prompt.purpose {
            PromptFor::AddToBundle(index) => {
                let Some(f) = self.files.get(index) else {
                    return Vec::new();
                };
                let names: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
                self.overlay = Some(Overlay::Confirm {
                    question: format!(
                        "Add the certificates of {} to {}?",
                        names.join(", "),
                        f.path.display()
                    ),
                    effect: Effect::AddToBundle {
                        index,
                        bundle: f.path.clone(),
                        inputs: paths,
                    },
                });
                Vec::new()
            }
            PromptFor::WritePins => {
                self.overlay = None;
                self.busy += 1;
                vec![Effect::WritePins {
                    path: paths.into_iter().next().unwrap_or_default(),
                    text: self.pins_text.clone(),
                    replace: false,
                }]
            }
        }
    }

    fn normal(&mut self, cmd: Cmd, page: usize) -> Vec<Effect> {
        match cmd {
            Cmd::Help => self.overlay = Some(Overlay::Help),
            Cmd::Up => self.step(-1, page),
            Cmd::Down => self.step(1, page),
            Cmd::PageUp => self.step(-(page as isize), page),
            Cmd::PageDown => self.step(page as isize, page),
            Cmd::Top if self.detail && self.detail_focus => self.detail_scroll = 0,
            Cmd::Top => {
                if let Some(l) = self.list_mut() {
                    l.top();
                }
            }
            Cmd::Bottom if self.detail && self.detail_focus => {
                self.detail_scroll = self.detail_limit.get();
            }
            Cmd::Bottom => {
                if let Some(l) = self.list_mut() {
                    l.bottom(page);
                }
            }
            Cmd::Open if self.has_detail() => {
                self.detail = true;
                self.detail_focus = self.size.0 < 100;
                self.detail_scroll = 0;
            }
            Cmd::Back => {
                if self.detail {
                    self.detail = false;
                    self.detail_focus = false;
                } else if self.list().is_some_and(|l| !l.filter.is_empty()) {
                    self.edit_filter(String::clear);
                }
            }
            Cmd::NextPane => self.next_pane(),
            Cmd::NextTab => {
                self.tab = (self.tab + 1) % self.tabs.len().max(1);
                self.detail = false;
                self.detail_focus = false;
                self.refresh_pins();
            }
            Cmd::PrevTab => {
                self.tab = self
                    .tab
                    .checked_sub(1)
                    .unwrap_or(self.tabs.len().saturating_sub(1));
                self.detail = false;
                self.refresh_pins();
            }
            Cmd::Filter if self.list().is_some() => self.filtering = true,
            Cmd::Mark => self.toggle_mark(),
            Cmd::Pins => {
                if let Some(i) = self.tabs.iter().position(|t| *t == Tab::Pins) {
                    self.tab = i;
                    self.detail = false;
                    self.refresh_pins();
                }
            }
            Cmd::Add => match self.current_tab() {
                Tab::File(index) => {
                    self.overlay = Some(Overlay::Prompt(Prompt {
                        title: "Add certificates from (paths, space-separated)".to_owned(),
                        input: String::new(),
                        purpose: PromptFor::AddToBundle(index),
                        error: None,
                    }));
                }
                _ => self.status(
                    "a: open a bundle (tlsctl tui BUNDLE) to add to it",
                    Tone::Warn,
                ),
            },
            Cmd::Remove => return self.ask_remove(),
            Cmd::NewCa => {
                let parent = self.selected_ca_name();
                let mut form = Form::ca(parent.as_deref());
                form.validate(&self.ca_names());
                self.overlay = Some(Overlay::Form(form));
            }
            Cmd::IssueCert => {
                let ca = self.selected_ca_name();
                let mut form = Form::cert(ca.as_deref());
                form.validate(&self.ca_names());
                self.overlay = Some(Overlay::Form(form));
            }
            Cmd::WritePins => {
                if self.current_tab() == Tab::Pins && !self.marked.is_empty() {
                    self.overlay = Some(Overlay::Prompt(Prompt {
                        title: "Write the pinned_certs block to (path)".to_owned(),
                        input: "pinned_certs.conf".to_owned(),
                        purpose: PromptFor::WritePins,
                        error: None,
                    }));
                } else {
                    self.status(
                        "w: mark certificates with space, then write them from the pins view",
                        Tone::Warn,
                    );
                }
            }
            Cmd::Reload => return self.reload(),
            _ => {}
        }
        Vec::new()
    }

    fn step(&mut self, delta: isize, page: usize) {
        if self.detail && self.detail_focus {
            let scroll = i64::from(self.detail_scroll)
                .saturating_add(i64::try_from(delta).unwrap_or(0))
                .clamp(0, i64::from(self.detail_limit.get()));
            self.detail_scroll = u16::try_from(scroll).unwrap_or(0);
            return;
        }
        if let Some(l) = self.list_mut() {
            l.step(delta, page);
        }
        self.detail_scroll = 0;
    }

    /// Whether the current view has something to show in a detail pane.
    pub fn has_detail(&self) -> bool {
        match self.current_tab() {
            Tab::Diff => self.list().is_some_and(|l| l.current().is_some()),
            Tab::Pins => false,
            _ => self.selected_cert().is_some(),
        }
    }

    fn next_pane(&mut self) {
        match self.current_tab() {
            Tab::Store => {
                self.store.pane = match self.store.pane {
                    StorePane::Cas => StorePane::Issued,
                    StorePane::Issued => StorePane::Cas,
                };
            }
            Tab::Diff => {
                if let Some(d) = self.diff.as_mut() {
                    d.pane = match d.pane {
                        DiffPane::Changes
                            if d.parts.as_ref().is_some_and(|p| !p.peers.is_empty()) =>
                        {
                            DiffPane::Peers
                        }
                        _ => DiffPane::Changes,
                    };
                }
            }
            _ => {
                if self.detail {
                    self.detail_focus = !self.detail_focus || self.size.0 < 100;
                } else if self.has_detail() {
                    self.detail = true;
                    self.detail_focus = true;
                    self.detail_scroll = 0;
                }
            }
        }
        self.refilter_current();
    }

    fn selected_ca_name(&self) -> Option<String> {
        if self.current_tab() != Tab::Store || self.store.pane != StorePane::Cas {
            return None;
        }
        let snap = self.store.snapshot.as_ref()?;
        snap.cas
            .get(self.store.cas.current()?)
            .map(|c| c.name.clone())
    }

    fn toggle_mark(&mut self) {
        let Some((row, source)) = self.selected_cert() else {
            return;
        };
        let marked = Marked {
            pin: row.info.pin_sha256.clone(),
            subject: row.info.subject.clone(),
            source,
        };
        if let Some(i) = self.marked.iter().position(|m| m.pin == marked.pin) {
            self.marked.remove(i);
            self.status(format!("unmarked {}", marked.subject), Tone::Dim);
        } else {
            self.status(
                format!("marked {} for the pins view (p)", marked.subject),
                Tone::Good,
            );
            self.marked.push(marked);
        }
        self.refresh_pins();
    }

    fn refresh_pins(&mut self) {
        let rows: Vec<crate::ops::pin::PinRow> = self
            .marked
            .iter()
            .enumerate()
            .map(|(i, m)| crate::ops::pin::PinRow {
                file: m.source.clone(),
                item: i + 1,
                name: m.source.clone(),
                kind: "certificate",
                subject: Some(m.subject.clone()),
                pin_sha256: m.pin.clone(),
            })
            .collect();
        self.pins_text = crate::ops::pin::nats_block(&rows);
    }

    fn ask_remove(&mut self) -> Vec<Effect> {
        let Tab::File(index) = self.current_tab() else {
            self.status(
                "d: open a bundle (tlsctl tui BUNDLE) to remove from it",
                Tone::Warn,
            );
            return Vec::new();
        };
        let Some((row, _)) = self.selected_cert() else {
            return Vec::new();
        };
        let (fingerprint, subject) = (
            row.info.fingerprint_sha256.clone(),
            row.info.subject.clone(),
        );
        let Some(f) = self.files.get(index) else {
            return Vec::new();
        };
        self.overlay = Some(Overlay::Confirm {
            question: format!("Remove {subject} from {}?", f.path.display()),
            effect: Effect::RemoveFromBundle {
                index,
                bundle: f.path.clone(),
                fingerprint,
                subject,
            },
        });
        Vec::new()
    }

    fn reload(&mut self) -> Vec<Effect> {
        self.busy += 1;
        match self.current_tab() {
            Tab::Store | Tab::Pins => vec![Effect::LoadStore],
            Tab::File(index) => match self.files.get(index) {
                Some(f) => vec![Effect::LoadFile {
                    index,
                    path: f.path.clone(),
                }],
                None => {
                    self.busy -= 1;
                    Vec::new()
                }
            },
            Tab::Diff => match &self.diff {
                Some(d) => vec![Effect::LoadDiff {
                    old: d.old.clone(),
                    new: d.new.clone(),
                    peers: d.peer_files.clone(),
                }],
                None => {
                    self.busy -= 1;
                    Vec::new()
                }
            },
        }
    }

    fn job_done(&mut self, result: JobResult) -> Vec<Effect> {
        self.busy = self.busy.saturating_sub(1);
        match result {
            JobResult::Store(r) => match r {
                Ok(snap) => {
                    self.store.error = None;
                    self.store
                        .cas
                        .refilter(snap.cas.iter().map(|c| c.row.search.as_str()));
                    self.store.issued.refilter(snap.issued.iter().map(|r| {
                        r.row
                            .as_ref()
                            .map_or(r.name.as_str(), |row| row.search.as_str())
                    }));
                    self.store.snapshot = Some(snap);
                }
                Err(e) => {
                    self.status(e.clone(), Tone::Bad);
                    self.store.snapshot = None;
                    self.store.error = Some(e);
                }
            },
            JobResult::File { index, result } => {
                if let Some(f) = self.files.get_mut(index) {
                    match result {
                        Ok(loaded) => {
                            f.error = None;
                            f.list
                                .refilter(loaded.rows.iter().map(|r| r.search.as_str()));
                            f.loaded = Some(loaded);
                        }
                        // What was shown is no longer what the file
                        // holds: show why instead.
                        Err(e) => {
                            f.loaded = None;
                            f.error = Some(e.clone());
                            self.status(e, Tone::Bad);
                        }
                    }
                }
            }
            JobResult::Diff(r) => {
                if let Some(d) = self.diff.as_mut() {
                    match r {
                        Ok(parts) => {
                            d.error = None;
                            let changes: Vec<String> =
                                parts.changes.iter().map(change_search).collect();
                            d.changes.refilter(changes.iter().map(String::as_str));
                            let peers: Vec<String> = parts
                                .peers
                                .iter()
                                .map(|p| {
                                    format!("{} {} {}", p.peer, p.subject, p.verdict.as_str())
                                        .to_lowercase()
                                })
                                .collect();
                            d.peers.refilter(peers.iter().map(String::as_str));
                            if !parts.peers.is_empty() {
                                d.pane = DiffPane::Peers;
                            }
                            d.parts = Some(parts);
                        }
                        Err(e) => {
                            d.parts = None;
                            d.error = Some(e.clone());
                            self.status(e, Tone::Bad);
                        }
                    }
                }
            }
            JobResult::Confirm { question, effect } => {
                self.overlay = Some(Overlay::Confirm { question, effect });
            }
            JobResult::Done {
                result,
                warnings,
                reload,
            } => {
                let form = self.pending_form.take();
                match result {
                    Ok(message) if warnings.is_empty() => self.status(message, Tone::Good),
                    Ok(message) => {
                        let text = std::iter::once(message)
                            .chain(warnings.iter().map(|w| format!("warning: {w}")))
                            .collect::<Vec<_>>()
                            .join("; ");
                        self.status(text, Tone::Warn);
                    }
                    // A form comes back with what was typed and why it
                    // failed, unless something else has the screen.
                    Err(message) => match form {
                        Some(mut form) if self.overlay.is_none() => {
                            form.error = Some(message);
                            self.overlay = Some(Overlay::Form(form));
                        }
                        _ => self.status(message, Tone::Bad),
                    },
                }
                return self.reload_after(reload);
            }
        }
        Vec::new()
    }

    /// Effects to run after a write: reloads of what it changed.
    fn reload_after(&mut self, reload: Reload) -> Vec<Effect> {
        match reload {
            Reload::Nothing => Vec::new(),
            Reload::Store => {
                self.busy += 1;
                vec![Effect::LoadStore]
            }
            Reload::File(index) => match self.files.get(index) {
                Some(f) => {
                    self.busy += 1;
                    vec![Effect::LoadFile {
                        index,
                        path: f.path.clone(),
                    }]
                }
                None => Vec::new(),
            },
        }
    }
}

/// What a filter searches in a diff row.
fn change_search(c: &crate::pki::diff::Change) -> String {
    let mut s = c.class.as_str().to_owned();
    for side in [&c.old, &c.new].into_iter().flatten() {
        s.push(' ');
        s.push_str(&side.subject);
        s.push(' ');
        s.push_str(&side.pin_sha256);
    }
    s.to_lowercase()
}
