package dev.panic.benchmarks;

import dev.panic.ModelId;
import dev.panic.Prediction;
import dev.panic.analysis.Analyzer;
import dev.panic.analysis.RunAnalysis;
import dev.panic.analysis.SeriesAnalysis;
import dev.panic.analysis.Trajectory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What the full analysis of a long run costs: a synthetic 100,000-step run of one model with
 * 384-dimension vectors, analysed by {@link Analyzer#defaults()}.
 *
 * <p>"Full analysis" is everything {@link Analyzer} computes: the similarity of every output to the
 * previous one and to the first (the drift curve and the step similarities: 200,000 cosines); all
 * five default detectors run over the whole trajectory as observe-only rules (fixed point, cycles of
 * period 2 to 8, drift, exact and normalised repeats: about 1.2 million cosines and 200,000 text
 * normalisations); the least-squares fit of the drift curve to a*exp(-b*step)+c; and a similarity
 * matrix over an evenly spaced sample of 256 outputs (32,640 cosines). A full 100,000 x 100,000
 * matrix would be 10^10 cosines and 80 GB of doubles, so it is not what anyone should compute; the
 * sample shows the same structure at a readable size.
 *
 * <p>Two runs are analysed. The <em>structured</em> run drifts slowly for 30,000 steps, settles on a
 * fixed point, then (from step 60,000) falls into a cycle of period 3: the detectors fire where
 * they should and, like observe-only rules, are not asked again. The <em>worst case</em> run never
 * lets any detector fire, so every detector is asked at every one of the 100,000 steps, each on
 * its most expensive path (outputs scattered around a point far from the origin, about 0.87
 * similar to each other). Each analysis is timed after three warm-up analyses and a garbage
 * collection (the 150 MB of vectors are live throughout, so the collector's work depends on when
 * it runs); the figure is the median of seven.
 *
 * <pre>
 * mvn -B -q -ntp package -DskipTests &amp;&amp; java -cp benchmarks/target/panic-benchmarks.jar dev.panic.benchmarks.AnalysisCost
 * </pre>
 */
public final class AnalysisCost {

    private static final int DIM = 384;
    private static final int STEPS = 100_000;

    private AnalysisCost() {
    }

    /** Runs the benchmark and prints the figures. */
    public static void main(String[] args) {
        System.out.printf(Locale.ROOT, "Full analysis of a %,d-step run of %d-dimension vectors (Java %s, %d CPUs, "
                        + "max heap %,d MB)%n", STEPS, DIM, System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);
        Trajectory structured = structuredRun();
        System.out.println("structured run (drift, then a fixed point, then a cycle):");
        time("full analysis (defaults)", Analyzer.defaults(), structured, true);
        time("without detectors", Analyzer.defaults().withRules(), structured, false);
        structured = null;
        Trajectory worst = worstCaseRun();
        System.out.println("worst case (no detector ever fires):");
        time("full analysis (defaults)", Analyzer.defaults(), worst, true);
        time("without detectors", Analyzer.defaults().withRules(), worst, false);
    }

    private static void time(String what, Analyzer analyzer, Trajectory run, boolean describe) {
        RunAnalysis last = null;
        for (int i = 0; i < 3; i++) {
            last = analyzer.analyse(run);
        }
        long[] ms = new long[7];
        for (int i = 0; i < ms.length; i++) {
            System.gc();
            long t0 = System.nanoTime();
            last = analyzer.analyse(run);
            ms[i] = (System.nanoTime() - t0) / 1_000_000;
        }
        Arrays.sort(ms);
        System.out.printf(Locale.ROOT, "  %-28s median %,5d ms  (min %,d, max %,d)%n", what, ms[3], ms[0], ms[6]);
        if (describe) {
            SeriesAnalysis s = last.series().get(0);
            System.out.printf(Locale.ROOT, "    %d series; drift curve of %,d points; matrix %dx%d (sampled: %s); "
                            + "decay fit a=%.3f b=%.4f c=%.3f%n", last.series().size(), s.similarities().size(),
                    s.matrix().size(), s.matrix().size(), s.matrix().sampled(), s.decay().amplitude(),
                    s.decay().rate(), s.decay().floor());
            last.events().forEach(e -> System.out.printf(Locale.ROOT, "    event: %s at %,d (from %s, period %s)%n",
                    e.rule(), e.sequence().orElseThrow(), e.patternStart().isPresent() ? e.patternStart().getAsInt() : "-",
                    e.period().isPresent() ? e.period().getAsInt() : "-"));
        }
    }

    /** Outputs scattered around a point far from the first output, each about 0.87 similar to the others. */
    private static Trajectory worstCaseRun() {
        Synthetic s = new Synthetic(DIM, 8);
        float[] origin = s.random();
        float[] far = s.turn(origin, 0.2);
        List<Prediction> ps = new ArrayList<>(STEPS);
        for (int n = 0; n < STEPS; n++) {
            ps.add(Synthetic.prediction(n, n == 0 ? origin : s.turn(far, 0.93)));
        }
        return new Trajectory("bench", List.of(ModelId.parse("bench:model")), ps);
    }

    /** Drift for 30,000 steps, a fixed point until 60,000, then a cycle of period 3. */
    private static Trajectory structuredRun() {
        Synthetic s = new Synthetic(DIM, 7);
        List<Prediction> ps = new ArrayList<>(STEPS);
        float[] v = s.random();
        float[] fixed = null;
        float[][] cycle = {s.random(), s.random(), s.random()};
        for (int n = 0; n < STEPS; n++) {
            if (n < 30_000) {
                v = n == 0 ? v : s.turn(v, 0.97);
            } else if (n < 60_000) {
                fixed = fixed == null ? v : fixed;
                v = s.turn(fixed, 0.995);
            } else {
                v = s.turn(cycle[n % 3], 0.995);
            }
            ps.add(Synthetic.prediction(n, v));
        }
        return new Trajectory("bench", List.of(ModelId.parse("bench:model")), ps);
    }
}
