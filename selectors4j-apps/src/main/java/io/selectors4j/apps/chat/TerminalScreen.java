package io.selectors4j.apps.chat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * The client's screen on a terminal, through JLine: messages scroll above while the prompt
 * {@code NICK> } and whatever the user is typing stay on the bottom line. Ctrl-D on an empty line and
 * Ctrl-C end input, as {@code /q} does. Text is UTF-8; {@code !} and backslashes are taken literally.
 */
final class TerminalScreen implements ChatScreen {
    private final Terminal terminal;
    private final LineReader reader;
    private final String prompt;

    private TerminalScreen(Terminal terminal, String prompt) {
        this.terminal = terminal;
        this.prompt = prompt;
        this.reader = LineReaderBuilder.builder()
                .terminal(terminal)
                .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
                .variable(LineReader.HISTORY_SIZE, 100)
                .build();
    }

    /**
     * A screen on the process's terminal with the prompt {@code NICK> }, or empty when there is no
     * real terminal (input redirected, or one JLine can only drive as a dumb terminal).
     */
    static Optional<ChatScreen> open(String nick) {
        if (System.console() == null || !System.console().isTerminal()) {
            return Optional.empty();
        }
        try {
            Terminal terminal = TerminalBuilder.builder()
                    .system(true)
                    .encoding(StandardCharsets.UTF_8)
                    .dumb(true)
                    .build();
            if (terminal.getType().startsWith(Terminal.TYPE_DUMB)) {
                terminal.close();
                return Optional.empty();
            }
            return Optional.of(new TerminalScreen(terminal, nick + "> "));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String readLine() {
        try {
            return reader.readLine(prompt);
        } catch (EndOfFileException | UserInterruptException e) {
            return null;
        }
    }

    @Override
    public void show(String line) {
        reader.printAbove(line);
    }

    /** Leaves a prompt still shown on a line of its own, so that what follows starts on a new line. */
    @Override
    public void close() {
        try {
            if (reader.isReading()) {
                terminal.writer().println();
                terminal.flush();
            }
            terminal.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
