//! `tlsctl ca create | list | show | export | import | install | uninstall`:
//! CAs in the store, and a root in the machine's trust stores. A root and
//! an active and a standby intermediate under it are three `ca create`s.

use std::io::Write;

use anyhow::Result;
use clap::{Args, Subcommand};
use serde::Serialize;
use time::OffsetDateTime;

use super::lazy::Lazy;
use super::shared::{KeyTypeArg, parse_time};
use super::{Ctx, Status, output};
use crate::ops::{self, ca::CaEntry, ca::CaSpec, ca::Created};
use crate::pki::render::{self, Tone};
use crate::pki::{CertInfo, Validity, bundle, reader};

#[derive(Debug, Subcommand)]
pub enum CaCommand {
    /// Create a root CA, or an intermediate under --parent
    Create(Lazy<CaCreateArgs>),
    /// List the store's CAs: roots with their intermediates as a tree
    List,
    /// Show one CA
    Show(Lazy<CaShowArgs>),
    /// Print a CA certificate (never its key)
    Export(Lazy<CaExportArgs>),
    /// Bring an existing CA (an openssl-made root, an intermediate) and its key into the store
    Import(Lazy<CaImportArgs>),
    /// Trust a root CA on this machine (system store, NSS: Firefox, Chrome), as mkcert -install
    Install(Lazy<CaTrustArgs>),
    /// Remove a root CA that `ca install` put in this machine's trust stores
    Uninstall(Lazy<CaTrustArgs>),
}

#[derive(Debug, Args)]
pub struct CaTrustArgs {
    /// The root CA's store name
    pub name: String,
    /// Print what would change and the commands; change nothing
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Args)]
pub struct CaImportArgs {
    /// Store name for the CA (letters, digits, '.', '_', '-')
    pub name: String,
    /// The CA certificate (certificates after it are its chain)
    #[arg(long, value_name = "FILE")]
    pub cert: std::path::PathBuf,
    /// Its private key (PKCS#8, PKCS#1 or SEC1; an encrypted PKCS#8 key asks for its password)
    #[arg(long, value_name = "FILE")]
    pub key: std::path::PathBuf,
    /// The certificates above it (intermediates, the root), when its issuer is not in the store
    #[arg(long, value_name = "FILE")]
    pub chain: Option<std::path::PathBuf>,
    /// Read the encrypted key's password from this file (its first line)
    #[arg(long, value_name = "FILE")]
    pub key_password_file: Option<std::path::PathBuf>,
    /// Replace an existing CA of that name
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct CaCreateArgs {
    /// Store name of the new CA (letters, digits, '.', '_', '-')
    pub name: String,
    /// Make an intermediate signed by this store CA
    #[arg(long, value_name = "CA")]
    pub parent: Option<String>,
    /// Common name [default: NAME]
    #[arg(long)]
    pub cn: Option<String>,
    /// Organisation [default: tlsctl]
    #[arg(long)]
    pub org: Option<String>,
    /// Key type
    #[arg(long, value_enum, default_value_t = KeyTypeArg::EcdsaP256)]
    pub key_type: KeyTypeArg,
    /// Validity in days [default: 3650 for a root, 1825 for an intermediate]
    #[arg(long)]
    pub days: Option<i64>,
    /// Path length constraint [default: none for a root, 0 for an intermediate]
    #[arg(long)]
    pub path_len: Option<u8>,
    /// Start of validity (2026-12-01 or RFC 3339); in the future, it stages a standby CA
    #[arg(long, value_parser = parse_time, value_name = "TIME")]
    pub not_before: Option<OffsetDateTime>,
    /// Replace an existing CA of that name
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct CaShowArgs {
    pub name: String,
}

#[derive(Debug, Args)]
pub struct CaExportArgs {
    pub name: String,
    /// Also print the CA's issuers, up to the root
    #[arg(long)]
    pub chain: bool,
}

pub fn run_ca(cmd: &CaCommand, ctx: &Ctx, out: &mut dyn Write) -> Result<Status> {
    match cmd {
        CaCommand::Create(args) => run_ca_create(args, ctx, out),
        CaCommand::List => run_ca_list(ctx, out),
        CaCommand::Show(args) => run_ca_show(args, ctx, out),
        CaCommand::Export(args) => run_ca_export(args, ctx, out),
        CaCommand::Import(args) => run_ca_import(args, ctx, out),
        CaCommand::Install(args) => run_ca_trust(args, false, ctx, out),
        CaCommand::Uninstall(args) => run_ca_trust(args, true, ctx, out),
    }
}

/// `ca install` / `ca uninstall`. `TLSCTL_TRUST_ROOT` (for tests) puts the
/// system store under a scratch directory; NSS databases are under `HOME`.
fn run_ca_trust(
    args: &CaTrustArgs,
    uninstall: bool,
    ctx: &Ctx,
    out: &mut dyn Write,
) -> Result<Status> {
    use crate::ops::trust::{self, StepStatus, TrustSpec};
    let spec = TrustSpec {
        name: args.name.clone(),
        uninstall,
        dry_run: args.dry_run,
        root: std::env::var_os("TLSCTL_TRUST_ROOT")
            .filter(|v| !v.is_empty())
            .map(std::path::PathBuf::from),
        home: std::env::var_os("HOME")
            .filter(|v| !v.is_empty())
            .map(std::path::PathBuf::from),
    };
    let outcome = trust::apply(&ctx.env, &spec)?;
    ctx.warnings(&outcome.warnings);
    let report = outcome.value;
    let status = if report.needs_root().is_empty() {
        Status::Success
    } else {
        Status::Problem
    };
    if ctx.json {
        output::json_with(out, &report, &outcome.warnings)?;
        return Ok(status);
    }
    let verb = |s: StepStatus| match (s, uninstall) {
        (StepStatus::Done, false) => "installed in",
        (StepStatus::Done, true) => "removed from",
        (StepStatus::WouldDo, false) => "would install in",
        (StepStatus::WouldDo, true) => "would remove from",
        (StepStatus::Unchanged, false) => "already in",
        (StepStatus::Unchanged, true) => "not in",
        (StepStatus::NeedsRoot, _) => "needs root for",
    };
    for step in &report.steps {
        let store = if step.store == "system" {
            "the system store"
        } else {
            "NSS database"
        };
        writeln!(
            out,
            "{} ({}): {} {store} {}",
            report.ca,
            report.subject,
            verb(step.status),
            crate::pki::text::escape_controls(&step.target)
        )?;
        if step.status == StepStatus::WouldDo {
            for c in &step.commands {
                writeln!(out, "  {c}")?;
            }
        }
    }
    let root = report.needs_root();
    if !root.is_empty() {
        writeln!(out, "Run as root (or with sudo) to finish:")?;
        for c in root {
            writeln!(out, "  {c}")?;
        }
    }
    Ok(status)
}

fn run_ca_import(args: &CaImportArgs, ctx: &Ctx, out: &mut dyn Write) -> Result<Status> {
    use crate::ops::import::{self, ImportSpec};
    let key_password = match &args.key_password_file {
        Some(f) => Some(super::shared::password_from_file(f)?),
        None if import::key_is_encrypted(&args.key)? => {
            if !ctx.interactive {
                anyhow::bail!(
                    "{}: the key is encrypted; pass --key-password-file FILE (stdin is not a \
                     terminal, so tlsctl cannot ask)",
                    args.key.display()
                );
            }
            let text = dialoguer::Password::new()
                .with_prompt(format!("Password for {}", args.key.display()))
                .interact()
                .map_err(|e| anyhow::anyhow!("reading the password from the terminal: {e}"))?;
            Some(text.into_bytes())
        }
        None => None,
    };
    let outcome = import::import(
        &ctx.env,
        &ImportSpec {
            name: args.name.clone(),
            cert: args.cert.clone(),
            key: args.key.clone(),
            chain: args.chain.clone(),
            key_password,
            replace: args.force,
        },
    )?;
    ctx.warnings(&outcome.warnings);
    let imported = &outcome.value;
    if ctx.json {
        output::json_with(out, imported, &outcome.warnings)?;
        return Ok(Status::Success);
    }
    let e = &imported.ca;
    writeln!(
        out,
        "Imported {} CA {:?}: {} ({}), valid until {}",
        e.role,
        e.name,
        e.certificate.subject,
        e.certificate.key.describe(),
        render::format_time(e.certificate.not_after)
    )?;
    if let Some(parent) = &e.parent {
        writeln!(out, "  parent: {parent}")?;
    }
    for c in &imported.chain_imported {
        writeln!(out, "  chain:  {c} (certificate only, no key)")?;
    }
    writeln!(out, "  cert: {}", e.cert_path)?;
    writeln!(
        out,
        "  pin:  {}",
        output::paint(&e.certificate.pin_sha256, Tone::Key, ctx.color)
    )?;
    if !ctx.quiet {
        writeln!(out, "Next: tlsctl cert issue HOST --ca {}", e.name)?;
    }
    Ok(Status::Success)
}

/// What `ca create` reports.
#[derive(Debug, Serialize)]
struct CreateReport {
    created: CaEntry,
    key_path: String,
    replaced: bool,
}

impl CaCreateArgs {
    /// The spec of what to create.
    pub fn spec(&self) -> CaSpec {
        CaSpec {
            name: self.name.clone(),
            parent: self.parent.clone(),
            cn: self.cn.clone(),
            org: self.org.clone(),
            key_type: self.key_type.into(),
            days: self.days,
            path_len: self.path_len,
            not_before: self.not_before,
            replace: self.force,
        }
    }
}

fn run_ca_create(args: &CaCreateArgs, ctx: &Ctx, out: &mut dyn Write) -> Result<Status> {
    let outcome = ops::ca::create(&ctx.env, &args.spec())?;
    ctx.warnings(&outcome.warnings);
    let Created {
        ca,
        entry,
        replaced,
    } = outcome.value;
    if ctx.json {
        return output::json_with(
            out,
            &CreateReport {
                key_path: ca.key_path().display().to_string(),
                created: entry,
                replaced,
            },
            &outcome.warnings,
        )
        .map(|()| Status::Success);
    }
    let info = &entry.certificate;
    let role = match &entry.parent {
        Some(p) => format!("intermediate CA {:?} under {p:?}", entry.name),
        None => format!("root CA {:?}", entry.name),
    };
    writeln!(
        out,
        "Created {role}: {} ({}), valid until {}",
        info.subject,
        info.key.describe(),
        render::format_time(info.not_after)
    )?;
    if entry.staged {
        writeln!(
            out,
            "  {}",
            output::paint(
                &format!(
                    "staged: not valid until {} (a standby; bundles may carry it now)",
                    render::format_time(info.not_before)
                ),
                Tone::Warn,
                ctx.color
            )
        )?;
    }
    writeln!(out, "  cert: {}", entry.cert_path)?;
    writeln!(out, "  key:  {} (0600)", ca.key_path().display())?;
    writeln!(
        out,
        "  pin:  {}",
        output::paint(&info.pin_sha256, Tone::Key, ctx.color)
    )?;
    if !ctx.quiet {
        match &entry.parent {
            None => writeln!(
                out,
                "Next: tlsctl ca create NAME --parent {} (an intermediate), or \
                 tlsctl cert issue HOST... --ca {}",
                entry.name, entry.name
            )?,
            Some(_) => writeln!(out, "Next: tlsctl cert issue HOST... --ca {}", entry.name)?,
        }
    }
    Ok(Status::Success)
}

#[derive(Debug, Serialize)]
struct ListReport {
    store: String,
    cas: Vec<CaEntry>,
}

fn run_ca_list(ctx: &Ctx, out: &mut dyn Write) -> Result<Status> {
    let store = ctx.env.store()?;
    let tree = ops::ca::list(&store, ctx.now())?;
    if ctx.json {
        output::json_with(
            out,
            &ListReport {
                store: store.root.display().to_string(),
                cas: tree.into_iter().map(|(_, e)| e).collect(),
            },
            &[],
        )?;
        return Ok(Status::Success);
    }
    writeln!(
        out,
        "{}",
        output::bold(&format!("Store: {}", store.root.display()), ctx.color)
    )?;
    if tree.is_empty() {
        writeln!(
            out,
            "(no CAs yet: `tlsctl ca create NAME` makes a root; \
             `tlsctl cert issue localhost` makes the default CA and a leaf)"
        )?;
        return Ok(Status::Success);
    }
    let names: Vec<String> = tree
        .iter()
        .enumerate()
        .map(|(i, (depth, e))| {
            if *depth == 0 {
                return e.name.clone();
            }
            let last_sibling = !tree
                .iter()
                .skip(i + 1)
                .take_while(|(d, _)| *d >= *depth)
                .any(|(d, _)| d == depth);
            let branch = if last_sibling { "└─ " } else { "├─ " };
            format!("{}{branch}{}", "   ".repeat(depth - 1), e.name)
        })
        .collect();
    let width = names
        .iter()
        .map(|n| n.chars().count())
        .max()
        .unwrap_or(4)
        .max(4);
    let expiries: Vec<String> = tree
        .iter()
        .map(|(_, e)| {
            let info = &e.certificate;
            match info.validity {
                Validity::NotYetValid => format!(
                    "{} (staged: from {})",
                    info.not_after.date(),
                    info.not_before.date()
                ),
                Validity::Expired => format!("{} (expired)", info.not_after.date()),
                Validity::Valid => format!("{} ({} days)", info.not_after.date(), info.days_left),
            }
        })
        .collect();
    let ewidth = expiries.iter().map(String::len).max().unwrap_or(7).max(7);
    writeln!(
        out,
        "{:<width$}  {:<12}  {:<12}  {:<ewidth$}  PIN",
        "NAME", "ROLE", "KEY", "EXPIRES"
    )?;
    for ((name, (_, e)), expiry) in names.iter().zip(&tree).zip(&expiries) {
        let info = &e.certificate;
        let pad = width - name.chars().count();
        writeln!(
            out,
            "{name}{}  {:<12}  {:<12}  {}  {}…",
            " ".repeat(pad),
            e.role,
            info.key.describe(),
            output::paint(
                &format!("{expiry:<ewidth$}"),
                render::expiry_tone(info.validity, info.days_left),
                ctx.color
            ),
            info.pin_sha256.get(..16).unwrap_or_default(),
        )?;
    }
    Ok(Status::Success)
}

#[derive(Debug, Serialize)]
struct ShowReport {
    ca: CaEntry,
    key_path: String,
    children: Vec<String>,
}

fn run_ca_show(args: &CaShowArgs, ctx: &Ctx, out: &mut dyn Write) -> Result<Status> {
    let store = ctx.env.store()?;
    let ca = store.load_ca(&args.name)?;
    let entry = CaEntry::new(&ca, ctx.now())?;
    let children = store.children_of(&ca.name)?;
    if ctx.json {
        output::json_with(
            out,
            &ShowReport {
                ca: entry,
                key_path: ca.key_path().display().to_string(),
                children,
            },
            &[],
        )?;
        return Ok(Status::Success);
    }
    let role = match &entry.parent {
        Some(p) => format!("intermediate CA under {p:?}"),
        None => "root CA".to_owned(),
    };
    writeln!(
        out,
        "{}: {role}",
        output::bold(&format!("CA {:?}", entry.name), ctx.color)
    )?;
    writeln!(out, "  Certificate:        {}", entry.cert_path)?;
    writeln!(
        out,
        "  Private key:        {} (never printed)",
        ca.key_path().display()
    )?;
    if !children.is_empty() {
        writeln!(out, "  Intermediates:      {}", children.join(", "))?;
    }
    output::detail_lines(
        out,
        &render::cert_details(&entry.certificate),
        "  ",
        ctx.color,
    )?;
    Ok(Status::Success)
}

fn run_ca_export(args: &CaExportArgs, ctx: &Ctx, out: &mut dyn Write) -> Result<Status> {
    let store = ctx.env.store()?;
    let now = ctx.now();
    let chain = if args.chain {
        ops::ca::chain(&store, &args.name)?
    } else {
        vec![store.load_ca(&args.name)?]
    };
    let entries = chain
        .iter()
        .map(|ca| Ok((ops::ca::ca_info(ca, now)?, ca.cert.to_vec())))
        .collect::<Result<Vec<_>>>()?;
    if ctx.json {
        #[derive(Serialize)]
        struct Exported {
            name: String,
            certificate: CertInfo,
            pem: String,
        }
        let exported: Vec<Exported> = chain
            .iter()
            .zip(&entries)
            .map(|(ca, (info, der))| Exported {
                name: ca.name.clone(),
                certificate: info.clone(),
                pem: reader::encode_pem("CERTIFICATE", der),
            })
            .collect();
        output::json_with(out, &serde_json::json!({ "certificates": exported }), &[])?;
    } else {
        out.write_all(bundle::render(&entries).as_bytes())?;
    }
    Ok(Status::Success)
}
