#!/usr/bin/env bash
# Where a login's CPU goes: bench/profile.sh [users=4] [seconds=30] [warm-up seconds=60] ["server JVM options"]
set -euo pipefail
cd "$(dirname "$0")/.."
bench/build.sh aot
java -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" dev.totplogin.bench.ProfileRun "$@"
