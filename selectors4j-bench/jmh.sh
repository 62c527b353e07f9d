#!/usr/bin/env bash
# Builds the benchmark jar with a JDK 25 (found by bin/lib/jdk.sh) and runs the core's JMH benchmarks
# with the standard settings (BenchmarkSettings: 1 fork, 3 x 1 s warm-up, 5 x 1 s measurement) and
# -prof gc, then draws the selector-scaling chart from the JSON result.
#
#   selectors4j-bench/jmh.sh [OUTPUT_DIR] [EXTRA JMH ARGUMENTS...]
#
# OUTPUT_DIR (default selectors4j-bench/target/jmh) receives core.json, core.txt (JMH's report) and
# selector-scaling.png (one ready descriptor among N). Extra arguments go to JMH, e.g. -p ready=1.
set -euo pipefail

bench=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$bench")
# shellcheck source=../bin/lib/jdk.sh
. "$root/bin/lib/jdk.sh"
s4j_find_jdk jmh.sh

out=$bench/target/jmh
if [ $# -gt 0 ] && [[ $1 != -* ]]; then
    out=$1
    shift
fi
mkdir -p "$out"

core='SelectorSelectBenchmark|SelectSelectorBenchmark|NioSelectorBenchmark|OneReadyKeyBenchmark'
core+='|RecvWouldBlockBenchmark|ReadinessCallBenchmark|PollRegistrationBenchmark|SocketTransferBenchmark|NioTransferBenchmark'

(cd "$root" && ./mvnw -B -ntp -q package -DskipTests -pl selectors4j-bench -am)
jar=$bench/target/benchmarks.jar
"$JAVA_HOME/bin/java" -jar "$jar" -prof gc -rf json -rff "$out/core.json" "$@" "$core" | tee "$out/core.txt"
"$JAVA_HOME/bin/java" -cp "$jar" io.selectors4j.bench.chart.ScalingChart \
    "$out/core.json" "$out/selector-scaling.png" 1
echo "jmh.sh: results in $out/core.json, chart in $out/selector-scaling.png"
