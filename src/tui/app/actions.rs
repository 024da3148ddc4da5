//! What the model reacts to (actions, finished jobs) and what it asks the
//! loop to do (effects), and what covers the view (overlays, prompts).

use std::path::PathBuf;

use super::Form;
use crate::ops::bundle::DiffParts;
use crate::tui::data::fleet::Fleet;
use crate::tui::data::{LoadedFile, StoreSnapshot};
use crate::tui::keymap::Cmd;

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
    /// Where typing goes, in characters (clamped to the input).
    pub cursor: usize,
    pub purpose: PromptFor,
    pub error: Option<String>,
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
    /// Works out what removing a certificate would cut off, then asks.
    PlanRemove {
        index: usize,
        bundle: PathBuf,
        fingerprint: String,
        subject: String,
        /// The store's issued certificates, checked before and after.
        peers: Vec<PathBuf>,
    },
    RemoveFromBundle {
        index: usize,
        bundle: PathBuf,
        fingerprint: String,
        subject: String,
    },
    CreateCa(Form),
    IssueCert(Form),
    /// `cert sign` from the sign form.
    SignCsr(Form),
    /// `ca import` from the import form.
    ImportCa(Form),
    /// `cert p12` from the PKCS#12 form.
    WriteP12(Form),
    /// `nats check` of the fleet view's configurations, under its
    /// replacements.
    LoadFleet {
        configs: Vec<PathBuf>,
        replace: Vec<(PathBuf, PathBuf)>,
        options: crate::tui::data::fleet::FleetOptions,
    },
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
    Fleet(Result<Box<Fleet>, String>),
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
    /// Text pasted into the terminal (bracketed paste).
    Paste(String),
    Resize(u16, u16),
    /// Mouse wheel: rows to move (negative is up).
    Scroll(i32),
    Tick,
    Job(JobResult),
}
