package io.selectors4j.bench.peers;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.util.Arrays;
import javax.net.ssl.SSLException;

/**
 * The Netty 4.2 echo peer: {@code NettyEchoServer nio|epoll|io_uring PORT [THREADS] [--tls jdk|openssl]}.
 * One event loop group of THREADS loops accepts and serves; each read is written back and flushed when
 * the read burst ends. With {@code --tls}, an {@code SslHandler} in front of the echo, as Netty's
 * documentation sets one up: TLS 1.3 and 1.2 with the {@link TlsMaterial} certificate, on the JDK's
 * {@code SSLEngine} ({@code jdk}, delegated tasks run on the event loop, Netty's default) or on BoringSSL
 * through netty-tcnative ({@code openssl}). A transport or library this machine lacks exits with
 * {@link PeerArguments#UNAVAILABLE} and says why.
 */
public final class NettyEchoServer {

    /** Writes back what it reads, flushing once per read burst; shared by every connection. */
    @ChannelHandler.Sharable
    static final class Echo extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.write(msg, ctx.voidPromise());
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    private NettyEchoServer() {
    }

    /** Starts the server and serves until the process is killed. */
    public static void main(String[] args) throws InterruptedException {
        if (args.length < 1) {
            System.err.println("usage: NettyEchoServer nio|epoll|io_uring PORT [THREADS]");
            System.exit(1);
        }
        String transport = args[0];
        String tls = null;
        if (args.length >= 3 && args[args.length - 2].equals("--tls")) {
            tls = args[args.length - 1];
            args = Arrays.copyOf(args, args.length - 2);
        }
        PeerArguments arguments = PeerArguments.parse("NettyEchoServer " + transport, args, 1);
        SslContext ssl = tls == null ? null : sslContext(tls);
        IoHandlerFactory handler;
        Class<? extends ServerChannel> channel;
        switch (transport) {
            case "nio" -> {
                handler = NioIoHandler.newFactory();
                channel = NioServerSocketChannel.class;
            }
            case "epoll" -> {
                unavailableUnless(Epoll.isAvailable(), "epoll", Epoll.unavailabilityCause());
                handler = EpollIoHandler.newFactory();
                channel = EpollServerSocketChannel.class;
            }
            case "io_uring" -> {
                unavailableUnless(IoUring.isAvailable(), "io_uring", IoUring.unavailabilityCause());
                handler = IoUringIoHandler.newFactory();
                channel = IoUringServerSocketChannel.class;
            }
            default -> {
                System.err.println("NettyEchoServer: unknown transport '" + transport + "' (nio, epoll, io_uring)");
                System.exit(1);
                return;
            }
        }
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(arguments.threads(), handler);
        Echo echo = new Echo();
        new ServerBootstrap().group(group).channel(channel)
                .option(ChannelOption.SO_BACKLOG, 4096)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(ssl == null ? echo : new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline().addLast(ssl.newHandler(channel.alloc()), echo);
                    }
                })
                .bind("127.0.0.1", arguments.port()).sync();
        StatsHook.start();
        arguments.announce();
        group.terminationFuture().sync();
    }

    private static SslContext sslContext(String provider) {
        SslProvider chosen = switch (provider) {
            case "jdk" -> SslProvider.JDK;
            case "openssl" -> {
                unavailableUnless(OpenSsl.isAvailable(), "OpenSSL (netty-tcnative)", OpenSsl.unavailabilityCause());
                yield SslProvider.OPENSSL;
            }
            default -> {
                System.err.println("NettyEchoServer: unknown TLS provider '" + provider + "' (jdk, openssl)");
                System.exit(1);
                yield null;
            }
        };
        TlsMaterial material = TlsMaterial.selfSigned();
        try {
            return SslContextBuilder.forServer(material.key(), material.certificate()).sslProvider(chosen)
                    .protocols("TLSv1.3", "TLSv1.2").build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot set up TLS with " + provider, e);
        }
    }

    private static void unavailableUnless(boolean available, String transport, Throwable cause) {
        if (!available) {
            System.err.println("NettyEchoServer: " + transport + " is not available here: " + cause);
            System.exit(PeerArguments.UNAVAILABLE);
        }
    }
}
