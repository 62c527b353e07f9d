package io.selectors4j.sys;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * What the kernel's io_uring offers, read once when a ring opens: the feature bits of setup's answer
 * and the opcodes {@code IORING_REGISTER_PROBE} reports as supported. {@link #missingForServer()}
 * says whether the completion backend can run on it.
 */
public final class IoUringProbe {
    private static final long OPS_LENGTH = Structs.offset(Structs.IO_URING_PROBE, "ops_len");
    private static final long HEADER = Structs.IO_URING_PROBE.byteSize();
    private static final long OP_SIZE = Structs.IO_URING_PROBE_OP.byteSize();
    private static final long OP = Structs.offset(Structs.IO_URING_PROBE_OP, "op");
    private static final long OP_FLAGS = Structs.offset(Structs.IO_URING_PROBE_OP, "flags");

    /** The features the backend relies on, with what each gives it. */
    private static final int[] REQUIRED_FEATURES = {
            IoUringAbi.FEAT_NODROP, IoUringAbi.FEAT_EXT_ARG, IoUringAbi.FEAT_FAST_POLL};
    private static final String[] REQUIRED_FEATURE_NAMES = {
            "FEAT_NODROP (no completion lost when the queue is full)",
            "FEAT_EXT_ARG (a wait with a timeout)",
            "FEAT_FAST_POLL (socket operations wait on readiness, not in a worker thread)"};

    /**
     * The opcodes it submits. SEND_ZC stands for the kernel version: it came in 6.0, with multishot
     * receive, after provided-buffer rings and multishot accept (5.19), none of which a probe reports.
     */
    private static final int[] REQUIRED_OPS = {
            IoUringAbi.OP_ACCEPT, IoUringAbi.OP_RECV, IoUringAbi.OP_SEND, IoUringAbi.OP_SENDMSG,
            IoUringAbi.OP_POLL_ADD, IoUringAbi.OP_POLL_REMOVE, IoUringAbi.OP_ASYNC_CANCEL,
            IoUringAbi.OP_READ, IoUringAbi.OP_CLOSE, IoUringAbi.OP_MSG_RING, IoUringAbi.OP_SEND_ZC};
    private static final String[] REQUIRED_OP_NAMES = {
            "OP_ACCEPT", "OP_RECV", "OP_SEND", "OP_SENDMSG", "OP_POLL_ADD", "OP_POLL_REMOVE",
            "OP_ASYNC_CANCEL", "OP_READ", "OP_CLOSE", "OP_MSG_RING", "OP_SEND_ZC (kernel 6.0: multishot receive)"};

    private final int features;
    private final boolean[] supported;

    /** A probe result: the setup's feature bits and, per opcode 0-255, whether it is supported. */
    IoUringProbe(int features, boolean[] supported) {
        this.features = features;
        this.supported = supported.clone();
    }

    /** Reads the probe's answer: {@code probe} as filled by {@code IORING_REGISTER_PROBE}. */
    static IoUringProbe fromKernel(int features, MemorySegment probe) {
        boolean[] supported = new boolean[IoUringAbi.PROBE_OPS];
        int count = Byte.toUnsignedInt(probe.get(JAVA_BYTE, OPS_LENGTH));
        for (int i = 0; i < count; i++) {
            long entry = HEADER + i * OP_SIZE;
            int op = Byte.toUnsignedInt(probe.get(JAVA_BYTE, entry + OP));
            supported[op] = (probe.get(JAVA_SHORT, entry + OP_FLAGS) & IoUringAbi.OP_SUPPORTED) != 0;
        }
        return new IoUringProbe(features, supported);
    }

    /** The feature bits ({@code IoUringAbi.FEAT_*}). */
    public int features() {
        return features;
    }

    /** Whether every bit of {@code feature} is offered. */
    public boolean hasFeature(int feature) {
        return (features & feature) == feature;
    }

    /** Whether the kernel supports {@code opcode} ({@code IoUringAbi.OP_*}). */
    public boolean supports(int opcode) {
        return opcode >= 0 && opcode < supported.length && supported[opcode];
    }

    /**
     * What the completion backend needs that this kernel lacks, as one line, or {@code null} when it
     * has everything.
     */
    public String missingForServer() {
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < REQUIRED_FEATURES.length; i++) {
            if (!hasFeature(REQUIRED_FEATURES[i])) {
                missing.add(REQUIRED_FEATURE_NAMES[i]);
            }
        }
        for (int i = 0; i < REQUIRED_OPS.length; i++) {
            if (!supports(REQUIRED_OPS[i])) {
                missing.add(REQUIRED_OP_NAMES[i]);
            }
        }
        return missing.isEmpty() ? null
                : "io_uring on this kernel lacks " + String.join(", ", missing) + "; Linux 6.0 or newer has them all";
    }
}
