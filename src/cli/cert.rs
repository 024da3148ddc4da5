//! `tlsctl cert issue | renew`: leaves from a store CA (the use cases are
//! `ops::issue`); one file per subcommand.

pub mod issue;
pub mod renew;

use std::io::Write;

use anyhow::Result;
use clap::Subcommand;

use super::{Ctx, Status};

pub use issue::CertIssueArgs;
pub use renew::CertRenewArgs;

#[derive(Debug, Subcommand)]
pub enum CertCommand {
    /// Issue a leaf certificate (dual-use by default: serverAuth + clientAuth)
    Issue(CertIssueArgs),
    /// Renew a leaf: same subject, SANs and usage, new serial and validity
    Renew(CertRenewArgs),
}

pub fn run_cert(cmd: &CertCommand, ctx: &Ctx, out: &mut dyn Write) -> Result<Status> {
    match cmd {
        CertCommand::Issue(args) => issue::run_cert_issue(args, ctx, out),
        CertCommand::Renew(args) => renew::run_cert_renew(args, ctx, out),
    }
}
