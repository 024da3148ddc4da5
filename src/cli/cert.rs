//! `tlsctl cert issue | renew | sign | p12`: leaves from a store CA (the use cases are
//! `ops::issue`); one file per subcommand.

pub mod issue;
pub mod p12;
pub mod renew;
pub mod sign;

use std::io::Write;

use anyhow::Result;
use clap::Subcommand;

use super::lazy::Lazy;
use super::{Ctx, Status};

pub use issue::CertIssueArgs;
pub use p12::CertP12Args;
pub use renew::CertRenewArgs;
pub use sign::CertSignArgs;

#[derive(Debug, Subcommand)]
pub enum CertCommand {
    /// Issue a leaf certificate (dual-use by default: serverAuth + clientAuth)
    Issue(Lazy<CertIssueArgs>),
    /// Renew a leaf: same subject, SANs and usage, new serial and validity
    Renew(Lazy<CertRenewArgs>),
    /// Sign a certificate signing request (openssl req, certtool) with a store CA
    Sign(Lazy<CertSignArgs>),
    /// Pack a certificate, its chain and key into a PKCS#12 file (Java, .NET, Windows)
    P12(Lazy<CertP12Args>),
}

pub fn run_cert(cmd: &CertCommand, ctx: &Ctx, out: &mut dyn Write) -> Result<Status> {
    match cmd {
        CertCommand::Issue(args) => issue::run_cert_issue(args, ctx, out),
        CertCommand::Renew(args) => renew::run_cert_renew(args, ctx, out),
        CertCommand::Sign(args) => sign::run_cert_sign(args, ctx, out),
        CertCommand::P12(args) => p12::run_cert_p12(args, ctx, out),
    }
}
