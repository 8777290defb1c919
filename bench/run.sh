#!/usr/bin/env bash
# Runs every benchmark (about 12 minutes on 2 cores, build included) and writes docs/benchmarks.md and docs/benchmarks-throughput.png.
set -euo pipefail
cd "$(dirname "$0")/.."
# The report states how long the whole run took, build included.
export BENCH_STARTED=$(date +%s)
bench/build.sh aot
java -Djava.awt.headless=true \
  -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" \
  dev.totplogin.bench.BenchmarkRun docs
