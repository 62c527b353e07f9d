package io.selectors4j.sys;

import static org.assertj.core.api.Assertions.assertThat;

import io.selectors4j.Errno;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which accept errors belong to the pending connection (skip it) and which to the listener (throw). */
class AcceptErrorsTest {

    /** ECONNABORTED, then accept(2)'s list for Linux: EPROTO, ENOPROTOOPT, EHOSTDOWN, ENONET, ... */
    @ParameterizedTest
    @ValueSource(ints = {Errno.ECONNABORTED, 71, Errno.ENOPROTOOPT, 112, 64, Errno.EHOSTUNREACH, Errno.EOPNOTSUPP,
            Errno.ENETUNREACH, Errno.ENETDOWN})
    void networkErrorsOfThePendingConnectionAreSkipped(int errno) {
        assertThat(SocketCalls.isFailedPendingConnection(errno)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(ints = {Errno.EBADF, Errno.EINVAL, Errno.ENOTSOCK, Errno.EMFILE, Errno.ENFILE, Errno.ENOBUFS,
            Errno.ENOMEM, Errno.EFAULT, Errno.EPERM, Errno.EAGAIN, Errno.EINTR})
    void errorsOfTheListenerOrTheProcessAreNot(int errno) {
        assertThat(SocketCalls.isFailedPendingConnection(errno)).isFalse();
    }

    @Test
    void acceptOnADatagramSocketThrowsEopnotsuppInsteadOfRetryingForever() throws Exception {
        int fd = SocketCalls.socket(Platform.AF_INET, Platform.SOCK_DGRAM, false);
        try {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> SocketCalls.accept(fd, new CallContext(), false))
                    .isInstanceOfSatisfying(io.selectors4j.NativeIOException.class,
                            e -> assertThat(e.errno()).isEqualTo(Errno.EOPNOTSUPP));
        } finally {
            FileCalls.close(fd);
        }
    }
}
