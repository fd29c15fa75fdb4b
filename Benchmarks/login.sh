#!/usr/bin/env bash
# Issue 4 benchmark: whole logins per second end to end, as citizens and a relying party do them
# from outside: authorize -> login page -> push -> the simulated phone approves with the number
# -> continue -> consent (first time per citizen) -> token -> userinfo. CITIZENS citizens are
# enrolled first, each with its own simulated phone (P-256 key); CONCURRENCY browsers run at once
# (a fresh cookie jar per login, so no single sign-on); the `queue-online` public client, PKCE.
# Release build, a fresh SQLite store in a temp directory, the load generator on the same 2 cores.
# Usage: Benchmarks/login.sh                       (CITIZENS=200 LOGINS=2000 CONCURRENCY=12)
#        LOGINS=300 Benchmarks/login.sh            (quick run)
cd "$(dirname "$0")/.."
source Benchmarks/lib.sh

CITIZENS=${CITIZENS:-200}
LOGINS=${LOGINS:-2000}
CONCURRENCY=${CONCURRENCY:-12}

swift build -c release --product phisut >&2
swift build -c release --product phisut-bench >&2
BIN=$(swift build -c release --show-bin-path)

DB="$WORK/phisut.sqlite"
TOKEN=$("$BIN/phisut" officers add --name "Bench Officer" --office BKK-01 --db "$DB" | tail -n 1)
start_phisut "$DB" Metadata

echo "== phisut-bench login: $CITIZENS citizens, $LOGINS logins, $CONCURRENCY concurrent browsers ($(nproc) cores, shared with the generator)"
CPU_BEFORE=$(cpu_ticks "$SERVER_PID")
set +e
TIMEFORMAT="load generator CPU time: %U s user + %S s system over %R s"
time "$BIN/phisut-bench" login --url "$URL" --officer-token "$TOKEN" --citizens "$CITIZENS" --logins "$LOGINS" \
    --concurrency "$CONCURRENCY"
STATUS=$?
set -e
CPU_AFTER=$(cpu_ticks "$SERVER_PID")
echo "broker CPU time over enrollment and logins: $(awk -v t="$((CPU_AFTER - CPU_BEFORE))" -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.1f", t / hz}') s"
echo "store: $(du -h "$DB" | cut -f1) ($(sqlite3 "$DB" 'select count(*) from audit_events' 2>/dev/null || echo '?') audit events)"
exit "$STATUS"
