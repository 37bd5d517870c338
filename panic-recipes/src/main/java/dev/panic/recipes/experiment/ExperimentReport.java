package dev.panic.recipes.experiment;

import dev.panic.MediaTypes;
import dev.panic.Payload;
import dev.panic.RunInfo;
import dev.panic.StopReason;
import dev.panic.analysis.Attractor;
import dev.panic.analysis.AttractorReport;
import dev.panic.analysis.Attractors;
import dev.panic.analysis.RunAnalysis;
import dev.panic.analysis.SeriesAnalysis;
import dev.panic.analysis.Trajectory;
import dev.panic.exception.ValidationException;
import dev.panic.recipes.Csv;
import dev.panic.recipes.internal.FileOut;
import dev.panic.RunStore;
import dev.panic.StoredRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * What an experiment's runs did, together: a row per run (network, arm, prompt, seed, steps, why it
 * stopped, the pattern found with where it began and its period, the drift curve's decay rate and
 * floor, the attractor it fell into, its cost), and per network and arm the attractor census (with
 * a representative output of each attractor, {@link Attractors}) and the {@link MarkovSummary} of
 * the runs' walks between attractor states: a network's loop beside its control arms.
 *
 * <pre>{@code
 * ExperimentReport report = ExperimentReport.of(Path.of("experiments/loops"));
 * report.writeTo(Path.of("experiments/loops/report"));   // runs.csv, attractors.csv, transitions.csv, states.csv, report.md
 * }</pre>
 *
 * @param name     the experiment's name (the folder's name for a plain folder of runs)
 * @param runs     a row per run, in plan order
 * @param arms     per network and arm ({@code pd/loop}, {@code pd/fixed-caption}...): its census and chain
 * @param costUsd  what all the runs spent, as far as the platforms said
 * @param warnings what could not be read or analysed
 */
public record ExperimentReport(String name, List<RunRow> runs, Map<String, ArmAnalysis> arms, double costUsd,
                               List<String> warnings) {

    /** The columns of {@code runs.csv}. */
    public static final List<String> RUN_COLUMNS = List.of("run", "network", "arm", "prompt", "seed", "status", "steps",
            "stop_rule", "stop_reason", "pattern", "pattern_start", "pattern_period", "decay_rate", "decay_floor",
            "attractor", "cost_usd");

    /** Copies. */
    public ExperimentReport {
        runs = List.copyOf(runs);
        arms = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(arms));
        warnings = List.copyOf(warnings);
    }

    /**
     * One run's line.
     *
     * @param run           its id
     * @param network       its network's name (or its models, outside an experiment)
     * @param arm           {@code loop} or a control arm
     * @param prompt        its initial prompt
     * @param seed          its seed; empty if each call drew one
     * @param info          its saved state
     * @param pattern       the pattern found (the rule that found it: exact-repeat, fixed-point, cycle...), if any
     * @param patternStart  where the pattern began, if one was found
     * @param patternPeriod its period in predictions, if one was found
     * @param decayRate     the drift curve's fitted rate per lap; empty without vectors
     * @param decayFloor    the level the curve approaches; empty without vectors
     * @param attractor     the attractor it fell into among its network and arm's runs ({@code A1}...), if any
     */
    public record RunRow(String run, String network, String arm, String prompt, OptionalLong seed, RunInfo info,
                         Optional<String> pattern, OptionalInt patternStart, OptionalInt patternPeriod,
                         OptionalDouble decayRate, OptionalDouble decayFloor, Optional<String> attractor) {

        /** Stores a {@code null} part as empty. */
        public RunRow {
            seed = seed == null ? OptionalLong.empty() : seed;
            pattern = pattern == null ? Optional.empty() : pattern;
            patternStart = patternStart == null ? OptionalInt.empty() : patternStart;
            patternPeriod = patternPeriod == null ? OptionalInt.empty() : patternPeriod;
            decayRate = decayRate == null ? OptionalDouble.empty() : decayRate;
            decayFloor = decayFloor == null ? OptionalDouble.empty() : decayFloor;
            attractor = attractor == null ? Optional.empty() : attractor;
        }

        List<Object> cells() {
            StopReason r = info.stopReason().orElse(null);
            return java.util.Arrays.asList(run, network, arm, prompt, seed.isPresent() ? (Object) seed.getAsLong() : "",
                    info.status().name().toLowerCase(Locale.ROOT), info.predictions(), r == null ? "" : r.rule(),
                    r == null ? "" : r.message(), pattern.orElse(""), orEmpty(patternStart), orEmpty(patternPeriod),
                    number(decayRate), number(decayFloor), attractor.orElse(""),
                    String.format(Locale.ROOT, "%.6f", info.costUsd()));
        }
    }

    /**
     * The cross-run analysis of one network's runs in one arm.
     *
     * @param network the network's name
     * @param arm     {@code loop} or a control arm
     * @param census  the attractors its runs fell into
     * @param chain   its runs' walks between them
     */
    public record ArmAnalysis(String network, String arm, AttractorReport census, MarkovSummary chain) {
    }

    /**
     * Reads an experiment folder (its plan and runs) or any folder of saved runs, and analyses every
     * run: its outputs' vectors as saved (runs saved without embedders have no drift curve or attractor).
     *
     * @throws ValidationException if the folder holds no runs
     */
    public static ExperimentReport of(Path dir) {
        boolean experiment = Files.isRegularFile(dir.resolve(Experiment.PLAN_FILE));
        Path runsDir = experiment ? dir.resolve(Experiment.RUNS_DIR) : dir;
        if (!Files.isDirectory(runsDir)) {
            throw new ValidationException(runsDir + " is not a folder of saved runs");
        }
        Map<String, PlannedRun> plan = experiment ? Experiment.readPlan(dir) : Map.of();
        RunStore store = RunStore.directory(runsDir);
        List<String> ids = new ArrayList<>(plan.keySet());
        for (String id : store.runIds()) {
            if (!ids.contains(id)) {
                ids.add(id);
            }
        }
        List<String> warnings = new ArrayList<>();
        List<StoredRun> saved = new ArrayList<>();
        for (String id : ids) {
            if (!store.runIds().contains(id)) {
                warnings.add("run " + id + " was planned but never started");
                continue;
            }
            try {
                StoredRun r = store.read(id);
                r.warnings().forEach(w -> warnings.add("run " + id + ": " + w));
                saved.add(r);
            } catch (RuntimeException e) {
                warnings.add("run " + id + " cannot be read: " + e.getMessage());
            }
        }
        if (saved.isEmpty()) {
            throw new ValidationException(runsDir + " holds no saved run to report on");
        }
        Map<String, List<StoredRun>> byArm = new LinkedHashMap<>();
        for (StoredRun r : saved) {
            byArm.computeIfAbsent(group(r.info(), plan.get(r.info().id())), k -> new ArrayList<>()).add(r);
        }
        Map<String, ArmAnalysis> arms = new LinkedHashMap<>();
        Map<String, String> attractorOf = new LinkedHashMap<>();
        for (Map.Entry<String, List<StoredRun>> e : byArm.entrySet()) {
            List<Trajectory> ts = e.getValue().stream().map(Trajectory::of).toList();
            AttractorReport census = Attractors.defaults().find(ts);
            if (census.embedderId() == null) {
                warnings.add("the " + e.getKey() + " runs have no vectors: no attractors or chain (give the experiment"
                        + " embedders)");
                continue;
            }
            StoredRun first = e.getValue().get(0);
            PlannedRun p = plan.get(first.info().id());
            for (int k = 0; k < census.attractors().size(); k++) {
                for (String id : census.attractors().get(k).runIds()) {
                    attractorOf.put(id, MarkovSummary.state(k));
                }
            }
            arms.put(e.getKey(), new ArmAnalysis(p == null ? networkName(first.info()) : p.network(),
                    p == null ? PlannedRun.LOOP : p.arm(), census, MarkovSummary.of(census, ts)));
        }
        List<RunRow> rows = new ArrayList<>();
        double cost = 0;
        for (StoredRun r : saved) {
            RunInfo info = r.info();
            cost += info.costUsd();
            PlannedRun p = plan.get(info.id());
            RunAnalysis analysis;
            try {
                analysis = RunAnalysis.of(r);
            } catch (RuntimeException ex) {
                warnings.add("run " + info.id() + " could not be analysed: " + ex.getMessage());
                analysis = null;
            }
            StopReason pattern = patternOf(info.stopReason().orElse(null), analysis);
            ArmAnalysis arm = arms.get(group(info, p));
            Optional<SeriesAnalysis> series = analysis == null ? Optional.empty() : analysis.series().stream()
                    .filter(s -> arm == null || s.embedderId().equals(arm.census().embedderId())).findFirst();
            String input = info.initialInput() instanceof Payload.Text t ? t.text() : info.initialInput().summary(80);
            rows.add(new RunRow(info.id(), p == null ? networkName(info) : p.network(),
                    p == null ? PlannedRun.LOOP : p.arm(), p == null ? input : p.prompt(), p == null ? OptionalLong.empty() : p.seed(),
                    info, Optional.ofNullable(pattern).map(StopReason::rule),
                    pattern == null ? OptionalInt.empty() : pattern.patternStart(),
                    pattern == null ? OptionalInt.empty() : pattern.period(), fitted(series, s -> s.decay().rate()),
                    fitted(series, s -> s.decay().floor()), Optional.ofNullable(attractorOf.get(info.id()))));
        }
        String name = dir.toAbsolutePath().getFileName().toString();
        return new ExperimentReport(name, rows, arms, cost, warnings);
    }

    private static String group(RunInfo info, PlannedRun p) {
        return p == null ? networkName(info) + "/" + PlannedRun.LOOP : p.network() + "/" + p.arm();
    }

    /** A network outside an experiment: its models, as a run spec shows them. */
    private static String networkName(RunInfo info) {
        return String.valueOf(info.spec().network());
    }

    /** A number of the decay fit, empty without a series or where the fit gave NaN. */
    private static OptionalDouble fitted(Optional<SeriesAnalysis> series,
                                         java.util.function.ToDoubleFunction<SeriesAnalysis> number) {
        return series.map(number::applyAsDouble).filter(d -> !d.isNaN()).map(OptionalDouble::of)
                .orElse(OptionalDouble.empty());
    }

    /** The run's own stop reason if it names a pattern, else the first pattern the analysis found. */
    private static StopReason patternOf(StopReason stop, RunAnalysis analysis) {
        if (stop != null && stop.patternStart().isPresent()) {
            return stop;
        }
        if (analysis == null) {
            return null;
        }
        return analysis.events().stream().filter(e -> e.patternStart().isPresent()).findFirst().orElse(null);
    }

    /**
     * Writes the report into {@code dir}: {@code runs.csv}, {@code attractors.csv} (with the
     * representative outputs' media in {@code attractors/}), {@code transitions.csv},
     * {@code states.csv} and {@code report.md}.
     */
    public void writeTo(Path dir) {
        Csv.write(dir.resolve("runs.csv"), RUN_COLUMNS, runs.stream().map(RunRow::cells).toList());
        List<List<?>> attractorRows = new ArrayList<>();
        List<List<?>> transitionRows = new ArrayList<>();
        List<List<?>> stateRows = new ArrayList<>();
        StringBuilder md = new StringBuilder("# Experiment ").append(name).append("\n\n");
        md.append(String.format(Locale.ROOT, "%d runs, $%.4f spent as far as the platforms say.%n%n", runs.size(),
                costUsd));
        for (Map.Entry<String, ArmAnalysis> e : arms.entrySet()) {
            String network = e.getValue().network();
            String arm = e.getValue().arm();
            AttractorReport census = e.getValue().census();
            MarkovSummary chain = e.getValue().chain();
            md.append("## ").append(network).append(", ").append(arm).append("\n\n");
            md.append(String.format(Locale.ROOT, "%d attractors among %d runs (embedder %s, threshold %.2f).%n%n",
                    census.attractors().size(), census.attractors().stream().mapToInt(Attractor::size).sum(),
                    census.embedderId(), census.threshold()));
            md.append("| attractor | runs | cohesion | representative |\n| --- | --- | --- | --- |\n");
            for (int k = 0; k < census.attractors().size(); k++) {
                Attractor a = census.attractors().get(k);
                String shown = representative(dir, FileOut.slug(e.getKey()), k, a.representativeOutput());
                attractorRows.add(List.of(network, arm, MarkovSummary.state(k), a.size(), String.join(" ", a.runIds()),
                        a.representativeRunId(), a.representativeSequence(), shown, number(a.cohesion())));
                md.append("| ").append(MarkovSummary.state(k)).append(" | ").append(a.size()).append(" | ")
                        .append(number(a.cohesion())).append(" | ").append(a.representativeOutput() instanceof Payload.Text
                                ? shown.replace("|", "\\|").replace("\n", " ") : "![](" + shown + ")").append(" |\n");
            }
            md.append("\n| state | outputs | mean stay | absorbing | steps to |\n| --- | --- | --- | --- | --- |\n");
            for (String s : chain.states()) {
                stateRows.add(List.of(network, arm, s, chain.visits().get(s), number(chain.meanDwell().get(s)),
                        chain.absorbing().contains(s) ? "yes" : "no"));
                chain.transitions().get(s).forEach((to, n) -> transitionRows.add(List.of(network, arm, s, to, n)));
                md.append("| ").append(s).append(" | ").append(chain.visits().get(s)).append(" | ")
                        .append(number(chain.meanDwell().get(s))).append(" | ")
                        .append(chain.absorbing().contains(s) ? "yes" : "no").append(" | ")
                        .append(steps(chain.transitions().get(s))).append(" |\n");
            }
            md.append('\n');
        }
        if (!warnings.isEmpty()) {
            md.append("## Warnings\n\n");
            warnings.forEach(w -> md.append("- ").append(w).append('\n'));
        }
        Csv.write(dir.resolve("attractors.csv"), List.of("network", "arm", "attractor", "runs", "run_ids", "representative_run",
                "representative_sequence", "representative_output", "cohesion"), attractorRows);
        Csv.write(dir.resolve("transitions.csv"), List.of("network", "arm", "from", "to", "steps"), transitionRows);
        Csv.write(dir.resolve("states.csv"), List.of("network", "arm", "state", "outputs", "mean_stay", "absorbing"),
                stateRows);
        FileOut.write(dir.resolve("report.md"), md.toString());
    }

    private static String steps(Map<String, Long> to) {
        return to.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue()).collect(
                java.util.stream.Collectors.joining(", "));
    }

    /** The output as text, or the file it was written to (relative to the report). */
    private static String representative(Path dir, String group, int k, Payload output) {
        if (output instanceof Payload.Text t) {
            return t.text();
        }
        dev.panic.Bytes data = output instanceof Payload.Image i ? i.data() : ((Payload.Audio) output).data();
        String mediaType = output instanceof Payload.Image i ? i.mediaType() : ((Payload.Audio) output).mediaType();
        String file = "attractors/" + group + "-" + MarkovSummary.state(k) + "." + MediaTypes.extension(mediaType);
        FileOut.write(dir.resolve(file), data);
        return file;
    }

    private static String number(Double d) {
        return d == null ? "" : number(d.isNaN() ? OptionalDouble.empty() : OptionalDouble.of(d));
    }

    private static String number(OptionalDouble d) {
        return d.isPresent() ? String.format(Locale.ROOT, "%.4f", d.getAsDouble()) : "";
    }

    private static Object orEmpty(OptionalInt i) {
        return i.isPresent() ? (Object) i.getAsInt() : "";
    }
}
