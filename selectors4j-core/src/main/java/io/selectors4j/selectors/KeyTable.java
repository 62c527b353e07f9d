package io.selectors4j.selectors;

import io.selectors4j.Selectable;
import io.selectors4j.sys.FdCheck;
import java.util.Arrays;

/**
 * The registrations of one selector, indexed by descriptor number in a plain array, so that finding a
 * ready key costs one array read. For keys whose object does not tell the selector when it closes (raw
 * descriptors), the file's identity at registration is kept, to notice a closed or reused number.
 * Each descriptor's generation changes whenever a key is added or removed there (not when it is
 * replaced by {@code modify}), so readiness collected before a callback re-registered the number can
 * be told apart from the new registration (and an epoll token, {@code generation << 32 | fd}, from a
 * registration the selector can no longer reach). Each descriptor also keeps its backend options and
 * the keys that {@code modify} replaced with the same data, one for each of the other two event sets,
 * so that a connection moving between READ, READ|WRITE and WRITE reuses its three keys instead of
 * allocating.
 */
final class KeyTable {
    private SelectorKey[] keys = new SelectorKey[64];
    private FdCheck.Identity[] identities = new FdCheck.Identity[64];
    private int[] generations = new int[64];
    private int[] options = new int[64];
    private SelectorKey[] previous = new SelectorKey[64];
    private SelectorKey[] previousToo = new SelectorKey[64];
    private int size;
    private int unwatchedCount;

    SelectorKey get(int fd) {
        return fd >= 0 && fd < keys.length ? keys[fd] : null;
    }

    /** A number that changes whenever a key is added at or removed from {@code fd}; 0 beyond the table. */
    int generation(int fd) {
        return fd >= 0 && fd < generations.length ? generations[fd] : 0;
    }

    /** The identity recorded for an unwatched key, or null for a key whose object reports its close. */
    FdCheck.Identity identity(int fd) {
        return identities[fd];
    }

    private void store(SelectorKey key) {
        int fd = key.fd();
        if (fd >= keys.length) {
            int length = Math.max(keys.length * 2, Integer.highestOneBit(fd) * 2);
            keys = Arrays.copyOf(keys, length);
            identities = Arrays.copyOf(identities, length);
            generations = Arrays.copyOf(generations, length);
            options = Arrays.copyOf(options, length);
            previous = Arrays.copyOf(previous, length);
            previousToo = Arrays.copyOf(previousToo, length);
        }
        if (keys[fd] == null) {
            size++;
            generations[fd]++;
        }
        keys[fd] = key;
    }

    /** Stores a new key with its backend {@link KeyOptions}. */
    void put(SelectorKey key, int keyOptions) {
        store(key);
        options[key.fd()] = keyOptions;
    }

    /** The {@link KeyOptions} of the key at {@code fd}. */
    int options(int fd) {
        return options[fd];
    }

    /**
     * Replaces the key at {@code current.fd()} by one with {@code events} and {@code data}: a key
     * replaced earlier at this descriptor when it has exactly these events and this very data, else a new
     * one. Replaced keys are remembered for the next changes when they have the same data (only keys
     * that can be handed back again are kept alive): at most two, one for each other event set.
     */
    SelectorKey replace(SelectorKey current, int events, Object data) {
        int fd = current.fd();
        SelectorKey first = previous[fd];
        SelectorKey second = previousToo[fd];
        SelectorKey changed = reusable(first, current, events, data) ? first
                : reusable(second, current, events, data) ? second
                : new SelectorKey(current.fileobj(), fd, events, data);
        if (current.data() == data) {
            SelectorKey third = first != changed && isThird(first, current, events, data) ? first
                    : second != changed && isThird(second, current, events, data) ? second : null;
            previous[fd] = current;
            previousToo[fd] = third;
        } else {
            previous[fd] = null;
            previousToo[fd] = null;
        }
        keys[fd] = changed;
        return changed;
    }

    private static boolean reusable(SelectorKey earlier, SelectorKey current, int events, Object data) {
        return earlier != null && earlier.events() == events && earlier.data() == data
                && earlier.fileobj() == current.fileobj();
    }

    /** Whether {@code earlier} is worth keeping beside {@code current}: same data, the third event set. */
    private static boolean isThird(SelectorKey earlier, SelectorKey current, int events, Object data) {
        return earlier != null && earlier.data() == data && earlier.fileobj() == current.fileobj()
                && earlier.events() != events && earlier.events() != current.events();
    }

    /** Stores a new key for a descriptor whose closing the selector is not told about. */
    void putUnwatched(SelectorKey key, int keyOptions, FdCheck.Identity identity) {
        put(key, keyOptions);
        identities[key.fd()] = identity;
        unwatchedCount++;
    }

    SelectorKey remove(int fd) {
        SelectorKey key = get(fd);
        if (key != null) {
            keys[fd] = null;
            previous[fd] = null;
            previousToo[fd] = null;
            options[fd] = 0;
            size--;
            generations[fd]++;
            if (identities[fd] != null) {
                identities[fd] = null;
                unwatchedCount--;
            }
        }
        return key;
    }

    /** The key whose object is {@code fileobj} itself, for objects that no longer know their fd. */
    SelectorKey findByObject(Selectable fileobj) {
        for (SelectorKey key : keys) {
            if (key != null && key.fileobj() == fileobj) {
                return key;
            }
        }
        return null;
    }

    int size() {
        return size;
    }

    int unwatchedCount() {
        return unwatchedCount;
    }

    /** One past the highest descriptor the table has room for; keys are at indices below it. */
    int capacity() {
        return keys.length;
    }

    void clear() {
        for (int fd = 0; fd < keys.length; fd++) {
            if (keys[fd] != null) {
                generations[fd]++;
            }
        }
        Arrays.fill(keys, null);
        Arrays.fill(previous, null);
        Arrays.fill(previousToo, null);
        Arrays.fill(options, 0);
        Arrays.fill(identities, null);
        size = 0;
        unwatchedCount = 0;
    }
}
