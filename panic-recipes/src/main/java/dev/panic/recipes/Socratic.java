package dev.panic.recipes;

import dev.panic.Embedding;
import dev.panic.Modality;
import dev.panic.ModelId;
import dev.panic.Parameters;
import dev.panic.Payload;
import dev.panic.Platforms;
import dev.panic.Prediction;
import dev.panic.Rejection;
import dev.panic.Run;
import dev.panic.RunSpec;
import dev.panic.Spec;
import dev.panic.StopReason;
import dev.panic.StopRule;
import dev.panic.Verdict;
import dev.panic.Embedder;
import dev.panic.exception.NotFoundException;
import dev.panic.exception.PanicException;
import dev.panic.exception.ValidationException;
import dev.panic.RunStore;
import dev.panic.StoredRun;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Socratic image generation: an image model draws the intent, a captioner says what it drew, a
 * language model rewrites the prompt from the intent and the history of prompts and captions, and
 * the loop stops when a language-model judge says the caption matches the intent, or after
 * {@link Builder#maxCycles(int) a number of cycles}; the best image is picked by its scores.
 *
 * <p>The recipe is an ordinary run: {@link #spec(String)} describes it as data (a ring
 * {@code generator -> captioner -> refiner}, the refiner's template with {@code {initial}} and
 * {@code {last:NODE:k}}, a judge rule on the captioner's outputs, a step limit, a budget), so any
 * frontend that starts runs from specs can start it; {@link #result} reads its cycles back from the
 * saved run and scores them: caption to intent with a text embedder, image to intent with an
 * embedder that takes both (a CLIP-like one) where there is one.
 *
 * <pre>{@code
 * Socratic socratic = Socratic.builder(platforms).maxCycles(5).selectBest(true).build();   // offline defaults
 * SocraticResult r = socratic.run("a small red circle, a small blue square, a lighthouse", RunStore.directory(dir));
 * r.writeTo(Path.of("socratic", r.runId()));      // cycle-01.png..., cycles.csv, summary.md, best.png
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class Socratic {

    /** The node that draws. */
    public static final String GENERATOR = "generator";
    /** The node that captions. */
    public static final String CAPTIONER = "captioner";
    /** The node that rewrites the prompt. */
    public static final String REFINER = "refiner";

    /** What the refiner is asked: the intent, the prompts and captions so far, the last caption. */
    public static final String DEFAULT_REFINE_TEMPLATE = """
            You improve prompts for an image generator, so that its picture shows what the user intends.
            intent: {initial}
            prompts tried after the intent:
            {last:refiner:5}
            captions of the pictures so far:
            {last:captioner:5}
            caption: {input}
            Write one new prompt that brings the next picture closer to the intent. Answer with the prompt only.""";

    /** What the judge is asked about each caption: a "yes" ends the loop. */
    public static final String DEFAULT_JUDGE_TEMPLATE = """
            intent: {initial}
            caption: {input}
            Does the caption show everything the intent asks for? Answer "yes" or "no", then what is missing.""";

    /** Five cycles, as the seed project's pipeline defaults to. */
    public static final int DEFAULT_MAX_CYCLES = 5;

    private final Platforms platforms;
    private final String generator;
    private final Parameters generatorParameters;
    private final String captioner;
    private final Parameters captionerParameters;
    private final String refiner;
    private final String judge;
    private final String refineTemplate;
    private final String judgeTemplate;
    private final int maxCycles;
    private final boolean selectBest;
    private final Embedder textEmbedder;
    private final String textEmbedderNote;
    private final Embedder imageEmbedder;
    private final String imageEmbedderNote;
    private final Double budgetUsd;
    private final Rejection rejection;

    private Socratic(Builder b) {
        this.platforms = b.platforms;
        this.generator = b.generator;
        this.generatorParameters = b.generatorParameters;
        this.captioner = b.captioner;
        this.captionerParameters = b.captionerParameters;
        this.refiner = b.refiner;
        this.judge = b.judge;
        this.refineTemplate = b.refineTemplate;
        this.judgeTemplate = b.judgeTemplate;
        this.maxCycles = b.maxCycles;
        this.selectBest = b.selectBest;
        this.textEmbedder = b.textEmbedder;
        this.textEmbedderNote = b.textEmbedderNote;
        this.imageEmbedder = b.imageEmbedder;
        this.imageEmbedderNote = b.imageEmbedderNote;
        this.budgetUsd = b.budgetUsd;
        this.rejection = b.rejection;
    }

    /**
     * A builder with the offline defaults: {@code sim:painter}, {@code sim:describer},
     * {@code sim:refiner}, {@code sim:judge} and the {@code minilm} text embedder (if
     * panic-embeddings is on the class path).
     */
    public static Builder builder(Platforms platforms) {
        return new Builder(platforms);
    }

    /** The most cycles (picture, caption) a run makes. */
    public int maxCycles() {
        return maxCycles;
    }

    /**
     * The run for {@code intent}, as data: start it with {@code Run.builder(spec, platforms)} (or
     * {@link #start}) and read it back with {@link #result}.
     *
     * @throws ValidationException if the intent is blank
     */
    public RunSpec spec(String intent) {
        if (intent == null || intent.isBlank()) {
            throw new ValidationException("the Socratic loop needs an intent: what the picture should show");
        }
        List<RunSpec.NodeSpec> nodes = List.of(
                new RunSpec.NodeSpec(GENERATOR, ModelId.parse(generator), generatorParameters, null, Map.of(),
                        rejection),
                new RunSpec.NodeSpec(CAPTIONER, ModelId.parse(captioner), captionerParameters, null, Map.of()),
                new RunSpec.NodeSpec(REFINER, ModelId.parse(refiner), Parameters.empty(), Optional.ofNullable(refineTemplate),
                        Map.of()));
        RunSpec.NetworkSpec network = new RunSpec.NetworkSpec(nodes, Map.of(GENERATOR, List.of(CAPTIONER),
                CAPTIONER, List.of(REFINER), REFINER, List.of(GENERATOR)), GENERATOR);
        List<Spec> stop = new ArrayList<>();
        // A cycle is a picture and its caption; the prompt rewritten after the last caption is not needed.
        stop.add(StopRule.maxSteps(3 * maxCycles - 1).spec());
        if (judge != null) {
            Spec asked = StopRule.judge(platforms.model(judge), judgeTemplate).spec();
            stop.add(Spec.of(asked.kind(), asked.settings().with("node", CAPTIONER)));
        }
        if (budgetUsd != null) {
            stop.add(StopRule.budget(budgetUsd).spec());
        }
        return new RunSpec(network, Payload.text(intent.strip()), stop, List.of(), List.of(), null, null,
                1, Long.MAX_VALUE, false, null);
    }

    /** A run builder for the loop for {@code intent}: add a store and listeners, then start it. */
    public Run.Builder prepare(String intent) {
        return Run.builder(spec(intent), platforms);
    }

    /** Starts the loop for {@code intent}, saved in {@code store}; returns at once. */
    public Run start(String intent, RunStore store) {
        return prepare(intent).store(store).start();
    }

    /** Runs the loop for {@code intent}, saved in {@code store}, and scores its cycles. */
    public SocraticResult run(String intent, RunStore store) {
        Run run = start(intent, store).await();
        return result(store.read(run.id()));
    }

    /**
     * The cycles of a saved Socratic run, scored, with the best picture picked: the highest
     * image-to-intent score, else the highest caption-to-intent score, when asked to select; else the
     * last picture.
     *
     * @throws ValidationException if the run is not a Socratic run (no generator and captioner nodes)
     */
    public SocraticResult result(StoredRun run) {
        if (!(run.info().initialInput() instanceof Payload.Text intentText)) {
            throw new ValidationException("run " + run.info().id() + " did not start from a text intent");
        }
        String intent = intentText.text();
        List<RunSpec.NodeSpec> nodes = run.info().spec().network().nodes();
        if (nodes.stream().noneMatch(n -> n.id().equals(GENERATOR)) || nodes.stream().noneMatch(n -> n.id().equals(CAPTIONER))) {
            throw new ValidationException("run " + run.info().id() + " is not a Socratic run: it has no '" + GENERATOR
                    + "' and '" + CAPTIONER + "' nodes");
        }
        List<Draft> drafts = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (Prediction p : run.predictions()) {
            if (!p.succeeded()) {
                notes.add(p.node() + " failed: " + p.error().message());
                continue;
            }
            if (p.node().equals(GENERATOR)) {
                Draft d = new Draft();
                d.number = drafts.size() + 1;
                d.prompt = p.input() instanceof Payload.Text t ? t.text() : p.input().summary(100);
                d.image = (Payload.Image) p.output();
                d.notes.addAll(notes);
                notes.clear();
                drafts.add(d);
            } else if (p.node().equals(CAPTIONER) && !drafts.isEmpty()) {
                Draft d = drafts.get(drafts.size() - 1);
                d.caption = ((Payload.Text) p.output()).text();
                d.verdict = p.verdicts().stream().filter(v -> v.rule().equals("judge")).findFirst().orElse(null);
            }
        }
        if (!notes.isEmpty() && !drafts.isEmpty()) {
            drafts.get(drafts.size() - 1).notes.addAll(notes);
        }
        List<Double> captionScores = captionScores(intent, drafts);
        List<Double> imageScores = imageScores(intent, drafts);
        List<SocraticResult.Cycle> cycles = new ArrayList<>();
        for (int i = 0; i < drafts.size(); i++) {
            Draft d = drafts.get(i);
            cycles.add(new SocraticResult.Cycle(d.number, d.prompt, d.image, Optional.ofNullable(d.caption),
                    Optional.ofNullable(d.verdict), score(captionScores.get(i)), score(imageScores.get(i)), d.notes));
        }
        OptionalInt best = best(cycles);
        String selectedBy = !selectBest ? "the last picture (selection not asked for)"
                : imageEmbedder != null ? "the highest image-to-intent score (" + imageEmbedder.id() + ")"
                : textEmbedder != null ? "the highest caption-to-intent score (" + textEmbedder.id() + ")"
                : "the last picture (no embedder to score with)";
        StopReason reason = run.info().stopReason().orElse(null);
        Verdict last = cycles.isEmpty() ? null : cycles.get(cycles.size() - 1).verdict().orElse(null);
        if (last != null && last.stop() && reason != null && !reason.rule().equals(last.rule())) {
            // The cycle limit and the judge's yes came with the same caption: the loop reached its mark.
            reason = StopReason.of(last.rule(), "judge " + last.judge() + " said: " + last.answer(), reason.sequence());
        }
        return new SocraticResult(run.info().id(), intent, cycles, Optional.ofNullable(reason), best, selectedBy,
                textEmbedder == null ? "not available: " + textEmbedderNote : textEmbedder.id(),
                imageEmbedder == null ? "not available: " + imageEmbedderNote : imageEmbedder.id(),
                run.info().costUsd());
    }

    private OptionalInt best(List<SocraticResult.Cycle> cycles) {
        SocraticResult.Cycle best = null;
        for (SocraticResult.Cycle c : cycles) {
            if (!selectBest) {
                best = c;
                continue;
            }
            OptionalDouble score = imageEmbedder != null ? c.imageToIntent() : c.captionToIntent();
            OptionalDouble bestScore = best == null ? OptionalDouble.empty()
                    : imageEmbedder != null ? best.imageToIntent() : best.captionToIntent();
            if (best == null || (score.isPresent()
                    && (bestScore.isEmpty() || score.getAsDouble() > bestScore.getAsDouble()))) {
                best = c;
            }
        }
        return best == null ? OptionalInt.empty() : OptionalInt.of(best.number());
    }

    private static OptionalDouble score(Double d) {
        return d == null ? OptionalDouble.empty() : OptionalDouble.of(d);
    }

    private List<Double> captionScores(String intent, List<Draft> drafts) {
        List<Double> scores = new ArrayList<>();
        if (textEmbedder == null) {
            drafts.forEach(d -> scores.add(null));
            return scores;
        }
        List<Payload> texts = new ArrayList<>();
        texts.add(Payload.text(intent));
        drafts.forEach(d -> texts.add(Payload.text(d.caption == null ? "" : d.caption)));
        List<Embedding> v = embed(textEmbedder, texts);
        for (int i = 0; i < drafts.size(); i++) {
            scores.add(drafts.get(i).caption == null ? null : v.get(0).cosine(v.get(i + 1)));
        }
        return scores;
    }

    private List<Double> imageScores(String intent, List<Draft> drafts) {
        List<Double> scores = new ArrayList<>();
        if (imageEmbedder == null) {
            drafts.forEach(d -> scores.add(null));
            return scores;
        }
        List<Payload> inputs = new ArrayList<>();
        inputs.add(Payload.text(intent));
        drafts.forEach(d -> inputs.add(d.image));
        List<Embedding> v = embed(imageEmbedder, inputs);
        for (int i = 0; i < drafts.size(); i++) {
            scores.add(v.get(0).cosine(v.get(i + 1)));
        }
        return scores;
    }

    private static List<Embedding> embed(Embedder embedder, List<Payload> inputs) {
        try {
            return embedder.embedAll(inputs).join();
        } catch (RuntimeException e) {
            throw new PanicException("could not score the cycles with " + embedder.id() + ": "
                    + PanicException.from(e).getMessage(), e);
        }
    }

    /**
     * Runs the loop for every intent of a dataset, {@code concurrency} runs at a time, and summarises
     * them as the seed project's evaluation does: per intent the cycles used, whether the judge was
     * satisfied, and the caption-to-intent scores of the first, last and best cycle.
     *
     * @param each called with each result as its run ends (from a run's thread)
     */
    public SocraticEvaluation evaluate(List<String> intents, RunStore store, int concurrency,
                                      Consumer<SocraticResult> each) {
        if (intents == null || intents.isEmpty()) {
            throw new ValidationException("the dataset has no prompts");
        }
        if (concurrency < 1) {
            throw new ValidationException("concurrency must be at least 1, got " + concurrency);
        }
        intents.forEach(this::spec); // every intent checked before any run starts
        ConcurrentLinkedQueue<Integer> queue = new ConcurrentLinkedQueue<>();
        for (int i = 0; i < intents.size(); i++) {
            queue.add(i);
        }
        SocraticResult[] results = new SocraticResult[intents.size()];
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        List<CompletableFuture<Void>> lanes = new ArrayList<>();
        for (int k = 0; k < Math.min(concurrency, intents.size()); k++) {
            lanes.add(lane(queue, intents, store, results, errors, each));
        }
        CompletableFuture.allOf(lanes.toArray(CompletableFuture[]::new)).join();
        if (!errors.isEmpty()) {
            throw PanicException.from(errors.get(0));
        }
        return SocraticEvaluation.of(List.of(results));
    }

    private CompletableFuture<Void> lane(ConcurrentLinkedQueue<Integer> queue, List<String> intents, RunStore store,
                                         SocraticResult[] results, List<Throwable> errors,
                                         Consumer<SocraticResult> each) {
        Integer i = queue.poll();
        if (i == null || !errors.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        Run run;
        try {
            run = start(intents.get(i), store);
        } catch (RuntimeException e) {
            errors.add(e);
            return CompletableFuture.completedFuture(null);
        }
        return run.completion().thenCompose(done -> {
            try {
                results[i] = result(store.read(done.id()));
                if (each != null) {
                    each.accept(results[i]);
                }
            } catch (RuntimeException e) {
                errors.add(e);
            }
            return lane(queue, intents, store, results, errors, each);
        });
    }

    private static final class Draft {
        int number;
        String prompt;
        Payload.Image image;
        String caption;
        Verdict verdict;
        final List<String> notes = new ArrayList<>();
    }

    /** Configures a {@link Socratic} loop. Not thread-safe. */
    public static final class Builder {
        private final Platforms platforms;
        private String generator = "sim:painter";
        private Parameters generatorParameters = Parameters.empty();
        private String captioner = "sim:describer";
        private Parameters captionerParameters = Parameters.empty();
        private String refiner = "sim:refiner";
        private String judge = "sim:judge";
        private String refineTemplate = DEFAULT_REFINE_TEMPLATE;
        private String judgeTemplate = DEFAULT_JUDGE_TEMPLATE;
        private int maxCycles = DEFAULT_MAX_CYCLES;
        private boolean selectBest;
        private String textEmbedderId = "minilm";
        private Embedder textEmbedder;
        private String textEmbedderNote;
        private String imageEmbedderId;
        private Embedder imageEmbedder;
        private String imageEmbedderNote;
        private Double budgetUsd;
        private Rejection rejection = Rejection.fail();

        private Builder(Platforms platforms) {
            if (platforms == null) {
                throw new ValidationException("the Socratic loop needs the platforms to find its models in");
            }
            this.platforms = platforms;
        }

        /** The image model (TEXT to IMAGE), by id; {@code sim:painter} by default. */
        public Builder generator(String modelId) {
            this.generator = modelId;
            return this;
        }

        /** Parameters for the image model (a size, a quality...). */
        public Builder generatorParameters(Parameters parameters) {
            this.generatorParameters = parameters == null ? Parameters.empty() : parameters;
            return this;
        }

        /** The captioner (IMAGE to TEXT), by id; {@code sim:describer} by default. */
        public Builder captioner(String modelId) {
            this.captioner = modelId;
            return this;
        }

        /** Parameters for the captioner (its instruction...). */
        public Builder captionerParameters(Parameters parameters) {
            this.captionerParameters = parameters == null ? Parameters.empty() : parameters;
            return this;
        }

        /** The language model that rewrites the prompt (TEXT to TEXT), by id; {@code sim:refiner} by default. */
        public Builder refiner(String modelId) {
            this.refiner = modelId;
            return this;
        }

        /** The language model that judges each caption against the intent, by id; null for none (run all cycles). */
        public Builder judge(String modelId) {
            this.judge = modelId;
            return this;
        }

        /** What the refiner is asked ({@link dev.panic.Template}); {@link #DEFAULT_REFINE_TEMPLATE} by default. */
        public Builder refineTemplate(String template) {
            this.refineTemplate = template;
            return this;
        }

        /** What the judge is asked; {@link #DEFAULT_JUDGE_TEMPLATE} by default. Its answer must start with "yes" to stop. */
        public Builder judgeTemplate(String template) {
            this.judgeTemplate = template;
            return this;
        }

        /** The most cycles (1 or more); {@value #DEFAULT_MAX_CYCLES} by default. */
        public Builder maxCycles(int cycles) {
            if (cycles < 1) {
                throw new ValidationException("max cycles must be at least 1, got " + cycles);
            }
            this.maxCycles = cycles;
            return this;
        }

        /** Picks the best picture by its scores instead of taking the last one. */
        public Builder selectBest(boolean select) {
            this.selectBest = select;
            return this;
        }

        /** The text embedder for the caption-to-intent scores, by id ({@code minilm} by default); null for none. */
        public Builder textEmbedder(String embedderId) {
            this.textEmbedderId = embedderId;
            this.textEmbedder = null;
            return this;
        }

        /** The text embedder for the caption-to-intent scores. */
        public Builder textEmbedder(Embedder embedder) {
            this.textEmbedder = embedder;
            this.textEmbedderId = embedder == null ? null : embedder.id();
            return this;
        }

        /**
         * An embedder that takes both text and images (a CLIP-like one), by id, for the image-to-intent
         * scores; none by default, and then those scores are reported as not available.
         */
        public Builder imageEmbedder(String embedderId) {
            this.imageEmbedderId = embedderId;
            this.imageEmbedder = null;
            return this;
        }

        /** An embedder that takes both text and images, for the image-to-intent scores. */
        public Builder imageEmbedder(Embedder embedder) {
            this.imageEmbedder = embedder;
            this.imageEmbedderId = embedder == null ? null : embedder.id();
            return this;
        }

        /** Stops before the call that would bring the run's spending over {@code usd}. */
        public Builder budget(double usd) {
            StopRule.budget(usd); // checks it
            this.budgetUsd = usd;
            return this;
        }

        /** What the image model's node does with a prompt it refuses; failing by default. */
        public Builder onRejection(Rejection policy) {
            this.rejection = policy == null ? Rejection.fail() : policy;
            return this;
        }

        /**
         * The loop, its models checked.
         *
         * @throws ValidationException if a model is missing, of the wrong modalities, or a template is malformed
         * @throws NotFoundException   if a model or the image embedder cannot be found
         */
        public Socratic build() {
            check(generator, Modality.TEXT, Modality.IMAGE, "the image model");
            check(captioner, Modality.IMAGE, Modality.TEXT, "the captioner");
            check(refiner, Modality.TEXT, Modality.TEXT, "the refiner");
            if (judge != null) {
                check(judge, Modality.TEXT, Modality.TEXT, "the judge");
                dev.panic.Template.of(judgeTemplate);
            }
            dev.panic.Template.of(refineTemplate);
            if (textEmbedder == null && textEmbedderId != null) {
                try {
                    textEmbedder = platforms.embedder(textEmbedderId);
                } catch (NotFoundException e) {
                    textEmbedderNote = "no embedder '" + textEmbedderId + "' (add panic-embeddings for minilm)";
                }
            } else if (textEmbedder == null) {
                textEmbedderNote = "no text embedder was given";
            }
            if (textEmbedder != null && !textEmbedder.accepts(Modality.TEXT)) {
                throw new ValidationException("the text embedder '" + textEmbedder.id() + "' does not take text");
            }
            if (imageEmbedder == null && imageEmbedderId != null) {
                imageEmbedder = platforms.embedder(imageEmbedderId);
            }
            if (imageEmbedder != null && !(imageEmbedder.accepts(Modality.TEXT) && imageEmbedder.accepts(Modality.IMAGE))) {
                throw new ValidationException("the image-to-intent embedder '" + imageEmbedder.id() + "' takes "
                        + imageEmbedder.modalities() + "; it must take both text and images (e.g. a CLIP embedder)");
            }
            if (imageEmbedder == null) {
                imageEmbedderNote = "no embedder that takes both text and images was given (a CLIP-like one)";
            }
            return new Socratic(this);
        }

        private void check(String id, Modality in, Modality out, String what) {
            if (id == null || id.isBlank()) {
                throw new ValidationException(what + " is not set");
            }
            dev.panic.ModelInfo info = platforms.model(id).info();
            if (info.input() != in || info.output() != out) {
                throw new ValidationException(what + " must take " + in + " and give " + out + "; '" + id + "' is "
                        + info.modalities());
            }
        }
    }
}
