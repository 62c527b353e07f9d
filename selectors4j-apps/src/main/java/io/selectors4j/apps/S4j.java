package io.selectors4j.apps;

import io.selectors4j.apps.beej.SelectClientCommand;
import io.selectors4j.apps.beej.SelectServerCommand;
import io.selectors4j.apps.bench.BenchCommand;
import io.selectors4j.apps.chat.ChatClientCommand;
import io.selectors4j.apps.chat.ChatServerCommand;
import io.selectors4j.apps.echo.EchoClientCommand;
import io.selectors4j.apps.echo.EchoServerCommand;
import io.selectors4j.apps.echo.SlowClientCommand;
import io.selectors4j.apps.info.InfoCommand;
import io.selectors4j.apps.serve.ServeCommand;
import io.selectors4j.apps.time.TimeClientCommand;
import io.selectors4j.apps.time.TimeServerCommand;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** The {@code s4j} command: the selectors4j programs, one subcommand each. */
@Command(name = "s4j",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {"Run the selectors4j programs: servers, clients and tools.",
            "Python's select and selectors for Java. 'bin/s4j PROGRAM --help' tells a program's options."},
        subcommands = {ServeCommand.class, InfoCommand.class,
                EchoServerCommand.class, EchoClientCommand.class, SlowClientCommand.class,
                TimeServerCommand.class, TimeClientCommand.class,
                SelectServerCommand.class, SelectClientCommand.class,
                ChatServerCommand.class, ChatClientCommand.class,
                BenchCommand.class})
public final class S4j implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--debug", scope = ScopeType.INHERIT,
            description = "Print the stack trace of a failure.")
    private boolean debug;

    /** Runs {@code s4j} with the given arguments and exits with its exit code. */
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /**
     * A command line for {@code s4j} with its exit-code rules: 0 on success, 1 on a usage error, 2 on a
     * runtime failure, each failure told in one line on the error stream.
     */
    public static CommandLine commandLine() {
        ErrorReporter reporter = new ErrorReporter();
        return new CommandLine(new S4j())
                .setParameterExceptionHandler(reporter)
                .setExecutionExceptionHandler(reporter);
    }

    /** With no subcommand there is nothing to do: a usage error. */
    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "Missing subcommand");
    }
}
