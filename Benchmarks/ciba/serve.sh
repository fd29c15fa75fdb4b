# Sourced by Benchmarks/sse.sh and Benchmarks/ciba.sh: a release `phisut serve` on a fresh SQLite
# store in a temp directory, with the repository's Metadata plus the `ciba-bench` client
# (private_key_jwt, CIBA poll mode, a key generated for this run). Sets BIN, WORK, URL,
# SERVER_PID, OFFICER, KEY; cleans up on exit (Benchmarks/lib.sh).
source Benchmarks/lib.sh
swift build -c release --product phisut >&2
BIN=$(swift build -c release --show-bin-path)

cp -r Metadata "$WORK/Metadata"
python3 Benchmarks/ciba/cibabench.py metadata "$WORK/Metadata"
KEY="$WORK/Metadata/ciba-bench-key.pem"
OFFICER=$("$BIN/phisut" officers add --name "Bench Officer" --office BKK-01 --db "$WORK/phisut.sqlite" | tail -n 1)
start_phisut "$WORK/phisut.sqlite" "$WORK/Metadata"
