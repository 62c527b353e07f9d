package io.selectors4j.loop;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * The child process of {@link DescriptorExhaustionTest}: an echo server on one loop, started under a
 * low open-files limit, from a jar as a deployed server runs (so loading a class needs no new
 * descriptor). Prints {@code port N} once listening and stops when its standard input closes.
 */
public final class EmfileEchoServer {
    private EmfileEchoServer() {
    }

    /** Runs the server until standard input ends. */
    public static void main(String[] args) throws Exception {
        try (EventLoop loop = EventLoop.open()) {
            Server server = loop.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                    StreamTransportTest.Echo::new, ServerOptions.defaults().withBacklog(512));
            // a server logs as it starts: this also loads what logging needs while descriptors are free
            System.getLogger(EmfileEchoServer.class.getName()).log(System.Logger.Level.INFO, "listening");
            System.out.println("port " + ((InetSocketAddress) server.address()).getPort());
            System.out.flush();
            Thread.ofPlatform().daemon().start(() -> {
                try {
                    System.in.transferTo(java.io.OutputStream.nullOutputStream());
                } catch (java.io.IOException e) {
                    // the parent is gone: stop as well
                }
                loop.stop();
            });
            loop.run();
        }
    }
}
