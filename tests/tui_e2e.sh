#!/usr/bin/env bash
# End-to-end test of `tlsctl tui` in a real terminal (tmux): open a bundle,
# filter, open the detail pane, resize, quit; the screens are checked at
# each step and the exit status must be 0. Then again under NO_COLOR: no
# colour reaches the terminal, and the selected row is still in reverse
# video with its `>`. Last, the fleet view of two nats-server configs whose
# route is broken, and a rehearsed replacement. Run by .ci/run.
# usage: tests/tui_e2e.sh [path/to/tlsctl]
set -euo pipefail
bin=$(realpath "${1:-target/debug/tlsctl}")
work=$(mktemp -d)
sock=tlsctl-e2e-$$
trap 'tmux -L "$sock" kill-server 2>/dev/null || true; rm -rf "$work"' EXIT
export TLSCTL_HOME=$work/store
cd "$work"
"$bin" -q ca create root --cn "Acme Root" >/dev/null
"$bin" -q ca create x3 --parent root --cn "Acme X3" >/dev/null
"$bin" -q ca create r3 --parent root --cn "Acme R3" >/dev/null
"$bin" -q bundle add trust.pem store/cas/x3/ca.pem store/cas/r3/ca.pem store/cas/root/ca.pem >/dev/null

fail() { echo "tui e2e: $*" >&2; echo "--- screen ---" >&2; tmux -L "$sock" capture-pane -p -t t >&2 || true; exit 1; }
screen() { tmux -L "$sock" capture-pane -p -t t; }
# Waits (at most 5 s) until the screen shows $1.
wait_for() {
  for _ in $(seq 50); do
    if screen | grep -qF -- "$1"; then return 0; fi
    sleep 0.1
  done
  fail "never showed: $1"
}
keys() { tmux -L "$sock" send-keys -t t "$@"; sleep 0.3; }

tmux -L "$sock" new-session -d -s t -x 80 -y 24 \
  "TLSCTL_HOME='$TLSCTL_HOME' '$bin' tui trust.pem; echo \$? > '$work/rc'; sleep 60"
wait_for "trust.pem — 3 certificates"
wait_for "Acme X3"
# The footer has the keys of a bundle view.
wait_for "a add  d remove"

# Filter.
keys /
keys R 3
keys Enter
wait_for "1 of 3 certificates"
screen | grep -q "Acme X3" && fail "the filter left Acme X3 on screen"

# Detail pane (covers the list at 80 columns): the pin first.
keys Enter
wait_for "Subject:            O=tlsctl, CN=Acme R3"
wait_for "Role:               intermediate CA"
screen | sed -n 3p | grep -q "SPKI pin:" || fail "the pin is not the first line of the detail"

# Resize: list and detail side by side, the pin on one line.
tmux -L "$sock" resize-window -t t -x 120 -y 40
sleep 0.4
wait_for "SPKI pin:"
pin=$("$bin" pin --bare store/cas/r3/ca.pem)
wait_for "$pin"
[ "$(screen | wc -l)" -ge 40 ] || fail "the screen did not grow to 40 lines"
screen | grep -qE "┐[┌┏] trust.pem#2" || fail "the list and the detail are not side by side"

# Help overlay, then quit.
keys Escape
keys '?'
wait_for "keys (Esc closes)"
keys Escape
keys q
for _ in $(seq 50); do [ -s "$work/rc" ] && break; sleep 0.1; done
[ -s "$work/rc" ] || fail "tlsctl tui did not exit on q"
rc=$(cat "$work/rc")
[ "$rc" = 0 ] || fail "tlsctl tui exited with $rc"
tmux -L "$sock" kill-server 2>/dev/null || true

# Without colour.
rm -f "$work/rc"
tmux -L "$sock" new-session -d -s t -x 80 -y 24 \
  "NO_COLOR=1 TLSCTL_HOME='$TLSCTL_HOME' '$bin' tui trust.pem; echo \$? > '$work/rc'; sleep 60"
wait_for "trust.pem — 3 certificates"
keys j
styled=$(tmux -L "$sock" capture-pane -e -p -t t)
if printf '%s' "$styled" | grep -qE $'\e\\[[0-9;]*(3[0-7]|38;|4[0-7]|48;)'; then
  fail "colour codes under NO_COLOR"
fi
printf '%s\n' "$styled" | grep -E $'\e\\[[0-9;]*7m> 2 ' >/dev/null \
  || fail "the selected row is not in reverse video with its > under NO_COLOR"
screen | sed -n 2p | grep -q "^┏" || fail "the focused pane has no thick border"
keys q
for _ in $(seq 50); do [ -s "$work/rc" ] && break; sleep 0.1; done
[ "$(cat "$work/rc" 2>/dev/null)" = 0 ] || fail "tlsctl tui under NO_COLOR did not exit with 0"
tmux -L "$sock" kill-server 2>/dev/null || true

# The fleet view, without colour: two nodes of one cluster that trust only
# X3 while node-b's certificate is from R3, so their route is broken; a
# rehearsed replacement of X3's bundle by the root mends it.
"$bin" -q cert issue node-a.example.com --ca x3 --out node-a >/dev/null
"$bin" -q cert issue node-b.example.com --ca r3 --out node-b >/dev/null
"$bin" -q ca export x3 > x3.pem
"$bin" -q ca export root > root.pem
for pair in node-a:node-b node-b:node-a; do
  node=${pair%%:*} peer=${pair##*:}
  cat > "$node.conf" <<EOF
server_name: $node
cluster {
  name: c1
  listen: "$node.example.com:6222"
  routes: [nats-route://$peer.example.com:6222]
  tls { cert_file: $node/cert.pem, key_file: $node/key.pem, ca_file: x3.pem }
}
EOF
done
rm -f "$work/rc"
tmux -L "$sock" new-session -d -s t -x 80 -y 24 \
  "cd '$work' && NO_COLOR=1 TLSCTL_HOME='$TLSCTL_HOME' '$bin' tui --conf node-a.conf node-b.conf; echo \$? > '$work/rc'; sleep 60"
wait_for "Connections (1): 0 ok, 0 one-way, 1 broken"
wait_for ">route node-a -> node-b ✗ broken"
wait_for "R replace"
styled=$(tmux -L "$sock" capture-pane -e -p -t t)
if printf '%s' "$styled" | grep -qE $'\e\\[[0-9;]*(3[0-7]|38;|4[0-7]|48;)'; then
  fail "colour codes in the fleet view under NO_COLOR"
fi
# node-b's findings, from the nodes pane.
keys Tab
keys j
wait_for "Findings of node-b"
wait_for "cert-does-not-verify"
keys R
wait_for "Rehearse a replacement"
tmux -L "$sock" send-keys -t t -l "x3.pem=root.pem"
keys Enter
wait_for "Replacing x3.pem -> root.pem"
wait_for "✗ broken ✓ ok"
wait_for "mends"
wait_for "nothing gets worse"
keys q
for _ in $(seq 50); do [ -s "$work/rc" ] && break; sleep 0.1; done
[ "$(cat "$work/rc" 2>/dev/null)" = 0 ] || fail "tlsctl tui --conf did not exit with 0"
echo "tui e2e: ok (filter, detail with the pin first, resize, help, quit with 0; NO_COLOR: no colour, reverse video and > on the selection, thick focused border; fleet: a broken route, its node's findings, a replacement that mends it)"
