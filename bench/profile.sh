#!/usr/bin/env bash
# Where a login's CPU goes: bench/profile.sh [users=4] [seconds=30] [warm-up seconds=60] ["server JVM options"]
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B -Paot -DskipTests package
./mvnw -q -B -Pbench -DskipTests test-compile
./mvnw -q -B -Pbench dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt
java -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" dev.totplogin.bench.ProfileRun "$@"
