package dev.panic.analysis;

import static dev.panic.testing.Trajectories.random;
import static dev.panic.testing.Trajectories.turn;
import static org.assertj.core.api.Assertions.assertThat;

import dev.panic.Embedding;
import dev.panic.Payload;
import dev.panic.Prediction;
import dev.panic.testing.Trajectories;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

class AttractorsTest {

    /** A one-model run of {@code length} outputs, output n carrying {@code vector(n)} from embedder "e". */
    private static Trajectory run(String id, int length, IntFunction<float[]> vector) {
        List<Prediction> ps = new ArrayList<>();
        for (int n = 0; n < length; n++) {
            ps.add(Trajectories.prediction(id, n, 1, Map.of("e", Embedding.of(vector.apply(n))), id + " output " + n));
        }
        return new Trajectory(id, Trajectories.ids(1), ps);
    }

    @Test
    void should_group_runs_by_the_attractor_they_fell_into() {
        // given: three attractors; 5, 3 and 2 runs end near them after wandering; in the first two
        // groups one run ends exactly on the attractor, the others 0.97 from it
        Random r = new Random(1);
        float[][] centres = {random(r), random(r), random(r)};
        int[] group = {1, 0, 2, 0, 1, 0, 0, 2, 1, 0};
        List<Trajectory> runs = new ArrayList<>();
        for (int i = 0; i < group.length; i++) {
            float[] centre = centres[group[i]];
            boolean exact = i == 3 || i == 4;
            runs.add(run("run" + i, 12, n -> n < 6 ? random(r) : exact ? centre : turn(centre, 0.97, r)));
        }

        // when
        AttractorReport report = Attractors.defaults().find(runs);

        // then
        assertThat(report.embedderId()).isEqualTo("e");
        assertThat(report.skipped()).isEmpty();
        assertThat(report.attractors()).extracting(Attractor::size).containsExactly(5, 3, 2);
        assertThat(report.attractors().get(0).runIds()).containsExactly("run1", "run3", "run5", "run6", "run9");
        assertThat(report.attractors().get(1).runIds()).containsExactly("run0", "run4", "run8");
        assertThat(report.attractors().get(2).runIds()).containsExactly("run2", "run7");
        // the member nearest the centre represents a group (of two, both are equally near)
        assertThat(report.attractors().get(0).representativeRunId()).isEqualTo("run3");
        assertThat(report.attractors().get(1).representativeRunId()).isEqualTo("run4");
        assertThat(report.attractors().get(2).representativeRunId()).isIn("run2", "run7");
        Attractor first = report.attractors().get(0);
        assertThat(first.representativeSequence()).isEqualTo(11);
        assertThat(first.representativeOutput()).isEqualTo(Payload.text("run3 output 11"));
        assertThat(first.cohesion()).isBetween(0.95, 1.0);
    }

    @Test
    void should_put_runs_caught_in_one_cycle_together_whatever_phase_they_stopped_in() {
        // given: two runs in the same period-2 cycle, ending in opposite phases; one at a fixed point elsewhere
        Random r = new Random(2);
        float[] a = random(r);
        float[] b = random(r);
        float[] elsewhere = random(r);
        List<Trajectory> runs = List.of(
                run("even", 10, n -> n % 2 == 0 ? a : b),
                run("odd", 11, n -> n % 2 == 0 ? a : b),
                run("still", 10, n -> elsewhere));

        // when: the tail is a whole number of cycles
        AttractorReport report = Attractors.defaults().tail(4).find(runs);

        // then
        assertThat(report.attractors()).extracting(Attractor::runIds)
                .containsExactly(List.of("even", "odd"), List.of("still"));
        assertThat(report.attractors().get(1).cohesion()).isEqualTo(1.0, org.assertj.core.api.Assertions.within(1e-6));
    }

    @Test
    void should_keep_runs_apart_below_the_threshold_and_skip_runs_without_vectors() {
        // given: two runs ending 0.8 apart, and a run without vectors
        Random r = new Random(3);
        float[] x = random(r);
        float[] y = turn(x, 0.8, r);
        Trajectory bare = new Trajectory("bare", Trajectories.ids(1),
                List.of(Trajectories.prediction("bare", 0, 1, Map.of(), "no vector")));
        List<Trajectory> runs = List.of(run("x", 5, n -> x), run("y", 5, n -> y), bare);

        // when
        AttractorReport strict = Attractors.defaults().find(runs);
        AttractorReport loose = Attractors.defaults().threshold(0.75).find(runs);

        // then
        assertThat(strict.attractors()).hasSize(2);
        assertThat(strict.skipped()).containsExactly("bare");
        assertThat(loose.attractors()).singleElement().satisfies(att -> assertThat(att.size()).isEqualTo(2));
    }
}
