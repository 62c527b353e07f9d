package io.selectors4j.apps.common;

import io.selectors4j.testkit.ChildJvm;
import io.selectors4j.testkit.Ports;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real {@code s4j} program in a child JVM, as a user runs it (main class
 * {@code io.selectors4j.apps.S4j} on the test class path): launches for {@link ChildJvm}.
 */
public final class Program {
    private static final String MAIN = "io.selectors4j.apps.S4j";
    private static final Pattern LISTENING = Pattern.compile("listening on 127\\.0\\.0\\.1 port (\\d+)");

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

    /** {@code s4j echo-server --port PORT extra} on a free port, ready at its start-up line. */
    public static ChildJvm startEchoServer(String... extra) {
        return startServer(port -> with(List.of("echo-server", "--port", Integer.toString(port)), extra),
                "starting up on localhost port PORT", Ports.Kind.TCP);
    }

    /** {@code s4j select-server PORT extra} on a free port, ready at its listening line. */
    public static ChildJvm startSelectServer(String... extra) {
        return startServer(port -> with(List.of("select-server", Integer.toString(port)), extra),
                "listening on 127\\.0\\.0\\.1 port PORT", Ports.Kind.TCP);
    }

    /** {@code s4j serve extra} with chat alone, on a free port, ready at chat's listening line. */
    public static ChildJvm startServeChatOnly(String... extra) {
        return startServer(port -> with(List.of("serve", "--echo-port", "0", "--time-port", "0", "--chat-port",
                Integer.toString(port)), extra), "chat: listening on 127\\.0\\.0\\.1 port PORT", Ports.Kind.TCP);
    }

    /** The port in a server's line {@code listening on 127.0.0.1 port N}: the one it got for port 0. */
    public static int listeningPort(String line) {
        Matcher matcher = LISTENING.matcher(line);
        if (!matcher.matches()) {
            throw new AssertionError("not a listening line: " + line);
        }
        return Integer.parseInt(matcher.group(1));
    }

    private static List<String> with(List<String> args, String... extra) {
        List<String> all = new ArrayList<>(args);
        all.addAll(List.of(extra));
        return all;
    }
}
