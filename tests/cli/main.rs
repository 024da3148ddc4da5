//! The one integration-test binary. Every test runs the real `tlsctl`
//! binary with a cleared environment, a temporary HOME and store, and a
//! pinned clock (see `support`).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

mod bundles;
mod ca_import;
mod client_cn;
mod diff_json;
mod diff_props;
mod diff_unreadable;
mod docrun;
mod expiry;
mod extremes;
mod face;
mod faults;
mod frame;
mod generated;
mod go_hostile;
mod go_roles;
mod headlines;
mod help_face;
mod hostile;
mod inspect;
mod interop;
mod interop_go;
mod interop_nats;
mod interop_nats_check;
mod interop_nats_explain;
mod interop_natscfg;
mod interop_natsconf;
mod interop_probe;
mod interop_roles;
mod interop_rotation;
mod json;
mod k8s;
mod k8s_read;
mod linking;
mod links;
mod mistakes;
mod nats_check;
mod nats_config_rules;
mod nats_explain;
mod nats_k8s;
mod nats_peers;
mod natsconf;
mod natsrv;
mod net;
mod next_steps;
mod ops_layer;
mod p12;
mod pair_writes;
mod pin;
mod pin_formats;
mod pki_gen;
mod probe_fleet;
mod probe_hostile;
mod reader_props;
mod runbook;
mod serve_limits;
mod sign;
mod store_faults;
mod trust;
mod tui;
mod tui_fleet;
mod tui_forms;
