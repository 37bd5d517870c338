package dev.panic.recipes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.panic.Modality;
import dev.panic.Model;
import dev.panic.ModelOutput;
import dev.panic.Parameters;
import dev.panic.Payload;
import dev.panic.Platforms;
import dev.panic.exception.PanicException;
import dev.panic.exception.ValidationException;
import dev.panic.recipes.internal.FileOut;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;

/**
 * The prompt generator: a language model writes image prompts as JSON ({@code title},
 * {@code description}, {@code metatags}), guided by suggestions drawn at random from lists of
 * themes, elements and environments and by few-shot examples; the prompts go to a CSV file, or one
 * of them to an image model for a batch of pictures in a folder named after its title, with
 * {@code info.md} and {@code info.json} beside them.
 *
 * <pre>{@code
 * PromptGenerator generator = PromptGenerator.builder(platforms).writer("sim:prompter").seed(7).build();
 * List<GeneratedPrompt> prompts = generator.write(10).join();
 * Csv.append(Path.of("output/batch_prompts.csv"), GeneratedPrompt.COLUMNS, prompts.stream().map(GeneratedPrompt::row).toList());
 * PromptGenerator.Batch batch = generator.batch(prompts.get(0), platforms.model("sim:painter"), 4, Path.of("output"));
 * }</pre>
 *
 * <p>The shipped suggestions and examples ({@link Suggestions#defaults()}, {@link #defaultExamples()})
 * can be replaced with the user's own. Every answer is checked ({@link JsonAnswer}) and asked for
 * again with the error when it is not valid JSON with the three fields, so a broken answer never
 * becomes a prompt. Immutable and thread-safe.
 */
public final class PromptGenerator {

    /** The writer's instructions; the suggestions and examples follow them. */
    public static final String INSTRUCTIONS = "You write prompts for an image generator. Answer with one JSON object"
            + " with the keys \"title\" (a short name for the picture), \"description\" (what it shows, in one or two"
            + " sentences) and \"metatags\" (comma-separated tags), and nothing else. Build on these suggestions:";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Model writer;
    private final Suggestions suggestions;
    private final List<GeneratedPrompt> examples;
    private final long seed;
    private final int attempts;

    private PromptGenerator(Builder b) {
        this.writer = b.writer;
        this.suggestions = b.suggestions;
        this.examples = List.copyOf(b.examples);
        this.seed = b.seed;
        this.attempts = b.attempts;
    }

    /** A builder; the writer is {@code sim:prompter} unless another is given. */
    public static Builder builder(Platforms platforms) {
        return new Builder(platforms);
    }

    /**
     * Lists of suggestions the generator draws from for each prompt: one theme, two elements and one
     * environment.
     *
     * @param themes       styles and moods ("steampunk", "film noir")
     * @param elements     things to show ("a brass owl")
     * @param environments places and times ("a foggy harbour at dawn")
     */
    public record Suggestions(List<String> themes, List<String> elements, List<String> environments) {
        /** Checks that no list is empty, and copies. */
        public Suggestions {
            themes = nonEmpty(themes, "theme");
            elements = nonEmpty(elements, "elements");
            environments = nonEmpty(environments, "environment");
        }

        /** The lists shipped with PANIC ({@code dev/panic/recipes/prompts/suggestions.json}). */
        public static Suggestions defaults() {
            return parse(resource("suggestions.json"), "the shipped suggestions");
        }

        /**
         * Suggestions from a JSON file: {@code {"theme": [...], "elements": [...], "environment": [...]}}.
         *
         * @throws ValidationException naming the file and what is wrong
         */
        public static Suggestions read(Path file) {
            return parse(readText(file), file.toString());
        }

        private static Suggestions parse(String json, String where) {
            try {
                JsonNode n = JSON.readTree(json);
                return new Suggestions(strings(n, "theme", where), strings(n, "elements", where),
                        strings(n, "environment", where));
            } catch (IOException e) {
                throw new ValidationException(where + " is not valid JSON: " + e.getMessage().lines().findFirst()
                        .orElse(""), e);
            }
        }

        private static List<String> strings(JsonNode n, String key, String where) {
            JsonNode list = n == null ? null : n.get(key);
            if (list == null || !list.isArray()) {
                throw new ValidationException(where + " needs a list \"" + key + "\" of texts");
            }
            List<String> out = new ArrayList<>();
            list.forEach(v -> {
                if (!v.isTextual() || v.asText().isBlank()) {
                    throw new ValidationException(where + ": \"" + key + "\" holds " + v + ", not a text");
                }
                out.add(v.asText().strip());
            });
            return out;
        }

        private static List<String> nonEmpty(List<String> list, String what) {
            if (list == null || list.isEmpty()) {
                throw new ValidationException("the suggestions need at least one " + what);
            }
            return List.copyOf(list);
        }
    }

    /** The few-shot examples shipped with PANIC ({@code dev/panic/recipes/prompts/examples.jsonl}). */
    public static List<GeneratedPrompt> defaultExamples() {
        return parseExamples(resource("examples.jsonl"), "the shipped examples");
    }

    /**
     * Few-shot examples from a JSON Lines file: one {@code {"title", "description", "metatags"}} object a line.
     *
     * @throws ValidationException naming the file and line that is not such an object
     */
    public static List<GeneratedPrompt> readExamples(Path file) {
        return parseExamples(readText(file), file.toString());
    }

    private static List<GeneratedPrompt> parseExamples(String text, String where) {
        List<GeneratedPrompt> out = new ArrayList<>();
        String[] lines = text.split("\\R");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty()) {
                continue;
            }
            Optional<String> problem = JsonAnswer.problem(line, List.of(GeneratedPrompt.FIELDS));
            if (problem.isPresent()) {
                throw new ValidationException(where + ", line " + (i + 1) + ": " + problem.get());
            }
            try {
                JsonNode n = JSON.readTree(line);
                out.add(GeneratedPrompt.of(n.get("title").asText(), n.get("description").asText(),
                        n.get("metatags").asText()));
            } catch (IOException e) {
                throw new ValidationException(where + ", line " + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    /** The model that writes the prompts. */
    public Model writer() {
        return writer;
    }

    /** What the writer is asked for the {@code index}-th prompt (from 0): instructions, suggestions, examples. */
    public String request(int index) {
        SplittableRandom random = new SplittableRandom(seed + 0x9e3779b97f4a7c15L * (index + 1L));
        String theme = pick(suggestions.themes(), random);
        String first = pick(suggestions.elements(), random);
        String second = suggestions.elements().size() > 1 ? first : null;
        while (second != null && second.equals(first)) {
            second = pick(suggestions.elements(), random);
        }
        String environment = pick(suggestions.environments(), random);
        StringBuilder sb = new StringBuilder(INSTRUCTIONS).append('\n');
        sb.append("theme: ").append(theme).append('\n');
        sb.append("elements: ").append(first).append(second == null ? "" : "; " + second).append('\n');
        sb.append("environment: ").append(environment).append('\n');
        if (!examples.isEmpty()) {
            sb.append("examples:\n");
            for (GeneratedPrompt e : examples) {
                ObjectNode o = JSON.createObjectNode();
                o.put("title", e.title());
                o.put("description", e.description());
                o.put("metatags", e.metatags());
                sb.append(o.toString()).append('\n');
            }
        }
        return sb.toString();
    }

    /**
     * Writes {@code count} prompts, asking for them all at once.
     *
     * @return a future of the prompts in order; it fails with an
     *         {@link dev.panic.exception.InvalidAnswerException} if a prompt could not be had in valid JSON
     */
    public CompletableFuture<List<GeneratedPrompt>> write(int count) {
        if (count < 1) {
            throw new ValidationException("ask for at least 1 prompt, got " + count);
        }
        JsonAnswer ask = JsonAnswer.of(writer, GeneratedPrompt.FIELDS).attempts(attempts);
        List<CompletableFuture<GeneratedPrompt>> calls = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            calls.add(ask.ask(request(i)).thenApply(a -> GeneratedPrompt.of(a.text("title"), a.text("description"),
                    a.text("metatags"))));
        }
        return CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new))
                .thenApply(v -> calls.stream().map(CompletableFuture::join).toList());
    }

    /**
     * A batch of pictures of one prompt, in its folder.
     *
     * @param folder   the folder, named after the prompt's title
     * @param prompt   the prompt
     * @param images   the pictures written, in order
     * @param failures why the other calls failed (a refusal, an error), in order
     * @param costUsd  what the image calls cost, as far as the platform said
     */
    public record Batch(Path folder, GeneratedPrompt prompt, List<Path> images, List<String> failures, double costUsd) {
        /** Copies. */
        public Batch {
            images = List.copyOf(images);
            failures = List.copyOf(failures);
        }
    }

    /**
     * Makes {@code count} pictures of {@code prompt} with {@code imageModel} (with its parameters: a
     * size...), each with its own seed where the model takes one, and writes them with {@code info.md}
     * and {@code info.json} into a new folder under {@code root} named after the prompt's title
     * ({@code -2}, {@code -3}... if it exists). A call that fails is listed in the info, not retried.
     *
     * @throws ValidationException if the model does not turn text into images
     * @throws PanicException      if the folder cannot be written, or every call failed
     */
    public Batch batch(GeneratedPrompt prompt, Model imageModel, int count, Path root) {
        if (imageModel == null || imageModel.input() != Modality.TEXT || imageModel.output() != Modality.IMAGE) {
            throw new ValidationException("the batch needs a model that turns text into images; got "
                    + (imageModel == null ? "null" : imageModel.id() + " (" + imageModel.info().modalities() + ")"));
        }
        if (count < 1) {
            throw new ValidationException("ask for at least 1 picture, got " + count);
        }
        String seedName = imageModel.info().seedParameter().orElse(null);
        List<CompletableFuture<ModelOutput>> calls = new ArrayList<>();
        List<Long> seeds = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Long s = seedName == null ? null : Math.floorMod(seed + i, 1L << 31);
            seeds.add(s);
            try {
                calls.add(imageModel.invokeAsync(Payload.text(prompt.prompt()),
                        s == null ? Parameters.empty() : Parameters.of(seedName, s)));
            } catch (RuntimeException e) {
                calls.add(CompletableFuture.failedFuture(e));
            }
        }
        Path folder = FileOut.fresh(root, FileOut.slug(prompt.title()));
        List<Path> written = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        ArrayNode imagesInfo = JSON.createArrayNode();
        double cost = 0;
        for (int i = 0; i < count; i++) {
            ModelOutput out;
            try {
                out = calls.get(i).join();
            } catch (RuntimeException e) {
                failures.add("picture " + (i + 1) + ": " + PanicException.from(e).getMessage());
                continue;
            }
            Payload.Image image = (Payload.Image) out.payload();
            String name = String.format(Locale.ROOT, "image-%02d.%s", i + 1, dev.panic.MediaTypes.extension(
                    image.mediaType()));
            FileOut.write(folder.resolve(name), image.data());
            written.add(folder.resolve(name));
            cost += out.metadata().costUsd().orElse(0);
            ObjectNode o = imagesInfo.addObject();
            o.put("file", name);
            Long usedSeed = out.metadata().seed().isPresent() ? (Long) out.metadata().seed().getAsLong() : seeds.get(i);
            if (usedSeed != null) {
                o.put("seed", usedSeed);
            }
            out.metadata().costUsd().ifPresent(c -> o.put("cost_usd", c));
            out.metadata().modelVersion().ifPresent(v -> o.put("model_version", v));
            image.size().ifPresent(sz -> o.put("size", sz.toString()));
        }
        if (written.isEmpty()) {
            throw new PanicException("no picture of \"" + prompt.title() + "\" could be made: "
                    + String.join("; ", failures));
        }
        ObjectNode info = JSON.createObjectNode();
        info.put("title", prompt.title());
        info.put("description", prompt.description());
        info.put("metatags", prompt.metatags());
        info.put("prompt", prompt.prompt());
        info.put("model", imageModel.id().toString());
        info.set("parameters", JSON.valueToTree(imageModel.parameters().asMap()));
        info.put("created", Instant.now().toString());
        info.put("writer", writer.id().toString());
        info.set("images", imagesInfo);
        ArrayNode failed = info.putArray("failures");
        failures.forEach(failed::add);
        try {
            FileOut.write(folder.resolve("info.json"), JSON.writeValueAsString(info) + "\n");
        } catch (IOException e) {
            throw new PanicException("cannot write info.json: " + e.getMessage(), e);
        }
        FileOut.write(folder.resolve("info.md"), infoMarkdown(prompt, imageModel, written, failures));
        return new Batch(folder, prompt, written, failures, cost);
    }

    /**
     * The parameters that ask {@code model} for pictures of {@code width} x {@code height}, in the
     * names its platform reads: the simulator's {@code size} (it draws squares, so the larger side,
     * at most 1024), OpenAI's {@code size} ({@code "1024x576"}; the model checks what it accepts).
     *
     * @throws ValidationException for another platform, whose models name their size parameters each
     *                             their own way: give them as the model's own parameters
     */
    public static Parameters size(dev.panic.ModelId model, int width, int height) {
        if (width < 1 || height < 1) {
            throw new ValidationException("a picture's size must be positive, got " + width + "x" + height);
        }
        return switch (model.platform()) {
            case "sim" -> Parameters.of("size", Math.max(64, Math.min(1024, Math.max(width, height))));
            case "openai" -> Parameters.of("size", width + "x" + height);
            default -> throw new ValidationException("PANIC does not know how " + model + " takes a size; give its own"
                    + " size parameters instead (e.g. --param width=" + width + " --param height=" + height
                    + ", as its documentation names them)");
        };
    }

    private String infoMarkdown(GeneratedPrompt prompt, Model imageModel, List<Path> images, List<String> failures) {
        StringBuilder md = new StringBuilder("# ").append(prompt.title()).append("\n\n");
        md.append(prompt.description()).append("\n\n");
        md.append("- **Tags:** ").append(prompt.metatags()).append('\n');
        md.append("- **Prompt:** ").append(prompt.prompt()).append('\n');
        md.append("- **Image model:** `").append(imageModel.id()).append('`');
        if (!imageModel.parameters().isEmpty()) {
            md.append(" with ").append(imageModel.parameters().asMap());
        }
        md.append('\n');
        md.append("- **Written by:** `").append(writer.id()).append("`\n\n");
        for (Path p : images) {
            md.append("![").append(p.getFileName()).append("](").append(p.getFileName()).append(")\n");
        }
        if (!failures.isEmpty()) {
            md.append("\nNot made:\n\n");
            failures.forEach(f -> md.append("- ").append(f).append('\n'));
        }
        return md.toString();
    }

    private static String pick(List<String> list, SplittableRandom random) {
        return list.get(random.nextInt(list.size()));
    }

    private static String resource(String name) {
        try (InputStream in = PromptGenerator.class.getResourceAsStream("prompts/" + name)) {
            if (in == null) {
                throw new IllegalStateException("the resource dev/panic/recipes/prompts/" + name + " is missing");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the resource " + name, e);
        }
    }

    private static String readText(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new ValidationException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Configures a {@link PromptGenerator}. Not thread-safe. */
    public static final class Builder {
        private final Platforms platforms;
        private Model writer;
        private Suggestions suggestions;
        private List<GeneratedPrompt> examples;
        private long seed = new SplittableRandom().nextLong();
        private int attempts = JsonAnswer.DEFAULT_ATTEMPTS;

        private Builder(Platforms platforms) {
            if (platforms == null) {
                throw new ValidationException("the prompt generator needs the platforms to find its models in");
            }
            this.platforms = platforms;
        }

        /** The model that writes prompts, by id ({@code sim:prompter} by default, {@code openai:chat/gpt-4o-mini}...). */
        public Builder writer(String modelId) {
            return writer(platforms.model(modelId));
        }

        /** The model that writes prompts. */
        public Builder writer(Model model) {
            this.writer = model;
            return this;
        }

        /** The lists to draw suggestions from; {@link Suggestions#defaults()} by default. */
        public Builder suggestions(Suggestions suggestions) {
            this.suggestions = suggestions;
            return this;
        }

        /** The few-shot examples; {@link #defaultExamples()} by default; an empty list for none. */
        public Builder examples(List<GeneratedPrompt> examples) {
            this.examples = examples;
            return this;
        }

        /** The seed of the suggestion draws (and of the pictures' seeds): the same seed, the same requests. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** How many answers to ask for per prompt before giving up; {@value JsonAnswer#DEFAULT_ATTEMPTS} by default. */
        public Builder attempts(int attempts) {
            if (attempts < 1) {
                throw new ValidationException("attempts must be at least 1, got " + attempts);
            }
            this.attempts = attempts;
            return this;
        }

        /**
         * The generator.
         *
         * @throws ValidationException if the writer does not take and give text
         */
        public PromptGenerator build() {
            if (writer == null) {
                writer = platforms.model("sim:prompter");
            }
            JsonAnswer.of(writer, GeneratedPrompt.FIELDS); // checks the modalities now
            if (suggestions == null) {
                suggestions = Suggestions.defaults();
            }
            if (examples == null) {
                examples = defaultExamples();
            }
            return new PromptGenerator(this);
        }
    }
}
