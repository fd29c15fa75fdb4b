#!/usr/bin/env bash
# client_credentials token requests per second: Phisut vs Glewlwyd, same machine, same run.
#
# Phisut: `phisut serve` (release build) on a temporary SQLite DB with Metadata/clients/, the
# `partner-api` client authenticating with client_secret_basic, ES256 access tokens (RFC 9068).
# Glewlwyd: the Debian package, started by ../shared/peers/glewlwyd/setup.sh (ES256, a confidential
# client with client_secret_basic) and measured by bench.sh beside it (ONLY=token).
# Load: wrk, 2 threads, 64 connections, 10 s (after a 2 s warm-up), on the same 2 cores.
#
# What each system persists per token — so the comparison is like with like:
#   Phisut   nothing. The access token is a self-contained signed JWT; client authentication is a
#            SHA-256 of the secret compared in constant time with the stored hash; no audit row per
#            client_credentials token. Only a revoked token leaves a row (its jti, until it expires).
#   Glewlwyd one SQLite row per token (g_client_access_token / gpo_client_token), written on the
#            request path.
# So Phisut's request cost should be the ECDSA P-256 signature plus HTTP; `openssl speed` in the
# same run gives the signature's ceiling per core.
#
# Measured 2026-11-30 on the 2-core box while other sessions were compiling (load average ~6):
#   phisut 5,941 req/s (p50 9.6 ms, p99 44.6 ms, 144 µs server CPU/req) vs glewlwyd 87 req/s
#   (p50 694 ms) = 68x; same request minus the signature 8,543 req/s (84 µs/req); /jwks on the
#   event loop 32,162 req/s (24 µs/req); openssl speed ecdsap256 30,828 signs/s per core.
#
# Env: DURATION=10s CONNS=64 THREADS=2 WARMUP=2s PEERS=/work/shared/peers/glewlwyd SKIP_GLEWLWYD=1
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-10s}
CONNS=${CONNS:-64}
THREADS=${THREADS:-2}
WARMUP=${WARMUP:-2s}
PEERS=${PEERS:-/work/shared/peers/glewlwyd}
SECRET=demo-partner-api-secret-not-for-production   # the demo secret of Metadata/clients/partner-api.json
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
field() { awk -v k="$2" '$1==k {print $2}' "$1"; }

swift build -c release --product phisut >/dev/null
WORK=$(mktemp -d)
SERVER_PID=""
cleanup() {
    [[ -n "$SERVER_PID" ]] && kill -TERM "$SERVER_PID" 2>/dev/null || true
    [[ -z "${SKIP_GLEWLWYD:-}" && -x "$PEERS/stop.sh" ]] && "$PEERS/stop.sh" >/dev/null 2>&1 || true
    rm -rf "$WORK"
}
trap cleanup EXIT

# --- Phisut ---------------------------------------------------------------------------------------
PORT=$(free_port)
BASE="http://127.0.0.1:$PORT"
.build/release/phisut serve --port "$PORT" --db "$WORK/phisut.sqlite" --metadata Metadata >"$WORK/phisut.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 100); do curl -sf "$BASE/healthz" -o /dev/null && break; sleep 0.1; done
BASIC=$(printf '%s:%s' partner-api "$SECRET" | base64 -w0)
code=$(curl -s -o "$WORK/sample.json" -w '%{http_code}' -H "Authorization: Basic $BASIC" -d grant_type=client_credentials "$BASE/token")
[[ $code = 200 ]] || { echo "phisut token check failed: HTTP $code $(cat "$WORK/sample.json")" >&2; cat "$WORK/phisut.log" >&2; exit 1; }
python3 - "$WORK/sample.json" <<'PY'
import base64, json, sys
token = json.load(open(sys.argv[1]))["access_token"]
header = json.loads(base64.urlsafe_b64decode(token.split(".")[0] + "=="))
assert header["alg"] == "ES256" and header["typ"] == "at+jwt", header
PY

cat >"$WORK/token.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Authorization"] = "Basic $BASIC"
wrk.body = "grant_type=client_credentials"
LUA
# The same request minus the signature: a grant type the client may not use is refused after
# client authentication, so this is HTTP + worker pool + form parsing + secret check.
sed 's/grant_type=client_credentials/grant_type=authorization_code\&code=x/' "$WORK/token.lua" >"$WORK/nosign.lua"

# wrk summary → "rps p50 p99 non2xx" ; server CPU seconds per request from /proc.
HZ=$(getconf CLK_TCK)
ticks() { awk '{print $14+$15}' "/proc/$1/stat"; }
measure() {  # name url lua pid
    wrk -t"$THREADS" -c"$CONNS" -d"$WARMUP" -s "$3" "$2" >/dev/null 2>&1
    local t0 t1
    t0=$(ticks "$4")
    wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency -s "$3" "$2" >"$WORK/$1.txt" 2>&1
    t1=$(ticks "$4")
    python3 - "$WORK/$1.txt" "$t0" "$t1" "$HZ" <<'PY' >"$WORK/$1.summary"
import re, sys
txt = open(sys.argv[1]).read()
def grab(pattern, default="0"):
    m = re.search(pattern, txt, re.M)
    return m.group(1) if m else default
reqs = int(grab(r"^\s+(\d+) requests in"))
cpu = (int(sys.argv[3]) - int(sys.argv[2])) / int(sys.argv[4])
print("rps", grab(r"^Requests/sec:\s+([\d.]+)"))
print("p50", grab(r"^\s+50%\s+(\S+)"))
print("p99", grab(r"^\s+99%\s+(\S+)"))
print("non2xx", grab(r"Non-2xx or 3xx responses:\s+(\d+)"))
print("cpu_us", f"{cpu / reqs * 1e6:.0f}" if reqs else "nan")
PY
}
measure phisut "$BASE/token" "$WORK/token.lua" "$SERVER_PID"
measure nosign "$BASE/token" "$WORK/nosign.lua" "$SERVER_PID"
measure jwks "$BASE/jwks" /dev/null "$SERVER_PID" 2>/dev/null || true
kill -TERM "$SERVER_PID" 2>/dev/null || true
wait "$SERVER_PID" 2>/dev/null || true
SERVER_PID=""

# --- Glewlwyd -------------------------------------------------------------------------------------
GLWD_RPS=""
if [[ -z "${SKIP_GLEWLWYD:-}" ]]; then
    "$PEERS/setup.sh" >"$WORK/glewlwyd-setup.log" 2>&1 || { cat "$WORK/glewlwyd-setup.log" >&2; exit 1; }
    ONLY=token CONNS="$CONNS" THREADS="$THREADS" DURATION="$DURATION" WARMUP="$WARMUP" OUT="$WORK/glewlwyd" \
        "$PEERS/bench.sh" >"$WORK/glewlwyd-bench.log" 2>&1 || { cat "$WORK/glewlwyd-bench.log" >&2; exit 1; }
    read -r GLWD_RPS GLWD_P50 GLWD_P99 GLWD_NON2 GLWD_CPU < <(awk -F'\t' '$1=="token" {print $2, $4, $7, $8, $12}' "$WORK/glewlwyd/summary.tsv")
    "$PEERS/stop.sh" >/dev/null 2>&1 || true
fi

# --- the signature's ceiling ----------------------------------------------------------------------
SIGNS=$(openssl speed -seconds 3 ecdsap256 2>/dev/null | awk '/ecdsa \(nistp256\)/ {print $7}')

# --- table ----------------------------------------------------------------------------------------
ratio() { [[ -n "$GLWD_RPS" && "$GLWD_RPS" != 0 ]] && python3 -c "print(f'{$1/$GLWD_RPS:.1f}x')" || echo "-"; }
echo
echo "client_credentials, wrk -t$THREADS -c$CONNS -d$DURATION, $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | xargs))"
printf '%-34s %10s %9s %9s %10s %12s %8s\n' system "req/s" p50 p99 non-2xx "cpu µs/req" "vs glwd"
row() { printf '%-34s %10s %9s %9s %10s %12s %8s\n' "$1" "$(field "$2" rps)" "$(field "$2" p50)" "$(field "$2" p99)" "$(field "$2" non2xx)" "$(field "$2" cpu_us)" "$(ratio "$(field "$2" rps)")"; }
row "phisut /token (ES256 JWT)" "$WORK/phisut.summary"
row "phisut /token minus signature" "$WORK/nosign.summary"
[[ -s "$WORK/jwks.summary" ]] && row "phisut /jwks (inline, no worker)" "$WORK/jwks.summary"
[[ -n "$GLWD_RPS" ]] && printf '%-34s %10s %9s %9s %10s %12s %8s\n' "glewlwyd /token (ES256 JWT)" "$GLWD_RPS" "$GLWD_P50" "$GLWD_P99" "$GLWD_NON2" "$GLWD_CPU" "1.0x"
echo "openssl speed ecdsap256: $SIGNS signs/s per core"
