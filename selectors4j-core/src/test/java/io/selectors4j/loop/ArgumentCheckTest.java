package io.selectors4j.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.selectors4j.testkit.LoopBackends;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Bad arguments get a clear error at the call. */
class ArgumentCheckTest {

    @Test
    void serverOptionsRejectImpossibleNumbers() {
        ServerOptions defaults = ServerOptions.defaults();
        assertThat(defaults).isEqualTo(new ServerOptions(1024, true, false, true, 0, 0, 0, 64, null));
        assertThatThrownBy(() -> defaults.withBacklog(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("backlog");
        assertThatThrownBy(() -> defaults.withAcceptBatch(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("acceptBatch");
        assertThatThrownBy(() -> defaults.withMaxConnections(-5)).isInstanceOf(IllegalArgumentException.class);
        assertThat(defaults.withReusePort(true).withTcpNoDelay(false).withReceiveBufferSize(4096)
                .withSendBufferSize(8192).withReuseAddress(false))
                .isEqualTo(new ServerOptions(1024, false, true, false, 4096, 8192, 0, 64, null));
        assertThat(defaults.withIdleTimeout(Duration.ofSeconds(30)).idleTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(defaults.withIdleTimeout(Duration.ZERO).idleTimeout()).as("zero is none").isNull();
        assertThatThrownBy(() -> defaults.withIdleTimeout(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("idleTimeout");
    }

    @ParameterizedTest
    @MethodSource(LoopBackends.EPOLL_AND_IO_URING)
    void addressesTheLoopCannotUseAreRefused(LoopBackend backend) throws Exception {
        try (RunningLoop running = RunningLoop.start(backend)) {
            InetSocketAddress unresolved = InetSocketAddress.createUnresolved("nowhere.invalid", 7);
            assertThatThrownBy(() -> running.loop.listen(unresolved, StreamTransportTest.Echo::new))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unresolved");
            assertThatThrownBy(() -> running.loop.connect(unresolved, StreamTransportTest.Echo::new, Duration.ofSeconds(1))
                    .get(20, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> running.loop.openDatagram(UnixDomainSocketAddress.of("/tmp/x"), () -> new DatagramProtocol() {
            })).isInstanceOf(IllegalArgumentException.class);
            DatagramTransport unconnected = running.loop.openDatagram(new InetSocketAddress("127.0.0.1", 0),
                    () -> new DatagramProtocol() {
                    });
            assertThatThrownBy(() -> unconnected.sendTo(new byte[1], 0, 1, null))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("connected");
            unconnected.close();
        }
    }
}
