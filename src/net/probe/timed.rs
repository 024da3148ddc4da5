//! One deadline over a whole probe. Every read and write on the socket
//! first sets the socket's timeout to the time that is left, so a peer that
//! drips one byte at a time cannot stretch the probe: the deadline is a
//! point in time, not a per-read allowance.

use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

/// The end of the probe, fixed when it starts.
#[derive(Debug, Clone, Copy)]
pub struct Deadline {
    end: Instant,
    total: Duration,
}

impl Deadline {
    pub fn new(total: Duration) -> Deadline {
        Deadline {
            end: Instant::now() + total,
            total,
        }
    }

    /// The time left, or `None` once (within a millisecond of) the end: a
    /// socket timeout of zero would mean "wait forever".
    pub fn left(&self) -> Option<Duration> {
        let left = self.end.saturating_duration_since(Instant::now());
        (left >= Duration::from_millis(1)).then_some(left)
    }

    pub fn total(&self) -> Duration {
        self.total
    }
}

/// The error a read or write returns once the deadline has passed.
pub fn expired() -> io::Error {
    io::Error::new(io::ErrorKind::TimedOut, "the probe's deadline passed")
}

/// Whether an I/O error is a socket timeout (Linux reports an expired
/// `SO_RCVTIMEO` as `EAGAIN`, which std calls `WouldBlock`).
pub fn is_timeout(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
    )
}

/// A TCP stream whose every read and write ends by the deadline (or by an
/// earlier `cap` for reads, while the probe waits for a greeting).
#[derive(Debug)]
pub struct Timed {
    tcp: TcpStream,
    deadline: Deadline,
    read_cap: Option<Duration>,
    /// The first bytes read since `watch_first_bytes` (at most 8).
    first: Option<Vec<u8>>,
}

impl Timed {
    pub fn new(tcp: TcpStream, deadline: Deadline) -> Timed {
        Timed {
            tcp,
            deadline,
            read_cap: None,
            first: None,
        }
    }

    /// Starts recording the first bytes read from now on (to tell a late
    /// INFO line from a TLS record).
    pub fn watch_first_bytes(&mut self) {
        self.first = Some(Vec::new());
    }

    pub fn first_bytes(&self) -> &[u8] {
        self.first.as_deref().unwrap_or_default()
    }

    /// Reads wait at most `cap` (and never past the deadline) until the
    /// cap is lifted with `None`.
    pub fn cap_reads(&mut self, cap: Option<Duration>) {
        self.read_cap = cap;
    }

    fn read_timeout(&self) -> io::Result<Duration> {
        let left = self.deadline.left().ok_or_else(expired)?;
        Ok(self.read_cap.map_or(left, |c| c.min(left)))
    }
}

impl Read for Timed {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let timeout = self.read_timeout()?;
        self.tcp.set_read_timeout(Some(timeout))?;
        let n = self.tcp.read(buf).map_err(|e| {
            if is_timeout(&e) {
                io::Error::new(io::ErrorKind::TimedOut, e)
            } else {
                e
            }
        })?;
        if let Some(first) = &mut self.first
            && first.len() < 8
        {
            let take = (8 - first.len()).min(n);
            first.extend_from_slice(buf.get(..take).unwrap_or_default());
        }
        Ok(n)
    }
}

impl Write for Timed {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let left = self.deadline.left().ok_or_else(expired)?;
        self.tcp.set_write_timeout(Some(left))?;
        self.tcp.write(buf).map_err(|e| {
            if is_timeout(&e) {
                io::Error::new(io::ErrorKind::TimedOut, e)
            } else {
                e
            }
        })
    }

    fn flush(&mut self) -> io::Result<()> {
        self.tcp.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::TcpListener;

    #[test]
    fn a_dripping_peer_cannot_stretch_the_deadline() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let server = std::thread::spawn(move || {
            let (mut s, _) = listener.accept().unwrap();
            for _ in 0..20 {
                if s.write_all(b"x").is_err() {
                    break;
                }
                std::thread::sleep(Duration::from_millis(100));
            }
        });
        let start = Instant::now();
        let mut timed = Timed::new(
            TcpStream::connect(addr).unwrap(),
            Deadline::new(Duration::from_millis(500)),
        );
        let mut got = Vec::new();
        let mut buf = [0u8; 1];
        let err = loop {
            match timed.read(&mut buf) {
                Ok(0) => panic!("closed early"),
                Ok(n) => got.extend_from_slice(&buf[..n]),
                Err(e) => break e,
            }
        };
        assert!(is_timeout(&err), "{err}");
        assert!(start.elapsed() < Duration::from_millis(800));
        assert!((3..=7).contains(&got.len()), "{}", got.len());
        drop(timed);
        server.join().unwrap();
    }
}
