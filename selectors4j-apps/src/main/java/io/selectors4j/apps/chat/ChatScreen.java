package io.selectors4j.apps.chat;

import java.io.IOException;

/** Where the chat client reads what the user types and shows what arrives. */
interface ChatScreen extends AutoCloseable {

    /** The next line the user typed, or {@code null} when input has ended. Blocks. */
    String readLine() throws IOException;

    /** Shows one line above the prompt; safe to call from any thread. */
    void show(String line);

    /**
     * Ends a {@link #readLine()} that {@code reader} may be blocked in, before {@link #close()}. By default
     * it only interrupts: a read of a plain stream cannot be ended, and its daemon thread goes with the
     * process.
     */
    default void stopReading(Thread reader) {
        reader.interrupt();
    }

    /** Gives the terminal back as it was. */
    @Override
    void close();
}
