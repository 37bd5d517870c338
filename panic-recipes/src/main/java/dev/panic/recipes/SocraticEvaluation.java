package dev.panic.recipes;

import java.nio.file.Path;
import dev.panic.StopReason;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.function.Function;

/**
 * The Socratic loop over a dataset of intents, summarised as the seed project's evaluation does:
 * one row per intent and a row of means.
 *
 * @param rows one per intent, in dataset order
 */
public record SocraticEvaluation(List<Row> rows) {

    /** The columns of {@code summary.csv}. */
    public static final List<String> COLUMNS = List.of("prompt", "run", "cycles", "stopped_by", "judge_matched",
            "first_caption_to_intent", "last_caption_to_intent", "best_caption_to_intent", "gain",
            "best_image_to_intent", "cost_usd");

    /** Copies the list. */
    public SocraticEvaluation {
        rows = List.copyOf(rows);
    }

    /**
     * One intent's run.
     *
     * @param result the run's scored cycles
     */
    public record Row(SocraticResult result) {
        /** Caption-to-intent score of the first cycle; empty if it was not scored. */
        public OptionalDouble first() {
            return at(0);
        }

        /** Caption-to-intent score of the last cycle; empty if it was not scored. */
        public OptionalDouble last() {
            return at(result.cycles().size() - 1);
        }

        /** The last cycle's caption-to-intent score less the first's; empty unless both were scored. */
        public OptionalDouble gain() {
            OptionalDouble first = first();
            OptionalDouble last = last();
            return first.isPresent() && last.isPresent() ? OptionalDouble.of(last.getAsDouble() - first.getAsDouble())
                    : OptionalDouble.empty();
        }

        /** The highest caption-to-intent score; empty if no caption was scored. */
        public OptionalDouble bestCaption() {
            return best(SocraticResult.Cycle::captionToIntent);
        }

        /** The highest image-to-intent score; empty where pictures were not scored. */
        public OptionalDouble bestImage() {
            return best(SocraticResult.Cycle::imageToIntent);
        }

        private OptionalDouble best(Function<SocraticResult.Cycle, OptionalDouble> score) {
            return result.cycles().stream().map(score).filter(OptionalDouble::isPresent)
                    .mapToDouble(OptionalDouble::getAsDouble).max();
        }

        private OptionalDouble at(int i) {
            if (i < 0 || i >= result.cycles().size()) {
                return OptionalDouble.empty();
            }
            return result.cycles().get(i).captionToIntent();
        }

        List<Object> cells() {
            return List.of(result.intent(), result.runId(), result.cycles().size(),
                    result.stopReason().map(StopReason::rule).orElse(""), result.matched() ? "yes" : "no",
                    num(first()), num(last()), num(bestCaption()), num(gain()), num(bestImage()),
                    String.format(Locale.ROOT, "%.4f", result.costUsd()));
        }
    }

    static SocraticEvaluation of(List<SocraticResult> results) {
        return new SocraticEvaluation(results.stream().map(Row::new).toList());
    }

    /** The share of intents whose caption the judge found matching, from 0 to 1. */
    public double matchedShare() {
        return rows.isEmpty() ? 0 : (double) rows.stream().filter(r -> r.result().matched()).count() / rows.size();
    }

    /** The mean of a row's number over the rows where it is known; empty if it is nowhere. */
    public OptionalDouble mean(Function<Row, OptionalDouble> value) {
        return rows.stream().map(value).filter(OptionalDouble::isPresent).mapToDouble(OptionalDouble::getAsDouble)
                .average();
    }

    /** The rows and a final row of means, as a table of text cells in the order of {@link #COLUMNS}. */
    public List<List<Object>> table() {
        List<List<Object>> out = new ArrayList<>();
        rows.forEach(r -> out.add(r.cells()));
        out.add(List.of("mean", "", num(rows.stream().mapToInt(r -> r.result().cycles().size()).average()
                        .orElse(0)),
                "", String.format(Locale.ROOT, "%.0f%%", 100 * matchedShare()), num(mean(Row::first)),
                num(mean(Row::last)), num(mean(Row::bestCaption)), num(mean(Row::gain)),
                num(mean(Row::bestImage)), String.format(Locale.ROOT, "%.4f",
                        rows.stream().mapToDouble(r -> r.result().costUsd()).sum())));
        return out;
    }

    /** Writes {@code summary.csv}: {@link #COLUMNS}, a row per intent and the row of means. */
    public void writeCsv(Path file) {
        Csv.write(file, COLUMNS, table());
    }

    private static String num(OptionalDouble d) {
        return d.isPresent() ? num(d.getAsDouble()) : "n/a";
    }

    private static String num(double d) {
        return String.format(Locale.ROOT, "%.4f", d);
    }
}
