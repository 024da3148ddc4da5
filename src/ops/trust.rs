//! `ca install NAME` / `ca uninstall NAME`, as `mkcert -install`: a root CA
//! of the store into the machine's trust stores (Debian's system store and
//! the NSS databases browsers read), and out again. Each change is a step
//! with the command line that makes it, so `--dry-run` shows them and a
//! user without root gets the exact ones to run.

use std::path::PathBuf;

use anyhow::{Result, anyhow, bail};
use serde::Serialize;

use super::{Env, Outcome, Warnings};
use crate::pki::CertInfo;
use crate::pki::reader::encode_pem;
use crate::store::trust::{self, NssDb, System};

/// What to install or uninstall, and where the stores are.
#[derive(Debug, Clone)]
pub struct TrustSpec {
    pub name: String,
    pub uninstall: bool,
    pub dry_run: bool,
    /// A scratch root for the system store (`TLSCTL_TRUST_ROOT`).
    pub root: Option<PathBuf>,
    /// The home directory whose NSS databases are changed.
    pub home: Option<PathBuf>,
}

/// How a step went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum StepStatus {
    /// Changed.
    Done,
    /// `--dry-run`: would change.
    WouldDo,
    /// Nothing to change (already there, or already gone).
    Unchanged,
    /// Not allowed to: the commands are for root to run.
    NeedsRoot,
}

/// One store changed (or to change).
#[derive(Debug, Clone, Serialize)]
pub struct Step {
    /// `system` or `nss`.
    pub store: &'static str,
    /// The file or database.
    pub target: String,
    pub status: StepStatus,
    /// The command lines that make the change, as a shell takes them.
    pub commands: Vec<String>,
}

/// What `ca install` / `ca uninstall` did.
#[derive(Debug, Clone, Serialize)]
pub struct TrustReport {
    pub ca: String,
    pub subject: String,
    pub pin_sha256: String,
    pub action: &'static str,
    pub dry_run: bool,
    pub steps: Vec<Step>,
}

impl TrustReport {
    /// The commands left for root to run.
    pub fn needs_root(&self) -> Vec<&str> {
        self.steps
            .iter()
            .filter(|s| s.status == StepStatus::NeedsRoot)
            .flat_map(|s| s.commands.iter().map(String::as_str))
            .collect()
    }
}

/// The NSS nickname of a CA installed by tlsctl.
pub fn nickname(name: &str) -> String {
    format!("tlsctl-{name}")
}

/// Installs (or, with `spec.uninstall`, removes) the root CA `spec.name`.
pub fn apply(env: &Env, spec: &TrustSpec) -> Result<Outcome<TrustReport>> {
    let now = env.now();
    let mut warnings = Warnings::default();
    let store = env.store()?;
    let ca = store.load_ca(&spec.name)?;
    let info = CertInfo::parse(&ca.cert, now).map_err(|e| anyhow!("{}: {e}", spec.name))?;
    if !info.self_signed {
        bail!(
            "{} is an intermediate CA ({}); trust stores take roots: install its root, which \
             `tlsctl ca list` shows above it",
            spec.name,
            info.subject
        );
    }
    let system = System {
        root: spec.root.clone(),
    };
    let pem = encode_pem("CERTIFICATE", &ca.cert);
    let ca_pem = ca.cert_path();
    let mut steps = Vec::new();

    // The system store.
    let file = system.file_for(&spec.name);
    match system.update_command(spec.uninstall) {
        None => warnings.push(
            "no-system-store",
            "update-ca-certificates is not installed (not a Debian-family system, or the \
             ca-certificates package is missing): the system trust store is left alone",
        ),
        Some(update) => {
            let (present, linked) = system.installed(&spec.name)?;
            let change = if spec.uninstall {
                vec!["rm".to_owned(), file.display().to_string()]
            } else {
                vec![
                    "install".to_owned(),
                    "-m".to_owned(),
                    "0644".to_owned(),
                    ca_pem.display().to_string(),
                    file.display().to_string(),
                ]
            };
            let commands = vec![trust::shell_line(&change), trust::shell_line(&update)];
            let unchanged = if spec.uninstall {
                present.is_none() && !linked
            } else {
                present.as_deref() == Some(pem.as_bytes()) && linked
            };
            let status = if unchanged {
                StepStatus::Unchanged
            } else if spec.dry_run {
                StepStatus::WouldDo
            } else if !system.may_write() {
                StepStatus::NeedsRoot
            } else {
                if spec.uninstall {
                    system.remove(&spec.name)?;
                } else {
                    system.put(&spec.name, pem.as_bytes())?;
                }
                trust::run(&update)?;
                StepStatus::Done
            };
            steps.push(Step {
                store: "system",
                target: file.display().to_string(),
                status,
                commands: if status == StepStatus::NeedsRoot {
                    commands.iter().map(|c| format!("sudo {c}")).collect()
                } else {
                    commands
                },
            });
        }
    }

    // NSS databases.
    let dbs = trust::nss_databases(spec.home.as_deref(), &system);
    if !dbs.is_empty() {
        match trust::find_program("certutil") {
            None => warnings.push(
                "no-certutil",
                format!(
                    "certutil is not installed, so {} NSS database(s) (Firefox, Chrome) are left \
                     alone; install it (Debian: apt-get install libnss3-tools) and run this again",
                    dbs.len()
                ),
            ),
            Some(certutil) => {
                for db in &dbs {
                    steps.push(nss_step(&certutil, db, spec, &ca_pem, &ca.cert)?);
                }
            }
        }
    }
    if steps.is_empty() {
        bail!(
            "found no trust store to change: no update-ca-certificates and no NSS database \
             (~/.pki/nssdb, Firefox profiles)"
        );
    }
    Ok(warnings.finish(TrustReport {
        ca: spec.name.clone(),
        subject: info.subject,
        pin_sha256: info.pin_sha256,
        action: if spec.uninstall {
            "uninstall"
        } else {
            "install"
        },
        dry_run: spec.dry_run,
        steps,
    }))
}

fn nss_step(
    certutil: &std::path::Path,
    db: &NssDb,
    spec: &TrustSpec,
    ca_pem: &std::path::Path,
    der: &[u8],
) -> Result<Step> {
    let nick = nickname(&spec.name);
    let base = vec![certutil.display().to_string(), "-d".to_owned(), db.arg()];
    let held = trust::nss_certificates(certutil, db, &nick);
    let present = !held.is_empty();
    let same = held.len() == 1 && held[0] == der;
    let delete = [
        base.clone(),
        vec!["-D".to_owned(), "-n".to_owned(), nick.clone()],
    ]
    .concat();
    let add = [
        base.clone(),
        vec![
            "-A".to_owned(),
            "-t".to_owned(),
            "C,,".to_owned(),
            "-n".to_owned(),
            nick.clone(),
            "-a".to_owned(),
            "-i".to_owned(),
            ca_pem.display().to_string(),
        ],
    ]
    .concat();
    // Install replaces what the nickname held (a CA made again).
    let plan: Vec<Vec<String>> = match (spec.uninstall, present) {
        (true, true) => vec![delete],
        (true, false) => vec![],
        (false, true) if same => vec![],
        (false, true) => vec![delete, add],
        (false, false) => vec![add],
    };
    let commands: Vec<String> = plan.iter().map(|c| trust::shell_line(c)).collect();
    let status = if plan.is_empty() {
        StepStatus::Unchanged
    } else if spec.dry_run {
        StepStatus::WouldDo
    } else if !trust::writable(&db.dir) {
        StepStatus::NeedsRoot
    } else {
        for cmd in &plan {
            trust::run(cmd)?;
        }
        StepStatus::Done
    };
    Ok(Step {
        store: "nss",
        target: db.arg(),
        status,
        commands: if status == StepStatus::NeedsRoot {
            commands.iter().map(|c| format!("sudo {c}")).collect()
        } else {
            commands
        },
    })
}
