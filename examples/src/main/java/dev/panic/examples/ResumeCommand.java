package dev.panic.examples;

import dev.panic.Platforms;
import dev.panic.Run;
import dev.panic.RunInfo;
import dev.panic.RunStore;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code panic resume}: continues a saved run from its last saved prediction. */
@Command(name = "resume", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Continues a saved run — interrupted (its process died), stopped, failed, or ended by a rule — "
                + "from its last saved prediction: same run id, numbering going on, no model called again for a "
                + "saved step, and detectors rebuilt from the saved vectors.",
                "A run that hit its step limit needs a new one (--max-steps). A run that is live in another process "
                        + "is refused."})
final class ResumeCommand implements Callable<Integer> {

    @Parameters(paramLabel = "RUN", description = "The id of the run to resume (see panic runs).")
    String runId;

    @Option(names = {"--store", "-o", "--output-dir"}, paramLabel = "STORE", defaultValue = "panic-runs",
            description = OpenStore.HELP)
    String store;

    @Option(names = {"-s", "--max-steps"}, paramLabel = "N",
            description = "A new step limit: stop when the run holds N predictions in all.")
    Integer maxSteps;

    @Option(names = "--max-duration", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "A new time limit, counted from now, e.g. 90s, 5m, 1h.")
    Duration maxDuration;

    private final Supplier<Platforms> platforms;
    private final Console console;

    ResumeCommand(Supplier<Platforms> platforms, Console console) {
        this.platforms = platforms;
        this.console = console;
    }

    @Override
    public Integer call() {
        try (OpenStore saved = OpenStore.open(store)) {
            return resume(saved);
        }
    }

    private int resume(OpenStore saved) {
        RunStore store = saved.store();
        RunInfo info = store.info(runId);
        Platforms registry = platforms.get();
        if (!RunWatch.platformsReady(registry, info.spec().modelIds(), console)) {
            return PanicCli.FAILED;
        }
        Run.Builder builder = Run.resume(store, runId, registry);
        if (maxSteps != null) {
            builder.maxSteps(maxSteps);
        }
        if (maxDuration != null) {
            builder.maxDuration(maxDuration);
        }
        console.line("resuming " + runId + " (" + info.status().name().toLowerCase(java.util.Locale.ROOT) + " after "
                + info.predictions() + " predictions)");
        return RunWatch.follow(builder, console, maxSteps != null ? maxSteps : RunWatch.stepLimit(info.spec()),
                saved);
    }
}
