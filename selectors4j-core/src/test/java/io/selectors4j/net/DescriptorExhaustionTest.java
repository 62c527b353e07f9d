package io.selectors4j.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.selectors4j.Errno;
import io.selectors4j.NativeIOException;
import io.selectors4j.ResourceLimits;
import io.selectors4j.selectors.Backend;
import io.selectors4j.selectors.Selector;
import io.selectors4j.sys.OpenFileLimit;
import io.selectors4j.testkit.Proc;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.TreeSet;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Out of descriptors (EMFILE): every call that creates one fails with a clear NativeIOException,
 * leaks nothing, and works again, the pending connection still there, once descriptors are free.
 */
@Timeout(20)
class DescriptorExhaustionTest {

    @Test
    void everyCreatingCallFailsWithEmfileAndLeaksNothing() throws Exception {
        ResourceLimits.Limit original = ResourceLimits.openFiles();
        try (Socket listener = Socket.listenTcp(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4)) {
            loadEveryClassNeeded(listener);
            Socket client = Socket.connectTcp((InetSocketAddress) listener.localAddress());
            TreeSet<Integer> before = Proc.openFdNumbers();
            setSoftLimit(Proc.freeFdNumber(before, 0), original); // no number free
            try {
                assertEmfile(listener::accept, "accept");
                assertEmfile(Socket::pair, "socketpair");
                assertEmfile(Socket::tcp4, "socket");
                assertEmfile(Pipe::open, "pipe2");
                for (Backend backend : Backend.values()) {
                    assertThatThrownBy(() -> Selector.open(backend).close())
                            .isInstanceOfSatisfying(NativeIOException.class,
                                    e -> assertThat(e.errno()).isEqualTo(Errno.EMFILE));
                }
                // one number free: room for the selector's eventfd, none for its epoll instance
                setSoftLimit(Proc.freeFdNumber(before, 1), original);
                assertThatThrownBy(() -> Selector.open(Backend.EPOLL).close())
                        .isInstanceOfSatisfying(NativeIOException.class,
                                e -> assertThat(e.errno()).isEqualTo(Errno.EMFILE));
            } finally {
                setSoftLimit(original.soft(), original);
            }
            assertThat(Proc.openFdNumbers()).as("no descriptor leaked by the failures").isEqualTo(before);
            try (client; Socket accepted = listener.accept().socket()) {
                assertThat(accepted.peerAddress()).isEqualTo(client.localAddress());
            }
        }
    }

    /** Loading a class from the build's class folder opens a file: do it all before the limit drops. */
    private static void loadEveryClassNeeded(Socket listener) throws Exception {
        try (Socket warmUp = Socket.connectTcp((InetSocketAddress) listener.localAddress())) {
            listener.accept().socket().close();
        }
        Socket.Pair pair = Socket.pair();
        pair.first().close();
        pair.second().close();
        Socket.tcp4().close();
        Pipe.open().close();
        for (Backend backend : Backend.values()) {
            Selector.open(backend).close();
        }
        assertEmfile(() -> {
            throw new NativeIOException("accept", Errno.EMFILE);
        }, "accept");
        Proc.openFdNumbers();
    }

    /** Sets the soft open-files limit, keeping the hard one. */
    private static void setSoftLimit(long soft, ResourceLimits.Limit original) throws IOException {
        OpenFileLimit.set(soft, original.hard());
    }

    private static void assertEmfile(ThrowingCallable call, String name) {
        assertThatThrownBy(call).isInstanceOfSatisfying(NativeIOException.class, e -> {
            assertThat(e.errno()).isEqualTo(Errno.EMFILE);
            assertThat(e.call()).isEqualTo(name);
            assertThat(e.getMessage()).contains("EMFILE", "Too many open files");
        });
    }
}
