package io.selectors4j.apps.echo;

import static org.assertj.core.api.Assertions.assertThat;

import io.selectors4j.apps.common.EventLog;
import io.selectors4j.net.Socket;
import io.selectors4j.selectors.Events;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** One echo connection's queue bound, on a socket pair: what {@code echo-server --max-queue} sets. */
@Timeout(30)
class EchoConnectionTest {
    private static final int QUEUE = 4096;
    private final EventLog log = new EventLog(new PrintWriter(new StringWriter()), true);

    @Test
    void aClientThatSendsWithoutReadingGetsNoMoreThanTheQueueTakenFromIt() throws IOException {
        Socket.Pair pair = Socket.pair();
        try (Socket server = pair.first(); Socket client = pair.second()) {
            server.setBlocking(false);
            client.setBlocking(false);
            byte[] flood = new byte[3 * QUEUE];
            for (int i = 0; i < flood.length; i++) {
                flood[i] = (byte) i;
            }
            assertThat(client.send(flood)).isEqualTo(flood.length);
            EchoConnection connection = new EchoConnection(server, "peer", QUEUE);

            for (int i = 0; i < 10 && (connection.interest() & Events.READ) != 0; i++) {
                connection.receive(log);
            }

            assertThat(connection.interest()).as("a full queue: no more reading, only writing").isEqualTo(Events.WRITE);
            assertThat(unread(server)).as("what the server left in the kernel").isEqualTo(2 * QUEUE);
        }
    }

    @Test
    void aFullQueueReadsAgainOnceItDrainsAndLosesNothing() throws IOException {
        Socket.Pair pair = Socket.pair();
        try (Socket server = pair.first(); Socket client = pair.second()) {
            server.setBlocking(false);
            client.setBlocking(false);
            byte[] sent = new byte[2 * QUEUE + 100];
            for (int i = 0; i < sent.length; i++) {
                sent[i] = (byte) (i * 7);
            }
            assertThat(client.send(sent)).isEqualTo(sent.length);
            EchoConnection connection = new EchoConnection(server, "peer", QUEUE);
            byte[] echoed = new byte[sent.length];
            int got = 0;
            for (int round = 0; round < 100 && got < sent.length; round++) {
                if ((connection.interest() & Events.READ) != 0) {
                    connection.receive(log);
                }
                assertThat(connection.interest() & Events.WRITE).isNotZero();
                connection.send(log);
                int n = client.recv(echoed, got, echoed.length - got);
                if (n > 0) {
                    got += n;
                }
            }
            assertThat(echoed).isEqualTo(sent);
            assertThat(connection.hasQueued()).isFalse();
            assertThat(connection.interest()).isEqualTo(Events.READ);
        }
    }

    /** How many bytes wait unread on {@code socket}, read off with a non-blocking recv. */
    private static int unread(Socket socket) throws IOException {
        byte[] rest = new byte[64 * 1024];
        int total = 0;
        for (int n = socket.recv(rest); n > 0; n = socket.recv(rest)) {
            total += n;
        }
        return total;
    }
}
