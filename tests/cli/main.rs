//! The one integration-test binary. Every test runs the real `tlsctl`
//! binary with a cleared environment, a temporary HOME and store, and a
//! pinned clock (see `support`).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

mod bundles;
mod ca_import;
mod client_cn;
mod diff_props;
mod expiry;
mod extremes;
mod faults;
mod frame;
mod generated;
mod headlines;
mod hostile;
mod inspect;
mod interop;
mod interop_nats;
mod k8s;
mod mistakes;
mod natsrv;
mod net;
mod ops_layer;
mod p12;
mod pin;
mod pin_formats;
mod pki_gen;
mod reader_props;
mod runbook;
mod sign;
mod tui;
