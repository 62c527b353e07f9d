package io.selectors4j.apps.chat;

import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Ctrl-C (SIGINT) and SIGTERM for the chat client: the first one quits as {@code /q} does, and the
 * client then leaves the room, gives the terminal back and exits with 0 on its own. It does not go
 * through the JVM's shutdown, where the terminal library's own hook would restore and close the
 * terminal at the same time as the client (the two raced: keys left unread, or a stop that never
 * finished). A second signal has the default effect and ends the process at once.
 */
final class QuitSignals {
    private static final String[] NAMES = {"INT", "TERM"};

    private QuitSignals() {
    }

    /** From now on, the first SIGINT or SIGTERM runs {@code quit}. */
    static void install(Runnable quit) {
        SignalHandler once = signal -> {
            for (String name : NAMES) {
                Signal.handle(new Signal(name), SignalHandler.SIG_DFL);
            }
            quit.run();
        };
        for (String name : NAMES) {
            Signal.handle(new Signal(name), once);
        }
    }
}
