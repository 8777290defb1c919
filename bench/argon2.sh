#!/usr/bin/env bash
# The Argon2id implementations side by side in fresh JVMs (about two minutes on 2 cores): writes docs/benchmarks-argon2.md.
set -euo pipefail
cd "$(dirname "$0")/.."
bench/build.sh
java -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" \
  dev.totplogin.hashing.Argon2ImplementationRun docs
