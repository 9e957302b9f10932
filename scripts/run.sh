#!/usr/bin/env bash
# `make run`: padlock's main job end to end, in a throwaway directory: a local CA, a
# certificate for localhost, `padlock server --www` on a free port of 127.0.0.1 serving a
# small page, `padlock client` fetching it with full verification, then a clean shutdown.
# Usage: scripts/run.sh [PADLOCK]   (default: build/padlock, which `make run` builds first)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
padlock=${1:-$root/build/padlock}
if [ ! -x "$padlock" ]; then
  echo "run.sh: $padlock is missing: build it with 'make' (or run 'make run')" >&2
  exit 2
fi
padlock="$(cd "$(dirname "$padlock")" && pwd)/$(basename "$padlock")" # it runs from $work

work=$(mktemp -d "${TMPDIR:-/tmp}/padlock-run.XXXXXX")
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then
    kill -KILL "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
cd "$work"

step() {
  printf '\n== %s\n' "$1"
}
show() {
  printf '$ %s\n' "$*"
}

step "1. A throwaway certificate authority (PADLOCK_CAROOT=$work/ca)"
export PADLOCK_CAROOT="$work/ca"
show padlock cert ca
"$padlock" cert ca

step "2. A certificate for localhost, issued by it"
show padlock cert issue localhost 127.0.0.1
"$padlock" cert issue localhost 127.0.0.1

step "3. padlock server serving a small page on a free port"
mkdir site
cat >site/index.html <<'HTML'
<!doctype html>
<html><head><meta charset="utf-8"><title>padlock</title></head>
<body><h1>Hello from padlock</h1><p>Served over TLS 1.3 by padlock server.</p></body></html>
HTML
show padlock server --cert localhost.pem --key localhost-key.pem --www site --port 0
# The server's shell creates server.out only once it runs: the loop below must find it at once.
: >server.out
"$padlock" server --cert localhost.pem --key localhost-key.pem --www site --port 0 \
  >server.out 2>server.log &
server_pid=$!
port=""
for _ in $(seq 100); do
  port=$(sed -n 's|^listening on https://127\.0\.0\.1:\([0-9][0-9]*\)/$|\1|p' server.out)
  [ -n "$port" ] && break
  if ! kill -0 "$server_pid" 2>/dev/null; then
    cat server.log >&2
    echo "run.sh: padlock server did not start" >&2
    exit 1
  fi
  sleep 0.1
done
if [ -z "$port" ]; then
  echo "run.sh: padlock server did not listen within 10 s" >&2
  exit 1
fi
cat server.out server.log

step "4. padlock client fetches it, verifying the chain to the CA and the name localhost"
show "printf 'GET / HTTP/1.1\\r\\nHost: localhost\\r\\nConnection: close\\r\\n\\r\\n' |" \
  padlock client --cafile "$PADLOCK_CAROOT/ca.pem" --servername localhost --alpn http/1.1 \
  "127.0.0.1:$port"
client_status=0
printf 'GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n' |
  "$padlock" client --cafile "$PADLOCK_CAROOT/ca.pem" --servername localhost \
    --alpn http/1.1 --timeout 10 "127.0.0.1:$port" 2>&1 || client_status=$?
if [ "$client_status" -ne 0 ]; then
  echo "run.sh: padlock client failed (exit status $client_status)" >&2
  exit 1
fi

step "5. SIGTERM stops the server cleanly (its log: one line per connection)"
show kill -TERM "$server_pid"
kill -TERM "$server_pid"
for _ in $(seq 100); do
  kill -0 "$server_pid" 2>/dev/null || break
  sleep 0.1
done
if kill -0 "$server_pid" 2>/dev/null; then
  echo "run.sh: padlock server did not stop within 10 s of SIGTERM" >&2
  exit 1
fi
status=0
wait "$server_pid" || status=$?
server_pid=""
sed '1,/^padlock server: serving /d' server.log
echo "padlock server exit status: $status"
if [ "$status" -ne 0 ]; then
  exit 1
fi
printf '\nDone: everything above ran in %s, now removed.\n' "$work"
