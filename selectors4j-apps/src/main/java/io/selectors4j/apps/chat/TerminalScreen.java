package io.selectors4j.apps.chat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Attributes;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.InfoCmp.Capability;
import org.jline.utils.NonBlockingReader;

/**
 * The client's screen on a terminal, through JLine: messages scroll above while the prompt
 * {@code NICK> } and whatever the user is typing stay on the bottom line. Ctrl-D on an empty line and
 * Ctrl-C end input, as {@code /q} does. Text is UTF-8; {@code !} and backslashes are taken literally.
 *
 * <p>A line that is sent leaves the bottom line at once: the server's copy, {@code nick: message}, is
 * the record, as in IRC clients, so the line is not on the screen twice. Keys typed before the first
 * prompt appeared (while the client started, unseen) are discarded rather than sent, and so are keys
 * still unread when the client ends, so that they do not reach the shell.
 */
final class TerminalScreen implements ChatScreen {
    /** How long a discard waits for one more key before it takes the input to be empty. */
    private static final long DISCARD_WAIT_MILLIS = 20;
    /** How long {@link #stopReading} waits for an interrupted read: it sees the interrupt within 0.1 s. */
    private static final Duration STOP_WAIT = Duration.ofSeconds(2);

    private final Terminal terminal;
    private final LineReader reader;
    private final String prompt;

    private TerminalScreen(Terminal terminal, String prompt) {
        this.terminal = terminal;
        this.prompt = prompt;
        this.reader = LineReaderBuilder.builder()
                .terminal(terminal)
                .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
                .option(LineReader.Option.ERASE_LINE_ON_FINISH, true)
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
            discardTypedAhead(terminal);
            // The keys were echoed while the terminal was still cooked: the bottom line starts clean.
            terminal.puts(Capability.carriage_return);
            terminal.puts(Capability.clr_eol);
            terminal.flush();
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

    /**
     * Interrupts {@code readingThread} and waits (at most {@link #STOP_WAIT}) until its read has ended:
     * an interrupted read gives the terminal the settings it had before, and so must be over before
     * {@link #close()} changes them, or it would undo them and leave the terminal half-raw. A line the
     * user had begun stays on the screen, ended with a line break.
     */
    @Override
    public void stopReading(Thread readingThread) {
        String unfinished = reader.isReading() ? prompt + reader.getBuffer() : null;
        readingThread.interrupt();
        try {
            readingThread.join(STOP_WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (unfinished != null && !reader.isReading()) {
            // The interrupted read erased its line: it is shown again as it was, and left.
            terminal.writer().println(unfinished);
            terminal.flush();
        }
    }

    /**
     * Gives the terminal back as it was: a prompt still shown is ended with a line break, so that what
     * follows starts on a line of its own, and keys not yet read are discarded.
     */
    @Override
    public void close() {
        try {
            if (reader.isReading()) {
                terminal.writer().println();
                terminal.flush();
            }
            discardTypedAhead(terminal);
            terminal.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads and drops what is waiting in the terminal's input, in raw mode so that a line not yet ended
     * with Enter is taken too.
     */
    private static void discardTypedAhead(Terminal terminal) throws IOException {
        Attributes saved = terminal.enterRawMode();
        try {
            NonBlockingReader keys = terminal.reader();
            while (keys.read(DISCARD_WAIT_MILLIS) >= 0) {
                // Dropped.
            }
        } finally {
            terminal.setAttributes(saved);
        }
    }
}
