package io.selectors4j.apps.info;

import io.selectors4j.NativeIOException;
import io.selectors4j.ResourceLimits;
import io.selectors4j.select.Epoll;
import io.selectors4j.select.Poll;
import io.selectors4j.select.Select;
import io.selectors4j.selectors.Backend;
import java.util.Locale;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code s4j info}: the machine as selectors4j sees it. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = {"Print what selectors4j sees on this machine.",
            "The OS, the JDK, the open-files limit and which readiness calls (select, poll, epoll) are available."})
public final class InfoCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    /** Prints one line per fact. */
    @Override
    public Integer call() throws NativeIOException {
        PrintWriter out = spec.commandLine().getOut();
        ResourceLimits.Limit files = ResourceLimits.openFiles();
        line(out, "os", System.getProperty("os.name") + " " + System.getProperty("os.version")
                + " (" + System.getProperty("os.arch") + ")");
        line(out, "jdk", Runtime.version() + " (" + System.getProperty("java.vendor") + "), java.home "
                + System.getProperty("java.home"));
        line(out, "open files", "soft " + limit(files.soft()) + ", hard " + limit(files.hard()));
        line(out, "select", availability(Select.isAvailable()));
        line(out, "poll", availability(Poll.isAvailable()));
        line(out, "epoll", availability(Epoll.isAvailable()));
        line(out, "default selector", Backend.best().name().toLowerCase(Locale.ROOT));
        out.flush();
        return 0;
    }

    private static void line(PrintWriter out, String name, String value) {
        out.printf("%-18s%s%n", name + ":", value);
    }

    private static String limit(long value) {
        return value < 0 || value == Long.MAX_VALUE ? "unlimited" : Long.toString(value);
    }

    private static String availability(boolean available) {
        return available ? "available" : "not available";
    }
}
