package io.selectors4j.select;

import java.util.Arrays;

/**
 * Registrations as dense parallel arrays of descriptors and masks, with an open-addressing index from
 * descriptor to slot: no boxing, and every operation takes constant time (removal moves the last slot
 * into the hole).
 */
final class FdSlots {
    private static final int FREE = -1;

    private int[] fds = new int[8];
    private int[] masks = new int[8];
    private int size;
    private int[] index = newIndex(16);

    /** The number of registrations. */
    int size() {
        return size;
    }

    int fd(int slot) {
        return fds[slot];
    }

    int mask(int slot) {
        return masks[slot];
    }

    /** The slot of {@code fd}, or -1. */
    int slotOf(int fd) {
        int i = find(fd);
        return index[i];
    }

    /** Sets the mask of {@code fd}, adding it when new. */
    void put(int fd, int mask) {
        int i = find(fd);
        if (index[i] != FREE) {
            masks[index[i]] = mask;
            return;
        }
        if (size == fds.length) {
            fds = Arrays.copyOf(fds, size * 2);
            masks = Arrays.copyOf(masks, size * 2);
        }
        fds[size] = fd;
        masks[size] = mask;
        index[i] = size++;
        if (size * 2 > index.length) {
            rehash(index.length * 2);
        }
    }

    /**
     * Removes {@code fd}, moving the last slot into the hole; returns whether it was there. Constant
     * time: only the index entries of {@code fd} and of the moved descriptor change.
     */
    boolean remove(int fd) {
        int position = find(fd);
        int slot = index[position];
        if (slot == FREE) {
            return false;
        }
        int last = size - 1;
        if (slot != last) {
            index[find(fds[last])] = slot;
            fds[slot] = fds[last];
            masks[slot] = masks[last];
        }
        size = last;
        vacate(position);
        return true;
    }

    private int find(int fd) {
        int mask = index.length - 1;
        int i = mix(fd) & mask;
        while (index[i] != FREE && fds[index[i]] != fd) {
            i = (i + 1) & mask;
        }
        return i;
    }

    /**
     * Frees index position {@code hole} and shifts later entries of its probe run back into it, so
     * every remaining descriptor is still found from its home position (no tombstones).
     */
    private void vacate(int hole) {
        int mask = index.length - 1;
        int i = hole;
        while (true) {
            i = (i + 1) & mask;
            if (index[i] == FREE) {
                break;
            }
            int home = mix(fds[index[i]]) & mask;
            boolean reachableWithoutHole = hole <= i ? hole < home && home <= i : hole < home || home <= i;
            if (!reachableWithoutHole) {
                index[hole] = index[i];
                hole = i;
            }
        }
        index[hole] = FREE;
    }

    private void rehash(int capacity) {
        index = newIndex(capacity);
        for (int slot = 0; slot < size; slot++) {
            index[find(fds[slot])] = slot;
        }
    }

    private static int[] newIndex(int capacity) {
        int[] table = new int[capacity];
        Arrays.fill(table, FREE);
        return table;
    }

    private static int mix(int fd) {
        int h = fd * 0x9E3779B9;
        return h ^ (h >>> 16);
    }
}
