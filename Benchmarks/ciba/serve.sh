# Sourced by Benchmarks/sse.sh and Benchmarks/ciba.sh: a release `phisut serve` on a fresh SQLite
# store in a temp directory, with the repository's Metadata plus the `ciba-bench` client
# (private_key_jwt, CIBA poll mode, a key generated for this run). Sets BIN, WORK, URL,
# SERVER_PID, OFFICER, KEY; cleans up on exit.
set -euo pipefail
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
swift build -c release --product phisut >&2
BIN=$(swift build -c release --show-bin-path)

WORK=$(mktemp -d)
SERVER_PID=""
cleanup() {
    [[ -n "$SERVER_PID" ]] && kill -TERM "$SERVER_PID" 2>/dev/null || true
    wait 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

cp -r Metadata "$WORK/Metadata"
python3 Benchmarks/ciba/cibabench.py metadata "$WORK/Metadata"
KEY="$WORK/Metadata/ciba-bench-key.pem"
OFFICER=$("$BIN/phisut" officers add --name "Bench Officer" --office BKK-01 --db "$WORK/phisut.sqlite" | tail -n 1)
"$BIN/phisut" serve --port 0 --db "$WORK/phisut.sqlite" --metadata "$WORK/Metadata" >"$WORK/serve.out" 2>"$WORK/serve.log" &
SERVER_PID=$!
URL=""
for _ in $(seq 100); do
    URL=$(awk '/^listening on / {print $3; exit}' "$WORK/serve.out")
    [[ -n "$URL" ]] && break
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/serve.log" >&2; exit 1; }
    sleep 0.1
done
[[ -n "$URL" ]] || { echo "phisut serve did not start" >&2; cat "$WORK/serve.log" >&2; exit 1; }
