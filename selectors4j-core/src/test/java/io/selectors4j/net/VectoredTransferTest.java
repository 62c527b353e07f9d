package io.selectors4j.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.selectors4j.Errno;
import io.selectors4j.NativeIOException;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Gathering sends and scattering receives over native segments, through writev and readv. */
@Timeout(10)
class VectoredTransferTest {

    private static MemorySegment text(Arena arena, String s) {
        return arena.allocateFrom(ValueLayout.JAVA_BYTE, s.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    @Test
    void aGatheredSendArrivesInOrderAndAScatteredReceiveFillsEachSegmentInTurn() throws IOException {
        Socket.Pair pair = Socket.pair();
        try (Socket a = pair.first(); Socket b = pair.second(); Arena arena = Arena.ofConfined()) {
            MemorySegment[] out = {text(arena, "skip"), text(arena, "Hello, "), text(arena, ""), text(arena, "world!")};
            assertThat(a.sendGathered(out, 1, 3)).isEqualTo(13);
            MemorySegment[] in = {arena.allocate(5), arena.allocate(5), arena.allocate(16)};
            assertThat(b.recvScattered(in, 0, 3)).isEqualTo(13);
            assertThat(new String(in[0].toArray(ValueLayout.JAVA_BYTE))).isEqualTo("Hello");
            assertThat(new String(in[1].toArray(ValueLayout.JAVA_BYTE))).isEqualTo(", wor");
            assertThat(new String(in[2].asSlice(0, 3).toArray(ValueLayout.JAVA_BYTE))).isEqualTo("ld!");
        }
    }

    @Test
    void nonBlockingEndsReportWouldBlockAndEndOfStream() throws IOException {
        Socket.Pair pair = Socket.pair();
        try (Socket a = pair.first(); Socket b = pair.second(); Arena arena = Arena.ofConfined()) {
            b.setBlocking(false);
            MemorySegment[] in = {arena.allocate(8)};
            assertThat(b.recvScattered(in, 0, 1)).isEqualTo(Socket.WOULD_BLOCK);
            a.close();
            assertThat(b.recvScattered(in, 0, 1)).isZero();
        }
    }

    @Test
    void aGatheredSendToAClosedPeerFailsWithEpipeAndTheJvmLivesOn() throws IOException {
        Socket.Pair pair = Socket.pair();
        try (Socket a = pair.first(); Arena arena = Arena.ofConfined()) {
            pair.second().close();
            MemorySegment[] out = {text(arena, "lost")};
            assertThatThrownBy(() -> a.sendGathered(out, 0, 1))
                    .isInstanceOfSatisfying(NativeIOException.class,
                            e -> assertThat(e.errno()).isIn(Errno.EPIPE, Errno.ECONNRESET));
        }
    }

    @Test
    void aGatheredSendOfAWindowStartsInsideTheFirstSegmentAndStopsAtTheLength() throws IOException {
        Socket.Pair pair = Socket.pair();
        try (Socket a = pair.first(); Socket b = pair.second(); Arena arena = Arena.ofConfined()) {
            MemorySegment[] out = {text(arena, "xxHello, "), text(arena, "wor"), text(arena, "ld!yyy")};
            assertThat(a.sendGathered(out, 0, 3, 2, 13)).isEqualTo(13);
            assertThat(a.sendGathered(out, 1, 2, 3, 2)).as("a window starting at the end of its first segment")
                    .isEqualTo(2);
            assertThat(a.sendGathered(out, 0, 3, 0, 0)).isZero();
            byte[] in = new byte[32];
            assertThat(b.recv(in)).isEqualTo(15);
            assertThat(new String(in, 0, 15, java.nio.charset.StandardCharsets.US_ASCII))
                    .isEqualTo("Hello, world!ld");
        }
    }

    @Test
    void aWindowOutsideItsSegmentsIsRefusedBeforeTheCall() throws IOException {
        Socket.Pair pair = Socket.pair();
        try (Socket a = pair.first(); Socket b = pair.second(); Arena arena = Arena.ofConfined()) {
            MemorySegment[] out = {text(arena, "abc"), text(arena, "def")};
            assertThatThrownBy(() -> a.sendGathered(out, 0, 2, 4, 1))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("skip 4");
            assertThatThrownBy(() -> a.sendGathered(out, 0, 2, -1, 1)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> a.sendGathered(out, 0, 2, 0, -1))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("negative length");
            a.setBlocking(false);
            b.setBlocking(false);
            byte[] in = new byte[8];
            assertThat(b.recv(in)).as("nothing was sent").isEqualTo(Socket.WOULD_BLOCK);
        }
    }

    @Test
    void heapSegmentsAreRefused() throws IOException {
        Socket.Pair pair = Socket.pair();
        try (Socket a = pair.first(); Socket b = pair.second()) {
            MemorySegment[] out = {MemorySegment.ofArray(new byte[4])};
            assertThatThrownBy(() -> a.sendGathered(out, 0, 1))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("heap");
        }
    }

    @Test
    void segmentsOfAClosedArenaOrReadOnlyTargetsAreRefusedBeforeTheCall() throws IOException {
        Socket.Pair pair = Socket.pair();
        try (Socket a = pair.first(); Socket b = pair.second(); Arena arena = Arena.ofConfined()) {
            MemorySegment freed;
            try (Arena gone = Arena.ofConfined()) {
                freed = gone.allocate(16);
            }
            MemorySegment[] out = {freed};
            assertThatThrownBy(() -> a.sendGathered(out, 0, 1)).isInstanceOf(IllegalStateException.class);
            a.send(new byte[] {42});
            MemorySegment[] in = {arena.allocate(4).asReadOnly()};
            assertThatThrownBy(() -> b.recvScattered(in, 0, 1))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("read-only");
        }
    }
}
