package io.selectors4j.apps.chat;

import io.selectors4j.apps.common.Reads;
import java.io.IOError;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One run of the chat client: says hello, shows every packet from the server on the screen and sends
 * what the user types, until the user quits ({@code /q}, end of input, {@link #quit()} on a stop
 * signal), the server closes the connection or refuses the nick. Receiving and reading input each have
 * a thread, so neither waits for the other.
 *
 * <p>Nothing typed is lost to a race with the server. A line is sent only once the server has answered
 * the hello, so a refused nick is always reported, even when input ends at once; every line read is sent
 * before the client leaves; and leaving is a half-close, after which the server's answers to those
 * lines are still shown until it closes the connection (at most {@link #LEAVE_WAIT}), as an IRC client
 * waits for the server to close after {@code QUIT}.
 */
final class ChatClient {
    /** How long the server may take to answer the hello. */
    static final Duration HELLO_WAIT = Reads.PATIENCE;
    /** How long the client waits, after it stops sending, for the server to close the connection. */
    static final Duration LEAVE_WAIT = Duration.ofSeconds(2);

    private final String nick;
    private final ServerLink link;
    private final ChatScreen screen;
    private final CompletableFuture<Ending> ending = new CompletableFuture<>();
    /** Counted down when the hello is answered (joined or refused) or the run ends before that. */
    private final CountDownLatch answered = new CountDownLatch(1);
    private volatile boolean joined;
    private volatile boolean unknownTypeShown;

    /** How a run ended: a {@code failure} to report, or none when the user quit. */
    record Ending(String failure) {
        static final Ending QUIT = new Ending(null);
    }

    ChatClient(String nick, ServerLink link, ChatScreen screen) {
        this.nick = nick;
        this.link = link;
        this.screen = screen;
        ending.whenComplete((end, error) -> answered.countDown());
    }

    /** Runs the client to its end; returns why it ended. */
    Ending run() throws IOException {
        link.send(new Packet.Hello(nick));
        Thread receiver = Thread.ofPlatform().daemon().name("chat-receive").start(this::receive);
        Thread input = Thread.ofPlatform().daemon().name("chat-input").start(this::readInput);
        if (!await(answered, HELLO_WAIT)) {
            ending.complete(new Ending("no answer to hello within " + HELLO_WAIT.toSeconds() + " s"));
        }
        Ending end = ending.join();
        if (end == Ending.QUIT) {
            link.finishSending();
            join(receiver, LEAVE_WAIT);
        }
        link.close();
        screen.stopReading(input);
        join(receiver, LEAVE_WAIT);
        return end;
    }

    /** Ends the run as {@code /q} does, from any thread: for a stop signal. */
    void quit() {
        ending.complete(Ending.QUIT);
    }

    private void receive() {
        try {
            link.receive(this::show, this::skipUnknownType);
            ending.complete(new Ending("the server closed the connection"));
        } catch (ChatProtocolException e) {
            ending.complete(new Ending("unreadable packet from the server: " + e.getMessage()));
        } catch (IOException e) {
            ending.complete(new Ending("connection lost: " + e.getMessage()));
        }
    }

    private void show(Packet packet) {
        screen.show(ChatFormat.line(packet));
        if (packet instanceof Packet.Join join && join.nick().equals(nick) && !joined) {
            joined = true;
            answered.countDown();
        } else if (packet instanceof Packet.Error error && !joined) {
            ending.complete(new Ending("not joined: " + error.message()));
        }
    }

    /** A packet from a newer server: said once, so that the user knows something was not shown. */
    private void skipUnknownType(String type) {
        if (!unknownTypeShown) {
            unknownTypeShown = true;
            screen.show("*** ignoring packets of types this client does not know (first: "
                    + ChatFormat.shown(ChatProtocolException.shortened(type)) + "); the server may be newer");
        }
    }

    private void readInput() {
        try {
            for (String line = screen.readLine(); line != null && !ending.isDone(); line = screen.readLine()) {
                switch (ClientInput.parse(line)) {
                    case ClientInput.Send send -> {
                        if (!awaitJoined()) {
                            return;
                        }
                        send(send.packet());
                    }
                    case ClientInput.Help help -> screen.show(help.line());
                    case ClientInput.Quit _ -> {
                        leave();
                        return;
                    }
                    case ClientInput.Nothing _ -> { }
                }
            }
            leave();
        } catch (IOException | IOError | UncheckedIOException e) {
            // Once the run has ended, the screen closing under a pending read is expected: nothing to report.
            ending.complete(new Ending("cannot read input: " + e.getMessage()));
        }
    }

    /** Quits once the hello is answered, so that a refused nick is reported rather than raced. */
    private void leave() {
        awaitJoined();
        ending.complete(Ending.QUIT);
    }

    /** Waits for the answer to the hello: true when joined and still running. */
    private boolean awaitJoined() {
        try {
            answered.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        return joined && !ending.isDone();
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

    private static boolean await(CountDownLatch latch, Duration wait) {
        try {
            return latch.await(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    private static void join(Thread thread, Duration wait) {
        try {
            thread.join(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
