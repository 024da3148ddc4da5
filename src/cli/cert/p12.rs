//! `tlsctl cert p12 --cert F --key F --out F.p12`: a PKCS#12 file for
//! Java, .NET and Windows clients (AES-256-CBC and PBKDF2 by default,
//! `--legacy` 3DES for old readers). `tlsctl inspect F.p12` reads it back.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Result;
use clap::Args;

use crate::cli::shared::password;
use crate::cli::{Ctx, Status, output};
use crate::ops::p12::{self, P12Spec};
use crate::pki::p12::Protection;

#[derive(Debug, Args)]
pub struct CertP12Args {
    /// The certificate, optionally followed by its chain
    #[arg(long, value_name = "FILE")]
    pub cert: PathBuf,
    /// Its private key
    #[arg(long, value_name = "FILE")]
    pub key: PathBuf,
    /// More chain certificates (intermediates; the root if readers want it)
    #[arg(long, value_name = "FILE")]
    pub chain: Option<PathBuf>,
    /// The PKCS#12 file to write (0600)
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// Read the password from this file (its first line) [default: ask on the terminal]
    #[arg(long, value_name = "FILE")]
    pub password_file: Option<PathBuf>,
    /// 3DES and a SHA-1 MAC, for readers before OpenSSL 3, Java 8u301 or Windows Server 2019
    #[arg(long)]
    pub legacy: bool,
    /// The entry's friendly name [default: the certificate's CN]
    #[arg(long, value_name = "NAME")]
    pub alias: Option<String>,
    /// Replace an existing file
    #[arg(long)]
    pub force: bool,
}

pub fn run_cert_p12(args: &CertP12Args, ctx: &Ctx, out: &mut dyn Write) -> Result<Status> {
    let password = password(
        args.password_file.as_deref(),
        ctx.interactive,
        &format!("Password for {}", args.out.display()),
        true,
        "--password-file",
    )?;
    let outcome = p12::write(
        &ctx.env,
        &P12Spec {
            cert: args.cert.clone(),
            key: args.key.clone(),
            chain: args.chain.clone(),
            out: args.out.clone(),
            password,
            protection: if args.legacy {
                Protection::Legacy
            } else {
                Protection::Modern
            },
            alias: args.alias.clone(),
            replace: args.force,
        },
    )?;
    ctx.warnings(&outcome.warnings);
    let r = &outcome.value;
    if ctx.json {
        output::json_with(out, r, &outcome.warnings)?;
        return Ok(Status::Success);
    }
    writeln!(
        out,
        "Wrote {} (PKCS#12, {}; alias {:?}; 0600)",
        r.file,
        match r.protection {
            Protection::Modern => "AES-256-CBC, PBKDF2-HMAC-SHA256",
            Protection::Legacy => "legacy 3DES, SHA-1 MAC",
        },
        r.alias
    )?;
    for (i, s) in r.certificates.iter().enumerate() {
        writeln!(out, "  {} {s}", if i == 0 { "cert: " } else { "chain:" })?;
    }
    writeln!(out, "  pin:   {}", r.pin_sha256)?;
    Ok(Status::Success)
}
