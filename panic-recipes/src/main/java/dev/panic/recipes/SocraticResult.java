package dev.panic.recipes;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.panic.MediaTypes;
import dev.panic.Payload;
import dev.panic.StopReason;
import dev.panic.Verdict;
import dev.panic.exception.PanicException;
import dev.panic.recipes.internal.FileOut;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * A Socratic run read back and scored: every cycle's prompt, picture, caption, verdict and scores,
 * why it stopped and which picture is the best.
 *
 * @param runId         the run
 * @param intent        what the picture should show: the run's initial input
 * @param cycles        the cycles in order
 * @param stopReason    why the run ended (the judge, the cycle limit, a budget...); empty if it has not
 * @param bestCycle     the number of the best cycle; empty if no cycle made a picture
 * @param selectedBy    how the best cycle was chosen, in words
 * @param captionScorer the text embedder that scored captions, or "not available: why"
 * @param imageScorer   the embedder that scored pictures against the intent, or "not available: why"
 * @param costUsd       what the run's model calls cost, as far as the platforms said (the judge's calls not included)
 */
public record SocraticResult(String runId, String intent, List<Cycle> cycles, Optional<StopReason> stopReason,
                             OptionalInt bestCycle, String selectedBy, String captionScorer, String imageScorer,
                             double costUsd) {

    /** The columns of {@code cycles.csv}. */
    public static final List<String> COLUMNS = List.of("cycle", "prompt", "image", "caption", "verdict",
            "caption_to_intent", "image_to_intent", "notes");

    /** Copies the list and stores a {@code null} part as empty. */
    public SocraticResult {
        cycles = List.copyOf(cycles);
        stopReason = stopReason == null ? Optional.empty() : stopReason;
        bestCycle = bestCycle == null ? OptionalInt.empty() : bestCycle;
    }

    /**
     * One cycle: a picture of a prompt and what the captioner and the judge said about it.
     *
     * @param number          1 for the first cycle
     * @param prompt          what the image model was given
     * @param image           what it drew
     * @param caption         what the captioner said; empty if it did not answer
     * @param verdict         what the judge said about the caption; empty if no judge was asked
     * @param captionToIntent cosine similarity of the caption to the intent; empty if not scored
     * @param imageToIntent   cosine similarity of the picture to the intent in a cross-modal space; empty if not
     *                        scored
     * @param notes           what went wrong before this picture (a refused prompt and what the policy did)
     */
    public record Cycle(int number, String prompt, Payload.Image image, Optional<String> caption,
                        Optional<Verdict> verdict, OptionalDouble captionToIntent, OptionalDouble imageToIntent,
                        List<String> notes) {
        /** Copies the list and stores a {@code null} part as empty. */
        public Cycle {
            notes = List.copyOf(notes);
            caption = caption == null ? Optional.empty() : caption;
            verdict = verdict == null ? Optional.empty() : verdict;
            captionToIntent = captionToIntent == null ? OptionalDouble.empty() : captionToIntent;
            imageToIntent = imageToIntent == null ? OptionalDouble.empty() : imageToIntent;
        }

        /** {@code cycle-01.png}: the picture's file name in a result folder. */
        public String imageFile() {
            return String.format(Locale.ROOT, "cycle-%02d.%s", number, MediaTypes.extension(image.mediaType()));
        }
    }

    /** True if the judge said a caption matched the intent. */
    public boolean matched() {
        return cycles.stream().anyMatch(c -> c.verdict().filter(Verdict::stop).isPresent());
    }

    /** The best cycle, if a cycle made a picture. */
    public Optional<Cycle> best() {
        return bestCycle.isEmpty() ? Optional.empty()
                : cycles.stream().filter(c -> c.number() == bestCycle.getAsInt()).findFirst();
    }

    /**
     * Writes the result into {@code dir}: {@code cycle-01.png}..., {@code best.png}, {@code cycles.csv}
     * (one row per cycle), {@code summary.json} and {@code summary.md}.
     *
     * @throws PanicException if a file cannot be written
     */
    public void writeTo(Path dir) {
        List<List<?>> rows = new ArrayList<>();
        for (Cycle c : cycles) {
            FileOut.write(dir.resolve(c.imageFile()), c.image().data());
            rows.add(List.of(c.number(), c.prompt(), c.imageFile(), c.caption().orElse(""),
                    c.verdict().map(Verdict::answer).orElse(""), score(c.captionToIntent()),
                    score(c.imageToIntent()), String.join("; ", c.notes())));
        }
        best().ifPresent(b -> FileOut.write(dir.resolve("best." + MediaTypes.extension(b.image().mediaType())),
                b.image().data()));
        Csv.write(dir.resolve("cycles.csv"), COLUMNS, rows);
        FileOut.write(dir.resolve("summary.json"), json());
        FileOut.write(dir.resolve("summary.md"), markdown());
    }

    private String json() {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode o = mapper.createObjectNode();
        o.put("run", runId);
        o.put("intent", intent);
        stopReason.ifPresent(r -> {
            o.put("stop_rule", r.rule());
            o.put("stop_reason", r.message());
        });
        o.put("matched", matched());
        bestCycle.ifPresent(b -> o.put("best_cycle", b));
        o.put("selected_by", selectedBy);
        o.put("caption_scorer", captionScorer);
        o.put("image_scorer", imageScorer);
        o.put("cost_usd", costUsd);
        ArrayNode list = o.putArray("cycles");
        for (Cycle c : cycles) {
            ObjectNode n = list.addObject();
            n.put("cycle", c.number());
            n.put("prompt", c.prompt());
            n.put("image", c.imageFile());
            n.put("caption", c.caption().orElse(null));
            c.verdict().ifPresent(v -> {
                n.put("verdict", v.answer());
                n.put("judge_says_match", v.stop());
            });
            c.captionToIntent().ifPresent(v -> n.put("caption_to_intent", v));
            c.imageToIntent().ifPresent(v -> n.put("image_to_intent", v));
            ArrayNode notes = n.putArray("notes");
            c.notes().forEach(notes::add);
        }
        try {
            return mapper.writeValueAsString(o) + "\n";
        } catch (IOException e) {
            throw new PanicException("cannot write the summary as JSON: " + e.getMessage(), e);
        }
    }

    private String markdown() {
        StringBuilder md = new StringBuilder("# Socratic run ").append(runId).append("\n\n");
        md.append("**Intent:** ").append(intent).append("\n\n");
        stopReason.ifPresent(r -> md.append("**Stopped:** ").append(r.message()).append(" (").append(r.rule())
                .append(")\n\n"));
        md.append("**Best picture:** ").append(best().map(c -> "cycle " + c.number() + ", `" + c.imageFile() + "`")
                .orElse("none")).append(", chosen by ").append(selectedBy).append("\n\n");
        md.append("Scores: caption to intent with ").append(captionScorer).append("; image to intent with ")
                .append(imageScorer).append(".\n\n");
        md.append("| cycle | picture | prompt | caption | judge | caption→intent | image→intent |\n");
        md.append("| --- | --- | --- | --- | --- | --- | --- |\n");
        for (Cycle c : cycles) {
            md.append("| ").append(c.number()).append(" | ![](").append(c.imageFile()).append(") | ")
                    .append(cell(c.prompt())).append(" | ").append(cell(c.caption().orElse(""))).append(" | ")
                    .append(c.verdict().map(v -> cell(v.answer())).orElse("")).append(" | ")
                    .append(score(c.captionToIntent())).append(" | ").append(orNa(score(c.imageToIntent())))
                    .append(" |\n");
        }
        return md.toString();
    }

    static String score(OptionalDouble d) {
        return d.isPresent() ? String.format(Locale.ROOT, "%.4f", d.getAsDouble()) : "";
    }

    private static String orNa(String s) {
        return s.isEmpty() ? "n/a" : s;
    }

    private static String cell(String s) {
        return s.replace("|", "\\|").replace("\r", " ").replace("\n", " ");
    }
}
