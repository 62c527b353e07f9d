package io.selectors4j.select;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class FdSlotsTest {
    @Test
    void randomPutsAndRemovesAgreeWithAMap() {
        Random random = new Random(868);
        FdSlots slots = new FdSlots();
        Map<Integer, Integer> model = new HashMap<>();
        for (int step = 0; step < 200_000; step++) {
            int fd = random.nextInt(3_000);
            if (random.nextInt(3) == 0) {
                assertThat(slots.remove(fd)).as("remove %d at step %d", fd, step).isEqualTo(model.remove(fd) != null);
            } else {
                int mask = random.nextInt(0x10000);
                slots.put(fd, mask);
                model.put(fd, mask);
            }
            if (step % 10_000 == 0) {
                assertAgree(slots, model);
            }
        }
        assertAgree(slots, model);
    }

    @Test
    void descriptorsThatCollideStayFoundWhenOthersInTheirRunAreRemoved() {
        FdSlots slots = new FdSlots();
        for (int fd = 0; fd < 64; fd++) {
            slots.put(fd * 16, fd);
        }
        for (int fd = 0; fd < 64; fd += 2) {
            assertThat(slots.remove(fd * 16)).isTrue();
        }
        for (int fd = 0; fd < 64; fd++) {
            int slot = slots.slotOf(fd * 16);
            if (fd % 2 == 0) {
                assertThat(slot).isEqualTo(-1);
            } else {
                assertThat(slot).isNotNegative();
                assertThat(slots.mask(slot)).isEqualTo(fd);
            }
        }
        assertThat(slots.size()).isEqualTo(32);
    }

    private static void assertAgree(FdSlots slots, Map<Integer, Integer> model) {
        assertThat(slots.size()).isEqualTo(model.size());
        Map<Integer, Integer> dense = new HashMap<>();
        for (int slot = 0; slot < slots.size(); slot++) {
            dense.put(slots.fd(slot), slots.mask(slot));
            assertThat(slots.slotOf(slots.fd(slot))).isEqualTo(slot);
        }
        assertThat(dense).isEqualTo(model);
    }
}
