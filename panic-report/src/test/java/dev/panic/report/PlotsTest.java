package dev.panic.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.panic.Modality;
import dev.panic.Similarity;
import dev.panic.StopReason;
import dev.panic.analysis.DecayFit;
import dev.panic.analysis.RunAnalysis;
import dev.panic.analysis.SeriesAnalysis;
import dev.panic.analysis.SimilarityMatrix;
import dev.panic.report.internal.Ticks;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class PlotsTest {

    /** A series of {@code n} outputs of a one-model loop, drifting, with the given gaps (no vector). */
    private static SeriesAnalysis series(String embedder, int n, int... gaps) {
        List<Similarity> sims = new ArrayList<>();
        List<Integer> seqs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            final int k = i;
            boolean gap = java.util.Arrays.stream(gaps).anyMatch(g -> g == k);
            sims.add(new Similarity(embedder, i, i,
                    i == 0 ? OptionalInt.empty() : OptionalInt.of(i - 1),
                    i == 0 || gap ? OptionalDouble.empty() : OptionalDouble.of(0.9),
                    0, gap ? OptionalDouble.empty() : OptionalDouble.of(Math.exp(-0.1 * i))));
            seqs.add(i);
        }
        double[] m = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                m[i * n + j] = Math.exp(-0.05 * Math.abs(i - j));
            }
        }
        return new SeriesAnalysis(Modality.TEXT, embedder, sims, new SimilarityMatrix(seqs, m, false),
                new DecayFit(1, 0.1, 0, 0.01, n));
    }

    private static int count(String s, String regex) {
        Matcher m = Pattern.compile(regex).matcher(s);
        int c = 0;
        while (m.find()) {
            c++;
        }
        return c;
    }

    @Test
    void should_draw_a_curve_and_a_dashed_fit_per_series_and_break_curves_at_gaps() {
        RunAnalysis analysis = new RunAnalysis("r", 20, List.of(series("minilm", 20, 7), series("other", 20)),
                List.of(), List.of());

        String svg = Plots.similarityToOrigin(analysis);

        assertThat(count(svg, "<g class=\"series\"><polyline")).isEqualTo(2);
        assertThat(count(svg, "<polyline")).as("3 pieces of curve (one broken at output 7) and 2 fits").isEqualTo(5);
        assertThat(svg).contains("fit 1·e^(−0.1·lap) + 0").contains("text · minilm").contains("text · other");
    }

    @Test
    void should_mark_each_event_with_its_span_and_escape_labels() {
        StopReason fixed = StopReason.pattern("fixed-point", "outputs 3 to 9 <stay>", 9, 3, 1, 0.97);
        RunAnalysis analysis = new RunAnalysis("r", 12, List.of(series("a<b>&c", 12)), List.of(fixed), List.of());

        String svg = Plots.stepSimilarity(analysis);

        assertThat(count(svg, "<g class=\"event\" data-rule=\"fixed-point\">")).isEqualTo(1);
        assertThat(svg).contains("fixed-point @9").contains("&lt;stay&gt;").contains("a&lt;b&gt;&amp;c")
                .doesNotContain("a<b>");
    }

    @Test
    void should_sample_a_large_matrix_down_to_64_cells_a_side() {
        String svg = Plots.heatmap(series("minilm", 100));

        String cells = svg.substring(svg.indexOf("<g shape-rendering=\"crispEdges\">"), svg.indexOf("</g>"));
        assertThat(count(cells, "<rect")).isEqualTo(64 * 64);
        assertThat(svg).contains("(sample of 64 outputs)");
    }

    @Test
    void should_choose_round_ticks() {
        assertThat(Ticks.of(0, 1, 5)).containsExactly(0.0, 0.2, 0.4, 0.6, 0.8, 1.0);
        assertThat(Ticks.integers(0, 23, 10)).containsExactly(0, 5, 10, 15, 20);
        assertThat(Ticks.of(0.9, 1, 5)).containsExactly(0.9, 0.92, 0.94, 0.96, 0.98, 1.0);
        assertThat(Ticks.label(0.6000000000000001, 0.2)).isEqualTo("0.6");
    }
}
