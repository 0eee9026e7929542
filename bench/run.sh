#!/usr/bin/env bash
# Builds and runs the benchmark (see docs/BENCHMARKS.md); --quick for a run of about three minutes.
# Prints a result table and writes it into docs/BENCHMARKS.md. BENCH_JAVA_OPTS adds JVM options (e.g. a profiler).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/scripts/find-jdk.sh"
find_jdk
cd "$root"
echo "bench: building with -Pbench ..." >&2
./mvnw -q -B -Pbench -DskipTests -pl bench -am package >&2
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED ${BENCH_JAVA_OPTS:-} -jar bench/target/cellpipe-bench.jar \
  --report docs/BENCHMARKS.md --command "${BENCH_CHILD_JAVA_OPTS:+BENCH_CHILD_JAVA_OPTS=$BENCH_CHILD_JAVA_OPTS }./bench/run.sh${*:+ $*}" "$@"
