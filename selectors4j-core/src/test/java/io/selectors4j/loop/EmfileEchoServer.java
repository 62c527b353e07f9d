package io.selectors4j.loop;

import io.selectors4j.net.Fd;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * The child process of {@link DescriptorExhaustionTest}: an echo server on one loop, started under a
 * low open-files limit, from a jar as a deployed server runs or from class folders (where loading a
 * class needs a descriptor), on the loop backend named by its argument (epoll without one). Prints
 * {@code port N} once listening and stops when its standard input closes.
 */
public final class EmfileEchoServer {
    private EmfileEchoServer() {
    }

    /** Runs the server until standard input ends. */
    public static void main(String[] args) throws Exception {
        LoopBackend backend = args.length > 0 ? LoopBackend.valueOf(args[0]) : LoopBackend.EPOLL;
        try (EventLoop loop = EventLoop.open(backend)) {
            Server server = loop.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                    StreamTransportTest.Echo::new, ServerOptions.defaults().withBacklog(512));
            // a server logs as it starts: this also loads what logging needs while descriptors are free
            System.getLogger(EmfileEchoServer.class.getName()).log(System.Logger.Level.INFO, "listening");
            System.out.println("port " + ((InetSocketAddress) server.address()).getPort());
            System.out.flush();
            byte[] input = new byte[256];
            loop.addReader(Fd.stdin(), () -> { // the loop watches stdin: its end stops the server
                try {
                    if (System.in.read(input) < 0) {
                        loop.stop();
                    }
                } catch (IOException e) {
                    loop.stop();
                }
            });
            loop.run();
        }
    }
}
