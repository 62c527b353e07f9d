package io.selectors4j.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * What {@code /proc} says about a process (this one or a child): its descriptors, CPU time, memory and
 * threads, and the kernel's socket tables. Every reader the tests use lives here, so each field is
 * parsed one way.
 */
public final class Proc {
    /** The process id that stands for this process. */
    public static final long SELF = ProcessHandle.current().pid();
    private static final String TCP_LISTEN = "0A";

    private Proc() {
    }

    private static Path dir(long pid) {
        return Path.of("/proc", Long.toString(pid));
    }

    /** The number of descriptors process {@code pid} has open (for this process, the listing's own included). */
    public static int openFds(long pid) {
        try (Stream<Path> fds = Files.list(dir(pid).resolve("fd"))) {
            return (int) fds.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The number of sockets process {@code pid} has open. */
    public static int openSockets(long pid) {
        try (Stream<Path> fds = Files.list(dir(pid).resolve("fd"))) {
            return (int) fds.filter(fd -> {
                String target = target(fd);
                return target != null && target.startsWith("socket:");
            }).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** This process's open descriptor numbers, without the one used to list them. */
    public static TreeSet<Integer> openFdNumbers() {
        String listing = dir(SELF).resolve("fd").toString();
        TreeSet<Integer> open = new TreeSet<>();
        try (Stream<Path> entries = Files.list(Path.of("/proc/self/fd"))) {
            for (Path entry : (Iterable<Path>) entries::iterator) {
                String target = target(entry);
                if (target != null && !target.equals(listing)) {
                    open.add(Integer.parseInt(entry.getFileName().toString()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return open;
    }

    /** The {@code n}-th (from 0) lowest descriptor number not in {@code open}. */
    public static int freeFdNumber(TreeSet<Integer> open, int n) {
        int seen = -1;
        for (int candidate = 0; ; candidate++) {
            if (!open.contains(candidate) && ++seen == n) {
                return candidate;
            }
        }
    }

    /** What each of process {@code pid}'s descriptors refers to, by number (descriptors closed meanwhile left out). */
    public static Map<Integer, String> fdTargets(long pid) {
        Map<Integer, String> targets = new TreeMap<>();
        try (Stream<Path> fds = Files.list(dir(pid).resolve("fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                String target = target(fd);
                if (target != null) {
                    targets.put(Integer.parseInt(fd.getFileName().toString()), target);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return targets;
    }

    /**
     * For each epoll instance process {@code pid} holds (by descriptor number), how many descriptors
     * are registered in it: its fdinfo lists one {@code tfd:} line per registration.
     */
    public static Map<Integer, Integer> epollRegistrations(long pid) {
        Map<Integer, Integer> counts = new TreeMap<>();
        fdTargets(pid).forEach((fd, target) -> {
            if (target.equals("anon_inode:[eventpoll]")) {
                try {
                    counts.put(fd, (int) Files.readAllLines(dir(pid).resolve("fdinfo").resolve(Integer.toString(fd)))
                            .stream().filter(line -> line.startsWith("tfd:")).count());
                } catch (IOException closedMeanwhile) {
                    // not an instance any more
                }
            }
        });
        return counts;
    }

    /**
     * The name the kernel lists for this process's Unix socket {@code fd} in {@code /proc/net/unix}:
     * its path, {@code @name} for an abstract one, "" when it has none.
     */
    public static String unixSocketName(int fd) {
        String target = fdTarget(fd);
        if (target == null || !target.startsWith("socket:[")) {
            throw new IllegalArgumentException("fd " + fd + " is not a socket: " + target);
        }
        String inode = target.substring("socket:[".length(), target.length() - 1);
        List<String> lines = List.of(read(Path.of("/proc/net/unix")).split("\n"));
        for (String line : lines.subList(1, lines.size())) {
            String[] fields = line.trim().split("\\s+");
            if (fields.length >= 7 && fields[6].equals(inode)) {
                return fields.length >= 8 ? fields[7] : "";
            }
        }
        throw new AssertionError("socket " + inode + " is not in /proc/net/unix");
    }

    /** What this process's descriptor {@code fd} refers to ({@code socket:[inode]}, {@code anon_inode:[eventfd]}...), or null when closed. */
    public static String fdTarget(int fd) {
        return target(Path.of("/proc/self/fd", Integer.toString(fd)));
    }

    private static String target(Path link) {
        try {
            return Files.readSymbolicLink(link).toString();
        } catch (IOException closedMeanwhile) {
            return null;
        }
    }

    /** The value of {@code field} (such as {@code flags} or {@code eventfd-count}) in this process's fdinfo of {@code fd}, or null. */
    public static String fdInfo(int fd, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/fdinfo", Integer.toString(fd)))) {
                if (line.startsWith(field + ":")) {
                    return line.substring(field.length() + 1).strip();
                }
            }
            return null;
        } catch (NoSuchFileException closed) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The file status flags ({@code O_NONBLOCK}, {@code O_CLOEXEC}...) of this process's descriptor {@code fd}. */
    public static int fdFlags(int fd) {
        String flags = fdInfo(fd, "flags");
        if (flags == null) {
            throw new AssertionError("no flags for fd " + fd + ": closed?");
        }
        return Integer.parseInt(flags, 8);
    }

    /**
     * The event mask the kernel holds for {@code fd} in this process's epoll instance {@code epfd}
     * (its fdinfo lists one {@code tfd:} line per registration), or -1 when {@code fd} is not in it.
     */
    public static int epollMask(int epfd, int fd) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/fdinfo", Integer.toString(epfd)))) {
                String[] fields = line.trim().split("\\s+");
                if (fields.length >= 4 && fields[0].equals("tfd:") && Integer.parseInt(fields[1]) == fd) {
                    return (int) Long.parseLong(fields[3], 16);
                }
            }
            return -1;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The counter of this process's eventfd {@code fd}, read without touching the descriptor. */
    public static long eventFdCount(int fd) {
        String count = fdInfo(fd, "eventfd-count");
        if (count == null) {
            throw new IllegalArgumentException("fd " + fd + " is not an eventfd");
        }
        return Long.parseLong(count, 16);
    }

    /** The sum of the counters of all this process's eventfds. */
    public static long eventFdCounts() {
        long sum = 0;
        for (int fd : openFdNumbers()) {
            String target = fdTarget(fd);
            String count = target != null && target.contains("eventfd") ? fdInfo(fd, "eventfd-count") : null;
            if (count != null) {
                sum += Long.parseLong(count, 16);
            }
        }
        return sum;
    }

    /** User plus system CPU time of process {@code pid}, all its threads, in clock ticks (1/100 s on Linux). */
    public static long cpuTicks(long pid) {
        String[] fields = statFields(read(dir(pid).resolve("stat")));
        // stat(5) fields 14 and 15 (utime, stime); the array starts at field 3, the state
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    /** CPU time of thread {@code tid} of process {@code pid}, in clock ticks. */
    public static long threadCpuTicks(long pid, long tid) {
        String[] fields = statFields(read(dir(pid).resolve("task").resolve(Long.toString(tid)).resolve("stat")));
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    /** The fields of a stat line after the command name (which may hold spaces and parentheses). */
    private static String[] statFields(String stat) {
        return stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
    }

    /** The resident set size of process {@code pid} in KiB ({@code VmRSS}). */
    public static long rssKib(long pid) {
        for (String line : read(dir(pid).resolve("status")).split("\n")) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        throw new AssertionError("no VmRSS for " + pid);
    }

    /** The threads of process {@code pid}: thread id to name ({@code comm}, at most 15 characters). */
    public static Map<Long, String> threads(long pid) {
        Map<Long, String> found = new TreeMap<>();
        try (Stream<Path> tasks = Files.list(dir(pid).resolve("task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    found.put(Long.parseLong(task.getFileName().toString()),
                            Files.readString(task.resolve("comm")).strip());
                } catch (NoSuchFileException gone) {
                    // the thread ended while listing
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return found;
    }

    /** The id of this process's thread named exactly {@code name}, if there is one. */
    public static OptionalInt threadNamed(String name) {
        return threads(SELF).entrySet().stream().filter(thread -> thread.getValue().equals(name))
                .mapToInt(thread -> thread.getKey().intValue()).findFirst();
    }

    /**
     * How many times this process's thread {@code tid} has given up the CPU because it blocked (slept in
     * a wait, took a lock held elsewhere): {@code voluntary_ctxt_switches} of its status.
     */
    public static long voluntaryContextSwitches(int tid) {
        for (String line : read(Path.of("/proc/self/task", Integer.toString(tid), "status")).split("\n")) {
            if (line.startsWith("voluntary_ctxt_switches:")) {
                return Long.parseLong(line.substring("voluntary_ctxt_switches:".length()).strip());
            }
        }
        throw new AssertionError("no voluntary_ctxt_switches for thread " + tid);
    }

    /**
     * The readiness calls ({@code "select"}, {@code "poll"}, {@code "epoll"}) that threads of process
     * {@code pid} are blocked in now, from each thread's {@code syscall} file: which backend a program
     * waits with, seen from outside. Knows the system call numbers of x86-64 and AArch64.
     */
    public static Set<String> blockedReadinessCalls(long pid) {
        Map<Integer, String> calls = switch (System.getProperty("os.arch")) {
            case "amd64", "x86_64" -> Map.of(23, "select", 270, "select", 7, "poll", 271, "poll",
                    232, "epoll", 281, "epoll", 441, "epoll");
            case "aarch64" -> Map.of(72, "select", 73, "poll", 22, "epoll", 441, "epoll");
            default -> throw new IllegalStateException("no system call numbers for " + System.getProperty("os.arch"));
        };
        Set<String> found = new TreeSet<>();
        for (long tid : threads(pid).keySet()) {
            try {
                String syscall = Files.readString(dir(pid).resolve("task").resolve(Long.toString(tid)).resolve("syscall"));
                String first = syscall.strip().split(" ")[0];
                if (first.matches("\\d+") && calls.containsKey(Integer.parseInt(first))) {
                    found.add(calls.get(Integer.parseInt(first)));
                }
            } catch (IOException endedMeanwhile) {
                // the thread is gone
            }
        }
        return found;
    }

    /** The scheduler state of this process's thread {@code tid}: 'S' while it sleeps in a wait, 'X' once gone. */
    public static char threadState(int tid) {
        try {
            String stat = Files.readString(Path.of("/proc/self/task", Integer.toString(tid), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2);
        } catch (NoSuchFileException | AccessDeniedException exited) {
            return 'X';
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The kernel function this process's thread {@code tid} sleeps in (its wchan), or "" once gone. */
    public static String waitChannel(int tid) {
        try {
            return Files.readString(Path.of("/proc/self/task", Integer.toString(tid), "wchan"));
        } catch (NoSuchFileException | AccessDeniedException exited) {
            return "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The local addresses (hex, as the kernel writes them: {@code 0100007F} for 127.0.0.1) of the
     * listening TCP sockets on {@code port} in {@code table} ({@code /proc/net/tcp} or {@code tcp6}).
     */
    public static List<String> tcpListeners(String table, int port) {
        String portHex = String.format(Locale.ROOT, "%04X", port);
        List<String> addresses = new ArrayList<>();
        if (!Files.exists(Path.of(table))) {
            return addresses; // no IPv6 in this kernel: no tcp6 table, no IPv6 listener
        }
        List<String> lines = List.of(read(Path.of(table)).split("\n"));
        for (String line : lines.subList(1, lines.size())) {
            String[] fields = line.trim().split("\\s+");
            String[] local = fields[1].split(":");
            if (local[1].equals(portHex) && fields[3].equals(TCP_LISTEN)) {
                addresses.add(local[0]);
            }
        }
        return addresses;
    }

    /**
     * This process's descriptor for the TCP socket (IPv4 or IPv6) whose local port is {@code localPort}
     * and remote port {@code remotePort} (0 for a listener), found through the kernel's socket tables:
     * a way to reach a socket that a library keeps to itself.
     */
    public static OptionalInt tcpSocketFd(int localPort, int remotePort) {
        String local = String.format(Locale.ROOT, ":%04X", localPort);
        String remote = String.format(Locale.ROOT, ":%04X", remotePort);
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            if (!Files.exists(Path.of(table))) {
                continue;
            }
            List<String> lines = List.of(read(Path.of(table)).split("\n"));
            for (String line : lines.subList(1, lines.size())) {
                String[] fields = line.trim().split("\\s+");
                if (fields[1].endsWith(local) && fields[2].endsWith(remote)) {
                    String socket = "socket:[" + fields[9] + "]";
                    for (int fd : openFdNumbers()) {
                        if (socket.equals(fdTarget(fd))) {
                            return OptionalInt.of(fd);
                        }
                    }
                }
            }
        }
        return OptionalInt.empty();
    }

    /** The bytes the kernel holds for a TCP socket: sent and not yet acknowledged, received and not yet read. */
    public record TcpQueues(long send, long receive) {}

    /**
     * The kernel's queues of the TCP socket (IPv4 or IPv6, of any process) whose local port is
     * {@code localPort} and remote port {@code remotePort}, from the {@code tx_queue:rx_queue} column of
     * the socket tables.
     */
    public static TcpQueues tcpQueues(int localPort, int remotePort) {
        String local = String.format(Locale.ROOT, ":%04X", localPort);
        String remote = String.format(Locale.ROOT, ":%04X", remotePort);
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            if (!Files.exists(Path.of(table))) {
                continue;
            }
            List<String> lines = List.of(read(Path.of(table)).split("\n"));
            for (String line : lines.subList(1, lines.size())) {
                String[] fields = line.trim().split("\\s+");
                if (fields[1].endsWith(local) && fields[2].endsWith(remote)) {
                    String[] queues = fields[4].split(":");
                    return new TcpQueues(Long.parseLong(queues[0], 16), Long.parseLong(queues[1], 16));
                }
            }
        }
        throw new AssertionError("no TCP socket from port " + localPort + " to port " + remotePort);
    }

    /**
     * What on the host, beyond any one program, delays packets: how often and how long (ms) TCP has been
     * under memory pressure ({@code TCPMemoryPressures}, {@code TCPMemoryPressuresChrono} of
     * {@code /proc/net/netstat}), the pages TCP uses now ({@code /proc/net/sockstat}) against where
     * pressure begins ({@code tcp_mem}), and the packets dropped because a CPU's input backlog was
     * full ({@code /proc/net/softnet_stat}, shared by every network namespace on the host). Either way a
     * dropped packet costs its connection a retransmission, 200 ms or more.
     */
    public record HostNetwork(long pressures, long pressureMillis, long tcpPages, long pressureThreshold,
            long backlogDrops) {
        /** Whether, since {@code before}, the host dropped packets or was under TCP memory pressure (or is now). */
        public boolean troubledSince(HostNetwork before) {
            return pressures > before.pressures || pressureMillis > before.pressureMillis
                    || tcpPages >= pressureThreshold || backlogDrops > before.backlogDrops;
        }
    }

    /** The host's network state now (see {@link HostNetwork}). */
    public static HostNetwork hostNetwork() {
        List<String> netstat = List.of(read(Path.of("/proc/net/netstat")).split("\n"));
        long pressures = 0;
        long millis = 0;
        for (int i = 0; i + 1 < netstat.size(); i += 2) {
            if (netstat.get(i).startsWith("TcpExt:")) {
                List<String> names = List.of(netstat.get(i).split(" "));
                String[] values = netstat.get(i + 1).split(" ");
                pressures = Long.parseLong(values[names.indexOf("TCPMemoryPressures")]);
                millis = Long.parseLong(values[names.indexOf("TCPMemoryPressuresChrono")]);
            }
        }
        long pages = 0;
        for (String line : read(Path.of("/proc/net/sockstat")).split("\n")) {
            if (line.startsWith("TCP:")) {
                List<String> fields = List.of(line.split(" "));
                pages = Long.parseLong(fields.get(fields.indexOf("mem") + 1));
            }
        }
        long threshold = Long.parseLong(read(Path.of("/proc/sys/net/ipv4/tcp_mem")).trim().split("\\s+")[1]);
        long drops = 0;
        for (String cpu : read(Path.of("/proc/net/softnet_stat")).split("\n")) {
            drops += Long.parseLong(cpu.trim().split("\\s+")[1], 16); // the second column: dropped
        }
        return new HostNetwork(pressures, millis, pages, threshold, drops);
    }

    /** The whole file, read in large pieces: a sysctl file read a byte at a time gives its first byte alone. */
    private static String read(Path path) {
        try (InputStream in = Files.newInputStream(path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
