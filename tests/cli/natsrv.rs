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

/// A free port on 127.0.0.1 (bound, then released).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl NatsServer {
    /// Starts nats-server with `config` (which must use `port` from
    /// [`free_port`]) in `dir`, and waits until it accepts connections.
    pub fn start(dir: &Path, name: &str, config: &str, port: u16) -> NatsServer {
        let conf = dir.join(format!("{name}.conf"));
        let log = dir.join(format!("{name}.log"));
        std::fs::write(&conf, config).unwrap();
        let child = Command::new("nats-server")
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
