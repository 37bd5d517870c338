package dev.panic.examples;

import dev.panic.ModelId;
import dev.panic.Platforms;
import dev.panic.RunInfo;
import dev.panic.RunStatus;
import dev.panic.recipes.experiment.Experiment;
import dev.panic.recipes.experiment.ExperimentReport;
import dev.panic.recipes.experiment.ExperimentSpec;
import dev.panic.recipes.experiment.PlannedRun;
import dev.panic.RunStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code panic experiment}: many runs from one spec, run together, resumed, reported. */
@Command(name = "experiment", mixinStandardHelpOptions = true,
        description = {"Experiments of many runs: networks x prompts x seeds (and control arms) from one JSON spec; "
                + "see the README's Experiments section."},
        subcommands = {ExperimentCommand.RunIt.class, ExperimentCommand.Resume.class, ExperimentCommand.Report.class})
final class ExperimentCommand implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /** The command and its subcommands, made with what they need. */
    static CommandLine command(Supplier<Platforms> platforms, Console console) {
        return new CommandLine(new ExperimentCommand(), factory(platforms, console));
    }

    private static CommandLine.IFactory factory(Supplier<Platforms> platforms, Console console) {
        return new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> cls) throws Exception {
                if (cls == RunIt.class) {
                    return cls.cast(new RunIt(platforms, console));
                }
                if (cls == Resume.class) {
                    return cls.cast(new Resume(platforms, console));
                }
                if (cls == Report.class) {
                    return cls.cast(new Report(console));
                }
                return CommandLine.defaultFactory().create(cls);
            }
        };
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code panic experiment run SPEC}. */
    @Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Runs every combination of the spec's networks, prompts and seeds (and control arms), as many"
                    + " at once as its limits allow, with one progress line for the whole experiment. The folder keeps"
                    + " the spec, the plan and the runs: running the same spec into the same folder again (or 'panic"
                    + " experiment resume DIR') skips finished runs and resumes interrupted ones."})
    static final class RunIt implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "SPEC", description = "The experiment spec (JSON).")
        Path specFile;

        @Option(names = {"-o", "--output-dir"}, paramLabel = "DIR",
                description = "The experiment's folder. Default: experiments/NAME.")
        Path outputDir;

        @Option(names = "--dry-run", description = "Call nothing: forecast the calls, cost and time.")
        boolean dryRun;

        private final Supplier<Platforms> platforms;
        private final Console console;

        RunIt(Supplier<Platforms> platforms, Console console) {
            this.platforms = platforms;
            this.console = console;
        }

        @Override
        public Integer call() {
            ExperimentSpec spec = ExperimentSpec.read(specFile);
            Path dir = outputDir != null ? outputDir : Path.of("experiments", spec.name());
            return execute(Experiment.of(spec, platforms.get()), dir, dryRun, platforms.get(), console);
        }
    }

    /** {@code panic experiment resume DIR}. */
    @Command(name = "resume", mixinStandardHelpOptions = true,
            description = {"Goes on with the experiment saved in DIR: finished runs are skipped, interrupted or stopped"
                    + " ones resumed, the others started."})
    static final class Resume implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "DIR", description = "The experiment's folder.")
        Path dir;

        private final Supplier<Platforms> platforms;
        private final Console console;

        Resume(Supplier<Platforms> platforms, Console console) {
            this.platforms = platforms;
            this.console = console;
        }

        @Override
        public Integer call() {
            Platforms registry = platforms.get();
            return execute(Experiment.open(dir, registry), dir, false, registry, console);
        }
    }

    /** {@code panic experiment report DIR}. */
    @Command(name = "report", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Writes the experiment's tables: runs.csv (a row per run: network, prompt, seed, steps, why it"
                    + " stopped, the pattern found with its start and period, the decay rate and floor, the attractor,"
                    + " the cost), and per arm attractors.csv (the census, with a representative output each),"
                    + " transitions.csv and states.csv (the runs as a Markov chain over attractor states: step counts,"
                    + " mean stays, absorbing states), and report.md. DIR may also be any folder of saved runs."})
    static final class Report implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "DIR", description = "The experiment's folder.")
        Path dir;

        @Option(names = {"-o", "--output"}, paramLabel = "OUT", description = "Where to write. Default: DIR/report.")
        Path output;

        private final Console console;

        Report(Console console) {
            this.console = console;
        }

        @Override
        public Integer call() {
            ExperimentReport report = ExperimentReport.of(dir);
            Path out = output != null ? output : dir.resolve("report");
            report.writeTo(out);
            console.line(String.format(Locale.ROOT, "%d runs, $%.4f spent", report.runs().size(), report.costUsd()));
            report.arms().values().forEach(a -> console.line(String.format(Locale.ROOT,
                    "%s, %s: %d runs in %d attractors (%s), absorbing states %s", a.network(), a.arm(),
                    a.census().attractors().stream().mapToInt(x -> x.size()).sum(), a.census().attractors().size(),
                    a.census().embedderId(), a.chain().absorbing())));
            report.warnings().forEach(w -> console.line("warning: " + w));
            console.line("written: " + out + " (runs.csv, attractors.csv, transitions.csv, states.csv, report.md)");
            return 0;
        }
    }

    private static int execute(Experiment experiment, Path dir, boolean dryRun, Platforms registry, Console console) {
        ExperimentSpec spec = experiment.spec();
        console.line(String.format(Locale.ROOT, "experiment %s: %d runs (%d networks, %d prompts, %d each, arms %s)",
                spec.name(), experiment.plan().size(), spec.networks().size(), spec.prompts().size(), spec.repeats(),
                new LinkedHashSet<>(experiment.plan().stream().map(PlannedRun::arm).toList())));
        if (dryRun) {
            Path runs = dir.resolve(Experiment.RUNS_DIR);
            experiment.forecast(Files.isDirectory(runs) ? RunStore.directory(runs) : null).lines()
                    .forEach(console::line);
            return 0;
        }
        Set<ModelId> models = new LinkedHashSet<>();
        experiment.plan().forEach(p -> models.addAll(p.spec().modelIds()));
        if (!RunWatch.platformsReady(registry, List.copyOf(models), console)) {
            return PanicCli.FAILED;
        }
        console.line("folder:  " + dir);
        Experiment.Handle handle = experiment.start(dir, new Experiment.Listener() {
            @Override
            public void started(PlannedRun run, boolean resumed) {
                if (resumed) {
                    console.line("resumed  " + run.id());
                }
            }

            @Override
            public void finished(PlannedRun run, RunInfo info) {
                console.line(String.format(Locale.ROOT, "finished %s: %s after %d predictions%s, $%.4f", run.id(),
                        info.status().name().toLowerCase(Locale.ROOT), info.predictions(), info.stopReason()
                                .map(r -> " (" + r.rule() + ")").orElse(""), info.costUsd()));
            }

            @Override
            public void skipped(PlannedRun run, String why) {
                console.line("skipped  " + run.id() + ": " + why);
            }

            @Override
            public void progress(Experiment.Progress p) {
                console.status(String.format(Locale.ROOT, "experiment %s: %d/%d finished, %d running, %d waiting, %d"
                                + " predictions, $%.4f", spec.name(), p.finished(), p.total(), p.running(), p.waiting(),
                        p.predictions(), p.costUsd()));
            }
        });
        // Ctrl-C: stop the runs after their calls in flight, so that the next start resumes them.
        Thread onInterrupt = new Thread(() -> {
            handle.stop();
            handle.completion().completeOnTimeout(null, 10, java.util.concurrent.TimeUnit.SECONDS).join();
        }, "panic-experiment-stop-on-exit");
        Runtime.getRuntime().addShutdownHook(onInterrupt);
        Experiment.Summary summary;
        try {
            summary = handle.await();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(onInterrupt);
            } catch (IllegalStateException shuttingDown) {
                handle.completion().completeOnTimeout(null, 10, java.util.concurrent.TimeUnit.SECONDS).join();
            }
        }
        console.line(String.format(Locale.ROOT, "experiment %s: %d completed, %d failed, %d stopped, %d skipped;"
                        + " $%.4f spent", spec.name(), summary.count(RunStatus.COMPLETED), summary.count(RunStatus.FAILED),
                summary.count(RunStatus.STOPPED), summary.skipped().size(), summary.costUsd()));
        console.line("report:  panic experiment report " + dir);
        return summary.skipped().values().stream().anyMatch(w -> w.startsWith("could not")) ? PanicCli.FAILED : 0;
    }
}
