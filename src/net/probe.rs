//! A TLS probe that is a real NATS client. It connects to one address,
//! reads a NATS `INFO` greeting if the server sends one (and then upgrades,
//! as NATS clients do), or otherwise starts TLS at once (a route, a
//! gateway, a `handshake_first` port or a plain TLS server); it records the
//! chain the server serves, accepting it whatever it is, so that `pki` can
//! judge it afterwards. After the handshake it sends CONNECT (with
//! credentials) and PING, as a client does, and keeps apart what the
//! answer means: TLS refused (a certificate problem), authentication
//! refused (not one), or accepted.
//!
//! One deadline bounds everything (resolve, connect, INFO, handshake,
//! session): see [`timed`]. At most [`MAX_INFO`] bytes are read before TLS.

pub mod monitor;
pub mod session;
mod timed;

use std::io::{self, Read, Write};
use std::net::{IpAddr, SocketAddr, TcpStream, ToSocketAddrs};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::time::Duration;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::{ClientConfig, ClientConnection, DigitallySignedStruct, SignatureScheme, StreamOwned};
use rustls_pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
use serde_json::{Map, Value};
use thiserror::Error;

pub use session::{Credentials, CredsError, PortKind, escape, parse_creds};
use timed::{Deadline, Timed, is_timeout};

use crate::pki::nats::{self, Info, MAX_INFO};

/// The longest a server may stay silent before tlsctl decides it is not a
/// NATS server that greets first, and starts TLS itself; the same bound
/// holds for the INFO a TLS-first server sends after the handshake.
pub const GREETING_WAIT: Duration = Duration::from_millis(500);

/// The shortest such wait. Between the two, the wait is a multiple of the
/// round trip the connect (or the handshake) took: nats-server sends INFO
/// as soon as it accepts, so on a LAN 100 ms is plenty, and over a slow
/// link the wait grows with it. If INFO still comes after tlsctl started
/// TLS, the probe starts again with the full wait (within its deadline).
const GREETING_WAIT_MIN: Duration = Duration::from_millis(100);

/// A wait scaled from a measured round trip.
fn scaled_wait(measured: Duration, factor: u32) -> Duration {
    measured
        .saturating_mul(factor)
        .clamp(GREETING_WAIT_MIN, GREETING_WAIT)
}

/// The most bytes read after the handshake while waiting for PONG (a
/// server may send INFO updates first; each line is at most MAX_INFO).
const MAX_SESSION_BYTES: usize = 1024 * 1024;

/// How many probes run at once in [`probe_many`].
pub const PARALLEL: usize = 16;

/// Why there was nothing to judge.
#[derive(Debug, Error)]
pub enum ProbeError {
    #[error("{0}: not a HOST:PORT address")]
    Address(String),
    #[error("{addr}: cannot resolve the host ({detail})")]
    Resolve { addr: String, detail: String },
    #[error("{addr}: {detail}")]
    Connect { addr: String, detail: String },
    #[error("{addr}: no answer within {secs:.1}s ({stage})")]
    Timeout {
        addr: String,
        secs: f64,
        stage: String,
    },
    #[error("{addr}: the server closed the connection {stage}")]
    Closed { addr: String, stage: &'static str },
    #[error(
        "{addr}: the server sent something that is neither a NATS INFO line nor TLS: {preview}"
    )]
    Garbage { addr: String, preview: String },
    #[error(
        "{addr}: the server's INFO line is longer than {MAX_INFO} bytes; refused (nats-server's are a few KiB)"
    )]
    InfoTooLong { addr: String },
    #[error("{addr}: {detail}")]
    Nats { addr: String, detail: String },
    #[error("{addr}: TLS handshake failed: {detail}")]
    Handshake { addr: String, detail: String },
    #[error("{addr}: {source}")]
    Creds {
        addr: String,
        #[source]
        source: CredsError,
    },
    #[error("{addr}: the server offers no TLS (its INFO says tls_required: false)")]
    NotTls { addr: String },
    #[error("invalid client certificate or key: {0}")]
    ClientAuth(String),
    #[error("{0} is not a name or address TLS can use for SNI")]
    ServerName(String),
}

/// What to probe and how.
#[derive(Debug)]
pub struct Request {
    pub address: String,
    pub sni: Option<String>,
    pub client_auth: Option<(Vec<CertificateDer<'static>>, PrivateKeyDer<'static>)>,
    pub credentials: Credentials,
    pub timeout: Duration,
}

/// What became of the session after the TLS handshake.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// CONNECT and PING were answered with PONG.
    Accepted,
    /// A leafnode, route or gateway port took the TLS session and the
    /// credentials and then refused a client, as such ports do.
    WrongPort(String),
    /// Not NATS: the handshake completed and the server raised no alert.
    HandshakeOnly,
    /// The server refused the TLS session (an alert, or a close right after
    /// the handshake): a certificate problem.
    TlsRefused(String),
    /// After a good handshake the server refused the credentials: not a
    /// certificate problem.
    AuthRefused(String),
    /// Another `-ERR` after CONNECT.
    Refused(String),
    /// A NATS server that offers no TLS: nothing to judge.
    NoTls,
}

/// What the probe saw.
#[derive(Debug)]
pub struct Observed {
    pub connected_to: SocketAddr,
    /// The name sent as SNI (and to verify against), when one was.
    pub server_name: String,
    pub info: Option<Info>,
    pub kind: PortKind,
    /// The server spoke TLS first (a route, a gateway, `handshake_first`).
    pub tls_first: bool,
    pub protocol: String,
    pub cipher_suite: String,
    pub chain: Vec<CertificateDer<'static>>,
    pub outcome: Outcome,
}

/// Accepts any chain, recording it, while still checking the handshake
/// signatures properly (so the chain is the one the peer holds the key for).
#[derive(Debug)]
struct Recorder {
    provider: Arc<CryptoProvider>,
    chain: Mutex<Vec<CertificateDer<'static>>>,
}

impl ServerCertVerifier for Recorder {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        if let Ok(mut chain) = self.chain.lock() {
            chain.clear();
            chain.push(end_entity.clone().into_owned());
            chain.extend(intermediates.iter().map(|c| c.clone().into_owned()));
        }
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

/// Splits `host:port` (`[v6]:port` for IPv6).
pub fn split_address(address: &str) -> Option<(String, u16)> {
    let (host, port) = address.rsplit_once(':')?;
    let port: u16 = port.parse().ok()?;
    let host = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host);
    if host.is_empty() || port == 0 {
        return None;
    }
    Some((host.to_owned(), port))
}

fn preview(bytes: &[u8]) -> String {
    let shown: String = bytes
        .iter()
        .take(48)
        .map(|&b| {
            if b.is_ascii_graphic() || b == b' ' {
                (b as char).to_string()
            } else {
                format!("\\x{b:02x}")
            }
        })
        .collect();
    if bytes.len() > 48 {
        format!("{shown}...")
    } else {
        shown
    }
}

/// The probe's context: the address for messages and the deadline.
struct Ctx {
    addr: String,
    deadline: Deadline,
}

impl Ctx {
    fn timeout(&self, stage: impl Into<String>) -> ProbeError {
        ProbeError::Timeout {
            addr: self.addr.clone(),
            secs: self.deadline.total().as_secs_f64(),
            stage: stage.into(),
        }
    }
}

/// Resolves `host` within the deadline. An IP address needs no lookup; a
/// name is looked up on a helper thread (getaddrinfo has no timeout), which
/// is abandoned if the deadline passes first.
fn resolve_within(host: &str, port: u16, deadline: Deadline) -> Result<Vec<SocketAddr>, String> {
    if let Ok(ip) = host.parse::<IpAddr>() {
        return Ok(vec![SocketAddr::new(ip, port)]);
    }
    let (tx, rx) = mpsc::channel();
    let name = host.to_owned();
    std::thread::Builder::new()
        .name("tlsctl-resolve".into())
        .spawn(move || {
            let result = (name.as_str(), port)
                .to_socket_addrs()
                .map(|a| a.collect::<Vec<_>>());
            let _ = tx.send(result);
        })
        .map_err(|e| format!("cannot start the lookup: {e}"))?;
    let timed_out = || {
        format!(
            "no answer within {:.1}s (resolving the host)",
            deadline.total().as_secs_f64()
        )
    };
    let left = deadline.left().ok_or_else(timed_out)?;
    match rx.recv_timeout(left) {
        Ok(Ok(addrs)) if !addrs.is_empty() => Ok(addrs),
        Ok(Ok(_)) => Err("no address".to_owned()),
        Ok(Err(e)) => Err(e.to_string()),
        Err(_) => Err(timed_out()),
    }
}

fn resolve(ctx: &Ctx, host: &str, port: u16) -> Result<Vec<SocketAddr>, ProbeError> {
    resolve_within(host, port, ctx.deadline).map_err(|detail| {
        if detail.starts_with("no answer within") {
            ctx.timeout("resolving the host")
        } else {
            ProbeError::Resolve {
                addr: ctx.addr.clone(),
                detail,
            }
        }
    })
}

fn connect(ctx: &Ctx, addrs: &[SocketAddr]) -> Result<(TcpStream, SocketAddr), ProbeError> {
    let mut last_err = None;
    for a in addrs {
        let left = ctx
            .deadline
            .left()
            .ok_or_else(|| ctx.timeout("connecting"))?;
        match TcpStream::connect_timeout(a, left) {
            Ok(s) => return Ok((s, *a)),
            Err(e) => last_err = Some(e),
        }
    }
    Err(match last_err {
        Some(e) if is_timeout(&e) => ctx.timeout("connecting"),
        Some(e) if e.kind() == io::ErrorKind::ConnectionRefused => ProbeError::Connect {
            addr: ctx.addr.clone(),
            detail: "connection refused (is the server running, on that port?)".to_owned(),
        },
        Some(e) => ProbeError::Connect {
            addr: ctx.addr.clone(),
            detail: e.to_string(),
        },
        None => ProbeError::Resolve {
            addr: ctx.addr.clone(),
            detail: "no address".to_owned(),
        },
    })
}

/// Reads the greeting before TLS: `Some(line)` for an INFO line, `None`
/// when the server stays silent for `wait` (it waits for us to start TLS). Never more than [`MAX_INFO`] bytes.
fn read_greeting(
    ctx: &Ctx,
    tcp: &mut Timed,
    wait: Duration,
) -> Result<Option<Vec<u8>>, ProbeError> {
    let mut greeting = Vec::new();
    tcp.cap_reads(Some(wait));
    loop {
        let mut buf = [0u8; 4096];
        let room = (MAX_INFO + 2).saturating_sub(greeting.len()).clamp(1, 4096);
        let Some(buf) = buf.get_mut(..room) else {
            return Err(ProbeError::InfoTooLong {
                addr: ctx.addr.clone(),
            });
        };
        match tcp.read(buf) {
            Ok(0) => {
                return Err(ProbeError::Closed {
                    addr: ctx.addr.clone(),
                    stage: if greeting.is_empty() {
                        "without sending anything"
                    } else {
                        "in the middle of its greeting"
                    },
                });
            }
            Ok(n) => {
                tcp.cap_reads(None);
                greeting.extend_from_slice(buf.get(..n).unwrap_or_default());
                let start = greeting.get(..greeting.len().min(5)).unwrap_or_default();
                if !b"INFO ".starts_with(start) && !b"INFO\t".starts_with(start) {
                    return Err(ProbeError::Garbage {
                        addr: ctx.addr.clone(),
                        preview: preview(&greeting),
                    });
                }
                if let Some(end) = memchr::memchr(b'\n', &greeting) {
                    greeting.truncate(end);
                    if greeting.last() == Some(&b'\r') {
                        greeting.pop();
                    }
                    if greeting.len() > MAX_INFO {
                        return Err(ProbeError::InfoTooLong {
                            addr: ctx.addr.clone(),
                        });
                    }
                    return Ok(Some(greeting));
                }
                if greeting.len() > MAX_INFO {
                    return Err(ProbeError::InfoTooLong {
                        addr: ctx.addr.clone(),
                    });
                }
            }
            Err(e) if is_timeout(&e) => {
                if greeting.is_empty() && ctx.deadline.left().is_some() {
                    return Ok(None);
                }
                return Err(ctx.timeout(if greeting.is_empty() {
                    "waiting for a greeting".to_owned()
                } else {
                    format!(
                        "reading the INFO line: {} bytes and no end of line",
                        greeting.len()
                    )
                }));
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => {
                return Err(ProbeError::Connect {
                    addr: ctx.addr.clone(),
                    detail: e.to_string(),
                });
            }
        }
    }
}

/// An INFO line as both the typed `Info` and the raw JSON object (whose
/// extra fields tell the port's kind).
fn parse_info_line(ctx: &Ctx, line: &[u8]) -> Result<(Info, Map<String, Value>), ProbeError> {
    let info = nats::parse_info(line).map_err(|e| ProbeError::Nats {
        addr: ctx.addr.clone(),
        detail: e.to_string(),
    })?;
    let json = line
        .get(4..)
        .and_then(|rest| serde_json::from_slice::<Map<String, Value>>(rest).ok())
        .unwrap_or_default();
    Ok((info, json))
}

/// Lines from a stream, each at most [`MAX_INFO`] bytes.
#[derive(Default)]
struct Lines {
    pending: Vec<u8>,
    total: usize,
}

enum Line {
    Line(Vec<u8>),
    Closed,
}

impl Lines {
    fn next(&mut self, r: &mut impl Read) -> io::Result<Line> {
        loop {
            if self.total > MAX_SESSION_BYTES {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!(
                        "the server sent more than {MAX_SESSION_BYTES} bytes without answering PING"
                    ),
                ));
            }
            if let Some(end) = memchr::memchr(b'\n', &self.pending) {
                let mut line: Vec<u8> = self.pending.drain(..=end).collect();
                line.pop();
                if line.last() == Some(&b'\r') {
                    line.pop();
                }
                return Ok(Line::Line(line));
            }
            if self.pending.len() > MAX_INFO {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!("the server sent a line longer than {MAX_INFO} bytes"),
                ));
            }
            let mut buf = [0u8; 4096];
            match r.read(&mut buf) {
                Ok(0) => return Ok(Line::Closed),
                Ok(n) => {
                    self.total += n;
                    self.pending
                        .extend_from_slice(buf.get(..n).unwrap_or_default());
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
    }
}

/// A connection closed by the peer (with or without close_notify).
fn is_closed(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::UnexpectedEof
            | io::ErrorKind::ConnectionReset
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::BrokenPipe
    )
}

const CLOSED_AFTER_HANDSHAKE: &str = "the server closed the connection right after the handshake";

/// Why one attempt must be made again with the full greeting wait.
enum Attempt {
    Failed(ProbeError),
    /// INFO arrived after tlsctl had started TLS.
    LateGreeting,
}

impl From<ProbeError> for Attempt {
    fn from(e: ProbeError) -> Attempt {
        Attempt::Failed(e)
    }
}

/// Runs the probe.
pub fn probe(req: Request) -> Result<Observed, ProbeError> {
    let ctx = Ctx {
        addr: req.address.clone(),
        deadline: Deadline::new(req.timeout),
    };
    let (host, port) =
        split_address(&ctx.addr).ok_or_else(|| ProbeError::Address(ctx.addr.clone()))?;
    let addrs = resolve(&ctx, &host, port)?;
    match attempt(&ctx, &req, &host, &addrs, None) {
        Ok(observed) => Ok(observed),
        Err(Attempt::Failed(e)) => Err(e),
        Err(Attempt::LateGreeting) => {
            match attempt(&ctx, &req, &host, &addrs, Some(GREETING_WAIT)) {
                Ok(observed) => Ok(observed),
                Err(Attempt::Failed(e)) => Err(e),
                Err(Attempt::LateGreeting) => Err(ProbeError::Nats {
                    addr: ctx.addr.clone(),
                    detail: format!(
                        "the server sent INFO more than {} ms after accepting",
                        GREETING_WAIT.as_millis()
                    ),
                }),
            }
        }
    }
}

/// One connection: greeting, TLS, session. `greeting_wait` fixes the wait
/// for INFO; `None` scales it from the connect's round trip.
fn attempt(
    ctx: &Ctx,
    req: &Request,
    host: &str,
    addrs: &[SocketAddr],
    greeting_wait: Option<Duration>,
) -> Result<Observed, Attempt> {
    let started = std::time::Instant::now();
    let (tcp, connected_to) = connect(ctx, addrs)?;
    let wait = greeting_wait.unwrap_or_else(|| scaled_wait(started.elapsed(), 20));
    let _ = tcp.set_nodelay(true);
    let mut tcp = Timed::new(tcp, ctx.deadline);

    // The greeting: NATS client and leafnode ports send INFO at once;
    // routes, gateways, handshake_first ports and TLS servers wait.
    let greeting = read_greeting(ctx, &mut tcp, wait)?;
    let mut info = None;
    let mut info_json = Map::new();
    if let Some(line) = &greeting {
        let (i, json) = parse_info_line(ctx, line)?;
        info = Some(i);
        info_json = json;
    }
    if let Some(i) = &info
        && !i.tls_required
        && !i.tls_available
    {
        return Ok(Observed {
            connected_to,
            server_name: String::new(),
            kind: session::classify(&info_json),
            info,
            tls_first: false,
            protocol: String::new(),
            cipher_suite: String::new(),
            chain: Vec::new(),
            outcome: Outcome::NoTls,
        });
    }

    // TLS.
    let provider = super::provider();
    let recorder = Arc::new(Recorder {
        provider: Arc::clone(&provider),
        chain: Mutex::new(Vec::new()),
    });
    let builder = ClientConfig::builder_with_provider(Arc::clone(&provider))
        .with_safe_default_protocol_versions()
        .map_err(|e| ProbeError::Handshake {
            addr: ctx.addr.clone(),
            detail: e.to_string(),
        })?
        .dangerous()
        .with_custom_certificate_verifier(recorder.clone());
    let config = match &req.client_auth {
        Some((chain, key)) => builder
            .with_client_auth_cert(chain.clone(), key.clone_key())
            .map_err(|e| ProbeError::ClientAuth(e.to_string()))?,
        None => builder.with_no_client_auth(),
    };
    let name = req.sni.clone().unwrap_or_else(|| host.to_owned());
    let server_name =
        ServerName::try_from(name.clone()).map_err(|_| ProbeError::ServerName(name.clone()))?;
    let conn = ClientConnection::new(Arc::new(config), server_name).map_err(|e| {
        ProbeError::Handshake {
            addr: ctx.addr.clone(),
            detail: e.to_string(),
        }
    })?;
    tcp.cap_reads(None);
    tcp.watch_first_bytes();
    let handshake_started = std::time::Instant::now();
    let mut tls = StreamOwned::new(conn, tcp);
    let recorded = || recorder.chain.lock().map(|c| c.clone()).unwrap_or_default();
    let mut outcome = None;
    while tls.conn.is_handshaking() {
        if let Err(e) = tls.conn.complete_io(&mut tls.sock) {
            if is_timeout(&e) {
                return Err(ctx.timeout("during the TLS handshake").into());
            }
            if info.is_none() && tls.sock.first_bytes().starts_with(b"INFO") {
                return Err(Attempt::LateGreeting);
            }
            let detail = tls_detail(&e);
            // With the server's chain in hand, a refusal of our side is a
            // finding, not a failure to connect.
            if recorded().is_empty() {
                return Err(Attempt::Failed(if is_closed(&e) {
                    ProbeError::Closed {
                        addr: ctx.addr.clone(),
                        stage: "during the TLS handshake",
                    }
                } else {
                    ProbeError::Handshake {
                        addr: ctx.addr.clone(),
                        detail,
                    }
                }));
            }
            outcome = Some(Outcome::TlsRefused(detail));
            break;
        }
    }
    let protocol = tls
        .conn
        .protocol_version()
        .map(|v| format!("{v:?}").replace("TLSv1_", "TLS 1."))
        .unwrap_or_default();
    let cipher_suite = tls
        .conn
        .negotiated_cipher_suite()
        .map(|s| format!("{:?}", s.suite()))
        .unwrap_or_default();

    let tls_first = info.is_none();
    let mut lines = Lines::default();
    if outcome.is_none() && tls_first {
        // A TLS-first NATS server sends INFO now; a plain TLS server sends
        // nothing; a server that refused our certificate under TLS 1.3
        // sends its alert (or, Go's way, just closes).
        tls.sock
            .cap_reads(Some(scaled_wait(handshake_started.elapsed(), 4)));
        match lines.next(&mut tls) {
            Ok(Line::Line(line)) if line.starts_with(b"INFO") => {
                let (i, json) = parse_info_line(ctx, &line)?;
                info = Some(i);
                info_json = json;
            }
            Ok(Line::Line(_)) => outcome = Some(Outcome::HandshakeOnly),
            Ok(Line::Closed) => outcome = Some(Outcome::TlsRefused(CLOSED_AFTER_HANDSHAKE.into())),
            Err(e) if is_timeout(&e) => outcome = Some(Outcome::HandshakeOnly),
            Err(e) if is_closed(&e) => {
                outcome = Some(Outcome::TlsRefused(CLOSED_AFTER_HANDSHAKE.into()));
            }
            Err(e) => outcome = Some(Outcome::TlsRefused(tls_detail(&e))),
        }
        tls.sock.cap_reads(None);
    }
    if outcome.is_none() {
        outcome = Some(nats_session(
            ctx,
            &mut tls,
            &mut lines,
            &req.credentials,
            &info_json,
        )?);
    }
    let kind = if info.is_some() {
        session::classify(&info_json)
    } else {
        PortKind::Tls
    };
    Ok(Observed {
        connected_to,
        server_name: name,
        info,
        kind,
        tls_first: tls_first && kind != PortKind::Tls,
        protocol,
        cipher_suite,
        chain: recorded(),
        outcome: outcome.unwrap_or(Outcome::HandshakeOnly),
    })
}

/// CONNECT and PING over the TLS session, and what the answer means.
fn nats_session(
    ctx: &Ctx,
    tls: &mut StreamOwned<ClientConnection, Timed>,
    lines: &mut Lines,
    creds: &Credentials,
    info: &Map<String, Value>,
) -> Result<Outcome, ProbeError> {
    let hello = session::connect_and_ping(creds, session::nonce(info)).map_err(|source| {
        ProbeError::Creds {
            addr: ctx.addr.clone(),
            source,
        }
    })?;
    if let Err(e) = tls.write_all(&hello).and_then(|()| tls.flush()) {
        return if is_timeout(&e) {
            Err(ctx.timeout("sending CONNECT and PING"))
        } else if is_closed(&e) {
            Ok(Outcome::TlsRefused(CLOSED_AFTER_HANDSHAKE.into()))
        } else {
            Ok(Outcome::TlsRefused(tls_detail(&e)))
        };
    }
    loop {
        match lines.next(tls) {
            Ok(Line::Line(line)) => match session::answer(&line) {
                session::Answer::Pong => return Ok(Outcome::Accepted),
                session::Answer::WrongPort(e) => return Ok(Outcome::WrongPort(escape(&e))),
                session::Answer::AuthRefused(e) => return Ok(Outcome::AuthRefused(escape(&e))),
                session::Answer::Refused(e) => return Ok(Outcome::Refused(escape(&e))),
                session::Answer::Other => {}
            },
            Ok(Line::Closed) => return Ok(Outcome::TlsRefused(CLOSED_AFTER_HANDSHAKE.into())),
            Err(e) if is_timeout(&e) => {
                return Err(ctx.timeout("waiting for the answer to CONNECT and PING"));
            }
            Err(e) if is_closed(&e) => {
                return Ok(Outcome::TlsRefused(CLOSED_AFTER_HANDSHAKE.into()));
            }
            Err(e) if e.kind() == io::ErrorKind::InvalidData && tls_error(&e).is_none() => {
                return Err(ProbeError::Nats {
                    addr: ctx.addr.clone(),
                    detail: e.to_string(),
                });
            }
            Err(e) => return Ok(Outcome::TlsRefused(tls_detail(&e))),
        }
    }
}

fn tls_error(e: &io::Error) -> Option<&rustls::Error> {
    e.get_ref()
        .and_then(|inner| inner.downcast_ref::<rustls::Error>())
}

fn tls_detail(e: &io::Error) -> String {
    match tls_error(e) {
        Some(rustls::Error::AlertReceived(alert)) => format!("the server sent the alert {alert:?}"),
        Some(rustls::Error::InvalidMessage(m)) => {
            format!("the server's answer is not TLS ({m:?})")
        }
        Some(other) => other.to_string(),
        None if is_closed(e) => CLOSED_AFTER_HANDSHAKE.to_owned(),
        None => e.to_string(),
    }
}

/// Whether a command-line argument names an endpoint (`HOST:PORT`) rather
/// than a file. The caller decides first whether a file of that name exists
/// (a file wins).
pub fn is_endpoint(arg: &str) -> bool {
    split_address(arg).is_some()
}

/// The chain a live endpoint serves, leaf first, for commands that judge a
/// peer's chain like a chain file (`bundle diff --peer HOST:PORT`, `nats
/// check --peer HOST:PORT`): the same probe as `tlsctl probe`, without a
/// client certificate or credentials. A refused session still served its
/// chain, so the outcome does not matter here; no TLS at all is an error.
pub fn served_chain(
    address: &str,
    sni: Option<&str>,
    timeout: Duration,
) -> Result<Vec<CertificateDer<'static>>, ProbeError> {
    let observed = probe(Request {
        address: address.to_owned(),
        sni: sni.map(str::to_owned),
        client_auth: None,
        credentials: Credentials::None,
        timeout,
    })?;
    if observed.chain.is_empty() {
        return Err(ProbeError::NotTls {
            addr: address.to_owned(),
        });
    }
    Ok(observed.chain)
}

/// Probes every request, [`PARALLEL`] at a time, each with its own
/// deadline; results come back in the order of the requests.
pub fn probe_many(requests: Vec<Request>) -> Vec<Result<Observed, ProbeError>> {
    let count = requests.len();
    let slots: Vec<Mutex<Option<Request>>> =
        requests.into_iter().map(|r| Mutex::new(Some(r))).collect();
    let results: Vec<Mutex<Option<Result<Observed, ProbeError>>>> =
        (0..count).map(|_| Mutex::new(None)).collect();
    let next = AtomicUsize::new(0);
    let work = || {
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(slot) = slots.get(i) else { break };
            let req = slot.lock().ok().and_then(|mut r| r.take());
            if let Some(req) = req {
                let result = probe(req);
                if let Some(out) = results.get(i)
                    && let Ok(mut out) = out.lock()
                {
                    *out = Some(result);
                }
            }
        }
    };
    std::thread::scope(|scope| {
        let mut started = 0;
        for _ in 1..PARALLEL.min(count) {
            if std::thread::Builder::new()
                .name("tlsctl-probe".into())
                .spawn_scoped(scope, work)
                .is_ok()
            {
                started += 1;
            }
        }
        // This thread works too, so a failure to spawn only slows things.
        let _ = started;
        work();
    });
    results
        .into_iter()
        .map(|r| {
            r.into_inner().ok().flatten().unwrap_or_else(|| {
                Err(ProbeError::Connect {
                    addr: String::new(),
                    detail: "the probe did not run".to_owned(),
                })
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::TcpListener;

    #[test]
    fn served_chain_returns_what_a_tls_server_presents() {
        let key = rcgen::KeyPair::generate().unwrap();
        let cert = rcgen::CertificateParams::new(vec!["localhost".to_owned()])
            .unwrap()
            .self_signed(&key)
            .unwrap();
        let der = cert.der().clone();
        let config = Arc::new(
            rustls::ServerConfig::builder_with_provider(super::super::provider())
                .with_safe_default_protocol_versions()
                .unwrap()
                .with_no_client_auth()
                .with_single_cert(
                    vec![der.clone()],
                    PrivateKeyDer::try_from(key.serialize_der()).unwrap(),
                )
                .unwrap(),
        );
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap().to_string();
        let server = std::thread::spawn(move || {
            let (s, _) = listener.accept().unwrap();
            let conn = rustls::ServerConnection::new(config).unwrap();
            let mut tls = StreamOwned::new(conn, s);
            let mut buf = [0u8; 64];
            let _ = tls.read(&mut buf);
        });
        assert!(is_endpoint(&addr));
        assert!(!is_endpoint("peers/node-a.pem"));
        let chain = served_chain(&addr, Some("localhost"), Duration::from_secs(5)).unwrap();
        assert_eq!(chain, vec![der]);
        server.join().unwrap();
    }
}
