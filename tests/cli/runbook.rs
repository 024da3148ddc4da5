//! The README, run as written: its `console` transcripts and `sh` blocks,
//! top to bottom, in one fresh store (the conventions are the README's,
//! under the runbook). `sh server` blocks start real nats-servers under
//! TLSCTL_INTEROP=1. Nothing here repeats the README's commands: edit the
//! README and this test runs the new text. `TLSCTL_BLESS=1` writes what the
//! transcripts printed back into README.md. Also the runbook's edges the
//! README does not show, and the user mistakes a first trial run found.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::{Duration, Instant};

use predicates::prelude::*;
use regex::Regex;
use serde_json::Value;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::interop::enabled;
use crate::natsrv::{NatsBinary, NatsServer, free_port, nats_binaries};
use crate::support::{Sandbox, fixture, stdout_of};

/// R3's not-before in the edge tests: two weeks after the tests' clock.
const R3_FROM: &str = "2027-06-15";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// ```console: `$` lines run, the output shown is compared.
    Transcript,
    /// ```sh: each line must succeed.
    Script,
    /// ```sh server: a script that needs nats-server.
    Server,
}

/// A runnable block of README.md: its kind and its lines (indentation of
/// a list item removed), each with its 0-based line number in the file.
#[derive(Debug)]
struct Block {
    kind: Kind,
    lines: Vec<(usize, String)>,
}

fn readme_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")
}

/// The runnable blocks, in order. Blocks of any other info string
/// (`sh skip`, `text`) are not run.
fn blocks(readme: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut open: Option<(Option<Kind>, usize, Vec<(usize, String)>)> = None;
    for (n, raw) in readme.lines().enumerate() {
        let trimmed = raw.trim_start();
        let indent = raw.len() - trimmed.len();
        if let Some(info) = trimmed.strip_prefix("```") {
            match open.take() {
                None => {
                    let kind = match info.trim() {
                        "console" => Some(Kind::Transcript),
                        "sh" => Some(Kind::Script),
                        "sh server" => Some(Kind::Server),
                        _ => None,
                    };
                    open = Some((kind, indent, Vec::new()));
                }
                Some((Some(kind), _, lines)) => out.push(Block { kind, lines }),
                Some((None, ..)) => {}
            }
            continue;
        }
        if let Some((_, indent, lines)) = &mut open {
            let line = raw.get(*indent..).unwrap_or(raw.trim_start());
            lines.push((n, line.to_owned()));
        }
    }
    assert!(open.is_none(), "README.md: a code block is not closed");
    out
}

/// The values that differ from run to run: pins, fingerprints, times,
/// days left, the sandbox's path.
fn mask(text: &str, sandbox: &Path) -> String {
    static RULES: std::sync::OnceLock<Vec<(Regex, &'static str)>> = std::sync::OnceLock::new();
    let rules = RULES.get_or_init(|| {
        [
            (r"[0-9a-f]{64}", "PIN"),
            (r"[0-9a-f]{8,63}…", "PIN…"),
            (r"(?:[0-9A-F]{2}:){31}[0-9A-F]{2}", "FINGERPRINT"),
            (r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(?: UTC|Z)", "TIME"),
            (r"\d+ days? left", "N days left"),
        ]
        .into_iter()
        .map(|(re, to)| (Regex::new(re).unwrap(), to))
        .collect()
    });
    let mut text = as_shown(text, sandbox);
    for (re, to) in rules {
        text = re.replace_all(&text, *to).into_owned();
    }
    text
}

/// Output as the README shows it: the sandbox is the reader's home, the
/// store the default one.
fn as_shown(text: &str, sandbox: &Path) -> String {
    let home = sandbox.display().to_string();
    text.replace(&format!("{home}/store"), "/home/you/.local/share/tlsctl")
        .replace(&home, "/home/you")
}

/// Runs the README in one sandbox: every block, in order; `server` says
/// which nats-server runs the `sh server` blocks (none: they are skipped).
struct Runner<'a> {
    sb: Sandbox,
    server: Option<&'a NatsBinary>,
    /// The clock before a `# (N days later)` line: the real time N days ago.
    past: Option<OffsetDateTime>,
    /// README's ports -> the free ports they stand for.
    ports: HashMap<&'static str, String>,
    /// By PID file: the servers the README started.
    servers: HashMap<String, NatsServer>,
    /// With TLSCTL_BLESS=1: (first line, lines shown, what was printed).
    blessed: Vec<(usize, usize, String)>,
}

impl Runner<'_> {
    fn run_readme(server: Option<&NatsBinary>) -> Runner<'_> {
        let readme = std::fs::read_to_string(readme_path()).unwrap();
        let blocks = blocks(&readme);
        assert!(
            blocks.iter().any(|b| b.kind == Kind::Server) && blocks.len() > 10,
            "README.md lost its runnable blocks"
        );
        let days_later = Regex::new(r"^# \((\d+) days? later").unwrap();
        let past = blocks.iter().flat_map(|b| &b.lines).find_map(|(_, l)| {
            let days: i64 = days_later.captures(l)?[1].parse().ok()?;
            Some(OffsetDateTime::now_utc() - time::Duration::days(days))
        });
        let mut runner = Runner {
            sb: Sandbox::new(),
            server,
            past,
            ports: ["4222", "4223"]
                .into_iter()
                .map(|p| (p, free_port().to_string()))
                .collect(),
            servers: HashMap::new(),
            blessed: Vec::new(),
        };
        for block in &blocks {
            match block.kind {
                Kind::Transcript => runner.transcript(block),
                Kind::Script => runner.script(block),
                Kind::Server if server.is_some() => runner.script(block),
                Kind::Server => {}
            }
        }
        runner
    }

    fn shell(&self, line: &str) -> Output {
        // Both streams in one, in the order written, as a terminal shows them.
        let mut cmd = self.sb.sh(&format!("exec 2>&1\n{line}"));
        if let Some(past) = self.past {
            cmd.env("TLSCTL_NOW", past.format(&Rfc3339).unwrap());
        }
        cmd.output().unwrap()
    }

    fn transcript(&mut self, block: &Block) {
        let bless = std::env::var_os("TLSCTL_BLESS").is_some_and(|v| v == "1");
        let mut last_status = 0;
        let mut i = 0;
        while i < block.lines.len() {
            let (n, line) = &block.lines[i];
            let command = line
                .strip_prefix("$ ")
                .unwrap_or_else(|| panic!("README.md:{}: not a `$ ` line: {line}", n + 1));
            let shown: Vec<&str> = block.lines[i + 1..]
                .iter()
                .map(|(_, l)| l.as_str())
                .take_while(|l| !l.starts_with("$ "))
                .collect();
            let printed = if command == "echo $?" {
                format!("{last_status}\n")
            } else {
                let out = self.shell(command);
                last_status = out.status.code().unwrap_or(-1);
                let next_is_status = block
                    .lines
                    .get(i + 1 + shown.len())
                    .is_some_and(|(_, l)| l == "$ echo $?");
                assert!(
                    last_status == 0 || next_is_status,
                    "README.md:{}: `{command}` exited {last_status}:\n{}",
                    n + 1,
                    String::from_utf8_lossy(&out.stdout)
                );
                String::from_utf8_lossy(&out.stdout).into_owned()
            };
            let expected: String = shown.iter().map(|l| format!("{l}\n")).collect();
            let dir = self.sb.dir.path();
            if shown.is_empty() {
                // Shown without output: it only has to succeed.
            } else if bless {
                self.blessed
                    .push((n + 1, shown.len(), as_shown(&printed, dir)));
            } else {
                assert_eq!(
                    mask(&printed, dir),
                    mask(&expected, dir),
                    "README.md:{}: `{command}` printed something else (TLSCTL_BLESS=1 \
                     writes what it printed into README.md)",
                    n + 1
                );
            }
            i += 1 + shown.len();
        }
    }

    fn script(&mut self, block: &Block) {
        let start = Regex::new(r"^nats-server -c (\S+) -P (\S+) &$").unwrap();
        let reload = Regex::new(r"^nats-server --signal reload=\$\(cat (\S+)\)$").unwrap();
        let mut joined: Vec<(usize, String)> = Vec::new();
        let mut continued = false;
        for (n, line) in &block.lines {
            match joined.last_mut() {
                Some((_, prev)) if continued => prev.push_str(line.trim_start()),
                _ => joined.push((*n, line.clone())),
            }
            continued = line.ends_with('\\');
            if continued {
                joined.last_mut().unwrap().1.pop();
            }
        }
        for (n, line) in joined {
            let mut line = line.trim().to_owned();
            if line.starts_with('#') {
                if line.contains("days later") {
                    self.past = None;
                }
                continue;
            }
            if block.kind == Kind::Server {
                for (readme_port, port) in &self.ports {
                    line = line.replace(readme_port, port);
                }
            }
            let bin = self.server.map(|b| b.path.display().to_string());
            if let Some(c) = start.captures(&line) {
                let (conf, pid_file) = (c[1].to_owned(), c[2].to_owned());
                self.start(&conf, &pid_file);
                continue;
            }
            if let Some(c) = reload.captures(&line) {
                let pid_file = c[1].to_owned();
                let line = line.replacen("nats-server", &bin.unwrap(), 1);
                self.reload(n, &line, &pid_file);
                continue;
            }
            let out = self.shell(&line);
            assert!(
                out.status.success(),
                "README.md:{}: `{line}` exited {}:\n{}{}",
                n + 1,
                out.status,
                String::from_utf8_lossy(&out.stdout),
                self.logs()
            );
        }
    }

    /// `nats-server -c CONF -P PIDFILE &`, started and waited for.
    fn start(&mut self, conf: &str, pid_file: &str) {
        let config =
            std::fs::read_to_string(self.sb.path(conf)).unwrap_or_else(|e| panic!("{conf}: {e}"));
        let port: u16 = Regex::new(r"(?m)^port: (\d+)$")
            .unwrap()
            .captures(&config)
            .unwrap_or_else(|| panic!("{conf} names no port:\n{config}"))[1]
            .parse()
            .unwrap();
        let name = conf.trim_end_matches(".conf");
        let server = NatsServer::start_with(
            self.server.unwrap(),
            self.sb.dir.path(),
            name,
            &config,
            port,
        );
        self.sb.write(pid_file, format!("{}\n", server.pid()));
        self.servers.insert(pid_file.to_owned(), server);
    }

    /// A reload, and the wait until the server's log says it is done.
    fn reload(&mut self, n: usize, line: &str, pid_file: &str) {
        let server = &self.servers[pid_file];
        let done = |s: &NatsServer| {
            s.log_text()
                .matches("Reloaded server configuration")
                .count()
        };
        let before = done(server);
        let out = self.shell(line);
        assert!(
            out.status.success(),
            "README.md:{}: `{line}`: {}",
            n + 1,
            String::from_utf8_lossy(&out.stdout)
        );
        let deadline = Instant::now() + Duration::from_secs(10);
        while done(server) == before {
            assert!(
                Instant::now() < deadline,
                "README.md:{}: the server did not reload:\n{}",
                n + 1,
                server.log_text()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn logs(&self) -> String {
        self.servers
            .values()
            .map(|s| s.log_text())
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// With TLSCTL_BLESS=1: README.md with what the transcripts printed.
    fn bless(&self) {
        if self.blessed.is_empty() {
            return;
        }
        let readme = std::fs::read_to_string(readme_path()).unwrap();
        let mut lines: Vec<String> = readme.lines().map(str::to_owned).collect();
        for (first, shown, printed) in self.blessed.iter().rev() {
            let indent: String = lines[first - 1].chars().take_while(|c| *c == ' ').collect();
            let new: Vec<String> = printed
                .lines()
                .map(|l| {
                    if l.is_empty() {
                        String::new()
                    } else {
                        format!("{indent}{l}")
                    }
                })
                .collect();
            lines.splice(*first..first + shown, new);
        }
        std::fs::write(readme_path(), lines.join("\n") + "\n").unwrap();
    }
}

#[test]
fn the_readme_runs_as_written() {
    // Without nats-server: every block but the `sh server` ones.
    let runner = Runner::run_readme(None);
    runner.bless();
    // The store is the one the README filled: the tour's CAs and the
    // runbook's staged R3, no clash between them.
    let list = stdout_of(runner.sb.cmd().args(["ca", "list"]));
    for ca in ["acme", "x3", "r3"] {
        assert!(list.contains(ca), "{list}");
    }
}

#[test]
fn the_readme_runs_as_written_with_nats_server_2_9_and_2_15() {
    if !enabled() {
        return;
    }
    for bin in nats_binaries() {
        let runner = Runner::run_readme(Some(&bin));
        assert_eq!(runner.servers.len(), 2, "{}", bin.version);
    }
}

/// acme -> x3 (active); node-a and node-b issued from x3 into versioned
/// directories; old.pem is x3, what the nodes trust today.
fn cluster() -> Sandbox {
    let sb = Sandbox::new();
    for args in [
        &["ca", "create", "acme", "--cn", "Acme Root"][..],
        &["ca", "create", "x3", "--parent", "acme", "--cn", "Acme X3"],
        &[
            "cert",
            "issue",
            "node-a.example",
            "10.0.0.1",
            "--ca",
            "x3",
            "--out",
            "node-a",
        ],
        &[
            "cert",
            "issue",
            "node-b.example",
            "10.0.0.2",
            "--ca",
            "x3",
            "--out",
            "node-b",
        ],
    ] {
        sb.cmd().args(args).assert().success();
    }
    sb.write("old.pem", stdout_of(sb.cmd().args(["ca", "export", "x3"])));
    sb
}

#[test]
fn renew_from_a_staged_ca_with_force_stages_the_certificate() {
    let sb = cluster();
    sb.cmd()
        .args([
            "ca",
            "create",
            "r3",
            "--parent",
            "acme",
            "--not-before",
            R3_FROM,
        ])
        .assert()
        .success();
    sb.cmd()
        .args(["cert", "renew", "node-a/cert.pem", "--ca", "r3", "--force"])
        .assert()
        .success()
        .stderr(predicate::str::contains("not valid until"));
    let issuer: Value = serde_json::from_str(&stdout_of(sb.cmd().args([
        "--json",
        "inspect",
        "node-a/cert.pem",
    ])))
    .unwrap();
    assert!(
        issuer["files"][0]["items"][0]["certificate"]["issuer"]
            .as_str()
            .unwrap()
            .contains("CN=r3"),
        "{issuer}"
    );
}

#[test]
fn a_pin_as_bundle_list_shows_it_removes_that_certificate() {
    let sb = Sandbox::new();
    for f in ["root.pem", "inter.pem", "inter-r.pem"] {
        std::fs::copy(fixture(&format!("chain/{f}")), sb.path(f)).unwrap();
    }
    sb.cmd()
        .args([
            "bundle",
            "add",
            "b.pem",
            "root.pem",
            "inter.pem",
            "inter-r.pem",
        ])
        .assert()
        .success();
    // The 16 digits and the ellipsis, copied from the table.
    let list = stdout_of(sb.cmd().args(["bundle", "list", "b.pem"]));
    let row = list.lines().find(|l| l.contains("Intermediate X")).unwrap();
    let shown = row.split_whitespace().last().unwrap();
    assert!(shown.ends_with('…') && shown.chars().count() == 17, "{row}");
    sb.cmd()
        .args(["bundle", "remove", "b.pem", "--pin", shown])
        .assert()
        .success()
        .stdout(predicate::str::contains("Intermediate X"));
    assert!(
        !std::fs::read_to_string(sb.path("b.pem"))
            .unwrap()
            .contains("Intermediate X\n")
    );
    // Fewer than 8 digits is refused; so is a prefix two pins share.
    sb.cmd()
        .args(["bundle", "remove", "b.pem", "--pin", "abcdef1"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("or the first 8 or more"));
    // A whole pin is never ambiguous, even when it is shorter to type.
    let pins: Vec<String> = stdout_of(sb.cmd().args(["pin", "--bare", "b.pem"]))
        .lines()
        .map(str::to_owned)
        .collect();
    assert_eq!(pins.len(), 2);
    sb.cmd()
        .args([
            "bundle",
            "remove",
            "b.pem",
            "--pin",
            &pins[0][..8],
            "--dry-run",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("Would remove 1"));
}
