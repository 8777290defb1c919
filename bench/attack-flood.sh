#!/usr/bin/env bash
# Issue 27's two availability attacks, replayed black-box (bench/attack-flood.py) against the jar with its defaults
# (H2 file, pool of 10, Argon2id 19 MiB t=2, one hash per core, 32 waiting): about 2 minutes. Usage:
#   bench/attack-flood.sh [jar [label]]     (default: this tree's jar, built first)
set -euo pipefail
cd "$(dirname "$0")/.."
jar=${1:-}
if [ -z "$jar" ]; then
  ./mvnw -q -B -DskipTests package
  jar=target/totp-login-0.1.0-SNAPSHOT.jar
fi
label=${2:-$(git rev-parse --short HEAD)}
work=$(mktemp -d)
port=18427
MALLOC_ARENA_MAX=1 java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx112m -XX:MaxMetaspaceSize=160m -Xss512k \
  -XX:ReservedCodeCacheSize=40m -jar "$jar" --server.port=$port \
  "--spring.datasource.url=jdbc:h2:file:$work/db;WRITE_DELAY=0;RETENTION_TIME=2000" \
  --app.mail.directory="$work/mail" --app.security.encryption.key-file="$work/key" >"$work/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 120); do
  curl -fs "http://127.0.0.1:$port/actuator/health/readiness" >/dev/null && break
  sleep 1
done
python3 bench/attack-flood.py $port "$label"
