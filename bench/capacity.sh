#!/usr/bin/env bash
# The database side of a login (about 3 minutes): statements per login and per page view on PostgreSQL 17
# (pg_stat_statements), and PostgreSQL's committed-write rate on this machine. Writes docs/benchmarks-capacity.md.
set -euo pipefail
cd "$(dirname "$0")/.."
bench/build.sh
java -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" dev.totplogin.bench.CapacityRun docs
