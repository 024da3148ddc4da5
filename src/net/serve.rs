//! A small TLS (optionally mTLS) endpoint for rehearsing a rotation on one
//! machine. Each new connection takes the current `ServerConfig` (as Go's
//! `GetConfigForClient` does), so after a reload new handshakes get the new
//! material while established connections keep theirs. Reloads only ever
//! install a complete, matching set: a half-written file or a certificate
//! with someone else's key is logged and the old material kept.
//!
//! The protocol after the handshake: a greeting line naming the pin served,
//! then every line the client sends is echoed back.
//!
//! Nothing a client (or a crowd of them) does can stop it or make it grow
//! without bound: lines are at most [`MAX_LINE`] bytes, at most
//! [`MAX_CONNECTIONS`] are served at once, silent connections time out, a
//! thread that cannot be started costs one connection, and `accept` failing
//! (no file descriptors left) backs off instead of spinning.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use rustls::server::WebPkiClientVerifier;
use rustls::{RootCertStore, ServerConfig, ServerConnection, StreamOwned};
use rustls_pki_types::{CertificateDer, PrivateKeyDer};
use time::OffsetDateTime;

use crate::pki::{CertInfo, key, pin, reader};

/// How often `--watch` looks at the files.
pub const WATCH_INTERVAL: Duration = Duration::from_millis(250);

/// Reads a file for the server (the store's reader: `net` does not touch
/// the disk itself).
pub type ReadFile = Arc<dyn Fn(&Path) -> Result<Vec<u8>, String> + Send + Sync>;

/// The clock the log lines and certificate checks use (the caller's).
pub type Now = Arc<dyn Fn() -> OffsetDateTime + Send + Sync>;

/// The files served, and how to read them and tell the time.
#[derive(Clone)]
pub struct Material {
    pub cert: PathBuf,
    pub key: PathBuf,
    pub ca: Option<PathBuf>,
    pub read: ReadFile,
    pub now: Now,
}

impl std::fmt::Debug for Material {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Material")
            .field("cert", &self.cert)
            .field("key", &self.key)
            .field("ca", &self.ca)
            .finish_non_exhaustive()
    }
}

/// A loaded, consistent set of material.
struct Loaded {
    config: Arc<ServerConfig>,
    pin: String,
    subject: String,
    /// What the files held, to notice changes.
    fingerprint: Vec<Vec<u8>>,
}

/// One line of the log.
pub type Log = Arc<dyn Fn(&str) + Send + Sync>;

fn read_all(m: &Material) -> Result<Vec<Vec<u8>>, String> {
    let read = |p: &Path| (m.read)(p);
    let mut out = vec![read(&m.cert)?, read(&m.key)?];
    if let Some(ca) = &m.ca {
        out.push(read(ca)?);
    }
    Ok(out)
}

fn load(m: &Material, files: Vec<Vec<u8>>) -> Result<Loaded, String> {
    let (cert_bytes, key_bytes) = match (files.first(), files.get(1)) {
        (Some(c), Some(k)) => (c, k),
        _ => return Err("material missing".to_owned()),
    };
    let cert_name = m.cert.display().to_string();
    let key_name = m.key.display().to_string();
    let chain: Vec<CertificateDer<'static>> = reader::read_strict(cert_bytes)
        .map_err(|e| format!("{cert_name}: {e}"))?
        .into_iter()
        .filter_map(|(_, item)| match item {
            reader::Item::Certificate(c) => Some(c),
            _ => None,
        })
        .collect();
    let leaf = chain
        .first()
        .ok_or_else(|| format!("{cert_name}: holds no certificate"))?;
    let info = CertInfo::parse(leaf, (m.now)()).map_err(|e| format!("{cert_name}: {e}"))?;
    let key: PrivateKeyDer<'static> = reader::read_strict(key_bytes)
        .map_err(|e| format!("{key_name}: {e}"))?
        .into_iter()
        .find_map(|(_, item)| match item {
            reader::Item::PrivateKey(k) => Some(k),
            _ => None,
        })
        .ok_or_else(|| format!("{key_name}: holds no private key"))?;
    let key_pin = key::public_spki(&key)
        .map(|s| pin::spki_pin(&s))
        .map_err(|e| format!("{key_name}: {e}"))?;
    if key_pin != info.pin_sha256 {
        return Err(format!(
            "{cert_name} and {key_name} do not match (certificate pin {}, key pin {key_pin})",
            info.pin_sha256
        ));
    }
    let provider = super::provider();
    let builder = ServerConfig::builder_with_provider(Arc::clone(&provider))
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?;
    let builder = match (&m.ca, files.get(2)) {
        (Some(ca_path), Some(ca_bytes)) => {
            let ca_name = ca_path.display().to_string();
            let mut roots = RootCertStore::empty();
            for (_, item) in reader::read_strict(ca_bytes).map_err(|e| format!("{ca_name}: {e}"))? {
                if let reader::Item::Certificate(c) = item {
                    roots.add(c).map_err(|e| format!("{ca_name}: {e}"))?;
                }
            }
            if roots.is_empty() {
                return Err(format!("{ca_name}: holds no certificate to trust"));
            }
            let verifier = WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider)
                .build()
                .map_err(|e| format!("{ca_name}: {e}"))?;
            builder.with_client_cert_verifier(verifier)
        }
        _ => builder.with_no_client_auth(),
    };
    let config = builder
        .with_single_cert(chain, key)
        .map_err(|e| format!("{cert_name}: {e}"))?;
    Ok(Loaded {
        config: Arc::new(config),
        pin: info.pin_sha256,
        subject: info.subject,
        fingerprint: files,
    })
}

/// The time for a log line, from the caller's clock, to the second.
fn stamp(now: &Now) -> String {
    let t = now();
    crate::pki::render::format_rfc3339(t.replace_nanosecond(0).unwrap_or(t))
}

/// The longest line echoed (newline included); a client that sends more
/// without a newline is told so and disconnected.
pub const MAX_LINE: usize = 64 * 1024;

/// Connections served at once; one more is closed as soon as it is
/// accepted (and logged), so a flood cannot exhaust threads or memory.
pub const MAX_CONNECTIONS: usize = 256;

/// How long a handshake may take, and how long an established connection
/// may stay silent, before it is closed.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);
const IDLE_TIMEOUT: Duration = Duration::from_secs(300);

/// The longest pause between two failed `accept` calls (out of file
/// descriptors, say): failures back off from 5 ms to this, as Go's
/// net/http does, instead of spinning on a full backlog.
const MAX_ACCEPT_BACKOFF: Duration = Duration::from_secs(1);

/// A taken connection slot, given back when dropped.
struct Slot(Arc<AtomicUsize>);

impl Slot {
    fn take(open: &Arc<AtomicUsize>) -> Option<Slot> {
        open.fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| {
            (n < MAX_CONNECTIONS).then_some(n + 1)
        })
        .ok()
        .map(|_| Slot(Arc::clone(open)))
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

/// `accept` errors that concern one connection only (it went away before
/// it was accepted): try the next one at once.
fn transient(e: &std::io::Error) -> bool {
    matches!(
        e.kind(),
        std::io::ErrorKind::ConnectionAborted
            | std::io::ErrorKind::ConnectionReset
            | std::io::ErrorKind::Interrupted
    )
}

/// Serves until the process is stopped. Fails only at the start (the
/// material does not load, the watcher thread cannot be started); later
/// failures (a connection, a thread, `accept`) are logged and served past.
pub fn serve(listener: TcpListener, m: Material, watch: bool, log: Log) -> std::io::Result<()> {
    let clock = Arc::clone(&m.now);
    let first =
        load(&m, read_all(&m).map_err(std::io::Error::other)?).map_err(std::io::Error::other)?;
    log(&format!(
        "[{}] serving {} (pin {})",
        stamp(&clock),
        first.subject,
        first.pin
    ));
    let current = Arc::new(RwLock::new((Arc::clone(&first.config), first.pin.clone())));
    if watch {
        let current = Arc::clone(&current);
        let log = Arc::clone(&log);
        let seen = first.fingerprint;
        std::thread::Builder::new()
            .name("watch".to_owned())
            .spawn(move || watch_files(&m, seen, &current, &log))
            .map_err(|e| {
                std::io::Error::other(format!(
                    "cannot start the thread that watches the files: {e}"
                ))
            })?;
    }
    let open = Arc::new(AtomicUsize::new(0));
    let mut backoff = Duration::ZERO;
    loop {
        let stream = match listener.accept() {
            Ok((stream, _)) => {
                if !backoff.is_zero() {
                    log(&format!("[{}] accepting connections again", stamp(&clock)));
                }
                backoff = Duration::ZERO;
                stream
            }
            Err(e) if transient(&e) => continue,
            Err(e) => {
                if backoff.is_zero() {
                    log(&format!(
                        "[{}] cannot accept a connection: {e}; retrying, waiting up to {} ms \
                         between tries",
                        stamp(&clock),
                        MAX_ACCEPT_BACKOFF.as_millis()
                    ));
                }
                backoff = (backoff * 2).clamp(Duration::from_millis(5), MAX_ACCEPT_BACKOFF);
                std::thread::sleep(backoff);
                continue;
            }
        };
        let peer = stream
            .peer_addr()
            .map_or_else(|_| "?".to_owned(), |a| a.to_string());
        let Some(slot) = Slot::take(&open) else {
            log(&format!(
                "[{}] {peer}: closed: already serving {MAX_CONNECTIONS} connections",
                stamp(&clock)
            ));
            continue;
        };
        let (config, served_pin) = match current.read() {
            Ok(c) => c.clone(),
            Err(_) => continue,
        };
        let conn_log = Arc::clone(&log);
        let conn_clock = Arc::clone(&clock);
        let conn_peer = peer.clone();
        let spawned = std::thread::Builder::new()
            .name("connection".to_owned())
            .spawn(move || {
                let _slot = slot;
                if let Err(e) = handle(
                    stream,
                    config,
                    &served_pin,
                    &conn_peer,
                    &conn_log,
                    &conn_clock,
                ) {
                    conn_log(&format!("[{}] {conn_peer}: {e}", stamp(&conn_clock)));
                }
            });
        if let Err(e) = spawned {
            // The connection (and its slot) went with the closure.
            log(&format!(
                "[{}] {peer}: closed: cannot start a thread for it: {e}",
                stamp(&clock)
            ));
        }
    }
}

/// The `--watch` loop: installs new material when the files change and
/// all of it loads.
fn watch_files(
    m: &Material,
    mut seen: Vec<Vec<u8>>,
    current: &RwLock<(Arc<ServerConfig>, String)>,
    log: &Log,
) {
    let clock = Arc::clone(&m.now);
    loop {
        std::thread::sleep(WATCH_INTERVAL);
        let files = match read_all(m) {
            Ok(f) => f,
            Err(e) => {
                // A file caught between unlink and rename, say: try
                // again next time, keep serving the old material.
                if seen.first().is_some_and(|s| !s.is_empty()) {
                    log(&format!("[{}] kept the old material: {e}", stamp(&clock)));
                    seen = vec![Vec::new()];
                }
                continue;
            }
        };
        if files == seen {
            continue;
        }
        seen = files.clone();
        match load(m, files) {
            Ok(loaded) => {
                if let Ok(mut c) = current.write() {
                    *c = (loaded.config, loaded.pin.clone());
                }
                log(&format!(
                    "[{}] reloaded: now serving {} (pin {})",
                    stamp(&clock),
                    loaded.subject,
                    loaded.pin
                ));
            }
            Err(e) => log(&format!("[{}] kept the old material: {e}", stamp(&clock))),
        }
    }
}

fn handle(
    stream: TcpStream,
    config: Arc<ServerConfig>,
    served_pin: &str,
    peer: &str,
    log: &Log,
    clock: &Now,
) -> Result<(), String> {
    let _ = stream.set_read_timeout(Some(HANDSHAKE_TIMEOUT));
    let _ = stream.set_write_timeout(Some(HANDSHAKE_TIMEOUT));
    let conn = ServerConnection::new(config).map_err(|e| e.to_string())?;
    let mut tls = StreamOwned::new(conn, stream);
    while tls.conn.is_handshaking() {
        tls.conn
            .complete_io(&mut tls.sock)
            .map_err(|e| format!("handshake failed: {e}"))?;
    }
    let client = tls
        .conn
        .peer_certificates()
        .and_then(|c| c.first())
        .map(|c| {
            let subject = CertInfo::parse(c, clock())
                .map(|i| i.subject)
                .unwrap_or_default();
            let client_pin = crate::pki::der::certificate_spki(c)
                .map(pin::spki_pin)
                .unwrap_or_default();
            format!("client {subject} (pin {client_pin})")
        })
        .unwrap_or_else(|| "no client certificate".to_owned());
    log(&format!(
        "[{}] handshake from {peer}: served pin {served_pin}; {client}",
        stamp(clock)
    ));
    let _ = tls.sock.set_read_timeout(Some(IDLE_TIMEOUT));
    tls.write_all(format!("hello from tlsctl serve: pin {served_pin}\n").as_bytes())
        .and_then(|()| tls.flush())
        .map_err(|e| e.to_string())?;
    let mut reader = BufReader::new(tls);
    let mut line = Vec::new();
    loop {
        line.clear();
        // At most one byte past the limit is read into the line.
        match (&mut reader)
            .take(MAX_LINE as u64 + 1)
            .read_until(b'\n', &mut line)
        {
            Ok(0) | Err(_) => return Ok(()),
            Ok(n) if n > MAX_LINE && !line.ends_with(b"\n") => {
                let tls = reader.get_mut();
                let _ = tls
                    .write_all(format!("line longer than {MAX_LINE} bytes; closing\n").as_bytes())
                    .and_then(|()| tls.flush());
                return Err(format!(
                    "sent a line longer than {MAX_LINE} bytes; closed the connection"
                ));
            }
            Ok(_) => {
                let tls = reader.get_mut();
                if tls.write_all(&line).and_then(|()| tls.flush()).is_err() {
                    return Ok(());
                }
            }
        }
    }
}

/// Binds the listening socket, so the caller can print the address first.
pub fn bind(addr: &str) -> std::io::Result<(TcpListener, SocketAddr)> {
    let listener = TcpListener::bind(addr)?;
    let local = listener.local_addr()?;
    Ok((listener, local))
}
