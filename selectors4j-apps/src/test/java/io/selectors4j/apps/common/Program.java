package io.selectors4j.apps.common;

import io.selectors4j.testkit.ChildJvm;
import io.selectors4j.testkit.Ports;
import java.util.List;
import java.util.function.IntFunction;

/**
 * The real {@code s4j} program in a child JVM, as a user runs it (main class
 * {@code io.selectors4j.apps.S4j} on the test class path): launches for {@link ChildJvm}.
 */
public final class Program {
    private static final String MAIN = "io.selectors4j.apps.S4j";

    private Program() {
    }

    /** {@code s4j args} as a user starts it. */
    public static ChildJvm.Launch launch(List<String> args) {
        return ChildJvm.Launch.of(MAIN, args);
    }

    /** A server started as {@code s4j args(port)}, ready when its first line matches {@code readyPattern}. */
    public static ChildJvm.Server server(IntFunction<List<String>> args, String readyPattern, Ports.Kind kind) {
        return new ChildJvm.Server(port -> launch(args.apply(port)), readyPattern, kind);
    }

    /**
     * Starts {@code s4j args}; C1 only, since the functional tests start many short runs and a
     * 2-core machine spends a start-up's CPU on compiling otherwise.
     */
    public static ChildJvm start(String... args) {
        return ChildJvm.start(launch(List.of(args)).withJvmOptions("-XX:TieredStopAtLevel=1"));
    }

    /** Starts the server {@code s4j args(port)} on a free port (see {@link ChildJvm#startServer}). */
    public static ChildJvm startServer(IntFunction<List<String>> args, String readyPattern, Ports.Kind kind) {
        return ChildJvm.startServer(new ChildJvm.Server(
                port -> launch(args.apply(port)).withJvmOptions("-XX:TieredStopAtLevel=1"), readyPattern, kind));
    }
}
