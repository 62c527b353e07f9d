package io.selectors4j.apps.reliability;

import io.selectors4j.NativeIOException;
import io.selectors4j.ResourceLimits;
import java.time.Duration;

/**
 * The sizes of the reliability runs: CI-sized by default, the long form through system properties
 * that {@code bin/reliability --long} sets ({@code s4j.reliability.long=true}, or one figure at a time).
 */
final class Limits {
    private Limits() {
    }

    /** Whether the long form was asked for. */
    static boolean longForm() {
        return Boolean.getBoolean("s4j.reliability.long");
    }

    /** The hard open-files limit of this process, which a child may raise its soft limit to. */
    static int hardOpenFiles() {
        try {
            long hard = ResourceLimits.openFiles().hard();
            return hard < 0 ? Integer.MAX_VALUE : (int) Math.min(Integer.MAX_VALUE, hard); // < 0: unlimited
        } catch (NativeIOException e) {
            throw new IllegalStateException("cannot read the open-files limit", e);
        }
    }

    /** A duration in seconds from a system property, or the CI or long default. */
    static Duration seconds(String property, long ci, long longForm) {
        return Duration.ofSeconds(Long.getLong(property, longForm() ? longForm : ci));
    }

    /** A count from a system property, or the CI or long default. */
    static int count(String property, int ci, int longForm) {
        return Integer.getInteger(property, longForm() ? longForm : ci);
    }
}
