//! [`Lazy`]: a command's arguments (or a group's subcommands) built only
//! when the command line names it.
//!
//! clap's derive builds every command and argument of the whole tree before
//! it reads the first word: for tlsctl's dozens of commands, about 0.4 ms of
//! every run, a tenth of `cert issue`. Each top-level command is wrapped
//! in `Lazy`, whose part of the tree is a `Command::defer`red builder that
//! clap runs when it enters that command. Completions, the man pages and
//! clap's own consistency checks need the whole tree at once: they build it
//! through [`eager`].

use std::ops::Deref;
use std::sync::atomic::{AtomicBool, Ordering};

use clap::{ArgMatches, Args, Command, FromArgMatches, Subcommand};

/// Set while [`eager`] builds: [`Lazy`] then builds at once.
static EAGER: AtomicBool = AtomicBool::new(false);

/// What `build` returns with nothing deferred: the whole command tree, as
/// completion and the man pages walk it.
pub fn eager<T>(build: impl FnOnce() -> T) -> T {
    EAGER.store(true, Ordering::Relaxed);
    let built = build();
    EAGER.store(false, Ordering::Relaxed);
    built
}

fn deferred(cmd: Command, build: fn(Command) -> Command) -> Command {
    if EAGER.load(Ordering::Relaxed) {
        build(cmd)
    } else {
        cmd.defer(build)
    }
}

/// `T`, whose clap definition is deferred until its command is entered.
#[derive(Debug)]
pub struct Lazy<T>(pub T);

impl<T> Deref for Lazy<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: FromArgMatches> FromArgMatches for Lazy<T> {
    fn from_arg_matches(matches: &ArgMatches) -> Result<Self, clap::Error> {
        T::from_arg_matches(matches).map(Lazy)
    }

    fn from_arg_matches_mut(matches: &mut ArgMatches) -> Result<Self, clap::Error> {
        T::from_arg_matches_mut(matches).map(Lazy)
    }

    fn update_from_arg_matches(&mut self, matches: &ArgMatches) -> Result<(), clap::Error> {
        self.0.update_from_arg_matches(matches)
    }

    fn update_from_arg_matches_mut(&mut self, matches: &mut ArgMatches) -> Result<(), clap::Error> {
        self.0.update_from_arg_matches_mut(matches)
    }
}

impl<T: Args> Args for Lazy<T> {
    fn augment_args(cmd: Command) -> Command {
        deferred(cmd, T::augment_args)
    }

    fn augment_args_for_update(cmd: Command) -> Command {
        deferred(cmd, T::augment_args_for_update)
    }

    fn group_id() -> Option<clap::Id> {
        T::group_id()
    }
}

impl<T: Subcommand> Subcommand for Lazy<T> {
    fn augment_subcommands(cmd: Command) -> Command {
        deferred(cmd, T::augment_subcommands)
    }

    fn augment_subcommands_for_update(cmd: Command) -> Command {
        deferred(cmd, T::augment_subcommands_for_update)
    }

    fn has_subcommand(name: &str) -> bool {
        T::has_subcommand(name)
    }
}
