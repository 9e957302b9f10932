#!/usr/bin/env bash
# Headless Chromium loads a page from `padlock server --www` over HTTPS with certificate
# checks on: the padlock CA is trusted through a throwaway NSS database in the test's own HOME
# ($HOME/.pki/nssdb, certutil), the page text is read back with --dump-dom, a screenshot is
# saved next to the scratch files, and without the CA in the database the page is refused.
# Host names other than localhost resolve to nothing, so the browser contacts nothing else.
# Usage: chromium.sh PADLOCK WORKDIR   (exit 77, a CTest skip, only without chromium/certutil)
set -euo pipefail
PADLOCK=$1
WORK=$2
for tool in chromium certutil; do
  if ! command -v "$tool" >/dev/null; then
    echo "SKIP: $tool is not installed (scripts/deps.sh installs it)"
    exit 77
  fi
done
rm -rf "$WORK"
mkdir -p "$WORK/site" "$WORK/home/.pki/nssdb"
. "$(dirname "$0")/lib.sh"

make_pki
cat >"$WORK/site/index.html" <<'HTML'
<!doctype html>
<html><head><meta charset="utf-8"><title>padlock server</title>
<link rel="stylesheet" href="style.css"></head>
<body><h1>Hello from padlock</h1><p id="proof">served over TLS 1.3 by padlock server</p></body>
</html>
HTML
printf 'body { font-family: sans-serif; background: #e8f4f0 } h1 { color: #006d5b }\n' \
  >"$WORK/site/style.css"
start_server --cert "$WORK/localhost.pem" --key "$WORK/localhost-key.pem" --www "$WORK/site"
URL="https://localhost:$SERVER_PORT/"

# chromium_run PROFILE ARGS...: one headless run with a fresh profile, at most 60 s.
chromium_run() {
  local profile=$1
  shift
  HOME="$WORK/home" timeout 60 chromium --headless=new --no-sandbox --disable-gpu \
    --user-data-dir="$WORK/$profile" --no-first-run --disable-sync \
    --disable-background-networking --disable-component-update --disable-default-apps \
    --host-resolver-rules="MAP * ~NOTFOUND , EXCLUDE localhost" "$@" 2>>"$WORK/chromium.err"
}

# Without the CA: Chromium refuses the certificate, the page never shows.
certutil -d "sql:$WORK/home/.pki/nssdb" -N --empty-password
status=0
dom=$(chromium_run profile-untrusted --dump-dom "$URL") || status=$?
if grep -q 'Hello from padlock' <<<"$dom"; then
  fail "Chromium showed the page without trusting the padlock CA (exit $status)"
fi
# It did reach the server, and said why it hung up.
expect_log "alpn=http/1.1" "outcome=handshake failed: peer sent fatal alert certificate_unknown"

# With the CA in the NSS database.
certutil -d "sql:$WORK/home/.pki/nssdb" -A -t "C,," -n "padlock test CA" -i "$WORK/ca/ca.pem"
dom=$(chromium_run profile-dom --dump-dom "$URL") ||
  fail "chromium --dump-dom: exit $?: $(tail -5 "$WORK/chromium.err")"
grep -q '<h1>Hello from padlock</h1><p id="proof">served over TLS 1.3 by padlock server</p>' \
  <<<"$dom" || fail "the page text is not in Chromium's DOM: $dom"
expect_log "TLSv1.3" "sni=localhost alpn=http/1.1" "http=200" "outcome="

chromium_run profile-shot --window-size=800,600 --screenshot="$WORK/screenshot.png" "$URL" \
  >/dev/null || fail "chromium --screenshot: exit $?"
[ "$(head -c 8 "$WORK/screenshot.png" | od -An -tx1 | tr -d ' ')" = 89504e470d0a1a0a ] ||
  fail "no PNG at $WORK/screenshot.png"
size=$(stat -c %s "$WORK/screenshot.png")
[ "$size" -gt 2000 ] || fail "the screenshot is only $size bytes"
expect_log "http=200,200" # the page and its stylesheet on one connection
stop_server
echo "chromium: ok (screenshot: $WORK/screenshot.png)"
