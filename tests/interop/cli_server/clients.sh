#!/usr/bin/env bash
# `padlock server --www` with real clients: curl --cacert and Python's ssl module fetch files
# and compare them byte for byte (status, Content-Type, Content-Length, HEAD, 404, a traversal
# attempt, keep-alive), gnutls-cli fetches a page; each refuses a server their CA did not
# issue; openssl s_client
# restricted to one signature algorithm gets the certificate whose key signs with it; and
# Python against --echo --keylog gets its bytes back and finds its key log in the server's.
# Usage: clients.sh PADLOCK WORKDIR
set -euo pipefail
PADLOCK=$1
WORK=$2
rm -rf "$WORK"
mkdir -p "$WORK/site"
. "$(dirname "$0")/lib.sh"

make_pki
printf '<h1>padlock</h1>\n' >"$WORK/site/index.html"
head -c 1048583 /dev/urandom >"$WORK/site/data.bin"
start_server --cert "$WORK/localhost.pem" --key "$WORK/localhost-key.pem" \
  --cert "$WORK/localhost-rsa.pem" --key "$WORK/localhost-rsa-key.pem" --www "$WORK/site"
P=$SERVER_PORT
CURL=(timeout 20 curl -sS --max-time 15 --cacert "$WORK/ca/ca.pem"
  --resolve "localhost:$P:127.0.0.1")

# ---- curl
got=$("${CURL[@]}" -o "$WORK/curl.bin" \
  -w '%{http_code} %{content_type} %{size_download} %{http_version}' \
  "https://localhost:$P/data.bin") || fail "curl GET /data.bin"
[ "$got" = "200 application/octet-stream 1048583 1.1" ] || fail "curl GET /data.bin: $got"
cmp "$WORK/site/data.bin" "$WORK/curl.bin" || fail "curl: /data.bin differs from the file"
expect_log "sni=localhost alpn=http/1.1" "http=200 outcome="

head=$("${CURL[@]}" -I "https://localhost:$P/index.html" | tr -d '\r') || fail "curl -I"
grep -qx 'HTTP/1.1 200 OK' <<<"$head" || fail "curl -I: $head"
grep -qix 'content-length: 17' <<<"$head" || fail "curl -I: no Content-Length 17: $head"
grep -qix 'content-type: text/html; charset=utf-8' <<<"$head" || fail "curl -I: $head"

code=$("${CURL[@]}" -o /dev/null -w '%{http_code}' "https://localhost:$P/missing.html")
[ "$code" = 404 ] || fail "curl /missing.html: $code, expected 404"
code=$("${CURL[@]}" --path-as-is -o "$WORK/trav.out" -w '%{http_code}' \
  "https://localhost:$P/../../../etc/passwd")
[ "$code" = 400 ] || fail "curl /../../../etc/passwd: $code, expected 400"
if grep -q 'root:' "$WORK/trav.out"; then fail "traversal served /etc/passwd"; fi

status=0
timeout 20 curl -sS --max-time 15 --cacert "$WORK/rogue/ca.pem" \
  --resolve "localhost:$P:127.0.0.1" -o /dev/null "https://localhost:$P/" 2>/dev/null ||
  status=$?
[ "$status" -eq 60 ] || fail "curl trusting another CA: exit $status, expected 60"
# OpenSSL-based clients send that alert before their handshake keys, in the clear: the log
# still names the client's reason (regression: it said "unexpected message").
expect_log "outcome=handshake failed: peer sent fatal alert unknown_ca"
echo "curl: ok"

# ---- Python ssl: two requests on one connection, then the same refusal
cat >"$WORK/fetch.py" <<'PY'
import http.client, socket, ssl, sys
cafile, port, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
ctx = ssl.create_default_context(cafile=cafile)

class Conn(http.client.HTTPSConnection):
    # Connects to 127.0.0.1 only, verifying the certificate for "localhost".
    def connect(self):
        raw = socket.create_connection(('127.0.0.1', port), timeout=10)
        self.sock = ctx.wrap_socket(raw, server_hostname='localhost')

try:
    c = Conn('localhost', port, context=ctx, timeout=10)
    c.request('GET', '/data.bin')
    r = c.getresponse()
    body = r.read()
    with open(path, 'wb') as f:
        f.write(body)
    print(r.status, r.getheader('Content-Type'), r.getheader('Content-Length'), len(body),
          c.sock.version())
    c.request('HEAD', '/index.html')  # the same connection (keep-alive)
    r = c.getresponse()
    r.read()
    print(r.status, r.getheader('Content-Length'))
    c.close()
except ssl.SSLCertVerificationError as e:
    print('refused:', e.verify_message)
PY
out=$(timeout 20 python3 "$WORK/fetch.py" "$WORK/ca/ca.pem" "$P" "$WORK/py.bin") ||
  fail "python: $out"
[ "$out" = $'200 application/octet-stream 1048583 1048583 TLSv1.3\n200 17' ] ||
  fail "python: $out"
cmp "$WORK/site/data.bin" "$WORK/py.bin" || fail "python: /data.bin differs from the file"
expect_log "sni=localhost alpn=- " "http=200,200 outcome="
out=$(timeout 20 python3 "$WORK/fetch.py" "$WORK/rogue/ca.pem" "$P" "$WORK/py2.bin")
[ "$out" = "refused: unable to get local issuer certificate" ] ||
  fail "python trusting another CA: $out"
echo "python: ok"

# ---- gnutls-cli: connected to 127.0.0.1, the name checked is localhost
gnutls_get() {
  printf 'GET /index.html HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n' |
    timeout 20 gnutls-cli --x509cafile "$1" --verify-hostname localhost --sni-hostname localhost \
      --alpn http/1.1 -p "$P" 127.0.0.1 2>&1
}
out=$(gnutls_get "$WORK/ca/ca.pem") || fail "gnutls-cli: $out"
grep -q '^HTTP/1.1 200 OK' <<<"$out" || fail "gnutls-cli: no 200: $out"
grep -qxF '<h1>padlock</h1>' <<<"$out" || fail "gnutls-cli: not the page: $out"
grep -q '^- Peer has closed the GnuTLS connection' <<<"$out" || fail "gnutls-cli: $out"
expect_log "sni=localhost alpn=http/1.1" "in=64 out=" "http=200 outcome=ok"
status=0
out=$(gnutls_get "$WORK/rogue/ca.pem") || status=$?
[ "$status" -ne 0 ] && grep -q 'NOT trusted' <<<"$out" ||
  fail "gnutls-cli trusting another CA: exit $status: $out"
echo "gnutls-cli: ok"

# ---- the certificate chosen by signature algorithm (both cover localhost; ECDSA first)
sclient() {
  timeout 20 openssl s_client -connect "127.0.0.1:$P" -servername localhost \
    -CAfile "$WORK/ca/ca.pem" -verify_return_error -brief "$@" </dev/null 2>&1
}
out=$(sclient -sigalgs rsa_pss_rsae_sha256) || fail "s_client RSA-PSS: $out"
grep -q '^Signature type: RSA-PSS$' <<<"$out" || fail "RSA-PSS only: $out"
out=$(sclient -sigalgs ecdsa_secp256r1_sha256) || fail "s_client ECDSA: $out"
grep -q '^Signature type: ECDSA$' <<<"$out" || fail "ECDSA only: $out"
out=$(sclient) || fail "s_client: $out"
grep -q '^Signature type: ECDSA$' <<<"$out" || fail "default (the first --cert): $out"
echo "signature algorithms: ok"

# ---- TLS 1.2: ECDHE by default; RSA key transport refused unless --legacy-rsa-key-exchange
out=$(sclient -tls1_2) || fail "s_client -tls1_2: $out"
grep -q '^Protocol version: TLSv1.2$' <<<"$out" || fail "s_client -tls1_2: $out"
grep -q '^Ciphersuite: ECDHE-ECDSA-AES128-GCM-SHA256$' <<<"$out" || fail "s_client -tls1_2: $out"
expect_log "TLSv1.2 TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 sni=localhost"
status=0
out=$(sclient -tls1_2 -cipher AES128-GCM-SHA256) || status=$?
[ "$status" -ne 0 ] || fail "RSA key transport accepted without --legacy-rsa-key-exchange: $out"
grep -q 'handshake failure' <<<"$out" || fail "s_client -cipher AES128-GCM-SHA256: $out"
stop_server
start_server --cert "$WORK/localhost-rsa.pem" --key "$WORK/localhost-rsa-key.pem" \
  --www "$WORK/site" --legacy-rsa-key-exchange
P=$SERVER_PORT
out=$(sclient -tls1_2 -cipher AES128-GCM-SHA256) ||
  fail "s_client -cipher AES128-GCM-SHA256 with --legacy-rsa-key-exchange: $out"
grep -q '^Ciphersuite: AES128-GCM-SHA256$' <<<"$out" || fail "legacy RSA: $out"
expect_log "TLSv1.2 TLS_RSA_WITH_AES_128_GCM_SHA256"
out=$(sclient) || fail "s_client with --legacy-rsa-key-exchange: $out"
grep -q '^Protocol version: TLSv1.3$' <<<"$out" || fail "TLS 1.3 still first: $out"
echo "TLS 1.2 and --legacy-rsa-key-exchange: ok"

stop_server

# ---- --echo --keylog: Python's ssl gets its bytes back, and the server's key log holds the
# very lines Python logs, in a file only its owner can read
start_server --cert "$WORK/localhost.pem" --key "$WORK/localhost-key.pem" --echo \
  --keylog "$WORK/server.keys"
cat >"$WORK/echo.py" <<'PY'
import socket, ssl, sys
cafile, port, keylog = sys.argv[1], int(sys.argv[2]), sys.argv[3]
ctx = ssl.create_default_context(cafile=cafile)
ctx.keylog_filename = keylog
with socket.create_connection(('127.0.0.1', port), timeout=10) as raw:
    with ctx.wrap_socket(raw, server_hostname='localhost') as s:
        s.sendall(b'ping\n')
        got = b''
        while not got.endswith(b'\n'):
            chunk = s.recv(100)
            if not chunk:
                break
            got += chunk
        s.unwrap()  # close_notify both ways
        print(got.decode().strip())
PY
out=$(timeout 20 python3 "$WORK/echo.py" "$WORK/ca/ca.pem" "$SERVER_PORT" "$WORK/client.keys") ||
  fail "python --echo: $out"
[ "$out" = ping ] || fail "--echo answered '$out' to ping"
expect_log "sni=localhost alpn=- client=- in=5 out=5 outcome=ok"
[ "$(stat -c %a "$WORK/server.keys")" = 600 ] || fail "--keylog file mode is not 0600"
grep -v '^#' "$WORK/client.keys" | sort >"$WORK/client.sorted"
sort "$WORK/server.keys" >"$WORK/server.sorted"
[ "$(wc -l <"$WORK/server.sorted")" -eq 5 ] || fail "--keylog: $(cat "$WORK/server.keys")"
cmp -s "$WORK/client.sorted" "$WORK/server.sorted" ||
  fail "--keylog lines differ from Python's: $(diff "$WORK/client.sorted" "$WORK/server.sorted")"
stop_server
echo "echo and keylog: ok"
echo "all ok"
