//! The state of each view: the store, a file, the diff, and marked pins.

use std::path::PathBuf;

use super::List;
use crate::ops::bundle::DiffParts;
use crate::tui::data::fleet::Fleet;
use crate::tui::data::{LoadedFile, StoreSnapshot};

/// A view the tabs switch between.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Store,
    File(usize),
    Diff,
    /// The fleet of nats-server configurations (`--conf`).
    Fleet,
    Pins,
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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FleetPane {
    Nodes,
    Links,
}

/// The fleet: the configurations given, the replacements rehearsed, and
/// the fleet as last judged.
pub struct FleetView {
    pub configs: Vec<PathBuf>,
    /// `(PATH, NEWPATH)` as `nats check --replace` takes them.
    pub replace: Vec<(PathBuf, PathBuf)>,
    /// `--at`, `--server-version`, `--mount`, `--peer`: fixed at launch.
    pub options: crate::tui::data::fleet::FleetOptions,
    pub fleet: Option<Fleet>,
    pub error: Option<String>,
    pub pane: FleetPane,
    pub nodes: List,
    pub links: List,
}
