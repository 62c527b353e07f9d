package io.selectors4j.bench.peers;

import io.selectors4j.loop.LoopGroup;
import io.selectors4j.loop.ServerOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * Our echo on the event loop: {@code LoopEchoServer PORT [THREADS]}, a {@link LoopGroup} of THREADS
 * loops, each with its own {@code SO_REUSEPORT} listener, serving a protocol that writes back what it
 * receives and stops reading while the transport asks it to pause. What {@code s4j serve}'s echo
 * service does, without its log.
 */
public final class LoopEchoServer {
    private LoopEchoServer() {
    }

    /** Starts the loops and serves until the process is killed. */
    public static void main(String[] args) throws IOException, InterruptedException {
        PeerArguments arguments = PeerArguments.parse("LoopEchoServer", args, 0);
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), arguments.port());
        LoopGroup group = LoopGroup.open(arguments.threads());
        group.listen(address, BackPressureEcho::new, ServerOptions.defaults().withBacklog(4096));
        StatsHook.start();
        arguments.announce();
        Thread.currentThread().join(); // the loops' threads serve; the runner kills the process
    }
}
