//! `tlsctl tui [FILE...] [--diff OLD NEW [--peer FILE...]] [--conf CONF...]`:
//! the terminal UI.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use anyhow::{Result, bail};
use clap::Args;

use super::{Ctx, Status};
use crate::tui::{self, app::Launch};

#[derive(Debug, Args)]
pub struct TuiArgs {
    /// Bundles or certificate files to open, each in its own view
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Open the diff view of two bundles
    #[arg(long, num_args = 2, value_names = ["OLD", "NEW"])]
    pub diff: Option<Vec<PathBuf>>,
    /// With --diff: a peer (leaf, optionally followed by its chain) to check against both; repeat for several
    #[arg(long, value_name = "FILE", requires = "diff")]
    pub peer: Vec<PathBuf>,
    /// Open the fleet view of these nats-server configurations (as nats check reads them)
    #[arg(long, value_name = "CONF", num_args = 1..)]
    pub conf: Vec<PathBuf>,
}

pub fn run_tui(args: &TuiArgs, ctx: &Ctx, _out: &mut dyn Write) -> Result<Status> {
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        bail!(
            "tlsctl tui needs a terminal; for scripts use the CLI commands (tlsctl bundle list, ...)"
        );
    }
    for f in args
        .files
        .iter()
        .chain(args.diff.iter().flatten())
        .chain(&args.peer)
        .chain(&args.conf)
    {
        if crate::store::is_stdin(f) {
            bail!("tlsctl tui reads files, not standard input (which is the terminal)");
        }
    }
    let launch = Launch {
        files: args.files.clone(),
        diff: args.diff.as_ref().and_then(|d| match d.as_slice() {
            [old, new] => Some((old.clone(), new.clone(), args.peer.clone())),
            _ => None,
        }),
        confs: args.conf.clone(),
    };
    tui::run(&launch, &ctx.env, ctx.color)?;
    Ok(Status::Success)
}
