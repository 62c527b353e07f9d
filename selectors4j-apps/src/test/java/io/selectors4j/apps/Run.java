package io.selectors4j.apps;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** One run of a command line with its output captured: what a test of a program looks at. */
public record Run(int exitCode, String out, String err) {

    /** Runs {@code s4j} with the given arguments. */
    public static Run of(String... args) {
        return of(S4j.commandLine(), args);
    }

    /** Runs the given command line with the given arguments. */
    public static Run of(CommandLine command, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        command.setOut(new PrintWriter(out, true));
        command.setErr(new PrintWriter(err, true));
        int exitCode = command.execute(args);
        return new Run(exitCode, out.toString(), err.toString());
    }
}
