//! `tlsctl serve`: a TLS (optionally mTLS) endpoint for rehearsing a
//! rotation on one machine; with `--watch` it reloads its material when the
//! files change, logging every handshake with the pin it served.

use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{Context, Result};
use clap::Args;

use super::{Ctx, Status};
use crate::net::serve::{self, Material};
use crate::ops::absolute;

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The certificate to serve (leaf first, then its chain)
    #[arg(long, value_name = "FILE")]
    pub cert: PathBuf,
    /// Its private key
    #[arg(long, value_name = "FILE")]
    pub key: PathBuf,
    /// Require client certificates that verify against this bundle (mTLS)
    #[arg(long, value_name = "BUNDLE")]
    pub ca: Option<PathBuf>,
    /// Address to listen on (port 0 picks a free one)
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8443")]
    pub listen: String,
    /// Reload cert, key and bundle when the files change
    #[arg(long)]
    pub watch: bool,
}

pub fn run_serve(args: &ServeArgs, ctx: &Ctx, out: &mut dyn Write) -> Result<Status> {
    // The server reads through the store and tells the time by this run's
    // clock (`TLSCTL_NOW` fixes it), like every other command.
    let clock = ctx.env.clock.clone();
    let material = Material {
        cert: absolute(&args.cert),
        key: absolute(&args.key),
        ca: args.ca.as_deref().map(absolute),
        read: Arc::new(|path: &std::path::Path| {
            crate::store::read_input(path)
                .map(|input| input.bytes)
                .map_err(|e| format!("{e:#}"))
        }),
        now: Arc::new(move || clock.now()),
    };
    let (listener, local) =
        serve::bind(&args.listen).with_context(|| format!("cannot listen on {}", args.listen))?;
    if ctx.json {
        // JSON lines: one event a line, on stdout, as it happens.
        let line = serde_json::json!({
            "event": "listening",
            "address": local.to_string(),
            "watch": args.watch,
        });
        writeln!(out, "{line}")?;
    } else {
        writeln!(
            out,
            "listening on {local}{}",
            if args.watch {
                " (watching the files)"
            } else {
                ""
            }
        )?;
    }
    out.flush()?;
    if !ctx.json {
        let quiet = ctx.quiet;
        let log: serve::Log = Arc::new(move |line: &str| {
            if !quiet {
                let _ = writeln!(std::io::stderr(), "{line}");
            }
        });
        serve::serve(listener, material, args.watch, log).context("serving")?;
        return Ok(Status::Success);
    }
    // JSON lines: the server runs on its own thread and its events come
    // here, where stdout is, each written and flushed as it happens.
    let (tx, rx) = std::sync::mpsc::channel::<String>();
    let log: serve::Log = Arc::new(move |line: &str| {
        // "[TIME] MESSAGE" as {"event": "log", "time", "message"}.
        let (time, message) = line
            .strip_prefix('[')
            .and_then(|rest| rest.split_once("] "))
            .unwrap_or(("", line));
        let event = serde_json::json!({ "event": "log", "time": time, "message": message });
        let _ = tx.send(event.to_string());
    });
    let watch = args.watch;
    let server = std::thread::Builder::new()
        .name("serve".to_owned())
        .spawn(move || serve::serve(listener, material, watch, log))
        .context("starting the server thread")?;
    for event in rx {
        writeln!(out, "{event}")?;
        out.flush()?;
    }
    match server.join() {
        Ok(result) => result.context("serving")?,
        Err(_) => anyhow::bail!("the server thread failed"),
    }
    Ok(Status::Success)
}
