#!/usr/bin/env bash
# `tlsctl bundle diff` of two 10,000-certificate bundles sharing 9,000, beside
# a one-process Python `cryptography` script doing the same matching; and
# `tlsctl bundle add` of 10,000 certificates into an empty bundle.
# Needs hyperfine, python3 with cryptography. Results: BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
work=${BENCH_DIR:-/tmp/tlsctl-bench}
mkdir -p "$work"
[ -s "$work/b11k.pem" ] || python3 benches/make_bundle.py "$work/b11k.pem" 11000
awk '/-----BEGIN/{n++} n<=10000 {print}' "$work/b11k.pem" > "$work/A.pem"
awk '/-----BEGIN/{n++} n>1000 {print}' "$work/b11k.pem" > "$work/B.pem"
cargo build --release --quiet
tlsctl=$PWD/target/release/tlsctl
cd "$work"
# Same answer first.
ours=$("$tlsctl" bundle diff A.pem B.pem | tail -1)
theirs=$(python3 "$OLDPWD/benches/diff_python.py" A.pem B.pem)
echo "tlsctl: $ours"
echo "python: $theirs"
[ "$ours" = "$theirs" ] || { echo "the two disagree" >&2; exit 1; }
if ! command -v hyperfine >/dev/null; then
  # No hyperfine (or a loaded machine): paired, interleaved runs, medians.
  python3 "$OLDPWD/benches/paired.py" 20 "$tlsctl --json bundle diff A.pem B.pem" \
    "python3 $OLDPWD/benches/diff_python.py A.pem B.pem" "$tlsctl bundle diff A.pem B.pem"
  exit 0
fi
hyperfine -N --warmup 2 --runs 20 --export-markdown diff.md \
  "$tlsctl bundle diff A.pem B.pem" \
  "$tlsctl --json bundle diff A.pem B.pem" \
  "python3 $OLDPWD/benches/diff_python.py A.pem B.pem"
hyperfine -N --warmup 1 --runs 10 --prepare "rm -f empty.pem" --export-markdown add.md \
  "$tlsctl -q bundle add empty.pem A.pem"
cat diff.md add.md
