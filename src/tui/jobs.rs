//! Effects, run on worker threads so that input never waits: loads, RSA
//! key generation, bundle writes. Each posts its result back to the event
//! loop as an event. Writes go through the same store code as the CLI.

use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;

use anyhow::{Context, Result, anyhow};

use super::Event;
use super::app::{Effect, Form, JobResult, Reload};
use super::data;
use crate::cli::Ctx;
use crate::cli::ca::{CaCreateArgs, create_ca};
use crate::cli::cert::{CertIssueArgs, UsageArg, issue};
use crate::cli::shared::{self, KeyTypeArg};
use crate::pki::bundle::Selector;
use crate::pki::render::counted;
use crate::pki::san;
use crate::store::{self, MODE_PUBLIC, Overwrite, bundle_file};

/// The name of job threads: the TUI's panic hook leaves the terminal alone
/// for them (see `tui::run`).
pub const THREAD_NAME: &str = "tlsctl-job";

/// Starts `effect` on its own thread. A job that panics (a bug) reports an
/// error in its place rather than leaving the view waiting for ever.
pub fn spawn(effect: Effect, ctx: Ctx, events: Sender<Event>) {
    let failed = failure_for(&effect);
    let report = events.clone();
    let started = std::thread::Builder::new()
        .name(THREAD_NAME.to_owned())
        .spawn(move || {
            let result =
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run(effect, &ctx)))
                    .unwrap_or_else(|panic| {
                        let what = panic
                            .downcast_ref::<&str>()
                            .map(|s| (*s).to_owned())
                            .or_else(|| panic.downcast_ref::<String>().cloned())
                            .unwrap_or_default();
                        failed(format!(
                            "internal error ({what}); nothing was written. Please report it."
                        ))
                    });
            let _ = report.send(Event::Job(result));
        });
    if let Err(e) = started {
        let _ = events.send(Event::Job(done(
            Err(anyhow!("cannot start a worker thread: {e}")),
            Reload::Nothing,
        )));
    }
}

/// How a failure of `effect` is reported: as the result the view waits for.
fn failure_for(effect: &Effect) -> impl FnOnce(String) -> JobResult + Send + 'static {
    enum Waiting {
        Store,
        File(usize),
        Diff,
        Done,
    }
    let waiting = match effect {
        Effect::LoadStore => Waiting::Store,
        Effect::LoadFile { index, .. } => Waiting::File(*index),
        Effect::LoadDiff { .. } => Waiting::Diff,
        _ => Waiting::Done,
    };
    move |message| match waiting {
        Waiting::Store => JobResult::Store(Err(message)),
        Waiting::File(index) => JobResult::File {
            index,
            result: Err(message),
        },
        Waiting::Diff => JobResult::Diff(Err(message)),
        Waiting::Done => JobResult::Done {
            result: Err(message),
            reload: Reload::Nothing,
        },
    }
}

/// Writes the pins block: never over a file that holds PEM blocks (a
/// bundle, a key), and over any other existing file only once the user has
/// said yes.
fn write_pins(path: PathBuf, text: String, replace: bool) -> JobResult {
    let path = match path.strip_prefix("~") {
        Ok(rest) => std::env::var_os("HOME")
            .map(|home| PathBuf::from(home).join(rest))
            .unwrap_or(path),
        Err(_) => path,
    };
    if path.as_os_str().is_empty() {
        return done(Err(anyhow!("give a path to write to")), Reload::Nothing);
    }
    if let Ok(existing) = std::fs::read(&path) {
        if memchr::memmem::find(&existing, b"-----BEGIN").is_some() {
            return done(
                Err(anyhow!(
                    "{}: holds PEM blocks (certificates or keys); choose another file",
                    path.display()
                )),
                Reload::Nothing,
            );
        }
        if !replace {
            return JobResult::Confirm {
                question: format!("{} exists. Replace it with the pins block?", path.display()),
                effect: Effect::WritePins {
                    path,
                    text,
                    replace: true,
                },
            };
        }
    }
    let overwrite = if replace {
        Overwrite::Allow
    } else {
        Overwrite::Never
    };
    done(
        store::write_atomic(&path, text.as_bytes(), MODE_PUBLIC, overwrite)
            .map(|()| format!("wrote the pinned_certs block to {}", path.display())),
        Reload::Nothing,
    )
}

fn done(result: Result<String>, reload: Reload) -> JobResult {
    JobResult::Done {
        result: result.map_err(|e| format!("{e:#}")),
        reload,
    }
}

/// Runs one effect (on the calling thread; tests call this directly).
pub fn run(effect: Effect, ctx: &Ctx) -> JobResult {
    match effect {
        Effect::LoadStore => JobResult::Store(data::load_store(ctx)),
        Effect::LoadFile { index, path } => JobResult::File {
            index,
            result: data::load_file(&path, ctx.now),
        },
        Effect::LoadDiff { old, new, peers } => {
            JobResult::Diff(data::load_diff(&old, &new, &peers, ctx))
        }
        Effect::AddToBundle {
            index,
            bundle,
            inputs,
        } => done(add(&bundle, &inputs, ctx), Reload::File(index)),
        Effect::RemoveFromBundle {
            index,
            bundle,
            fingerprint,
            subject,
        } => done(
            remove(&bundle, &fingerprint, &subject, ctx),
            Reload::File(index),
        ),
        Effect::CreateCa(form) => done(create(&form, ctx), Reload::Store),
        Effect::IssueCert(form) => done(issue_from(&form, ctx), Reload::Store),
        Effect::WritePins {
            path,
            text,
            replace,
        } => write_pins(path, text, replace),
    }
}

fn add(bundle_path: &Path, inputs: &[PathBuf], ctx: &Ctx) -> Result<String> {
    let incoming = inputs
        .iter()
        .map(|p| crate::cli::bundle::parse_input(p, ctx.now))
        .collect::<Result<Vec<_>>>()?;
    let added = bundle_file::add(bundle_path, incoming, false, ctx.now, false)?;
    Ok(format!(
        "added {} (skipped {}); {} now holds {}",
        added.plan.added.len(),
        counted(added.plan.duplicates.len(), "duplicate"),
        bundle_path.display(),
        counted(added.total(), "certificate")
    ))
}

fn remove(bundle_path: &Path, fingerprint: &str, subject: &str, ctx: &Ctx) -> Result<String> {
    let selectors = [Selector::Fingerprint(fingerprint.to_owned())];
    let outcome = bundle_file::remove(bundle_path, &selectors, ctx.now, false, &mut |_| Ok(()))?
        .ok_or_else(|| anyhow!("{subject} is no longer in {}", bundle_path.display()))?;
    Ok(format!(
        "removed {subject}; {} now holds {}",
        bundle_path.display(),
        outcome.kept
    ))
}

fn key_type(form: &Form) -> KeyTypeArg {
    match form.value("Key type") {
        "ecdsa-p384" => KeyTypeArg::EcdsaP384,
        "ecdsa-p521" => KeyTypeArg::EcdsaP521,
        "ed25519" => KeyTypeArg::Ed25519,
        "rsa-2048" => KeyTypeArg::Rsa2048,
        "rsa-3072" => KeyTypeArg::Rsa3072,
        "rsa-4096" => KeyTypeArg::Rsa4096,
        _ => KeyTypeArg::EcdsaP256,
    }
}

fn non_empty(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

fn days(form: &Form) -> Result<Option<i64>> {
    non_empty(form.value("Days"))
        .map(|d| d.parse::<i64>().context("days must be a whole number"))
        .transpose()
}

fn create(form: &Form, ctx: &Ctx) -> Result<String> {
    let args = CaCreateArgs {
        name: form.value("Name").trim().to_owned(),
        parent: non_empty(form.value("Parent")),
        cn: non_empty(form.value("Common name")),
        org: None,
        key_type: key_type(form),
        days: days(form)?,
        path_len: None,
        not_before: None,
        force: false,
    };
    let store = shared::store(ctx)?;
    let _lock = store.lock()?;
    let (ca, _) = create_ca(&store, &args, ctx.now)?;
    Ok(format!(
        "created the CA {:?} in {}",
        ca.name,
        ca.dir.display()
    ))
}

fn issue_from(form: &Form, ctx: &Ctx) -> Result<String> {
    let texts: Vec<String> = form
        .value("SANs")
        .split([' ', ','])
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect();
    let sans = texts
        .iter()
        .map(|t| san::parse_san(t))
        .collect::<Result<Vec<_>, _>>()?;
    let args = CertIssueArgs {
        sans: texts,
        ca: non_empty(form.value("CA")),
        name: None,
        cn: None,
        usage: match form.value("Usage") {
            "server" => UsageArg::Server,
            "client" => UsageArg::Client,
            _ => UsageArg::Dual,
        },
        key_type: key_type(form),
        days: days(form)?.unwrap_or(365),
        out: non_empty(form.value("Output dir")).map(PathBuf::from),
        cert_out: None,
        key_out: None,
        chain: form.value("Chain") == "yes",
        reuse_key: None,
        force: false,
    };
    let issued = issue(&args, sans, ctx)?;
    let r = &issued.report;
    // The CLI warns on stderr, which the TUI keeps quiet: say it here.
    // The status line is one row: the warning before the pin.
    let leaf_alone = if issued.chain.len() > 1 && !args.chain {
        " (leaf alone: peers that trust only the root need Chain: yes)"
    } else {
        ""
    };
    Ok(format!(
        "issued {} from {}: {}{leaf_alone}, pin {}",
        r.certificate.subject, r.ca, r.cert_path, r.certificate.pin_sha256
    ))
}
