package io.selectors4j.bench.compare;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;

/**
 * One flood against an echo server, as docs/RELIABILITY.md describes it: bulk senders that never read,
 * slowloris clients, and a well-behaved client whose round trips are measured before the flood and in
 * the first second after the bulk senders stall.
 *
 * <p>Each bulk sender writes 64 KiB at a time, non-blocking, until the kernel takes no more (the first
 * EAGAIN): that is the stall. What they wrote by then waits in the kernel's buffers and the server's,
 * and the server works through it while the well-behaved client measures. The server's CPU time is read
 * from {@code /proc/PID/task/*&#47;schedstat} (nanoseconds) from the start of the flood until the server
 * is idle again.
 */
final class FloodProbe {
    private static final int WRITE_SIZE = 64 * 1024;
    private static final long MEASURE_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long PACE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    /** Idle: the server used less than this share of one core over {@link #IDLE_WINDOW_MILLIS}. */
    private static final double IDLE_SHARE = 0.02;
    private static final long IDLE_WINDOW_MILLIS = 100;
    private static final long IDLE_GIVE_UP_NANOS = TimeUnit.SECONDS.toNanos(30);

    /** How big a flood is. */
    record Size(int bulkSenders, int slowClients) {
    }

    /**
     * What one flood did and what the well-behaved client saw.
     *
     * @param unloadedP99Micros round-trip p99 in the second before the flood
     * @param afterP99Micros    round-trip p99 in the first second after the bulk senders stalled
     * @param afterMaxMicros    the longest round trip in that second
     * @param roundTripsAfter   round trips made in that second
     * @param pushedBytes       bytes the bulk senders wrote before they stalled
     * @param serverCpuNanos    the server's CPU time from the start of the flood until it was idle again
     * @param busyAfterMillis   how long after the stall the server was idle again
     */
    record Result(long unloadedP99Micros, long afterP99Micros, long afterMaxMicros, long roundTripsAfter,
            long pushedBytes, long serverCpuNanos, long busyAfterMillis) {

        /** The target: p99 after the flood at most 3 × the unloaded p99 + 2 ms. */
        long targetMicros() {
            return 3 * unloadedP99Micros + 2_000;
        }

        boolean meetsTarget() {
            return afterP99Micros <= targetMicros();
        }
    }

    private final InetSocketAddress address;
    private final long pid;

    FloodProbe(InetSocketAddress address, long pid) {
        this.address = address;
        this.pid = pid;
    }

    Result run(Size size) throws IOException, InterruptedException {
        try (Socket good = new Socket()) {
            good.setTcpNoDelay(true);
            good.connect(address, 5_000);
            Histogram unloaded = roundTrips(good, MEASURE_NANOS);
            List<SocketChannel> slow = open(size.slowClients());
            List<SocketChannel> bulk = open(size.bulkSenders());
            try {
                long cpuBefore = serverCpuNanos();
                trickle(slow);
                long pushed = pushUntilStalled(bulk);
                long stall = System.nanoTime();
                Histogram after = roundTrips(good, MEASURE_NANOS);
                long idle = awaitIdle();
                long cpu = serverCpuNanos() - cpuBefore;
                return new Result(unloaded.getValueAtPercentile(99), after.getValueAtPercentile(99),
                        after.getMaxValue(), after.getTotalCount(), pushed, cpu,
                        idle < 0 ? -1 : TimeUnit.NANOSECONDS.toMillis(idle - stall));
            } finally {
                reset(bulk);
                reset(slow);
            }
        }
    }

    private List<SocketChannel> open(int count) throws IOException {
        List<SocketChannel> channels = new ArrayList<>(count);
        try {
            for (int i = 0; i < count; i++) {
                SocketChannel channel = SocketChannel.open(address);
                channel.configureBlocking(false);
                channels.add(channel);
            }
        } catch (IOException e) {
            reset(channels);
            throw e;
        }
        return channels;
    }

    /** Each slow client sends one byte of a request it never finishes. */
    private static void trickle(List<SocketChannel> slow) throws IOException {
        for (SocketChannel channel : slow) {
            channel.write(ByteBuffer.wrap(new byte[] {'x'}));
        }
    }

    /** Writes 64 KiB at a time to every bulk sender until the kernel refuses it; returns the bytes written. */
    private static long pushUntilStalled(List<SocketChannel> bulk) throws IOException {
        ByteBuffer chunk = ByteBuffer.allocateDirect(WRITE_SIZE);
        long pushed = 0;
        for (SocketChannel channel : bulk) {
            while (true) {
                chunk.clear();
                int n = channel.write(chunk);
                if (n <= 0) {
                    break;
                }
                pushed += n;
            }
        }
        return pushed;
    }

    /** Round trips of 64 bytes, one a millisecond, for {@code nanos}; the latencies in microseconds. */
    private static Histogram roundTrips(Socket socket, long nanos) throws IOException, InterruptedException {
        Histogram histogram = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
        OutputStream out = socket.getOutputStream();
        InputStream in = socket.getInputStream();
        byte[] request = new byte[64];
        byte[] reply = new byte[64];
        long end = System.nanoTime() + nanos;
        for (int i = 0; System.nanoTime() < end; i++) {
            Arrays.fill(request, (byte) i);
            long start = System.nanoTime();
            out.write(request);
            for (int n = 0; n < reply.length; ) {
                int r = in.read(reply, n, reply.length - n);
                if (r < 0) {
                    throw new EOFException("the server closed the well-behaved client");
                }
                n += r;
            }
            long took = System.nanoTime() - start;
            if (!Arrays.equals(request, reply)) {
                throw new IOException("the echo differs from the request at round trip " + i);
            }
            histogram.recordValue(Math.max(1, TimeUnit.NANOSECONDS.toMicros(took)));
            TimeUnit.NANOSECONDS.sleep(Math.max(0, PACE_NANOS - took));
        }
        return histogram;
    }

    /** Waits until the server is idle; returns when (nanoTime), or -1 if it stays busy for 30 s. */
    private long awaitIdle() throws IOException, InterruptedException {
        long giveUp = System.nanoTime() + IDLE_GIVE_UP_NANOS;
        long before = serverCpuNanos();
        while (System.nanoTime() < giveUp) {
            long windowStart = System.nanoTime();
            Thread.sleep(IDLE_WINDOW_MILLIS);
            long now = serverCpuNanos();
            long used = now - before;
            before = now;
            if (used < IDLE_SHARE * (System.nanoTime() - windowStart)) {
                return windowStart;
            }
        }
        return -1;
    }

    /** The CPU time of every thread of the server, in nanoseconds. */
    private long serverCpuNanos() throws IOException {
        long total = 0;
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    String schedstat = Files.readString(task.resolve("schedstat"));
                    total += Long.parseLong(schedstat.substring(0, schedstat.indexOf(' ')));
                } catch (IOException threadGone) {
                    // A thread that ended meanwhile: its time is not counted, as for any ended thread.
                }
            }
        }
        return total;
    }

    private static void reset(List<SocketChannel> channels) {
        for (SocketChannel channel : channels) {
            try {
                channel.setOption(StandardSocketOptions.SO_LINGER, 0);
                channel.close();
            } catch (IOException e) {
                // Already gone: nothing left to release.
            }
        }
    }
}
