package io.selectors4j.apps.chat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * The client's screen when input is not a terminal: one message per input line, one output line per
 * packet, both UTF-8, so the client can be scripted.
 */
final class LineScreen implements ChatScreen {
    private final BufferedReader in;
    private final PrintStream out;

    LineScreen(InputStream in, OutputStream out) {
        this.in = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        this.out = new PrintStream(out, true, StandardCharsets.UTF_8);
    }

    @Override
    public String readLine() throws IOException {
        return in.readLine();
    }

    @Override
    public void show(String line) {
        out.println(line);
    }

    @Override
    public void close() {
        out.flush();
    }
}
