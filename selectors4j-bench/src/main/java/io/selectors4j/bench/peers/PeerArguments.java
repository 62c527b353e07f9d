package io.selectors4j.bench.peers;

/**
 * The command line every peer echo server takes: {@code PORT [THREADS]}. It binds 127.0.0.1.
 *
 * @param port    the port to listen on
 * @param threads event loops (or carrier threads) to use
 */
record PeerArguments(int port, int threads) {
    /** Exit code of a peer that cannot run on this machine (a transport missing): the runner skips it. */
    static final int UNAVAILABLE = 3;

    static PeerArguments parse(String name, String[] args, int first) {
        try {
            if (args.length - first < 1 || args.length - first > 2) {
                throw new IllegalArgumentException("wrong number of arguments");
            }
            int port = Integer.parseInt(args[first]);
            int threads = args.length - first == 2 ? Integer.parseInt(args[first + 1]) : 1;
            if (port < 1 || port > 65535 || threads < 1) {
                throw new IllegalArgumentException("out of range");
            }
            return new PeerArguments(port, threads);
        } catch (IllegalArgumentException e) {
            System.err.println("usage: " + name + " PORT [THREADS]");
            System.exit(1);
            throw e;
        }
    }

    /** Tells the runner the server is up. */
    void announce() {
        System.out.println("listening on port " + port);
        System.out.flush();
    }
}
