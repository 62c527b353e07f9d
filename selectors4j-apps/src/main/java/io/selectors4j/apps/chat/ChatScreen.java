package io.selectors4j.apps.chat;

import java.io.IOException;

/** Where the chat client reads what the user types and shows what arrives. */
interface ChatScreen extends AutoCloseable {

    /** The next line the user typed, or {@code null} when input has ended. Blocks. */
    String readLine() throws IOException;

    /** Shows one line above the prompt; safe to call from any thread. */
    void show(String line);

    /** Gives the terminal back as it was. */
    @Override
    void close();
}
