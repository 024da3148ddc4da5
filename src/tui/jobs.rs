//! Effects, run on worker threads so that input never waits: loads, RSA
//! key generation, bundle writes. Each posts its result back to the event
//! loop as an event. Writes go through the same store code as the CLI.

use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;

use anyhow::{Context, Result, anyhow, bail};

use super::Event;
use super::app::{Effect, Form, JobResult, Reload};
use super::data;
use crate::ops::bundle::{AddSpec, RemoveSpec};
use crate::ops::ca::CaSpec;
use crate::ops::import::ImportSpec;
use crate::ops::issue::{Destination, IssueSpec, parse_sans};
use crate::ops::p12::P12Spec;
use crate::ops::pin::BlockWrite;
use crate::ops::sign::{SignDestination, SignSpec};
use crate::ops::{self, Env, Outcome};
use crate::pki::bundle::Selector;
use crate::pki::issue::{KeyType, Usage};
use crate::pki::p12::Protection;
use crate::pki::render::counted;

/// The name of job threads: the TUI's panic hook leaves the terminal alone
/// for them (see `tui::run`).
pub const THREAD_NAME: &str = "tlsctl-job";

/// Starts `effect` on its own thread. A job that panics (a bug) reports an
/// error in its place rather than leaving the view waiting for ever.
pub fn spawn(effect: Effect, env: Env, events: Sender<Event>) {
    let failed = failure_for(&effect);
    let report = events.clone();
    let started = std::thread::Builder::new()
        .name(THREAD_NAME.to_owned())
        .spawn(move || {
            let result =
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run(effect, &env)))
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
        Fleet,
        Done,
    }
    let waiting = match effect {
        Effect::LoadStore => Waiting::Store,
        Effect::LoadFile { index, .. } => Waiting::File(*index),
        Effect::LoadDiff { .. } => Waiting::Diff,
        Effect::LoadFleet { .. } => Waiting::Fleet,
        _ => Waiting::Done,
    };
    move |message| match waiting {
        Waiting::Store => JobResult::Store(Err(message)),
        Waiting::File(index) => JobResult::File {
            index,
            result: Err(message),
        },
        Waiting::Diff => JobResult::Diff(Err(message)),
        Waiting::Fleet => JobResult::Fleet(Err(message)),
        Waiting::Done => JobResult::Done {
            result: Err(message),
            warnings: Vec::new(),
            reload: Reload::Nothing,
        },
    }
}

/// Writes the pins block: never over a file that holds PEM blocks (a
/// bundle, a key), and over any other existing file only once the user has
/// said yes.
fn write_pins(path: PathBuf, text: String, replace: bool) -> JobResult {
    match ops::pin::write_block(&path, &text, replace) {
        Ok(BlockWrite::NeedsConfirmation(path)) => JobResult::Confirm {
            question: format!("{} exists. Replace it with the pins block?", path.display()),
            effect: Effect::WritePins {
                path,
                text,
                replace: true,
            },
        },
        Ok(BlockWrite::Written(path)) => done(
            Ok(format!(
                "wrote the pinned_certs block to {}",
                path.display()
            )),
            Reload::Nothing,
        ),
        Err(e) => done(Err(e), Reload::Nothing),
    }
}

fn done(result: Result<String>, reload: Reload) -> JobResult {
    done_warned(result.map(Outcome::new), reload)
}

/// A finished write, with what it warned about.
fn done_warned(result: Result<Outcome<String>>, reload: Reload) -> JobResult {
    match result {
        Ok(outcome) => JobResult::Done {
            result: Ok(outcome.value),
            warnings: outcome.warnings.into_iter().map(|w| w.message).collect(),
            reload,
        },
        Err(e) => JobResult::Done {
            result: Err(format!("{e:#}")),
            warnings: Vec::new(),
            reload,
        },
    }
}

/// Runs one effect (on the calling thread; tests call this directly). Each
/// reads the clock for itself: a TUI left open works with the time of the
/// operation, not of its launch.
pub fn run(effect: Effect, env: &Env) -> JobResult {
    match effect {
        Effect::LoadStore => JobResult::Store(data::load_store(env)),
        Effect::LoadFile { index, path } => JobResult::File {
            index,
            result: data::load_file(&path, env.now()),
        },
        Effect::LoadDiff { old, new, peers } => {
            JobResult::Diff(data::load_diff(&old, &new, &peers, env))
        }
        Effect::AddToBundle {
            index,
            bundle,
            inputs,
        } => done_warned(add(&bundle, &inputs, env), Reload::File(index)),
        Effect::PlanRemove {
            index,
            bundle,
            fingerprint,
            subject,
            peers,
        } => plan_remove(index, bundle, fingerprint, subject, &peers, env),
        Effect::RemoveFromBundle {
            index,
            bundle,
            fingerprint,
            subject,
        } => done_warned(
            remove(&bundle, &fingerprint, &subject, env),
            Reload::File(index),
        ),
        Effect::CreateCa(form) => done_warned(create(&form, env), Reload::Store),
        Effect::IssueCert(form) => done_warned(issue_from(&form, env), Reload::Store),
        Effect::SignCsr(form) => done_warned(sign_from(&form, env), Reload::Nothing),
        Effect::ImportCa(form) => done_warned(import_from(&form, env), Reload::Store),
        Effect::WriteP12(form) => done_warned(p12_from(&form, env), Reload::Nothing),
        Effect::LoadFleet {
            configs,
            replace,
            options,
        } => JobResult::Fleet(
            data::fleet::load_fleet(&configs, &replace, &options, env).map(Box::new),
        ),
        Effect::WritePins {
            path,
            text,
            replace,
        } => write_pins(path, text, replace),
    }
}

/// Asks before a removal, saying what it would cut off: the verdicts of
/// the store's issued certificates against the bundle before and after.
fn plan_remove(
    index: usize,
    bundle: PathBuf,
    fingerprint: String,
    subject: String,
    peers: &[PathBuf],
    env: &Env,
) -> JobResult {
    let impact = match ops::bundle::removal_impact(env, &bundle, &fingerprint, peers) {
        Ok(outcome) => outcome,
        Err(e) => return done(Err(e), Reload::Nothing),
    };
    let question = removal_question(&subject, &bundle, &impact);
    JobResult::Confirm {
        question,
        effect: Effect::RemoveFromBundle {
            index,
            bundle,
            fingerprint,
            subject,
        },
    }
}

/// The removal question: what goes, who loses trust, what else it means.
pub fn removal_question(
    subject: &str,
    bundle: &Path,
    impact: &Outcome<ops::bundle::RemovalImpact>,
) -> String {
    let i = &impact.value;
    let mut lines = vec![format!(
        "Remove {subject} from {}? {} would remain.",
        bundle.display(),
        counted(i.remaining, "certificate")
    )];
    let lost: Vec<String> = i
        .lost()
        .map(|p| {
            let why = p
                .new
                .failure()
                .map(|r| format!(": {r}"))
                .unwrap_or_default();
            format!("  lost: {} ({}){why}", p.subject, p.peer)
        })
        .collect();
    if i.peers.is_empty() {
        lines.push(
            "No certificate to check: the store has issued none that can be read.".to_owned(),
        );
    } else if lost.is_empty() {
        lines.push(format!(
            "No one loses trust: {} checked (what the store issued, the diff's peers).",
            counted(i.peers.len(), "certificate")
        ));
    } else {
        lines.push(format!(
            "It cuts off {} of {} checked (what the store issued, the diff's peers):",
            lost.len(),
            counted(i.peers.len(), "certificate")
        ));
        lines.extend(lost);
    }
    lines.extend(i.warnings.iter().map(|w| format!("warning: {}", w.message)));
    lines.extend(
        impact
            .warnings
            .iter()
            .map(|w| format!("warning: {}", w.message)),
    );
    lines.join("\n")
}

fn add(bundle_path: &Path, inputs: &[PathBuf], env: &Env) -> Result<Outcome<String>> {
    let spec = AddSpec {
        bundle: bundle_path.to_path_buf(),
        files: inputs.to_vec(),
        allow_leaf: false,
        dry_run: false,
    };
    Ok(ops::bundle::add(env, &spec)?.map(|added| {
        format!(
            "added {} (skipped {}); {} now holds {}",
            added.plan.added.len(),
            counted(added.plan.duplicates.len(), "duplicate"),
            bundle_path.display(),
            counted(added.total(), "certificate")
        )
    }))
}

fn remove(
    bundle_path: &Path,
    fingerprint: &str,
    subject: &str,
    env: &Env,
) -> Result<Outcome<String>> {
    let spec = RemoveSpec {
        bundle: bundle_path.to_path_buf(),
        selectors: vec![Selector::Fingerprint(fingerprint.to_owned())],
        dry_run: false,
    };
    let outcome = ops::bundle::remove(env, &spec, &mut |_, _| Ok(()))?;
    let warnings = outcome.warnings;
    let removed = outcome.value;
    if removed.removed.is_empty() {
        bail!("{subject} is no longer in {}", bundle_path.display());
    }
    Ok(Outcome::with_warnings(
        format!(
            "removed {subject}; {} now holds {}",
            bundle_path.display(),
            removed.kept
        ),
        warnings,
    ))
}

fn key_type(form: &Form) -> KeyType {
    KeyType::from_name(form.value("Key type")).unwrap_or(KeyType::EcdsaP256)
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

fn create(form: &Form, env: &Env) -> Result<Outcome<String>> {
    let spec = CaSpec {
        parent: non_empty(form.value("Parent")),
        cn: non_empty(form.value("Common name")),
        org: non_empty(form.value("Organisation")),
        key_type: key_type(form),
        days: days(form)?,
        path_len: non_empty(form.value("Path length"))
            .map(|n| n.parse::<u8>().context("path length must be 0 to 255"))
            .transpose()?,
        not_before: non_empty(form.value("Not before"))
            .map(|t| crate::tui::app::parse_time(&t).map_err(|e| anyhow!("not before: {e}")))
            .transpose()?,
        ..CaSpec::root(form.value("Name").trim())
    };
    Ok(ops::ca::create(env, &spec)?.map(|created| {
        format!(
            "created the CA {:?} in {}",
            created.ca.name,
            created.ca.dir.display()
        )
    }))
}

fn issue_from(form: &Form, env: &Env) -> Result<Outcome<String>> {
    let sans = parse_sans(&[form.value("SANs").to_owned()], true)?;
    let chain = form.value("Chain") == "yes";
    let spec = IssueSpec {
        ca: non_empty(form.value("CA")),
        usage: Usage::from_name(form.value("Usage")).unwrap_or(Usage::Dual),
        key_type: key_type(form),
        days: days(form)?.unwrap_or(ops::issue::DEFAULT_DAYS),
        destination: match non_empty(form.value("Output dir")) {
            Some(dir) => Destination::Dir(PathBuf::from(dir)),
            None => Destination::Store,
        },
        chain,
        ..IssueSpec::new(sans)
    };
    let outcome = ops::issue::issue(env, &spec)?;
    let issued = &outcome.value;
    let r = &issued.report;
    // The status line is one row: the chain note before the pin.
    let leaf_alone = if issued.intermediates() > 0 && !chain {
        " (leaf alone: peers that trust only the root need Chain: yes)"
    } else {
        ""
    };
    let text = format!(
        "issued {} from {}: {}{leaf_alone}, pin {}",
        r.certificate.subject, r.ca, r.cert_path, r.certificate.pin_sha256
    );
    Ok(Outcome::with_warnings(text, outcome.warnings))
}

/// A path typed in a form (`~/` is the home directory).
fn path_of(form: &Form, label: &str) -> PathBuf {
    crate::store::expand_home(Path::new(form.value(label).trim()))
}

fn optional_path(form: &Form, label: &str) -> Option<PathBuf> {
    non_empty(form.value(label)).map(|_| path_of(form, label))
}

/// `tlsctl cert sign` from the form: a file, or `DIR/` for the versioned
/// directory layout; never over an existing file.
fn sign_from(form: &Form, env: &Env) -> Result<Outcome<String>> {
    let output = form.value("Output").trim();
    let destination = if output.ends_with('/') {
        SignDestination::Dir(path_of(form, "Output"))
    } else {
        SignDestination::File(path_of(form, "Output"))
    };
    let spec = SignSpec {
        csr: path_of(form, "CSR"),
        ca: non_empty(form.value("CA")),
        usage: Usage::from_name(form.value("Usage")).unwrap_or(Usage::Dual),
        days: days(form)?.unwrap_or(ops::issue::DEFAULT_DAYS),
        destination,
        chain: form.value("Chain") == "yes",
        sans: match non_empty(form.value("SANs")) {
            Some(text) => Some(parse_sans(&[text], true)?),
            None => None,
        },
        replace: false,
    };
    let outcome = ops::sign::sign(env, &spec)?;
    let r = &outcome.value;
    let text = format!(
        "signed {} with {}: {}, pin {}",
        r.certificate.subject,
        r.ca,
        r.cert_path.as_deref().unwrap_or_default(),
        r.certificate.pin_sha256
    );
    Ok(Outcome::with_warnings(text, outcome.warnings))
}

/// `tlsctl ca import` from the form.
fn import_from(form: &Form, env: &Env) -> Result<Outcome<String>> {
    let password = form.value("Key password");
    let spec = ImportSpec {
        name: form.value("Name").trim().to_owned(),
        cert: path_of(form, "Certificate"),
        key: path_of(form, "Key"),
        chain: optional_path(form, "Chain"),
        key_password: (!password.is_empty()).then(|| password.as_bytes().to_vec()),
        replace: false,
    };
    let outcome = ops::import::import(env, &spec)?;
    let i = &outcome.value;
    let mut text = format!(
        "imported {} as the CA {:?}",
        i.ca.certificate.subject, i.ca.name
    );
    if !i.chain_imported.is_empty() {
        text.push_str(&format!(
            " (and its chain: {})",
            i.chain_imported.join(", ")
        ));
    }
    Ok(Outcome::with_warnings(text, outcome.warnings))
}

/// `tlsctl cert p12` from the form; the password goes to the operation
/// and nowhere else.
fn p12_from(form: &Form, env: &Env) -> Result<Outcome<String>> {
    let spec = P12Spec {
        cert: path_of(form, "Certificate"),
        key: path_of(form, "Key"),
        chain: None,
        out: path_of(form, "Output"),
        password: form.value("Password").to_owned(),
        protection: if form.value("Protection") == "legacy" {
            Protection::Legacy
        } else {
            Protection::Modern
        },
        alias: non_empty(form.value("Alias")),
        replace: false,
    };
    let outcome = ops::p12::write(env, &spec)?;
    let r = &outcome.value;
    let text = format!(
        "wrote {} (PKCS#12, {}, alias {:?}, 0600), pin {}",
        r.file,
        counted(r.certificates.len(), "certificate"),
        r.alias,
        r.pin_sha256
    );
    Ok(Outcome::with_warnings(text, outcome.warnings))
}
