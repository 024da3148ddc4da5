//! `tlsctl completions SHELL`, and the generation of the committed
//! completions/ and man/ files (kept current by a test).
//!
//! Completions are clap_complete's dynamic ones: the script a shell loads
//! calls `COMPLETE=SHELL tlsctl -- WORDS` at each TAB (see `complete_from_env`,
//! called first thing in `main`), so values that live in the store (CA
//! names for `--ca`, `--parent`, `ca show`, `ca export`) are offered as they
//! are now. Man pages are clap_mangen's, with the sections clap has no
//! notion of (EXAMPLES, EXIT STATUS, ENVIRONMENT, FILES, SEE ALSO, and the
//! keys of `tlsctl tui`) added here.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Result;
use clap::Args;
use clap_complete::env::EnvCompleter;
use clap_complete::{ArgValueCandidates, CompletionCandidate, Shell};

use super::Status;
use crate::tui::keymap::{self, Mode};

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// bash, zsh, fish, elvish or powershell
    #[arg(value_enum)]
    pub shell: Shell,
}

/// The variable that asks tlsctl for completions instead of running.
const COMPLETE_VAR: &str = "COMPLETE";

pub fn run_completions(args: &CompletionsArgs, out: &mut dyn Write) -> Result<Status> {
    registration(args.shell, out)?;
    Ok(Status::Success)
}

/// The script a shell sources: it asks `tlsctl` itself for each completion.
fn registration(shell: Shell, out: &mut dyn Write) -> Result<()> {
    use clap_complete::env::{Bash, Elvish, Fish, Powershell, Zsh};
    let completer: &dyn EnvCompleter = match shell {
        Shell::Bash => &Bash,
        Shell::Zsh => &Zsh,
        Shell::Fish => &Fish,
        Shell::Elvish => &Elvish,
        Shell::PowerShell => &Powershell,
        other => anyhow::bail!("no completion for {other}"),
    };
    completer.write_registration(COMPLETE_VAR, "tlsctl", "tlsctl", "tlsctl", out)?;
    Ok(())
}

/// Answers a completion request (`COMPLETE=SHELL tlsctl -- WORDS`) and
/// exits; returns at once when there is none. Called first in `main`.
pub fn complete_from_env() {
    clap_complete::CompleteEnv::with_factory(command)
        .var(COMPLETE_VAR)
        .complete();
}

/// The names of the store's CAs (`TLSCTL_HOME` or the default store), for
/// completion; nothing when there is no store.
fn ca_names() -> Vec<CompletionCandidate> {
    let dir = std::env::var_os("TLSCTL_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from);
    let env = crate::ops::Env::new(dir, crate::ops::Clock::System);
    let Ok(store) = env.store() else {
        return Vec::new();
    };
    store
        .list_cas()
        .map(|cas| {
            cas.into_iter()
                .map(|ca| CompletionCandidate::new(ca.name))
                .collect()
        })
        .unwrap_or_default()
}

/// The clap command with the completers of store values attached (the
/// argument definitions stay in their command files).
pub fn command() -> clap::Command {
    let names = || ArgValueCandidates::new(ca_names);
    super::command()
        .mut_subcommand("ca", |ca| {
            ca.mut_subcommand("create", |c| c.mut_arg("parent", |a| a.add(names())))
                .mut_subcommand("show", |c| c.mut_arg("name", |a| a.add(names())))
                .mut_subcommand("export", |c| c.mut_arg("name", |a| a.add(names())))
        })
        .mut_subcommand("cert", |cert| {
            cert.mut_subcommand("issue", |c| c.mut_arg("ca", |a| a.add(names())))
                .mut_subcommand("renew", |c| c.mut_arg("ca", |a| a.add(names())))
        })
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
        registration(shell, &mut buf)?;
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
    let mut cmd = without_help_subcommands(super::command());
    cmd.build();
    man_pages(&cmd, "tlsctl", None, &mut files)?;
    Ok(files)
}

/// The command tree without clap's `help` subcommands, which have no page.
fn without_help_subcommands(cmd: clap::Command) -> clap::Command {
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_owned())
        .collect();
    names.into_iter().fold(
        cmd.disable_help_subcommand(true),
        |cmd: clap::Command, name| cmd.mut_subcommand(name, without_help_subcommands),
    )
}

fn man_pages(
    cmd: &clap::Command,
    name: &str,
    parent: Option<(&str, &clap::Command)>,
    files: &mut Vec<(PathBuf, Vec<u8>)>,
) -> Result<()> {
    let mut buf = Vec::new();
    clap_mangen::Man::new(cmd.clone().name(name.to_owned())).render(&mut buf)?;
    let page = String::from_utf8(buf)?;
    let sections = extra_sections(name, cmd, parent);
    // Before VERSION, which clap_mangen writes last.
    let page = match page.find("\n.SH VERSION\n") {
        Some(at) => format!("{}\n{sections}{}", &page[..at], &page[at + 1..]),
        None => format!("{page}{sections}"),
    };
    files.push((
        PathBuf::from("man").join(format!("{name}.1")),
        page.into_bytes(),
    ));
    for sub in cmd.get_subcommands() {
        man_pages(
            sub,
            &format!("{name}-{}", sub.get_name()),
            Some((name, cmd)),
            files,
        )?;
    }
    Ok(())
}

/// Text for roff: backslashes and hyphens escaped, no line starting with a
/// control character.
fn roff(text: &str) -> String {
    let escaped = text
        .replace('\\', "\\e")
        .replace('-', "\\-")
        .replace('↓', "\\(da")
        .replace('↑', "\\(ua")
        .replace('←', "\\(<-")
        .replace('→', "\\(->")
        .replace('—', "\\(em");
    escaped
        .lines()
        .map(|l| {
            if l.starts_with(['.', '\'']) {
                format!("\\&{l}")
            } else {
                l.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn section(out: &mut String, title: &str) {
    out.push_str(&format!(".SH \"{title}\"\n"));
}

/// `.TP` items: a bold term, then its text.
fn items(out: &mut String, items: &[(&str, &str)]) {
    for (term, text) in items {
        out.push_str(&format!(".TP\n\\fB{}\\fR\n{}\n", roff(term), roff(text)));
    }
}

fn extra_sections(
    name: &str,
    cmd: &clap::Command,
    parent: Option<(&str, &clap::Command)>,
) -> String {
    let mut out = String::new();
    if name == "tlsctl-tui" {
        section(&mut out, "KEYS");
        out.push_str(&roff(
            "The keys, from the key table the terminal UI itself uses (? shows them too).",
        ));
        out.push('\n');
        for (mode, title) in [
            (Mode::Normal, "In the lists and views"),
            (Mode::Typing, "In forms, prompts and the filter"),
            (Mode::Confirm, "At a confirmation"),
            (Mode::Help, "In the help"),
        ] {
            out.push_str(&format!(".SS \"{title}\"\n"));
            let lines = keymap::mode_lines(mode);
            let pairs: Vec<(&str, &str)> = lines.iter().map(|(k, h)| (k.as_str(), *h)).collect();
            items(&mut out, &pairs);
        }
    }
    let examples = examples(name);
    if !examples.is_empty() {
        section(&mut out, "EXAMPLES");
        for (what, command) in examples {
            out.push_str(&format!(
                ".PP\n{}\n.PP\n.RS 4\n.EX\n{}\n.EE\n.RE\n",
                roff(what),
                roff(command)
            ));
        }
    }
    section(&mut out, "EXIT STATUS");
    let problem = exit_problem(name);
    items(
        &mut out,
        &[
            ("0", "Success."),
            ("1", problem),
            (
                "2",
                "A usage error or unreadable input; one message on standard error names the \
                 file and what to do. With --json, standard output holds the error as a \
                 document too.",
            ),
        ],
    );
    out.push_str(".PP\n");
    out.push_str(&roff(
        "A closed standard output (a pipe into head) is not an error.",
    ));
    out.push('\n');
    section(&mut out, "ENVIRONMENT");
    items(
        &mut out,
        &[
            (
                "TLSCTL_HOME",
                "The store of CAs and issued certificates, when --store is not given \
                 [default: ~/.local/share/tlsctl]. Set but empty is an error.",
            ),
            (
                "NO_COLOR",
                "Set and not empty: no colour under --color auto (https://no-color.org). \
                 The terminal UI then shows selection and focus by reverse video, a > \
                 marker and a thick border.",
            ),
            ("CLICOLOR", "0: no colour under --color auto."),
            (
                "CLICOLOR_FORCE",
                "Set and not 0: colour under --color auto even when standard output is not \
                 a terminal.",
            ),
            ("TERM", "dumb: no colour under --color auto."),
            (
                "COLUMNS",
                "The width tables are sized to when it is set; without it, the terminal's \
                 width, and no limit on a pipe.",
            ),
            (
                "COMPLETE",
                "Set by the completion scripts (tlsctl completions SHELL) to ask tlsctl for \
                 the completions of a command line.",
            ),
        ],
    );
    section(&mut out, "FILES");
    items(
        &mut out,
        &[
            ("$TLSCTL_HOME/cas/NAME/ca.pem", "A CA certificate (0644)."),
            (
                "$TLSCTL_HOME/cas/NAME/ca.key",
                "Its private key, PKCS#8 PEM, 0600 from creation; never printed.",
            ),
            (
                "$TLSCTL_HOME/cas/NAME/meta.json",
                "Its name, parent, key type and creation time.",
            ),
            (
                "$TLSCTL_HOME/certs/NAME/",
                "Leaves issued without --out or --cert-out: cert.pem, key.pem and ca.pem, \
                 links into a version directory that cert renew switches with one rename.",
            ),
            (
                "$TLSCTL_HOME/issued.json",
                "Where each issued leaf and its key went, and which CA signed it.",
            ),
            (
                "$TLSCTL_HOME/.store.lock",
                "Serialises the commands that change the store.",
            ),
            (
                "BUNDLE and .BUNDLE.lock",
                "A bundle tlsctl writes is canonical (# comment lines outside each PEM \
                 block) and written atomically under a lock file beside it.",
            ),
        ],
    );
    section(&mut out, "SEE ALSO");
    let mut see: Vec<String> = Vec::new();
    if let Some((parent_name, parent_cmd)) = parent {
        if parent_name != "tlsctl" {
            see.push("tlsctl(1)".to_owned());
        }
        see.push(format!("{parent_name}(1)"));
        see.extend(
            parent_cmd
                .get_subcommands()
                .filter(|s| format!("{parent_name}-{}", s.get_name()) != name)
                .map(|s| format!("{parent_name}-{}(1)", s.get_name())),
        );
    }
    see.extend(
        cmd.get_subcommands()
            .map(|s| format!("{name}-{}(1)", s.get_name())),
    );
    see.extend(["openssl-x509(1)".to_owned(), "nats-server(8)".to_owned()]);
    let refs: Vec<String> = see
        .iter()
        .map(|s| {
            let (page, num) = s.split_once('(').unwrap_or((s, "1)"));
            format!("\\fB{}\\fR({num}", roff(page))
        })
        .collect();
    out.push_str(&refs.join(", "));
    out.push('\n');
    out
}

/// What exit status 1 means for a page's command.
fn exit_problem(page: &str) -> &'static str {
    match page {
        "tlsctl-lint" => "The lint found errors.",
        "tlsctl-verify" => "The chain does not verify for the purpose (or host) asked.",
        "tlsctl-bundle-diff" => {
            "With --check: a peer that verifies against OLD does not against NEW."
        }
        "tlsctl-bundle-lint" => "The bundle has errors.",
        "tlsctl-bundle-remove" => {
            "Nothing matched the selectors, or you answered no at the prompt (nothing removed)."
        }
        "tlsctl-probe" => "The served chain does not verify, or a --pin does not match.",
        "tlsctl-nats-check" => {
            "With --check: a connection is broken or one-way, a finding is an error (nats-server \
             would refuse to start or a peer would refuse the node), or a --peer is refused; \
             after --replace when given."
        }
        "tlsctl-nats-explain" => "The log records TLS or authentication failures (explained).",
        "tlsctl-nats" => {
            "nats check --check found a broken connection, an error or a refused peer; nats \
             explain explained failures."
        }
        "tlsctl-ca-install" | "tlsctl-ca-uninstall" => {
            "A trust store needs root: the commands to run as root are printed."
        }
        "tlsctl" | "tlsctl-bundle" => {
            "A check found a problem: lint errors, a failed verify, a lost peer under bundle \
             diff --check, a probe whose chain or pin fails, nothing matched by bundle remove or no \
             answered at its prompt."
        }
        _ => "Not used by this command.",
    }
}

/// EXAMPLES for each page, from the README's tour and rotation runbook:
/// (what it does, the command). A test parses every command with the clap
/// definition, so an example cannot name a flag that does not exist.
pub fn examples(page: &str) -> &'static [(&'static str, &'static str)] {
    match page {
        "tlsctl" => &[
            ("A root CA:", "tlsctl ca create acme --cn \"Acme Root\""),
            (
                "A node certificate for a NATS route (serverAuth and clientAuth):",
                "tlsctl cert issue node-a.nats.internal 10.0.0.1 --ca x3 --out node-a",
            ),
            (
                "Who a roll from X3 to R3 cuts off:",
                "tlsctl bundle diff x3.pem r3.pem --peer node-a/cert.pem --peer node-b/cert.pem",
            ),
            (
                "The pinned_certs block for two nodes:",
                "tlsctl pin --nats node-a/cert.pem node-b/cert.pem",
            ),
        ],
        "tlsctl-ca-import" => &[
            (
                "An openssl-made root and its key into the store, to issue from it:",
                "tlsctl ca import corp --cert root.pem --key root.key",
            ),
            (
                "An intermediate with an encrypted PKCS#8 key and its chain:",
                "tlsctl ca import issuing --cert inter.pem --key inter.key --chain root.pem --key-password-file pass.txt",
            ),
        ],
        "tlsctl-cert-sign" => &[
            (
                "Sign a request made by openssl or certtool, with the default CA:",
                "tlsctl cert sign node.csr --out node",
            ),
            (
                "Sign from an intermediate, replacing the request's names:",
                "tlsctl cert sign node.csr --ca x3 --san node-a.example --san 10.0.0.1 --cert-out node.pem",
            ),
        ],
        "tlsctl-cert-p12" => &[
            (
                "A PKCS#12 file for a Java or .NET client:",
                "tlsctl cert p12 --cert client.pem --key client.key --out client.p12 --password-file pass.txt",
            ),
            (
                "For old readers (3DES):",
                "tlsctl cert p12 --cert client.pem --key client.key --out old.p12 --password-file pass.txt --legacy",
            ),
        ],
        "tlsctl-ca" | "tlsctl-ca-create" => &[
            ("A root CA:", "tlsctl ca create acme --cn \"Acme Root\""),
            (
                "The active intermediate under it:",
                "tlsctl ca create x3 --parent acme --cn \"Acme X3\"",
            ),
            (
                "A standby, staged: valid only from the day of the roll:",
                "tlsctl ca create r3 --parent acme --cn \"Acme R3\" --not-before +14d",
            ),
            (
                "An intermediate that may sign one more level of CAs:",
                "tlsctl ca create issuing --parent acme --path-len 1 --org \"Acme Ops\"",
            ),
        ],
        "tlsctl-ca-list" => &[(
            "The store as a tree (a staged standby is shown as staged):",
            "tlsctl ca list",
        )],
        "tlsctl-ca-show" => &[("One CA, with its pin and validity:", "tlsctl ca show r3")],
        "tlsctl-ca-export" => &[
            (
                "The certificate of R3, to add to a bundle:",
                "tlsctl ca export r3",
            ),
            (
                "With its issuers, up to the root:",
                "tlsctl ca export r3 --chain",
            ),
        ],
        "tlsctl-cert" | "tlsctl-cert-issue" => &[
            (
                "A dual-use node certificate from X3 into a versioned directory:",
                "tlsctl cert issue node-a.nats.internal 10.0.0.1 --ca x3 --out node-a",
            ),
            (
                "A server-only certificate to separate files:",
                "tlsctl cert issue route.example --usage server --cert-out route.pem --key-out route.key",
            ),
            (
                "On a fresh machine (a CA named default is made first):",
                "tlsctl cert issue localhost 127.0.0.1 ::1",
            ),
        ],
        "tlsctl-cert-renew" => &[
            (
                "Renew from R3 keeping the key (and so the pin):",
                "tlsctl cert renew node/cert.pem --ca r3",
            ),
            (
                "Renew with a new key (update pinned_certs first):",
                "tlsctl cert renew node/cert.pem --ca r3 --rekey",
            ),
        ],
        "tlsctl-inspect" => &[(
            "Everything a certificate says, the pin and fingerprint apart:",
            "tlsctl inspect node-a/cert.pem",
        )],
        "tlsctl-lint" => &[(
            "Is this certificate good for a NATS route to 10.0.0.9?",
            "tlsctl lint route.pem --role nats-route --host 10.0.0.9",
        )],
        "tlsctl-verify" => &[(
            "Does node-a verify against the bundle, as a client would check a server?",
            "tlsctl verify node-a/cert.pem --bundle trust.pem --purpose server",
        )],
        "tlsctl-pin" => &[
            (
                "A ready pinned_certs block:",
                "tlsctl pin --nats node-a/cert.pem node-b/cert.pem",
            ),
            (
                "Only the hex, for scripts:",
                "tlsctl pin --bare node-a/cert.pem",
            ),
        ],
        "tlsctl-bundle" | "tlsctl-bundle-add" => &[(
            "Widen the bundle with the standby (runbook step 2):",
            "tlsctl bundle add trust.pem x3.pem r3.pem",
        )],
        "tlsctl-bundle-remove" => &[(
            "Narrow the bundle once no peer presents an X3 chain (runbook step 7):",
            "tlsctl bundle remove narrow.pem --subject \"Acme X3\"",
        )],
        "tlsctl-bundle-list" => &[
            ("The bundle as a table:", "tlsctl bundle list trust.pem"),
            (
                "The bundle a ConfigMap holds (kubectl get configmap nats-ca -o yaml):",
                "tlsctl bundle list nats-ca.yaml#ca.pem",
            ),
        ],
        "tlsctl-bundle-lint" => &[(
            "Duplicates, expired or staged CAs, leaves, key material:",
            "tlsctl bundle lint trust.pem",
        )],
        "tlsctl-bundle-diff" => &[
            (
                "The ConfigMap in the cluster against the new bundle, peers from their Secrets:",
                "tlsctl bundle diff live-ca.yaml trust.pem --peer node-a-tls.yaml --check",
            ),
            (
                "Who the roll cuts off:",
                "tlsctl bundle diff x3.pem r3.pem --peer node-a/cert.pem --peer node-b/cert.pem",
            ),
            (
                "Every current peer is kept (exit 1 if not):",
                "tlsctl bundle diff old.pem trust.pem --peer node-a/cert.pem --check",
            ),
            (
                "As of the day the staged R3 becomes valid (runbook step 3):",
                "tlsctl bundle diff old.pem trust.pem --peer node-a/cert.pem --check --at +14d",
            ),
        ],
        "tlsctl-nats-check" => &[
            (
                "Every TLS block of a cluster and which route breaks:",
                "tlsctl nats check n1.conf n2.conf n3.conf",
            ),
            (
                "Rehearse a new ca_file before shipping it (exit 1 if a route breaks):",
                "tlsctl nats check n1.conf n2.conf n3.conf --replace /etc/nats/ca.pem=new-ca.pem --check",
            ),
            (
                "The Helm chart's ConfigMap, its certificate volumes read from Secret manifests:",
                "tlsctl nats check nats-config.yaml --mount /etc/nats-certs/cluster=cluster-tls.yaml --mount /etc/nats-certs/nats=nats-tls.yaml",
            ),
            (
                "Would the fleet accept the chain a new node serves right now?",
                "tlsctl nats check n1.conf n2.conf n3.conf --peer node-d.example:6222 --check",
            ),
        ],
        "tlsctl-nats" | "tlsctl-nats-config" => &[
            (
                "A cluster block that verifies peers and pins them:",
                "tlsctl nats config --cert node-a/cert.pem --key node-a/key.pem --ca trust.pem --block cluster --verify --pin node-b/cert.pem",
            ),
            (
                "A leaf's remote to its hub, the tls block inside the remote:",
                "tlsctl nats config --cert leaf/cert.pem --key leaf/key.pem --ca trust.pem --block leafnodes --remote tls://hub.example:7422",
            ),
            (
                "Routes mapped to a user, with the cluster user they need:",
                "tlsctl nats config --cert node-a/cert.pem --key node-a/key.pem --ca trust.pem --block cluster --verify-and-map --server-version 2.9.10",
            ),
            (
                "From the Secret and ConfigMap manifests, for the pod that mounts them:",
                "tlsctl nats config --cert nats-tls.yaml --key nats-tls.yaml --ca nats-ca.yaml#ca.pem --block cluster --mount-dir /etc/nats-certs/cluster --ca-mount-dir /etc/nats-ca-cert",
            ),
        ],
        "tlsctl-nats-explain" => &[
            (
                "Why a route keeps failing, and which local file holds the certificate it refused:",
                "tlsctl nats explain /var/log/nats/n1.log --conf n1.conf --bundle trust.pem",
            ),
            (
                "Standard input (kubectl logs nats-0 | ...), as one JSON document; exit 1 if anything failed:",
                "tlsctl nats explain - --json --no-store",
            ),
        ],
        "tlsctl-bundle-export" => &[
            (
                "The bundle as a ConfigMap for the NATS Helm chart or trust-manager:",
                "tlsctl bundle export trust.pem --configmap nats-ca --namespace nats --out nats-ca.yaml",
            ),
            (
                "On stdout, for kubectl apply -f -:",
                "tlsctl bundle export trust.pem --configmap nats-ca --key ca.crt",
            ),
        ],
        "tlsctl-ca-install" => &[
            (
                "Trust the dev root on this machine (system store as root; Firefox and Chrome's NSS databases as the user):",
                "tlsctl ca install default",
            ),
            ("What it would do:", "tlsctl ca install default --dry-run"),
        ],
        "tlsctl-ca-uninstall" => &[
            ("Stop trusting it:", "tlsctl ca uninstall default"),
            (
                "What it would remove:",
                "tlsctl ca uninstall default --dry-run",
            ),
        ],
        "tlsctl-probe" => &[
            (
                "A node presents a chain the bundle trusts (runbook step 4):",
                "tlsctl probe node-a.example:4222 --ca trust.pem --cert client.pem --key client.key",
            ),
            (
                "The node serves the expected key (runbook step 5):",
                "tlsctl probe node-a.example:4222 --ca trust.pem --pin node/cert.pem",
            ),
        ],
        "tlsctl-serve" => &[(
            "An mTLS endpoint that reloads its files, to rehearse a rotation:",
            "tlsctl serve --cert node-a/cert.pem --key node-a/key.pem --ca trust.pem --watch",
        )],
        "tlsctl-tui" => &[
            ("The store:", "tlsctl tui"),
            ("A bundle:", "tlsctl tui trust.pem"),
            (
                "The rotation diff with the peers' verdicts:",
                "tlsctl tui --diff old.pem trust.pem --peer node-a/cert.pem",
            ),
            (
                "The fleet view of three nodes' configs (R rehearses a replacement):",
                "tlsctl tui --conf node-a.conf node-b.conf node-c.conf",
            ),
            (
                "The fleet before and after a new trust bundle, with a leaf's live chain judged by every block:",
                "tlsctl tui --conf node-a.conf node-b.conf --replace ca.pem=trust.pem --peer leaf.example.com:7422",
            ),
            (
                "The fleet of a Kubernetes deployment, judged a month from now for nats-server 2.9.10:",
                "tlsctl tui --conf nats-cm.yaml --mount /etc/nats-certs/cluster=nats-tls.yaml --at +30d --server-version 2.9.10",
            ),
        ],
        "tlsctl-completions" => &[
            (
                "Bash (CA names are completed from the store):",
                "tlsctl completions bash",
            ),
            ("Zsh:", "tlsctl completions zsh"),
        ],
        _ => &[],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Splits a command as a shell would, for the double quotes examples use.
    fn words(command: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut word = String::new();
        let mut quoted = false;
        for c in command.chars() {
            match c {
                '"' => quoted = !quoted,
                ' ' if !quoted => {
                    if !word.is_empty() {
                        out.push(std::mem::take(&mut word));
                    }
                }
                c => word.push(c),
            }
        }
        if !word.is_empty() {
            out.push(word);
        }
        out
    }

    #[test]
    fn every_page_has_examples_that_parse() {
        let files = generated_files().unwrap();
        for (path, bytes) in &files {
            let Some(page) = path
                .strip_prefix("man")
                .ok()
                .and_then(|p| p.to_str())
                .and_then(|p| p.strip_suffix(".1"))
            else {
                continue;
            };
            let text = String::from_utf8_lossy(bytes);
            for heading in [
                "EXAMPLES",
                "EXIT STATUS",
                "ENVIRONMENT",
                "FILES",
                "SEE ALSO",
            ] {
                assert!(
                    text.contains(&format!(".SH \"{heading}\"")),
                    "{page}: no {heading}"
                );
            }
            assert!(!text.contains("help(1)"), "{page} names a help page");
            for (_, command) in examples(page) {
                let argv = words(command);
                if let Err(e) = <super::super::Cli as clap::Parser>::try_parse_from(&argv) {
                    panic!("{page}: example {command:?} does not parse: {e}");
                }
                assert!(
                    command.starts_with(&page.replace('-', " ")),
                    "{page}: {command} is not an example of this command"
                );
            }
        }
    }

    #[test]
    fn the_tui_page_lists_every_key_of_the_table() {
        let files = generated_files().unwrap();
        let (_, page) = files
            .iter()
            .find(|(p, _)| p.ends_with("man/tlsctl-tui.1"))
            .unwrap();
        let page = String::from_utf8_lossy(page);
        assert!(page.contains(".SH \"KEYS\""));
        for b in keymap::BINDINGS {
            let keys: Vec<String> = b.keys.iter().map(|k| keymap::key_name(*k)).collect();
            assert!(
                page.contains(&roff(b.help)),
                "{:?} {:?} is not on the page",
                keys,
                b.help
            );
        }
        assert!(page.contains("\\fBC\\-w\\fR"), "ctrl-w");
    }
}
