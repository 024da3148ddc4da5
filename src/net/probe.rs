//! A TLS probe. It connects to one address, reads a NATS `INFO` greeting
//! if the server sends one (and then upgrades, as NATS clients do), or
//! otherwise starts TLS at once; it records the chain the server serves,
//! accepting it whatever it is, so that `pki` can judge it afterwards.
//! Every step is bounded by one deadline.

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::{ClientConfig, ClientConnection, DigitallySignedStruct, SignatureScheme, StreamOwned};
use rustls_pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
use thiserror::Error;

use crate::pki::nats::{self, Info, MAX_INFO};

/// How long a server may stay silent before tlsctl decides it is not a
/// NATS server (which greets at once) and starts TLS itself.
pub const GREETING_WAIT: Duration = Duration::from_millis(500);

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
        stage: &'static str,
    },
    #[error("{addr}: the server closed the connection {stage}")]
    Closed { addr: String, stage: &'static str },
    #[error(
        "{addr}: the server sent something that is neither a NATS INFO line nor TLS: {preview}"
    )]
    Garbage { addr: String, preview: String },
    #[error("{addr}: {detail}")]
    Nats { addr: String, detail: String },
    #[error("{addr}: TLS handshake failed: {detail}")]
    Handshake { addr: String, detail: String },
    #[error("invalid client certificate or key: {0}")]
    ClientAuth(String),
    #[error("{0} is not a name or address TLS can use for SNI")]
    ServerName(String),
}

/// What to probe and how.
pub struct Request {
    pub address: String,
    pub sni: Option<String>,
    pub client_auth: Option<(Vec<CertificateDer<'static>>, PrivateKeyDer<'static>)>,
    pub timeout: Duration,
}

/// What the probe saw.
#[derive(Debug)]
pub struct Observed {
    pub connected_to: SocketAddr,
    /// The name sent as SNI (and to verify against), when one was.
    pub server_name: String,
    pub info: Option<Info>,
    /// The NATS server speaks TLS first (INFO came over TLS).
    pub tls_first_info: Option<Info>,
    pub protocol: String,
    pub cipher_suite: String,
    pub chain: Vec<CertificateDer<'static>>,
    /// After the handshake, the server refused the session (a TLS 1.3
    /// server that rejects the client certificate says so here).
    pub refused_after_handshake: Option<String>,
    /// A NATS server answered PING with PONG over TLS.
    pub nats_pong: bool,
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

struct Deadline {
    end: Instant,
    total: Duration,
}

impl Deadline {
    fn left(&self) -> Duration {
        self.end
            .saturating_duration_since(Instant::now())
            .max(Duration::from_millis(1))
    }

    fn passed(&self) -> bool {
        Instant::now() >= self.end
    }
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

/// Runs the probe.
pub fn probe(req: Request) -> Result<Observed, ProbeError> {
    let addr = req.address.clone();
    let deadline = Deadline {
        end: Instant::now() + req.timeout,
        total: req.timeout,
    };
    let timeout_err = |stage: &'static str| ProbeError::Timeout {
        addr: addr.clone(),
        secs: deadline.total.as_secs_f64(),
        stage,
    };
    let (host, port) = split_address(&addr).ok_or_else(|| ProbeError::Address(addr.clone()))?;
    let addrs: Vec<SocketAddr> = (host.as_str(), port)
        .to_socket_addrs()
        .map_err(|e| ProbeError::Resolve {
            addr: addr.clone(),
            detail: e.to_string(),
        })?
        .collect();
    let mut last_err = None;
    let mut tcp = None;
    for a in &addrs {
        match TcpStream::connect_timeout(a, deadline.left()) {
            Ok(s) => {
                tcp = Some((s, *a));
                break;
            }
            Err(e) => last_err = Some(e),
        }
    }
    let Some((mut tcp, connected_to)) = tcp else {
        return Err(match last_err {
            Some(e) if e.kind() == io::ErrorKind::TimedOut => timeout_err("connecting"),
            Some(e) if e.kind() == io::ErrorKind::ConnectionRefused => ProbeError::Connect {
                addr: addr.clone(),
                detail: "connection refused (is the server running, on that port?)".to_owned(),
            },
            Some(e) => ProbeError::Connect {
                addr: addr.clone(),
                detail: e.to_string(),
            },
            None => ProbeError::Resolve {
                addr: addr.clone(),
                detail: "no address".to_owned(),
            },
        });
    };
    let _ = tcp.set_nodelay(true);

    // The greeting: NATS servers send INFO at once; TLS servers wait.
    let mut greeting = Vec::new();
    let wait = GREETING_WAIT.min(deadline.left());
    let _ = tcp.set_read_timeout(Some(wait));
    let info = loop {
        let mut buf = [0u8; 4096];
        match tcp.read(&mut buf) {
            Ok(0) if greeting.is_empty() => {
                return Err(ProbeError::Closed {
                    addr: addr.clone(),
                    stage: "without sending anything",
                });
            }
            Ok(0) => {
                return Err(ProbeError::Closed {
                    addr: addr.clone(),
                    stage: "in the middle of its greeting",
                });
            }
            Ok(n) => {
                greeting.extend_from_slice(buf.get(..n).unwrap_or_default());
                if !b"INFO ".starts_with(greeting.get(..greeting.len().min(5)).unwrap_or_default())
                {
                    return Err(ProbeError::Garbage {
                        addr: addr.clone(),
                        preview: preview(&greeting),
                    });
                }
                if let Some(end) = greeting.iter().position(|&b| b == b'\n') {
                    let line = greeting.get(..end).unwrap_or_default();
                    let info = nats::parse_info(line).map_err(|e| ProbeError::Nats {
                        addr: addr.clone(),
                        detail: e.to_string(),
                    })?;
                    break Some(info);
                }
                if greeting.len() > MAX_INFO {
                    return Err(ProbeError::Nats {
                        addr: addr.clone(),
                        detail: nats::InfoError::TooLong.to_string(),
                    });
                }
                if deadline.passed() {
                    return Err(timeout_err("reading the INFO line"));
                }
                let _ = tcp.set_read_timeout(Some(deadline.left()));
            }
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) =>
            {
                if greeting.is_empty() {
                    break None;
                }
                return Err(timeout_err("reading the INFO line"));
            }
            Err(e) => {
                return Err(ProbeError::Connect {
                    addr: addr.clone(),
                    detail: e.to_string(),
                });
            }
        }
    };
    if let Some(i) = &info
        && !i.tls_required
        && !i.tls_available
    {
        return Ok(Observed {
            connected_to,
            server_name: String::new(),
            info,
            tls_first_info: None,
            protocol: String::new(),
            cipher_suite: String::new(),
            chain: Vec::new(),
            refused_after_handshake: None,
            nats_pong: false,
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
            addr: addr.clone(),
            detail: e.to_string(),
        })?
        .dangerous()
        .with_custom_certificate_verifier(recorder.clone());
    let config = match req.client_auth {
        Some((chain, key)) => builder
            .with_client_auth_cert(chain, key)
            .map_err(|e| ProbeError::ClientAuth(e.to_string()))?,
        None => builder.with_no_client_auth(),
    };
    let name = req.sni.clone().unwrap_or_else(|| host.clone());
    let server_name =
        ServerName::try_from(name.clone()).map_err(|_| ProbeError::ServerName(name.clone()))?;
    let conn = ClientConnection::new(Arc::new(config), server_name).map_err(|e| {
        ProbeError::Handshake {
            addr: addr.clone(),
            detail: e.to_string(),
        }
    })?;
    let _ = tcp.set_read_timeout(Some(deadline.left()));
    let _ = tcp.set_write_timeout(Some(deadline.left()));
    let mut tls = StreamOwned::new(conn, tcp);
    let recorded = || recorder.chain.lock().map(|c| c.clone()).unwrap_or_default();
    let mut refused = None;
    while tls.conn.is_handshaking() {
        if let Err(e) = tls.conn.complete_io(&mut tls.sock) {
            if deadline.passed()
                || matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                )
            {
                return Err(timeout_err("during the TLS handshake"));
            }
            let detail = handshake_detail(&e);
            // With the server's chain in hand, a refusal of our side is a
            // finding, not a failure to connect.
            if recorded().is_empty() {
                return Err(if e.kind() == io::ErrorKind::UnexpectedEof {
                    ProbeError::Closed {
                        addr: addr.clone(),
                        stage: "during the TLS handshake",
                    }
                } else {
                    ProbeError::Handshake {
                        addr: addr.clone(),
                        detail,
                    }
                });
            }
            refused = Some(detail);
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

    // After the handshake: a NATS server answers PING; a TLS-first NATS
    // server sends INFO; any server that refused our certificate under
    // TLS 1.3 sends its alert now.
    let mut nats_pong = false;
    let mut tls_first_info = None;
    if refused.is_none() {
        let settle = if info.is_some() {
            deadline.left()
        } else {
            GREETING_WAIT.min(deadline.left())
        };
        let _ = tls.sock.set_read_timeout(Some(settle));
        if info.is_some() {
            let _ = tls.write_all(b"PING\r\n").and_then(|()| tls.flush());
        }
        let mut got = Vec::new();
        loop {
            let mut buf = [0u8; 4096];
            match tls.read(&mut buf) {
                Ok(0) => {
                    // Go's TLS servers (nats-server among them) reject a
                    // client certificate by closing right after the
                    // handshake, without an alert.
                    if got.is_empty() || info.is_some() && !nats_pong {
                        refused = Some(
                            "the server closed the connection right after the handshake".to_owned(),
                        );
                    }
                    break;
                }
                Ok(n) => {
                    got.extend_from_slice(buf.get(..n).unwrap_or_default());
                    if got.windows(6).any(|w| w == b"PONG\r\n") {
                        nats_pong = true;
                        break;
                    }
                    if info.is_none()
                        && let Some(end) = got.iter().position(|&b| b == b'\n')
                    {
                        tls_first_info = nats::parse_info(got.get(..end).unwrap_or_default()).ok();
                        break;
                    }
                    if got.starts_with(b"-ERR") && got.contains(&b'\n') {
                        refused = Some(String::from_utf8_lossy(&got).trim().to_owned());
                        break;
                    }
                    if got.len() > MAX_INFO {
                        break;
                    }
                }
                Err(e)
                    if matches!(
                        e.kind(),
                        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                    ) =>
                {
                    if info.is_some() {
                        refused =
                            Some("no PONG from the NATS server after the handshake".to_owned());
                    }
                    break;
                }
                Err(e) => {
                    refused = Some(handshake_detail(&e));
                    break;
                }
            }
        }
    }
    let chain = recorded();
    Ok(Observed {
        connected_to,
        server_name: name,
        info,
        tls_first_info,
        protocol,
        cipher_suite,
        chain,
        refused_after_handshake: refused,
        nats_pong,
    })
}

fn handshake_detail(e: &io::Error) -> String {
    match e
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<rustls::Error>())
    {
        Some(rustls::Error::AlertReceived(alert)) => format!("the server sent the alert {alert:?}"),
        Some(other) => other.to_string(),
        None => e.to_string(),
    }
}
