#!/usr/bin/env bash
# Every reading command at 1,000, 10,000 and 100,000 certificates: the median
# wall time of several runs, the time per certificate, and the peak RSS
# (/usr/bin/time -v) beside the input size. Linear means the time per
# certificate does not grow from 10k to 100k (the script prints the ratio;
# the target is at most 1.5x) and peak memory stays under 3x the input.
#
# usage: benches/scaling.sh [SIZES...]     (default: 1000 10000 100000)
# Needs python3 with cryptography (benches/make_bundle.py), GNU time, bc.
# BENCH_DIR (default /tmp/tlsctl-bench) keeps the generated bundles.
set -euo pipefail
cd "$(dirname "$0")/.."
work=${BENCH_DIR:-/tmp/tlsctl-bench}/scaling
mkdir -p "$work"
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000 100000)
max=0
for n in "${sizes[@]}"; do [ "$n" -gt "$max" ] && max=$n; done
pool=$work/pool-$((max + max / 10)).pem
[ -s "$pool" ] || python3 benches/make_bundle.py "$pool" $((max + max / 10))
# TLSCTL=path skips the build and measures that binary.
if [ -z "${TLSCTL:-}" ]; then
  cargo build --release --quiet
  TLSCTL=$PWD/target/release/tlsctl
fi
tlsctl=$TLSCTL
export TLSCTL_HOME=$work/store
[ -d "$TLSCTL_HOME/cas/scale" ] || "$tlsctl" -q ca create scale >/dev/null
[ -s "$work/leaf.pem" ] ||
  "$tlsctl" -q cert issue leaf.example --ca scale --cert-out "$work/leaf.pem" \
    --key-out "$work/leaf.key" --force >/dev/null

# N certificates: OLD is the first N of the pool, NEW drops the first tenth
# and adds as many (the diff's 90% unchanged); TRUST is OLD with the store's
# CA last, so that verify walks the whole bundle to find its anchor.
make_inputs() {
  local n=$1
  [ -s "$work/old-$n.pem" ] ||
    awk -v n="$n" '/-----BEGIN/{c++} c<=n {print}' "$pool" >"$work/old-$n.pem"
  [ -s "$work/new-$n.pem" ] ||
    awk -v a=$((n / 10)) -v b=$((n + n / 10)) '/-----BEGIN/{c++} c>a && c<=b {print}' \
      "$pool" >"$work/new-$n.pem"
  [ -s "$work/trust-$n.pem" ] ||
    cat "$work/old-$n.pem" "$TLSCTL_HOME/cas/scale/ca.pem" >"$work/trust-$n.pem"
  # A node whose client TLS block trusts TRUST (nats check reads its ca_file).
  printf 'port: 4222\ntls {\n  cert_file: "%s"\n  key_file: "%s"\n  ca_file: "%s"\n  verify: true\n}\n' \
    "$work/leaf.pem" "$work/leaf.key" "$work/trust-$n.pem" >"$work/node-$n.conf"
}

runs_for() { if [ "$1" -ge 100000 ]; then echo 3; else echo 7; fi; }

# One measurement: median wall ms over the runs, and the largest peak RSS.
measure() {
  local runs=$1
  shift
  local times=() peak=0 start end kb
  for _ in $(seq "$runs"); do
    start=$(date +%s%N)
    /usr/bin/time -v -o "$work/time.txt" "$@" >/dev/null 2>"$work/stderr.txt" || true
    end=$(date +%s%N)
    times+=($(((end - start) / 1000)))
    kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time.txt")
    [ "$kb" -gt "$peak" ] && peak=$kb
  done
  local median
  median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  echo "$median $peak"
}

commands=(
  "pin --bare OLD"
  "pin OLD"
  "--json pin OLD"
  "inspect OLD"
  "--json inspect OLD"
  "bundle list OLD"
  "--json bundle list OLD"
  "bundle lint OLD"
  "bundle diff OLD NEW"
  "--json bundle diff OLD NEW"
  "verify --bundle TRUST LEAF"
  "--json nats check CONF"
)

printf '%-28s %7s %10s %9s %9s %9s %6s\n' command certs "median ms" "us/cert" "peak MB" "input MB" "RSS/in"
declare -A per_cert
for cmd in "${commands[@]}"; do
  for n in "${sizes[@]}"; do
    make_inputs "$n"
    args=${cmd//OLD/$work/old-$n.pem}
    args=${args//NEW/$work/new-$n.pem}
    args=${args//TRUST/$work/trust-$n.pem}
    args=${args//LEAF/$work/leaf.pem}
    args=${args//CONF/$work/node-$n.conf}
    # shellcheck disable=SC2086
    read -r us kb < <(measure "$(runs_for "$n")" "$tlsctl" $args)
    input=$(stat -c %s "$work/old-$n.pem")
    [[ $cmd == *NEW* ]] && input=$((input + $(stat -c %s "$work/new-$n.pem")))
    per=$(echo "scale=3; $us / $n" | bc)
    per_cert["$cmd/$n"]=$per
    printf '%-28s %7d %10.1f %9.3f %9.1f %9.1f %6.2f\n' "$cmd" "$n" \
      "$(echo "scale=1; $us / 1000" | bc)" "$per" "$(echo "scale=1; $kb / 1024" | bc)" \
      "$(echo "scale=1; $input / 1048576" | bc)" "$(echo "scale=2; $kb * 1024 / $input" | bc)"
  done
  if [ -n "${per_cert["$cmd/10000"]:-}" ] && [ -n "${per_cert["$cmd/100000"]:-}" ]; then
    printf '%-28s %s\n' "" "time per certificate 10k -> 100k: x$(echo "scale=2; ${per_cert["$cmd/100000"]} / ${per_cert["$cmd/10000"]}" | bc)"
  fi
done
