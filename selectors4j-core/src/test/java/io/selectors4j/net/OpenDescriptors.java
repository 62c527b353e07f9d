package io.selectors4j.net;

import io.selectors4j.ResourceLimits;
import io.selectors4j.sys.OpenFileLimit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.TreeSet;
import java.util.stream.Stream;

/** The process's open descriptor numbers, read from /proc, and a soft limit set just above them. */
final class OpenDescriptors {
    private OpenDescriptors() {
    }

    /** The open descriptor numbers, without the one used to list them. */
    static TreeSet<Integer> numbers() throws IOException {
        Path dir = Path.of("/proc/self/fd");
        String listing = Path.of("/proc", Long.toString(ProcessHandle.current().pid()), "fd").toString();
        TreeSet<Integer> open = new TreeSet<>();
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path entry : (Iterable<Path>) entries::iterator) {
                try {
                    if (!Files.readSymbolicLink(entry).toString().equals(listing)) {
                        open.add(Integer.parseInt(entry.getFileName().toString()));
                    }
                } catch (IOException closedMeanwhile) {
                    // the listing's own descriptor may already be gone
                }
            }
        }
        return open;
    }

    /** The {@code n}-th (from 0) lowest descriptor number that is free. */
    static int freeNumber(TreeSet<Integer> open, int n) {
        int candidate = 0;
        int seen = -1;
        while (true) {
            if (!open.contains(candidate) && ++seen == n) {
                return candidate;
            }
            candidate++;
        }
    }

    /** Sets the soft open-files limit, keeping the hard one. */
    static void setSoftLimit(long soft, ResourceLimits.Limit original) throws IOException {
        OpenFileLimit.set(soft, original.hard());
    }
}
