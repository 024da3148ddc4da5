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
//! - [`ops`]: the use cases both shells call (issue, renew, CAs, bundles,
//!   the rotation diff, pins): plain specs and an `Env { store, clock }` in,
//!   `Outcome { value, warnings }` out. Nothing below the shells prints.
//! - [`tui`]: the terminal UI, a second shell over `ops`.
//! - [`cli`]: clap types, one module per command group (one file per
//!   subcommand where a group is large); each handler turns arguments into a
//!   spec, calls `ops` (or `pki` for a pure look at a file), and renders a
//!   report as human text or as one JSON document.
//!
//! Arrows run down only: `cli`, `tui` -> `ops` -> `store`, `net` -> `pki`.
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
pub mod ops;
pub mod pki;
pub mod store;
pub mod tui;
