# Sourced by the benchmark scripts (from the repository root): strict mode, a raised fd limit, a
# temporary WORK directory, and one exit trap that stops whatever the script started (the
# profiler in PROFILER_PID, the server in SERVER_PID, nginx in NGINX_PID) and removes WORK and
# DB_WORK. Helpers start `phisut serve` and a private nginx (never the system one).
set -euo pipefail
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

WORK=$(mktemp -d)
SERVER_PID=""; NGINX_PID=""; PROFILER_PID=""; DB_WORK=""
cleanup() {
    [[ -n "$PROFILER_PID" ]] && kill -INT "$PROFILER_PID" 2>/dev/null || true
    [[ -n "$SERVER_PID" ]] && kill -TERM "$SERVER_PID" 2>/dev/null || true
    [[ -n "$NGINX_PID" ]] && kill -QUIT "$NGINX_PID" 2>/dev/null || true
    wait 2>/dev/null || true
    rm -rf "$WORK" ${DB_WORK:+"$DB_WORK"}
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
# User + system CPU clock ticks a process has used so far (divide by `getconf CLK_TCK`).
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# start_phisut DB METADATA: `$BIN/phisut serve` on a free port; sets SERVER_PID and URL from its
# `listening on` line (CONTRACT.md), or exits with its log if it dies or never listens.
start_phisut() {
    "$BIN/phisut" serve --port 0 --db "$1" --metadata "$2" >"$WORK/serve.out" 2>"$WORK/serve.log" &
    SERVER_PID=$!
    URL=""
    for _ in $(seq 100); do
        URL=$(awk '/^listening on / {print $3; exit}' "$WORK/serve.out")
        [[ -n "$URL" ]] && return 0
        kill -0 "$SERVER_PID" 2>/dev/null || break
        sleep 0.1
    done
    echo "phisut serve did not start" >&2; cat "$WORK/serve.log" >&2; exit 1
}

# start_nginx PROBE_PATH LOCATIONS: a private nginx (2 workers) serving $WORK/nginx/html on a free
# port with the given `location` blocks; sets NGINX_PID and NGINX_URL once PROBE_PATH answers.
# Put the files in $WORK/nginx/html first.
start_nginx() {
    chmod 755 "$WORK"   # nginx workers drop privileges and must read the files
    local port; port=$(free_port)
    mkdir -p "$WORK/nginx/html" "$WORK/nginx/logs" "$WORK/nginx/tmp"
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
        listen 127.0.0.1:$port;
        root $WORK/nginx/html;
        default_type application/json;
        $2
    }
}
CONF
    nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" &
    NGINX_PID=$!
    NGINX_URL="http://127.0.0.1:$port"
    for _ in $(seq 50); do curl -sf "$NGINX_URL$1" -o /dev/null && return 0; sleep 0.1; done
    echo "nginx did not start" >&2; cat "$WORK/nginx/logs/error.log" >&2; exit 1
}
stop_nginx() { kill -QUIT "$NGINX_PID"; wait "$NGINX_PID" 2>/dev/null || true; NGINX_PID=""; }
