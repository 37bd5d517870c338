package dev.panic.examples;

import dev.panic.Change;
import dev.panic.Parameters;
import dev.panic.Payload;
import dev.panic.Platforms;
import dev.panic.Run;
import dev.panic.RunInfo;
import dev.panic.exception.ValidationException;
import dev.panic.RunStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;


/** {@code panic fork}: a new run that shares a saved run's history up to a prediction, then goes its own way. */
@Command(name = "fork", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Starts a new run that shares a saved run's predictions 0..N (no model is called again, no "
                + "media copied) and goes on from there, as the run was configured then, with the changes given: "
                + "another model, parameters or template for a node, another input for the next call.",
                "Node ids are those 'panic runs' and the run's run.json show (for '-n a,b' the model names, e.g. "
                        + "painter)."})
final class ForkCommand implements Callable<Integer> {

    @picocli.CommandLine.Parameters(paramLabel = "RUN", description = "The id of the run to fork.")
    String runId;

    @Option(names = "--at", required = true, paramLabel = "N",
            description = "The last prediction to share (its sequence number, as printed after '#').")
    int at;

    @Option(names = {"--store", "-o", "--output-dir"}, paramLabel = "STORE", defaultValue = "panic-runs",
            description = "The run's store; the fork is saved there too. " + OpenStore.HELP)
    String store;

    @Option(names = "--model", paramLabel = "NODE=MODEL", description = "Node NODE calls MODEL, e.g. describer=sim:contrarian.")
    List<String> models = new ArrayList<>();

    @Option(names = "--param", paramLabel = "NODE.KEY=VALUE",
            description = "A parameter of a node's model, e.g. painter.size=256 (numbers and true/false are typed).")
    List<String> params = new ArrayList<>();

    @Option(names = "--template", paramLabel = "NODE=TEXT",
            description = "Wrap a text node's input, e.g. 'painter=a watercolour of {input}'.")
    List<String> templates = new ArrayList<>();

    @Option(names = "--input", paramLabel = "TEXT", description = "Give the next call this text instead of output N.")
    String input;

    @Option(names = {"-s", "--max-steps"}, paramLabel = "N", description = "The fork's step limit, in all.")
    Integer maxSteps;

    private final Supplier<Platforms> platforms;
    private final Console console;

    ForkCommand(Supplier<Platforms> platforms, Console console) {
        this.platforms = platforms;
        this.console = console;
    }

    @Override
    public Integer call() {
        try (OpenStore saved = OpenStore.open(store)) {
            return fork(saved);
        }
    }

    private int fork(OpenStore saved) {
        RunStore store = saved.store();
        RunInfo info = store.info(runId);
        Platforms registry = platforms.get();
        List<Change> changes = new ArrayList<>();
        for (String m : models) {
            String[] kv = split(m, "=", "--model", "NODE=MODEL");
            changes.add(Change.model(kv[0], registry.model(kv[1])));
        }
        Map<String, Map<String, Object>> byNode = new LinkedHashMap<>();
        for (String p : params) {
            String[] kv = split(p, "=", "--param", "NODE.KEY=VALUE");
            String[] nk = split(kv[0], ".", "--param", "NODE.KEY=VALUE");
            byNode.computeIfAbsent(nk[0], k -> new LinkedHashMap<>()).put(nk[1], typed(kv[1]));
        }
        byNode.forEach((node, values) -> changes.add(Change.parameters(node, Parameters.of(values))));
        for (String t : templates) {
            String[] kv = split(t, "=", "--template", "NODE=TEXT");
            changes.add(Change.template(kv[0], kv[1]));
        }
        if (input != null) {
            changes.add(Change.inject(Payload.text(input)));
        }
        List<dev.panic.ModelId> needed = new ArrayList<>(info.spec().modelIds());
        models.forEach(m -> needed.add(dev.panic.ModelId.parse(split(m, "=", "--model", "NODE=MODEL")[1])));
        if (!RunWatch.platformsReady(registry, needed, console)) {
            return PanicCli.FAILED;
        }
        Run.Builder builder = Run.fork(store, runId, at, registry).change(changes.toArray(Change[]::new));
        if (maxSteps != null) {
            builder.maxSteps(maxSteps);
        }
        console.line("forking " + runId + " after #" + at + (changes.isEmpty() ? "" : " with " + changes));
        return RunWatch.follow(builder, console, maxSteps != null ? maxSteps : RunWatch.stepLimit(info.spec()),
                saved);
    }

    private static String[] split(String s, String at, String option, String form) {
        int i = s.indexOf(at);
        if (i <= 0 || i == s.length() - 1) {
            throw new ValidationException(option + " '" + s + "' is not of the form " + form);
        }
        return new String[] {s.substring(0, i), s.substring(i + at.length())};
    }

    /** A command-line value as the JSON-like value it reads as: a whole number, a number, true/false, or text. */
    static Object typed(String v) {
        if (v.equals("true") || v.equals("false")) {
            return Boolean.parseBoolean(v);
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException notWhole) {
            try {
                return Double.parseDouble(v);
            } catch (NumberFormatException notNumber) {
                return v;
            }
        }
    }
}
