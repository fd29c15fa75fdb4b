#!/usr/bin/env bash
# Issue 4 benchmark: whole logins per second end to end, as citizens and a relying party do them
# from outside: authorize -> login page -> push -> the simulated phone approves with the number
# -> continue -> consent (first time per citizen) -> token -> userinfo. CITIZENS citizens are
# enrolled first, each with its own simulated phone (P-256 key); CONCURRENCY browsers run at once
# (a fresh cookie jar per login, so no single sign-on); the `queue-online` public client, PKCE.
# Release build, a fresh SQLite store in a temp directory, the load generator on the same 2 cores.
# Usage: Benchmarks/login.sh                       (CITIZENS=200 LOGINS=2000 CONCURRENCY=12)
#        LOGINS=300 Benchmarks/login.sh            (quick run)
set -euo pipefail
cd "$(dirname "$0")/.."

CITIZENS=${CITIZENS:-200}
LOGINS=${LOGINS:-2000}
CONCURRENCY=${CONCURRENCY:-12}

swift build -c release --product phisut >&2
swift build -c release --product phisut-bench >&2
BIN=$(swift build -c release --show-bin-path)

WORK=$(mktemp -d)
DB="$WORK/phisut.sqlite"
SERVER_PID=""
cleanup() {
    [[ -n "$SERVER_PID" ]] && kill -TERM "$SERVER_PID" 2>/dev/null || true
    wait 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

TOKEN=$("$BIN/phisut" officers add --name "Bench Officer" --office BKK-01 --db "$DB" | tail -n 1)
"$BIN/phisut" serve --port 0 --db "$DB" --metadata Metadata >"$WORK/serve.out" 2>"$WORK/serve.log" &
SERVER_PID=$!
URL=""
for _ in $(seq 100); do
    URL=$(awk '/^listening on / {print $3; exit}' "$WORK/serve.out")
    [[ -n "$URL" ]] && break
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/serve.log" >&2; exit 1; }
    sleep 0.1
done
[[ -n "$URL" ]] || { echo "phisut serve did not start" >&2; cat "$WORK/serve.log" >&2; exit 1; }

echo "== phisut-bench login: $CITIZENS citizens, $LOGINS logins, $CONCURRENCY concurrent browsers ($(nproc) cores, shared with the generator)"
CPU_BEFORE=$(awk '{print $14 + $15}' "/proc/$SERVER_PID/stat")
set +e
TIMEFORMAT="load generator CPU time: %U s user + %S s system over %R s"
time "$BIN/phisut-bench" login --url "$URL" --officer-token "$TOKEN" --citizens "$CITIZENS" --logins "$LOGINS" \
    --concurrency "$CONCURRENCY"
STATUS=$?
set -e
CPU_AFTER=$(awk '{print $14 + $15}' "/proc/$SERVER_PID/stat")
echo "broker CPU time over enrollment and logins: $(awk -v t="$((CPU_AFTER - CPU_BEFORE))" -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.1f", t / hz}') s"
echo "store: $(du -h "$DB" | cut -f1) ($(sqlite3 "$DB" 'select count(*) from audit_events' 2>/dev/null || echo '?') audit events)"
exit "$STATUS"
