package io.selectors4j.sys;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A token keeps its three parts apart, and a slot's generations tell its completions apart. */
class CompletionTokenTest {

    @Test
    void theThreePartsComeBackUnchanged() {
        long token = CompletionToken.of(255, Integer.MAX_VALUE, CompletionToken.GENERATIONS - 1);
        assertThat(CompletionToken.operation(token)).isEqualTo(255);
        assertThat(CompletionToken.slot(token)).isEqualTo(Integer.MAX_VALUE);
        assertThat(CompletionToken.generation(token)).isEqualTo(CompletionToken.GENERATIONS - 1);
        long small = CompletionToken.of(1, 0, 0);
        assertThat(CompletionToken.operation(small)).isEqualTo(1);
        assertThat(CompletionToken.slot(small)).isZero();
        assertThat(CompletionToken.generation(small)).isZero();
    }

    @Test
    void theSameSlotInAnotherGenerationIsAnotherToken() {
        assertThat(CompletionToken.of(2, 7, 1)).isNotEqualTo(CompletionToken.of(2, 7, 2));
        assertThat(CompletionToken.of(2, 7, 1)).isNotEqualTo(CompletionToken.of(3, 7, 1));
    }

    @Test
    void generationsWrapAfterTwoToTheTwentyFour() {
        assertThat(CompletionToken.generation(CompletionToken.of(2, 7, CompletionToken.GENERATIONS + 5))).isEqualTo(5);
        assertThat(CompletionToken.slot(CompletionToken.of(2, 7, CompletionToken.GENERATIONS + 5))).isEqualTo(7);
    }
}
