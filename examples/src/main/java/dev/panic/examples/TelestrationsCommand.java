package dev.panic.examples;

import dev.panic.ModelId;
import dev.panic.Pacing;
import dev.panic.Platforms;
import dev.panic.Run;
import dev.panic.exception.PanicException;
import dev.panic.recipes.Telestrations;
import dev.panic.RunStore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code panic telestrations}: the endless text-to-image / image-to-text game, steered from the terminal. */
@Command(name = "telestrations", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"AI Telestrations: an image model draws what a captioning model last said, the captioner says "
                + "what was drawn, for ever (or --max-steps). Each side has its own system prompt; the image side a "
                + "prefix, the caption side an instruction.",
                "While it runs, type an edit and Enter: 'prompt: TEXT' (the next picture's prompt), 'prefix: TEXT', "
                        + "'image system: TEXT', 'caption system: TEXT', 'instruction: TEXT', 'model image=ID', "
                        + "'model caption=ID', 'pause', 'unpause', 'status', 'help', 'quit'. Ctrl-C also ends it."})
final class TelestrationsCommand implements Callable<Integer> {

    @Option(names = {"-p", "--prompt"}, paramLabel = "TEXT", defaultValue = RunCommand.DEFAULT_PROMPT,
            description = "The first picture's prompt. Default: \"${DEFAULT-VALUE}\".")
    String prompt;

    @Option(names = "--image-model", paramLabel = "MODEL", defaultValue = "sim:painter",
            description = "The image model. Default: ${DEFAULT-VALUE}.")
    String imageModel;

    @Option(names = "--caption-model", paramLabel = "MODEL", defaultValue = "sim:describer",
            description = "The captioning model. Default: ${DEFAULT-VALUE}.")
    String captionModel;

    @Option(names = "--prefix", paramLabel = "TEXT", defaultValue = "",
            description = "Words before every caption in the image prompt, e.g. \"a watercolour of\".")
    String prefix;

    @Option(names = "--image-system", paramLabel = "TEXT", defaultValue = "",
            description = "The image side's system prompt, put first in every image prompt.")
    String imageSystem;

    @Option(names = "--caption-system", paramLabel = "TEXT", defaultValue = "",
            description = "The caption side's system prompt, where its model takes one.")
    String captionSystem;

    @Option(names = "--instruction", paramLabel = "TEXT", defaultValue = Telestrations.DEFAULT_INSTRUCTION,
            description = "What the captioner is asked about each picture, where its model takes it. Default: "
                    + "\"${DEFAULT-VALUE}\".")
    String instruction;

    @Option(names = "--pace", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = "1s",
            description = "The wait before each call after the first. Default: ${DEFAULT-VALUE}.")
    Duration pace;

    @Option(names = {"-s", "--max-steps"}, paramLabel = "N", description = "End after N predictions; by default it"
            + " runs until 'quit' or Ctrl-C.")
    Integer maxSteps;

    @Option(names = {"-o", "--output-dir"}, paramLabel = "DIR", defaultValue = "panic-runs",
            description = "Folder to save the game in. Default: ${DEFAULT-VALUE}.")
    Path outputDir;

    @Option(names = "--no-save", description = "Do not save the game.")
    boolean noSave;

    private final Supplier<Platforms> platforms;
    private final Console console;

    TelestrationsCommand(Supplier<Platforms> platforms, Console console) {
        this.platforms = platforms;
        this.console = console.withoutStatus();
    }

    @Override
    public Integer call() {
        Platforms registry = platforms.get();
        Telestrations.Builder b = Telestrations.builder(registry).imageModel(imageModel).captionModel(captionModel)
                .prefix(prefix).imageSystem(imageSystem).captionSystem(captionSystem).instruction(instruction)
                .pacing(Pacing.fixed(pace));
        if (maxSteps != null) {
            b.maxSteps(maxSteps);
        }
        Telestrations game = b.build();
        if (!RunWatch.platformsReady(registry, List.of(ModelId.parse(imageModel), ModelId.parse(captionModel)),
                console)) {
            return PanicCli.FAILED;
        }
        Run.Builder run = game.prepare(prompt);
        if (!noSave) {
            run.store(RunStore.directory(outputDir));
        }
        console.line("telestrations: " + imageModel + " <-> " + captionModel + "; type 'help' for the edits, 'quit' to"
                + " end");
        return RunWatch.follow(run, console, maxSteps, noSave ? null : outputDir, started -> listen(game.session(started)));
    }

    /** Reads edits from the terminal on a thread of its own until the game ends, 'quit' or the end of input. */
    private void listen(Telestrations.Session session) {
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(console.in(), StandardCharsets.UTF_8))) {
                String line;
                while (!session.run().status().isFinal() && (line = in.readLine()) != null) {
                    try {
                        String said = session.apply(line);
                        // A steering change is shown by the progress lines as its revision.
                        if (!said.isEmpty() && !said.startsWith("revision ")) {
                            console.line("    " + said);
                        }
                    } catch (PanicException e) {
                        console.error(e.getMessage());
                    }
                    if (session.quit()) {
                        return;
                    }
                }
            } catch (IOException e) {
                console.error("cannot read edits: " + e.getMessage());
            }
        }, "panic-telestrations-edits");
        reader.setDaemon(true);
        reader.start();
    }
}
