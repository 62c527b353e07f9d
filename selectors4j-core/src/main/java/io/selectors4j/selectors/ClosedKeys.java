package io.selectors4j.selectors;

import io.selectors4j.Selectable;
import java.util.Arrays;

/**
 * The keys that closing their own object removed, remembered for the few most recent objects so that
 * a later {@code unregister} of that object returns its key instead of failing (Python's unregister
 * never fails because the descriptor was closed). A fixed ring: the oldest entry gives way, and the
 * memory is bounded whatever the program does.
 */
final class ClosedKeys {
    private static final int CAPACITY = 64;

    private final Selectable[] objects = new Selectable[CAPACITY];
    private final SelectorKey[] keys = new SelectorKey[CAPACITY];
    private int next;

    /** Remembers that closing {@code object} removed {@code key}. */
    void remember(Selectable object, SelectorKey key) {
        objects[next] = object;
        keys[next] = key;
        next = (next + 1) % CAPACITY;
    }

    /** The key remembered for {@code object}, forgotten now; null when there is none. */
    SelectorKey take(Selectable object) {
        int i = indexOf(object);
        if (i < 0) {
            return null;
        }
        SelectorKey key = keys[i];
        objects[i] = null;
        keys[i] = null;
        return key;
    }

    void clear() {
        Arrays.fill(objects, null);
        Arrays.fill(keys, null);
    }

    private int indexOf(Selectable object) {
        if (object == null) {
            return -1;
        }
        for (int i = 0; i < CAPACITY; i++) {
            if (objects[i] == object) {
                return i;
            }
        }
        return -1;
    }
}
