#!/usr/bin/env bash
# The side-by-side comparison of echo servers (docs/BENCHMARKS.md): builds s4j and the benchmark jar
# with a JDK 25 found by bin/lib/jdk.sh, compiles the C peer with the machine's cc, then runs every
# workload against every server in selectors4j-bench/servers.conf and writes the tables and charts to
# docs/. Options go to io.selectors4j.bench.compare.Comparison: --quick (short runs, 2 rounds),
# --rounds N, --workloads a,b,..., --only NAME,NAME, --no-idle, --servers FILE, --report FILE.
set -euo pipefail

root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
. "$root/bin/lib/jdk.sh"
s4j_find_jdk run-comparison || exit 1
cd "$root"

echo "building s4j and the benchmark jar with $JAVA_HOME"
./mvnw -q -B -ntp package -DskipTests -pl selectors4j-apps,selectors4j-bench -am

mkdir -p selectors4j-bench/target/c
if command -v cc >/dev/null 2>&1; then
    cc -O2 -Wall -pthread -o selectors4j-bench/target/c/echo_epoll selectors4j-bench/c/echo_epoll.c
    if ! cc -O2 -Wall -pthread -o selectors4j-bench/target/c/echo_uring selectors4j-bench/c/echo_uring.c -luring; then
        echo "no liburing (apt-get install liburing-dev): the C io_uring server is skipped"
        rm -f selectors4j-bench/target/c/echo_uring
    fi
else
    echo "no C compiler (cc): the C servers are skipped"
    rm -f selectors4j-bench/target/c/echo_epoll selectors4j-bench/target/c/echo_uring
fi
command -v taskset >/dev/null 2>&1 || { echo "run-comparison: needs taskset (util-linux)" >&2; exit 1; }

exec "$JAVA_HOME/bin/java" -cp selectors4j-bench/target/benchmarks.jar io.selectors4j.bench.compare.Comparison \
    --root "$root" --java-home "$JAVA_HOME" --command "selectors4j-bench/run-comparison.sh $*" "$@"
