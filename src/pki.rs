//! The domain: reading PEM/DER, the certificate model, pins, and (as the
//! other issues land) issuing, bundles, diff, chain verification and lint.
//!
//! Nothing in here touches the filesystem, the environment, the terminal or
//! the clock: bytes and `now` come in as arguments, and results go out as
//! values. That is what lets the CLI and the TUI share it, and what lets the
//! property tests and fuzzers call it directly.

pub mod bundle;
pub mod cert;
pub mod csr;
pub mod der;
pub mod diff;
pub mod dn;
pub mod expiry;
pub mod issue;
pub mod k8s;
pub mod key;
pub mod lint;
pub mod nats;
pub mod natscheck;
pub mod natsconf;
pub mod natslog;
pub mod p12;
pub mod pin;
pub mod pkcs8;
pub mod reader;
pub mod render;
pub mod san;
pub mod text;
pub mod verify;

/// Something an operation warns about: a stable code for scripts and the
/// words for people (`--json` documents carry them under `warnings`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Warning {
    pub code: &'static str,
    pub message: String,
}

pub use cert::{CertInfo, CsrInfo, KeyInfo, ModelError, San, SanKind, Validity};
pub use reader::{Block, BlockError, Item, ReadError};
