//! The machine's trust stores, as `ca install` changes them: Debian's
//! (`/usr/local/share/ca-certificates/*.crt`, indexed into `/etc/ssl/certs`
//! by `update-ca-certificates`) and NSS databases (Chrome's
//! `~/.pki/nssdb`, Firefox profiles, `/etc/pki/nssdb`) through `certutil`.
//! The only code that runs other programs.
//!
//! Every path is under `root` when one is given (tests point it at a
//! scratch directory and pass update-ca-certificates its directory flags),
//! so nothing here needs the real `/etc`.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Result, bail};

/// Where the system trust store lives: `/`, or a scratch root.
#[derive(Debug, Clone)]
pub struct System {
    pub root: Option<PathBuf>,
}

impl System {
    /// `path` (absolute, as on a real system) under the root.
    pub fn at(&self, path: &str) -> PathBuf {
        match &self.root {
            Some(root) => root.join(path.trim_start_matches('/')),
            None => PathBuf::from(path),
        }
    }

    /// The directory of local CA certificates (`*.crt`).
    pub fn local_dir(&self) -> PathBuf {
        self.at("/usr/local/share/ca-certificates")
    }

    /// The directory OpenSSL's `-CApath` and curl's `--capath` read.
    pub fn etc_certs(&self) -> PathBuf {
        self.at("/etc/ssl/certs")
    }

    /// The file `ca install NAME` writes.
    pub fn file_for(&self, name: &str) -> PathBuf {
        self.local_dir().join(format!("tlsctl-{name}.crt"))
    }

    /// What is in place for `name`: the file's bytes, and whether
    /// update-ca-certificates has linked it into /etc/ssl/certs.
    pub fn installed(&self, name: &str) -> Result<(Option<Vec<u8>>, bool)> {
        let present = super::read_if_present(&self.file_for(name))?;
        let linked =
            super::existing(&self.etc_certs().join(format!("tlsctl-{name}.pem"))).is_some();
        Ok((present, linked))
    }

    /// Whether this process may change the local directory (or create it)
    /// and the directory update-ca-certificates writes.
    pub fn may_write(&self) -> bool {
        let dir = self.local_dir();
        let local = if dir.is_dir() {
            writable(&dir)
        } else {
            writable(super::parent_dir(&dir))
        };
        local && writable(&self.etc_certs())
    }

    /// Writes `name`'s file (0644, atomically), creating the directory.
    pub fn put(&self, name: &str, pem: &[u8]) -> Result<()> {
        let dir = self.local_dir();
        std::fs::create_dir_all(&dir)
            .map_err(|e| anyhow::anyhow!("{}: cannot create it: {e}", dir.display()))?;
        super::write_atomic(
            &self.file_for(name),
            pem,
            super::MODE_PUBLIC,
            super::Overwrite::Allow,
        )
    }

    /// Removes `name`'s file if it is there.
    pub fn remove(&self, name: &str) -> Result<()> {
        let file = self.file_for(name);
        match std::fs::remove_file(&file) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => bail!("{}: cannot remove it: {e}", file.display()),
        }
    }

    /// The `update-ca-certificates` command line (`--fresh` after a
    /// removal, so its links go too); `None` where the tool is missing (not
    /// a Debian-family system). Under a root every directory it touches is
    /// named, its hooks (Java's keystore...) included.
    pub fn update_command(&self, fresh: bool) -> Option<Vec<String>> {
        let tool = find_program("update-ca-certificates")?;
        let mut cmd = vec![tool.display().to_string()];
        if fresh {
            cmd.push("--fresh".to_owned());
        }
        if self.root.is_some() {
            for (flag, path) in [
                ("--localcertsdir", "/usr/local/share/ca-certificates"),
                ("--etccertsdir", "/etc/ssl/certs"),
                ("--certsdir", "/usr/share/ca-certificates"),
                ("--certsconf", "/etc/ca-certificates.conf"),
                ("--hooksdir", "/etc/ca-certificates/update.d"),
            ] {
                cmd.push(flag.to_owned());
                cmd.push(self.at(path).display().to_string());
            }
        }
        Some(cmd)
    }
}

/// Whether this process may create and remove files in `dir`.
pub fn writable(dir: &Path) -> bool {
    rustix::fs::access(
        dir,
        rustix::fs::Access::WRITE_OK | rustix::fs::Access::EXEC_OK,
    )
    .is_ok()
}

/// A program on `PATH`, or in the sbin directories a user's `PATH` often
/// lacks.
pub fn find_program(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain(["/usr/sbin", "/sbin", "/usr/bin", "/bin"].map(PathBuf::from))
        .map(|dir| dir.join(name))
        .find(|p| {
            use std::os::unix::fs::PermissionsExt;
            std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        })
}

/// One NSS database: its directory and certutil's prefix for its format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NssDb {
    pub dir: PathBuf,
    /// `sql` (cert9.db) or `dbm` (cert8.db).
    pub kind: &'static str,
}

impl NssDb {
    /// certutil's `-d` argument.
    pub fn arg(&self) -> String {
        format!("{}:{}", self.kind, self.dir.display())
    }
}

/// The NSS databases that exist: `~/.pki/nssdb` (Chrome, Chromium), the
/// snap Chromium's, Firefox profiles (also the snap's), `/etc/pki/nssdb`.
pub fn nss_databases(home: Option<&Path>, system: &System) -> Vec<NssDb> {
    let mut dirs = Vec::new();
    if let Some(home) = home {
        dirs.push(home.join(".pki/nssdb"));
        dirs.push(home.join("snap/chromium/current/.pki/nssdb"));
        for profiles in [".mozilla/firefox", "snap/firefox/common/.mozilla/firefox"] {
            if let Ok(entries) = std::fs::read_dir(home.join(profiles)) {
                let mut found: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
                found.sort();
                dirs.extend(found);
            }
        }
    }
    dirs.push(system.at("/etc/pki/nssdb"));
    dirs.into_iter()
        .filter_map(|dir| {
            if dir.join("cert9.db").is_file() {
                Some(NssDb { dir, kind: "sql" })
            } else if dir.join("cert8.db").is_file() {
                Some(NssDb { dir, kind: "dbm" })
            } else {
                None
            }
        })
        .collect()
}

/// Runs a command line; its output is kept, and shown (escaped, cut) when
/// it fails.
pub fn run(cmd: &[String]) -> Result<()> {
    let Some((program, args)) = cmd.split_first() else {
        bail!("nothing to run");
    };
    let out = Command::new(program)
        .args(args)
        .output()
        .map_err(|e| anyhow::anyhow!("cannot run {program}: {e}"))?;
    if out.status.success() {
        return Ok(());
    }
    let mut text = String::from_utf8_lossy(&out.stderr).trim().to_owned();
    if text.is_empty() {
        text = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    }
    let text: String = text.chars().take(2000).collect();
    bail!(
        "{} failed ({}): {}",
        shell_line(cmd),
        out.status,
        crate::pki::text::escape_controls(&text)
    )
}

/// The certificates (DER) the database holds under the nickname, as
/// `certutil -L -a` prints them; empty when it holds none.
pub fn nss_certificates(certutil: &Path, db: &NssDb, nickname: &str) -> Vec<Vec<u8>> {
    match Command::new(certutil)
        .args(["-d", &db.arg(), "-L", "-n", nickname, "-a"])
        .output()
    {
        Ok(o) if o.status.success() => pem::parse_many(&o.stdout)
            .map(|blocks| blocks.into_iter().map(pem::Pem::into_contents).collect())
            .unwrap_or_default(),
        _ => Vec::new(),
    }
}

/// A command line as a shell would take it back: each word quoted when it
/// needs to be, control characters escaped.
pub fn shell_line(cmd: &[String]) -> String {
    cmd.iter()
        .map(|w| {
            let plain = !w.is_empty()
                && w.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"/._,:=+-@%".contains(&b));
            let word = if plain {
                w.clone()
            } else {
                format!("'{}'", w.replace('\'', r"'\''"))
            };
            crate::pki::text::escape_controls(&word).into_owned()
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn command_lines_quote_what_a_shell_would_split() {
        let cmd = ["cp", "/a b/c.pem", "it's", "-t", "C,,"].map(String::from);
        assert_eq!(shell_line(&cmd), r"cp '/a b/c.pem' 'it'\''s' -t C,,");
        let system = System {
            root: Some(PathBuf::from("/tmp/x")),
        };
        assert_eq!(
            system.file_for("dev"),
            PathBuf::from("/tmp/x/usr/local/share/ca-certificates/tlsctl-dev.crt")
        );
    }
}
