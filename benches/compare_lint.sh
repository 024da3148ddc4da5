#!/usr/bin/env bash
# `tlsctl bundle lint` beside `tlsctl bundle list` on 10,000 and 100,000
# certificates (benches/make_bundle.py), and on 100,000 plus 5,000
# duplicates. Lint must cost about what list costs: one pass, one hash
# lookup per certificate. Uses hyperfine when installed, else /usr/bin/time.
# Results: BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
work=${BENCH_DIR:-/tmp/tlsctl-bench}
mkdir -p "$work"
[ -s "$work/b100k.pem" ] || python3 benches/make_bundle.py "$work/b100k.pem" 100000
awk '/-----BEGIN/{n++} n<=10000 {print}' "$work/b100k.pem" > "$work/b10k.pem"
awk '/-----BEGIN/{n++} n<=5000 {print}' "$work/b100k.pem" > "$work/head5k.pem"
cat "$work/b100k.pem" "$work/head5k.pem" > "$work/dup105k.pem"
cargo build --release --quiet
tlsctl=$PWD/target/release/tlsctl
cd "$work"
export TLSCTL_NOW=2027-06-01T12:00:00Z
dups=$("$tlsctl" --json bundle lint dup105k.pem | grep -c '"code": "duplicate"' || true)
[ "$dups" = 5000 ] || { echo "expected 5000 duplicates, lint found $dups" >&2; exit 1; }
if command -v hyperfine >/dev/null; then
  hyperfine -N -i --warmup 1 --runs 10 --export-markdown lint.md \
    "$tlsctl bundle list b10k.pem" "$tlsctl bundle lint b10k.pem" \
    "$tlsctl bundle list b100k.pem" "$tlsctl bundle lint b100k.pem" \
    "$tlsctl bundle lint dup105k.pem"
  cat lint.md
else
  for f in b10k b100k dup105k; do
    for c in list lint; do
      for _ in 1 2 3 4 5; do
        /usr/bin/time -f "$f $c %e s %M KB" "$tlsctl" bundle "$c" "$f.pem" > /dev/null || true
      done
    done
  done
fi
