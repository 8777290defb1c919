#!/usr/bin/env bash
# Ten minutes (or $1 minutes) of mixed traffic on two instances on one embedded PostgreSQL, sampled every 10 s:
# writes docs/soak.md (the table, and whether heap, RSS, latency and the session table held) and docs/soak.png.
set -euo pipefail
cd "$(dirname "$0")/.."
bench/build.sh
java -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" dev.totplogin.bench.SoakRun "${1:-10}" docs
