# Shell helpers for the tests that drive `padlock server` with real clients: a scratch
# directory with a throwaway CA and certificates, the server started in the background on a
# free port (--port 0, read back from its "listening on" line) and stopped by pid.
# Sourced by the scripts next to it; they set PADLOCK (the command) and WORK (a directory).

fail() {
  echo "FAIL: $*" >&2
  if [ -n "${SERVER_LOG:-}" ] && [ -f "$SERVER_LOG" ]; then
    echo "--- padlock server's standard error:" >&2
    cat "$SERVER_LOG" >&2
  fi
  exit 1
}

# make_pki: $WORK/ca (the CA), $WORK/localhost.pem + -key.pem (ECDSA P-256, localhost and
# 127.0.0.1), $WORK/localhost-rsa.pem + -key.pem (the same names with RSA 2048) and
# $WORK/rogue/ca.pem (a CA nobody trusts).
make_pki() {
  "$PADLOCK" cert ca --dir "$WORK/ca" --name "padlock test CA" >/dev/null ||
    fail "padlock cert ca"
  "$PADLOCK" cert issue --dir "$WORK/ca" localhost 127.0.0.1 --out "$WORK/localhost.pem" \
    --key-out "$WORK/localhost-key.pem" >/dev/null || fail "padlock cert issue localhost"
  "$PADLOCK" cert issue --dir "$WORK/ca" --rsa 2048 localhost 127.0.0.1 \
    --out "$WORK/localhost-rsa.pem" --key-out "$WORK/localhost-rsa-key.pem" >/dev/null ||
    fail "padlock cert issue --rsa localhost"
  "$PADLOCK" cert ca --dir "$WORK/rogue" --name "rogue CA" >/dev/null || fail "rogue CA"
}

SERVER_PID=""
SERVER_PORT=""
SERVER_LOG=""

# start_server ARGS...: `padlock server ARGS --port 0` in the background; sets SERVER_PID,
# SERVER_PORT and SERVER_LOG (its standard error). Fails unless it listens within 10 s.
start_server() {
  local out="$WORK/server.out"
  SERVER_LOG="$WORK/server.log"
  : >"$out"
  "$PADLOCK" server "$@" --port 0 >"$out" 2>"$SERVER_LOG" &
  SERVER_PID=$!
  local i
  for i in $(seq 100); do
    if grep -q '^listening on ' "$out"; then
      break
    fi
    kill -0 "$SERVER_PID" 2>/dev/null || fail "padlock server $* exited before listening"
    sleep 0.1
  done
  SERVER_PORT=$(sed -n 's|^listening on https://127\.0\.0\.1:\([0-9][0-9]*\)/$|\1|p' "$out")
  [ -n "$SERVER_PORT" ] || fail "no 'listening on https://127.0.0.1:PORT/' line: $(cat "$out")"
}

# stop_server: SIGTERM, then waits (10 s at most) and checks exit status 0 and the last line.
stop_server() {
  [ -n "$SERVER_PID" ] || return 0
  kill -TERM "$SERVER_PID"
  local i
  for i in $(seq 100); do
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -KILL "$SERVER_PID"
    SERVER_PID=""
    fail "padlock server did not stop within 10 s of SIGTERM"
  fi
  local status=0
  wait "$SERVER_PID" || status=$?
  SERVER_PID=""
  [ "$status" -eq 0 ] || fail "padlock server exited with $status after SIGTERM"
  grep -q '^padlock server: stopped$' "$SERVER_LOG" || fail "no 'stopped' line"
}

# A server left running by a failure is killed by pid on the way out.
cleanup_server() {
  if [ -n "$SERVER_PID" ]; then
    kill -KILL "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
}
trap cleanup_server EXIT

# expect_log PART...: a line of the server's log contains every PART (connection lines come
# when connections end: waits up to 5 s).
expect_log() {
  local i part line found
  for i in $(seq 50); do
    while IFS= read -r line; do
      found=1
      for part in "$@"; do
        case "$line" in *"$part"*) ;; *) found=0 ;; esac
      done
      [ "$found" -eq 1 ] && return 0
    done <"$SERVER_LOG"
    sleep 0.1
  done
  fail "no server log line with all of: $*"
}
