//! The command-line shell: clap types, the run loop, exit codes, and one
//! module per command group (`cli/pin.rs` for `tlsctl pin`, `cli/bundle/diff.rs`
//! for `tlsctl bundle diff`). Handlers turn arguments into a spec, call `ops`
//! (or `pki` for a pure look at a file), and render the report; the error of
//! a failed run is printed once, here, with the flag that gets past it.

pub mod bundle;
pub mod ca;
pub mod cert;
pub mod completions;
pub mod inspect;
pub mod lazy;
pub mod lint;
pub mod nats;
pub mod output;
pub mod pin;
pub mod probe;
pub mod serve;
pub mod shared;
pub mod tui;
pub mod verify;

use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};

use lazy::Lazy;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::ops::{self, Clock, Env, Warning};

/// How a run ended, when it did not fail outright.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Exit 0.
    Success,
    /// Exit 1: a check found a problem (lint errors, failed verify, a lost
    /// peer under `--check`, a pin mismatch).
    Problem,
}

/// Exit code for usage errors and unreadable input.
pub const EXIT_USAGE: u8 = 2;

#[derive(Debug, Parser)]
#[command(
    name = "tlsctl",
    version,
    about = "Certificates, trust bundles and SPKI pins for mTLS fleets (NATS first)",
    long_about = "tlsctl makes test PKIs, keeps CA trust bundles correct, computes the SPKI \
                  SHA-256 pins NATS pinned_certs expects, and says before a CA roll whether \
                  peers would be cut off.\n\n\
                  Exit codes: 0 success, 1 a check found a problem, 2 usage error or \
                  unreadable input.",
    propagate_version = true,
    max_term_width = 100
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// Flags every command takes.
#[derive(Debug, Args)]
#[command(next_help_heading = "Global options")]
pub struct GlobalArgs {
    /// Machine output: one JSON document on stdout, stable field names
    #[arg(long, global = true)]
    pub json: bool,
    /// The store of CAs and issued certificates [env: TLSCTL_HOME] [default: the platform data dir]
    // TLSCTL_HOME is read in Ctx::from_env, not by clap: clap prints an
    // argument filled from the environment in every usage line.
    #[arg(long, global = true, value_name = "DIR")]
    pub store: Option<PathBuf>,
    /// Print only results and errors: no hints, no progress
    #[arg(short, long, global = true)]
    pub quiet: bool,
    /// When to colour human output (NO_COLOR is honoured under auto)
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create, list, show and export CAs in the store
    #[command(subcommand)]
    Ca(Lazy<ca::CaCommand>),
    /// Issue and renew leaf certificates
    #[command(subcommand)]
    Cert(Lazy<cert::CertCommand>),
    /// Print the SPKI SHA-256 pins (NATS pinned_certs values) of certificates and keys
    Pin(Lazy<pin::PinArgs>),
    /// Show what certificates, keys, public keys and CSRs say
    Inspect(Lazy<inspect::InspectArgs>),
    /// Check certificates for a job (route, gateway, client...): findings with fixes
    Lint(Lazy<lint::LintArgs>),
    /// Build and check a chain against a bundle, as a TLS peer (Go, NATS) would
    Verify(Lazy<verify::VerifyArgs>),
    /// Trust bundles: add, remove, list, lint, and diff before a rotation
    #[command(subcommand)]
    Bundle(Lazy<bundle::BundleCommand>),
    /// NATS configuration: a ready TLS block, checked
    #[command(subcommand)]
    Nats(Lazy<nats::NatsCommand>),
    /// Connect to a TLS or NATS endpoint: its chain, pins, and whether it verifies
    Probe(Lazy<probe::ProbeArgs>),
    /// A TLS (or mTLS) endpoint that reloads its material, for rehearsing a rotation
    Serve(Lazy<serve::ServeArgs>),
    /// The terminal UI: the store, bundles, a diff, a fleet of nats-server configs, forms and pins
    Tui(Lazy<tui::TuiArgs>),
    /// Print a shell completion script on stdout
    Completions(Lazy<completions::CompletionsArgs>),
    // A new command group slots in here: one variant, one `cli/<group>.rs`.
}

/// Colour is on when asked for, or under `auto` when the environment
/// allows it: flags beat the variables.
pub fn color_enabled(choice: ColorChoice, environment_allows: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => environment_allows,
    }
}

/// Whether the environment allows colour on stdout, by the rules clap and
/// most CLIs share (anstream's): a terminal, no non-empty `NO_COLOR`, `TERM`
/// not `dumb`, `CLICOLOR` not `0`; `CLICOLOR_FORCE` forces it on.
fn environment_allows_color() -> bool {
    !matches!(
        anstream::AutoStream::choice(&io::stdout()),
        anstream::ColorChoice::Never
    )
}

/// The clock: fixed by `TLSCTL_NOW` (RFC 3339), else the system's. Also
/// what relative times (`--at +30d`) count from.
pub fn clock_from_env() -> Result<Clock> {
    Ok(match std::env::var("TLSCTL_NOW") {
        Ok(text) => Clock::Fixed(
            OffsetDateTime::parse(&text, &Rfc3339)
                .map_err(|e| anyhow::anyhow!("TLSCTL_NOW={text}: not an RFC 3339 time ({e})"))?,
        ),
        Err(_) => Clock::System,
    })
}

/// What every handler gets besides its own arguments.
#[derive(Debug, Clone)]
pub struct Ctx {
    pub json: bool,
    pub quiet: bool,
    /// Colour on stdout.
    pub color: bool,
    /// The store and the clock the operations run with (`TLSCTL_NOW` fixes
    /// the clock for tests).
    pub env: Env,
    /// Whether stdin is a terminal a prompt could use.
    pub interactive: bool,
}

impl Ctx {
    fn from_env(global: &GlobalArgs) -> Result<Ctx> {
        let color = color_enabled(global.color, environment_allows_color());
        let clock = clock_from_env()?;
        let store = match (&global.store, std::env::var_os("TLSCTL_HOME")) {
            (Some(dir), _) => Some(dir.clone()),
            // Set but empty is a mistake (`TLSCTL_HOME=$UNSET`), not a
            // request for the default store.
            (None, Some(v)) if v.is_empty() => anyhow::bail!(
                "TLSCTL_HOME is set but empty; unset it to use the default store, or give \
                 a directory"
            ),
            (None, v) => v.map(PathBuf::from),
        };
        Ok(Ctx {
            json: global.json,
            quiet: global.quiet,
            color,
            env: Env::new(store, clock),
            interactive: io::stdin().is_terminal(),
        })
    }

    /// The time now, for a command that needs one (read once per command).
    pub fn now(&self) -> OffsetDateTime {
        self.env.now()
    }

    /// A warning on stderr, unless `--quiet`.
    pub fn warn(&self, message: impl std::fmt::Display) {
        if !self.quiet {
            let _ = writeln!(io::stderr(), "tlsctl: warning: {message}");
        }
    }

    /// An operation's warnings on stderr, each once (a JSON document also
    /// carries them under `warnings`).
    pub fn warnings(&self, warnings: &[Warning]) {
        for w in warnings {
            self.warn(&w.message);
        }
    }
}

/// What the CLI adds to an error from below it: the flag that gets past it,
/// where there is one.
fn flag_hint(e: &anyhow::Error) -> Option<String> {
    use crate::pki::bundle::AddRefusal;
    use crate::pki::issue::IssueError;
    use crate::pki::nats::ConfigError;
    use crate::store::bundle_file::AmbiguousPrefix;
    use crate::store::{AlreadyExists, CaExists, IsLink};
    e.chain().find_map(|cause| {
        if cause.is::<AlreadyExists>() || cause.is::<CaExists>() {
            return Some("; pass --force to replace it".to_owned());
        }
        if cause.is::<IsLink>() {
            return Some(" (pass --force to replace the link itself with a file)".to_owned());
        }
        if let Some(e) = cause.downcast_ref::<IssueError>() {
            return match e {
                IssueError::OutlivesParent { max_days, .. } => {
                    Some(format!(" (pass --days {max_days} or fewer)"))
                }
                IssueError::NoDays | IssueError::TooManyDays(_) => Some(" (--days)".to_owned()),
                _ => None,
            };
        }
        if let Some(AddRefusal::NotCa { .. }) = cause.downcast_ref::<AddRefusal>() {
            return Some(" (pass --allow-leaf)".to_owned());
        }
        if let Some(ConfigError::Timeout) = cause.downcast_ref::<ConfigError>() {
            return Some(" (--timeout)".to_owned());
        }
        if let Some(a) = cause.downcast_ref::<AmbiguousPrefix>() {
            return Some(match a.selector {
                crate::pki::bundle::Selector::Pin(_) => format!(
                    " (`tlsctl pin {}` prints every pin whole)",
                    a.bundle.display()
                ),
                _ => format!(
                    " (`tlsctl --json bundle list {}` prints every fingerprint whole)",
                    a.bundle.display()
                ),
            });
        }
        if let Some(s) = cause.downcast_ref::<ops::issue::StagedRenewal>() {
            return Some(format!(
                "; or pass --force (to rehearse: tlsctl cert issue --ca {} --out DIR)",
                s.ca
            ));
        }
        if cause.is::<ops::issue::UnknownKeyPath>() {
            return Some(" (pass --key KEY)".to_owned());
        }
        if cause.is::<ops::issue::SansNeeded>() {
            return Some(" (name the hosts as SANs, or pass --usage client)".to_owned());
        }
        if cause.is::<ops::sign::RequestWithoutSans>() {
            return Some(" (pass --san NAME, or --usage client)".to_owned());
        }
        if cause.is::<ops::issue::NoIssuingCa>() {
            return Some("; pass --ca NAME".to_owned());
        }
        None
    })
}

/// Parses the command line, runs it, and turns the outcome into an exit
/// code. The only place an error is printed.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { EXIT_USAGE } else { 0 };
            let _ = e.print();
            // A script that asked for JSON gets a document for a usage error too.
            if e.use_stderr() && std::env::args_os().any(|a| a == "--json") {
                let text = e.to_string();
                let first = text.lines().next().unwrap_or_default();
                let message = first.strip_prefix("error: ").unwrap_or(first);
                let _ = write_error_document(&mut io::stdout(), "usage", message, None);
            }
            return ExitCode::from(code);
        }
    };
    let stdout = io::stdout();
    let mut out = BufWriter::with_capacity(
        64 * 1024,
        Stdout {
            inner: stdout.lock(),
            written: 0,
        },
    );
    let result = Ctx::from_env(&cli.global)
        .and_then(|ctx| run(&cli, &ctx, &mut out))
        .and_then(|status| {
            out.flush()?;
            Ok(status)
        });
    match result {
        Ok(Status::Success) => ExitCode::SUCCESS,
        Ok(Status::Problem) => ExitCode::from(1),
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            // Drop whatever a failed run buffered: stdout gets a whole report
            // or nothing.
            let (mut stdout, _) = out.into_parts();
            let hint = flag_hint(&e).unwrap_or_default();
            let message = format!("{e:#}{hint}");
            let _ = writeln!(io::stderr(), "tlsctl: {message}");
            // One JSON document per run: the error is the document, unless
            // the command already wrote its own (inspect's diagnostics).
            if cli.global.json && stdout.written == 0 {
                let file = error_file(&message);
                let _ = write_error_document(&mut stdout.inner, error_code(&e), &message, file);
            }
            ExitCode::from(EXIT_USAGE)
        }
    }
}

/// Dispatches to the command's handler.
pub fn run(cli: &Cli, ctx: &Ctx, out: &mut dyn Write) -> Result<Status> {
    match &cli.command {
        Command::Ca(cmd) => ca::run_ca(cmd, ctx, out),
        Command::Cert(cmd) => cert::run_cert(cmd, ctx, out),
        Command::Pin(args) => pin::run_pin(args, ctx, out),
        Command::Inspect(args) => inspect::run_inspect(args, ctx, out),
        Command::Lint(args) => lint::run_lint(args, ctx, out),
        Command::Verify(args) => verify::run_verify(args, ctx, out),
        Command::Bundle(cmd) => bundle::run_bundle(cmd, ctx, out),
        Command::Nats(cmd) => nats::run_nats(cmd, ctx, out),
        Command::Probe(args) => probe::run_probe(args, ctx, out),
        Command::Serve(args) => serve::run_serve(args, ctx, out),
        Command::Tui(args) => tui::run_tui(args, ctx, out),
        Command::Completions(args) => completions::run_completions(args, out),
    }
}

/// Standard output, whose errors say that they are about standard output
/// (a full disk under `> file`, say), keeping their kind; it counts what
/// reached it.
struct Stdout<W> {
    inner: W,
    written: usize,
}

impl<W: Write> Write for Stdout<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf).map_err(annotate)?;
        self.written += n;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush().map_err(annotate)
    }
}

/// `{"error": {"code", "message", "file"}, "warnings": []}`.
fn write_error_document(
    out: &mut dyn Write,
    code: &str,
    message: &str,
    file: Option<String>,
) -> Result<()> {
    #[derive(serde::Serialize)]
    struct ErrorBody<'a> {
        code: &'a str,
        message: &'a str,
        file: Option<String>,
    }
    #[derive(serde::Serialize)]
    struct ErrorDocument<'a> {
        error: ErrorBody<'a>,
        warnings: [Warning; 0],
    }
    output::json(
        out,
        &ErrorDocument {
            error: ErrorBody {
                code,
                message,
                file,
            },
            warnings: [],
        },
    )?;
    out.flush()?;
    Ok(())
}

/// A stable code for an error, for scripts.
fn error_code(e: &anyhow::Error) -> &'static str {
    use crate::pki::bundle::AddRefusal;
    use crate::pki::issue::IssueError;
    use crate::store::{AlreadyExists, CaExists, IsLink};
    for cause in e.chain() {
        if cause.is::<AlreadyExists>() || cause.is::<CaExists>() {
            return "exists";
        }
        if cause.is::<IsLink>() {
            return "link";
        }
        if cause.is::<IssueError>() {
            return "refused";
        }
        if cause.is::<AddRefusal>() {
            return "refused";
        }
        if cause.is::<crate::pki::ReadError>() {
            return "unreadable";
        }
        if let Some(io) = cause.downcast_ref::<io::Error>() {
            return match io.kind() {
                io::ErrorKind::NotFound => "not-found",
                io::ErrorKind::PermissionDenied => "permission",
                _ => "io",
            };
        }
    }
    let text = format!("{e:#}");
    if text.contains("no such file") {
        "not-found"
    } else {
        "failed"
    }
}

/// The input file an error is about: a command-line argument the message
/// starts with (`ca.pem: block 3: ...`).
fn error_file(message: &str) -> Option<String> {
    std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-') && !a.is_empty())
        .filter(|a| message.starts_with(&format!("{a}:")))
        .max_by_key(String::len)
}

fn annotate(e: io::Error) -> io::Error {
    io::Error::new(e.kind(), format!("writing to standard output: {e}"))
}

/// A reader that stops early (`| head`) is not an error.
fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|cause| {
        cause
            .downcast_ref::<io::Error>()
            .is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe)
    })
}

/// The clap command, for completions and man pages.
pub fn command() -> clap::Command {
    lazy::eager(Cli::command)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_color_turns_auto_off_but_not_always() {
        assert!(color_enabled(ColorChoice::Auto, true));
        assert!(!color_enabled(ColorChoice::Auto, false));
        assert!(color_enabled(ColorChoice::Always, false));
        assert!(!color_enabled(ColorChoice::Never, true));
    }

    #[test]
    fn the_clap_definition_is_consistent() {
        command().debug_assert();
    }
}
