package io.selectors4j.loop.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The loop's TLS memory: held bytes appended in order, pooled buffers reused, the scratch claimed once. */
class TlsBuffersTest {
    @Test
    void appendKeepsOrderGrowsWhenNeededAndReturnsTheOldBufferToThePool() {
        TlsBuffers buffers = new TlsBuffers();
        ByteBuffer held = buffers.append(null, ascii("abc"));
        held.get(); // 'a' taken: "bc" left
        held = buffers.append(held, ascii("de"));
        assertThat(text(held.duplicate())).isEqualTo("bcde");
        ByteBuffer small = held;
        ByteBuffer big = ByteBuffer.allocate(TlsBuffers.PACKET + 1000);
        held = buffers.append(held, big);
        assertThat(held.capacity()).isGreaterThan(small.capacity());
        assertThat(held.remaining()).isEqualTo(4 + big.capacity());
        assertThat(buffers.take(10)).as("the small buffer went back to the pool").isSameAs(small);
    }

    @Test
    void theScratchIsClaimedByOneCallAtATime() {
        TlsBuffers buffers = new TlsBuffers();
        assertThat(buffers.claim()).isTrue();
        assertThat(buffers.claim()).as("a nested call finds it taken").isFalse();
        buffers.release();
        assertThat(buffers.claim()).isTrue();
    }

    private static ByteBuffer ascii(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
    }

    private static String text(ByteBuffer buffer) {
        return StandardCharsets.US_ASCII.decode(buffer).toString();
    }
}
