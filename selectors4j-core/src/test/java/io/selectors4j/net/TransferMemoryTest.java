package io.selectors4j.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every memory path of a transfer moves the right bytes to and from the right place: arrays at any
 * offset, heap and direct buffers at any position, native and heap segments, blocking and not; and
 * memory that must not be written is refused before anything is consumed.
 */
@Timeout(30)
class TransferMemoryTest {

    private static byte[] pattern(int length, int seed) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (i * 31 + seed);
        }
        return bytes;
    }

    @ParameterizedTest(name = "blocking={0}")
    @ValueSource(booleans = {false, true})
    void arraysAtEveryOffsetSendAndReceiveTheirOwnBytes(boolean blocking) throws Exception {
        Socket.Pair pair = Socket.pair();
        try (Socket a = pair.first(); Socket b = pair.second()) {
            a.setBlocking(blocking);
            b.setBlocking(blocking);
            byte[] source = pattern(512, 7);
            for (int off = 0; off < 300; off += 37) {
                int len = 1 + off % 200;
                assertThat(a.send(source, off, len)).isEqualTo(len);
                byte[] target = new byte[512];
                int at = 511 - len - off / 3;
                assertThat(b.recv(target, at, len)).isEqualTo(len);
                for (int i = 0; i < 512; i++) {
                    byte expected = i >= at && i < at + len ? source[off + i - at] : 0;
                    assertThat(target[i]).as("offset %d index %d", off, i).isEqualTo(expected);
                }
            }
        }
    }

    @ParameterizedTest(name = "direct={0}")
    @ValueSource(booleans = {false, true})
    void buffersAtAnyPositionMoveTheirRemainingBytesAndAdvance(boolean direct) throws Exception {
        Socket.Pair pair = Socket.pair();
        try (Socket a = pair.first(); Socket b = pair.second()) {
            a.setBlocking(false);
            b.setBlocking(false);
            byte[] bytes = pattern(300, 3);
            ByteBuffer out = direct ? ByteBuffer.allocateDirect(300) : ByteBuffer.allocate(300);
            out.put(bytes).position(17).limit(217);
            assertThat(a.send(out)).isEqualTo(200);
            assertThat(out.position()).isEqualTo(217);
            ByteBuffer in = direct ? ByteBuffer.allocateDirect(400) : ByteBuffer.allocate(400);
            in.position(101).limit(251);
            assertThat(b.recv(in)).isEqualTo(150);
            assertThat(in.position()).isEqualTo(251);
            in.limit(400);
            assertThat(b.recv(in)).isEqualTo(50);
            assertThat(in.position()).isEqualTo(301);
            for (int i = 0; i < 400; i++) {
                byte expected = i >= 101 && i < 301 ? bytes[17 + i - 101] : 0;
                assertThat(in.get(i)).as("index %d", i).isEqualTo(expected);
            }
        }
    }

    @Test
    void aBlockingArrayLargerThanTheBounceBufferArrivesWhole() throws Exception {
        Socket.Pair pair = Socket.pair();
        try (Socket a = pair.first(); Socket b = pair.second()) {
            byte[] bytes = pattern(300_000, 11);
            Thread sender = Thread.ofPlatform().start(() -> {
                try {
                    a.sendAll(bytes, 5, bytes.length - 5);
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            byte[] got = new byte[bytes.length];
            int at = 5;
            while (at < got.length) {
                int n = b.recv(got, at, got.length - at);
                assertThat(n).isPositive();
                at += n;
            }
            sender.join();
            assertThat(Arrays.mismatch(got, 5, got.length, bytes, 5, bytes.length)).as("first difference")
                    .isEqualTo(-1);
        }
    }

    @Test
    void segmentsNativeAndHeapBothWays() throws Exception {
        Socket.Pair pair = Socket.pair();
        try (Socket a = pair.first(); Socket b = pair.second(); Arena arena = Arena.ofConfined()) {
            byte[] bytes = pattern(100, 5);
            MemorySegment nativeOut = arena.allocate(100);
            MemorySegment.copy(bytes, 0, nativeOut, ValueLayout.JAVA_BYTE, 0, 100);
            assertThat(a.send(nativeOut)).isEqualTo(100);
            byte[] heapIn = new byte[100];
            assertThat(b.recv(MemorySegment.ofArray(heapIn))).isEqualTo(100);
            assertThat(heapIn).isEqualTo(bytes);
            b.setBlocking(false);
            a.setBlocking(false);
            assertThat(b.send(MemorySegment.ofArray(bytes).asSlice(10, 50))).isEqualTo(50);
            MemorySegment nativeIn = arena.allocate(80);
            assertThat(a.recv(nativeIn)).isEqualTo(50);
            assertThat(nativeIn.asSlice(0, 50).toArray(ValueLayout.JAVA_BYTE))
                    .isEqualTo(Arrays.copyOfRange(bytes, 10, 60));
        }
    }

    @ParameterizedTest(name = "native={0}")
    @ValueSource(booleans = {false, true})
    void aReadOnlySegmentIsRefusedAndNothingIsConsumed(boolean nativeMemory) throws Exception {
        Socket.Pair pair = Socket.pair();
        try (Socket a = pair.first(); Socket b = pair.second(); Arena arena = Arena.ofConfined()) {
            a.send(new byte[] {1, 2, 3});
            MemorySegment segment = nativeMemory ? arena.allocate(16) : MemorySegment.ofArray(new byte[16]);
            MemorySegment readOnly = segment.asReadOnly();
            assertThatThrownBy(() -> b.recv(readOnly))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("read-only");
            byte[] got = new byte[3];
            assertThat(b.recv(got)).isEqualTo(3);
            assertThat(got).containsExactly(1, 2, 3);
            // sending from read-only memory is fine
            assertThat(b.send(readOnly.asSlice(0, 4))).isEqualTo(4);
        }
    }

    @Test
    void aReadOnlyBufferIsRefusedForReceiving() throws Exception {
        Socket.Pair pair = Socket.pair();
        try (Socket a = pair.first(); Socket b = pair.second()) {
            a.send(new byte[] {9});
            assertThatThrownBy(() -> b.recv(ByteBuffer.allocate(4).asReadOnlyBuffer()))
                    .isInstanceOf(ReadOnlyBufferException.class);
            assertThatThrownBy(() -> b.recv(ByteBuffer.allocateDirect(4).asReadOnlyBuffer()))
                    .isInstanceOf(ReadOnlyBufferException.class);
            assertThat(b.recv(new byte[1])).isEqualTo(1);
        }
    }

    @Test
    void aDirectBufferWhoseMemoryWasFreedIsRefused() throws Exception {
        Socket.Pair pair = Socket.pair();
        try (Socket a = pair.first(); Socket b = pair.second()) {
            a.setBlocking(false);
            ByteBuffer buffer;
            try (Arena arena = Arena.ofShared()) {
                buffer = arena.allocate(64).asByteBuffer();
                assertThat(a.recv(buffer)).isEqualTo(Socket.WOULD_BLOCK);
            }
            b.send(new byte[] {1});
            ByteBuffer freed = buffer;
            assertThatThrownBy(() -> a.recv(freed)).isInstanceOf(IllegalStateException.class);
            assertThat(a.recv(new byte[1])).as("the byte is still there").isEqualTo(1);
        }
    }

    @Test
    void oneSocketMovesManyArraysAndBuffersInTurnWithoutMixingThemUp() throws Exception {
        Socket.Pair pair = Socket.pair();
        try (Socket a = pair.first(); Socket b = pair.second()) {
            a.setBlocking(false);
            b.setBlocking(false);
            ByteBuffer[] directs = {ByteBuffer.allocateDirect(8), ByteBuffer.allocateDirect(8)};
            byte[][] arrays = {new byte[8], new byte[8]};
            for (int round = 0; round < 20; round++) {
                byte value = (byte) round;
                byte[] out = {value, value, value, value};
                a.send(out);
                ByteBuffer d = directs[round % 2].clear();
                assertThat(b.recv(d)).isEqualTo(4);
                assertThat(d.get(3)).isEqualTo(value);
                a.send(out);
                byte[] arr = arrays[round % 2];
                assertThat(b.recv(arr)).isEqualTo(4);
                assertThat(arr[3]).isEqualTo(value);
            }
        }
    }
}
