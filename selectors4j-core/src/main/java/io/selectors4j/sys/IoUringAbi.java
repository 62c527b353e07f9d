package io.selectors4j.sys;

/**
 * The numbers of the io_uring kernel interface ({@code <linux/io_uring.h>}): system call numbers,
 * setup, enter and register codes, opcodes and flag bits, in one place beside {@link IoUring}. io_uring
 * is Linux only and these numbers are the same on x86_64 and aarch64, which is why they live here and
 * not in {@link Platform}. Only what selectors4j uses or checks for is listed.
 */
public final class IoUringAbi {
    /** System call numbers: the same in every Linux architecture's table since 5.1. */
    public static final long SYS_IO_URING_SETUP = 425;
    public static final long SYS_IO_URING_ENTER = 426;
    public static final long SYS_IO_URING_REGISTER = 427;

    /** io_uring_setup flags. */
    public static final int SETUP_CQSIZE = 1 << 3;
    public static final int SETUP_R_DISABLED = 1 << 6;
    /** Keep submitting the rest of a batch when one entry fails to prepare (5.18). */
    public static final int SETUP_SUBMIT_ALL = 1 << 7;
    /** Run completion work when the task enters the kernel anyway, not by interrupting it (5.19). */
    public static final int SETUP_COOP_TASKRUN = 1 << 8;
    /** One thread submits; the kernel may then skip locking (6.0). */
    public static final int SETUP_SINGLE_ISSUER = 1 << 12;
    /** Completion work runs only when the issuer asks for events (6.1; needs SINGLE_ISSUER). */
    public static final int SETUP_DEFER_TASKRUN = 1 << 13;

    /** io_uring_params.features bits. */
    public static final int FEAT_SINGLE_MMAP = 1;
    public static final int FEAT_NODROP = 1 << 1;
    public static final int FEAT_FAST_POLL = 1 << 5;
    public static final int FEAT_EXT_ARG = 1 << 8;
    /** {@code min_wait_usec} in the wait argument is honoured (6.12). */
    public static final int FEAT_MIN_TIMEOUT = 1 << 15;

    /** mmap offsets of the three regions. */
    public static final long OFF_SQ_RING = 0L;
    public static final long OFF_CQ_RING = 0x8000000L;
    public static final long OFF_SQES = 0x10000000L;

    /** io_uring_enter flags. */
    public static final int ENTER_GETEVENTS = 1;
    public static final int ENTER_EXT_ARG = 1 << 3;

    /** sq ring flags. */
    /** Completions wait in the kernel's overflow list: an enter with GETEVENTS moves them into the ring. */
    public static final int SQ_CQ_OVERFLOW = 1 << 1;

    /** io_uring_register opcodes. */
    public static final int REGISTER_PROBE = 8;
    public static final int REGISTER_ENABLE_RINGS = 12;
    public static final int REGISTER_PBUF_RING = 22;
    public static final int UNREGISTER_PBUF_RING = 23;

    /** struct io_uring_probe_op flag: the opcode is supported. */
    public static final int OP_SUPPORTED = 1;
    /** The probe asks about opcodes 0 to 255 (the opcode is a byte). */
    public static final int PROBE_OPS = 256;

    /** Opcodes. */
    public static final int OP_NOP = 0;
    public static final int OP_POLL_ADD = 6;
    public static final int OP_POLL_REMOVE = 7;
    public static final int OP_SENDMSG = 9;
    public static final int OP_ACCEPT = 13;
    public static final int OP_ASYNC_CANCEL = 14;
    public static final int OP_CLOSE = 19;
    public static final int OP_READ = 22;
    public static final int OP_SEND = 26;
    public static final int OP_RECV = 27;
    public static final int OP_MSG_RING = 40;
    public static final int OP_SEND_ZC = 47;

    /** SQE flags. */
    public static final int IOSQE_IO_LINK = 1 << 2;
    public static final int IOSQE_BUFFER_SELECT = 1 << 5;
    public static final int IOSQE_CQE_SKIP_SUCCESS = 1 << 6;

    /** sqe.ioprio for receive. */
    public static final int RECV_MULTISHOT = 1 << 1;
    /** sqe.ioprio for accept. */
    public static final int ACCEPT_MULTISHOT = 1;
    /** sqe.len for poll add. */
    public static final int POLL_ADD_MULTI = 1;
    /** sqe.cancel_flags. */
    public static final int ASYNC_CANCEL_ALL = 1;
    public static final int ASYNC_CANCEL_FD = 1 << 1;
    /** MSG_RING command (in sqe.addr): post sqe.len as the result and sqe.off as the user data. */
    public static final int MSG_DATA = 0;

    /** CQE flags. */
    public static final int CQE_F_BUFFER = 1;
    /** The request stays armed: more completions will come for it. */
    public static final int CQE_F_MORE = 1 << 1;
    public static final int CQE_BUFFER_SHIFT = 16;

    /** The most entries a provided-buffer ring holds (buffer ids are 16 bits). */
    public static final int PBUF_RING_MAX_ENTRIES = 32_768;

    private IoUringAbi() {
    }
}
