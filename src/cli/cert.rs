//! `tlsctl cert issue | renew`: leaves from a store CA, written so that a
//! reloading server never sees a mismatched pair.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow, bail};
use clap::{Args, Subcommand, ValueEnum};
use serde::Serialize;
use time::OffsetDateTime;

use super::ca::{CaCreateArgs, create_ca};
use super::shared::{self, KeyTypeArg, absolute};
use super::{Ctx, Status, output};
use crate::pki::issue::{self, BACKDATE, KeyType, LeafKey, LeafRequest, Signer, Usage, Window};
use crate::pki::render::{self, Tone};
use crate::pki::san::{self, SanSpec};
use crate::pki::{CertInfo, SanKind, bundle, key};
use crate::store::{
    self, IssuedRecord, Layout, MODE_PRIVATE, MODE_PUBLIC, Overwrite, Store, StoredCa,
    VersionedFile,
};

/// The CA `cert issue` uses (and creates) when no `--ca` is given.
pub const DEFAULT_CA: &str = "default";

#[derive(Debug, Subcommand)]
pub enum CertCommand {
    /// Issue a leaf certificate (dual-use by default: serverAuth + clientAuth)
    Issue(CertIssueArgs),
    /// Renew a leaf: same subject, SANs and usage, new serial and validity
    Renew(CertRenewArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum UsageArg {
    /// serverAuth + clientAuth (NATS routes need both)
    Dual,
    /// serverAuth only
    Server,
    /// clientAuth only
    Client,
}

impl From<UsageArg> for Usage {
    fn from(u: UsageArg) -> Usage {
        match u {
            UsageArg::Dual => Usage::Dual,
            UsageArg::Server => Usage::Server,
            UsageArg::Client => Usage::Client,
        }
    }
}

#[derive(Debug, Args)]
pub struct CertIssueArgs {
    /// Names: DNS names (*.example.com), IP addresses, emails (a@b), URIs (x://y)
    #[arg(value_name = "SAN")]
    pub sans: Vec<String>,
    /// Store CA to sign with [default: "default", created on first use]
    #[arg(long, value_name = "NAME")]
    pub ca: Option<String>,
    /// Name for the store record and default directory [default: the first SAN]
    #[arg(long)]
    pub name: Option<String>,
    /// Common name [default: the first SAN]
    #[arg(long)]
    pub cn: Option<String>,
    /// Extended key usage
    #[arg(long, value_enum, default_value_t = UsageArg::Dual)]
    pub usage: UsageArg,
    /// Key type
    #[arg(long, value_enum, default_value_t = KeyTypeArg::EcdsaP256, conflicts_with = "reuse_key")]
    pub key_type: KeyTypeArg,
    /// Validity in days (capped at the CA's expiry)
    #[arg(long, default_value_t = 365)]
    pub days: i64,
    /// Write DIR/cert.pem, key.pem and ca.pem (versioned: renewals switch them at once)
    #[arg(long, value_name = "DIR", conflicts_with_all = ["cert_out", "key_out"])]
    pub out: Option<PathBuf>,
    /// Write the certificate to this file
    #[arg(long, value_name = "FILE")]
    pub cert_out: Option<PathBuf>,
    /// Write the private key to this file (0600)
    #[arg(long, value_name = "FILE", requires = "cert_out")]
    pub key_out: Option<PathBuf>,
    /// Put the CA's intermediates after the leaf in the certificate file
    #[arg(long)]
    pub chain: bool,
    /// Issue for this existing private key (the pin stays the same)
    #[arg(long, value_name = "KEY")]
    pub reuse_key: Option<PathBuf>,
    /// Replace existing files
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct CertRenewArgs {
    /// The certificate to renew (a file tlsctl or another tool issued)
    #[arg(value_name = "CERT")]
    pub cert: PathBuf,
    /// Store CA to sign with [default: the one that issued CERT]
    #[arg(long, value_name = "NAME")]
    pub ca: Option<String>,
    /// With --rekey: where the new key goes [default: the key tlsctl recorded for CERT]
    #[arg(long, value_name = "KEY", requires = "rekey")]
    pub key: Option<PathBuf>,
    /// Generate a new key (this changes the pin); without it the key and pin stay
    #[arg(long)]
    pub rekey: bool,
    /// Validity in days [default: the current certificate's]
    #[arg(long)]
    pub days: Option<i64>,
    /// Renew even from a CA that is not valid yet (the renewed certificate will not verify until it is)
    #[arg(long)]
    pub force: bool,
}

pub fn run_cert(cmd: &CertCommand, ctx: &Ctx, out: &mut dyn Write) -> Result<Status> {
    match cmd {
        CertCommand::Issue(args) => run_cert_issue(args, ctx, out),
        CertCommand::Renew(args) => run_cert_renew(args, ctx, out),
    }
}

/// Where an issued leaf goes.
#[derive(Debug, Clone)]
enum Destination {
    Versioned(PathBuf),
    Files { cert: PathBuf, key: Option<PathBuf> },
}

/// What `cert issue` and `cert renew` report.
#[derive(Debug, Serialize)]
pub struct IssueReport {
    pub name: String,
    pub ca: String,
    pub cert_path: String,
    pub key_path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ca_path: Option<String>,
    pub layout: Layout,
    pub created_default_ca: bool,
    pub capped_at_ca_expiry: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub previous_pin_sha256: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pin_kept: Option<bool>,
    pub certificate: CertInfo,
}

fn parse_sans(texts: &[String]) -> Result<Vec<SanSpec>> {
    let mut sans: Vec<SanSpec> = Vec::new();
    for arg in texts {
        for text in arg.split([',', ' ']).filter(|t| !t.is_empty()) {
            let san = san::parse_san(text).map_err(|e| {
                if text == arg {
                    anyhow!("{e}")
                } else {
                    anyhow!("{e} (in {arg:?}: spaces and commas separate names)")
                }
            })?;
            if !sans.contains(&san) {
                sans.push(san);
            }
        }
    }
    Ok(sans)
}

fn ask_for_sans(ctx: &Ctx) -> Result<Vec<SanSpec>> {
    if !ctx.interactive {
        bail!(
            "no SANs given: name the hosts, e.g. `tlsctl cert issue localhost 127.0.0.1 ::1` \
             (stdin is not a terminal, so tlsctl cannot ask)"
        );
    }
    let text: String = dialoguer::Input::new()
        .with_prompt("Names for the certificate (DNS names, IPs; space-separated)")
        .validate_with(|input: &String| -> Result<(), String> {
            match parse_sans(std::slice::from_ref(input)) {
                Ok(s) if s.is_empty() => Err("give at least one name".to_owned()),
                Ok(_) => Ok(()),
                Err(e) => Err(e.to_string()),
            }
        })
        .interact_text()
        .context("reading the names from the terminal")?;
    parse_sans(&[text])
}

/// The CA to sign with: `--ca`, or the default CA, created on first use.
fn resolve_ca(store: &Store, ca: Option<&str>, ctx: &Ctx) -> Result<(StoredCa, Signer, bool)> {
    let name = ca.unwrap_or(DEFAULT_CA);
    let mut created = false;
    if ca.is_none() && !store.ca_exists(DEFAULT_CA) {
        let args = CaCreateArgs {
            name: DEFAULT_CA.to_owned(),
            parent: None,
            cn: Some("tlsctl default CA".to_owned()),
            org: Some("tlsctl".to_owned()),
            key_type: KeyTypeArg::EcdsaP256,
            days: None,
            path_len: None,
            not_before: None,
            force: false,
        };
        create_ca(store, &args, ctx.now)?;
        created = true;
    }
    let (stored, signer) = shared::signer(store, name, ctx.now)?;
    warn_if_staged(&signer, ctx);
    Ok((stored, signer, created))
}

fn warn_if_staged(signer: &Signer, ctx: &Ctx) {
    if signer.info.validity == crate::pki::Validity::NotYetValid {
        ctx.warn(format!(
            "CA {:?} is not valid until {}: what it signs verifies only from then",
            signer.name,
            render::format_time(signer.info.not_before)
        ));
    }
}

/// The certificate file's text: the leaf, then (with `chain`) the CA's
/// intermediates, each in canonical form.
fn cert_file_text(
    leaf: &[u8],
    chain: &[StoredCa],
    with_intermediates: bool,
    now: OffsetDateTime,
) -> Result<String> {
    let mut entries = vec![(CertInfo::parse(leaf, now)?, leaf.to_vec())];
    if with_intermediates {
        for ca in chain.iter().filter(|c| c.meta.parent.is_some()) {
            entries.push((shared::ca_info(ca, now)?, ca.cert.to_vec()));
        }
    }
    Ok(bundle::render(&entries))
}

/// The trust bundle for peers: the root of the chain.
fn root_bundle_text(chain: &[StoredCa], now: OffsetDateTime) -> Result<String> {
    let root = chain.last().context("the CA chain is empty")?;
    Ok(bundle::render_entry(
        &shared::ca_info(root, now)?,
        &root.cert,
    ))
}

/// Refuses to replace existing files without `--force`. `own_links` is true
/// for the store's versioned layout, whose `cert.pem` links are tlsctl's own;
/// anywhere else a link is named as a link.
fn refuse_existing(paths: &[&Path], force: bool, own_links: bool) -> Result<()> {
    if force {
        return Ok(());
    }
    for path in paths {
        if let Ok(meta) = fs::symlink_metadata(path) {
            if meta.file_type().is_symlink() && !own_links {
                bail!(
                    "{}: is a symbolic link; tlsctl does not write keys or certificates through \
                     links (pass --force to replace the link itself with a file)",
                    path.display()
                );
            }
            bail!(
                "{}: already exists; pass --force to replace it",
                path.display()
            );
        }
    }
    Ok(())
}

fn run_cert_issue(args: &CertIssueArgs, ctx: &Ctx, out: &mut dyn Write) -> Result<Status> {
    let mut sans = parse_sans(&args.sans)?;
    if sans.is_empty() {
        sans = ask_for_sans(ctx)?;
    }
    let issued = issue(args, sans, ctx)?;
    let report = &issued.report;
    if report.created_default_ca && !ctx.quiet {
        let _ = writeln!(
            std::io::stderr(),
            "tlsctl: created the CA {DEFAULT_CA:?} in {} (first use); peers must trust its ca.pem",
            issued.store_ca_dir.display()
        );
    }
    if ctx.json {
        output::json(out, report)?;
        return Ok(Status::Success);
    }
    print_issued(out, report, &issued.chain, args.chain, ctx)?;
    Ok(Status::Success)
}

/// What `issue` did.
pub struct Issued {
    pub report: IssueReport,
    /// The issuing CA and its ancestors, the CA first.
    pub chain: Vec<StoredCa>,
    store_ca_dir: PathBuf,
}

/// Issues a leaf for validated SANs, as `cert issue` does: every check
/// before any key is generated or file written; the default CA created on
/// first use; files written atomically; the store record updated. Shared by
/// the CLI and the TUI's form.
pub fn issue(args: &CertIssueArgs, sans: Vec<SanSpec>, ctx: &Ctx) -> Result<Issued> {
    let first = sans.first().context("no SANs")?.clone();
    let name = match &args.name {
        Some(n) => {
            crate::store::layout::check_name(n)?;
            n.clone()
        }
        None => san::file_name_for(&first),
    };
    if args.cert_out.is_some() && args.key_out.is_none() && args.reuse_key.is_none() {
        bail!("--cert-out needs --key-out (where the new private key goes), or --reuse-key");
    }
    let store = shared::store(ctx)?;
    let destination = match (&args.out, &args.cert_out) {
        (Some(dir), _) => Destination::Versioned(absolute(dir)),
        (None, Some(cert)) => Destination::Files {
            cert: absolute(cert),
            key: args.key_out.as_deref().map(absolute),
        },
        (None, None) => Destination::Versioned(store.certs_dir().join(&name)),
    };
    match &destination {
        Destination::Versioned(dir) => refuse_existing(
            &[
                &dir.join("cert.pem"),
                &dir.join("key.pem"),
                &dir.join("ca.pem"),
            ],
            args.force,
            true,
        )?,
        Destination::Files { cert, key } => {
            refuse_existing(&[cert.as_path()], args.force, false)?;
            if let Some(key) = key {
                refuse_existing(&[key.as_path()], args.force, false)?;
            }
        }
    }
    let reused = args
        .reuse_key
        .as_deref()
        .map(store::read_private_key)
        .transpose()?
        .map(|(input, key)| (key, input.bytes));
    let common_name = args.cn.clone().unwrap_or_else(|| first.value());
    let subject = issue::name(&common_name, None)?;
    let window = Window::days_from(ctx.now - BACKDATE, args.days)?;

    let _lock = store.lock()?;
    let (stored_ca, signer, created_default) = resolve_ca(&store, args.ca.as_deref(), ctx)?;
    let chain = shared::ca_chain(&store, &stored_ca.name)?;

    let (key_pair, key_pem) = match &reused {
        Some((der, bytes)) => (
            key::key_pair(der).with_context(|| {
                format!(
                    "{}",
                    args.reuse_key.as_deref().unwrap_or(Path::new("")).display()
                )
            })?,
            bytes.clone(),
        ),
        None => {
            let kt: KeyType = args.key_type.into();
            let pair = kt.generate()?;
            let pem = pair.serialize_pem().into_bytes();
            (pair, pem)
        }
    };
    let rsa = KeyType::of_spki(&issue::spki_of(&key_pair)).is_some_and(KeyType::is_rsa);
    let req = LeafRequest {
        sans,
        subject,
        usage: args.usage.into(),
        window,
        rsa,
    };
    let issued = issue::issue_leaf(&req, LeafKey::Pair(&key_pair), &signer, ctx.now)?;
    if issued.capped {
        ctx.warn(format!(
            "the validity was cut to the CA's expiry ({})",
            render::format_time(signer.info.not_after)
        ));
    }
    let cert_text = cert_file_text(&issued.cert, &chain, args.chain, ctx.now)?;
    let overwrite = if args.force {
        Overwrite::Allow
    } else {
        Overwrite::Never
    };

    let (cert_path, key_path, ca_path, layout) = match &destination {
        Destination::Versioned(dir) => {
            let ca_text = root_bundle_text(&chain, ctx.now)?;
            store::write_versioned(
                dir,
                &[
                    VersionedFile {
                        name: "key.pem",
                        contents: &key_pem,
                        mode: MODE_PRIVATE,
                    },
                    VersionedFile {
                        name: "cert.pem",
                        contents: cert_text.as_bytes(),
                        mode: MODE_PUBLIC,
                    },
                    VersionedFile {
                        name: "ca.pem",
                        contents: ca_text.as_bytes(),
                        mode: MODE_PUBLIC,
                    },
                ],
                overwrite,
            )?;
            (
                dir.join("cert.pem"),
                dir.join("key.pem"),
                Some(dir.join("ca.pem")),
                Layout::Versioned,
            )
        }
        Destination::Files { cert, key } => {
            let key_path = match (key, &args.reuse_key) {
                (Some(k), _) => {
                    store::write_atomic(k, &key_pem, MODE_PRIVATE, overwrite)?;
                    k.clone()
                }
                (None, Some(reused)) => absolute(reused),
                (None, None) => bail!("--cert-out needs --key-out"),
            };
            store::write_atomic(cert, cert_text.as_bytes(), MODE_PUBLIC, overwrite)?;
            (cert.clone(), key_path, None, Layout::Files)
        }
    };
    store.record_issued(IssuedRecord {
        name: name.clone(),
        cert: cert_path.clone(),
        key: key_path.clone(),
        ca: stored_ca.name.clone(),
        layout,
        chain: args.chain,
        issued: ctx.now,
    })?;

    let info = CertInfo::parse(&issued.cert, ctx.now)?;
    let report = IssueReport {
        name,
        ca: stored_ca.name.clone(),
        cert_path: cert_path.display().to_string(),
        key_path: key_path.display().to_string(),
        ca_path: ca_path.as_ref().map(|p| p.display().to_string()),
        layout,
        created_default_ca: created_default,
        capped_at_ca_expiry: issued.capped,
        previous_pin_sha256: None,
        pin_kept: None,
        certificate: info,
    };
    Ok(Issued {
        report,
        chain,
        store_ca_dir: store.ca_dir(DEFAULT_CA),
    })
}

fn print_issued(
    out: &mut dyn Write,
    report: &IssueReport,
    chain: &[StoredCa],
    with_chain: bool,
    ctx: &Ctx,
) -> Result<()> {
    let info = &report.certificate;
    writeln!(
        out,
        "Issued {} for {} from CA {:?}",
        info.subject,
        render::sans_text(&info.sans),
        report.ca
    )?;
    writeln!(
        out,
        "  usage: {}; key: {}; valid until {} ({})",
        info.extended_key_usage
            .as_deref()
            .unwrap_or_default()
            .join(" + "),
        info.key.describe(),
        render::format_time(info.not_after),
        render::expiry_phrase(info)
    )?;
    writeln!(out, "  cert: {}", report.cert_path)?;
    writeln!(out, "  key:  {} (0600)", report.key_path)?;
    if let Some(ca) = &report.ca_path {
        writeln!(out, "  ca:   {ca} (the root peers should trust)")?;
    }
    writeln!(
        out,
        "  pin:  {}",
        output::paint(&info.pin_sha256, Tone::Key, ctx.color)
    )?;
    if ctx.quiet {
        return Ok(());
    }
    let intermediates = chain.iter().filter(|c| c.meta.parent.is_some()).count();
    if intermediates > 0 && !with_chain {
        writeln!(
            out,
            "Note: the certificate file holds only the leaf; peers that trust only the root \
             also need {}: pass --chain to include {}",
            if intermediates == 1 {
                "the intermediate"
            } else {
                "the intermediates"
            },
            if intermediates == 1 { "it" } else { "them" }
        )?;
    }
    let ca_arg = match &report.ca_path {
        Some(p) => p.clone(),
        None => "ca.pem".to_owned(),
    };
    if report.ca_path.is_none() {
        let root = chain.last().map(|c| c.name.as_str()).unwrap_or(DEFAULT_CA);
        writeln!(out, "Next: tlsctl ca export {root} > ca.pem")?;
        writeln!(
            out,
            "      tlsctl nats config --cert {} --key {} --ca {ca_arg}",
            report.cert_path, report.key_path
        )?;
    } else {
        writeln!(
            out,
            "Next: tlsctl nats config --cert {} --key {} --ca {ca_arg}",
            report.cert_path, report.key_path
        )?;
    }
    Ok(())
}

/// Finds the store CA that issued `leaf`: by the record, then by AKI, then
/// by issuer name.
fn issuing_ca(
    store: &Store,
    leaf: &CertInfo,
    record: Option<&IssuedRecord>,
    now: OffsetDateTime,
) -> Result<String> {
    if let Some(r) = record
        && store.ca_exists(&r.ca)
    {
        return Ok(r.ca.clone());
    }
    let cas = store.list_cas()?;
    let infos: Vec<(String, CertInfo)> = cas
        .iter()
        .filter_map(|c| shared::ca_info(c, now).ok().map(|i| (c.name.clone(), i)))
        .collect();
    if let Some(aki) = &leaf.authority_key_id
        && let Some((name, _)) = infos
            .iter()
            .find(|(_, i)| i.subject_key_id.as_ref() == Some(aki))
    {
        return Ok(name.clone());
    }
    if let Some((name, _)) = infos.iter().find(|(_, i)| i.subject_der == leaf.issuer_der) {
        return Ok(name.clone());
    }
    bail!(
        "no CA in {} issued this certificate (issuer {}); pass --ca NAME",
        store.root.display(),
        leaf.issuer
    )
}

fn run_cert_renew(args: &CertRenewArgs, ctx: &Ctx, out: &mut dyn Write) -> Result<Status> {
    let (cert_name, certs) = store::read_certificates(&args.cert)?;
    let leaf_der = certs.first().context("no certificate")?;
    let leaf = CertInfo::parse(leaf_der, ctx.now).map_err(|e| anyhow!("{}: {e}", cert_name))?;
    if leaf.is_ca {
        bail!(
            "{}: is a CA certificate; renew CAs with tlsctl ca create --force",
            cert_name
        );
    }
    let sans = leaf
        .sans
        .iter()
        .map(|s| match s.kind {
            SanKind::Other => Err(anyhow!(
                "{}: has a SAN tlsctl cannot reissue ({}); issue a new certificate instead",
                cert_name,
                s.value
            )),
            _ => san::parse_san(&s.value).map_err(anyhow::Error::from),
        })
        .collect::<Result<Vec<_>>>()?;
    let store = shared::store(ctx)?;
    let cert_path = absolute(&args.cert);
    let _lock = store.lock()?;
    let record = store.find_issued(&cert_path)?;
    let ca_name = match &args.ca {
        Some(n) => n.clone(),
        None => issuing_ca(&store, &leaf, record.as_ref(), ctx.now)?,
    };
    let (_, signer) = shared::signer(&store, &ca_name, ctx.now)?;
    // Renewal replaces a certificate in use: from a staged CA it would
    // replace one that verifies with one that does not yet.
    if signer.info.validity == crate::pki::Validity::NotYetValid && !args.force {
        bail!(
            "CA {:?} is not valid until {}: {} renewed from it would not verify before then, \
             and renew replaces the certificate in use; renew from the active CA, wait, or pass \
             --force (to rehearse, issue into a scratch directory: tlsctl cert issue --ca {} \
             --out DIR)",
            signer.name,
            render::format_time(signer.info.not_before),
            cert_name,
            signer.name
        );
    }
    warn_if_staged(&signer, ctx);
    let chain = shared::ca_chain(&store, &ca_name)?;
    let versioned = store::versioned_dir_of(&cert_path);

    let days = args
        .days
        .unwrap_or_else(|| (leaf.not_after - leaf.not_before).whole_days().max(1));
    let window = Window::days_from(ctx.now - BACKDATE, days)?;
    let key_type = KeyType::of_spki(&leaf.spki_der);
    let req = LeafRequest {
        sans,
        subject: issue::subject_of(leaf_der)?,
        usage: Usage::of(&leaf),
        window,
        rsa: key_type.is_some_and(KeyType::is_rsa),
    };

    // The key: kept (only the public half is needed), or a new one.
    let new_key = if args.rekey {
        let kt = key_type
            .ok_or_else(|| anyhow!("{}: its key type is not one tlsctl generates", cert_name))?;
        Some(kt.generate()?)
    } else {
        None
    };
    let issued = match &new_key {
        Some(pair) => issue::issue_leaf(&req, LeafKey::Pair(pair), &signer, ctx.now)?,
        None => {
            let public = issue::public_key(&leaf.spki_der)?;
            issue::issue_leaf(&req, LeafKey::Public(&public), &signer, ctx.now)?
        }
    };
    if issued.capped {
        ctx.warn(format!(
            "the validity was cut to the CA's expiry ({})",
            render::format_time(signer.info.not_after)
        ));
    }
    let with_chain = certs.len() > 1 || record.as_ref().is_some_and(|r| r.chain);
    let cert_text = cert_file_text(&issued.cert, &chain, with_chain, ctx.now)?;
    let new_key_pem = new_key.as_ref().map(|k| k.serialize_pem().into_bytes());

    let (key_path, layout, ca_path) = match &versioned {
        Some(dir) => {
            let current = dir.join(store::CURRENT);
            let old_key = fs::read(current.join("key.pem")).ok();
            let old_ca = fs::read(current.join("ca.pem")).ok();
            let key_bytes = match (&new_key_pem, &old_key) {
                (Some(k), _) => k.clone(),
                (None, Some(k)) => k.clone(),
                (None, None) => bail!("{}: has no key.pem in its current version", dir.display()),
            };
            let mut files = vec![
                VersionedFile {
                    name: "key.pem",
                    contents: &key_bytes,
                    mode: MODE_PRIVATE,
                },
                VersionedFile {
                    name: "cert.pem",
                    contents: cert_text.as_bytes(),
                    mode: MODE_PUBLIC,
                },
            ];
            if let Some(ca) = &old_ca {
                files.push(VersionedFile {
                    name: "ca.pem",
                    contents: ca,
                    mode: MODE_PUBLIC,
                });
            }
            store::write_versioned(dir, &files, Overwrite::Allow)?;
            let ca_path = old_ca.is_some().then(|| dir.join("ca.pem"));
            (dir.join("key.pem"), Layout::Versioned, ca_path)
        }
        None => {
            let key_path = match (&new_key_pem, &args.key, &record) {
                (Some(_), Some(k), _) => absolute(k),
                (Some(_), None, Some(r)) => r.key.clone(),
                (Some(_), None, None) => bail!(
                    "tlsctl has no record of where {}'s key is; pass --key KEY for the new key",
                    cert_name
                ),
                (None, _, Some(r)) => r.key.clone(),
                (None, _, None) => PathBuf::new(),
            };
            if let Some(pem) = &new_key_pem {
                store::write_atomic(&key_path, pem, MODE_PRIVATE, Overwrite::Allow)?;
            }
            store::write_atomic(
                &cert_path,
                cert_text.as_bytes(),
                MODE_PUBLIC,
                Overwrite::Allow,
            )?;
            if new_key_pem.is_some() {
                ctx.warn(format!(
                    "{} and {} are separate files: a server reloading between the two \
                     writes could read a mismatched pair; issue with --out DIR to have \
                     renewals switch both at once",
                    key_path.display(),
                    cert_path.display()
                ));
            }
            (key_path, Layout::Files, None)
        }
    };
    if let Some(r) = &record {
        store.record_issued(IssuedRecord {
            key: key_path.clone(),
            issued: ctx.now,
            ca: ca_name.clone(),
            chain: with_chain,
            ..r.clone()
        })?;
    }

    let info = CertInfo::parse(&issued.cert, ctx.now)?;
    let pin_kept = info.pin_sha256 == leaf.pin_sha256;
    let report = IssueReport {
        name: record
            .as_ref()
            .map_or_else(|| cert_name.clone(), |r| r.name.clone()),
        ca: ca_name,
        cert_path: cert_path.display().to_string(),
        key_path: key_path.display().to_string(),
        ca_path: ca_path.map(|p| p.display().to_string()),
        layout,
        created_default_ca: false,
        capped_at_ca_expiry: issued.capped,
        previous_pin_sha256: Some(leaf.pin_sha256.clone()),
        pin_kept: Some(pin_kept),
        certificate: info,
    };
    if ctx.json {
        output::json(out, &report)?;
        return Ok(Status::Success);
    }
    let info = &report.certificate;
    writeln!(
        out,
        "Renewed {} from CA {:?}: serial {} -> {}, valid until {} ({})",
        info.subject,
        report.ca,
        leaf.serial,
        info.serial,
        render::format_time(info.not_after),
        render::expiry_phrase(info)
    )?;
    writeln!(out, "  cert: {}", report.cert_path)?;
    if !report.key_path.is_empty() {
        writeln!(out, "  key:  {}", report.key_path)?;
    }
    if pin_kept {
        writeln!(
            out,
            "  pin:  {} (unchanged: pinned_certs entries keep working)",
            output::paint(&info.pin_sha256, Tone::Key, ctx.color)
        )?;
    } else {
        writeln!(
            out,
            "  pin:  {} (NEW; was {}): update pinned_certs before peers see it",
            output::paint(&info.pin_sha256, Tone::Warn, ctx.color),
            leaf.pin_sha256
        )?;
    }
    if layout == Layout::Versioned && !ctx.quiet {
        writeln!(
            out,
            "  switched cert.pem and key.pem together (one rename of ..data)"
        )?;
    }
    Ok(Status::Success)
}
