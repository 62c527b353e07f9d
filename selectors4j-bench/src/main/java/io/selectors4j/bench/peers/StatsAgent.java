package io.selectors4j.bench.peers;

/**
 * The stats hook as a Java agent, for a server that cannot start it itself: {@code
 * -javaagent:selectors4j-bench/target/stats-agent.jar} before {@code -jar s4j.jar} makes the program
 * answer {@code stats} lines on standard input with {@code alloc-bytes N} (see {@link StatsHook}),
 * without a benchmark-only option in the program. The jar holds this class and the hook only.
 */
public final class StatsAgent {
    private StatsAgent() {
    }

    /** Called by the JVM before the program's main: starts the hook's daemon thread. */
    public static void premain(String arguments) {
        StatsHook.start();
    }
}
