#!/usr/bin/env python3
"""Hold N idle keep-alive connections to a server, report its RSS growth and the latency of a
fresh client's request while they are held.

usage: idle_clients.py <port> <server-pid> <count> [path]   (path /events holds SSE streams)
prints: key=value lines (rss_before_kib, rss_after_kib, bytes_per_conn, held, new_request_ms)
"""
import socket
import statistics
import sys
import time

port, pid, count = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
PATH = sys.argv[4] if len(sys.argv) > 4 else "/inline"
REQUEST = b"GET /inline HTTP/1.1\r\nHost: bench\r\n\r\n"
HOLD_REQUEST = f"GET {PATH} HTTP/1.1\r\nHost: bench\r\n\r\n".encode()


def rss_kib():
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def read_response(sock):
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("closed")
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    if b"text/event-stream" in head:
        return head.split(b"\r\n")[0]  # a stream stays open; its head is enough
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    while len(body) < length:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("closed")
        body += chunk
    return head.split(b"\r\n")[0]


def one_request_ms():
    start = time.perf_counter()
    with socket.create_connection(("127.0.0.1", port)) as sock:
        sock.sendall(REQUEST)
        read_response(sock)
    return (time.perf_counter() - start) * 1000


for _ in range(50):  # warm up: allocator arenas, code paths
    one_request_ms()
before = rss_kib()
held = []
for _ in range(count):
    sock = socket.create_connection(("127.0.0.1", port))
    sock.sendall(HOLD_REQUEST)
    held.append(sock)
for sock in held:
    read_response(sock)
time.sleep(1.0)  # let the server settle (buffers released after the response)
after = rss_kib()
latencies = sorted(one_request_ms() for _ in range(50))
print(f"rss_before_kib={before}")
print(f"rss_after_kib={after}")
print(f"held={len(held)}")
print(f"bytes_per_conn={(after - before) * 1024 // max(1, len(held))}")
print(f"new_request_ms_median={statistics.median(latencies):.2f}")
print(f"new_request_ms_p95={latencies[int(len(latencies) * 0.95) - 1]:.2f}")
for sock in held:
    sock.close()
