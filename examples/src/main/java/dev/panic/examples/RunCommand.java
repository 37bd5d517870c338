package dev.panic.examples;

import dev.panic.MediaTypes;
import dev.panic.Modality;
import dev.panic.Model;
import dev.panic.Network;
import dev.panic.Pacing;
import dev.panic.Payload;
import dev.panic.Platforms;
import dev.panic.Run;
import dev.panic.RunSpec;
import dev.panic.json.RunSpecJson;
import dev.panic.StopRule;
import dev.panic.detection.Detectors;
import dev.panic.Embedder;
import dev.panic.exception.ValidationException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import dev.panic.recipes.experiment.Forecast;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code panic run}: runs a network from an initial input, showing each step, and saves the run. */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs a network of models from an initial input, shows each step as it completes, and saves "
                + "the run so that it can be resumed (panic resume) or forked (panic fork).",
                "With no options it runs the offline simulator painter/describer loop: no network, no API key.",
                "A spec file (--spec) describes any network (a ring, a prelude, a fan-out), its templates, rules and "
                        + "embedders as JSON; see the README.",
                "--runs N makes N runs of the same network and input at once; --dry-run says what they would cost and"
                        + " how long they would take, calling nothing."})
final class RunCommand implements Callable<Integer> {

    static final String DEFAULT_PROMPT = "a group of sheep grazing on lush grass";
    static final int DEFAULT_MAX_STEPS = 20;

    @Option(names = {"-n", "--network"}, split = ",", paramLabel = "MODEL",
            description = "Model ids in order, comma-separated; the last feeds the first. Default: "
                    + "sim:painter,sim:describer.")
    List<String> network;

    @Option(names = "--spec", paramLabel = "FILE",
            description = "A run spec (JSON): network, input, rules, embedders, pacing and limits. Replaces -n, -p, "
                    + "-i, --observe and --no-embed; --max-steps, --max-duration, --pace and --forever override it.")
    Path specFile;

    @Option(names = {"-p", "--prompt"}, paramLabel = "TEXT",
            description = "Initial text input. Default: \"" + DEFAULT_PROMPT + "\".")
    String prompt;

    @Option(names = "--prompt-file", paramLabel = "FILE",
            description = "Read the initial text input from FILE (UTF-8), or from standard input if FILE is '-': for long "
                    + "prompts, and for characters your terminal's locale cannot pass on the command line.")
    Path promptFile;

    @Option(names = {"-i", "--input-file"}, paramLabel = "FILE",
            description = "Initial image or audio input instead of a prompt (png, jpg, webp, gif, wav, mp3, flac, ogg).")
    Path inputFile;

    @Option(names = {"-s", "--max-steps"}, paramLabel = "N",
            description = "Stop after N predictions. Default: " + DEFAULT_MAX_STEPS + " (none with --forever).")
    Integer maxSteps;

    @Option(names = "--max-duration", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Stop after this long, e.g. 90s, 5m, 1h.")
    Duration maxDuration;

    @Option(names = "--forever",
            description = "No step limit: run until stopped (Ctrl-C), as an installation does; best with --pace.")
    boolean forever;

    @Option(names = "--pace", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Wait this long before each prediction after the first, e.g. 500ms.")
    Duration pace;

    @Option(names = "--observe",
            description = "Do not stop on a fixed point, a cycle or an exact repeat; only report where each was found.")
    boolean observe;

    @Option(names = "--no-embed",
            description = "Do not embed outputs: no live similarities, and only exact repeats are detected.")
    boolean noEmbed;

    @Option(names = {"--store", "-o", "--output-dir"}, paramLabel = "STORE", defaultValue = "panic-runs",
            description = OpenStore.HELP)
    String store;

    @Option(names = "--no-save", description = "Do not save the run.")
    boolean noSave;

    @Option(names = "--runs", paramLabel = "N", defaultValue = "1",
            description = "Make N runs of the same network and input at once (default: 1).")
    int runs;

    @Option(names = "--dry-run",
            description = "Call nothing: say how many calls the run(s) would make to each model, what they would cost"
                    + " and how long they would take, from --price, the simulator's settings and the calls saved in"
                    + " the output folder.")
    boolean dryRun;

    @Option(names = "--price", paramLabel = "MODEL=USD", split = ",",
            description = "A model's price in US dollars a call, for --dry-run (e.g. "
                    + "replicate:black-forest-labs/flux-schnell=0.003).")
    Map<String, Double> prices;

    @Option(names = "--on", paramLabel = "temporal://HOST:PORT",
            description = "Run it durably on the workers of this Temporal service (panic worker), saved in the shared "
                    + "--store; it survives this program and any worker. Default: in this process.")
    String on;

    @Option(names = "--namespace", paramLabel = "NAME", defaultValue = dev.panic.temporal.TemporalRuns.DEFAULT_NAMESPACE,
            description = "Temporal namespace, with --on. Default: ${DEFAULT-VALUE}.")
    String namespace;

    private final Supplier<Platforms> platforms;
    private final Console console;

    RunCommand(Supplier<Platforms> platforms, Console console) {
        this.platforms = platforms;
        this.console = console;
    }

    @Override
    public Integer call() {
        if (maxSteps != null && maxSteps < 1) {
            throw new ValidationException("--max-steps must be at least 1, got " + maxSteps);
        }
        if (forever && maxSteps != null) {
            throw new ValidationException("--forever and --max-steps contradict each other; give one of them");
        }
        if (runs < 1) {
            throw new ValidationException("--runs must be at least 1, got " + runs);
        }
        Platforms registry = platforms.get();
        List<Run.Builder> builders = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            Run.Builder builder = specFile != null ? fromSpec(registry, !dryRun && i == 0)
                    : fromOptions(registry, !dryRun && i == 0);
            if (builder == null) {
                return PanicCli.FAILED;
            }
            builders.add(configure(builder));
        }
        RunSpec spec = builders.get(0).spec();
        console.line("network: " + spec.network());
        console.line("input:   " + spec.input().summary(100));
        if (dryRun) {
            Forecast forecast;
            try (OpenStore saved = OpenStore.isMissingFolder(store) ? null : OpenStore.open(store)) {
                forecast = Forecast.builder(registry).prices(prices).concurrency(runs)
                        .observed(saved == null ? null : saved.store())
                        .forecast(builders.stream().map(Run.Builder::spec).toList());
            }
            forecast.lines().forEach(console::line);
            return 0;
        }
        if (on != null) {
            return durably(registry, spec);
        }
        if (noSave) {
            return runs > 1 ? RunWatch.followAll(builders, console, RunWatch.stepLimit(spec), null)
                    : RunWatch.follow(builders.get(0), console, RunWatch.stepLimit(spec), null);
        }
        try (OpenStore saved = OpenStore.open(store)) {
            builders.forEach(b -> b.store(saved.store()));
            return runs > 1 ? RunWatch.followAll(builders, console, RunWatch.stepLimit(spec), saved)
                    : RunWatch.follow(builders.get(0), console, RunWatch.stepLimit(spec), saved);
        }
    }

    /** Runs it on the workers of a Temporal service, saved in the store they share. */
    private int durably(Platforms registry, RunSpec spec) {
        if (noSave) {
            throw new ValidationException("a durable run is saved in the store its workers share; leave out --no-save");
        }
        if (runs > 1) {
            throw new ValidationException("--runs makes runs in this process; start durable runs one 'panic run --on' at"
                    + " a time, or run an experiment");
        }
        if (!on.startsWith("temporal://") || on.length() == "temporal://".length()) {
            throw new ValidationException("--on takes temporal://HOST:PORT, e.g. temporal://localhost:7233; got '"
                    + on + "'");
        }
        String target = on.substring("temporal://".length()).replaceAll("/+$", "");
        try (OpenStore saved = OpenStore.open(store);
             dev.panic.temporal.TemporalRuns durable = dev.panic.temporal.TemporalRuns.builder(target)
                     .namespace(namespace).store(saved.store()).platforms(registry).build()) {
            return RunWatch.followDurable(durable, spec, console, RunWatch.stepLimit(spec), saved);
        }
    }

    private Run.Builder configure(Run.Builder builder) {
        if (maxSteps != null) {
            builder.maxSteps(maxSteps);
        }
        if (maxDuration != null) {
            builder.maxDuration(maxDuration);
        }
        if (pace != null) {
            builder.pacing(Pacing.fixed(pace));
        }
        if (forever) {
            builder.forever();
        }
        return builder;
    }

    private Run.Builder fromSpec(Platforms registry, boolean checkReady) {
        if (network != null || prompt != null || promptFile != null || inputFile != null || observe || noEmbed) {
            throw new ValidationException("--spec gives the network, the input, the rules and the embedders; leave"
                    + " out -n, -p, -i, --observe and --no-embed (or edit the spec)");
        }
        RunSpec spec = RunSpecJson.read(specFile);
        if (checkReady && !RunWatch.platformsReady(registry, spec.modelIds(), console)) {
            return null;
        }
        return Run.builder(spec, registry);
    }

    private Run.Builder fromOptions(Platforms registry, boolean checkReady) {
        Network net = registry.network((network == null ? List.of("sim:painter", "sim:describer") : network)
                .toArray(String[]::new));
        Payload input = initialInput(net.input());
        if (checkReady && !RunWatch.platformsReady(registry, net.models().stream().map(Model::id).toList(), console)) {
            return null;
        }
        Run.Builder builder = Run.builder(net, input);
        if (!forever) {
            builder.maxSteps(maxSteps == null ? DEFAULT_MAX_STEPS : maxSteps);
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
        return builder;
    }

    private String promptRead;

    /** The prompt as given (read once), refusing one the locale garbled on its way from the command line. */
    private String promptText() {
        if (promptRead == null) {
            promptRead = readPrompt();
        }
        return promptRead;
    }

    private String readPrompt() {
        if (promptFile != null) {
            try {
                byte[] bytes = promptFile.toString().equals("-") ? console.in().readAllBytes() : Files.readAllBytes(promptFile);
                String text = java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                        .decode(java.nio.ByteBuffer.wrap(bytes)).toString().strip();
                if (text.isEmpty()) {
                    throw new ValidationException("--prompt-file " + promptFile + " is empty");
                }
                return text;
            } catch (java.nio.charset.CharacterCodingException e) {
                throw new ValidationException("--prompt-file " + promptFile + " is not UTF-8 text", e);
            } catch (IOException e) {
                throw new ValidationException("cannot read --prompt-file " + promptFile + ": " + e.getMessage(), e);
            }
        }
        String text = prompt == null ? DEFAULT_PROMPT : prompt;
        if (text.indexOf('\uFFFD') >= 0) {
            // The JVM decodes the command line with the locale's charset: under LANG=C anything beyond ASCII is lost.
            throw new ValidationException("the prompt holds characters that your locale (" + System.getProperty(
                    "sun.jnu.encoding", "?") + ") could not pass to Java on the command line; set LANG to a UTF-8"
                    + " locale (e.g. LANG=C.UTF-8), or give the prompt with --prompt-file FILE (or '-' for standard input)");
        }
        return text;
    }

    private Payload initialInput(Modality wanted) {
        if ((prompt != null ? 1 : 0) + (promptFile != null ? 1 : 0) + (inputFile != null ? 1 : 0) > 1) {
            throw new ValidationException("give the initial input one way: --prompt, --prompt-file or --input-file");
        }
        if (inputFile == null) {
            if (wanted != Modality.TEXT) {
                throw new ValidationException("the first model of the network takes " + wanted
                        + "; give the initial input with --input-file");
            }
            return Payload.text(promptText());
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
}
