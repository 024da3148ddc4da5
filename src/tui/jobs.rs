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
use crate::pki::san;
use crate::store::{self, MODE_PUBLIC, Overwrite, bundle_file};

/// Starts `effect` on its own thread.
pub fn spawn(effect: Effect, ctx: Ctx, events: Sender<Event>) {
    std::thread::spawn(move || {
        let result = run(effect, &ctx);
        let _ = events.send(Event::Job(result));
    });
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
        Effect::WritePins { path, text } => done(
            store::write_atomic(&path, text.as_bytes(), MODE_PUBLIC, Overwrite::Allow)
                .map(|()| format!("wrote the pinned_certs block to {}", path.display())),
            Reload::Nothing,
        ),
    }
}

fn add(bundle_path: &Path, inputs: &[PathBuf], ctx: &Ctx) -> Result<String> {
    let incoming = inputs
        .iter()
        .map(|p| crate::cli::bundle::parse_input(p, ctx.now))
        .collect::<Result<Vec<_>>>()?;
    let added = bundle_file::add(bundle_path, incoming, false, ctx.now, false)?;
    Ok(format!(
        "added {} (skipped {} duplicates); {} now holds {}",
        added.plan.added.len(),
        added.plan.duplicates.len(),
        bundle_path.display(),
        added.total()
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
