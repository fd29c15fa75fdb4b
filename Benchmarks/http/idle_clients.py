#!/usr/bin/env python3
"""Hold N idle keep-alive connections to a server, report its RSS growth and the latency of a
fresh client's request with nothing held and while they are held.

usage: idle_clients.py <port> <server-pid> <count> <probe-path> [hold-path]
  probe-path: what a fresh client asks for (one request per new connection)
  hold-path:  what each held connection asks for once (default probe-path; /events holds SSE streams)
prints: key=value lines (held, rss_before_kib, rss_after_kib, bytes_per_conn, unloaded_p50_ms,
        loaded_p50_ms, loaded_p95_ms, loaded_max_ms)
"""
import socket
import statistics
import sys
import time

port, pid, count = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
PROBE = f"GET {sys.argv[4]} HTTP/1.1\r\nHost: bench\r\n\r\n".encode()
HOLD = f"GET {sys.argv[5] if len(sys.argv) > 5 else sys.argv[4]} HTTP/1.1\r\nHost: bench\r\n\r\n".encode()
SAMPLES = 50
BATCH = 500  # connect in batches and read their answers so the listen backlog never overflows


def rss_kib():
    with open(f"/proc/{pid}/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))


def recv_more(sock, data):
    chunk = sock.recv(65536)
    if not chunk:
        raise ConnectionError("closed by server")
    return data + chunk


def read_response(sock):
    data = b""
    while b"\r\n\r\n" not in data:
        data = recv_more(sock, data)
    head, _, body = data.partition(b"\r\n\r\n")
    if not head.startswith(b"HTTP/1.1 200"):
        raise ConnectionError(head.split(b"\r\n")[0].decode())
    if b"text/event-stream" in head:
        return  # a stream stays open; its head is enough
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    while len(body) < length:
        body = recv_more(sock, body)


def new_client_ms():
    start = time.perf_counter()
    with socket.create_connection(("127.0.0.1", port)) as sock:
        sock.sendall(PROBE)
        read_response(sock)
    return (time.perf_counter() - start) * 1000


for _ in range(50):  # warm up allocator arenas and code paths before the baseline
    new_client_ms()
unloaded = sorted(new_client_ms() for _ in range(SAMPLES))
before = rss_kib()
held = []
for _ in range(count):
    sock = socket.create_connection(("127.0.0.1", port))
    sock.sendall(HOLD)
    held.append(sock)
    if len(held) % BATCH == 0:
        for s in held[-BATCH:]:
            read_response(s)
for s in held[len(held) - len(held) % BATCH:]:
    read_response(s)
time.sleep(1.0)  # let the server release per-request buffers
after = rss_kib()
loaded = sorted(new_client_ms() for _ in range(SAMPLES))
alive = 0
for s in held:  # every held connection must still be open (no EOF pending)
    s.setblocking(False)
    try:
        alive += 0 if s.recv(1) == b"" else 1
    except BlockingIOError:
        alive += 1
print(f"held={alive}")
print(f"rss_before_kib={before}")
print(f"rss_after_kib={after}")
print(f"bytes_per_conn={(after - before) * 1024 // max(1, alive)}")
print(f"unloaded_p50_ms={statistics.median(unloaded):.2f}")
print(f"loaded_p50_ms={statistics.median(loaded):.2f}")
print(f"loaded_p95_ms={loaded[int(SAMPLES * 0.95) - 1]:.2f}")
print(f"loaded_max_ms={loaded[-1]:.2f}")
for s in held:
    s.close()
