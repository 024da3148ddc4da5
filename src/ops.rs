//! The use cases both shells call: `cli` handlers and TUI jobs turn their
//! input into a spec, call one function here, and render what comes back.
//!
//! - Specs are plain types (no clap, no terminal): what to do.
//! - [`Env`] is where and when: the store and the clock. The clock is read
//!   once per operation (`Env::now`), so a TUI left open issues with the
//!   time of the issue, not of its launch; `TLSCTL_NOW` fixes it.
//! - [`Outcome`] is the value and every warning met on the way. Nothing
//!   below the shells prints: the CLI puts warnings on stderr (and under
//!   `warnings` in a JSON document), the TUI in its status line.
//!
//! One file per area: `ca` (create, list, chains), `issue` (issue and
//! renew), `bundle` (add, remove, trust anchors, the rotation diff), `pin`
//! (pins and the `pinned_certs` block). Errors speak the domain; the shells
//! add flag names where they know them.

pub mod bundle;
pub mod ca;
pub mod import;
pub mod issue;
pub mod k8s;
pub mod nats_check;
pub mod nats_explain;
pub mod p12;
pub mod pin;
pub mod sign;
pub mod trust;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Result;
use time::OffsetDateTime;

pub use crate::pki::Warning;
use crate::store::Store;

/// Where the time comes from.
#[derive(Clone)]
pub enum Clock {
    /// The system clock, read at each operation.
    System,
    /// One time for every operation (`TLSCTL_NOW`, `--at`).
    Fixed(OffsetDateTime),
    /// A clock the caller drives (tests of a long-running shell).
    Driven(Arc<dyn Fn() -> OffsetDateTime + Send + Sync>),
}

impl Clock {
    pub fn now(&self) -> OffsetDateTime {
        match self {
            Clock::System => OffsetDateTime::now_utc(),
            Clock::Fixed(t) => *t,
            Clock::Driven(f) => f(),
        }
    }
}

impl std::fmt::Debug for Clock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Clock::System => f.write_str("System"),
            Clock::Fixed(t) => write!(f, "Fixed({t})"),
            Clock::Driven(_) => f.write_str("Driven"),
        }
    }
}

/// The store and the clock an operation runs with.
#[derive(Debug, Clone)]
pub struct Env {
    /// The store directory given (`--store`, `TLSCTL_HOME`); `None` for the
    /// platform data directory.
    pub store: Option<PathBuf>,
    pub clock: Clock,
}

impl Env {
    pub fn new(store: Option<PathBuf>, clock: Clock) -> Env {
        Env { store, clock }
    }

    /// The time, read now: call once per operation.
    pub fn now(&self) -> OffsetDateTime {
        self.clock.now()
    }

    /// The store this environment names (not created yet).
    pub fn store(&self) -> Result<Store> {
        Store::locate(self.store.as_deref())
    }

    /// The same store, judged as of `at` (`--at`).
    pub fn at(&self, at: OffsetDateTime) -> Env {
        Env {
            store: self.store.clone(),
            clock: Clock::Fixed(at),
        }
    }
}

/// What an operation produced, and what it warns about.
#[derive(Debug, Clone)]
pub struct Outcome<T> {
    pub value: T,
    pub warnings: Vec<Warning>,
}

impl<T> Outcome<T> {
    pub fn new(value: T) -> Outcome<T> {
        Outcome {
            value,
            warnings: Vec::new(),
        }
    }

    pub fn with_warnings(value: T, warnings: Vec<Warning>) -> Outcome<T> {
        Outcome { value, warnings }
    }

    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Outcome<U> {
        Outcome {
            value: f(self.value),
            warnings: self.warnings,
        }
    }
}

/// Collects warnings while an operation runs.
#[derive(Debug, Default)]
pub struct Warnings(Vec<Warning>);

impl Warnings {
    pub fn push(&mut self, code: &'static str, message: impl Into<String>) {
        self.0.push(Warning {
            code,
            message: message.into(),
        });
    }

    pub fn extend(&mut self, more: Vec<Warning>) {
        self.0.extend(more);
    }

    /// What taking the store lock put back in order after a killed run.
    pub fn recovered(&mut self, lock: &crate::store::Lock) {
        for what in lock.recovered() {
            self.push("recovered", what.clone());
        }
    }

    pub fn finish<T>(self, value: T) -> Outcome<T> {
        Outcome::with_warnings(value, self.0)
    }
}

/// An absolute form of a user path (for records and printed next steps).
pub fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}
