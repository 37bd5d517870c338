package dev.panic.examples;

import dev.panic.ModelId;
import dev.panic.Platforms;
import dev.panic.Rejection;
import dev.panic.Run;
import dev.panic.exception.ValidationException;
import dev.panic.recipes.Socratic;
import dev.panic.recipes.SocraticEvaluation;
import dev.panic.recipes.SocraticResult;
import dev.panic.recipes.experiment.ExperimentSpec;
import dev.panic.RunStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code panic socratic}: Socratic image generation for a prompt, or a dataset of them. */
@Command(name = "socratic", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Socratic image generation: draws the prompt, captions the picture, lets a language model rewrite"
                + " the prompt from the intent and the prompts and captions so far, and stops when a judge says the"
                + " caption matches the intent, or after --max-cycles. Writes every cycle's prompt, picture, caption,"
                + " verdict and scores (caption to intent with a text embedder; picture to intent with --image-embedder)"
                + " into OUT/RUN/, and the best picture as best.png.",
                "With --dataset, runs every prompt of the file and writes OUT/summary.csv: a row per prompt and a row of"
                        + " means. Offline by default: sim:painter, sim:describer, sim:refiner, sim:judge, minilm."})
final class SocraticCommand implements Callable<Integer> {

    @Option(names = {"-p", "--prompt"}, paramLabel = "TEXT", description = "The intent: what the picture should show.")
    String prompt;

    @Option(names = "--dataset", paramLabel = "FILE",
            description = "A file of prompts, one a line (blank lines and lines starting with '#' skipped).")
    Path dataset;

    @Option(names = "--max-cycles", paramLabel = "N", defaultValue = "5",
            description = "The most pictures per prompt. Default: ${DEFAULT-VALUE}.")
    int maxCycles;

    @Option(names = "--judge", paramLabel = "MODEL", defaultValue = "sim:judge",
            description = "The language model that says whether a caption matches the intent, or 'none' to run every"
                    + " cycle. Default: ${DEFAULT-VALUE}.")
    String judge;

    @Option(names = "--select-best",
            description = "Pick the best picture by its score (picture to intent where there is a cross-modal embedder,"
                    + " else caption to intent) instead of the last one.")
    boolean selectBest;

    @Option(names = "--generator", paramLabel = "MODEL", defaultValue = "sim:painter",
            description = "The image model. Default: ${DEFAULT-VALUE}.")
    String generator;

    @Option(names = "--captioner", paramLabel = "MODEL", defaultValue = "sim:describer",
            description = "The captioning model. Default: ${DEFAULT-VALUE}.")
    String captioner;

    @Option(names = "--refiner", paramLabel = "MODEL", defaultValue = "sim:refiner",
            description = "The language model that rewrites the prompt. Default: ${DEFAULT-VALUE}.")
    String refiner;

    @Option(names = "--text-embedder", paramLabel = "ID", defaultValue = "minilm",
            description = "The embedder for caption-to-intent scores, or 'none'. Default: ${DEFAULT-VALUE}.")
    String textEmbedder;

    @Option(names = "--image-embedder", paramLabel = "ID",
            description = "An embedder that takes both text and images (a CLIP-like one), for picture-to-intent scores.")
    String imageEmbedder;

    @Option(names = "--budget", paramLabel = "USD",
            description = "Stop a run before the call that would bring its spending over USD.")
    Double budget;

    @Option(names = "--on-rejection", paramLabel = "POLICY", defaultValue = "fail",
            description = "What the image model's node does with a prompt it refuses: fail, skip, retry:N or"
                    + " replace:TEXT. Default: ${DEFAULT-VALUE}.")
    String onRejection;

    @Option(names = "--concurrency", paramLabel = "N", defaultValue = "4",
            description = "With --dataset: how many prompts run at once. Default: ${DEFAULT-VALUE}.")
    int concurrency;

    @Option(names = {"-o", "--output-dir"}, paramLabel = "DIR", defaultValue = "socratic",
            description = "Where the results (DIR/RUN/) and the runs (DIR/runs/) go. Default: ${DEFAULT-VALUE}.")
    Path outputDir;

    private final Supplier<Platforms> platforms;
    private final Console console;

    SocraticCommand(Supplier<Platforms> platforms, Console console) {
        this.platforms = platforms;
        this.console = console;
    }

    @Override
    public Integer call() {
        if ((prompt == null) == (dataset == null)) {
            throw new ValidationException("give the intent with --prompt, or a file of prompts with --dataset (one of them)");
        }
        Platforms registry = platforms.get();
        Socratic.Builder b = Socratic.builder(registry).generator(generator).captioner(captioner).refiner(refiner)
                .judge(judge.equals("none") ? null : judge).maxCycles(maxCycles).selectBest(selectBest)
                .textEmbedder(textEmbedder.equals("none") ? null : textEmbedder).onRejection(rejection(onRejection));
        if (imageEmbedder != null) {
            b.imageEmbedder(imageEmbedder);
        }
        if (budget != null) {
            b.budget(budget);
        }
        Socratic socratic = b.build();
        List<ModelId> models = new ArrayList<>(List.of(ModelId.parse(generator), ModelId.parse(captioner),
                ModelId.parse(refiner)));
        if (!judge.equals("none")) {
            models.add(ModelId.parse(judge));
        }
        if (!RunWatch.platformsReady(registry, models, console)) {
            return PanicCli.FAILED;
        }
        Path runs = outputDir.resolve("runs");
        return prompt != null ? single(socratic, runs) : many(socratic, runs);
    }

    private int single(Socratic socratic, Path runs) {
        RunStore store = RunStore.directory(runs);
        console.line("intent:  " + prompt);
        String[] id = new String[1];
        int code = RunWatch.follow(socratic.prepare(prompt).store(store), console, 3 * socratic.maxCycles() - 1, runs,
                run -> id[0] = run.id());
        SocraticResult r = socratic.result(store.read(id[0]));
        Path folder = outputDir.resolve(r.runId());
        r.writeTo(folder);
        for (SocraticResult.Cycle c : r.cycles()) {
            console.line(String.format(Locale.ROOT, "cycle %d: %s", c.number(), c.prompt()));
            console.line("  caption: " + c.caption().orElse("(none)"));
            c.verdict().ifPresent(v -> console.line("  judge:   " + v.answer()));
            console.line("  scores:  caption to intent " + score(c.captionToIntent()) + ", picture to intent "
                    + score(c.imageToIntent()));
            c.notes().forEach(n -> console.line("  note:    " + n));
        }
        if (r.imageScorer().startsWith("not available")) {
            console.line("picture to intent: " + r.imageScorer());
        }
        console.line("best:    " + r.best().map(c -> "cycle " + c.number()).orElse("none") + ", chosen by "
                + r.selectedBy());
        console.line("written: " + folder + " (cycles.csv, summary.md, summary.json, cycle-NN.png, best.png)");
        return code;
    }

    private int many(Socratic socratic, Path runs) {
        List<String> intents = ExperimentSpec.readPrompts(dataset);
        console.line("dataset: " + dataset + ", " + intents.size() + " prompts, " + concurrency + " at a time");
        SocraticEvaluation e = socratic.evaluate(intents, RunStore.directory(runs), concurrency, r -> {
            r.writeTo(outputDir.resolve(r.runId()));
            console.line(String.format(Locale.ROOT, "%s: %d cycles, %s, best caption to intent %s -> %s",
                    r.intent(), r.cycles().size(), r.matched() ? "judged a match" : "no match ("
                            + r.stopReason().map(dev.panic.StopReason::rule).orElse("?") + ")",
                    score(r.cycles().stream().map(SocraticResult.Cycle::captionToIntent)
                            .filter(java.util.OptionalDouble::isPresent).mapToDouble(java.util.OptionalDouble::getAsDouble)
                            .max()), outputDir.resolve(r.runId())));
        });
        Path summary = outputDir.resolve("summary.csv");
        e.writeCsv(summary);
        List<Object> mean = e.table().get(e.table().size() - 1);
        console.line(String.format(Locale.ROOT, "judged a match: %s of the prompts; mean caption to intent: first %s,"
                + " last %s, best %s; mean gain %s", mean.get(4), mean.get(5), mean.get(6), mean.get(7), mean.get(8)));
        console.line("summary: " + summary);
        return 0;
    }

    private static String score(java.util.OptionalDouble d) {
        return d.isPresent() ? String.format(Locale.ROOT, "%.3f", d.getAsDouble()) : "n/a";
    }

    /** A rejection policy as the command line writes it: fail, skip, retry:N, replace:TEXT. */
    static Rejection rejection(String text) {
        String t = text.strip();
        int colon = t.indexOf(':');
        String policy = (colon < 0 ? t : t.substring(0, colon)).toLowerCase(Locale.ROOT);
        String arg = colon < 0 ? null : t.substring(colon + 1).strip();
        switch (policy) {
            case "fail":
                return Rejection.fail();
            case "skip":
                return Rejection.skip();
            case "retry":
                try {
                    return Rejection.retry(arg == null ? 1 : Integer.parseInt(arg));
                } catch (NumberFormatException e) {
                    throw new ValidationException("--on-rejection retry:N needs a whole number, got '" + arg + "'");
                }
            case "replace":
                return Rejection.replace(arg);
            default:
                throw new ValidationException("--on-rejection is '" + text + "'; use fail, skip, retry:N or replace:TEXT");
        }
    }
}
