//! `tlsctl tui [FILE...] [--diff OLD NEW [--peer FILE...]] [--conf CONF...
//! [--replace PATH=NEW] [--mount DIR=SECRET] [--peer FILE|HOST:PORT] [--at
//! TIME] [--server-version V]]`: the terminal UI.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use anyhow::{Result, bail};
use clap::Args;

use time::OffsetDateTime;

use super::shared::{parse_mount, parse_replace, parse_time};
use super::{Ctx, Status};
use crate::tui::data::fleet::FleetOptions;
use crate::tui::{self, app::Launch};

#[derive(Debug, Args)]
pub struct TuiArgs {
    /// Bundles or certificate files to open, each in its own view
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Open the diff view of two bundles
    #[arg(long, num_args = 2, value_names = ["OLD", "NEW"])]
    pub diff: Option<Vec<PathBuf>>,
    /// With --diff: a peer (leaf, optionally followed by its chain) to check against both; with
    /// --conf: a peer's chain file or a live HOST:PORT judged against every block that verifies
    /// it, as nats check --peer does (repeatable)
    #[arg(long, value_name = "FILE|HOST:PORT")]
    pub peer: Vec<PathBuf>,
    /// Open the fleet view of these nats-server configurations (as nats check reads them)
    #[arg(long, value_name = "CONF", num_args = 1..)]
    pub conf: Vec<PathBuf>,
    /// With --conf: open on the fleet before and after reading NEWPATH where the configs name
    /// PATH (repeatable; R changes it)
    #[arg(long, value_parser = parse_replace, value_name = "PATH=NEWPATH", requires = "conf")]
    pub replace: Vec<(PathBuf, PathBuf)>,
    /// With --conf: read the files under the directory PATH from a Kubernetes Secret manifest's
    /// keys, as nats check --mount does (repeatable)
    #[arg(long, value_parser = parse_mount, value_name = "PATH=SECRET", requires = "conf")]
    pub mount: Vec<(PathBuf, PathBuf)>,
    /// With --conf: judge the fleet at this time instead of now (2027-01-01 or RFC 3339)
    #[arg(long, value_parser = parse_time, value_name = "TIME", requires = "conf")]
    pub at: Option<OffsetDateTime>,
    /// With --conf: the nats-server release the fleet runs (2.9.10, 2.15.1)
    #[arg(long, value_name = "V", requires = "conf")]
    pub server_version: Option<String>,
}

pub fn run_tui(args: &TuiArgs, ctx: &Ctx, _out: &mut dyn Write) -> Result<Status> {
    if !args.peer.is_empty() && args.diff.is_none() && args.conf.is_empty() {
        bail!(
            "--peer goes with --diff OLD NEW (a peer file) or --conf CONF... (a file or HOST:PORT)"
        );
    }
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
        .chain(args.mount.iter().map(|(_, secret)| secret))
        .chain(args.replace.iter().map(|(_, new)| new))
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
        replace: args.replace.clone(),
        // A HOST:PORT peer is read by the fleet's job, not here.
        fleet: FleetOptions {
            at: args.at,
            server_version: args.server_version.clone(),
            mounts: args.mount.clone(),
            peers: if args.conf.is_empty() {
                Vec::new()
            } else {
                args.peer.clone()
            },
        },
    };
    tui::run(&launch, &ctx.env, ctx.color)?;
    Ok(Status::Success)
}
