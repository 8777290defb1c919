#!/usr/bin/env bash
# What every bench script needs, in one Maven run: the jar (with Spring AOT's code when called with "aot"), the bench
# code compiled as test code (profile "bench"), and its class path in target/bench-classpath.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B "-Pbench${1:+,$1}" -DskipTests package dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile=target/bench-classpath.txt
