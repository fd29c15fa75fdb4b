#!/usr/bin/env python3
"""CIBA and device-stream load generator for Benchmarks/sse.sh and Benchmarks/ciba.sh.

Speaks the device API (CONTRACT.md) and CIBA Core 1.0 to a broker on loopback with plain asyncio
and `cryptography` (ES256 for device keys, proofs, assertions, decisions and the client's
private_key_jwt). One asyncio process holds every stream.

  cibabench.py metadata OUT_DIR                 write clients/ciba-bench.json (+ ciba-bench-key.pem)
  cibabench.py sse   URL OFFICER PID KEY --citizens N --devices-per-citizen D --requests R
  cibabench.py flows URL OFFICER PID KEY --citizens N --flows F --concurrency K
"""
import argparse, asyncio, base64, json, os, secrets, statistics, sys, time, urllib.parse

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

CLIENT_ID = "ciba-bench"


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def jws(key, payload: dict, kid=None, typ=None) -> str:
    header = {"alg": "ES256"}
    if kid: header["kid"] = kid
    if typ: header["typ"] = typ
    signing_input = b64(json.dumps(header).encode()) + "." + b64(json.dumps(payload).encode())
    r, s = decode_dss_signature(key.sign(signing_input.encode(), ec.ECDSA(hashes.SHA256())))
    return signing_input + "." + b64(r.to_bytes(32, "big") + s.to_bytes(32, "big"))


def public_jwk(key) -> dict:
    numbers = key.public_key().public_numbers()
    return {"kty": "EC", "crv": "P-256", "x": b64(numbers.x.to_bytes(32, "big")), "y": b64(numbers.y.to_bytes(32, "big"))}


def citizen_id(index: int) -> str:
    digits = "3" + f"{index:011d}"
    total = sum(int(d) * (13 - i) for i, d in enumerate(digits))
    return digits + str((11 - total % 11) % 10)


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))] if ordered else float("nan")


def rss_kib(pid: int) -> int:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


class Connection:
    """One keep-alive HTTP/1.1 connection; Content-Length answers only (what the broker sends)."""

    def __init__(self, host, port):
        self.host, self.port, self.reader, self.writer = host, port, None, None

    async def request(self, method, path, headers=(), body=b""):
        for attempt in range(2):
            if self.writer is None:
                self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
            try:
                head = f"{method} {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\nContent-Length: {len(body)}\r\n"
                head += "".join(f"{k}: {v}\r\n" for k, v in headers) + "\r\n"
                self.writer.write(head.encode() + body)
                status_line = await self.reader.readline()
                if not status_line:
                    raise ConnectionError("closed")
                length, close = 0, False
                while (line := await self.reader.readline()) not in (b"\r\n", b""):
                    name, _, value = line.decode().partition(":")
                    if name.lower() == "content-length": length = int(value)
                    if name.lower() == "connection" and "close" in value.lower(): close = True
                data = await self.reader.readexactly(length) if length else b""
                if close: self.close()
                return int(status_line.split()[1]), data
            except (ConnectionError, asyncio.IncompleteReadError):
                self.close()
                if attempt: raise
        raise ConnectionError("unreachable")

    async def json(self, method, path, payload=None, form=None, headers=()):
        headers = list(headers)
        body = b""
        if payload is not None:
            body = json.dumps(payload).encode(); headers.append(("Content-Type", "application/json"))
        elif form is not None:
            body = urllib.parse.urlencode(form).encode(); headers.append(("Content-Type", "application/x-www-form-urlencoded"))
        status, data = await self.request(method, path, headers, body)
        return status, (json.loads(data) if data else {})

    def close(self):
        if self.writer: self.writer.close()
        self.reader = self.writer = None


class Device:
    def __init__(self, issuer, citizen):
        self.issuer, self.citizen, self.key, self.id = issuer, citizen, ec.generate_private_key(ec.SECP256R1()), None

    def assertion(self):
        now = int(time.time())
        return jws(self.key, {"iss": self.id, "sub": self.id, "aud": self.issuer, "iat": now, "exp": now + 120,
                              "jti": secrets.token_urlsafe(16)}, kid=self.id)

    def decision(self, request_id, approve=True):
        return jws(self.key, {"request_id": request_id, "approve": approve, "iat": int(time.time())}, kid=self.id)


class Bench:
    def __init__(self, url, officer, pid, key_file):
        parsed = urllib.parse.urlparse(url)
        self.issuer, self.host, self.port, self.officer, self.pid = url.rstrip("/"), parsed.hostname, parsed.port, officer, pid
        with open(key_file, "rb") as f:
            self.client_key = serialization.load_pem_private_key(f.read(), None)

    def connection(self):
        return Connection(self.host, self.port)

    async def enroll(self, citizens, per_citizen, workers=16):
        conn = self.connection()
        _, terms = await conn.json("GET", "/device/v1/terms")
        version = terms["version"]
        jobs = [(c, d) for c in range(citizens) for d in range(per_citizen)]
        devices = []

        async def worker(slot):
            conn = self.connection()
            while jobs:
                c, _ = jobs.pop()
                cid = citizen_id(c + 1)
                status, ticket = await conn.json("POST", "/officer/v1/enrollments", headers=[("Authorization", "Bearer " + self.officer)], payload={
                    "citizen_id": cid, "given_name": {"th": "ทดสอบ", "en": "Bench"}, "family_name": {"th": "ภาระ", "en": f"Citizen{c}"},
                    "birthdate": "1990-01-01"})
                assert status == 201, (status, ticket)
                code = urllib.parse.parse_qs(urllib.parse.urlparse(ticket["qr_payload"]).query)["code"][0]
                device = Device(self.issuer, cid)
                proof = jws(device.key, {"enrollment_code": code, "citizen_id": cid, "iat": int(time.time())})
                status, answer = await conn.json("POST", "/device/v1/enroll", payload={
                    "enrollment_code": code, "citizen_id": cid, "terms_version": version, "device_name": f"bench {slot}",
                    "device_key": public_jwk(device.key), "proof": proof})
                assert status == 201, (status, answer)
                device.id = answer["device_id"]
                devices.append(device)
            conn.close()

        started = time.monotonic()
        await asyncio.gather(*(worker(i) for i in range(workers)))
        print(f"enrolled {len(devices)} devices of {citizens} citizens in {time.monotonic() - started:.1f} s", flush=True)
        return devices

    def client_auth(self):
        now = int(time.time())
        assertion = jws(self.client_key, {"iss": CLIENT_ID, "sub": CLIENT_ID, "aud": self.issuer, "iat": now, "exp": now + 60,
                                          "jti": secrets.token_urlsafe(16)})
        return [("client_id", CLIENT_ID), ("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"),
                ("client_assertion", assertion)]

    async def open_stream(self, device, on_event):
        """Holds GET /device/v1/requests as an event stream (HTTP/1.0: unframed until close)."""
        reader, writer = await asyncio.open_connection(self.host, self.port)
        writer.write((f"GET /device/v1/requests HTTP/1.0\r\nHost: {self.host}:{self.port}\r\nAccept: text/event-stream\r\n"
                      f"Authorization: Bearer {device.assertion()}\r\n\r\n").encode())
        status = await reader.readline()
        if b" 200 " not in status:
            raise RuntimeError(f"stream refused: {status!r}")
        while await reader.readline() not in (b"\r\n", b""):
            pass

        async def read_events():
            event, data = None, []
            try:
                while line := await reader.readline():
                    line = line.rstrip(b"\r\n")
                    if not line:
                        if event == "request" and data:
                            on_event(device, json.loads(b"\n".join(data)), time.monotonic())
                        event, data = None, []
                    elif line.startswith(b"event:"): event = line[6:].strip().decode()
                    elif line.startswith(b"data:"): data.append(line[5:].lstrip())
            except (ConnectionError, asyncio.CancelledError):
                pass
            finally:
                writer.close()

        return asyncio.ensure_future(read_events())


def table(title, rows):
    print(f"\n{title}\n| step | n | p50 ms | p99 ms | max ms |\n|---|---:|---:|---:|---:|")
    for name, values in rows:
        ms = [v * 1000 for v in values]
        print(f"| {name} | {len(ms)} | {percentile(ms, 50):.1f} | {percentile(ms, 99):.1f} | {max(ms) if ms else float('nan'):.1f} |")


async def run_sse(args):
    bench = Bench(args.url, args.officer, args.pid, args.key)
    devices = await bench.enroll(args.citizens, args.devices_per_citizen)
    await asyncio.sleep(1)
    rss_before = rss_kib(args.pid)
    sent, first, every = {}, {}, []

    def on_event(device, request, at):
        message = request.get("binding_message")
        if message in sent:
            every.append(at - sent[message])
            first.setdefault(message, at - sent[message])

    started = time.monotonic()
    tasks = []
    for offset in range(0, len(devices), 500):
        tasks += await asyncio.gather(*(bench.open_stream(d, on_event) for d in devices[offset:offset + 500]))
    print(f"{len(tasks)} streams open in {time.monotonic() - started:.1f} s", flush=True)
    await asyncio.sleep(3)
    rss_after = rss_kib(args.pid)
    descriptors = len(os.listdir(f"/proc/{args.pid}/fd"))

    # Requests go to distinct citizens spread over the whole population (every device of each gets the event).
    by_citizen = {}
    for device in devices: by_citizen.setdefault(device.citizen, []).append(device)
    citizens = list(by_citizen)
    step = max(1, len(citizens) // args.requests)
    targets = citizens[::step][:args.requests]
    conn = bench.connection()
    for index, cid in enumerate(targets):
        message = f"bench {index}"
        sent[message] = time.monotonic()
        status, answer = await conn.json("POST", "/bc-authorize", form=[("scope", "openid"), ("login_hint", cid),
                                                                         ("binding_message", message)] + bench.client_auth())
        assert status == 200, (status, answer)
        await asyncio.sleep(args.gap)
    await asyncio.sleep(2)
    rss_loaded = rss_kib(args.pid)
    alive = sum(1 for t in tasks if not t.done())
    print(f"\nstreams held: {len(tasks)} ({alive} still open at the end), devices per citizen: {args.devices_per_citizen}")
    print(f"broker descriptors with the streams open: {descriptors}")
    print(f"broker RSS: {rss_before} KiB before the streams, {rss_after} KiB with them, {rss_loaded} KiB after the requests")
    print(f"resident memory per stream: {(rss_after - rss_before) * 1024 / max(1, len(tasks)) / 1024:.1f} KiB")
    print(f"requests: {len(targets)}, first device reached for {len(first)}, deliveries {len(every)} "
          f"(expected {len(targets) * args.devices_per_citizen})")
    table("latency from sending /bc-authorize to the event read on the device",
          [("first device of the citizen", list(first.values())), ("every device of the citizen", every)])
    for t in tasks: t.cancel()
    conn.close()


async def run_flows(args):
    bench = Bench(args.url, args.officer, args.pid, args.key)
    devices = await bench.enroll(args.citizens, 1)
    waiting = {}   # binding message -> future resolved with (device, request, time received)

    def on_event(device, request, at):
        future = waiting.get(request.get("binding_message"))
        if future and not future.done(): future.set_result((device, request, at))

    streams = await asyncio.gather(*(bench.open_stream(d, on_event) for d in devices))
    steps = {name: [] for name in ("bc-authorize answer", "push to device", "device decision", "token (poll after approval)", "whole flow")}
    counter = iter(range(args.flows))
    failures = []

    async def client_and_device(slot):
        rp, phone = bench.connection(), bench.connection()
        for index in counter:
            device = devices[index % len(devices)]
            message = f"flow {index}"
            future = asyncio.get_running_loop().create_future()
            waiting[message] = future
            t0 = time.monotonic()
            status, answer = await rp.json("POST", "/bc-authorize", form=[("scope", "openid profile"), ("login_hint", device.citizen),
                                                                          ("binding_message", message)] + bench.client_auth())
            t1 = time.monotonic()
            if status != 200:
                failures.append(("bc-authorize", status, answer)); continue
            _, request, t2 = await asyncio.wait_for(future, 30)
            status, decided = await phone.json("POST", f"/device/v1/requests/{request['request_id']}/decision",
                                               payload={"decision": device.decision(request["request_id"])},
                                               headers=[("Authorization", "Bearer " + device.assertion())])
            t3 = time.monotonic()
            if status != 200:
                failures.append(("decision", status, decided)); continue
            # The client's poll that lands after the approval (a decided request is answered at once, §11).
            while True:
                status, tokens = await rp.json("POST", "/token", form=[("grant_type", "urn:openid:params:grant-type:ciba"),
                                                                        ("auth_req_id", answer["auth_req_id"])] + bench.client_auth())
                if tokens.get("error") not in ("authorization_pending", "slow_down"): break
                await asyncio.sleep(answer.get("interval", 5))
            t4 = time.monotonic()
            del waiting[message]
            if status != 200 or "id_token" not in tokens:
                failures.append(("token", status, tokens)); continue
            for name, value in zip(steps, (t1 - t0, t2 - t0, t3 - t2, t4 - t3, t4 - t0)): steps[name].append(value)
        rp.close(); phone.close()

    cpu0 = os.times()
    started = time.monotonic()
    await asyncio.gather(*(client_and_device(i) for i in range(args.concurrency)))
    elapsed = time.monotonic() - started
    cpu1 = os.times()
    done = len(steps["whole flow"])
    print(f"\n{done} CIBA flows in {elapsed:.1f} s = {done / elapsed:.1f} flows/s "
          f"({args.citizens} citizens with one streaming device each, {args.concurrency} flows at once, {len(failures)} failed)")
    print(f"load generator CPU: {cpu1.user - cpu0.user:.1f} s user + {cpu1.system - cpu0.system:.1f} s system")
    for failure in failures[:5]: print("failure:", failure)
    table("per step", list(steps.items()))
    for s in streams: s.cancel()


def write_metadata(out):
    key = ec.generate_private_key(ec.SECP256R1())
    os.makedirs(os.path.join(out, "clients"), exist_ok=True)
    jwk = dict(public_jwk(key), kid="ciba-bench-1", use="sig", alg="ES256")
    document = {"client_id": CLIENT_ID, "client_name": "CIBA Bench Desk", "application_type": "web",
                "token_endpoint_auth_method": "private_key_jwt", "token_endpoint_auth_signing_alg": "ES256",
                "grant_types": ["urn:openid:params:grant-type:ciba"], "response_types": [], "redirect_uris": [],
                "scope": "openid profile", "jwks": {"keys": [jwk]}, "id_token_signed_response_alg": "ES256",
                "backchannel_token_delivery_mode": "poll"}
    with open(os.path.join(out, "clients", CLIENT_ID + ".json"), "w") as f: json.dump(document, f, indent=2)
    with open(os.path.join(out, CLIENT_ID + "-key.pem"), "wb") as f:
        f.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    meta = sub.add_parser("metadata"); meta.add_argument("out")
    for name in ("sse", "flows"):
        p = sub.add_parser(name)
        p.add_argument("url"); p.add_argument("officer"); p.add_argument("pid", type=int); p.add_argument("key")
        p.add_argument("--citizens", type=int, default=2000)
    sse = sub.choices["sse"]
    sse.add_argument("--devices-per-citizen", type=int, default=5); sse.add_argument("--requests", type=int, default=200)
    sse.add_argument("--gap", type=float, default=0.02)
    flows = sub.choices["flows"]
    flows.add_argument("--flows", type=int, default=1000); flows.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args()
    if args.command == "metadata":
        write_metadata(args.out)
    elif args.command == "sse":
        if args.devices_per_citizen > 5: parser.error("at most 5 devices per citizen")
        asyncio.run(run_sse(args))
    else:
        if args.flows > 10 * args.citizens: parser.error("the hourly cap allows 10 approvals per citizen: add citizens")
        asyncio.run(run_flows(args))


if __name__ == "__main__":
    main()
