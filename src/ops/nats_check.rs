//! `nats check`: reads the nodes' nats-server configurations and every file
//! their TLS blocks name, and judges the fleet (`pki::natscheck`), before
//! and, under replacements, after a change.

use std::path::{Path, PathBuf};

use anyhow::{Result, anyhow, bail};
use serde::Serialize;
use time::OffsetDateTime;

use super::{Env, Outcome, Warnings};
use crate::pki::k8s;
use crate::pki::natscheck::{self, Files, Judge, Loaded, NodeInput, Report};
use crate::pki::natsconf::{Config, Dialect, model};
use crate::pki::verify::GoRelease;
use crate::store;

/// What to check.
#[derive(Debug, Clone, Default)]
pub struct CheckSpec {
    pub configs: Vec<PathBuf>,
    /// `(PATH, NEWPATH)`: judge the fleet as if the file at PATH (as the
    /// configs name it) held NEWPATH's bytes.
    pub replace: Vec<(PathBuf, PathBuf)>,
    pub at: Option<OffsetDateTime>,
    /// The nats-server release the fleet runs (`2.9.10`, `2.15.1`).
    pub server_version: Option<String>,
    /// `(PATH, MANIFEST)`: the directory PATH (as the configs name it) is
    /// a Kubernetes Secret (or ConfigMap) volume; its keys stand in for the
    /// files under it (`tls.crt`, `tls.key`, `ca.crt`).
    pub mounts: Vec<(PathBuf, PathBuf)>,
    /// Peers judged against every block: chain files, or live endpoints
    /// (`HOST:PORT`, when no file has that name) whose served chain is read.
    pub peers: Vec<PathBuf>,
}

/// A volume: the directory the configs name, the manifest given for it and
/// its keys.
struct Mount {
    dir: PathBuf,
    manifest: String,
    entries: Vec<k8s::Entry>,
    used: bool,
}

fn read_mounts(spec: &CheckSpec, cwd: &Path) -> Result<Vec<Mount>> {
    let mut out: Vec<Mount> = Vec::new();
    for (dir, manifest) in &spec.mounts {
        let input = store::read_input(manifest)?;
        if !k8s::looks_like_manifest(&input.bytes) {
            bail!(
                "--mount {}={}: {} is not a Kubernetes manifest; give the Secret (kubectl get secret NAME -o yaml)",
                dir.display(),
                manifest.display(),
                input.name
            );
        }
        let entries =
            k8s::read_manifest(&input.bytes).map_err(|e| anyhow!("{}: {e}", input.name))?;
        let dir = model::resolve(dir.to_string_lossy().trim_end_matches('/'), cwd);
        if out.iter().any(|m| m.dir == dir) {
            bail!("--mount {}: given twice", dir.display());
        }
        out.push(Mount {
            dir,
            manifest: input.name,
            entries,
            used: false,
        });
    }
    Ok(out)
}

/// The bytes of a file the configs name: from the mount whose directory
/// holds it, or from disk. A key the mount lacks is an input error.
fn read_named(path: &Path, mounts: &mut [Mount], config: &str) -> Result<Result<Loaded, String>> {
    let Some(m) = mounts
        .iter_mut()
        .find(|m| path.parent() == Some(m.dir.as_path()))
    else {
        return Ok(open(path));
    };
    m.used = true;
    let key = path
        .file_name()
        .map(|k| k.to_string_lossy().into_owned())
        .unwrap_or_default();
    match m.entries.iter().find(|e| e.key == key) {
        Some(e) => Ok(Ok(Loaded::Bytes(e.bytes.clone()))),
        None => {
            let mut objects: Vec<&str> = m.entries.iter().map(|e| e.object.as_str()).collect();
            objects.dedup();
            bail!(
                "{}: {} has no key {key:?}, which {config} names as {} (mounted from --mount {}); keys there: {}",
                m.manifest,
                if objects.is_empty() {
                    "the manifest".to_string()
                } else {
                    objects.join(", ")
                },
                path.display(),
                m.dir.display(),
                m.entries
                    .iter()
                    .map(|e| e.key.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        }
    }
}

/// The fleet as it is, and as it would be after the replacements.
///
/// As JSON: the judged fleet (after the replacements, when there are some)
/// at the top (`nodes`, `findings`, `connections`), and under replacements
/// `before` and `after` besides.
#[derive(Debug, Clone)]
pub struct CheckResult {
    pub before: Report,
    pub after: Option<Report>,
    /// Each `--peer` judged by every block that verifies it (after the
    /// replacements, when there are some).
    pub peers: Vec<natscheck::PeerReport>,
}

impl Serialize for CheckResult {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Doc<'a> {
            #[serde(flatten)]
            judged: &'a Report,
            #[serde(skip_serializing_if = "Option::is_none")]
            before: Option<&'a Report>,
            #[serde(skip_serializing_if = "Option::is_none")]
            after: Option<&'a Report>,
            #[serde(skip_serializing_if = "<[_]>::is_empty")]
            peers: &'a [natscheck::PeerReport],
        }
        Doc {
            judged: self.judged(),
            before: self.after.as_ref().map(|_| &self.before),
            after: self.after.as_ref(),
            peers: &self.peers,
        }
        .serialize(s)
    }
}

impl CheckResult {
    /// What `--check` judges: the fleet after the change, or as it is.
    pub fn judged(&self) -> &Report {
        self.after.as_ref().unwrap_or(&self.before)
    }
}

/// Reads the configurations and their files and judges the fleet.
pub fn check(env: &Env, spec: &CheckSpec) -> Result<Outcome<CheckResult>> {
    let mut warnings = Warnings::default();
    let at = spec.at.unwrap_or_else(|| env.now());
    let (dialect, version) = match &spec.server_version {
        None => (Dialect::default(), None),
        Some(v) => {
            let dialect = Dialect::for_version(v)
                .ok_or_else(|| anyhow!("{v:?} is not a nats-server version (2.9.10, 2.15.1)"))?;
            (dialect, natscheck::parse_version(v))
        }
    };
    let release = match dialect {
        Dialect::V2_9 => GoRelease::Go1_19,
        Dialect::V2_15 => GoRelease::Current,
    };
    if spec.configs.is_empty() {
        bail!("give at least one nats-server configuration");
    }
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let mut mounts = read_mounts(spec, &cwd)?;
    let mut configs: Vec<(PathBuf, Config)> = Vec::new();
    for path in &spec.configs {
        let (_, cfg) = store::conf::read_config_or_manifest(path, dialect)?;
        configs.push((path.clone(), cfg));
    }
    let models: Vec<model::NodeConfig> = configs
        .iter()
        .map(|(_, c)| model::node(c, dialect))
        .collect();

    let mut files = Files::new();
    for ((path, _), m) in configs.iter().zip(&models) {
        for b in m.tls_blocks() {
            for p in natscheck::block_paths(b, &cwd) {
                if let std::collections::btree_map::Entry::Vacant(slot) = files.entry(p) {
                    let got = read_named(slot.key(), &mut mounts, &path.display().to_string())?;
                    slot.insert(got);
                }
            }
        }
    }
    for m in mounts.iter().filter(|m| !m.used) {
        warnings.push(
            "mount-unused",
            format!(
                "--mount {}: no TLS block of the given configs names a file in this directory",
                m.dir.display()
            ),
        );
    }
    let mut names: Vec<String> = Vec::new();
    for ((path, _), m) in configs.iter().zip(&models) {
        let base = m.server_name.as_ref().map_or_else(
            || {
                path.file_stem().map_or_else(
                    || path.display().to_string(),
                    |s| s.to_string_lossy().into_owned(),
                )
            },
            |s| s.value.clone(),
        );
        let mut name = base.clone();
        let mut k = 2;
        while names.contains(&name) {
            name = format!("{base}#{k}");
            k += 1;
        }
        names.push(name);
    }
    let inputs: Vec<NodeInput<'_>> = configs
        .iter()
        .zip(&models)
        .zip(names)
        .map(|(((path, cfg), m), name)| NodeInput {
            name,
            file: path.display().to_string(),
            config: cfg,
            model: m,
        })
        .collect();
    let judge = Judge {
        at,
        release,
        server_version: version,
    };
    // Peers are read before judging: an unreadable one is an input error.
    let mut peers = Vec::new();
    for p in &spec.peers {
        let peer = super::bundle::read_peer(p)?;
        let text = p.to_string_lossy();
        let host = (!store::exists(p) && crate::net::probe::is_endpoint(&text))
            .then(|| {
                text.rsplit_once(':')
                    .map(|(h, _)| h.trim_start_matches('[').trim_end_matches(']').to_string())
            })
            .flatten();
        peers.push((peer, host));
    }
    let before = natscheck::check(&inputs, &files, &cwd, judge);
    // The files after the replacements (a copy only when there are some:
    // a fleet's bundles can be hundreds of megabytes).
    let changed = if spec.replace.is_empty() {
        None
    } else {
        let mut changed = files.clone();
        for (old, new) in &spec.replace {
            let key = model::resolve(&old.to_string_lossy(), &cwd);
            if !changed.contains_key(&key) {
                warnings.push(
                    "replace-unused",
                    format!(
                        "--replace {}: no TLS block of the given configs names this file",
                        old.display()
                    ),
                );
            }
            let bytes = store::read_input(new).map(|i| i.bytes)?;
            changed.insert(key, Ok(Loaded::Bytes(bytes)));
        }
        Some(changed)
    };
    let after = changed
        .as_ref()
        .map(|changed| natscheck::check(&inputs, changed, &cwd, judge));
    let judged_files = changed.as_ref().unwrap_or(&files);
    let peers = natscheck::judge_peers(&inputs, judged_files, &cwd, judge, &peers);
    for p in &peers {
        if p.verdicts.is_empty() {
            warnings.push(
                "peer-unjudged",
                format!(
                    "--peer {}: no TLS block of the given configs verifies a peer",
                    p.peer
                ),
            );
        }
    }
    Ok(warnings.finish(CheckResult {
        before,
        after,
        peers,
    }))
}

/// A file a config names: a large regular file is left open, for its
/// certificates to be read in pieces (a fleet's CA bundle).
fn open(path: &Path) -> Result<Loaded, String> {
    store::open_input(path)
        .map(|opened| match opened.content {
            store::Content::Bytes(bytes) => Loaded::Bytes(bytes),
            store::Content::File(file) => Loaded::Pieces(std::sync::Arc::new(file)),
        })
        .map_err(|e| format!("{e:#}").replace(&format!("{}: ", path.display()), ""))
}
