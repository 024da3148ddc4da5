//! `tlsctl ca create | list | show | export`: CAs in the store. A root and
//! an active and a standby intermediate under it are three `ca create`s.

use std::io::Write;

use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand};
use serde::Serialize;
use time::OffsetDateTime;

use super::shared::{self, KeyTypeArg, parse_time};
use super::{Ctx, Status, output};
use crate::pki::issue::{self, BACKDATE, CaRequest, KeyType, Window};
use crate::pki::render::{self, Tone};
use crate::pki::{CertInfo, Validity, bundle, reader};
use crate::store::{CaMeta, Overwrite, Store, StoredCa};

#[derive(Debug, Subcommand)]
pub enum CaCommand {
    /// Create a root CA, or an intermediate under --parent
    Create(CaCreateArgs),
    /// List the store's CAs: roots with their intermediates as a tree
    List,
    /// Show one CA
    Show(CaShowArgs),
    /// Print a CA certificate (never its key)
    Export(CaExportArgs),
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
    }
}

/// A CA as the reports show it.
#[derive(Debug, Clone, Serialize)]
pub struct CaEntry {
    pub name: String,
    /// `root` or `intermediate`.
    pub role: &'static str,
    pub parent: Option<String>,
    pub key_type: String,
    pub cert_path: String,
    /// The certificate is not valid yet: a staged standby.
    pub staged: bool,
    pub certificate: CertInfo,
}

impl CaEntry {
    pub fn new(ca: &StoredCa, now: OffsetDateTime) -> Result<CaEntry> {
        let info = shared::ca_info(ca, now)?;
        Ok(CaEntry {
            name: ca.name.clone(),
            role: if ca.meta.parent.is_some() {
                "intermediate"
            } else {
                "root"
            },
            parent: ca.meta.parent.clone(),
            key_type: ca.meta.key_type.clone(),
            cert_path: ca.cert_path().display().to_string(),
            staged: info.validity == Validity::NotYetValid,
            certificate: info,
        })
    }
}

/// What `ca create` did.
#[derive(Debug, Serialize)]
struct CreateReport {
    created: CaEntry,
    key_path: String,
    replaced: bool,
}

/// Creates a CA in the store; also used by `cert issue` for the default CA.
pub fn create_ca(
    store: &Store,
    args: &CaCreateArgs,
    now: OffsetDateTime,
) -> Result<(StoredCa, bool)> {
    crate::store::layout::check_name(&args.name)?;
    let overwrite = if args.force {
        Overwrite::Allow
    } else {
        Overwrite::Never
    };
    let existed = store.ca_exists(&args.name);
    if existed && !args.force {
        bail!(
            "a CA named {:?} already exists in {}; pass --force to replace it",
            args.name,
            store.root.display()
        );
    }
    let parent = match &args.parent {
        Some(p) if *p == args.name => bail!("a CA cannot be its own parent"),
        Some(p) => Some(shared::signer(store, p, now)?),
        None => None,
    };
    let default_days = if parent.is_some() { 1825 } else { 3650 };
    let start = args.not_before.unwrap_or(now - BACKDATE);
    let window = Window::days_from(start, args.days.unwrap_or(default_days))?;
    let key_type: KeyType = args.key_type.into();
    let key = key_type.generate()?;
    let req = CaRequest {
        common_name: args.cn.clone().unwrap_or_else(|| args.name.clone()),
        organization: Some(args.org.clone().unwrap_or_else(|| "tlsctl".to_owned())),
        window,
        path_len: match (&parent, args.path_len) {
            (_, Some(n)) => Some(n),
            (Some(_), None) => Some(0),
            (None, None) => None,
        },
        parent: parent.as_ref().map(|(_, s)| s),
    };
    let der = issue::issue_ca(&req, &key, now).with_context(|| match &args.parent {
        Some(p) => format!("creating {:?} under {p:?}", args.name),
        None => format!("creating {:?}", args.name),
    })?;
    let info = CertInfo::parse(&der, now)?;
    let meta = CaMeta {
        name: args.name.clone(),
        parent: args.parent.clone(),
        key_type: key_type.name().to_owned(),
        created: now,
    };
    let cert_pem = bundle::render_entry(&info, &der);
    let key_pem = key.serialize_pem();
    store.write_ca(&meta, cert_pem.as_bytes(), key_pem.as_bytes(), overwrite)?;
    Ok((store.load_ca(&args.name)?, existed))
}

fn run_ca_create(args: &CaCreateArgs, ctx: &Ctx, out: &mut dyn Write) -> Result<Status> {
    let store = shared::store(ctx)?;
    let _lock = store.lock()?;
    let (ca, replaced) = create_ca(&store, args, ctx.now)?;
    let entry = CaEntry::new(&ca, ctx.now)?;
    if replaced {
        let children = store.children_of(&ca.name)?;
        if !children.is_empty() {
            ctx.warn(format!(
                "{} was replaced; its intermediates ({}) were signed by the old key \
                 and no longer chain to it: recreate them with --force",
                ca.name,
                children.join(", ")
            ));
        }
    }
    if ctx.json {
        return output::json(
            out,
            &CreateReport {
                key_path: ca.key_path().display().to_string(),
                created: entry,
                replaced,
            },
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

/// The store's CAs in tree order: each root, then its descendants.
pub fn tree_order(entries: Vec<CaEntry>) -> Vec<(usize, CaEntry)> {
    fn visit(
        name: Option<&str>,
        depth: usize,
        pool: &mut Vec<CaEntry>,
        out: &mut Vec<(usize, CaEntry)>,
    ) {
        let (mine, rest): (Vec<CaEntry>, Vec<CaEntry>) =
            pool.drain(..).partition(|e| e.parent.as_deref() == name);
        *pool = rest;
        for entry in mine {
            let child_name = entry.name.clone();
            out.push((depth, entry));
            visit(Some(&child_name), depth + 1, pool, out);
        }
    }
    let mut pool = entries;
    let mut out = Vec::new();
    visit(None, 0, &mut pool, &mut out);
    // Orphans (a parent missing from the store) at the top level.
    out.extend(pool.into_iter().map(|e| (0, e)));
    out
}

fn run_ca_list(ctx: &Ctx, out: &mut dyn Write) -> Result<Status> {
    let store = shared::store(ctx)?;
    let entries = store
        .list_cas()?
        .iter()
        .map(|ca| CaEntry::new(ca, ctx.now))
        .collect::<Result<Vec<_>>>()?;
    let tree = tree_order(entries);
    if ctx.json {
        output::json(
            out,
            &ListReport {
                store: store.root.display().to_string(),
                cas: tree.into_iter().map(|(_, e)| e).collect(),
            },
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
    let store = shared::store(ctx)?;
    let ca = store.load_ca(&args.name)?;
    let entry = CaEntry::new(&ca, ctx.now)?;
    let children = store.children_of(&ca.name)?;
    if ctx.json {
        output::json(
            out,
            &ShowReport {
                ca: entry,
                key_path: ca.key_path().display().to_string(),
                children,
            },
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
    let store = shared::store(ctx)?;
    let chain = if args.chain {
        shared::ca_chain(&store, &args.name)?
    } else {
        vec![store.load_ca(&args.name)?]
    };
    let entries = chain
        .iter()
        .map(|ca| Ok((shared::ca_info(ca, ctx.now)?, ca.cert.to_vec())))
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
        output::json(out, &serde_json::json!({ "certificates": exported }))?;
    } else {
        out.write_all(bundle::render(&entries).as_bytes())?;
    }
    Ok(Status::Success)
}
