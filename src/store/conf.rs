//! nats-server configuration files from disk: the loader that
//! `pki::natsconf::Reader` asks for the configuration and each include, and
//! the process environment for `$NAME` variables. Paths are used as the
//! reader resolves them (relative to the including file, as nats-server
//! does), so a relative top-level path is relative to the working directory,
//! as it is for `nats-server -c`.

use std::fs;
use std::io::Read;
use std::path::Path;

use anyhow::Result;

use crate::pki::natsconf::{Config, Dialect, Reader, limits};

/// Reads one configuration file (the top one or an include): a regular file
/// of at most [`limits::MAX_FILE`] bytes. The error names the file.
pub fn load(path: &Path) -> Result<Vec<u8>, String> {
    let name = path.display();
    let meta = fs::metadata(path).map_err(|e| format!("{name}: {}", plain(&e)))?;
    if meta.is_dir() {
        return Err(format!("{name}: is a directory, not a configuration file"));
    }
    if !meta.is_file() {
        return Err(format!("{name}: is not a regular file"));
    }
    let file = fs::File::open(path).map_err(|e| format!("{name}: {}", plain(&e)))?;
    let mut bytes = Vec::new();
    file.take(limits::MAX_FILE as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("{name}: {}", plain(&e)))?;
    if bytes.len() > limits::MAX_FILE {
        return Err(format!(
            "{name}: is larger than {} bytes; is this really a nats-server configuration?",
            limits::MAX_FILE
        ));
    }
    Ok(bytes)
}

fn plain(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => e.to_string(),
    }
}

/// The process environment, as nats-server's `os.LookupEnv` sees it.
pub fn env_var(name: &str) -> Option<String> {
    if name.is_empty() || name.contains('=') || name.contains('\0') {
        return None;
    }
    std::env::var_os(name).map(|v| v.to_string_lossy().into_owned())
}

/// Reads the configuration at `path` with its includes from disk and its
/// variables from the process environment.
pub fn read_config(path: &Path, dialect: Dialect) -> Result<Config> {
    let mut loader = load;
    let env = env_var;
    let mut reader = Reader::new(&mut loader, &env).dialect(dialect);
    let bytes = load(path).map_err(anyhow::Error::msg)?;
    Ok(reader.read_bytes(path, &bytes)?)
}
