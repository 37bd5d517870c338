package dev.panic.report;

import dev.panic.Model;
import dev.panic.Network;
import dev.panic.Payload;
import dev.panic.Platforms;
import dev.panic.Run;
import dev.panic.detection.Detectors;
import dev.panic.Embedder;
import dev.panic.embeddings.OfflineEmbedders;
import dev.panic.RunStore;
import dev.panic.StoredRun;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Real runs of the offline simulator, embedded with the offline embedders and saved to a store, as
 * {@code panic run} would save them: every detector observes, none stops the run, so the curves
 * show what happens after a pattern is found.
 */
final class SampleRuns {

    static final Platforms PLATFORMS = Platforms.discover();

    private SampleRuns() {
    }

    /** Runs {@code network} (comma-separated model ids) from {@code prompt} for {@code steps} steps. */
    static StoredRun run(RunStore store, String id, String network, String prompt, int steps) {
        Network.Builder nb = Network.builder();
        Set<Embedder> embedders = new LinkedHashSet<>();
        for (String m : network.split(",")) {
            Model model = PLATFORMS.model(m.trim());
            nb.add(model);
            embedders.add(OfflineEmbedders.forModality(model.output()));
        }
        Run run = Run.builder(nb.build(), Payload.text(prompt))
                .id(id)
                .embedWith(new ArrayList<>(embedders).toArray(Embedder[]::new))
                .observe(Detectors.fixedPoint().build())
                .observe(Detectors.cycle().build())
                .observe(Detectors.drift().build())
                .observe(Detectors.exactRepeat())
                .maxSteps(steps)
                .store(store)
                .start()
                .await();
        return store.read(run.id());
    }

    /** The painter/describer loop: images and captions, settling on a fixed point. */
    static StoredRun painterDescriber(RunStore store, String id, String prompt) {
        return run(store, id, "sim:painter,sim:describer", prompt, 16);
    }

    /** A few runs of different kinds, as a folder of runs for an index. */
    static List<StoredRun> folder(RunStore store) {
        List<StoredRun> runs = new ArrayList<>();
        runs.add(painterDescriber(store, "a-red-circle", "a red circle on a blue background"));
        runs.add(painterDescriber(store, "a-red-circle-again", "a big red circle on a dark blue background"));
        runs.add(run(store, "contrarian", "sim:contrarian", "a hot day in a big city", 10));
        runs.add(run(store, "drifter", "sim:drifter", "a quiet lake at dawn", 24));
        runs.add(run(store, "synth-listener", "sim:synth,sim:listener", "a low slow hum", 6));
        return runs;
    }
}
