package io.selectors4j.apps.reliability;

import io.selectors4j.apps.common.Program;
import io.selectors4j.testkit.ChildJvm;
import io.selectors4j.testkit.Ports;
import java.util.ArrayList;
import java.util.List;

/**
 * The two echo servers under test, with the memory bound each one's limits imply per connection. Both
 * run with a connection limit above the soak's largest run (the hard open-files limit), so the tests
 * measure the servers rather than their default limit of 1,000. The event-loop server waits with the
 * backend named by {@value #LOOP_BACKEND} ({@code bin/reliability --backend io_uring}), else its default.
 */
enum EchoServers {
    /** {@code s4j echo-server}: the classic selectors echo, a fixed 64 KiB queue per connection. */
    ECHO_SERVER(64 + 2) {
        @Override
        ChildJvm.Server launch() {
            return Program.server(port -> List.of("echo-server", "--quiet", "--port",
                    Integer.toString(port), "--max-connections", MAX_CONNECTIONS), "starting up on localhost port PORT",
                    Ports.Kind.TCP);
        }
    },
    /**
     * The event-loop echo of {@code s4j serve}: reading pauses above the 64 KiB high watermark, so a
     * connection holds at most the watermark plus one 64 KiB read.
     */
    SERVE(64 + 64 + 2) {
        @Override
        ChildJvm.Server launch() {
            return Program.server(port -> withLoopBackend("serve", "--quiet",
                    "--echo-port", Integer.toString(port), "--time-port", "0", "--chat-port", "0",
                    "--max-connections", MAX_CONNECTIONS),
                    "echo: listening on 127\\.0\\.0\\.1 port PORT", Ports.Kind.TCP);
        }
    };

    /** The system property naming the event-loop servers' {@code --backend}: select, poll, epoll or io_uring. */
    static final String LOOP_BACKEND = "s4j.reliability.loop-backend";
    private static final String MAX_CONNECTIONS = "1000000";

    private final long perConnectionKib;

    EchoServers(long perConnectionKib) {
        this.perConnectionKib = perConnectionKib;
    }

    /** {@code args}, then {@code --backend} as {@value #LOOP_BACKEND} asks, when it does. */
    static List<String> withLoopBackend(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        String backend = System.getProperty(LOOP_BACKEND, "");
        if (!backend.isEmpty()) {
            all.addAll(List.of("--backend", backend));
        }
        return all;
    }

    /** How to start this server on a free port. */
    abstract ChildJvm.Server launch();

    /** The most heap one connection may hold, in KiB: its queue bound plus its socket and key objects. */
    long perConnectionKib() {
        return perConnectionKib;
    }
}
