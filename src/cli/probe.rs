//! `tlsctl probe HOST:PORT...`: connect as a real NATS client (CONNECT with
//! credentials, then PING) when the server greets with INFO, show the
//! served chain and its pins, and say whether it verifies, matches the
//! pins, and whether the session was accepted. One endpoint gets the full
//! report; several (probed 16 at a time) get one table.
//!
//! Exit codes, one endpoint: 0 when everything asked for holds (the
//! session accepted, or a leafnode/route/gateway port refusing a client
//! after TLS and the login passed); 1 when a check fails: TLS refused (a
//! certificate problem), authentication refused after a good handshake
//! (not one), another `-ERR`, a NATS port without TLS, verify, pin; 2 when
//! there was nothing to check (no connection, the deadline, garbage, an
//! INFO line over 64 KiB, bad input). Several endpoints or --from-monitor:
//! 0 when every endpoint passes and every monitor was read, else 1 (an
//! unreachable endpoint or monitor is named in the table); 2 only for bad
//! input.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result, bail};
use clap::Args;
use serde::Serialize;

use super::{Ctx, Status, output};
use crate::net::probe::{self, Credentials, Observed, Outcome, PortKind, ProbeError, Request};
use crate::ops::bundle::read_trust_bundle;
use crate::pki::nats::Info;
use crate::pki::reader::encode_pem;
use crate::pki::render::{self, Tone};
use crate::pki::verify::{self, Anchors, Purpose, Reason};
use crate::pki::{CertInfo, pin};
use crate::store;

#[derive(Debug, Args)]
pub struct ProbeArgs {
    /// The addresses to connect to (host:port, [v6]:port); several are probed at once
    #[arg(value_name = "HOST:PORT", required_unless_present = "from_monitor")]
    pub addresses: Vec<String>,
    /// Also probe every endpoint a nats-server monitoring port names (http://HOST:8222; repeatable)
    #[arg(long, value_name = "URL")]
    pub from_monitor: Vec<String>,
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
    /// One deadline for the whole probe of an endpoint (resolve, connect, INFO, TLS, session)
    #[arg(long, value_name = "SECONDS", default_value_t = 5.0)]
    pub timeout: f64,
    /// NATS user to log in as; the password comes from --password-file or a prompt
    #[arg(long, value_name = "USER", conflicts_with_all = ["token_file", "creds"])]
    pub user: Option<String>,
    /// File whose first line is the password for --user
    #[arg(long, value_name = "FILE", requires = "user")]
    pub password_file: Option<PathBuf>,
    /// File whose first line is the NATS token
    #[arg(long, value_name = "FILE", conflicts_with = "creds")]
    pub token_file: Option<PathBuf>,
    /// NATS .creds file (user JWT and nkey seed; the seed signs the server's nonce)
    #[arg(long, value_name = "FILE")]
    pub creds: Option<PathBuf>,
    /// Write the served chain (leaf first) to FILE as PEM (one endpoint)
    #[arg(long, value_name = "FILE")]
    pub save_chain: Option<PathBuf>,
    /// Exit 1 when a served certificate expires within DURATION (30d, 12h, 90m), like openssl x509 -checkend
    #[arg(long, value_name = "DURATION", value_parser = crate::cli::shared::parse_window)]
    pub expires_within: Option<time::Duration>,
}

#[derive(Debug, Serialize)]
struct Served {
    subject: String,
    issuer: String,
    not_after: String,
    days_left: i64,
    pin_sha256: String,
    fingerprint_sha256: String,
    pem: String,
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

/// What became of an endpoint, in one word (the JSON `outcome`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
enum Verdict {
    Ok,
    TlsRefused,
    AuthRefused,
    Refused,
    NoTls,
    Unreachable,
}

#[derive(Debug, Serialize)]
struct ProbeReport {
    address: String,
    /// Where --from-monitor found the address.
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<String>,
    #[serde(skip_serializing_if = "String::is_empty")]
    connected_to: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    kind: Option<PortKind>,
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
    outcome: Verdict,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
    ok: bool,
    failures: Vec<String>,
}

#[derive(Debug, Serialize)]
struct MonitorReport {
    url: String,
    ok: bool,
    found: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

#[derive(Debug, Serialize)]
struct FleetReport<'a> {
    #[serde(skip_serializing_if = "<[MonitorReport]>::is_empty")]
    monitors: &'a [MonitorReport],
    endpoints: &'a [ProbeReport],
    ok: bool,
}

/// An hour: a probe is a check, and a longer wait is a typo.
const MAX_TIMEOUT: f64 = 3600.0;

/// What every endpoint is judged against.
struct Checks {
    pins: Vec<String>,
    anchors: Option<(String, Anchors)>,
    presented_client_cert: bool,
    credentials: Credentials,
    /// `--expires-within`: the window and how the user wrote it.
    expires_within: Option<time::Duration>,
}

pub fn run_probe(args: &ProbeArgs, ctx: &Ctx, out: &mut dyn Write) -> Result<Status> {
    if !(args.timeout > 0.0 && args.timeout <= MAX_TIMEOUT) {
        bail!("--timeout must be a number of seconds above 0 and at most {MAX_TIMEOUT}");
    }
    if args.save_chain.is_some() && (args.addresses.len() != 1 || !args.from_monitor.is_empty()) {
        bail!("--save-chain takes one endpoint; probe the others separately");
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
    let credentials = read_credentials(args, ctx)?;
    let checks = Checks {
        pins,
        anchors,
        presented_client_cert: client_auth.is_some(),
        credentials: credentials.clone(),
        expires_within: args.expires_within,
    };
    let timeout = Duration::from_secs_f64(args.timeout);
    // The endpoints: those given, then those the monitors name (each once).
    let mut endpoints: Vec<(String, Option<String>)> =
        args.addresses.iter().map(|a| (a.clone(), None)).collect();
    let mut monitors = Vec::new();
    for url in &args.from_monitor {
        match probe::monitor::discover(url, timeout) {
            Ok(found) => {
                monitors.push(MonitorReport {
                    url: probe::escape(url),
                    ok: true,
                    found: found.len(),
                    error: None,
                });
                for f in found {
                    if !endpoints.iter().any(|(a, _)| *a == f.address) {
                        endpoints.push((f.address, Some(f.source)));
                    }
                }
            }
            Err(e) => monitors.push(MonitorReport {
                url: probe::escape(url),
                ok: false,
                found: 0,
                error: Some(probe::escape(&e)),
            }),
        }
    }
    let requests: Vec<Request> = endpoints
        .iter()
        .map(|(address, _)| Request {
            address: address.clone(),
            sni: args.sni.clone(),
            client_auth: client_auth
                .as_ref()
                .map(|(chain, key)| (chain.clone(), key.clone_key())),
            credentials: credentials.clone(),
            timeout,
        })
        .collect();

    if args.from_monitor.is_empty()
        && let [_] = args.addresses.as_slice()
    {
        let Some(req) = requests.into_iter().next() else {
            bail!("no endpoint to probe");
        };
        let observed = probe::probe(req)?;
        let (report, infos) = judge(&args.addresses[0], &observed, &checks, ctx);
        if let Some(path) = &args.save_chain {
            save_chain(path, &observed)?;
        }
        if ctx.json {
            output::json_with(out, &report, &[])?;
        } else {
            print_report(out, &report, &infos, ctx.color)?;
            if let Some(path) = &args.save_chain {
                writeln!(
                    out,
                    "Saved the served chain ({} certificates) to {}",
                    observed.chain.len(),
                    probe::escape(&path.display().to_string())
                )?;
            }
        }
        return Ok(if report.ok {
            Status::Success
        } else {
            Status::Problem
        });
    }

    let reports: Vec<ProbeReport> = endpoints
        .iter()
        .zip(probe::probe_many(requests))
        .map(|((address, source), result)| {
            let mut report = match result {
                Ok(observed) => judge(address, &observed, &checks, ctx).0,
                Err(e) => unreachable(address, &e),
            };
            report.source = source.clone();
            report
        })
        .collect();
    let ok = reports.iter().all(|r| r.ok) && monitors.iter().all(|m| m.ok);
    if ctx.json {
        output::json_with(
            out,
            &FleetReport {
                monitors: &monitors,
                endpoints: &reports,
                ok,
            },
            &[],
        )?;
    } else {
        print_monitors(out, &monitors, ctx.color)?;
        print_table(out, &reports, &monitors, ctx.color)?;
    }
    Ok(if ok { Status::Success } else { Status::Problem })
}

/// The credentials, read from their files (or the terminal) before any
/// connection; never from the command line itself.
fn read_credentials(args: &ProbeArgs, ctx: &Ctx) -> Result<Credentials> {
    if let Some(user) = &args.user {
        let password = match &args.password_file {
            Some(path) => first_line(path)?,
            None if ctx.interactive => dialoguer::Password::new()
                .with_prompt(format!("NATS password for {}", probe::escape(user)))
                .interact()
                .context("reading the password from the terminal")?,
            None => bail!(
                "--user needs --password-file FILE (stdin is not a terminal, so tlsctl cannot ask)"
            ),
        };
        return Ok(Credentials::UserPassword {
            user: user.clone(),
            password,
        });
    }
    if let Some(path) = &args.token_file {
        return Ok(Credentials::Token(first_line(path)?));
    }
    if let Some(path) = &args.creds {
        let input = store::read_input(path)?;
        let text = String::from_utf8_lossy(&input.bytes);
        return probe::parse_creds(&text).with_context(|| input.name.clone());
    }
    Ok(Credentials::None)
}

/// The first line of a secret file, without its line ending; never quoted
/// in an error.
fn first_line(path: &Path) -> Result<String> {
    let input = store::read_input(path)?;
    let text = std::str::from_utf8(&input.bytes)
        .map_err(|_| anyhow::anyhow!("{}: is not UTF-8 text", input.name))?;
    let line = text
        .lines()
        .next()
        .unwrap_or_default()
        .trim_end_matches('\r');
    if line.is_empty() {
        bail!("{}: the first line is empty", input.name);
    }
    Ok(line.to_owned())
}

fn save_chain(path: &Path, observed: &Observed) -> Result<()> {
    if observed.chain.is_empty() {
        bail!(
            "{}: nothing saved: the server served no certificate",
            path.display()
        );
    }
    let pem: String = observed
        .chain
        .iter()
        .map(|der| encode_pem("CERTIFICATE", der))
        .collect();
    store::write_atomic(
        path,
        pem.as_bytes(),
        store::MODE_PUBLIC,
        store::Overwrite::Allow,
    )
}

fn unreachable(address: &str, e: &ProbeError) -> ProbeReport {
    let error = probe::escape(&e.to_string());
    ProbeReport {
        address: address.to_owned(),
        source: None,
        connected_to: String::new(),
        kind: None,
        nats: None,
        tls_first: false,
        tls: false,
        protocol: String::new(),
        cipher_suite: String::new(),
        chain: Vec::new(),
        verified: None,
        pin_matches: None,
        session: None,
        outcome: Verdict::Unreachable,
        failures: vec![format!("unreachable: {error}")],
        error: Some(error),
        ok: false,
    }
}

/// Judges what one probe saw: chain, verification, pins, session.
fn judge(
    address: &str,
    observed: &Observed,
    checks: &Checks,
    ctx: &Ctx,
) -> (ProbeReport, Vec<Option<CertInfo>>) {
    let esc = probe::escape;
    let mut failures = Vec::new();
    let tls = !observed.chain.is_empty();
    if observed.outcome == Outcome::NoTls {
        failures.push(
            "tls: the server does not offer TLS (its INFO says tls_required: false)".to_owned(),
        );
    }
    let now = ctx.now();
    let infos: Vec<Option<CertInfo>> = observed
        .chain
        .iter()
        .map(|c| CertInfo::parse(c, now).ok())
        .collect();
    // The served chain against --expires-within, as lint and verify judge it.
    if let Some(window) = checks.expires_within {
        for info in infos.iter().flatten() {
            if let Some(e) = crate::pki::expiry::check(info, now, window) {
                failures.push(format!("expiry: {}", e.message));
            }
        }
    }
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
                pem: encode_pem("CERTIFICATE", der),
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
                pem: encode_pem("CERTIFICATE", der),
            },
        })
        .collect();
    let verified = match (&checks.anchors, observed.chain.split_first()) {
        (Some((bundle_name, anchors)), Some((leaf, rest))) => {
            let name = observed.server_name.clone();
            let result =
                verify::verify(anchors, leaf, rest, Purpose::Server, Some(&name), ctx.now());
            if let Err(reason) = &result {
                failures.push(format!(
                    "verify: against {bundle_name} for {}: {}",
                    esc(&name),
                    esc(&reason.to_string())
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
    let pin_matches = if checks.pins.is_empty() || !tls {
        None
    } else {
        let matches = leaf_pin.as_ref().is_some_and(|p| checks.pins.contains(p));
        if !matches {
            failures.push(format!(
                "pin: the served leaf's pin {} is not among --pin",
                leaf_pin.clone().unwrap_or_default()
            ));
        }
        Some(matches)
    };
    let (session, verdict) = session_words(observed, checks, &mut failures);
    let report = ProbeReport {
        address: address.to_owned(),
        source: None,
        connected_to: observed.connected_to.to_string(),
        kind: Some(observed.kind),
        nats: observed.info.clone(),
        tls_first: observed.tls_first,
        tls,
        protocol: observed.protocol.clone(),
        cipher_suite: observed.cipher_suite.clone(),
        chain,
        verified,
        pin_matches,
        session,
        outcome: verdict,
        error: None,
        ok: failures.is_empty(),
        failures,
    };
    (report, infos)
}

/// The session's words, and the failure it adds.
fn session_words(
    observed: &Observed,
    checks: &Checks,
    failures: &mut Vec<String>,
) -> (Option<String>, Verdict) {
    match &observed.outcome {
        Outcome::NoTls => (None, Verdict::NoTls),
        Outcome::Accepted => (
            Some("accepted: CONNECT and PING answered with PONG".to_owned()),
            Verdict::Ok,
        ),
        Outcome::WrongPort(e) => (
            Some(format!(
                "accepted: TLS and login passed; this {} port refuses client sessions, as it should (-ERR '{e}')",
                observed.kind
            )),
            Verdict::Ok,
        ),
        Outcome::HandshakeOnly => (Some("handshake complete".to_owned()), Verdict::Ok),
        Outcome::TlsRefused(detail) => {
            let hint = if checks.presented_client_cert {
                "the server refused this client certificate"
            } else {
                "the server may require a client certificate: pass --cert and --key"
            };
            failures.push(format!("tls: TLS refused: {detail} ({hint})"));
            (Some(format!("TLS refused: {detail}")), Verdict::TlsRefused)
        }
        Outcome::AuthRefused(e) => {
            let hint = if checks.credentials.is_none() {
                "the port wants credentials: pass --user with --password-file, --token-file or --creds"
                    .to_owned()
            } else {
                format!("it refused {}", checks.credentials.describe())
            };
            failures.push(format!(
                "auth: authentication refused after a good TLS handshake (-ERR '{e}'): not a certificate problem; {hint}"
            ));
            (
                Some(format!(
                    "authentication refused after a good TLS handshake: -ERR '{e}'"
                )),
                Verdict::AuthRefused,
            )
        }
        Outcome::Refused(e) => {
            failures.push(format!(
                "session: the server refused the session after a good TLS handshake: -ERR '{e}'"
            ));
            (
                Some(format!("refused after a good TLS handshake: -ERR '{e}'")),
                Verdict::Refused,
            )
        }
    }
}

/// The INFO fields a human report shows, with control characters escaped
/// (the JSON carries them as sent; JSON escapes them itself).
fn escape_info(mut info: Info) -> Info {
    let esc = probe::escape;
    info.server_id = esc(&info.server_id);
    info.server_name = esc(&info.server_name);
    info.version = esc(&info.version);
    info.go = esc(&info.go);
    info.host = esc(&info.host);
    info.cluster = esc(&info.cluster);
    info
}

fn kind_words(r: &ProbeReport) -> String {
    match r.kind {
        Some(k) if r.tls_first && matches!(k, PortKind::Client | PortKind::Leafnode) => {
            format!("{k} (handshake_first)")
        }
        Some(k) => k.to_string(),
        None => "-".to_owned(),
    }
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
        output::bold(
            &format!("Probed {} ({})", probe::escape(&r.address), r.connected_to),
            color
        )
    )?;
    if let Some(info) = r.nats.clone().map(escape_info) {
        writeln!(
            out,
            "NATS server {}{} (id {}), {} port{}: tls_required {}, tls_verify {}, auth_required {}",
            info.version,
            if info.server_name.is_empty() || info.server_name == info.server_id {
                String::new()
            } else {
                format!(" \"{}\"", info.server_name)
            },
            info.server_id,
            kind_words(r),
            if r.tls_first && matches!(r.kind, Some(PortKind::Route | PortKind::Gateway)) {
                " (TLS first)"
            } else {
                ""
            },
            info.tls_required,
            info.tls_verify,
            info.auth_required
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
                c.subject, // the certificate model escapes control characters
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
                probe::escape(&v.server_name),
                output::paint("OK", Tone::Good, color),
                probe::escape(&v.path.clone().unwrap_or_default().join(" <- "))
            )?;
        } else {
            writeln!(
                out,
                "Verified for {}: {} {}",
                probe::escape(&v.server_name),
                output::paint("FAIL", Tone::Bad, color),
                probe::escape(&v.message.clone().unwrap_or_default())
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

fn yes_no(v: Option<bool>) -> &'static str {
    match v {
        Some(true) => "yes",
        Some(false) => "NO",
        None => "-",
    }
}

fn verdict_words(v: Verdict) -> &'static str {
    match v {
        Verdict::Ok => "ok",
        Verdict::TlsRefused => "TLS refused",
        Verdict::AuthRefused => "auth refused",
        Verdict::Refused => "refused",
        Verdict::NoTls => "no TLS",
        Verdict::Unreachable => "unreachable",
    }
}

fn print_monitors(out: &mut dyn Write, monitors: &[MonitorReport], color: bool) -> Result<()> {
    for m in monitors {
        match &m.error {
            None => writeln!(out, "Monitor {}: {} endpoints", m.url, m.found)?,
            Some(e) => writeln!(
                out,
                "Monitor {}: {}",
                m.url,
                output::paint(&format!("could not be read: {e}"), Tone::Bad, color)
            )?,
        }
    }
    Ok(())
}

/// One line per endpoint, then the failures by endpoint.
fn print_table(
    out: &mut dyn Write,
    reports: &[ProbeReport],
    monitors: &[MonitorReport],
    color: bool,
) -> Result<()> {
    let rows: Vec<[String; 9]> = reports
        .iter()
        .map(|r| {
            let leaf = r.chain.first();
            [
                probe::escape(&r.address),
                kind_words(r),
                leaf.map_or("-".to_owned(), |c| c.subject.clone()),
                leaf.map_or("-".to_owned(), |c| c.issuer.clone()),
                leaf.map_or("-".to_owned(), |c| {
                    c.pin_sha256.get(..16).unwrap_or_default().to_owned()
                }),
                leaf.map_or("-".to_owned(), |c| c.days_left.to_string()),
                yes_no(r.verified.as_ref().map(|v| v.ok)).to_owned(),
                yes_no(r.pin_matches).to_owned(),
                verdict_words(r.outcome).to_owned(),
            ]
        })
        .collect();
    let header = [
        "ENDPOINT",
        "KIND",
        "LEAF",
        "ISSUER",
        "PIN",
        "DAYS",
        "VERIFIED",
        "PIN MATCH",
        "SESSION",
    ];
    if reports.is_empty() {
        writeln!(out, "No endpoint to probe.")?;
    }
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count()).min(40);
        }
    }
    let line = |cells: Vec<String>| -> String {
        cells
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{:<w$}", render::fit(c, *w), w = *w))
            .collect::<Vec<_>>()
            .join("  ")
            .trim_end()
            .to_owned()
    };
    if !reports.is_empty() {
        writeln!(
            out,
            "{}",
            output::bold(
                &line(header.iter().map(|h| (*h).to_owned()).collect()),
                color
            )
        )?;
    }
    for (row, r) in rows.into_iter().zip(reports) {
        let text = line(row.to_vec());
        let tone = if r.ok { Tone::Normal } else { Tone::Bad };
        writeln!(out, "{}", output::paint(&text, tone, color))?;
    }
    let failed: Vec<&ProbeReport> = reports.iter().filter(|r| !r.ok).collect();
    let failed_monitors: Vec<&MonitorReport> = monitors.iter().filter(|m| !m.ok).collect();
    if failed.is_empty() && failed_monitors.is_empty() {
        writeln!(
            out,
            "{}",
            output::paint(
                &format!("Result: OK ({} endpoints)", reports.len()),
                Tone::Good,
                color
            )
        )?;
    } else {
        writeln!(
            out,
            "{}",
            output::paint(
                &if failed_monitors.is_empty() {
                    format!(
                        "Result: FAILED ({} of {} endpoints)",
                        failed.len(),
                        reports.len()
                    )
                } else {
                    format!(
                        "Result: FAILED ({} of {} monitors unread, {} of {} endpoints)",
                        failed_monitors.len(),
                        monitors.len(),
                        failed.len(),
                        reports.len()
                    )
                },
                Tone::Bad,
                color
            )
        )?;
        for m in failed_monitors {
            writeln!(
                out,
                "  monitor {}: could not be read: {}",
                m.url,
                m.error.clone().unwrap_or_default()
            )?;
        }
        for r in failed {
            for f in &r.failures {
                writeln!(out, "  {}: {f}", probe::escape(&r.address))?;
            }
        }
    }
    Ok(())
}
