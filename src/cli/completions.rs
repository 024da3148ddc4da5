//! `tlsctl completions SHELL`, and the generation of the committed
//! completions/ and man/ files (kept current by a test).

use std::io::Write;
use std::path::PathBuf;

use anyhow::Result;
use clap::Args;
use clap_complete::Shell;

use super::Status;

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// bash, zsh, fish, elvish or powershell
    #[arg(value_enum)]
    pub shell: Shell,
}

pub fn run_completions(args: &CompletionsArgs, out: &mut dyn Write) -> Result<Status> {
    let mut cmd = super::command();
    clap_complete::generate(args.shell, &mut cmd, "tlsctl", out);
    Ok(Status::Success)
}

/// Every generated file, as (path relative to the repository, contents):
/// one completion script per shell and one man page per command.
pub fn generated_files() -> Result<Vec<(PathBuf, Vec<u8>)>> {
    let mut files = Vec::new();
    for shell in [
        Shell::Bash,
        Shell::Zsh,
        Shell::Fish,
        Shell::Elvish,
        Shell::PowerShell,
    ] {
        let mut buf = Vec::new();
        clap_complete::generate(shell, &mut super::command(), "tlsctl", &mut buf);
        let name = match shell {
            Shell::Bash => "tlsctl.bash".to_owned(),
            Shell::Zsh => "_tlsctl".to_owned(),
            Shell::Fish => "tlsctl.fish".to_owned(),
            Shell::Elvish => "tlsctl.elv".to_owned(),
            Shell::PowerShell => "_tlsctl.ps1".to_owned(),
            other => format!("tlsctl.{other}"),
        };
        files.push((PathBuf::from("completions").join(name), buf));
    }
    let mut cmd = super::command();
    cmd.build();
    man_pages(&cmd, "tlsctl", &mut files)?;
    Ok(files)
}

fn man_pages(cmd: &clap::Command, name: &str, files: &mut Vec<(PathBuf, Vec<u8>)>) -> Result<()> {
    let mut buf = Vec::new();
    clap_mangen::Man::new(cmd.clone().name(name.to_owned())).render(&mut buf)?;
    files.push((PathBuf::from("man").join(format!("{name}.1")), buf));
    for sub in cmd.get_subcommands() {
        if sub.get_name() == "help" {
            continue;
        }
        man_pages(sub, &format!("{name}-{}", sub.get_name()), files)?;
    }
    Ok(())
}
