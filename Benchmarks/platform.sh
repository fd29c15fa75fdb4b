#!/usr/bin/env bash
# Issue 2 benchmark, one table:
#  1. GET /.well-known/openid-configuration and GET /jwks of a real `phisut serve` (release build,
#     temp DB) against a private nginx (2 workers, temp config, free port; never the system nginx)
#     serving the same bytes as static files. wrk -t2 -c64, 3 s warm-up then 10 s; each pair run
#     twice, interleaved. Goal: phisut >= 0.6 x nginx.
#  2. 10,000 idle keep-alive connections held against `phisut serve`: RSS before/after, bytes per
#     connection (goal <= 32 KiB), and a new client's GET /healthz latency meanwhile (20 samples,
#     goal <= 10 ms).
#  3. JWS sign/verify per core against `openssl speed` (Benchmarks/jose.sh's table).
# Usage: Benchmarks/platform.sh   (DURATION=10s WARMUP=3s IDLE=10000 ROUNDS=2 JOSE_SECONDS=3)
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-3s}
CONNECTIONS=${CONNECTIONS:-64}
IDLE=${IDLE:-10000}
ROUNDS=${ROUNDS:-2}
JOSE_SECONDS=${JOSE_SECONDS:-3}
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
(( $(ulimit -n) > IDLE + 100 )) || { echo "ulimit -n $(ulimit -n) is too low for IDLE=$IDLE" >&2; exit 1; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

swift build -c release --product phisut >&2
BIN=$(swift build -c release --show-bin-path)

WORK=$(mktemp -d)
chmod 755 "$WORK"   # nginx workers drop privileges and must read the files
SERVER_PID=""; NGINX_PID=""
cleanup() {
    [[ -n "$SERVER_PID" ]] && kill -TERM "$SERVER_PID" 2>/dev/null || true
    [[ -n "$NGINX_PID" ]] && kill -QUIT "$NGINX_PID" 2>/dev/null || true
    wait 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

# --- phisut serve on a fresh store ---
"$BIN/phisut" serve --port 0 --db "$WORK/phisut.sqlite" --metadata Metadata >"$WORK/serve.log" 2>&1 &
SERVER_PID=$!
URL=""
for _ in $(seq 100); do
    URL=$(awk '/^listening on / {print $3; exit}' "$WORK/serve.log")
    [[ -n "$URL" ]] && break
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/serve.log" >&2; exit 1; }
    sleep 0.1
done
[[ -n "$URL" ]] || { echo "phisut serve did not start" >&2; exit 1; }
PORT=${URL##*:}

# --- nginx serving the very same bytes ---
NGINX_PORT=$(free_port)
mkdir -p "$WORK/nginx/html" "$WORK/nginx/logs" "$WORK/nginx/tmp"
curl -sf "$URL/.well-known/openid-configuration" -o "$WORK/nginx/html/openid-configuration.json"
curl -sf "$URL/jwks" -o "$WORK/nginx/html/jwks.json"
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
        default_type application/json;
        location = /.well-known/openid-configuration { try_files /openid-configuration.json =404; }
        location = /jwks { try_files /jwks.json =404; }
    }
}
CONF
nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" &
NGINX_PID=$!
NGINX_URL="http://127.0.0.1:$NGINX_PORT"
for _ in $(seq 50); do curl -sf "$NGINX_URL/jwks" -o /dev/null && break; sleep 0.1; done
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
kill -QUIT "$NGINX_PID"; wait "$NGINX_PID" 2>/dev/null || true; NGINX_PID=""

# --- idle keep-alive connections: one GET /healthz each, then held open ---
IDLE_OUT=$(python3 - "$PORT" "$SERVER_PID" "$IDLE" <<'PY'
import socket, statistics, sys, time

port, pid, count = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
REQUEST = b"GET /healthz HTTP/1.1\r\nHost: bench\r\n\r\n"

def rss_kib():
    with open(f"/proc/{pid}/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))

def read_response(sock):
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("closed by server")
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = next((int(l.split(b":", 1)[1]) for l in head.split(b"\r\n")[1:]
                   if l.split(b":", 1)[0].strip().lower() == b"content-length"), 0)
    while len(body) < length:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("closed by server")
        body += chunk
    if not head.startswith(b"HTTP/1.1 200"):
        raise ConnectionError(head.split(b"\r\n")[0].decode())

def new_client_ms():
    start = time.perf_counter()
    with socket.create_connection(("127.0.0.1", port)) as sock:
        sock.sendall(REQUEST)
        read_response(sock)
    return (time.perf_counter() - start) * 1000

for _ in range(50):   # warm up allocator arenas and code paths before the baseline
    new_client_ms()
idle_ms = sorted(new_client_ms() for _ in range(20))
before = rss_kib()
held = []
for _ in range(count):   # connect in batches so the listen backlog never overflows
    sock = socket.create_connection(("127.0.0.1", port))
    sock.sendall(REQUEST)
    held.append(sock)
    if len(held) % 500 == 0:
        for s in held[-500:]:
            read_response(s)
for s in held[len(held) - len(held) % 500:]:
    read_response(s)
time.sleep(1.0)   # let the server release per-request buffers
after = rss_kib()
loaded_ms = sorted(new_client_ms() for _ in range(20))
alive = 0
for s in held:   # every held connection must still be open (no EOF pending)
    s.setblocking(False)
    try:
        alive += 0 if s.recv(1) == b"" else 1
    except BlockingIOError:
        alive += 1
print(f"held={alive}")
print(f"rss_before_kib={before}")
print(f"rss_after_kib={after}")
print(f"bytes_per_conn={(after - before) * 1024 // max(1, alive)}")
print(f"unloaded_p50_ms={statistics.median(idle_ms):.2f}")
print(f"loaded_p50_ms={statistics.median(loaded_ms):.2f}")
print(f"loaded_max_ms={loaded_ms[-1]:.2f}")
for s in held:
    s.close()
PY
)
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
printf '%-44s %16s %10s\n' "new GET /healthz while held, max of 20 (ms)" "$(get loaded_max_ms)" "<= 10"
echo
echo "JWS per core, in-process, against openssl speed (goal ratio >= 0.80):"
echo "$JOSE_TABLE"
echo
echo "phisut exit status after SIGTERM: $SERVER_STATUS"
