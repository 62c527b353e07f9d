package io.selectors4j.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.selectors4j.Errno;
import io.selectors4j.NativeIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(10)
class PipeTest {

    @Test
    void bytesFlowFromSinkToSourceThenEndOfStream() throws Exception {
        try (Pipe pipe = Pipe.open()) {
            assertThat(pipe.sink().write("hello".getBytes(StandardCharsets.US_ASCII))).isEqualTo(5);
            byte[] in = new byte[16];
            int n = pipe.source().read(in);
            assertThat(new String(in, 0, n, StandardCharsets.US_ASCII)).isEqualTo("hello");
            pipe.sink().close();
            assertThat(pipe.source().read(in)).isZero();
        }
    }

    @Test
    void nonBlockingEndsSayWouldBlock() throws Exception {
        try (Pipe pipe = Pipe.open()) {
            pipe.source().setBlocking(false);
            pipe.sink().setBlocking(false);
            assertThat(pipe.source().isBlocking()).isFalse();
            assertThat(pipe.source().read(new byte[8])).isEqualTo(Pipe.WOULD_BLOCK);
            byte[] block = new byte[4096];
            long written = 0;
            int n;
            while ((n = pipe.sink().write(block)) != Pipe.WOULD_BLOCK) {
                written += n;
            }
            assertThat(written).isPositive();
            byte[] in = new byte[8192];
            long read = 0;
            while ((n = pipe.source().read(in)) != Pipe.WOULD_BLOCK) {
                read += n;
            }
            assertThat(read).isEqualTo(written);
        }
    }

    @Test
    void writingWithTheReaderClosedIsBrokenPipe() throws Exception {
        try (Pipe pipe = Pipe.open()) {
            pipe.source().close();
            assertThatThrownBy(() -> pipe.sink().write(new byte[] {1}))
                    .isInstanceOfSatisfying(NativeIOException.class, e -> {
                        assertThat(e.errno()).isEqualTo(Errno.EPIPE);
                        assertThat(e.call()).isEqualTo("write");
                    });
        }
    }

    @Test
    void regularFilesWriteAndReadBack(@TempDir Path dir) throws Exception {
        Path path = dir.resolve("data.bin");
        byte[] data = new byte[200_000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 31);
        }
        try (RegularFile file = RegularFile.create(path)) {
            int off = 0;
            while (off < data.length) {
                off += file.write(data, off, data.length - off);
            }
        }
        byte[] back = new byte[data.length];
        try (RegularFile file = RegularFile.open(path)) {
            int off = 0;
            for (int n; (n = file.read(back, off, back.length - off)) > 0; ) {
                off += n;
            }
            assertThat(off).isEqualTo(data.length);
            assertThat(file.read(new byte[1])).isZero();
            assertThatThrownBy(() -> file.write(new byte[1])).isInstanceOfSatisfying(NativeIOException.class,
                    e -> assertThat(e.errno()).isEqualTo(Errno.EBADF));
        }
        assertThat(back).isEqualTo(data);
        assertThatThrownBy(() -> RegularFile.open(dir.resolve("missing")))
                .isInstanceOfSatisfying(NativeIOException.class, e -> {
                    assertThat(e.errno()).isEqualTo(Errno.ENOENT);
                    assertThat(e).hasMessageContaining("missing");
                });
    }

    @Test
    void standardStreamsAreDescriptorsZeroOneTwo() {
        assertThat(Fd.stdin().fileno()).isZero();
        assertThat(Fd.stdout().fileno()).isEqualTo(1);
        assertThat(Fd.stderr().fileno()).isEqualTo(2);
        assertThat(Fd.of(7)).isEqualTo(new Fd(7));
        assertThatThrownBy(() -> Fd.of(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("negative");
    }
}
