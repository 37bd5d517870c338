package dev.panic.detection;

import static dev.panic.testing.Trajectories.firstFiring;
import static dev.panic.testing.Trajectories.of;
import static dev.panic.testing.Trajectories.predictions;
import static dev.panic.testing.Trajectories.random;
import static dev.panic.testing.Trajectories.turn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.panic.Embedding;
import dev.panic.Prediction;
import dev.panic.StopReason;
import dev.panic.StopRule;
import dev.panic.exception.ValidationException;
import dev.panic.testing.Trajectories;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The detectors on constructed trajectories whose answers are known. */
class DetectorsTest {

    private static final StopRule FIXED_POINT = Detectors.fixedPoint().build();
    private static final StopRule CYCLE = Detectors.cycle().build();
    private static final StopRule DRIFT = Detectors.drift().build();

    @Test
    void should_report_a_fixed_point_where_it_began() {
        // given: 7 unrelated outputs, then outputs all within 0.99 of one point (pairwise about 0.98)
        Random r = new Random(1);
        float[] point = random(r);
        List<Prediction> run = predictions(1, "e", of(40, n -> n < 7 ? random(r) : turn(point, 0.99, r)));

        // when
        StopReason reason = firstFiring(FIXED_POINT, 1, run).orElseThrow();

        // then: three similar steps (8, 9, 10) confirm it
        assertThat(reason.rule()).isEqualTo("fixed-point");
        assertThat(reason.patternStart()).hasValue(7);
        assertThat(reason.sequence()).hasValue(10);
        assertThat(reason.period()).hasValue(1);
        assertThat(reason.similarity().orElseThrow()).isBetween(0.95, 1.0);
        assertThat(reason.message()).contains("outputs 7 to 10", "fixed point");
    }

    @Test
    void should_follow_the_window_and_threshold_it_is_given() {
        // given: the same kind of fixed point from step 7, pairwise similarity about 0.96
        Random r = new Random(2);
        float[] point = random(r);
        List<Prediction> run = predictions(1, "e", of(40, n -> n < 7 ? random(r) : turn(point, 0.98, r)));

        // when
        Optional<StopReason> longWindow = firstFiring(Detectors.fixedPoint().window(5).build(), 1, run);
        Optional<StopReason> strict = firstFiring(Detectors.fixedPoint().threshold(0.99).build(), 1, run);

        // then
        assertThat(longWindow).hasValueSatisfying(reason -> {
            assertThat(reason.patternStart()).hasValue(7);
            assertThat(reason.sequence()).hasValue(12);
        });
        assertThat(strict).isEmpty();
    }

    @Test
    void should_report_a_cycle_with_its_period_and_start() {
        // given: 5 unrelated outputs, then A B C A B C ... each within 0.99 of its phase
        Random r = new Random(3);
        float[][] phases = {random(r), random(r), random(r)};
        List<Prediction> run = predictions(1, "e", of(40, n -> n < 5 ? random(r) : turn(phases[(n - 5) % 3], 0.99, r)));

        // when
        StopReason reason = firstFiring(CYCLE, 1, run).orElseThrow();

        // then: outputs 8, 9, 10 each match the one 3 before
        assertThat(reason.rule()).isEqualTo("cycle");
        assertThat(reason.period()).hasValue(3);
        assertThat(reason.patternStart()).hasValue(5);
        assertThat(reason.sequence()).hasValue(10);
        assertThat(reason.similarity().orElseThrow()).isGreaterThanOrEqualTo(0.95);
        assertThat(firstFiring(FIXED_POINT, 1, run)).isEmpty();
    }

    @Test
    void should_report_the_smallest_period_of_a_cycle() {
        // given: a period-2 cycle, which also repeats every 4, 6 and 8 outputs
        Random r = new Random(4);
        float[][] phases = {random(r), random(r)};
        List<Prediction> run = predictions(1, "e", of(40, n -> turn(phases[n % 2], 0.995, r)));

        // when
        StopReason reason = firstFiring(CYCLE, 1, run).orElseThrow();

        // then
        assertThat(reason.period()).hasValue(2);
        assertThat(reason.patternStart()).hasValue(0);
    }

    @Test
    void should_confirm_a_long_cycle_only_once_every_phase_has_come_back() {
        // given: a period-5 cycle from the start
        Random r = new Random(5);
        float[][] phases = {random(r), random(r), random(r), random(r), random(r)};
        List<Prediction> run = predictions(1, "e", of(40, n -> turn(phases[n % 5], 0.995, r)));

        // when
        StopReason reason = firstFiring(CYCLE, 1, run).orElseThrow();

        // then: max(3, 5) = 5 matches, at outputs 5 to 9
        assertThat(reason.period()).hasValue(5);
        assertThat(reason.sequence()).hasValue(9);
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.999, 0.99, 0.975})
    void should_not_take_a_fixed_point_for_a_cycle(double closeness) {
        // given: a fixed point with noise, down to pairwise similarities about 0.95 (around the threshold)
        Random r = new Random(6);
        float[] point = random(r);
        List<Prediction> run = predictions(1, "e", of(200, n -> turn(point, closeness, r)));

        // when
        Optional<StopReason> cycle = firstFiring(CYCLE, 1, run);

        // then
        assertThat(cycle).isEmpty();
    }

    @Test
    void should_find_a_slow_drift_that_the_fixed_point_detector_does_not_take_for_a_fixed_point() {
        // given: every step 0.97 similar to the one before (above the fixed-point threshold), wandering away
        Random r = new Random(7);
        List<float[]> vectors = new ArrayList<>();
        vectors.add(random(r));
        for (int n = 1; n < 80; n++) {
            vectors.add(turn(vectors.get(n - 1), 0.97, r));
        }
        List<Prediction> run = predictions(1, "e", vectors);

        // when
        Optional<StopReason> drift = firstFiring(DRIFT, 1, run);
        Optional<StopReason> fixedPoint = firstFiring(FIXED_POINT, 1, run);
        Optional<StopReason> cycle = firstFiring(CYCLE, 1, run);

        // then
        assertThat(drift).hasValueSatisfying(reason -> {
            assertThat(reason.rule()).isEqualTo("drift");
            assertThat(reason.similarity().orElseThrow()).isLessThan(0.5);
            assertThat(reason.patternStart()).hasValue(0);
            assertThat(reason.period()).hasValue(1);
            assertThat(reason.message()).contains("drift away from output 0");
        });
        assertThat(fixedPoint).isEmpty();
        assertThat(cycle).isEmpty();
    }

    @Test
    void should_find_a_drift_whose_steps_are_noisy_but_small_on_average() {
        // given: steps drawn between 0.75 and 0.95 (about 0.85 on average, often below 0.8), as a
        // caption loop that changes one word at a time measures with a sentence model
        Random r = new Random(9);
        List<float[]> vectors = new ArrayList<>();
        vectors.add(random(r));
        for (int n = 1; n < 80; n++) {
            vectors.add(turn(vectors.get(n - 1), 0.75 + 0.2 * r.nextDouble(), r));
        }

        // when
        Optional<StopReason> drift = firstFiring(DRIFT, 1, predictions(1, "e", vectors));

        // then
        assertThat(drift).hasValueSatisfying(reason -> assertThat(reason.similarity().orElseThrow()).isLessThan(0.5));
    }

    @Test
    void should_not_take_a_jump_between_two_places_for_a_drift() {
        // given: a fixed point, one jump far away, and a fixed point there: small steps on average,
        // but one step is no small step
        Random r = new Random(10);
        float[] here = random(r);
        float[] there = turn(here, 0.1, r);
        List<Prediction> run = predictions(1, "e", of(60, n -> turn(n < 30 ? here : there, 0.99, r)));

        // when / then
        assertThat(firstFiring(DRIFT, 1, run)).isEmpty();
    }

    @Test
    void should_not_call_a_fixed_point_far_from_the_origin_a_drift() {
        // given: a quick move away from the origin, then a fixed point far from it
        Random r = new Random(8);
        float[] origin = random(r);
        float[] far = turn(origin, 0.2, r);
        List<Prediction> run = predictions(1, "e", of(60, n -> n == 0 ? origin : turn(far, 0.995, r)));

        // when
        Optional<StopReason> drift = firstFiring(DRIFT, 1, run);

        // then
        assertThat(drift).isEmpty();
        assertThat(firstFiring(FIXED_POINT, 1, run)).isPresent();
    }

    @ParameterizedTest
    @ValueSource(longs = {11, 12, 13, 14, 15, 16, 17, 18})
    void should_raise_no_alarm_on_outputs_without_a_pattern(long seed) {
        // given: unrelated outputs; outputs on one topic (pairwise about 0.64); close variants (about
        // 0.81); and, after a first output, variants (about 0.86) of a point far from it, which keeps the
        // drift detector's step and origin conditions true at every step
        Random r = new Random(seed);
        float[] topic = random(r);
        float[] far = turn(topic, 0.2, r);
        List<List<Prediction>> runs = List.of(
                predictions(1, "e", of(300, n -> random(r))),
                predictions(1, "e", of(300, n -> turn(topic, 0.8, r))),
                predictions(1, "e", of(300, n -> turn(topic, 0.9, r))),
                predictions(3, "e", of(300, n -> turn(topic, 0.9, r))),
                predictions(1, "e", of(2000, n -> n == 0 ? topic : turn(far, 0.93, r))));

        // when / then
        for (List<Prediction> run : runs) {
            int size = run.get(1).modelId().name().equals("m1") ? 3 : 1;
            for (StopRule rule : Detectors.defaults()) {
                assertThat(firstFiring(rule, size, run)).as("%s on seed %d", rule, seed).isEmpty();
            }
        }
    }

    @Test
    void should_compare_only_outputs_of_the_same_model_in_a_two_model_network() {
        // given: a painter/describer-like network; the images (even outputs) settle on one picture,
        // the texts (odd outputs) are all different; a single CLIP-like embedder embeds both, and
        // each text's vector is the vector of the image just before it
        Random r = new Random(9);
        float[] picture = random(r);
        List<float[]> images = of(20, n -> turn(picture, 0.995, r));
        List<Prediction> run = new ArrayList<>();
        for (int n = 0; n < 20; n++) {
            float[] v = n % 2 == 0 ? images.get(n) : images.get(n - 1);
            run.add(Trajectories.prediction(n, 2, Map.of("clip", Embedding.of(v)), "o" + n));
        }
        List<Prediction> texts = new ArrayList<>();
        for (int n = 0; n < 20; n++) {
            float[] v = n % 2 == 0 ? images.get(n) : random(r);
            texts.add(Trajectories.prediction(n, 2, Map.of("clip", Embedding.of(v)), "o" + n));
        }

        // when
        StopReason reason = firstFiring(FIXED_POINT, 2, texts).orElseThrow();

        // then: the images' fixed point is found one lap at a time (outputs 0, 2, 4, 6), with period 2
        assertThat(reason.patternStart()).hasValue(0);
        assertThat(reason.sequence()).hasValue(6);
        assertThat(reason.period()).hasValue(2);
        // and in the first run, the texts' vectors equal the images before them, yet texts are only
        // compared with texts: both series settle, the first at output 6 (an image)
        assertThat(firstFiring(FIXED_POINT, 2, run)).hasValueSatisfying(x -> assertThat(x.sequence()).hasValue(6));
        assertThat(firstFiring(CYCLE, 2, texts)).isEmpty();
    }

    @Test
    void should_look_only_at_the_embedder_it_is_given() {
        // given: a fixed point in the vectors of "a"; noise in those of "b"
        Random r = new Random(10);
        float[] point = random(r);
        List<Prediction> run = new ArrayList<>();
        for (int n = 0; n < 20; n++) {
            run.add(Trajectories.prediction(n, 1, Map.of("a", Embedding.of(turn(point, 0.995, r)),
                    "b", Embedding.of(random(r))), "o" + n));
        }

        // when / then
        assertThat(firstFiring(Detectors.fixedPoint().embedder("b").build(), 1, run)).isEmpty();
        assertThat(firstFiring(Detectors.fixedPoint().embedder("a").build(), 1, run)).isPresent();
        assertThat(firstFiring(FIXED_POINT, 1, run)).hasValueSatisfying(x -> assertThat(x.message()).contains("a vectors"));
    }

    @Test
    void should_take_a_missing_vector_as_a_break_in_the_pattern() {
        // given: a fixed point from step 0, but output 2 has no vector (its embedder failed)
        Random r = new Random(11);
        float[] point = random(r);
        List<Prediction> run = new ArrayList<>();
        for (int n = 0; n < 12; n++) {
            Map<String, Embedding> e = n == 2 ? Map.of() : Map.of("e", Embedding.of(turn(point, 0.995, r)));
            run.add(Trajectories.prediction(n, 1, e, "o" + n));
        }

        // when
        StopReason reason = firstFiring(FIXED_POINT, 1, run).orElseThrow();

        // then: the streak starts again after the gap, at output 3
        assertThat(reason.patternStart()).hasValue(3);
        assertThat(reason.sequence()).hasValue(6);
    }

    @Test
    void should_find_texts_that_repeat_once_normalised_but_not_exactly() {
        // given
        List<Prediction> run = List.of(
                Trajectories.prediction(0, 1, Map.of(), "A red circle, on blue."),
                Trajectories.prediction(1, 1, Map.of(), "a  red circle on BLUE"),
                Trajectories.prediction(2, 1, Map.of(), "something else"));

        // when
        Optional<StopReason> normalised = firstFiring(Detectors.normalisedRepeat(), 1, run);
        Optional<StopReason> exact = firstFiring(Detectors.exactRepeat(), 1, run);

        // then
        assertThat(normalised).hasValueSatisfying(reason -> {
            assertThat(reason.rule()).isEqualTo("normalised-repeat");
            assertThat(reason.patternStart()).hasValue(0);
            assertThat(reason.sequence()).hasValue(1);
            assertThat(reason.period()).hasValue(1);
        });
        assertThat(exact).isEmpty();
    }

    @Test
    void should_say_which_rules_need_vectors() {
        // given / when / then: embedding detectors wait for vectors, the others need none
        assertThat(Detectors.defaults()).extracting(StopRule::name)
                .containsExactly("fixed-point", "cycle", "drift", "exact-repeat", "normalised-repeat");
        assertThat(Detectors.defaults()).extracting(StopRule::needsEmbeddings)
                .containsExactly(true, true, true, false, false);
        assertThat(StopRule.maxSteps(3).needsEmbeddings()).isFalse();
        assertThat(StopRule.of("custom", n -> (p, e) -> Optional.empty()).needsEmbeddings()).isTrue();
        assertThat(Detectors.fixedPoint().threshold(0.9).window(4).embedder("minilm").build())
                .hasToString("fixed-point(threshold=0.9, window=4, embedder=minilm)");
    }

    @Test
    void should_refuse_settings_that_mean_nothing() {
        // given / when / then
        assertThatThrownBy(() -> Detectors.fixedPoint().threshold(1.5)).isInstanceOf(ValidationException.class)
                .hasMessageContaining("between -1 and 1");
        assertThatThrownBy(() -> Detectors.fixedPoint().threshold(Double.NaN)).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> Detectors.fixedPoint().window(0)).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> Detectors.cycle().maxPeriod(1)).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> Detectors.drift().window(1)).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> Detectors.drift().minDrop(-0.1)).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> Detectors.cycle().embedder(" ")).isInstanceOf(ValidationException.class);
    }
}
