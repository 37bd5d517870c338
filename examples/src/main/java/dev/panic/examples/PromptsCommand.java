package dev.panic.examples;

import dev.panic.Model;
import dev.panic.ModelId;
import dev.panic.Parameters;
import dev.panic.Platforms;
import dev.panic.exception.PanicException;
import dev.panic.exception.ValidationException;
import dev.panic.recipes.Csv;
import dev.panic.recipes.GeneratedPrompt;
import dev.panic.recipes.PromptGenerator;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code panic prompts}: a language model writes image prompts; a batch of pictures of one, or a CSV of N. */
@Command(name = "prompts", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"A language model writes image prompts as JSON (title, description, metatags), from suggestions"
                + " drawn from lists of themes, elements and environments and from few-shot examples. An answer that is"
                + " not valid JSON with those fields is asked for again with the error, and never written.",
                "By default one prompt is written and N pictures made of it, into OUT/TITLE/ with info.md and "
                        + "info.json. With --only-prompts, N prompts are appended to OUT/batch_prompts.csv (title, "
                        + "description, metatags, prompt), the header written once.",
                "Offline by default: sim:prompter writes, sim:painter draws."})
final class PromptsCommand implements Callable<Integer> {

    private static final Pattern SIZE = Pattern.compile("(\\d{1,5})x(\\d{1,5})");

    @picocli.CommandLine.Parameters(index = "0", paramLabel = "N", description = "How many pictures (or, with --only-prompts, prompts).")
    int count;

    @Option(names = "--only-prompts", description = "Write N prompts to the CSV file and make no picture.")
    boolean onlyPrompts;

    @Option(names = "--size", paramLabel = "WxH", description = "The pictures' size, e.g. 1024x576 (the simulator"
            + " draws squares of the larger side).")
    String size;

    @Option(names = "--image-model", paramLabel = "MODEL", defaultValue = "sim:painter",
            description = "The image model. Default: ${DEFAULT-VALUE}.")
    String imageModel;

    @Option(names = "--param", paramLabel = "KEY=VALUE", description = "A parameter of the image model (repeatable).")
    Map<String, String> params;

    @Option(names = "--writer", paramLabel = "MODEL", defaultValue = "sim:prompter",
            description = "The language model that writes the prompts. Default: ${DEFAULT-VALUE}.")
    String writer;

    @Option(names = "--suggestions", paramLabel = "FILE",
            description = "Your own suggestion lists: {\"theme\": [...], \"elements\": [...], \"environment\": [...]}.")
    Path suggestions;

    @Option(names = "--examples", paramLabel = "FILE",
            description = "Your own few-shot examples: a JSON object with title, description and metatags a line.")
    Path examples;

    @Option(names = "--seed", paramLabel = "N", description = "Draw the same suggestions as another call with this seed.")
    Long seed;

    @Option(names = {"-o", "--output-dir"}, paramLabel = "DIR", defaultValue = "output",
            description = "Where the batch folders and batch_prompts.csv go. Default: ${DEFAULT-VALUE}.")
    Path outputDir;

    private final Supplier<Platforms> platforms;
    private final Console console;

    PromptsCommand(Supplier<Platforms> platforms, Console console) {
        this.platforms = platforms;
        this.console = console;
    }

    @Override
    public Integer call() {
        if (count < 1) {
            throw new ValidationException("N must be at least 1, got " + count);
        }
        if (onlyPrompts && (size != null || params != null)) {
            throw new ValidationException("--only-prompts makes no picture: leave out --size and --param");
        }
        Platforms registry = platforms.get();
        PromptGenerator.Builder b = PromptGenerator.builder(registry).writer(writer);
        if (suggestions != null) {
            b.suggestions(PromptGenerator.Suggestions.read(suggestions));
        }
        if (examples != null) {
            b.examples(PromptGenerator.readExamples(examples));
        }
        if (seed != null) {
            b.seed(seed);
        }
        PromptGenerator generator = b.build();
        List<ModelId> models = new ArrayList<>(List.of(ModelId.parse(writer)));
        Model image = onlyPrompts ? null : imageModel(registry);
        if (image != null) {
            models.add(image.id());
        }
        if (!RunWatch.platformsReady(registry, models, console)) {
            return PanicCli.FAILED;
        }
        List<GeneratedPrompt> prompts;
        try {
            prompts = generator.write(onlyPrompts ? count : 1).join();
        } catch (RuntimeException e) {
            throw PanicException.from(e);
        }
        if (onlyPrompts) {
            Path csv = outputDir.resolve("batch_prompts.csv");
            Csv.append(csv, GeneratedPrompt.COLUMNS, prompts.stream().map(GeneratedPrompt::row).toList());
            prompts.forEach(p -> console.line(p.title() + ": " + p.prompt()));
            console.line("appended " + prompts.size() + " prompt" + (prompts.size() == 1 ? "" : "s") + " to " + csv);
            return 0;
        }
        GeneratedPrompt prompt = prompts.get(0);
        console.line("title:   " + prompt.title());
        console.line("prompt:  " + prompt.prompt());
        PromptGenerator.Batch batch = generator.batch(prompt, image, count, outputDir);
        batch.images().forEach(p -> console.line("picture: " + p));
        batch.failures().forEach(f -> console.error("not made: " + f));
        console.line("written: " + batch.folder() + " (info.md, info.json)");
        return batch.failures().isEmpty() ? 0 : PanicCli.FAILED;
    }

    private Model imageModel(Platforms registry) {
        Parameters p = Parameters.empty();
        ModelId id = ModelId.parse(imageModel);
        if (size != null) {
            Matcher m = SIZE.matcher(size.strip());
            if (!m.matches()) {
                throw new ValidationException("--size is '" + size + "'; write it as WIDTHxHEIGHT, e.g. 1024x576");
            }
            p = p.merge(PromptGenerator.size(id, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))));
        }
        if (params != null) {
            for (Map.Entry<String, String> e : params.entrySet()) {
                p = p.with(e.getKey(), ForkCommand.typed(e.getValue()));
            }
        }
        return registry.model(imageModel, p);
    }
}
