package dev.panic.examples;

import dev.panic.MediaTypes;
import dev.panic.Modality;
import dev.panic.Model;
import dev.panic.Network;
import dev.panic.Pacing;
import dev.panic.Payload;
import dev.panic.Platforms;
import dev.panic.Prediction;
import dev.panic.Run;
import dev.panic.RunEvent;
import dev.panic.RunStatus;
import dev.panic.StopReason;
import dev.panic.Similarity;
import dev.panic.StopRule;
import dev.panic.analysis.Analyzer;
import dev.panic.detection.Detectors;
import dev.panic.embedding.Embedder;
import dev.panic.exception.ValidationException;
import dev.panic.spi.Readiness;
import dev.panic.store.RunStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code panic run}: runs a network from an initial input, showing each step, and saves the run. */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs a network of models as a closed loop from an initial input, shows each step as it "
                + "completes, and saves the run.",
                "With no options it runs the offline simulator painter/describer loop: no network, no API key."})
final class RunCommand implements Callable<Integer> {

    static final String DEFAULT_PROMPT = "a group of sheep grazing on lush grass";

    @Option(names = {"-n", "--network"}, split = ",", paramLabel = "MODEL",
            defaultValue = "sim:painter,sim:describer",
            description = "Model ids in order, comma-separated; the last feeds the first. Default: ${DEFAULT-VALUE}.")
    List<String> network;

    @Option(names = {"-p", "--prompt"}, paramLabel = "TEXT", defaultValue = DEFAULT_PROMPT,
            description = "Initial text input. Default: \"${DEFAULT-VALUE}\".")
    String prompt;

    @Option(names = {"-i", "--input-file"}, paramLabel = "FILE",
            description = "Initial image or audio input instead of a prompt (png, jpg, webp, gif, wav, mp3, flac, ogg).")
    Path inputFile;

    @Option(names = {"-s", "--max-steps"}, paramLabel = "N", defaultValue = "20",
            description = "Stop after N predictions. Default: ${DEFAULT-VALUE}.")
    int maxSteps;

    @Option(names = "--max-duration", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Stop after this long, e.g. 90s, 5m, 1h.")
    Duration maxDuration;

    @Option(names = "--pace", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Wait this long before each prediction after the first, e.g. 500ms.")
    Duration pace;

    @Option(names = "--observe",
            description = "Do not stop on a fixed point, a cycle or an exact repeat; only report where each was found.")
    boolean observe;

    @Option(names = "--no-embed",
            description = "Do not embed outputs: no live similarities, and only exact repeats are detected.")
    boolean noEmbed;

    @Option(names = {"-o", "--output-dir"}, paramLabel = "DIR", defaultValue = "panic-runs",
            description = "Folder to save runs in, one sub-folder per run. Default: ${DEFAULT-VALUE}.")
    Path outputDir;

    @Option(names = "--no-save", description = "Do not save the run.")
    boolean noSave;

    private final Supplier<Platforms> platforms;
    private final Console console;

    RunCommand(Supplier<Platforms> platforms, Console console) {
        this.platforms = platforms;
        this.console = console;
    }

    @Override
    public Integer call() {
        if (maxSteps < 1) {
            throw new ValidationException("--max-steps must be at least 1, got " + maxSteps);
        }
        Platforms registry = platforms.get();
        Network net = registry.network(network.toArray(String[]::new));
        Payload input = initialInput(net.input());
        if (!platformsReady(registry, net)) {
            return PanicCli.FAILED;
        }

        Run.Builder builder = Run.builder(net, input).maxSteps(maxSteps)
                .listener(new Progress(console, maxSteps));
        if (maxDuration != null) {
            builder.maxDuration(maxDuration);
        }
        if (pace != null) {
            builder.pacing(Pacing.fixed(pace));
        }
        List<StopRule> detectors = new ArrayList<>(List.of(StopRule.exactRepeat()));
        if (!noEmbed) {
            builder.embedWith(CliEmbedders.forNetwork(net).toArray(Embedder[]::new));
            detectors.add(Detectors.fixedPoint().build());
            detectors.add(Detectors.cycle().build());
            // Drift is worth knowing about but is no reason to stop: the loop is still moving.
            builder.observe(Detectors.drift().build());
        }
        for (StopRule detector : detectors) {
            if (observe) {
                builder.observe(detector);
            } else {
                builder.stopWhen(detector);
            }
        }
        if (!noSave) {
            builder.store(RunStore.directory(outputDir));
        }

        console.line("network: " + net);
        console.line("input:   " + input.summary(100));
        Run run = builder.start();
        Thread onInterrupt = new Thread(run::cancel, "panic-cancel-on-exit");
        Runtime.getRuntime().addShutdownHook(onInterrupt);
        try {
            run.await();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(onInterrupt);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the hook is running and cancels the run, which saves its end.
                run.await(Duration.ofSeconds(5));
            }
        }
        report(run);
        if (!noSave && !noEmbed && !run.predictions().isEmpty()) {
            RunStore.directory(outputDir).saveAnalysis(Analyzer.defaults().analyse(run));
        }
        return run.status() == RunStatus.FAILED ? PanicCli.FAILED : 0;
    }

    /**
     * Says which platform cannot serve the network (no API key, server down) and what to do,
     * instead of starting a run whose first call would fail.
     */
    private boolean platformsReady(Platforms registry, Network net) {
        Map<String, List<String>> modelsByPlatform = new LinkedHashMap<>();
        for (Model m : net.models()) {
            modelsByPlatform.computeIfAbsent(m.id().platform(), p -> new ArrayList<>()).add(m.id().toString());
        }
        boolean ready = true;
        for (Map.Entry<String, List<String>> e : modelsByPlatform.entrySet()) {
            Readiness r = registry.platform(e.getKey()).readiness();
            if (!r.ready()) {
                console.error("platform '" + e.getKey() + "' is not ready: " + r.detail() + " (needed by "
                        + String.join(", ", new LinkedHashSet<>(e.getValue())) + ")");
                ready = false;
            }
        }
        return ready;
    }

    private Payload initialInput(Modality wanted) {
        if (inputFile == null) {
            if (wanted != Modality.TEXT) {
                throw new ValidationException("the first model of the network takes " + wanted
                        + "; give the initial input with --input-file");
            }
            return Payload.text(prompt);
        }
        String mediaType = MediaTypes.forFileName(inputFile.getFileName().toString())
                .orElseThrow(() -> new ValidationException("cannot tell the media type of '" + inputFile
                        + "' from its extension; use png, jpg, webp, gif, wav, mp3, flac or ogg"));
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(inputFile);
        } catch (IOException e) {
            throw new ValidationException("cannot read --input-file '" + inputFile + "': " + e.getMessage(), e);
        }
        Payload p = mediaType.startsWith("image/") ? Payload.image(bytes, mediaType) : Payload.audio(bytes, mediaType);
        if (p.modality() != wanted) {
            throw new ValidationException("--input-file '" + inputFile + "' is " + p.modality()
                    + " but the first model of the network takes " + wanted);
        }
        return p;
    }

    private void report(Run run) {
        StopReason reason = run.stopReason().orElseThrow();
        console.line(String.format(Locale.ROOT, "%s after %d predictions: %s (%s)",
                run.status().name().toLowerCase(Locale.ROOT), run.predictions().size(), reason.message(), reason.rule()));
        for (StopReason seen : run.observations()) {
            console.line("observed: " + seen.message() + " (" + seen.rule() + ")");
        }
        if (!noSave) {
            console.line("saved:   " + outputDir.resolve(run.id()));
        }
    }

    /** Prints a line per step, and on terminals a transient line while a model works. */
    static final class Progress implements dev.panic.RunListener {
        private final Console console;
        private final int maxSteps;
        private final int width;

        Progress(Console console, int maxSteps) {
            this.console = console;
            this.maxSteps = maxSteps;
            this.width = String.valueOf(maxSteps).length();
        }

        @Override
        public void onEvent(RunEvent event) {
            if (event instanceof RunEvent.PredictionStarted s) {
                console.status(counter(s.sequence()) + s.modelId() + " …");
            } else if (event instanceof RunEvent.PredictionMade m) {
                console.line(step(m.prediction(), m.prediction().output().summary(70)));
            } else if (event instanceof RunEvent.Measured m) {
                for (Similarity sim : m.similarities()) {
                    if (sim.toPrevious() != null) {
                        console.line(String.format(Locale.ROOT, "%" + (width * 2 + 4) + "s similarity %.3f to output %d, %.3f to output %d (%s)",
                                "", sim.toPrevious(), sim.previous(), sim.toOrigin() == null ? Double.NaN : sim.toOrigin(),
                                sim.origin(), sim.embedderId()));
                    }
                }
            } else if (event instanceof RunEvent.EmbeddingFailed f) {
                console.line("    could not embed step " + (f.sequence() + 1) + " with " + f.embedderId() + ": " + f.message());
            } else if (event instanceof RunEvent.PredictionFailed f) {
                console.line(step(f.prediction(), "FAILED: " + f.prediction().error().message()));
            }
        }

        private String counter(int sequence) {
            return String.format(Locale.ROOT, "[%" + width + "d/%d] ", sequence + 1, maxSteps);
        }

        private String step(Prediction p, String what) {
            // "#n" is the output's sequence number, as stop reasons and saved runs count (from 0).
            return String.format(Locale.ROOT, "%s%-22s #%-3d %7s  %s", counter(p.sequence()), p.modelId(), p.sequence(),
                    DurationConverter.format(p.duration()), what);
        }
    }
}
