//! The TUI's model. `App::update` is the only mutator: it takes an action
//! (a command from the key table, typed text, a resize, a finished job) and
//! returns the effects the loop must run (loads and writes, on worker
//! threads). Nothing here touches the disk or the terminal.
//!
//! This file holds the model and routes actions; the rest is one thing a
//! file: `list` (a filtered list), `views` (per-view state), `form` (the
//! create and issue forms), `actions` (actions, effects, job results,
//! overlays), `typing` (filters, prompts, fields), `marks` (pins and the
//! removal question), `results` (what finished jobs change).

use std::path::PathBuf;

use crate::pki::render::Tone;

use super::data::CertRow;
use super::keymap::{Cmd, Mode};

mod actions;
mod fleet;
mod form;
mod list;
mod marks;
mod results;
mod text;
mod typing;
mod views;

pub use actions::{Action, Effect, JobResult, Overlay, Prompt, PromptFor, Reload};
pub use form::{
    Field, Form, FormKind, KnownCa, MAX_FORM_DAYS, P12_PROTECTIONS, YES_NO, parse_replacements,
    parse_time,
};
pub use list::List;
pub use views::{
    DiffPane, DiffView, FileView, FleetPane, FleetView, Marked, StorePane, StoreView, Tab,
};

pub struct App {
    pub tabs: Vec<Tab>,
    pub tab: usize,
    pub store: StoreView,
    pub files: Vec<FileView>,
    pub diff: Option<DiffView>,
    pub fleet: Option<FleetView>,
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
    /// Draw in colour (off under `NO_COLOR` or `--color never`; the view
    /// then shows selection and focus by reverse video, `>` and borders).
    pub color: bool,
}

/// What `tlsctl tui` was asked to open.
#[derive(Debug, Clone, Default)]
pub struct Launch {
    pub files: Vec<PathBuf>,
    pub diff: Option<(PathBuf, PathBuf, Vec<PathBuf>)>,
    /// nats-server configurations for the fleet view (`--conf`).
    pub confs: Vec<PathBuf>,
    /// The fleet view's replacements at start (`--replace`): it opens on
    /// the fleet before and after them.
    pub replace: Vec<(PathBuf, PathBuf)>,
    /// `--at`, `--server-version`, `--mount`, `--peer` with `--conf`.
    pub fleet: crate::tui::data::fleet::FleetOptions,
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
        let fleet = (!launch.confs.is_empty()).then(|| {
            tabs.push(Tab::Fleet);
            effects.push(Effect::LoadFleet {
                configs: launch.confs.clone(),
                replace: launch.replace.clone(),
                options: launch.fleet.clone(),
            });
            FleetView {
                configs: launch.confs.clone(),
                replace: launch.replace.clone(),
                options: launch.fleet.clone(),
                fleet: None,
                error: None,
                pane: FleetPane::Links,
                nodes: List::default(),
                links: List::default(),
            }
        });
        tabs.push(Tab::Pins);
        // Open on what was asked for: the first file, else the diff, else
        // the fleet, else the store.
        let first = if !launch.files.is_empty() {
            Tab::File(0)
        } else if launch.diff.is_some() {
            Tab::Diff
        } else if fleet.is_some() {
            Tab::Fleet
        } else {
            Tab::Store
        };
        let tab = tabs.iter().position(|t| *t == first).unwrap_or(0);
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
            fleet,
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
            color: true,
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
            Tab::Fleet => self.fleet.as_mut().map(|f| match f.pane {
                FleetPane::Nodes => &mut f.nodes,
                FleetPane::Links => &mut f.links,
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
            Tab::Fleet => self.fleet.as_ref().map(|f| match f.pane {
                FleetPane::Nodes => &f.nodes,
                FleetPane::Links => &f.links,
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
            Tab::Diff | Tab::Fleet | Tab::Pins => None,
        }
    }

    fn refilter_current(&mut self) {
        match self.current_tab() {
            Tab::Store => {
                if let Some(snap) = &self.store.snapshot {
                    match self.store.pane {
                        StorePane::Cas => self.store.cas.refilter(ca_searches(snap)),
                        StorePane::Issued => self.store.issued.refilter(issued_searches(snap)),
                    }
                }
            }
            Tab::File(i) => {
                if let Some(f) = self.files.get_mut(i)
                    && let Some(loaded) = &f.loaded
                {
                    f.list.refilter(
                        loaded
                            .rows
                            .iter()
                            .map(|r| (r.search.as_str(), r.keys.as_str())),
                    );
                }
            }
            Tab::Diff => {
                if let Some(d) = self.diff.as_mut()
                    && let Some(parts) = &d.parts
                {
                    let (changes, peers) = diff_searches(parts);
                    match d.pane {
                        DiffPane::Changes => d.changes.refilter(pairs(&changes)),
                        DiffPane::Peers => d.peers.refilter(pairs(&peers)),
                    }
                }
            }
            Tab::Fleet => self.refilter_fleet(),
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
                self.type_text(c.encode_utf8(&mut [0; 4]));
                Vec::new()
            }
            Action::Paste(text) => {
                if self.mode() == Mode::Typing {
                    self.type_text(&text);
                }
                Vec::new()
            }
            Action::Cmd(cmd) => self.command(cmd),
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
            (Mode::Help, Cmd::Top) => {
                self.help_scroll = 0;
                Vec::new()
            }
            (Mode::Help, Cmd::Bottom) => {
                self.help_scroll = self.help_limit.get();
                Vec::new()
            }
            (Mode::Help, Cmd::PageDown) => {
                self.help_scroll = self
                    .help_scroll
                    .saturating_add(u16::try_from(page).unwrap_or(u16::MAX))
                    .min(self.help_limit.get());
                Vec::new()
            }
            (Mode::Help, Cmd::PageUp) => {
                self.help_scroll = self
                    .help_scroll
                    .saturating_sub(u16::try_from(page).unwrap_or(u16::MAX));
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
                    self.edit_filter(|f, c| {
                        f.clear();
                        *c = 0;
                    });
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
            Cmd::Filter if self.list().is_some() => {
                self.filtering = true;
                if let Some(l) = self.list_mut() {
                    l.cursor = l.filter.chars().count();
                }
            }
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
                        cursor: 0,
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
            Cmd::SignCsr => {
                let ca = self.selected_ca_name();
                self.open_form(Form::sign(ca.as_deref()));
            }
            Cmd::ImportCa => self.open_form(Form::import()),
            Cmd::ExportP12 => self.ask_p12(),
            Cmd::Replace => self.ask_replace(),
            Cmd::WritePins => {
                if self.current_tab() == Tab::Pins && !self.marked.is_empty() {
                    self.overlay = Some(Overlay::Prompt(Prompt {
                        title: "Write the pinned_certs block to (path)".to_owned(),
                        input: "pinned_certs.conf".to_owned(),
                        cursor: "pinned_certs.conf".len(),
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

    /// Shows `form`, checked as it stands.
    fn open_form(&mut self, mut form: Form) {
        form.validate(&self.ca_names());
        self.overlay = Some(Overlay::Form(form));
    }

    /// `e`: the PKCS#12 form for the selected issued certificate.
    fn ask_p12(&mut self) {
        let selected = match (self.current_tab(), self.store.pane) {
            (Tab::Store, StorePane::Issued) => self
                .store
                .snapshot
                .as_ref()
                .zip(self.store.issued.current())
                .and_then(|(s, i)| s.issued.get(i)),
            _ => None,
        };
        match selected {
            Some(r) => {
                let form = Form::p12(
                    &r.cert_path.display().to_string(),
                    &r.key_path.display().to_string(),
                    &format!("{}.p12", r.name),
                );
                self.status = None;
                self.open_form(form);
            }
            None => self.status(
                "e: select an issued certificate (Tab to the issued list) to write it as .p12",
                Tone::Warn,
            ),
        }
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
            Tab::Diff | Tab::Fleet => self.list().is_some_and(|l| l.current().is_some()),
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
            Tab::Fleet => {
                if let Some(f) = self.fleet.as_mut() {
                    f.pane = match f.pane {
                        FleetPane::Nodes => FleetPane::Links,
                        FleetPane::Links => FleetPane::Nodes,
                    };
                }
                self.detail_scroll = 0;
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
}

/// What a filter searches in a diff row: its class and subjects, and the
/// pins of its sides as keys.
fn change_search(c: &crate::pki::diff::Change) -> (String, String) {
    let mut text = c.class.as_str().to_owned();
    let mut keys = Vec::new();
    for side in [&c.old, &c.new].into_iter().flatten() {
        text.push(' ');
        text.push_str(&side.subject);
        keys.push(side.pin_sha256.to_lowercase());
        keys.push(side.fingerprint_sha256.to_lowercase());
    }
    (text.to_lowercase(), keys.join(" "))
}

/// Rows as a filter sees them: (text, hex keys).
type Searches = Vec<(String, String)>;

/// The search texts of a diff's changes and peers.
pub(crate) fn diff_searches(parts: &crate::ops::bundle::DiffParts) -> (Searches, Searches) {
    let changes = parts.changes.iter().map(change_search).collect();
    let peers = parts
        .peers
        .iter()
        .map(|p| {
            (
                format!("{} {} {}", p.peer, p.subject, p.verdict.as_str()).to_lowercase(),
                String::new(),
            )
        })
        .collect();
    (changes, peers)
}

fn pairs(rows: &[(String, String)]) -> impl Iterator<Item = (&str, &str)> {
    rows.iter().map(|(t, k)| (t.as_str(), k.as_str()))
}

fn ca_searches(snap: &super::data::StoreSnapshot) -> impl Iterator<Item = (&str, &str)> {
    snap.cas
        .iter()
        .map(|c| (c.row.search.as_str(), c.row.keys.as_str()))
}

fn issued_searches(snap: &super::data::StoreSnapshot) -> impl Iterator<Item = (&str, &str)> {
    snap.issued.iter().map(|r| {
        r.row.as_ref().map_or((r.name.as_str(), ""), |row| {
            (row.search.as_str(), row.keys.as_str())
        })
    })
}
