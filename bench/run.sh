#!/usr/bin/env bash
# Runs every benchmark (about 15 minutes on 2 cores) and writes docs/benchmarks.md and docs/benchmarks-throughput.png.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B -Paot -DskipTests package
./mvnw -q -B -Pbench -DskipTests test-compile
./mvnw -q -B -Pbench dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt
java -Djava.awt.headless=true \
  -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" \
  dev.totplogin.bench.BenchmarkRun docs
