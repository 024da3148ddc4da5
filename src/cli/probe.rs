//! `tlsctl probe HOST:PORT`: connect, speak NATS if the server greets with
//! INFO, show the served chain and its pins, and say whether it verifies
//! and matches the pins. Exit 0 when everything asked for holds, 1 when a
//! check fails (naming it), 2 when there was nothing to check.

use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Result, bail};
use clap::Args;
use serde::Serialize;

use super::{Ctx, Status, output};
use crate::net::probe::{self, Request};
use crate::ops::bundle::read_trust_bundle;
use crate::pki::nats::Info;
use crate::pki::render::{self, Tone};
use crate::pki::verify::{self, Anchors, Purpose, Reason};
use crate::pki::{CertInfo, pin};
use crate::store;

#[derive(Debug, Args)]
pub struct ProbeArgs {
    /// The address to connect to (host:port, [v6]:port)
    #[arg(value_name = "HOST:PORT")]
    pub address: String,
    /// Verify the served chain against this bundle (for the server name)
    #[arg(long, value_name = "BUNDLE")]
    pub ca: Option<PathBuf>,
    /// Present this client certificate (mTLS)
    #[arg(long, value_name = "FILE", requires = "key")]
    pub cert: Option<PathBuf>,
    /// The client certificate's key
    #[arg(long, value_name = "FILE", requires = "cert")]
    pub key: Option<PathBuf>,
    /// Server name to send (SNI) and verify against [default: the host]
    #[arg(long, value_name = "NAME")]
    pub sni: Option<String>,
    /// Expected pin of the served leaf: 64 hex digits, or a certificate or key file (repeatable)
    #[arg(long, value_name = "PIN")]
    pub pin: Vec<String>,
    /// Give up after this many seconds
    #[arg(long, value_name = "SECONDS", default_value_t = 5.0)]
    pub timeout: f64,
}

#[derive(Debug, Serialize)]
struct Served {
    subject: String,
    issuer: String,
    not_after: String,
    days_left: i64,
    pin_sha256: String,
    fingerprint_sha256: String,
}

#[derive(Debug, Serialize)]
struct Verified {
    ok: bool,
    server_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    path: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<Reason>,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<String>,
}

#[derive(Debug, Serialize)]
struct ProbeReport {
    address: String,
    connected_to: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    nats: Option<Info>,
    tls_first: bool,
    tls: bool,
    protocol: String,
    cipher_suite: String,
    chain: Vec<Served>,
    #[serde(skip_serializing_if = "Option::is_none")]
    verified: Option<Verified>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pin_matches: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    session: Option<String>,
    ok: bool,
    failures: Vec<String>,
}

/// An hour: a probe is a check, and a longer wait is a typo.
const MAX_TIMEOUT: f64 = 3600.0;

pub fn run_probe(args: &ProbeArgs, ctx: &Ctx, out: &mut dyn Write) -> Result<Status> {
    if !(args.timeout > 0.0 && args.timeout <= MAX_TIMEOUT) {
        bail!("--timeout must be a number of seconds above 0 and at most {MAX_TIMEOUT}");
    }
    // Read every file before touching the network.
    let pins = args
        .pin
        .iter()
        .map(|v| super::shared::pin_argument(v).map(|(pin, _)| pin))
        .collect::<Result<Vec<_>>>()?;
    let anchors = match &args.ca {
        Some(path) => {
            let trusted = read_trust_bundle(path, ctx.now())?;
            ctx.warnings(&trusted.warnings);
            let (name, parsed) = trusted.value;
            Some((
                name,
                Anchors::new(
                    parsed.entries.into_iter().map(|e| e.der).collect(),
                    ctx.now(),
                ),
            ))
        }
        None => None,
    };
    let client_auth = match (&args.cert, &args.key) {
        (Some(c), Some(k)) => {
            let (_, chain) = store::read_certificates(c)?;
            let (_, key) = store::read_private_key(k)?;
            Some((chain, key))
        }
        _ => None,
    };
    let presented_client_cert = client_auth.is_some();
    let observed = probe::probe(Request {
        address: args.address.clone(),
        sni: args.sni.clone(),
        client_auth,
        timeout: Duration::from_secs_f64(args.timeout),
    })?;

    let mut failures = Vec::new();
    let tls = !observed.chain.is_empty();
    if !tls {
        failures.push(
            "tls: the server does not offer TLS (its INFO says tls_required: false)".to_owned(),
        );
    }
    let infos: Vec<Option<CertInfo>> = observed
        .chain
        .iter()
        .map(|c| CertInfo::parse(c, ctx.now()).ok())
        .collect();
    let chain: Vec<Served> = observed
        .chain
        .iter()
        .zip(&infos)
        .map(|(der, info)| match info {
            Some(i) => Served {
                subject: i.subject.clone(),
                issuer: i.issuer.clone(),
                not_after: render::format_rfc3339(i.not_after),
                days_left: i.days_left,
                pin_sha256: i.pin_sha256.clone(),
                fingerprint_sha256: i.fingerprint_sha256.clone(),
            },
            None => Served {
                subject: "(unreadable)".to_owned(),
                issuer: String::new(),
                not_after: String::new(),
                days_left: 0,
                pin_sha256: crate::pki::der::certificate_spki(der)
                    .map(pin::spki_pin)
                    .unwrap_or_default(),
                fingerprint_sha256: pin::sha256_hex(der),
            },
        })
        .collect();
    let verified = match (&anchors, observed.chain.split_first()) {
        (Some((bundle_name, anchors)), Some((leaf, rest))) => {
            let name = observed.server_name.clone();
            let result =
                verify::verify(anchors, leaf, rest, Purpose::Server, Some(&name), ctx.now());
            if let Err(reason) = &result {
                failures.push(format!(
                    "verify: against {bundle_name} for {name}: {reason}"
                ));
            }
            Some(match result {
                Ok(t) => Verified {
                    ok: true,
                    server_name: name,
                    path: Some(t.path),
                    reason: None,
                    message: None,
                },
                Err(reason) => Verified {
                    ok: false,
                    server_name: name,
                    path: None,
                    message: Some(reason.to_string()),
                    reason: Some(reason),
                },
            })
        }
        _ => None,
    };
    let leaf_pin = chain.first().map(|c| c.pin_sha256.clone());
    let pin_matches = if pins.is_empty() || !tls {
        None
    } else {
        let matches = leaf_pin.as_ref().is_some_and(|p| pins.contains(p));
        if !matches {
            failures.push(format!(
                "pin: the served leaf's pin {} is not among --pin",
                leaf_pin.clone().unwrap_or_default()
            ));
        }
        Some(matches)
    };
    let session = if !tls {
        None
    } else if let Some(refusal) = &observed.refused_after_handshake {
        let hint = if presented_client_cert {
            "the server refused this client certificate"
        } else {
            "the server may require a client certificate: pass --cert and --key"
        };
        failures.push(format!("session: {refusal} ({hint})"));
        Some(format!("refused: {refusal}"))
    } else if observed.nats_pong {
        Some("NATS PING answered: the server accepted the session".to_owned())
    } else {
        Some("handshake complete".to_owned())
    };
    let report = ProbeReport {
        address: args.address.clone(),
        connected_to: observed.connected_to.to_string(),
        nats: observed
            .info
            .clone()
            .or_else(|| observed.tls_first_info.clone()),
        tls_first: observed.tls_first_info.is_some(),
        tls,
        protocol: observed.protocol.clone(),
        cipher_suite: observed.cipher_suite.clone(),
        chain,
        verified,
        pin_matches,
        session,
        ok: failures.is_empty(),
        failures,
    };
    if ctx.json {
        output::json(out, &report)?;
    } else {
        print_report(out, &report, &infos, ctx.color)?;
    }
    Ok(if report.ok {
        Status::Success
    } else {
        Status::Problem
    })
}

fn print_report(
    out: &mut dyn Write,
    r: &ProbeReport,
    infos: &[Option<CertInfo>],
    color: bool,
) -> Result<()> {
    writeln!(
        out,
        "{}",
        output::bold(&format!("Probed {} ({})", r.address, r.connected_to), color)
    )?;
    if let Some(info) = &r.nats {
        writeln!(
            out,
            "NATS server {}{} (id {}){}: tls_required {}, tls_verify {}",
            info.version,
            if info.server_name.is_empty() || info.server_name == info.server_id {
                String::new()
            } else {
                format!(" \"{}\"", info.server_name)
            },
            info.server_id,
            if r.tls_first { ", TLS first" } else { "" },
            info.tls_required,
            info.tls_verify
        )?;
    }
    if r.tls {
        writeln!(out, "{}, {}", r.protocol, r.cipher_suite)?;
        writeln!(out, "Served chain:")?;
        for (i, (c, info)) in r.chain.iter().zip(infos).enumerate() {
            let role = match info {
                Some(i) if i.is_ca && i.self_signed => "root",
                Some(i) if i.is_ca => "intermediate",
                Some(_) => "leaf",
                None => "unreadable",
            };
            let expiry = info.as_ref().map(render::expiry_phrase).unwrap_or_default();
            let tone = info
                .as_ref()
                .map_or(Tone::Bad, |i| render::expiry_tone(i.validity, i.days_left));
            writeln!(
                out,
                "  {i}  {}  ({role}, {})",
                c.subject,
                output::paint(&expiry, tone, color)
            )?;
            writeln!(
                out,
                "     pin          {}",
                output::paint(&c.pin_sha256, Tone::Key, color)
            )?;
            writeln!(
                out,
                "     fingerprint  {}",
                output::paint(
                    &pin::fingerprint_display(&c.fingerprint_sha256),
                    Tone::Dim,
                    color
                )
            )?;
        }
    }
    if let Some(v) = &r.verified {
        if v.ok {
            writeln!(
                out,
                "Verified for {}: {} ({})",
                v.server_name,
                output::paint("OK", Tone::Good, color),
                v.path.clone().unwrap_or_default().join(" <- ")
            )?;
        } else {
            writeln!(
                out,
                "Verified for {}: {} {}",
                v.server_name,
                output::paint("FAIL", Tone::Bad, color),
                v.message.clone().unwrap_or_default()
            )?;
        }
    }
    if let Some(m) = r.pin_matches {
        writeln!(
            out,
            "Pin: {}",
            if m {
                output::paint("OK, the leaf's pin is among --pin", Tone::Good, color)
            } else {
                output::paint("FAIL, the leaf's pin is not among --pin", Tone::Bad, color)
            }
        )?;
    }
    if let Some(s) = &r.session {
        writeln!(out, "Session: {s}")?;
    }
    if r.ok {
        writeln!(out, "{}", output::paint("Result: OK", Tone::Good, color))?;
    } else {
        writeln!(out, "{}", output::paint("Result: FAILED", Tone::Bad, color))?;
        for f in &r.failures {
            writeln!(out, "  {f}")?;
        }
    }
    Ok(())
}
