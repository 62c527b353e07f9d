package io.selectors4j.selectors;

import io.selectors4j.Selectable;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * The live, read-only view of {@link Selector#getMap()}: iteration yields descriptor numbers in
 * ascending order, and lookups take a descriptor number ({@code Integer}) or a {@link Selectable}.
 * It is empty once the selector is closed; every change through it throws
 * {@link UnsupportedOperationException}.
 */
final class SelectorMap extends AbstractMap<Integer, SelectorKey> {
    private final Selector selector;
    private final Set<Entry<Integer, SelectorKey>> entries = new Entries();

    SelectorMap(Selector selector) {
        this.selector = selector;
    }

    @Override
    public SelectorKey get(Object key) {
        if (key instanceof Integer fd) {
            return selector.table().get(fd);
        }
        if (key instanceof Selectable fileobj) {
            return selector.lookup(fileobj);
        }
        return null;
    }

    @Override
    public boolean containsKey(Object key) {
        return get(key) != null;
    }

    @Override
    public int size() {
        return selector.table().size();
    }

    @Override
    public Set<Entry<Integer, SelectorKey>> entrySet() {
        return entries;
    }

    private final class Entries extends AbstractSet<Entry<Integer, SelectorKey>> {
        @Override
        public int size() {
            return SelectorMap.this.size();
        }

        @Override
        public Iterator<Entry<Integer, SelectorKey>> iterator() {
            return new Iterator<>() {
                private int next = advance(0);

                private int advance(int from) {
                    KeyTable table = selector.table();
                    int fd = from;
                    while (fd < table.capacity() && table.get(fd) == null) {
                        fd++;
                    }
                    return fd;
                }

                @Override
                public boolean hasNext() {
                    return selector.table().get(next) != null || (next = advance(next)) < selector.table().capacity();
                }

                @Override
                public Entry<Integer, SelectorKey> next() {
                    if (!hasNext()) {
                        throw new NoSuchElementException();
                    }
                    SelectorKey key = selector.table().get(next);
                    next = advance(next + 1);
                    return Map.entry(key.fd(), key);
                }
            };
        }
    }
}
