package io.selectors4j.sys;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

/**
 * The C struct layouts the native layer reads and writes, defined once. Field names follow the C
 * headers; offsets are read from the layouts, never written as numbers elsewhere.
 */
public final class Structs {
    /** {@code struct sockaddr_in}: family, port (network order), IPv4 address, padding. */
    public static final StructLayout SOCKADDR_IN = MemoryLayout.structLayout(
            JAVA_SHORT.withName("sin_family"),
            JAVA_SHORT.withName("sin_port"),
            MemoryLayout.sequenceLayout(4, JAVA_BYTE).withName("sin_addr"),
            MemoryLayout.sequenceLayout(8, JAVA_BYTE).withName("sin_zero"));

    /** {@code struct sockaddr_in6}: family, port, flow info, IPv6 address, scope id. */
    public static final StructLayout SOCKADDR_IN6 = MemoryLayout.structLayout(
            JAVA_SHORT.withName("sin6_family"),
            JAVA_SHORT.withName("sin6_port"),
            JAVA_INT.withName("sin6_flowinfo"),
            MemoryLayout.sequenceLayout(16, JAVA_BYTE).withName("sin6_addr"),
            JAVA_INT.withName("sin6_scope_id"));

    /** {@code struct sockaddr_un}: family and a path of up to 107 bytes plus NUL. */
    public static final StructLayout SOCKADDR_UN = MemoryLayout.structLayout(
            JAVA_SHORT.withName("sun_family"),
            MemoryLayout.sequenceLayout(108, JAVA_BYTE).withName("sun_path"));

    /** {@code struct sockaddr_storage}: room for any address. */
    public static final StructLayout SOCKADDR_STORAGE = MemoryLayout.structLayout(
            JAVA_SHORT.withName("ss_family"),
            MemoryLayout.sequenceLayout(126, JAVA_BYTE).withName("ss_padding"));

    /** {@code struct timeval}: seconds and microseconds. */
    public static final StructLayout TIMEVAL = MemoryLayout.structLayout(
            JAVA_LONG.withName("tv_sec"),
            JAVA_LONG.withName("tv_usec"));

    /** {@code fd_set}: a bitmap of {@link Platform#FD_SETSIZE} descriptors in 64-bit words. */
    public static final StructLayout FD_SET = MemoryLayout.structLayout(
            MemoryLayout.sequenceLayout(Platform.FD_SETSIZE / 64, JAVA_LONG).withName("fds_bits"));

    /** {@code struct pollfd}: descriptor, requested events, returned events. */
    public static final StructLayout POLLFD = MemoryLayout.structLayout(
            JAVA_INT.withName("fd"),
            JAVA_SHORT.withName("events"),
            JAVA_SHORT.withName("revents"));

    /**
     * {@code struct epoll_event}: events and 64 bits of user data. The kernel packs it to 12 bytes on
     * x86_64; other architectures align the data to 8 (16 bytes).
     */
    public static final StructLayout EPOLL_EVENT = isX86_64()
            ? MemoryLayout.structLayout(
                    JAVA_INT.withName("events"),
                    JAVA_LONG.withByteAlignment(4).withName("data"))
            : MemoryLayout.structLayout(
                    JAVA_INT.withName("events"),
                    MemoryLayout.paddingLayout(4),
                    JAVA_LONG.withName("data"));

    /**
     * The start of {@code struct stat}: device and inode, which identify a file (same on x86_64 and
     * aarch64), padded to the whole struct's size on both.
     */
    public static final StructLayout STAT = MemoryLayout.structLayout(
            JAVA_LONG.withName("st_dev"),
            JAVA_LONG.withName("st_ino"),
            MemoryLayout.sequenceLayout(128, JAVA_BYTE).withName("st_rest"));

    /** {@code struct rlimit}: soft and hard limit. */
    public static final StructLayout RLIMIT = MemoryLayout.structLayout(
            JAVA_LONG.withName("rlim_cur"),
            JAVA_LONG.withName("rlim_max"));

    /** {@code struct linger}: on/off and seconds. */
    public static final StructLayout LINGER = MemoryLayout.structLayout(
            JAVA_INT.withName("l_onoff"),
            JAVA_INT.withName("l_linger"));

    /** {@code struct iovec}: base address and length. */
    public static final StructLayout IOVEC = MemoryLayout.structLayout(
            ADDRESS.withName("iov_base"),
            JAVA_LONG.withName("iov_len"));

    /** {@code struct msghdr} (64-bit Linux): the fields {@code sendmsg} reads, with the padding they need. */
    public static final StructLayout MSGHDR = MemoryLayout.structLayout(
            ADDRESS.withName("msg_name"),
            JAVA_INT.withName("msg_namelen"),
            MemoryLayout.paddingLayout(4),
            ADDRESS.withName("msg_iov"),
            JAVA_LONG.withName("msg_iovlen"),
            ADDRESS.withName("msg_control"),
            JAVA_LONG.withName("msg_controllen"),
            JAVA_INT.withName("msg_flags"),
            MemoryLayout.paddingLayout(4));

    /** {@code struct io_sqring_offsets}: where each field of the mapped submission ring is. */
    public static final StructLayout IO_SQRING_OFFSETS = MemoryLayout.structLayout(
            JAVA_INT.withName("head"),
            JAVA_INT.withName("tail"),
            JAVA_INT.withName("ring_mask"),
            JAVA_INT.withName("ring_entries"),
            JAVA_INT.withName("flags"),
            JAVA_INT.withName("dropped"),
            JAVA_INT.withName("array"),
            JAVA_INT.withName("resv1"),
            JAVA_LONG.withName("user_addr"));

    /** {@code struct io_cqring_offsets}: where each field of the mapped completion ring is. */
    public static final StructLayout IO_CQRING_OFFSETS = MemoryLayout.structLayout(
            JAVA_INT.withName("head"),
            JAVA_INT.withName("tail"),
            JAVA_INT.withName("ring_mask"),
            JAVA_INT.withName("ring_entries"),
            JAVA_INT.withName("overflow"),
            JAVA_INT.withName("cqes"),
            JAVA_INT.withName("flags"),
            JAVA_INT.withName("resv1"),
            JAVA_LONG.withName("user_addr"));

    /** {@code struct io_uring_params}: what setup is asked for, and what the kernel answers. */
    public static final StructLayout IO_URING_PARAMS = MemoryLayout.structLayout(
            JAVA_INT.withName("sq_entries"),
            JAVA_INT.withName("cq_entries"),
            JAVA_INT.withName("flags"),
            JAVA_INT.withName("sq_thread_cpu"),
            JAVA_INT.withName("sq_thread_idle"),
            JAVA_INT.withName("features"),
            JAVA_INT.withName("wq_fd"),
            MemoryLayout.sequenceLayout(3, JAVA_INT).withName("resv"),
            IO_SQRING_OFFSETS.withName("sq_off"),
            IO_CQRING_OFFSETS.withName("cq_off"));

    /**
     * {@code struct io_uring_sqe} (64 bytes). The C unions are named by the member selectors4j uses:
     * {@code off} is also {@code addr2}; {@code op_flags} is {@code msg_flags}, {@code accept_flags},
     * {@code poll32_events}, {@code cancel_flags} or {@code msg_ring_flags} by opcode;
     * {@code buf_group} is also {@code buf_index}.
     */
    public static final StructLayout IO_URING_SQE = MemoryLayout.structLayout(
            JAVA_BYTE.withName("opcode"),
            JAVA_BYTE.withName("flags"),
            JAVA_SHORT.withName("ioprio"),
            JAVA_INT.withName("fd"),
            JAVA_LONG.withName("off"),
            JAVA_LONG.withName("addr"),
            JAVA_INT.withName("len"),
            JAVA_INT.withName("op_flags"),
            JAVA_LONG.withName("user_data"),
            JAVA_SHORT.withName("buf_group"),
            JAVA_SHORT.withName("personality"),
            JAVA_INT.withName("file_index"),
            JAVA_LONG.withName("addr3"),
            JAVA_LONG.withName("pad2"));

    /** {@code struct io_uring_cqe} (16 bytes; rings are not set up with 32-byte entries). */
    public static final StructLayout IO_URING_CQE = MemoryLayout.structLayout(
            JAVA_LONG.withName("user_data"),
            JAVA_INT.withName("res"),
            JAVA_INT.withName("flags"));

    /** The head of {@code struct io_uring_probe}; {@link #IO_URING_PROBE_OP} entries follow it. */
    public static final StructLayout IO_URING_PROBE = MemoryLayout.structLayout(
            JAVA_BYTE.withName("last_op"),
            JAVA_BYTE.withName("ops_len"),
            JAVA_SHORT.withName("resv"),
            MemoryLayout.sequenceLayout(3, JAVA_INT).withName("resv2"));

    /** {@code struct io_uring_probe_op}: an opcode and whether it is supported. */
    public static final StructLayout IO_URING_PROBE_OP = MemoryLayout.structLayout(
            JAVA_BYTE.withName("op"),
            JAVA_BYTE.withName("resv"),
            JAVA_SHORT.withName("flags"),
            JAVA_INT.withName("resv2"));

    /**
     * {@code struct io_uring_buf}: one entry of a provided-buffer ring. The ring's tail overlays the
     * {@code resv} field of entry 0, so writing an entry never touches {@code resv}.
     */
    public static final StructLayout IO_URING_BUF = MemoryLayout.structLayout(
            JAVA_LONG.withName("addr"),
            JAVA_INT.withName("len"),
            JAVA_SHORT.withName("bid"),
            JAVA_SHORT.withName("resv"));

    /** {@code struct io_uring_buf_reg}: the argument that registers a provided-buffer ring. */
    public static final StructLayout IO_URING_BUF_REG = MemoryLayout.structLayout(
            JAVA_LONG.withName("ring_addr"),
            JAVA_INT.withName("ring_entries"),
            JAVA_SHORT.withName("bgid"),
            JAVA_SHORT.withName("flags"),
            MemoryLayout.sequenceLayout(3, JAVA_LONG).withName("resv"));

    /**
     * {@code struct io_uring_getevents_arg}: the wait's argument with {@code IORING_ENTER_EXT_ARG}:
     * signal mask, a timeout and (6.12) the minimum wait in microseconds.
     */
    public static final StructLayout IO_URING_GETEVENTS_ARG = MemoryLayout.structLayout(
            JAVA_LONG.withName("sigmask"),
            JAVA_INT.withName("sigmask_sz"),
            JAVA_INT.withName("min_wait_usec"),
            JAVA_LONG.withName("ts"));

    /** {@code struct __kernel_timespec}: seconds and nanoseconds, 64 bits each. */
    public static final StructLayout KERNEL_TIMESPEC = MemoryLayout.structLayout(
            JAVA_LONG.withName("tv_sec"),
            JAVA_LONG.withName("tv_nsec"));

    private Structs() {
    }

    /** The byte offset of a named field. */
    public static long offset(StructLayout layout, String field) {
        return layout.byteOffset(MemoryLayout.PathElement.groupElement(field));
    }

    /** The byte offset of a field of a nested struct, such as {@code sq_off.head}. */
    public static long offset(StructLayout layout, String struct, String field) {
        return layout.byteOffset(MemoryLayout.PathElement.groupElement(struct),
                MemoryLayout.PathElement.groupElement(field));
    }

    private static boolean isX86_64() {
        String arch = System.getProperty("os.arch");
        return arch.equals("amd64") || arch.equals("x86_64");
    }
}
