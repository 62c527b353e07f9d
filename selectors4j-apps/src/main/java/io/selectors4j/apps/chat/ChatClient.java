package io.selectors4j.apps.chat;

import java.io.IOError;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;

/**
 * One run of the chat client: says hello, shows every packet from the server on the screen and sends
 * what the user types, until the user quits, the server closes the connection or refuses the nick.
 * Receiving and reading input each have a thread, so neither waits for the other.
 */
final class ChatClient {
    private final String nick;
    private final ServerLink link;
    private final ChatScreen screen;
    private final CompletableFuture<Ending> ending = new CompletableFuture<>();
    private volatile boolean joined;

    /** How a run ended: a {@code failure} to report, or none when the user quit. */
    record Ending(String failure) {
        static final Ending QUIT = new Ending(null);
    }

    ChatClient(String nick, ServerLink link, ChatScreen screen) {
        this.nick = nick;
        this.link = link;
        this.screen = screen;
    }

    /** Runs the client to its end; returns why it ended. */
    Ending run() throws IOException {
        link.send(new Packet.Hello(nick));
        Thread receiver = Thread.ofPlatform().daemon().name("chat-receive").start(this::receive);
        Thread input = Thread.ofPlatform().daemon().name("chat-input").start(this::readInput);
        Ending end = ending.join();
        link.close();
        input.interrupt();
        try {
            receiver.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return end;
    }

    private void receive() {
        try {
            link.receive(this::show);
            ending.complete(new Ending("the server closed the connection"));
        } catch (ChatProtocolException e) {
            ending.complete(new Ending("unreadable packet from the server: " + e.getMessage()));
        } catch (IOException e) {
            ending.complete(new Ending("connection lost: " + e.getMessage()));
        }
    }

    private void show(Packet packet) {
        screen.show(ChatFormat.line(packet));
        if (packet instanceof Packet.Join join && join.nick().equals(nick)) {
            joined = true;
        } else if (packet instanceof Packet.Error error && !joined) {
            ending.complete(new Ending("not joined: " + error.message()));
        }
    }

    private void readInput() {
        try {
            for (String line = screen.readLine(); line != null && !ending.isDone(); line = screen.readLine()) {
                switch (ClientInput.parse(line)) {
                    case ClientInput.Send send -> send(send.packet());
                    case ClientInput.Help help -> screen.show(help.line());
                    case ClientInput.Quit _ -> {
                        ending.complete(Ending.QUIT);
                        return;
                    }
                    case ClientInput.Nothing _ -> { }
                }
            }
            ending.complete(Ending.QUIT);
        } catch (IOException | IOError | UncheckedIOException e) {
            // Once the run has ended, the screen closing under a pending read is expected: nothing to report.
            ending.complete(new Ending("cannot read input: " + e.getMessage()));
        }
    }

    private void send(Packet packet) {
        try {
            link.send(packet);
        } catch (FrameTooLargeException e) {
            screen.show("*** error: line too long to send");
        } catch (IOException e) {
            ending.complete(new Ending("connection lost: " + e.getMessage()));
        }
    }
}
