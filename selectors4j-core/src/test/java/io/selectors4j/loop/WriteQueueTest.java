package io.selectors4j.loop;

import static org.assertj.core.api.Assertions.assertThat;

import io.selectors4j.net.Socket;
import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The write queue's ring of pooled chunks under partial sends, growth and wrap-around. */
class WriteQueueTest {

    @Test
    void partialSendsOfRandomWritesKeepEveryByteInOrder() throws Exception {
        Socket.Pair pair = Socket.pair();
        try (Socket writer = pair.first(); Socket reader = pair.second()) {
            writer.setBlocking(false);
            reader.setBlocking(false);
            writer.setSendBufferSize(4096);
            LoopBuffers buffers = new LoopBuffers();
            WriteQueue queue = new WriteQueue(buffers);
            Random random = new Random(42);
            long appended = 0;
            long checked = 0;
            byte[] in = new byte[70_000];
            for (int round = 0; round < 2000; round++) {
                int n = random.nextInt(40_000);
                byte[] data = new byte[n];
                for (int i = 0; i < n; i++) {
                    data[i] = (byte) ((appended + i) * 131 >>> 3);
                }
                if (random.nextBoolean()) {
                    queue.append(data, 0, n);
                } else {
                    queue.append(ByteBuffer.wrap(data));
                }
                appended += n;
                queue.sendTo(writer);
                checked = readAndCheck(reader, in, checked);
                assertThat(queue.size()).isEqualTo(appended - checked);
            }
            while (!queue.isEmpty()) {
                queue.sendTo(writer);
                checked = readAndCheck(reader, in, checked);
            }
            assertThat(checked).isEqualTo(appended);
            queue.clear();
            assertThat(queue.size()).isZero();
        }
    }

    /** Reads what is there and checks it against the pattern; returns the bytes checked in all. */
    private static long readAndCheck(Socket reader, byte[] in, long checked) throws Exception {
        int got;
        while ((got = reader.recv(in)) > 0) {
            for (int i = 0; i < got; i++) {
                if (in[i] != (byte) ((checked + i) * 131 >>> 3)) {
                    throw new AssertionError("byte " + (checked + i) + " is out of order");
                }
            }
            checked += got;
        }
        return checked;
    }
}
