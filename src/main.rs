//! The binary: parse, run, print the error once, exit with its code.

use std::process::ExitCode;

fn main() -> ExitCode {
    // A completion request (COMPLETE=SHELL, from the completion scripts) is
    // answered before anything else, and exits.
    tlsctl::cli::completions::complete_from_env();
    tlsctl::cli::main()
}
