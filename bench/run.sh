#!/usr/bin/env bash
# Runs the benchmarks (at most 15 minutes on 2 cores, build included) and writes docs/benchmarks.md and
# docs/benchmarks-throughput.png: this application and Keycloak 26.4 (its Maven Central zip, `kc.sh start-dev`, a realm
# with OTP required, its users enrolled by the driver) up side by side, their runs alternating at 1, 8 and 16 users,
# 3 rounds: logins/s, server CPU per login, each side's hash, our CPU per login besides the hash; then a plain
# start-up median, growth to a million accounts, JMH. Keycloak needs Java 21+: $BENCH_KEYCLOAK_JAVA_HOME, by default
# /usr/lib/jvm/temurin-25-jdk-amd64.
# BENCH_SKIP leaves sections out (comma list; default "variants,bouncy-castle", which do not fit the 15 minutes):
# startup, variants (CDS / Spring AOT / AOT cache start-ups), bouncy-castle (the Bouncy Castle load server), keycloak,
# growth, jmh; BENCH_SKIP=none runs everything.
set -euo pipefail
cd "$(dirname "$0")/.."
# The report states how long the whole run took, build included.
export BENCH_STARTED=$(date +%s)
bench/build.sh aot
java -Djava.awt.headless=true "-Dbench.skip=${BENCH_SKIP-variants,bouncy-castle}" \
  -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" \
  dev.totplogin.bench.BenchmarkRun docs
