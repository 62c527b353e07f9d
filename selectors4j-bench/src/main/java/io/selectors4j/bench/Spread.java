package io.selectors4j.bench;

/** Which of a fixture's sockets are made readable: {@code ready} indices spread evenly over all. */
final class Spread {
    private Spread() {
    }

    /**
     * Checks a fixture's size: an even number of sockets (they come in pairs), at least two, and no
     * more ready than there are sockets.
     */
    static void check(int sockets, int ready) {
        if (sockets < 2 || sockets % 2 != 0) {
            throw new IllegalArgumentException("sockets come in pairs: need an even number of at least 2, got "
                    + sockets);
        }
        if (ready < 0 || ready > sockets) {
            throw new IllegalArgumentException("cannot make " + ready + " of " + sockets + " sockets ready");
        }
    }

    /** {@code ready} distinct indices below {@code sockets}, evenly apart. */
    static int[] indices(int sockets, int ready) {
        int[] indices = new int[ready];
        for (int i = 0; i < ready; i++) {
            indices[i] = (int) ((long) i * sockets / ready);
        }
        return indices;
    }
}
