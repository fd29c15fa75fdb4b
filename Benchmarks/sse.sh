#!/usr/bin/env bash
# Issue 5 benchmark: DEVICES phones hold `GET /device/v1/requests` event streams at once against a
# release `phisut serve` (CITIZENS citizens, at most 5 devices each, all enrolled through the
# officer and device APIs first). Reports the broker's resident memory per stream and the latency
# from sending `/bc-authorize` to the `request` event read on the phones (REQUESTS requests to
# distinct citizens spread over the population, GAP seconds apart) while every stream is open.
# Goal (issue 5): p99 < 50 ms, <= 32 KiB per stream. Loopback only; the generator (one Python
# asyncio process) shares the 2 cores with the broker.
# Usage: Benchmarks/sse.sh                          (CITIZENS=2000 DEVICES_PER_CITIZEN=5 -> 10,000 streams)
#        CITIZENS=200 Benchmarks/sse.sh             (quick run)
cd "$(dirname "$0")/.."
CITIZENS=${CITIZENS:-2000}
DEVICES_PER_CITIZEN=${DEVICES_PER_CITIZEN:-5}
REQUESTS=${REQUESTS:-200}
GAP=${GAP:-0.02}
source Benchmarks/ciba/serve.sh

echo "== $((CITIZENS * DEVICES_PER_CITIZEN)) SSE streams ($CITIZENS citizens x $DEVICES_PER_CITIZEN devices), $REQUESTS requests, $(nproc) cores shared"
timeout 1200 python3 Benchmarks/ciba/cibabench.py sse "$URL" "$OFFICER" "$SERVER_PID" "$KEY" --citizens "$CITIZENS" \
    --devices-per-citizen "$DEVICES_PER_CITIZEN" --requests "$REQUESTS" --gap "$GAP"
echo "broker threads: $(ls /proc/$SERVER_PID/task | wc -l)"
