#!/usr/bin/env bash
# Runs every fuzz target for a bounded time on a seed corpus made from the
# test fixtures, and prints one line per target: executions, and whether it
# crashed. Needs cargo-fuzz (cargo install cargo-fuzz); uses `-s none`, so it
# works on stable Rust.
# usage: fuzz/run.sh [SECONDS_PER_TARGET]   (default 60)
set -euo pipefail
cd "$(dirname "$0")"
secs=${1:-60}
fixtures=../tests/fixtures
work=${FUZZ_WORK:-/tmp/tlsctl-fuzz}
mkdir -p "$work"
seed() {
  local dir=$work/corpus/$1; mkdir -p "$dir"
  case $1 in
    nats_info) cp seeds/nats_info/* "$dir/" ;;
    natsconf) cp seeds/natsconf/* "$dir/" ;;
    natslog) for f in "$fixtures"/natslog/*/*.log; do cp "$f" "$dir/$(basename "$(dirname "$f")")-$(basename "$f")"; done ;;
    cert_model) for f in "$fixtures"/certs/*.der "$fixtures"/keys/*.der; do cp "$f" "$dir/"; done
                for f in "$fixtures"/chain/*.pem; do openssl x509 -in "$f" -outform DER -out "$dir/$(basename "$f").der" 2>/dev/null || true; done ;;
    diff) for f in "$fixtures"/chain/*.pem; do (printf '\x80'; cat "$f" "$fixtures/chain/root.pem") > "$dir/$(basename "$f")"; done ;;
    *) find "$fixtures" -type f \( -name '*.pem' -o -name '*.der' \) -exec cp {} "$dir/" \; ;;
  esac
}
# Build first, so a compile error is reported as one and not as a crash.
cargo fuzz build -s none >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; echo "fuzz targets did not build" >&2; exit 2; }
status=0
for target in reader cert_model bundle diff nats_info natsconf natslog; do
  seed "$target"
  log=$work/$target.log
  if cargo fuzz run -s none "$target" "$work/corpus/$target" -- -max_total_time="$secs" -rss_limit_mb=2048 >"$log" 2>&1; then
    result=ok
  else
    result="CRASH (see $log and fuzz/artifacts/$target)"
    status=1
  fi
  execs=$(grep -oE '^#[0-9]+' "$log" | tail -1 | tr -d '#')
  echo "$target: ${execs:-0} executions in ${secs}s, $result"
done
exit $status
