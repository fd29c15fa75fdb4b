#!/usr/bin/env bash
# JWS sign/verify throughput of Phisut's JOSE module against `openssl speed` (single core).
# Goal: phisut ≥ 0.8 × OpenSSL's own rate. Usage: Benchmarks/jose.sh [seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-3}"

swift build -c release --product phisut-bench >&2
bench="$(swift build -c release --product phisut-bench --show-bin-path)/phisut-bench"

ossl="$(openssl speed -seconds "$seconds" ecdsap256 rsa2048 ed25519 2>/dev/null)"
ours="$("$bench" jose --seconds "$seconds")"

# openssl prints "... sign verify sign/s verify/s": the last two columns are the rates.
openssl_rate() { # $1 = pattern of the openssl result line, $2 = 1 for sign, 0 for verify
    echo "$ossl" | awk -v pattern="$1" -v sign="$2" '$0 ~ pattern { print (sign == 1 ? $(NF-1) : $NF); exit }'
}
phisut_rate() { # $1 = JWS alg, $2 = sign|verify
    echo "$ours" | awk -v alg="$1" -v op="$2" '$1 == alg && $2 == op { print $3; exit }'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }

echo "$ours" | grep '^#' || true
printf "%-10s %14s %14s %6s %16s %16s %6s\n" primitive "openssl sign/s" "phisut sign/s" ratio "openssl verify/s" "phisut verify/s" ratio
for row in "ES256|ecdsa \\(nistp256\\)" "RS256|rsa 2048 bits" "EdDSA|EdDSA \\(Ed25519\\)"; do
    alg="${row%%|*}"; pattern="${row#*|}"
    os="$(openssl_rate "$pattern" 1)"; ov="$(openssl_rate "$pattern" 0)"
    ps="$(phisut_rate "$alg" sign)"; pv="$(phisut_rate "$alg" verify)"
    printf "%-10s %14s %14s %6s %16s %16s %6s\n" "$alg" "$os" "$ps" "$(ratio "$ps" "$os")" "$ov" "$pv" "$(ratio "$pv" "$ov")"
done
