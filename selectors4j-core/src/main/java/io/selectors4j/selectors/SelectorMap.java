package io.selectors4j.selectors;

import io.selectors4j.Selectable;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The live, read-only view of {@link Selector#getMap()}: iteration yields descriptor numbers in
 * ascending order, and lookups take a descriptor number ({@code Integer}) or a {@link Selectable}.
 * It is empty once the selector is closed; every change through it, its key, value and entry views
 * and their iterators throws {@link UnsupportedOperationException}, whether or not the key is present.
 */
final class SelectorMap extends AbstractMap<Integer, SelectorKey> {
    private final Selector selector;
    private final Set<Entry<Integer, SelectorKey>> entries = Collections.unmodifiableSet(new Entries());
    private final Set<Integer> keys = Collections.unmodifiableSet(super.keySet());
    private final Collection<SelectorKey> values = Collections.unmodifiableCollection(super.values());

    SelectorMap(Selector selector) {
        this.selector = selector;
    }

    @Override
    public Set<Integer> keySet() {
        return keys;
    }

    @Override
    public Collection<SelectorKey> values() {
        return values;
    }

    @Override
    public SelectorKey put(Integer key, SelectorKey value) {
        throw readOnly();
    }

    @Override
    public void putAll(Map<? extends Integer, ? extends SelectorKey> map) {
        throw readOnly();
    }

    @Override
    public SelectorKey remove(Object key) {
        throw readOnly();
    }

    @Override
    public boolean remove(Object key, Object value) {
        throw readOnly();
    }

    @Override
    public void clear() {
        throw readOnly();
    }

    @Override
    public SelectorKey putIfAbsent(Integer key, SelectorKey value) {
        throw readOnly();
    }

    @Override
    public boolean replace(Integer key, SelectorKey oldValue, SelectorKey newValue) {
        throw readOnly();
    }

    @Override
    public SelectorKey replace(Integer key, SelectorKey value) {
        throw readOnly();
    }

    @Override
    public void replaceAll(BiFunction<? super Integer, ? super SelectorKey, ? extends SelectorKey> function) {
        throw readOnly();
    }

    @Override
    public SelectorKey computeIfAbsent(Integer key, Function<? super Integer, ? extends SelectorKey> function) {
        throw readOnly();
    }

    @Override
    public SelectorKey computeIfPresent(Integer key,
            BiFunction<? super Integer, ? super SelectorKey, ? extends SelectorKey> function) {
        throw readOnly();
    }

    @Override
    public SelectorKey compute(Integer key,
            BiFunction<? super Integer, ? super SelectorKey, ? extends SelectorKey> function) {
        throw readOnly();
    }

    @Override
    public SelectorKey merge(Integer key, SelectorKey value,
            BiFunction<? super SelectorKey, ? super SelectorKey, ? extends SelectorKey> function) {
        throw readOnly();
    }

    private static UnsupportedOperationException readOnly() {
        return new UnsupportedOperationException("the selector's map is read-only: use register, modify and unregister");
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
