package dev.panic.recipes.experiment;

import dev.panic.ModelId;
import dev.panic.Platforms;
import dev.panic.Prediction;
import dev.panic.RunSpec;
import dev.panic.Spec;
import dev.panic.exception.ValidationException;
import dev.panic.simulator.SimulatorPlatform;
import dev.panic.Platform;
import dev.panic.RunStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.stream.Stream;

/**
 * What runs would cost and how long they would take, worked out without calling any model: the
 * calls each run makes (its step limit walked along the network's first links from the entry, plus
 * a judge's calls), each call priced and timed from, in this order, the prices and latencies
 * declared, a budget rule's price list, the simulator's own settings, and the calls observed in
 * saved runs. What cannot be known is said so, not guessed.
 *
 * @param runs      how many runs
 * @param models    one line per model, in the order first called
 * @param costUsd   the cost of the calls whose price is known
 * @param costKnown true if every call's price is known (else {@code costUsd} is a lower bound)
 * @param serial    the calls' time one after another, pacing included, where latencies are known
 * @param wall      the time with the runs {@code concurrency} at a time
 * @param timeKnown true if every call's latency is known (else the times are lower bounds)
 * @param notes     what the forecast leaves out or caps
 */
public record Forecast(int runs, List<ModelLine> models, double costUsd, boolean costKnown, Duration serial,
                       Duration wall, boolean timeKnown, List<String> notes) {

    /** Copies the lists. */
    public Forecast {
        models = List.copyOf(models);
        notes = List.copyOf(notes);
    }

    /**
     * One model's calls.
     *
     * @param model         its id
     * @param calls         how many calls all the runs make to it at most
     * @param priceUsd      the price of a call; empty if unknown
     * @param priceSource   where the price comes from: declared, budget rule, simulator, observed (n calls), unknown
     * @param latency       the time of a call; empty if unknown
     * @param latencySource where the latency comes from, in the same words
     */
    public record ModelLine(String model, long calls, OptionalDouble priceUsd, String priceSource,
                            Optional<Duration> latency, String latencySource) {
        /** Stores a {@code null} price or latency as empty. */
        public ModelLine {
            priceUsd = priceUsd == null ? OptionalDouble.empty() : priceUsd;
            latency = latency == null ? Optional.empty() : latency;
        }

        /** The calls' cost; empty if the price is unknown. */
        public OptionalDouble costUsd() {
            return priceUsd.isPresent() ? OptionalDouble.of(priceUsd.getAsDouble() * calls) : OptionalDouble.empty();
        }
    }

    /** A builder looking models and the simulator's settings up in {@code platforms}. */
    public static Builder builder(Platforms platforms) {
        return new Builder(platforms);
    }

    /** The forecast as lines of text for people. */
    public List<String> lines() {
        List<String> out = new ArrayList<>();
        out.add(String.format(Locale.ROOT, "forecast for %d run%s (no model called):", runs, runs == 1 ? "" : "s"));
        for (ModelLine m : models) {
            out.add(String.format(Locale.ROOT, "  %-40s %6d calls  %s  %s", m.model(), m.calls(),
                    m.priceUsd().isEmpty() ? "price unknown" : String.format(Locale.ROOT, "$%.4f each = $%.4f (%s)",
                            m.priceUsd().getAsDouble(), m.costUsd().getAsDouble(), m.priceSource()),
                    m.latency().map(l -> format(l) + " each (" + m.latencySource() + ")").orElse("latency unknown")));
        }
        out.add(String.format(Locale.ROOT, "  cost: %s$%.4f%s", costKnown ? "" : "at least ", costUsd,
                costKnown ? "" : " (some prices are unknown: declare them, or run once to observe them)"));
        out.add(String.format(Locale.ROOT, "  time: %s%s one call after another, %s%s with the runs side by side",
                timeKnown ? "" : "at least ", format(serial), timeKnown ? "" : "at least ", format(wall)));
        notes.forEach(n -> out.add("  note: " + n));
        return out;
    }

    private static String format(Duration d) {
        long ms = d.toMillis();
        if (ms < 1000) {
            return ms + "ms";
        }
        if (ms < 120_000) {
            return String.format(Locale.ROOT, "%.1fs", ms / 1000.0);
        }
        return String.format(Locale.ROOT, "%dh%02dm%02ds", ms / 3_600_000, (ms / 60_000) % 60, (ms / 1000) % 60);
    }

    /** Configures a forecast. Not thread-safe. */
    public static final class Builder {
        /** At most this many saved runs are read for observed prices and latencies, the latest first. */
        static final int OBSERVED_RUNS = 200;

        private final Platforms platforms;
        private Map<String, Double> prices = Map.of();
        private Map<String, Duration> latencies = Map.of();
        private RunStore observed;
        private int concurrency = 1;
        private Double budget;

        private Builder(Platforms platforms) {
            if (platforms == null) {
                throw new ValidationException("a forecast needs the platforms to look the simulator's settings up in");
            }
            this.platforms = platforms;
        }

        /** Declared prices in US dollars a call, by model id. */
        public Builder prices(Map<String, Double> prices) {
            this.prices = prices == null ? Map.of() : Map.copyOf(prices);
            return this;
        }

        /** Declared latencies a call, by model id. */
        public Builder latencies(Map<String, Duration> latencies) {
            this.latencies = latencies == null ? Map.of() : Map.copyOf(latencies);
            return this;
        }

        /** Saved runs whose calls give prices and latencies not declared; null for none. */
        public Builder observed(RunStore store) {
            this.observed = store;
            return this;
        }

        /** How many runs go at once; 1 by default. */
        public Builder concurrency(int runs) {
            if (runs < 1) {
                throw new ValidationException("concurrency must be at least 1, got " + runs);
            }
            this.concurrency = runs;
            return this;
        }

        /** A budget over all the runs, noted as a cap; null for none. */
        public Builder budget(Double usd) {
            this.budget = usd;
            return this;
        }

        /**
         * The forecast for these runs.
         *
         * @throws ValidationException if a run has no step limit (and no prediction limit) to count its calls by
         */
        public Forecast forecast(List<RunSpec> specs) {
            Map<String, Long> calls = new LinkedHashMap<>();
            List<String> notes = new ArrayList<>();
            List<List<String>> perRun = new ArrayList<>();
            List<Duration> pacing = new ArrayList<>();
            for (RunSpec spec : specs) {
                List<String> models = calls(spec, notes);
                models.forEach(m -> calls.merge(m, 1L, Long::sum));
                perRun.add(models);
                pacing.add(pacingOf(spec, models.size(), notes));
                spec.stopRules().stream().filter(r -> r.kind().equals("budget")).findFirst().ifPresent(r -> note(notes,
                        "a run stops before it spends more than $" + r.settings().getNumber("usd").orElse(0.0)));
            }
            Map<String, Observed> seen = observed();
            List<ModelLine> lines = new ArrayList<>();
            double cost = 0;
            boolean costKnown = true;
            Map<String, Duration> latency = new LinkedHashMap<>();
            for (Map.Entry<String, Long> e : calls.entrySet()) {
                ModelLine line = line(e.getKey(), e.getValue(), specs, seen.get(e.getKey()));
                lines.add(line);
                if (line.costUsd().isEmpty()) {
                    costKnown = false;
                } else {
                    cost += line.costUsd().getAsDouble();
                }
                line.latency().ifPresent(l -> latency.put(line.model(), l));
            }
            boolean timeKnown = latency.size() == calls.size();
            Duration serial = Duration.ZERO;
            Duration longest = Duration.ZERO;
            for (int i = 0; i < perRun.size(); i++) {
                Duration t = pacing.get(i);
                for (String m : perRun.get(i)) {
                    if (!isJudge(m, specs.get(i))) {
                        t = t.plus(latency.getOrDefault(m, Duration.ZERO));
                    }
                }
                serial = serial.plus(t);
                longest = longest.compareTo(t) < 0 ? t : longest;
            }
            int lanes = Math.max(1, Math.min(concurrency, specs.size()));
            Duration spread = serial.dividedBy(lanes);
            Duration wall = spread.compareTo(longest) < 0 ? longest : spread;
            if (budget != null) {
                note(notes, String.format(Locale.ROOT, "the experiment stops before it spends more than $%.4f", budget));
            }
            if (specs.stream().anyMatch(s -> s.stopRules().stream().anyMatch(r -> r.kind().equals("judge")))) {
                note(notes, "a judge is asked beside the run: its calls are counted in the cost, not in the time");
            }
            note(notes, "runs may stop before their step limit (a loop found, a judge satisfied): these are upper bounds");
            return new Forecast(specs.size(), lines, cost, costKnown, serial, wall, timeKnown, notes);
        }

        private static boolean isJudge(String model, RunSpec spec) {
            return spec.network().nodes().stream().noneMatch(n -> n.model().toString().equals(model));
        }

        /** The models a run calls, in order, as many times as it calls them at most (judges after). */
        private List<String> calls(RunSpec spec, List<String> notes) {
            int steps = spec.stopRules().stream().filter(r -> r.kind().equals("max-steps")).findFirst()
                    .flatMap(r -> r.settings().getNumber("steps")).map(Double::intValue)
                    .orElse(spec.maxPredictions() == Long.MAX_VALUE ? -1 : (int) Math.min(spec.maxPredictions(),
                            Integer.MAX_VALUE));
            if (steps < 0) {
                throw new ValidationException("a run of " + spec.network() + " has no step limit: its calls cannot be"
                        + " counted; give it one (--max-steps, a max-steps rule)");
            }
            Map<String, ModelId> models = new LinkedHashMap<>();
            spec.network().nodes().forEach(n -> models.put(n.id(), n.model()));
            List<String> out = new ArrayList<>();
            List<String> nodes = new ArrayList<>();
            String node = spec.network().entry();
            for (int i = 0; i < steps && node != null; i++) {
                out.add(models.get(node).toString());
                nodes.add(node);
                List<String> next = spec.network().links().getOrDefault(node, List.of());
                if (next.size() > 1) {
                    note(notes, "fan-outs start branches, whose calls are not counted");
                }
                node = next.isEmpty() ? null : next.get(0);
            }
            for (Spec rule : spec.stopRules()) {
                if (rule.kind().equals("judge")) {
                    String judge = rule.settings().getString("model").orElseThrow();
                    String judged = rule.settings().getString("node").orElse(null);
                    nodes.stream().filter(n -> judged == null || n.equals(judged)).forEach(n -> out.add(judge));
                }
            }
            return out;
        }

        private static Duration pacingOf(RunSpec spec, int calls, List<String> notes) {
            Spec p = spec.pacing();
            if (p.kind().equals("fixed")) {
                Duration delay = Duration.parse(p.settings().getString("delay").orElse("PT0S"));
                return delay.multipliedBy(Math.max(0, calls - 1));
            }
            if (!p.kind().equals("none")) {
                note(notes, "the " + p.kind() + " pacing's waits are not counted");
            }
            return Duration.ZERO;
        }

        private ModelLine line(String model, long calls, List<RunSpec> specs, Observed seen) {
            Double price = null;
            String priceSource = "unknown";
            if (prices.containsKey(model)) {
                price = prices.get(model);
                priceSource = "declared";
            } else {
                Double listed = budgetPrice(model, specs);
                SimulatorPlatform sim = simulator(model);
                if (listed != null) {
                    price = listed;
                    priceSource = "budget rule";
                } else if (sim != null) {
                    price = sim.prices().getOrDefault(ModelId.parse(model).name(), 0.0);
                    priceSource = "simulator";
                } else if (seen != null && seen.priced > 0) {
                    price = seen.cost / seen.priced;
                    priceSource = "observed, " + seen.priced + " calls";
                }
            }
            Duration latency = null;
            String latencySource = "unknown";
            if (latencies.containsKey(model)) {
                latency = latencies.get(model);
                latencySource = "declared";
            } else if (seen != null && !seen.durations.isEmpty()) {
                List<Duration> d = new ArrayList<>(seen.durations);
                Collections.sort(d);
                latency = d.get(d.size() / 2);
                latencySource = "observed median, " + d.size() + " calls";
            } else if (simulator(model) != null) {
                latency = simulator(model).latency();
                latencySource = "simulator";
            }
            return new ModelLine(model, calls, price == null ? OptionalDouble.empty() : OptionalDouble.of(price),
                    priceSource, Optional.ofNullable(latency), latencySource);
        }

        private static Double budgetPrice(String model, List<RunSpec> specs) {
            for (RunSpec s : specs) {
                for (Spec r : s.stopRules()) {
                    if (r.kind().equals("budget") && r.settings().get("prices").orElse(null) instanceof Map<?, ?> m
                            && m.get(model) instanceof Number n) {
                        return n.doubleValue();
                    }
                }
            }
            return null;
        }

        private SimulatorPlatform simulator(String model) {
            String platform = ModelId.parse(model).platform();
            try {
                Platform p = platforms.platform(platform);
                return p instanceof SimulatorPlatform s ? s : null;
            } catch (RuntimeException notFound) {
                return null;
            }
        }

        private static final class Observed {
            double cost;
            int priced;
            final List<Duration> durations = new ArrayList<>();
        }

        private Map<String, Observed> observed() {
            Map<String, Observed> out = new LinkedHashMap<>();
            if (observed == null) {
                return out;
            }
            List<String> ids = observed.runIds();
            for (String id : ids.subList(Math.max(0, ids.size() - OBSERVED_RUNS), ids.size())) {
                try (Stream<Prediction> ps = observed.predictions(id, 0)) {
                    ps.filter(p -> p.runId().equals(id) && p.succeeded()).forEach(p -> {
                        Observed o = out.computeIfAbsent(p.modelId().toString(), k -> new Observed());
                        p.metadata().costUsd().ifPresent(c -> {
                            o.cost += c;
                            o.priced++;
                        });
                        o.durations.add(p.duration());
                    });
                } catch (RuntimeException unreadable) {
                    // A run that cannot be read tells us nothing; the others still do.
                }
            }
            return out;
        }

        private static void note(List<String> notes, String note) {
            if (!notes.contains(note)) {
                notes.add(note);
            }
        }
    }
}
