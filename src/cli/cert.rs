//! `tlsctl cert issue | renew | sign`: leaves from a store CA (the use cases are
//! `ops::issue`); one file per subcommand.

pub mod issue;
pub mod renew;
pub mod sign;

use std::io::Write;

use anyhow::Result;
use clap::Subcommand;

use super::{Ctx, Status};

pub use issue::CertIssueArgs;
pub use renew::CertRenewArgs;
pub use sign::CertSignArgs;

#[derive(Debug, Subcommand)]
pub enum CertCommand {
    /// Issue a leaf certificate (dual-use by default: serverAuth + clientAuth)
    Issue(CertIssueArgs),
    /// Renew a leaf: same subject, SANs and usage, new serial and validity
    Renew(CertRenewArgs),
    /// Sign a certificate signing request (openssl req, certtool) with a store CA
    Sign(CertSignArgs),
}

pub fn run_cert(cmd: &CertCommand, ctx: &Ctx, out: &mut dyn Write) -> Result<Status> {
    match cmd {
        CertCommand::Issue(args) => issue::run_cert_issue(args, ctx, out),
        CertCommand::Renew(args) => renew::run_cert_renew(args, ctx, out),
        CertCommand::Sign(args) => sign::run_cert_sign(args, ctx, out),
    }
}
