//! Runs a markdown document as written (README.md, JSON.md): its `console`
//! transcripts (each `$` line runs; the output shown must be what it
//! prints, with pins, fingerprints, serials, times and days left masked; a
//! command shown without output must succeed or be followed by `echo $?`)
//! and its `sh` blocks (each line must succeed; `!` expects a failure), top
//! to bottom, in one fresh sandbox store. `sh server` and `console server`
//! blocks need nats-server: they run only when a release is given, with free
//! ports in place of 4222 and 4223; `nats-server -c CONF -P PIDFILE &` is
//! started (and waited for) by the runner, and `nats-server --signal
//! reload=$(cat PIDFILE)` waited for until the log says it reloaded. A
//! `# (N days later...)` line runs what comes before it N days in the past
//! (nats-server reads the real clock). `TLSCTL_BLESS=1` writes what the
//! transcripts printed back into the document.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::{Duration, Instant};

use regex::Regex;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::natsrv::{NatsBinary, NatsServer, free_port};
use crate::support::Sandbox;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// ```console: `$` lines run, the output shown is compared.
    Transcript,
    /// ```sh: each line must succeed.
    Script,
    /// ```sh server: a script that needs nats-server.
    Server,
    /// ```console server: a transcript that needs nats-server.
    TranscriptServer,
    /// ```console debian: a transcript that needs Debian's
    /// update-ca-certificates (`ca install`), run only where it is.
    TranscriptDebian,
}

/// Whether this machine has Debian's system trust store tool.
fn has_update_ca_certificates() -> bool {
    [
        "/usr/sbin/update-ca-certificates",
        "/sbin/update-ca-certificates",
    ]
    .iter()
    .any(|p| Path::new(p).exists())
}

/// A runnable block of README.md: its kind and its lines (indentation of
/// a list item removed), each with its 0-based line number in the file.
#[derive(Debug)]
pub struct Block {
    pub kind: Kind,
    pub lines: Vec<(usize, String)>,
}

pub fn doc_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(name)
}

/// The runnable blocks, in order. Blocks of any other info string
/// (`sh skip`, `text`) are not run.
pub fn blocks(readme: &str) -> Vec<Block> {
    let mut out = Vec::new();
    // The block being read: its kind (None: not run), indentation, lines.
    type Open = (Option<Kind>, usize, Vec<(usize, String)>);
    let mut open: Option<Open> = None;
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
                        "console server" => Some(Kind::TranscriptServer),
                        "console debian" => Some(Kind::TranscriptDebian),
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
pub fn mask(text: &str, sandbox: &Path) -> String {
    static RULES: std::sync::OnceLock<Vec<(Regex, &'static str)>> = std::sync::OnceLock::new();
    let rules = RULES.get_or_init(|| {
        [
            (
                r"-----BEGIN ([A-Z ]+)-----[^-]*-----END [A-Z ]+-----",
                "PEM",
            ),
            (r"\bN[A-Z0-9]{55}\b", "SERVER-ID"),
            (r"[0-9a-f]{64}", "PIN"),
            (r"[0-9a-f]{8,63}…", "PIN…"),
            (r"(?:[0-9A-F]{2}:){31}[0-9A-F]{2}", "FINGERPRINT"),
            (r"(?:[0-9a-f]{2}:){4,}[0-9a-f]{2}", "KEY-ID"),
            (r"\b[0-9a-f]{16,40}\b", "SERIAL"),
            (r#""days_left": -?\d+"#, r#""days_left": N"#),
            (
                r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?: UTC|Z)",
                "TIME",
            ),
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
pub struct Runner<'a> {
    /// The document, to name its lines.
    doc: &'static str,
    pub sb: Sandbox,
    server: Option<&'a NatsBinary>,
    /// The clock before a `# (N days later)` line: the real time N days ago.
    past: Option<OffsetDateTime>,
    /// README's ports -> the free ports they stand for.
    ports: HashMap<&'static str, String>,
    /// By PID file: the servers the README started.
    pub servers: HashMap<String, NatsServer>,
    /// With TLSCTL_BLESS=1: (first line, lines shown, what was printed).
    blessed: Vec<(usize, usize, String)>,
}

impl Runner<'_> {
    pub fn run_doc<'a>(doc: &'static str, server: Option<&'a NatsBinary>) -> Runner<'a> {
        let text = std::fs::read_to_string(doc_path(doc)).unwrap();
        let blocks = blocks(&text);
        assert!(blocks.len() > 3, "{doc} lost its runnable blocks");
        let days_later = Regex::new(r"^# \((\d+) days? later").unwrap();
        let past = blocks.iter().flat_map(|b| &b.lines).find_map(|(_, l)| {
            let days: i64 = days_later.captures(l)?[1].parse().ok()?;
            Some(OffsetDateTime::now_utc() - time::Duration::days(days))
        });
        let mut runner = Runner {
            doc,
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
                Kind::TranscriptServer if server.is_some() => runner.transcript(block),
                Kind::TranscriptDebian if has_update_ca_certificates() => runner.transcript(block),
                Kind::Server | Kind::TranscriptServer | Kind::TranscriptDebian => {}
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
                .unwrap_or_else(|| panic!("{}:{}: not a `$ ` line: {line}", self.doc, n + 1));
            let shown: Vec<&str> = block.lines[i + 1..]
                .iter()
                .map(|(_, l)| l.as_str())
                .take_while(|l| !l.starts_with("$ "))
                .collect();
            let printed = if command == "echo $?" {
                format!("{last_status}\n")
            } else {
                let mut command = command.to_owned();
                if block.kind == Kind::TranscriptServer {
                    for (readme_port, port) in &self.ports {
                        command = command.replace(readme_port, port);
                    }
                }
                let out = self.shell(&command);
                last_status = out.status.code().unwrap_or(-1);
                let next_is_status = block
                    .lines
                    .get(i + 1 + shown.len())
                    .is_some_and(|(_, l)| l == "$ echo $?");
                assert!(
                    last_status == 0 || next_is_status,
                    "{}:{}: `{command}` exited {last_status}:\n{}",
                    self.doc,
                    n + 1,
                    String::from_utf8_lossy(&out.stdout)
                );
                // Shown with the document's ports.
                let mut printed = String::from_utf8_lossy(&out.stdout).into_owned();
                for (readme_port, port) in &self.ports {
                    let port = Regex::new(&format!(r"\b{port}\b")).unwrap();
                    printed = port.replace_all(&printed, *readme_port).into_owned();
                }
                printed
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
                    "{}:{}: `{command}` printed something else (TLSCTL_BLESS=1 \
                     writes what it printed into the document)",
                    self.doc,
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
                "{}:{}: `{line}` exited {}:\n{}{}",
                self.doc,
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
            "{}:{}: `{line}`: {}",
            self.doc,
            n + 1,
            String::from_utf8_lossy(&out.stdout)
        );
        let deadline = Instant::now() + Duration::from_secs(10);
        while done(server) == before {
            assert!(
                Instant::now() < deadline,
                "{}:{}: the server did not reload:\n{}",
                self.doc,
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
    pub fn bless(&self) {
        if self.blessed.is_empty() {
            return;
        }
        let readme = std::fs::read_to_string(doc_path(self.doc)).unwrap();
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
        std::fs::write(doc_path(self.doc), lines.join("\n") + "\n").unwrap();
    }
}
