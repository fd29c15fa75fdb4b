#!/usr/bin/env bash
# Issue 3 benchmark: enroll COUNT citizens through the HTTP APIs (officer call + device call with a
# real P-256 proof each) into a fresh SQLite store with durability as shipped (WAL,
# synchronous=FULL), then print the generator's table plus the store's size.
# Goal: 100,000 enrollments in under 5 minutes.
# Usage: Benchmarks/enroll.sh            (COUNT=100000 CONCURRENCY=16)
#        COUNT=2000 Benchmarks/enroll.sh (quick run)
# Profiling the broker during the run: PROFILE=strace (syscall counts and wall time, strace -c -w
# -f), PROFILE=perf (hottest symbols by CPU self time), PROFILE=offcpu (where its threads block:
# perf on sched_switch, caller graphs). DB_DIR=/dev/shm puts the store on tmpfs, where fsync is
# free: an experiment to size the disk's share, not a durable configuration.
cd "$(dirname "$0")/.."
source Benchmarks/lib.sh

COUNT=${COUNT:-100000}
CONCURRENCY=${CONCURRENCY:-16}
PROFILE=${PROFILE:-}
[[ -z "${DB_DIR:-}" || -d "$DB_DIR" ]] || { echo "DB_DIR $DB_DIR is not a directory" >&2; exit 1; }
command -v sqlite3 >/dev/null || { echo "enroll.sh needs the sqlite3 command (apt-get install sqlite3)" >&2; exit 1; }

swift build -c release --product phisut >&2
swift build -c release --product phisut-bench >&2
BIN=$(swift build -c release --show-bin-path)

DB_WORK=$(mktemp -d -p "${DB_DIR:-$WORK}")
DB="$DB_WORK/phisut.sqlite"
start_phisut "$DB" Metadata
# The officer is added while the broker runs, as an operator would (WAL lets both open the file).
TOKEN=$("$BIN/phisut" officers add --name "Bench Officer" --office BKK-01 --db "$DB" | tail -n 1)

if [[ "$PROFILE" == strace ]]; then
    strace -c -w -f -o "$WORK/strace.txt" -p "$SERVER_PID" 2>/dev/null &
    PROFILER_PID=$!
    sleep 1
elif [[ "$PROFILE" == perf || "$PROFILE" == offcpu ]]; then
    events=(-F 999); [[ "$PROFILE" == offcpu ]] && events=(-e sched:sched_switch)
    perf record "${events[@]}" -g -o "$WORK/perf.data" -p "$SERVER_PID" >/dev/null 2>&1 &
    PROFILER_PID=$!
    sleep 1
elif [[ -n "$PROFILE" ]]; then
    echo "PROFILE must be strace, perf or offcpu" >&2; exit 2
fi

SERVER_CPU_BEFORE=$(cpu_ticks "$SERVER_PID")
set +e
"$BIN/phisut-bench" enroll --url "$URL" --officer-token "$TOKEN" --count "$COUNT" --concurrency "$CONCURRENCY" \
    | tee "$WORK/bench.txt"
BENCH_STATUS=${PIPESTATUS[0]}
set -e
SERVER_CPU_AFTER=$(cpu_ticks "$SERVER_PID")
SERVER_RSS=$(awk '/^VmHWM:/ {print $2}' "/proc/$SERVER_PID/status")

if [[ -n "$PROFILER_PID" ]]; then
    kill -INT "$PROFILER_PID"; wait "$PROFILER_PID" 2>/dev/null || true; PROFILER_PID=""
fi
kill -TERM "$SERVER_PID"
wait "$SERVER_PID" && SERVER_STATUS=0 || SERVER_STATUS=$?
SERVER_PID=""

row() { printf '%-40s %s\n' "$1" "$2"; }
ENROLLED=$(awk '/^enrollments succeeded/ {print $NF}' "$WORK/bench.txt")
DB_BYTES=$(stat -c %s "$DB")
WAL_BYTES=$( [[ -f "$DB-wal" ]] && stat -c %s "$DB-wal" || echo 0)
CLK_TCK=$(getconf CLK_TCK)
row "broker CPU during run (s, user+sys)" "$(awk -v a="$SERVER_CPU_BEFORE" -v b="$SERVER_CPU_AFTER" -v t="$CLK_TCK" 'BEGIN {printf "%.1f", (b - a) / t}')"
row "broker peak RSS (MiB)" "$(awk -v k="$SERVER_RSS" 'BEGIN {printf "%.1f", k / 1024}')"
# Every enrollment must have left one citizen (IDs are unique per run) and one active device.
row "citizens / devices in the store" "$(sqlite3 "$DB" 'SELECT (SELECT count(*) FROM citizens) || " / " || (SELECT count(*) FROM devices);')"
# The broker leaves its WAL behind; a TRUNCATE checkpoint folds it in, so the file size is the data.
sqlite3 "$DB" 'PRAGMA wal_checkpoint(TRUNCATE);' >/dev/null
CHECKPOINTED_BYTES=$(stat -c %s "$DB")
per_citizen() { awk -v b="$1" -v n="${ENROLLED:-0}" 'BEGIN {if (n > 0) printf "%.0f", b / n; else print "n/a"}'; }
row "database + WAL as left (bytes)" "$DB_BYTES + $WAL_BYTES"
row "bytes per citizen (db + WAL as left)" "$(per_citizen $((DB_BYTES + WAL_BYTES)))"
row "database after checkpoint (bytes)" "$CHECKPOINTED_BYTES"
row "bytes per citizen (checkpointed)" "$(per_citizen "$CHECKPOINTED_BYTES")"
row "broker exit status after SIGTERM" "$SERVER_STATUS"
if [[ -f "$WORK/strace.txt" ]]; then
    echo "broker syscalls, wall-clock time in each (strace -c -w -f):"
    head -n 25 "$WORK/strace.txt"
fi
if [[ -f "$WORK/perf.data" && "$PROFILE" == perf ]]; then
    echo "broker hottest symbols (perf, CPU self time):"
    perf report -i "$WORK/perf.data" --no-children -g none --sort dso,symbol --stdio 2>/dev/null | grep '%' | head -n 40
elif [[ -f "$WORK/perf.data" ]]; then
    echo "where the broker's threads block (perf on sched_switch, share of context switches, callers):"
    perf report -i "$WORK/perf.data" --no-children --sort sym -g caller,0.5,callee --percent-limit 2 --stdio 2>/dev/null \
        | grep -v '^#' | grep -v '^$' | cut -c1-160 | head -n 120
fi
exit "$BENCH_STATUS"
