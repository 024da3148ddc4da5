#!/usr/bin/env bash
# Issuing one P-256 leaf from an existing CA, as a whole process: tlsctl
# (with its fsyncs, lock and store record) beside `mkcert -ecdsa` and
# `openssl req -x509 -CA`. Needs hyperfine, mkcert, openssl (without hyperfine:
# benches/paired.py against openssl only). See BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
work=${BENCH_DIR:-/tmp/tlsctl-bench}/issue
rm -rf "$work" && mkdir -p "$work"
cargo build --release --quiet
# Timed as installed (a copy, as `cargo install` makes), not the linker's
# output in place: a short-lived process pays a page fault per page of code
# it runs, and the linker's output sits in the page cache in small pieces
# (15% slower here than a copy). With the page cache dropped first, tlsctl
# and openssl both read back from disk, and the ratio was the same. See
# BENCHMARKS.md.
mkdir -p "$work/bin"
install -m 755 target/release/tlsctl "$work/bin/tlsctl"
tlsctl=$work/bin/tlsctl
export TLSCTL_HOME=$work/store
"$tlsctl" -q ca create bench >/dev/null
ours="$tlsctl -q cert issue localhost 127.0.0.1 --ca bench --cert-out t.pem --key-out t.key --force"
theirs="openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout o.key -out o.pem -subj /CN=localhost -addext subjectAltName=DNS:localhost,IP:127.0.0.1 -CA $TLSCTL_HOME/cas/bench/ca.pem -CAkey $TLSCTL_HOME/cas/bench/ca.key -days 365"
paired=$PWD/benches/paired.py
if ! command -v hyperfine >/dev/null; then
  # No hyperfine (or a loaded machine): paired, interleaved runs, medians.
  cd "$work"
  python3 "$paired" 40 "$ours" "$theirs"
  exit 0
fi
export CAROOT=$work/mkcert-ca
mkcert -ecdsa -cert-file "$work/warm.pem" -key-file "$work/warm.key" localhost >/dev/null 2>&1
cd "$work"
hyperfine -N --warmup 5 --runs 100 --export-markdown issue.md \
  "$ours" \
  "mkcert -ecdsa -cert-file m.pem -key-file m.key localhost 127.0.0.1" \
  "$theirs"
cat issue.md
echo "(mkcert's CA is its own RSA-3072 root; tlsctl and openssl sign with the same P-256 CA)"
