#!/usr/bin/env bash
# Whole-process time from launching `tlsctl tui BUNDLE` in tmux to the
# first screen showing the 10,000-certificate bundle, polling the pane
# every 2 ms (so the figure includes up to 2 ms of polling). 10 runs.
# usage: benches/tui_first_screen.sh [BUNDLE]   (default: the compare_pin.sh bundle)
set -euo pipefail
cd "$(dirname "$0")/.."
bundle=${1:-${BENCH_DIR:-/tmp/tlsctl-bench}/bundle-10k.pem}
[ -s "$bundle" ] || python3 benches/make_bundle.py "$bundle" 10000
cargo build --release --quiet
bin=$PWD/target/release/tlsctl
sock=tlsctl-bench-$$
trap 'tmux -L "$sock" kill-server 2>/dev/null || true' EXIT
for i in $(seq 10); do
  start=$(date +%s%N)
  tmux -L "$sock" new-session -d -s b -x 80 -y 24 "TLSCTL_HOME=/nonexistent '$bin' tui '$bundle'"
  until tmux -L "$sock" capture-pane -p -t b 2>/dev/null | grep -q "10000 certificates"; do sleep 0.002; done
  end=$(date +%s%N)
  echo "run $i: $(( (end - start) / 1000000 )) ms"
  tmux -L "$sock" kill-session -t b
done
