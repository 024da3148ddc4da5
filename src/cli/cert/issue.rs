//! `tlsctl cert issue [SAN...]`: a leaf from a store CA (the default CA,
//! created on first use, when no `--ca` is given).

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use clap::Args;

use crate::cli::shared::{KeyTypeArg, UsageArg};
use crate::cli::{Ctx, Status, output};
use crate::ops::issue::{self, DEFAULT_CA, DEFAULT_DAYS, Destination, IssueReport, IssueSpec};
use crate::pki::render::{self, Tone};
use crate::pki::san::SanSpec;

#[derive(Debug, Args)]
pub struct CertIssueArgs {
    /// Names: DNS names (*.example.com), IP addresses, emails (a@b), URIs (x://y);
    /// none for a client certificate named by --cn alone (`--usage client --cn alice`)
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
    #[arg(long, default_value_t = DEFAULT_DAYS)]
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
    /// Write the leaf alone, without the CA's intermediates after it [default: with them]
    #[arg(long, conflicts_with = "chain")]
    pub no_chain: bool,
    /// Put the CA's intermediates after the leaf in the certificate file (the default)
    #[arg(long, hide = true)]
    pub chain: bool,
    /// Issue for this existing private key (the pin stays the same)
    #[arg(long, value_name = "KEY")]
    pub reuse_key: Option<PathBuf>,
    /// Also write NAME.yaml: a kubernetes.io/tls Secret manifest (tls.crt with the chain,
    /// tls.key, ca.crt; 0600)
    #[arg(long, value_name = "NAME")]
    pub k8s_secret: Option<String>,
    /// The Secret's namespace
    #[arg(long, value_name = "NS", requires = "k8s_secret")]
    pub namespace: Option<String>,
    /// Replace existing files
    #[arg(long)]
    pub force: bool,
}

impl CertIssueArgs {
    /// The spec for validated SANs.
    pub fn spec(&self, sans: Vec<SanSpec>) -> IssueSpec {
        IssueSpec {
            sans,
            ca: self.ca.clone(),
            name: self.name.clone(),
            cn: self.cn.clone(),
            usage: self.usage.into(),
            key_type: self.key_type.into(),
            days: self.days,
            destination: match (&self.out, &self.cert_out) {
                (Some(dir), _) => Destination::Dir(dir.clone()),
                (None, Some(cert)) => Destination::Files {
                    cert: cert.clone(),
                    key: self.key_out.clone(),
                },
                (None, None) => Destination::Store,
            },
            chain: !self.no_chain,
            reuse_key: self.reuse_key.clone(),
            replace: self.force,
        }
    }
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
            match issue::parse_sans(std::slice::from_ref(input), true) {
                Ok(s) if s.is_empty() => Err("give at least one name".to_owned()),
                Ok(_) => Ok(()),
                Err(e) => Err(e.to_string()),
            }
        })
        .interact_text()
        .context("reading the names from the terminal")?;
    issue::parse_sans(&[text], true)
}

pub fn run_cert_issue(args: &CertIssueArgs, ctx: &Ctx, out: &mut dyn Write) -> Result<Status> {
    // One argument is one name: a space inside one is a typo (`"exa mple.com"`).
    let mut sans = issue::parse_sans(&args.sans, false)?;
    // A client certificate named only by its CN needs no SANs (a server
    // mapping clients, NATS verify_and_map, reads the subject).
    let cn_only_client = args.usage == UsageArg::Client && args.cn.is_some();
    if sans.is_empty() && !cn_only_client {
        sans = ask_for_sans(ctx)?;
    }
    if args.cert_out.is_some() && args.key_out.is_none() && args.reuse_key.is_none() {
        bail!("--cert-out needs --key-out (where the new private key goes), or --reuse-key");
    }
    let secret_out = args
        .k8s_secret
        .as_ref()
        .map(|name| std::path::PathBuf::from(format!("{name}.yaml")));
    if let Some(name) = &args.k8s_secret
        && !crate::pki::k8s::valid_name(name)
    {
        bail!(
            "--k8s-secret {name:?}: not a Kubernetes object name (lowercase letters, digits, '-' \
             and '.', starting and ending with a letter or digit)"
        );
    }
    if let Some(out) = &secret_out
        && !args.force
        && crate::store::exists(out)
    {
        bail!(
            "{}: already exists; pass --force to replace it",
            out.display()
        );
    }
    let outcome = issue::issue(&ctx.env, &args.spec(sans))?;
    if let (Some(name), Some(out)) = (&args.k8s_secret, &secret_out) {
        let r = &outcome.value.report;
        let written = crate::ops::k8s::write_tls_secret(
            name,
            args.namespace.as_deref(),
            std::path::Path::new(&r.cert_path),
            std::path::Path::new(&r.key_path),
            r.ca_path.as_deref().map(std::path::Path::new),
            out,
            args.force,
        )?;
        if !ctx.quiet && !ctx.json {
            let _ = writeln!(
                std::io::stderr(),
                "tlsctl: wrote the Secret {name:?} to {} (0600; kubectl apply -f it)",
                written.display()
            );
        }
    }
    let issued = &outcome.value;
    let report = &issued.report;
    if report.created_default_ca && !ctx.quiet {
        let _ = writeln!(
            std::io::stderr(),
            "tlsctl: created the CA {DEFAULT_CA:?} in {} (first use); peers must trust its ca.pem",
            issued.default_ca_dir.display()
        );
    }
    ctx.warnings(&outcome.warnings);
    if ctx.json {
        output::json_with(out, report, &outcome.warnings)?;
        return Ok(Status::Success);
    }
    let root = issued.chain.last().map(|c| c.name.as_str());
    print_issued(
        out,
        report,
        issued.intermediates(),
        root,
        !args.no_chain,
        ctx,
    )?;
    Ok(Status::Success)
}

fn print_issued(
    out: &mut dyn Write,
    report: &IssueReport,
    intermediates: usize,
    root: Option<&str>,
    with_chain: bool,
    ctx: &Ctx,
) -> Result<()> {
    let info = &report.certificate;
    writeln!(
        out,
        "Issued {} for {} from CA {:?}",
        info.subject,
        if info.sans.is_empty() {
            "its subject alone (no SANs: a client certificate)".to_owned()
        } else {
            render::sans_text(&info.sans)
        },
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
    if intermediates > 0 && !with_chain {
        writeln!(
            out,
            "Note: the certificate file holds only the leaf (--no-chain); peers that trust only \
             the root also need {}: leave out --no-chain to include {}",
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
        writeln!(
            out,
            "Next: tlsctl ca export {} > ca.pem",
            root.unwrap_or(DEFAULT_CA)
        )?;
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
