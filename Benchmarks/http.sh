#!/usr/bin/env bash
# HTTP module benchmark: wrk against the Swift server (.inline and .worker routes) and a private
# nginx serving the same bytes; then 10,000 idle keep-alive connections (RSS per connection and a
# fresh client's latency while they are held). Never touches the system nginx.
cd "$(dirname "$0")/.."
source Benchmarks/lib.sh

DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-64}
IDLE=${IDLE:-10000}
rps() { wrk -t2 -c"$CONNECTIONS" -d"$DURATION" "$1" | awk '/Requests\/sec/ {print $2}'; }

swift build -c release --product http-bench-server >/dev/null

# --- Swift server ---
PORT=$(free_port)
.build/release/http-bench-server "$PORT" >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$PORT/inline" -o "$WORK/body.json" && break; sleep 0.1; done

# --- nginx with the same bytes ---
mkdir -p "$WORK/nginx/html"
cp "$WORK/body.json" "$WORK/nginx/html/inline.json"
start_nginx /inline 'location = /inline { try_files /inline.json =404; }'
cmp -s <(curl -s "$NGINX_URL/inline") "$WORK/body.json" || { echo "nginx body differs" >&2; exit 1; }

wrk -t2 -c"$CONNECTIONS" -d2s "http://127.0.0.1:$PORT/inline" >/dev/null   # warm-up
NGINX_RPS=$(rps "$NGINX_URL/inline")
INLINE_RPS=$(rps "http://127.0.0.1:$PORT/inline")
WORKER_RPS=$(rps "http://127.0.0.1:$PORT/worker")
stop_nginx

IDLE_OUT=$(python3 Benchmarks/http/idle_clients.py "$PORT" "$SERVER_PID" "$IDLE" /inline)
STREAM_OUT=$(python3 Benchmarks/http/idle_clients.py "$PORT" "$SERVER_PID" "$IDLE" /inline /events)
get() { echo "$IDLE_OUT" | awk -F= -v k="$1" '$1==k {print $2}'; }
sget() { echo "$STREAM_OUT" | awk -F= -v k="$1" '$1==k {print $2}'; }

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
printf '\n%-44s %14s %10s\n' "Benchmark (wrk -t2 -c$CONNECTIONS -d$DURATION, 1.5 KB JSON)" "requests/s" "vs nginx"
printf '%-44s %14s %10s\n' "nginx 2 workers, static file" "$NGINX_RPS" "1.00"
printf '%-44s %14s %10s\n' "phisut HTTP, .inline route" "$INLINE_RPS" "$(ratio "$INLINE_RPS" "$NGINX_RPS")"
printf '%-44s %14s %10s\n' "phisut HTTP, .worker route" "$WORKER_RPS" "$(ratio "$WORKER_RPS" "$NGINX_RPS")"
printf '\n%-44s %14s %10s\n' "Idle keep-alive connections" "value" "goal"
printf '%-44s %14s %10s\n' "connections held" "$(get held)" "$IDLE"
printf '%-44s %14s %10s\n' "server RSS before / after (KiB)" "$(get rss_before_kib) / $(get rss_after_kib)" ""
printf '%-44s %14s %10s\n' "RSS per connection (bytes)" "$(get bytes_per_conn)" "<= 32768"
printf '%-44s %14s %10s\n' "new request while held, median (ms)" "$(get loaded_p50_ms)" "<= 10"
printf '%-44s %14s %10s\n' "new request while held, p95 (ms)" "$(get loaded_p95_ms)" ""
printf '%-44s %14s %10s\n' "SSE streams held" "$(sget held)" "$IDLE"
printf '%-44s %14s %10s\n' "RSS per open SSE stream (bytes)" "$(sget bytes_per_conn)" "<= 32768"
printf '%-44s %14s %10s\n' "new request while streams held, median (ms)" "$(sget loaded_p50_ms)" "<= 10"

kill -TERM "$SERVER_PID"
wait "$SERVER_PID" && STATUS=0 || STATUS=$?   # set -e must not end the script before it says
echo "server exit status: $STATUS"; SERVER_PID=""
