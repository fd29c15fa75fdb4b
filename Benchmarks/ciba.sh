#!/usr/bin/env bash
# Issue 5 benchmark: CIBA flows per second end to end against a release `phisut serve`:
# /bc-authorize (private_key_jwt) -> the event reaches the citizen's streaming phone -> the
# simulated phone posts its signed decision -> the client's token request (CIBA grant) -> tokens.
# CITIZENS citizens with one phone each (enrolled through the APIs first), FLOWS flows spread over
# them (the hourly cap allows 10 per citizen), CONCURRENCY flows at once, p50/p99 per step.
# The client polls once right after the phone's decision instead of sleeping `interval` (5 s) first:
# a decided request is answered at once (CIBA §11), so this measures the broker, not the timer.
# Usage: Benchmarks/ciba.sh                       (CITIZENS=200 FLOWS=1000 CONCURRENCY=16)
cd "$(dirname "$0")/.."
CITIZENS=${CITIZENS:-200}
FLOWS=${FLOWS:-1000}
CONCURRENCY=${CONCURRENCY:-16}
source Benchmarks/ciba/serve.sh

echo "== $FLOWS CIBA flows, $CITIZENS citizens, $CONCURRENCY at once ($(nproc) cores shared with the generator)"
CPU_BEFORE=$(cpu_ticks "$SERVER_PID")
timeout 900 python3 Benchmarks/ciba/cibabench.py flows "$URL" "$OFFICER" "$SERVER_PID" "$KEY" --citizens "$CITIZENS" \
    --flows "$FLOWS" --concurrency "$CONCURRENCY"
CPU_AFTER=$(cpu_ticks "$SERVER_PID")
echo "broker CPU time over enrollment and flows: $(awk -v t="$((CPU_AFTER - CPU_BEFORE))" -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.1f", t / hz}') s"
