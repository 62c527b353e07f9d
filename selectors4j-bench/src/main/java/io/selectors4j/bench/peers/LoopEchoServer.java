package io.selectors4j.bench.peers;

import io.selectors4j.loop.LoopBackend;
import io.selectors4j.loop.LoopGroup;
import io.selectors4j.loop.ServerOptions;
import io.selectors4j.loop.TlsSettings;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Locale;

/**
 * Our echo on the event loop: {@code LoopEchoServer PORT [THREADS] [--tls]}, a {@link LoopGroup} of
 * THREADS loops, each with its own {@code SO_REUSEPORT} listener, serving a protocol that writes back
 * what it receives and stops reading while the transport asks it to pause. What {@code s4j serve}'s echo
 * service does, without its log. With {@code --tls}, over TLS 1.3 and 1.2 with the
 * {@link TlsMaterial} certificate. The system property {@code loop.backend} chooses what the loops wait
 * with: {@code epoll} (the default), {@code poll}, {@code select} or {@code io_uring}.
 */
public final class LoopEchoServer {
    /** The system property naming the loop backend. */
    static final String BACKEND_PROPERTY = "loop.backend";

    private LoopEchoServer() {
    }

    /** Starts the loops and serves until the process is killed. */
    public static void main(String[] args) throws IOException, InterruptedException {
        boolean tls = args.length > 0 && args[args.length - 1].equals("--tls");
        PeerArguments arguments = PeerArguments.parse("LoopEchoServer",
                tls ? Arrays.copyOf(args, args.length - 1) : args, 0);
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), arguments.port());
        LoopBackend backend = LoopBackend.valueOf(
                System.getProperty(BACKEND_PROPERTY, "epoll").toUpperCase(Locale.ROOT));
        LoopGroup group = LoopGroup.open(arguments.threads(), backend);
        ServerOptions options = ServerOptions.defaults().withBacklog(4096);
        if (tls) {
            group.listen(address, BackPressureEcho::new, options,
                    TlsSettings.server(TlsMaterial.selfSigned().serverContext()));
        } else {
            group.listen(address, BackPressureEcho::new, options);
        }
        StatsHook.start();
        arguments.announce();
        Thread.currentThread().join(); // the loops' threads serve; the runner kills the process
    }
}
