//! The fleet view's rows: `nats check` of the given configurations (the
//! same use case as the CLI), before and after rehearsed replacements,
//! turned once into node rows and connection rows that pair each
//! connection's verdict now with its verdict after; and the verdicts on
//! the peers given.

use std::path::PathBuf;

use time::OffsetDateTime;

use crate::ops::nats_check::{self, CheckResult, CheckSpec};
use crate::ops::{Env, Warning};
use crate::pki::natscheck::{CheckFinding, ConnVerdict, Kind, Report};
use crate::pki::natsconf::model::Severity;

/// A node: its counts of findings by severity (in the judged fleet: after
/// the replacements, when there are some).
#[derive(Debug, Clone)]
pub struct NodeRow {
    pub name: String,
    pub file: String,
    pub cluster: Option<String>,
    pub gateway: Option<String>,
    pub tls_blocks: Vec<String>,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    /// Its findings, as indices into the judged report's findings, each
    /// with whether it is new after the replacements.
    pub findings: Vec<(usize, bool)>,
    pub search: String,
}

/// How a connection's verdict changes with the replacements.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Same,
    /// Worse after (ok to one-way or broken, one-way to broken).
    Worse,
    /// Better after.
    Mends,
    /// Only after.
    New,
    /// Only before.
    Gone,
}

impl Change {
    fn of(now: Option<ConnVerdict>, after: Option<ConnVerdict>) -> Change {
        match (now, after) {
            (Some(n), Some(a)) if a > n => Change::Worse,
            (Some(n), Some(a)) if a < n => Change::Mends,
            (None, Some(_)) => Change::New,
            (Some(_), None) => Change::Gone,
            _ => Change::Same,
        }
    }

    /// In words, so that it reads without colour: "breaks" when it ends
    /// broken.
    pub fn label(self, after: Option<ConnVerdict>) -> &'static str {
        match self {
            Change::Same => "",
            Change::Worse if after == Some(ConnVerdict::Broken) => "! breaks",
            Change::Worse => "! worse",
            Change::Mends => "mends",
            Change::New => "new",
            Change::Gone => "gone",
        }
    }
}

/// A connection, now and after.
#[derive(Debug, Clone)]
pub struct LinkRow {
    pub kind: Kind,
    pub from: String,
    pub to: String,
    pub now: Option<ConnVerdict>,
    /// The same as `now` without replacements.
    pub after: Option<ConnVerdict>,
    pub change: Change,
    pub reasons_now: Vec<String>,
    pub reasons_after: Vec<String>,
    pub search: String,
}

impl LinkRow {
    /// The verdict that matters: after the replacements.
    pub fn judged(&self) -> Option<ConnVerdict> {
        self.after.or(self.now)
    }
}

/// The fleet, judged.
#[derive(Debug, Clone)]
pub struct Fleet {
    pub result: CheckResult,
    /// The replacements it was judged under.
    pub replace: Vec<(PathBuf, PathBuf)>,
    /// What the check warned about (a replacement no block names...).
    pub warnings: Vec<Warning>,
    pub nodes: Vec<NodeRow>,
    /// What breaks first: worse after, then broken, one-way, ok.
    pub links: Vec<LinkRow>,
}

impl Fleet {
    pub fn rehearsed(&self) -> bool {
        self.result.after.is_some()
    }

    /// The report the findings come from (after, when rehearsed).
    pub fn judged(&self) -> &Report {
        self.result.judged()
    }

    pub fn finding(&self, index: usize) -> Option<&CheckFinding> {
        self.judged().findings.get(index)
    }

    /// (ok, one-way, broken) of the judged fleet.
    pub fn counts(&self) -> (usize, usize, usize) {
        let count = |v| self.links.iter().filter(|l| l.judged() == Some(v)).count();
        (
            count(ConnVerdict::Ok),
            count(ConnVerdict::OneWay),
            count(ConnVerdict::Broken),
        )
    }

    /// The peers (`--peer`) refused by at least one block.
    pub fn peers_refused(&self) -> usize {
        self.result.peers.iter().filter(|p| p.refused()).count()
    }

    /// Connections that get worse with the replacements.
    pub fn worse(&self) -> usize {
        self.links
            .iter()
            .filter(|l| matches!(l.change, Change::Worse | Change::Gone))
            .count()
    }
}

pub fn kind_name(k: Kind) -> &'static str {
    match k {
        Kind::Route => "route",
        Kind::Gateway => "gateway",
        Kind::Leafnode => "leafnode",
    }
}

pub fn severity_name(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "info",
    }
}

/// What the fleet is judged with besides its configurations and the
/// replacements, fixed at launch (`tlsctl tui --conf ... --at --mount
/// --peer --server-version`), as `nats check` takes them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FleetOptions {
    pub at: Option<OffsetDateTime>,
    pub server_version: Option<String>,
    /// `(PATH, SECRET)`: a Secret manifest stands in for a mount directory.
    pub mounts: Vec<(PathBuf, PathBuf)>,
    /// Peer chain files or live `HOST:PORT`s (read by the job, never on
    /// the input thread).
    pub peers: Vec<PathBuf>,
}

/// Checks the fleet as `tlsctl nats check CONF... --replace ...` does.
pub fn load_fleet(
    configs: &[PathBuf],
    replace: &[(PathBuf, PathBuf)],
    options: &FleetOptions,
    env: &Env,
) -> Result<Fleet, String> {
    let spec = CheckSpec {
        configs: configs.to_vec(),
        replace: replace.to_vec(),
        at: options.at,
        server_version: options.server_version.clone(),
        mounts: options.mounts.clone(),
        peers: options.peers.clone(),
    };
    let outcome = nats_check::check(env, &spec).map_err(|e| format!("{e:#}"))?;
    Ok(rows(outcome.value, replace.to_vec(), outcome.warnings))
}

fn same_finding(a: &CheckFinding, b: &CheckFinding) -> bool {
    a.node == b.node && a.block == b.block && a.code == b.code && a.message == b.message
}

/// The rows of a checked fleet.
pub fn rows(
    result: CheckResult,
    replace: Vec<(PathBuf, PathBuf)>,
    warnings: Vec<Warning>,
) -> Fleet {
    let before = &result.before;
    let judged = result.judged();
    let nodes = judged
        .nodes
        .iter()
        .map(|n| {
            let findings: Vec<(usize, bool)> = judged
                .findings
                .iter()
                .enumerate()
                .filter(|(_, f)| f.node == n.name)
                .map(|(i, f)| {
                    let new = result.after.is_some()
                        && !before.findings.iter().any(|b| same_finding(b, f));
                    (i, new)
                })
                .collect();
            let count = |s| {
                findings
                    .iter()
                    .filter(|(i, _)| judged.findings.get(*i).is_some_and(|f| f.severity == s))
                    .count()
            };
            NodeRow {
                search: format!(
                    "{} {} {} {}",
                    n.name,
                    n.file,
                    n.cluster.as_deref().unwrap_or_default(),
                    n.gateway.as_deref().unwrap_or_default()
                )
                .to_lowercase(),
                errors: count(Severity::Error),
                warnings: count(Severity::Warning),
                infos: count(Severity::Info),
                findings,
                name: n.name.clone(),
                file: n.file.clone(),
                cluster: n.cluster.clone(),
                gateway: n.gateway.clone(),
                tls_blocks: n.tls_blocks.clone(),
            }
        })
        .collect();
    let mut links: Vec<LinkRow> = Vec::new();
    let key = |c: &crate::pki::natscheck::Connection| (c.kind, c.from.clone(), c.to.clone());
    for c in &before.connections {
        let after = match &result.after {
            None => Some(c),
            Some(a) => a.connections.iter().find(|x| key(x) == key(c)),
        };
        links.push(link(c.kind, &c.from, &c.to, Some(c), after));
    }
    if let Some(a) = &result.after {
        for c in &a.connections {
            if !before.connections.iter().any(|b| key(b) == key(c)) {
                links.push(link(c.kind, &c.from, &c.to, None, Some(c)));
            }
        }
    }
    // What breaks first: a change for the worse, then the worst verdicts.
    links.sort_by_key(|l| {
        (
            !matches!(l.change, Change::Worse | Change::Gone),
            std::cmp::Reverse(l.judged()),
        )
    });
    Fleet {
        result,
        replace,
        warnings,
        nodes,
        links,
    }
}

fn link(
    kind: Kind,
    from: &str,
    to: &str,
    now: Option<&crate::pki::natscheck::Connection>,
    after: Option<&crate::pki::natscheck::Connection>,
) -> LinkRow {
    let (now_v, after_v) = (now.map(|c| c.verdict), after.map(|c| c.verdict));
    let change = Change::of(now_v, after_v);
    let reasons = |c: Option<&crate::pki::natscheck::Connection>| {
        c.map(|c| c.reasons.clone()).unwrap_or_default()
    };
    LinkRow {
        search: format!(
            "{} {from} {to} {} {} {}",
            kind_name(kind),
            now_v.map_or("", ConnVerdict::name),
            after_v.map_or("", ConnVerdict::name),
            change.label(after_v)
        )
        .to_lowercase(),
        kind,
        from: from.to_owned(),
        to: to.to_owned(),
        now: now_v,
        after: after_v,
        change,
        reasons_now: reasons(now),
        reasons_after: reasons(after),
    }
}
