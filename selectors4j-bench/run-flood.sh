#!/usr/bin/env bash
# The flood of docs/RELIABILITY.md ("Floods") against selectors4j-bench/flood-servers.conf, side by
# side in one run: builds s4j and the benchmark jar with a JDK 25 found by bin/lib/jdk.sh, then runs
# io.selectors4j.bench.compare.FloodComparison. Options go to it: --rounds N, --only NAME,NAME,
# --bulk N, --slow N.
set -euo pipefail

root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
. "$root/bin/lib/jdk.sh"
s4j_find_jdk run-flood || exit 1
cd "$root"
command -v node >/dev/null 2>&1 || { echo "run-flood: needs node for the libuv reference (apt-get install nodejs)" >&2; exit 1; }

echo "building s4j and the benchmark jar with $JAVA_HOME"
./mvnw -q -B -ntp package -DskipTests -pl selectors4j-apps,selectors4j-bench -am
ulimit -n "$(ulimit -Hn)"
exec "$JAVA_HOME/bin/java" -cp selectors4j-bench/target/benchmarks.jar io.selectors4j.bench.compare.FloodComparison \
    --root "$root" --java-home "$JAVA_HOME" "$@"
