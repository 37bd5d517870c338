package dev.panic.recipes;

import dev.panic.Change;
import dev.panic.Modality;
import dev.panic.Model;
import dev.panic.ModelId;
import dev.panic.Pacing;
import dev.panic.Parameters;
import dev.panic.Payload;
import dev.panic.Platforms;
import dev.panic.Revision;
import dev.panic.Run;
import dev.panic.RunSpec;
import dev.panic.StopRule;
import dev.panic.exception.ValidationException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * AI Telestrations: an image model draws what a captioning model last said, and the captioner
 * describes what was drawn, for ever. Each side has its own system prompt, the image side an
 * image-prompt prefix and the caption side an instruction, and every one of them, and either model,
 * can be changed while the loop runs ({@link Session#apply(String)}, a line such as
 * {@code prefix: a watercolour of} or {@code model caption=ollama:llava}, applied with
 * {@link Run#steer}).
 *
 * <pre>{@code
 * Telestrations game = Telestrations.builder(platforms).prefix("a children's drawing of").build();
 * Run run = game.prepare("a cat on a windowsill").store(store).start();
 * Telestrations.Session session = game.session(run);
 * session.apply("model caption=sim:describer");
 * session.apply("quit");
 * }</pre>
 *
 * <p>The caption side's system prompt and instruction go to the parameters each platform reads:
 * Ollama's {@code system} and {@code prompt}, OpenAI vision models' {@code system_prompt} and
 * {@code instruction}, LLaVA on Replicate's {@code prompt} (the system prompt put before it); the
 * simulator's describer takes none, so they are kept for when the caption side changes model.
 * The image side's system prompt and prefix go before the caption in the image model's prompt.
 * Immutable and thread-safe.
 */
public final class Telestrations {

    /** The node that draws. */
    public static final String IMAGE = "image";
    /** The node that describes. */
    public static final String CAPTION = "caption";
    /** What the captioner is asked by default. */
    public static final String DEFAULT_INSTRUCTION = "Describe this image in one or two sentences.";

    /** The edit lines a {@link Session} understands. */
    public static final List<String> EDITS = List.of("prompt: TEXT", "prefix: TEXT", "image system: TEXT",
            "caption system: TEXT", "instruction: TEXT", "model image=ID", "model caption=ID", "pause", "unpause",
            "status", "quit");
    private static final String HELP = "edits: " + String.join(", ", EDITS)
            + " ('prompt:' gives the next picture's prompt; an empty text removes a prefix, system prompt or instruction)";

    private final Platforms platforms;
    private final String imageModel;
    private final Parameters imageParameters;
    private final String captionModel;
    private final Texts texts;
    private final Pacing pacing;
    private final Integer maxSteps;

    private Telestrations(Builder b) {
        this.platforms = b.platforms;
        this.imageModel = b.imageModel;
        this.imageParameters = b.imageParameters;
        this.captionModel = b.captionModel;
        this.texts = new Texts(b.prefix, b.imageSystem, b.captionSystem, b.instruction);
        this.pacing = b.pacing;
        this.maxSteps = b.maxSteps;
    }

    /** A builder with the offline defaults: {@code sim:painter} and {@code sim:describer}, a second between calls. */
    public static Builder builder(Platforms platforms) {
        return new Builder(platforms);
    }

    /** The texts of both sides at one moment. */
    private record Texts(String prefix, String imageSystem, String captionSystem, String instruction) {
    }

    /**
     * The loop from {@code prompt}, as data: start it with {@code Run.builder(spec, platforms)}. It
     * runs for ever (until stopped) unless a step limit was given.
     *
     * @throws ValidationException if the prompt is blank
     */
    public RunSpec spec(String prompt) {
        if (prompt == null || prompt.isBlank()) {
            throw new ValidationException("Telestrations needs a first prompt: what the first picture shows");
        }
        return prepare(prompt).spec();
    }

    /** A run builder for the loop from {@code prompt}: add a store and listeners, then start it. */
    public Run.Builder prepare(String prompt) {
        if (prompt == null || prompt.isBlank()) {
            throw new ValidationException("Telestrations needs a first prompt: what the first picture shows");
        }
        Model image = platforms.model(imageModel, imageParameters);
        Model caption = platforms.model(captionModel);
        caption = caption.withParameters(captionParameters(caption.id(), texts.captionSystem(), texts.instruction()));
        dev.panic.Network net = dev.panic.Network.builder()
                .add(dev.panic.Network.Node.of(IMAGE, image).withTemplate(imageTemplate(texts)))
                .add(dev.panic.Network.Node.of(CAPTION, caption))
                .build();
        Run.Builder b = Run.builder(net, Payload.text(prompt.strip())).pacing(pacing);
        if (maxSteps == null) {
            b.forever();
        } else {
            b.maxSteps(maxSteps);
        }
        return b;
    }

    /** Edits for a run of this loop, started from {@link #prepare(String)}. */
    public Session session(Run run) {
        return new Session(run);
    }

    /**
     * A running game and the edits made to it. Thread-safe: edits are applied one at a time.
     */
    public final class Session {
        private final Run run;
        private Texts current = texts;
        private boolean quit;

        private Session(Run run) {
            if (run == null || !run.network().hasNode(IMAGE) || !run.network().hasNode(CAPTION)) {
                throw new ValidationException("not a Telestrations run: it needs the nodes '" + IMAGE + "' and '"
                        + CAPTION + "'");
            }
            this.run = run;
        }

        /** The run. */
        public Run run() {
            return run;
        }

        /** True once a {@code quit} edit has stopped the run. */
        public synchronized boolean quit() {
            return quit;
        }

        /**
         * Applies one edit line, and says what it did: {@code prompt: TEXT} (the next picture's
         * prompt), {@code prefix: TEXT}, {@code image system: TEXT}, {@code caption system: TEXT},
         * {@code instruction: TEXT} (an empty text removes it), {@code model image=ID},
         * {@code model caption=ID}, {@code pause}, {@code unpause}, {@code status}, {@code help},
         * {@code quit} (stops the run after the call in flight). Blank lines do nothing.
         *
         * @throws ValidationException if the line is not an edit, or the change would break the network
         *                             (then nothing changes)
         * @throws dev.panic.exception.NotFoundException if a model id is unknown
         */
        public synchronized String apply(String line) {
            String s = line == null ? "" : line.strip();
            if (s.isEmpty()) {
                return "";
            }
            String lower = s.toLowerCase(Locale.ROOT);
            switch (lower) {
                case "quit", "exit", "stop" -> {
                    quit = true;
                    run.stop();
                    return "stopping after the call in flight";
                }
                case "pause" -> {
                    run.pause();
                    return "paused; 'unpause' goes on";
                }
                case "unpause", "resume", "go" -> {
                    run.unpause();
                    return "going on";
                }
                case "help", "?" -> {
                    return HELP;
                }
                case "status" -> {
                    return status();
                }
                default -> {
                    return edit(s);
                }
            }
        }

        private String edit(String s) {
            Matcher model = MODEL.matcher(s);
            if (model.matches()) {
                String side = model.group(1).toLowerCase(Locale.ROOT);
                Model m = platforms.model(model.group(2));
                if (side.equals(IMAGE)) {
                    return steer("image model " + m.id(), Change.model(IMAGE, m.withParameters(imageParameters)));
                }
                m = m.withParameters(captionParameters(m.id(), current.captionSystem(), current.instruction()));
                return steer("caption model " + m.id(), Change.model(CAPTION, m));
            }
            Matcher text = TEXT.matcher(s);
            if (!text.matches()) {
                throw new ValidationException("'" + s + "' is not an edit; " + HELP);
            }
            String value = text.group(2).strip();
            switch (text.group(1).toLowerCase(Locale.ROOT).replaceAll("\\s+", " ")) {
                case "prompt" -> {
                    if (value.isEmpty()) {
                        throw new ValidationException("'prompt:' needs the text of the next picture's prompt");
                    }
                    return steer("the next picture's prompt", Change.inject(IMAGE, Payload.text(value)));
                }
                case "prefix" -> {
                    Texts next = new Texts(value, current.imageSystem(), current.captionSystem(), current.instruction());
                    return steerTexts(next, "prefix", Change.template(IMAGE, imageTemplate(next)));
                }
                case "image system" -> {
                    Texts next = new Texts(current.prefix(), value, current.captionSystem(), current.instruction());
                    return steerTexts(next, "image system prompt", Change.template(IMAGE, imageTemplate(next)));
                }
                case "caption system" -> {
                    Texts next = new Texts(current.prefix(), current.imageSystem(), value, current.instruction());
                    return steerTexts(next, "caption system prompt", captionChange(next));
                }
                default -> {
                    Texts next = new Texts(current.prefix(), current.imageSystem(), current.captionSystem(), value);
                    return steerTexts(next, "caption instruction", captionChange(next));
                }
            }
        }

        private Change captionChange(Texts next) {
            Model m = platforms.model(currentModel(CAPTION).toString());
            return Change.model(CAPTION, m.withParameters(captionParameters(m.id(), next.captionSystem(),
                    next.instruction())));
        }

        private String steerTexts(Texts next, String what, Change change) {
            String done = steer(what, change);
            current = next;
            ModelId caption = currentModel(CAPTION);
            if ((what.startsWith("caption")) && captionParameters(caption, "x", "x").isEmpty()) {
                return done + " (" + caption + " takes no instruction: kept for when the caption side changes model)";
            }
            return done;
        }

        private String steer(String what, Change change) {
            Revision r = run.steer(change);
            return "revision " + r.number() + ": " + what + " changed";
        }

        private ModelId currentModel(String node) {
            return run.spec().network().nodes().stream().filter(n -> n.id().equals(node)).findFirst().orElseThrow()
                    .model();
        }

        private String status() {
            return String.format(Locale.ROOT, "run %s, %s, %d predictions, revision %d; image %s, caption %s;"
                            + " prefix \"%s\", image system \"%s\", caption system \"%s\", instruction \"%s\"",
                    run.id(), run.status().name().toLowerCase(Locale.ROOT), run.size(), run.revision(),
                    currentModel(IMAGE), currentModel(CAPTION), current.prefix(), current.imageSystem(),
                    current.captionSystem(), current.instruction());
        }
    }

    private static final Pattern MODEL = Pattern.compile("(?i)model\\s+(image|caption)\\s*[=\\s]\\s*(\\S+)");
    private static final Pattern TEXT = Pattern.compile("(?is)(prompt|prefix|image\\s+system|caption\\s+system|"
            + "instruction)\\s*:(.*)");

    /** The image node's template: its system prompt, then the prefix before the caption. */
    private static String imageTemplate(Texts t) {
        StringBuilder sb = new StringBuilder();
        if (!t.imageSystem().isBlank()) {
            sb.append(literal(t.imageSystem().strip())).append('\n');
        }
        if (!t.prefix().isBlank()) {
            sb.append(literal(t.prefix().strip())).append(' ');
        }
        return sb.append("{input}").toString();
    }

    /** User text in a template: braces are meant as braces, not placeholders. */
    private static String literal(String text) {
        return text.replace("{", "{{").replace("}", "}}");
    }

    /**
     * The caption model's parameters for a system prompt and an instruction, in the names its
     * platform reads; empty for a model that takes neither (the simulator's describer, BLIP).
     */
    static Parameters captionParameters(ModelId model, String system, String instruction) {
        String sys = system == null ? "" : system.strip();
        String ins = instruction == null ? "" : instruction.strip();
        Parameters p = Parameters.empty();
        switch (model.platform()) {
            case "ollama" -> {
                p = ins.isEmpty() ? p : p.with("prompt", ins);
                p = sys.isEmpty() ? p : p.with("system", sys);
            }
            case "openai" -> {
                if (model.name().startsWith("vision/")) {
                    p = ins.isEmpty() ? p : p.with("instruction", ins);
                    p = sys.isEmpty() ? p : p.with("system_prompt", sys);
                }
            }
            case "replicate" -> {
                if (model.name().equals("yorickvp/llava-13b")) {
                    String both = (sys + "\n" + ins).strip();
                    p = both.isEmpty() ? p : p.with("prompt", both);
                }
            }
            default -> {
            }
        }
        return p;
    }

    /** Configures {@link Telestrations}. Not thread-safe. */
    public static final class Builder {
        private final Platforms platforms;
        private String imageModel = "sim:painter";
        private Parameters imageParameters = Parameters.empty();
        private String captionModel = "sim:describer";
        private String prefix = "";
        private String imageSystem = "";
        private String captionSystem = "";
        private String instruction = DEFAULT_INSTRUCTION;
        private Pacing pacing = Pacing.fixed(Duration.ofSeconds(1));
        private Integer maxSteps;

        private Builder(Platforms platforms) {
            if (platforms == null) {
                throw new ValidationException("Telestrations needs the platforms to find its models in");
            }
            this.platforms = platforms;
        }

        /** The image model (TEXT to IMAGE), by id; {@code sim:painter} by default. */
        public Builder imageModel(String modelId) {
            this.imageModel = modelId;
            return this;
        }

        /** Parameters for the image model (a size, a quality...). */
        public Builder imageParameters(Parameters parameters) {
            this.imageParameters = parameters == null ? Parameters.empty() : parameters;
            return this;
        }

        /** The captioning model (IMAGE to TEXT), by id; {@code sim:describer} by default. */
        public Builder captionModel(String modelId) {
            this.captionModel = modelId;
            return this;
        }

        /** Words put before each caption in the image prompt, e.g. "a watercolour of"; none by default. */
        public Builder prefix(String text) {
            this.prefix = text == null ? "" : text;
            return this;
        }

        /** The image side's system prompt, put first in every image prompt; none by default. */
        public Builder imageSystem(String text) {
            this.imageSystem = text == null ? "" : text;
            return this;
        }

        /** The caption side's system prompt, where the caption model takes one; none by default. */
        public Builder captionSystem(String text) {
            this.captionSystem = text == null ? "" : text;
            return this;
        }

        /** What the captioner is asked about each picture; {@link #DEFAULT_INSTRUCTION} by default. */
        public Builder instruction(String text) {
            this.instruction = text == null ? "" : text;
            return this;
        }

        /** The wait before each call after the first; a second by default. */
        public Builder pacing(Pacing pacing) {
            this.pacing = pacing == null ? Pacing.none() : pacing;
            return this;
        }

        /** Ends the game after {@code steps} predictions; by default it runs until stopped. */
        public Builder maxSteps(int steps) {
            StopRule.maxSteps(steps);
            this.maxSteps = steps;
            return this;
        }

        /**
         * The game, its models checked.
         *
         * @throws ValidationException if a model is of the wrong modalities
         * @throws dev.panic.exception.NotFoundException if a model cannot be found
         */
        public Telestrations build() {
            Model image = platforms.model(imageModel, imageParameters);
            if (image.input() != Modality.TEXT || image.output() != Modality.IMAGE) {
                throw new ValidationException("the image side must turn text into images; '" + imageModel + "' is "
                        + image.info().modalities());
            }
            Model caption = platforms.model(captionModel);
            if (caption.input() != Modality.IMAGE || caption.output() != Modality.TEXT) {
                throw new ValidationException("the caption side must turn images into text; '" + captionModel
                        + "' is " + caption.info().modalities());
            }
            return new Telestrations(this);
        }
    }

    @Override
    public String toString() {
        return "Telestrations[" + imageModel + " <-> " + captionModel + "]";
    }
}
