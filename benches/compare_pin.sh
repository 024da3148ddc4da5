#!/usr/bin/env bash
# Compares `tlsctl pin --bare` on a 10,000-certificate bundle (half RSA-2048,
# half P-256) with a one-process Python `cryptography` loop and with the
# openssl pipeline per certificate (timed on 200, scaled to 10,000).
# Needs: hyperfine, python3 with cryptography, openssl. Results: BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
work=${BENCH_DIR:-/tmp/tlsctl-bench}
mkdir -p "$work"
bundle=$work/bundle-10k.pem
[ -s "$bundle" ] || python3 benches/make_bundle.py "$bundle" 10000
cargo build --release --quiet
tlsctl=$PWD/target/release/tlsctl

# Same answers first: a benchmark of different output is meaningless.
diff <("$tlsctl" pin --bare "$bundle") <(python3 benches/pin_python.py "$bundle")
echo "tlsctl and Python agree on all $(grep -c BEGIN "$bundle") pins"

hyperfine -N --warmup 3 --runs 30 --export-markdown "$work/pin.md" \
  "$tlsctl pin --bare $bundle" \
  "python3 benches/pin_python.py $bundle"

# The openssl pipeline, one certificate at a time, on the first 200.
split_dir=$work/split
rm -rf "$split_dir" && mkdir -p "$split_dir"
awk -v dir="$split_dir" '/-----BEGIN/{n++} n<=200 {print > (dir "/" n ".pem")}' "$bundle"
start=$(date +%s.%N)
for f in "$split_dir"/*.pem; do
  openssl x509 -noout -pubkey -in "$f" | openssl pkey -pubin -outform DER | openssl dgst -sha256 >/dev/null
done
end=$(date +%s.%N)
echo "openssl pipeline: 200 certificates in $(echo "$end - $start" | bc) s; x50 = $(echo "($end - $start) * 50" | bc) s for 10,000"
cat "$work/pin.md"
