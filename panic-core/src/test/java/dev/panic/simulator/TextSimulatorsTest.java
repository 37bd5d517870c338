package dev.panic.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.panic.Model;
import dev.panic.Payload;
import dev.panic.Prediction;
import dev.panic.Run;
import dev.panic.RunStatus;
import dev.panic.StopReason;
import dev.panic.simulator.internal.Opposites;
import dev.panic.simulator.internal.Words;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TextSimulatorsTest {

    @Test
    void should_swap_words_for_their_opposites_keeping_case_and_punctuation() {
        // given
        Payload input = Payload.text("Hot days, COLD nights; the light goes up... and Left stays.");

        // when
        String out = SimTesting.text(SimTesting.call("contrarian", input));

        // then
        assertThat(out).isEqualTo("Cold nights, HOT days; the dark goes down... and Right stays.");
    }

    @Test
    void should_give_the_text_back_when_contrarian_is_applied_twice() {
        // given
        String original = "A Big BLACK cat sat on the left, in the dark, before the summer.";

        // when
        String once = SimTesting.text(SimTesting.call("contrarian", Payload.text(original)));
        String twice = SimTesting.text(SimTesting.call("contrarian", Payload.text(once)));

        // then
        assertThat(once).isEqualTo("A Small WHITE cat sat off the right, out the light, after the winter.");
        assertThat(twice).isEqualTo(original);
    }

    @Test
    void should_pair_every_opposite_with_exactly_one_word() {
        Map<String, String> table = Opposites.table();
        assertThat(table).hasSizeGreaterThan(100);
        table.forEach((word, opposite) -> {
            assertThat(opposite).isNotEqualTo(word);
            assertThat(table.get(opposite)).as("opposite of %s", opposite).isEqualTo(word);
        });
    }

    @Test
    void should_fall_into_a_cycle_of_period_two_in_a_contrarian_loop() {
        // given
        Model contrarian = SimTesting.model("contrarian");

        // when
        Run run = SimTesting.loop(Payload.text("a hot summer day on the left"), 20, contrarian);

        // then
        assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
        StopReason reason = run.stopReason().orElseThrow();
        assertThat(reason.rule()).isEqualTo("exact-repeat");
        assertThat(reason.period()).hasValue(2);
        assertThat(reason.sequence()).hasValue(2);
        assertThat(SimTesting.text(run.predictions().get(1).output())).isEqualTo("a hot summer day on the left");
    }

    @Test
    void should_be_a_fixed_point_of_the_contrarian_when_no_word_has_an_opposite() {
        // when
        Run run = SimTesting.loop(Payload.text("a cat sat with a dog"), 20, SimTesting.model("contrarian"));

        // then
        assertThat(run.stopReason().orElseThrow().period()).hasValue(1);
        assertThat(run.stopReason().orElseThrow().sequence()).hasValue(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "a group of sheep grazing on lush grass",
        "A photograph of a dog playing in the snow.",
        "Once upon a time there was a little house by the sea",
        "hello",
        "",
    })
    void should_drift_without_repeating_for_two_hundred_steps(String prompt) {
        // given
        Model drifter = SimTesting.model("drifter");

        // when
        Run run = SimTesting.loop(Payload.text(prompt), 200, drifter);

        // then
        assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(run.stopReason().orElseThrow().rule()).isEqualTo("max-steps");
        List<String> texts = run.predictions().stream().map(Prediction::output).map(SimTesting::text).toList();
        assertThat(texts).hasSize(200).doesNotHaveDuplicates().doesNotContain(prompt);
        assertThat(words(texts.get(199))).as("far from the prompt by the end")
                .isNotEqualTo(words(texts.get(0)));
    }

    @Test
    void should_change_one_word_per_drift_step() {
        // given
        String text = "a group of sheep grazing on lush grass by the river";
        Set<String> seen = new HashSet<>();

        for (int step = 0; step < 100; step++) {
            // when
            String next = SimTesting.text(SimTesting.call("drifter", Payload.text(text)));

            // then
            List<String> before = words(text);
            List<String> after = words(next);
            assertThat(after).hasSameSizeAs(before);
            int changed = 0;
            for (int i = 0; i < before.size(); i++) {
                changed += before.get(i).equals(after.get(i)) ? 0 : 1;
            }
            assertThat(changed).as("step %d: %s -> %s", step, text, next).isEqualTo(1);
            assertThat(seen.add(next)).isTrue();
            text = next;
        }
        assertThat(text).startsWith("a ").contains(" of ").contains(" on ").contains(" by the ");
    }

    @Test
    void should_grow_a_short_prompt_one_word_at_a_time() {
        // when
        String one = SimTesting.text(SimTesting.call("drifter", Payload.text("Sea")));
        String two = SimTesting.text(SimTesting.call("drifter", Payload.text(one)));

        // then
        assertThat(one).startsWith("Sea ").satisfies(t -> assertThat(words(t)).hasSize(2));
        assertThat(words(two)).hasSize(3);
    }

    private static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = Words.WORD.matcher(text);
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }
}
