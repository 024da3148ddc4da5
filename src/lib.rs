//! tlsctl: certificates, trust bundles and SPKI pins for mTLS fleets.
//!
//! The crate is a pure core with two thin shells:
//!
//! - [`pki`]: the domain. Bytes and `now` in, values out; no filesystem,
//!   environment, terminal or clock.
//! - [`store`]: the only code that touches disk: reading inputs, atomic
//!   writes (temp file, fsync, rename, fsync the directory), private keys
//!   created 0600 from the first byte, locks, the store layout.
//! - [`net`]: the only code that opens sockets (`probe`, `serve`).
//! - [`tui`]: the terminal UI, a second shell over the same core.
//! - [`cli`]: clap types, one module per command group; each handler turns
//!   arguments into calls to `pki` and `store` and returns a report that
//!   renders as human text or as one JSON document.
//!
//! Invariants every change keeps:
//!
//! 1. No panic reaches the user on any input; errors name the file and say
//!    what to do; exit codes are 0 (ok), 1 (a check found a problem), 2
//!    (usage error or unreadable input).
//! 2. Private key material is never printed, never written into a bundle,
//!    and never written without mode 0600 from creation.
//! 3. A write either completes or leaves the old file byte-for-byte.
//! 4. No network unless the command is a network command.

pub mod cli;
pub mod net;
pub mod pki;
pub mod store;
pub mod tui;
