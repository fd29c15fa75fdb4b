#!/usr/bin/env bash
# Issue 2 benchmark, one table:
#  1. GET /.well-known/openid-configuration and GET /jwks of a real `phisut serve` (release build,
#     temp DB) against a private nginx (2 workers, temp config, free port; never the system nginx)
#     serving the same bytes as static files. wrk -t2 -c64, 3 s warm-up then 10 s; each pair run
#     twice, interleaved. Goal: phisut >= 0.6 x nginx.
#  2. 10,000 idle keep-alive connections held against `phisut serve`: RSS before/after, bytes per
#     connection (goal <= 32 KiB), and a new client's GET /healthz latency meanwhile (50 samples,
#     goal <= 10 ms; Benchmarks/http/idle_clients.py).
#  3. JWS sign/verify per core against `openssl speed` (Benchmarks/jose.sh's table).
# Usage: Benchmarks/platform.sh   (DURATION=10s WARMUP=3s IDLE=10000 ROUNDS=2 JOSE_SECONDS=3)
cd "$(dirname "$0")/.."
source Benchmarks/lib.sh

DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-3s}
CONNECTIONS=${CONNECTIONS:-64}
IDLE=${IDLE:-10000}
ROUNDS=${ROUNDS:-2}
JOSE_SECONDS=${JOSE_SECONDS:-3}
(( $(ulimit -n) > IDLE + 100 )) || { echo "ulimit -n $(ulimit -n) is too low for IDLE=$IDLE" >&2; exit 1; }

swift build -c release --product phisut >&2
BIN=$(swift build -c release --show-bin-path)

# --- phisut serve on a fresh store ---
start_phisut "$WORK/phisut.sqlite" Metadata
PORT=${URL##*:}

# --- nginx serving the very same bytes ---
mkdir -p "$WORK/nginx/html"
curl -sf "$URL/.well-known/openid-configuration" -o "$WORK/nginx/html/openid-configuration.json"
curl -sf "$URL/jwks" -o "$WORK/nginx/html/jwks.json"
start_nginx /jwks '
        location = /.well-known/openid-configuration { try_files /openid-configuration.json =404; }
        location = /jwks { try_files /jwks.json =404; }'
for path in /.well-known/openid-configuration /jwks; do
    cmp -s <(curl -s "$NGINX_URL$path") <(curl -s "$URL$path") || { echo "nginx and phisut differ on $path" >&2; exit 1; }
done

# wrk after a warm-up of the same target; prints requests/s.
rps() {
    wrk -t2 -c"$CONNECTIONS" -d"$WARMUP" "$1" >/dev/null
    wrk -t2 -c"$CONNECTIONS" -d"$DURATION" "$1" | awk '/Requests\/sec/ {print $2}'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }

THROUGHPUT=()
for round in $(seq "$ROUNDS"); do
    for path in /.well-known/openid-configuration /jwks; do
        n=$(rps "$NGINX_URL$path")
        p=$(rps "$URL$path")
        THROUGHPUT+=("$(printf '%-42s %5s %12s %12s %7s' "GET $path" "$round" "$n" "$p" "$(ratio "$p" "$n")")")
    done
done
stop_nginx

# --- idle keep-alive connections: one GET /healthz each, then held open ---
IDLE_OUT=$(python3 Benchmarks/http/idle_clients.py "$PORT" "$SERVER_PID" "$IDLE" /healthz)
get() { echo "$IDLE_OUT" | awk -F= -v k="$1" '$1==k {print $2}'; }

JOSE_TABLE=$(Benchmarks/jose.sh "$JOSE_SECONDS" 2>/dev/null)

kill -TERM "$SERVER_PID"
wait "$SERVER_PID" && SERVER_STATUS=0 || SERVER_STATUS=$?
SERVER_PID=""

echo
echo "Phisut platform benchmark — $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo
printf '%-42s %5s %12s %12s %7s\n' "wrk -t2 -c$CONNECTIONS -d$DURATION (warm-up $WARMUP)" round "nginx req/s" "phisut req/s" "ratio"
printf '%s\n' "${THROUGHPUT[@]}"
printf '%-42s %5s %12s %12s %7s\n' "" "" "" "goal" ">= 0.60"
echo
printf '%-44s %16s %10s\n' "$IDLE idle keep-alive connections" value goal
printf '%-44s %16s %10s\n' "connections held open" "$(get held)" "$IDLE"
printf '%-44s %16s %10s\n' "phisut RSS before / after (KiB)" "$(get rss_before_kib) / $(get rss_after_kib)" ""
printf '%-44s %16s %10s\n' "RSS per connection (bytes)" "$(get bytes_per_conn)" "<= 32768"
printf '%-44s %16s %10s\n' "new GET /healthz, nothing held, p50 (ms)" "$(get unloaded_p50_ms)" ""
printf '%-44s %16s %10s\n' "new GET /healthz while held, p50 (ms)" "$(get loaded_p50_ms)" "<= 10"
printf '%-44s %16s %10s\n' "new GET /healthz while held, max of 50 (ms)" "$(get loaded_max_ms)" "<= 10"
echo
echo "JWS per core, in-process, against openssl speed (goal ratio >= 0.80):"
echo "$JOSE_TABLE"
echo
echo "phisut exit status after SIGTERM: $SERVER_STATUS"
