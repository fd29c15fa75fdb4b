#!/usr/bin/env bash
# JWS sign/verify throughput of Phisut's JOSE module against `openssl speed` (single core).
# Goal: phisut ≥ 0.8 × OpenSSL's own rate. Usage: Benchmarks/jose.sh [seconds] [rounds]
#
# Both sides divide by user CPU time (openssl speed's default; phisut-bench does the same), and
# each primitive's openssl and phisut runs are interleaved and repeated, keeping the best rate
# of each, so load from other processes on a shared machine skews the ratio as little as
# possible.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-3}"
rounds="${2:-2}"

swift build -c release --product phisut-bench >&2
bench="$(swift build -c release --product phisut-bench --show-bin-path)/phisut-bench"

max() { awk -v a="${1:-0}" -v b="${2:-0}" 'BEGIN { print (a + 0 > b + 0 ? a : b) }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }

printf "%-7s %15s %15s %6s %17s %17s %6s\n" primitive "openssl sign/s" "phisut sign/s" ratio "openssl verify/s" "phisut verify/s" ratio
# alg | openssl speed name | pattern of openssl's result line ("... sign/s verify/s" last)
for row in "ES256|ecdsap256|ecdsa \\(nistp256\\)" "RS256|rsa2048|rsa 2048 bits" "EdDSA|ed25519|EdDSA \\(Ed25519\\)"; do
    IFS='|' read -r alg primitive pattern <<<"$row"
    os=0; ov=0; ps=0; pv=0
    for _ in $(seq "$rounds"); do
        line="$(openssl speed -seconds "$seconds" "$primitive" 2>/dev/null | grep -E "$pattern" | tail -1)"
        os="$(max "$os" "$(echo "$line" | awk '{ print $(NF-1) }')")"
        ov="$(max "$ov" "$(echo "$line" | awk '{ print $NF }')")"
        ours="$("$bench" jose --seconds "$seconds" --only "$alg")"
        ps="$(max "$ps" "$(echo "$ours" | awk -v a="$alg" '$1 == a && $2 == "sign" { print $3 }')")"
        pv="$(max "$pv" "$(echo "$ours" | awk -v a="$alg" '$1 == a && $2 == "verify" { print $3 }')")"
    done
    printf "%-7s %15s %15s %6s %17s %17s %6s\n" "$alg" "$os" "$ps" "$(ratio "$ps" "$os")" "$ov" "$pv" "$(ratio "$pv" "$ov")"
done
"$bench" jose --seconds 0 --only ES256 | grep '^#' | sed 's/, 0.0 s per measurement//'
echo "# rates per user-CPU second; best of $rounds interleaved rounds of ${seconds}s each"
