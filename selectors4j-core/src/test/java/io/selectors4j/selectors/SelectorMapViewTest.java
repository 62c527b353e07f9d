package io.selectors4j.selectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.selectors4j.net.Socket;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** getMap() is read-only: no change gets through, whether the key is given as a number or as the object. */
@Timeout(20)
class SelectorMapViewTest extends TracksResources {

    @Test
    void everyMutatorThrowsAndTheRegistrationStays() throws IOException {
        Selector selector = track(Selector.open());
        Socket.Pair pair = pair();
        Socket sock = pair.first();
        SelectorKey key = selector.register(sock, Events.READ, "data");
        int fd = key.fd();
        Map<Integer, SelectorKey> map = selector.getMap();
        @SuppressWarnings({"unchecked", "rawtypes"})
        Map<Object, SelectorKey> raw = (Map) map;

        List<ThrowingCallable> changes = List.of(
                () -> raw.remove(sock),
                () -> raw.remove(sock, key),
                () -> map.remove(fd),
                () -> map.remove(fd, key),
                () -> map.put(fd, key),
                () -> map.put(99, key),
                () -> map.putAll(Map.of(99, key)),
                map::clear,
                () -> map.putIfAbsent(99, key),
                () -> map.compute(fd, (k, v) -> null),
                () -> map.computeIfAbsent(99, k -> key),
                () -> map.computeIfPresent(fd, (k, v) -> null),
                () -> map.merge(fd, key, (a, b) -> null),
                () -> map.replace(fd, key),
                () -> map.replace(fd, key, key),
                () -> map.replaceAll((k, v) -> v),
                () -> map.entrySet().remove(Map.entry(fd, key)),
                () -> map.entrySet().removeIf(e -> true),
                () -> map.entrySet().clear(),
                () -> map.entrySet().iterator().next().setValue(key),
                () -> removeFirst(map.entrySet().iterator()),
                () -> map.keySet().remove(fd),
                () -> map.keySet().removeIf(k -> true),
                () -> map.keySet().retainAll(List.of()),
                () -> removeFirst(map.keySet().iterator()),
                () -> map.values().remove(key),
                () -> map.values().removeIf(v -> true),
                () -> map.values().removeAll(List.of(key)),
                () -> removeFirst(map.values().iterator()));
        for (int i = 0; i < changes.size(); i++) {
            assertThatThrownBy(changes.get(i)).as("change #%d", i).isInstanceOf(UnsupportedOperationException.class);
            assertThat(selector.getKey(sock)).as("after change #%d", i).isSameAs(key);
        }
        assertThat(map).containsExactly(Map.entry(fd, key));
        assertThat(map.get(sock)).isSameAs(key);
        pair.second().send(new byte[] {1}, 0, 1);
        assertThat(selector.select(java.time.Duration.ofSeconds(5))).containsExactly(new ReadyKey(key, Events.READ));
    }

    private static void removeFirst(Iterator<?> iterator) {
        iterator.next();
        iterator.remove();
    }
}
