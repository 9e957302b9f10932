#!/usr/bin/env bash
# `make run`'s script (scripts/run.sh) with the padlock command of this build: exit status 0,
# each step's result in its output (the CA, the certificate, the listening line, the client's
# verified summary and the page, the server's connection line and clean stop), and its
# scratch directory removed afterwards.
# Usage: check_run.sh SOURCE_DIR PADLOCK SCRATCH
set -euo pipefail
src=$1
padlock=$2
scratch=$3
rm -rf "$scratch"
mkdir -p "$scratch"
status=0
out=$(TMPDIR="$scratch" timeout 60 "$src/scripts/run.sh" "$padlock" 2>&1) || status=$?
printf '%s\n' "$out"
fail() {
  echo "FAIL: $*" >&2
  exit 1
}
[ "$status" -eq 0 ] || fail "scripts/run.sh exited with $status"
expect() {
  grep -qF -- "$1" <<<"$out" || fail "the output lacks: $1"
}
expect '== 1. A throwaway certificate authority (PADLOCK_CAROOT='"$scratch"'/padlock-run.'
expect 'created CA "CN=padlock local CA '
expect 'issued "CN=localhost" for DNS:localhost, IP:127.0.0.1 (valid until '
grep -qE '^listening on https://127\.0\.0\.1:[0-9]+/$' <<<"$out" || fail "no listening line"
expect '  protocol:          TLSv1.3'
expect '  ALPN:              http/1.1'
expect '  verification:      ok: chain to trusted root "CN=padlock local CA '
expect 'HTTP/1.1 200 OK'
expect '<body><h1>Hello from padlock</h1>'
expect 'padlock client: the server closed the connection (close_notify)'
grep -qE '^[0-9T:-]+Z 127\.0\.0\.1:[0-9]+ TLSv1\.3 TLS_AES_128_GCM_SHA256 sni=localhost alpn=http/1\.1 client=- in=54 out=[0-9]+ http=200 outcome=ok$' <<<"$out" ||
  fail "no connection line for the fetch"
expect 'padlock server: stopped'
expect 'padlock server exit status: 0'
leftover=$(ls -A "$scratch")
[ -z "$leftover" ] || fail "scripts/run.sh left $leftover in $scratch"
echo "make run: ok"
