#!/usr/bin/env bash
# `tlsctl nats check` of a fleet of 100 nats-server configs as one whole
# process: four 20-node clusters (full-mesh routes, cluster and gateway TLS),
# joined by gateways (every node lists the three other clusters by all their
# nodes' URLs), and 20 leaf nodes whose remotes dial hubs of the first
# cluster. Every node has its own certificate, issued by tlsctl from an
# intermediate; each cluster's nodes pin each other. Times the check with
# hyperfine when it is installed, else with /usr/bin/time. See BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
work=${BENCH_DIR:-/tmp/tlsctl-bench}/nats-check-fleet
rm -rf "$work" && mkdir -p "$work"
if [ -z "${TLSCTL_BIN:-}" ]; then
  flock /tmp/cargo.lock cargo build --release --quiet
fi
tlsctl=${TLSCTL_BIN:-$PWD/target/release/tlsctl}
export TLSCTL_HOME=$work/store
cd "$work"
"$tlsctl" -q ca create root --cn "Fleet Root" >/dev/null
"$tlsctl" -q ca create x3 --parent root --cn "Fleet X3" >/dev/null
"$tlsctl" ca export root > ca.pem

clusters=(A B C D)
per=20
port() { echo $(( $2 + $1 )); }   # port NODE_INDEX BASE
nodes=()
for c in "${!clusters[@]}"; do
  for n in $(seq 0 $((per - 1))); do nodes+=("${clusters[$c]}$n"); done
done
for l in $(seq 0 19); do nodes+=("L$l"); done

for name in "${nodes[@]}"; do
  "$tlsctl" -q cert issue "$name.nats.internal" 127.0.0.1 --ca x3 --out "certs/$name"
done

pins_of() {  # the pinned_certs list of cluster $1
  local c=$1 list=()
  for n in $(seq 0 $((per - 1))); do
    list+=("\"$("$tlsctl" pin --bare --leaf-only "certs/$c$n/cert.pem")\"")
  done
  local IFS=,
  echo "[${list[*]}]"
}
tls() {  # tls block for node $1, extra lines $2
  printf 'tls {\n    cert_file: "certs/%s/cert.pem"\n    key_file: "certs/%s/key.pem"\n    ca_file: "ca.pem"\n    timeout: 2\n%s  }' "$1" "$1" "${2:-}"
}
for c in "${!clusters[@]}"; do
  cname=${clusters[$c]}
  pins=$(pins_of "$cname")
  for n in $(seq 0 $((per - 1))); do
    idx=$((c * per + n))
    routes=()
    for m in $(seq 0 $((per - 1))); do
      [ "$m" = "$n" ] || routes+=("\"nats-route://$cname$m.nats.internal:$(port $((c * per + m)) 16000)\"")
    done
    gws=()
    for d in "${!clusters[@]}"; do
      [ "$d" = "$c" ] && continue
      urls=()
      for m in $(seq 0 $((per - 1))); do
        urls+=("\"nats://${clusters[$d]}$m.nats.internal:$(port $((d * per + m)) 17000)\"")
      done
      gws+=("{ name: ${clusters[$d]}, urls: [$(IFS=,; echo "${urls[*]}")] }")
    done
    leaf=""
    if [ "$c" = 0 ]; then
      leaf="leafnodes {
  listen: \"$cname$n.nats.internal:$(port "$idx" 18000)\"
  $(tls "$cname$n" "    verify: true
")
}"
    fi
    cat > "$cname$n.conf" <<CONF
server_name: $cname$n
listen: "0.0.0.0:$(port "$idx" 14000)"
cluster {
  name: $cname
  listen: "$cname$n.nats.internal:$(port "$idx" 16000)"
  routes: [$(IFS=,; echo "${routes[*]}")]
  $(tls "$cname$n" "    pinned_certs: $pins
")
}
gateway {
  name: $cname
  listen: "$cname$n.nats.internal:$(port "$idx" 17000)"
  gateways: [$(IFS=,; echo "${gws[*]}")]
  $(tls "$cname$n")
}
$leaf
CONF
  done
done
for l in $(seq 0 19); do
  hub=$((l % per))
  cat > "L$l.conf" <<CONF
server_name: L$l
listen: "0.0.0.0:$(port $((80 + l)) 14000)"
leafnodes {
  remotes: [ {
    url: "tls://A$hub.nats.internal:$(port "$hub" 18000)"
    $(tls "L$l")
  } ]
}
CONF
done

confs=("${nodes[@]/%/.conf}")
"$tlsctl" --json nats check "${confs[@]}" > check.json
python3 - <<'PY'
import json, collections
d = json.load(open("check.json"))
kinds = collections.Counter((c["kind"], c["verdict"]) for c in d["connections"])
print(f'{len(d["nodes"])} nodes, {len(d["findings"])} findings, {len(d["connections"])} connections:',
      ", ".join(f"{k} {v}: {n}" for (k, v), n in sorted(kinds.items())))
PY
if command -v hyperfine >/dev/null; then
  hyperfine -N --warmup 2 --runs 20 "$tlsctl --json nats check ${confs[*]}"
else
  for i in $(seq 10); do
    /usr/bin/time -f "%e s wall, %U s user, %M KB peak" "$tlsctl" --json nats check "${confs[@]}" > /dev/null
  done
fi
