#!/usr/bin/env bash
# HTTP module benchmark: wrk against the Swift server (.inline and .worker routes) and a private
# nginx serving the same bytes; then 10,000 idle keep-alive connections (RSS per connection and a
# fresh client's latency while they are held). Never touches the system nginx.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-64}
IDLE=${IDLE:-10000}
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
rps() { wrk -t2 -c"$CONNECTIONS" -d"$DURATION" "$1" | awk '/Requests\/sec/ {print $2}'; }

swift build -c release --product http-bench-server >/dev/null
WORK=$(mktemp -d)
chmod 755 "$WORK"   # nginx workers drop privileges and must read the file
SERVER_PID=""; NGINX_PID=""
cleanup() {
    [[ -n "$SERVER_PID" ]] && kill -TERM "$SERVER_PID" 2>/dev/null || true
    [[ -n "$NGINX_PID" ]] && kill -QUIT "$NGINX_PID" 2>/dev/null || true
    sleep 0.5; rm -rf "$WORK"
}
trap cleanup EXIT

# --- Swift server ---
PORT=$(free_port)
.build/release/http-bench-server "$PORT" >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$PORT/inline" -o "$WORK/body.json" && break; sleep 0.1; done

# --- nginx with the same bytes ---
NGINX_PORT=$(free_port)
mkdir -p "$WORK/nginx/html" "$WORK/nginx/logs" "$WORK/nginx/tmp"
cp "$WORK/body.json" "$WORK/nginx/html/inline.json"
cat >"$WORK/nginx/nginx.conf" <<CONF
worker_processes 2;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/logs/error.log;
daemon off;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path $WORK/nginx/tmp; proxy_temp_path $WORK/nginx/tmp;
    fastcgi_temp_path $WORK/nginx/tmp; uwsgi_temp_path $WORK/nginx/tmp; scgi_temp_path $WORK/nginx/tmp;
    keepalive_requests 1000000;
    server {
        listen 127.0.0.1:$NGINX_PORT;
        root $WORK/nginx/html;
        location = /inline { default_type application/json; try_files /inline.json =404; }
    }
}
CONF
nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" &
NGINX_PID=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$NGINX_PORT/inline" -o /dev/null && break; sleep 0.1; done
cmp -s <(curl -s "http://127.0.0.1:$NGINX_PORT/inline") "$WORK/body.json" || { echo "nginx body differs" >&2; exit 1; }

wrk -t2 -c"$CONNECTIONS" -d2s "http://127.0.0.1:$PORT/inline" >/dev/null   # warm-up
NGINX_RPS=$(rps "http://127.0.0.1:$NGINX_PORT/inline")
INLINE_RPS=$(rps "http://127.0.0.1:$PORT/inline")
WORKER_RPS=$(rps "http://127.0.0.1:$PORT/worker")
kill -QUIT "$NGINX_PID"; wait "$NGINX_PID" 2>/dev/null || true; NGINX_PID=""

IDLE_OUT=$(python3 Benchmarks/http/idle_clients.py "$PORT" "$SERVER_PID" "$IDLE")
STREAM_OUT=$(python3 Benchmarks/http/idle_clients.py "$PORT" "$SERVER_PID" "$IDLE" /events)
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
printf '%-44s %14s %10s\n' "new request while held, median (ms)" "$(get new_request_ms_median)" "<= 10"
printf '%-44s %14s %10s\n' "new request while held, p95 (ms)" "$(get new_request_ms_p95)" ""
printf '%-44s %14s %10s\n' "SSE streams held" "$(sget held)" "$IDLE"
printf '%-44s %14s %10s\n' "RSS per open SSE stream (bytes)" "$(sget bytes_per_conn)" "<= 32768"
printf '%-44s %14s %10s\n' "new request while streams held, median (ms)" "$(sget new_request_ms_median)" "<= 10"

kill -TERM "$SERVER_PID"
wait "$SERVER_PID"; echo "server exit status: $?"; SERVER_PID=""
