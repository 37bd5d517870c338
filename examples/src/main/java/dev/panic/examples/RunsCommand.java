package dev.panic.examples;

import dev.panic.RunInfo;
import dev.panic.StopReason;
import dev.panic.RunStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code panic runs}: the saved runs, with their status, length and why they ended, forks under their parents. */
@Command(name = "runs", mixinStandardHelpOptions = true,
        description = {"Lists the saved runs, oldest first: id, status, predictions, and why each ended. A run whose "
                + "process died shows as interrupted; every run that is not live can be resumed (panic resume RUN).",
                "Forks and branches are listed under the run they came from, with their fork point."})
final class RunsCommand implements Callable<Integer> {

    @Option(names = {"--store", "-o", "--output-dir"}, paramLabel = "STORE", defaultValue = "panic-runs",
            description = OpenStore.HELP)
    String location;

    private final Console console;

    RunsCommand(Console console) {
        this.console = console;
    }

    @Override
    public Integer call() {
        if (OpenStore.isMissingFolder(location)) {
            console.line("no saved runs: " + location + " does not exist");
            return 0;
        }
        try (OpenStore saved = OpenStore.open(location)) {
            return list(saved.store(), saved.location());
        }
    }

    private int list(RunStore store, String where) {
        Map<String, RunInfo> infos = new LinkedHashMap<>();
        Map<String, List<String>> children = new LinkedHashMap<>();
        int unreadable = 0;
        for (String id : store.runIds()) {
            try {
                RunInfo info = store.info(id);
                infos.put(id, info);
                info.lineage().ifPresent(l -> children.computeIfAbsent(l.runId(), k -> new ArrayList<>()).add(id));
            } catch (RuntimeException e) {
                console.error("warning: skipped run " + id + ": " + e.getMessage());
                unreadable++;
            }
        }
        if (infos.isEmpty()) {
            console.line("no saved runs in " + where);
            return unreadable > 0 ? PanicCli.FAILED : 0;
        }
        console.line(String.format(Locale.ROOT, "%-34s %-11s %5s  %s", "RUN", "STATUS", "STEPS", "ENDED BECAUSE"));
        for (RunInfo info : infos.values()) {
            if (info.parent().filter(l -> infos.containsKey(l.runId())).isEmpty()) {
                print(info, 0, infos, children);
            }
        }
        if (unreadable > 0) {
            console.line(unreadable + " run(s) could not be read");
        }
        return 0;
    }

    private void print(RunInfo info, int depth, Map<String, RunInfo> infos, Map<String, List<String>> children) {
        String name = "  ".repeat(depth) + (depth > 0 ? "└ " : "") + info.id();
        String status = info.status().name().toLowerCase(Locale.ROOT);
        StopReason r = info.stopReason().orElse(null);
        String why = r == null ? (info.status().isFinal() ? "its process stopped before saving its end; resume it"
                : "still running") : r.message() + " (" + r.rule() + ")";
        if (info.parent().isPresent()) {
            why = "from " + info.parent().get().runId() + " #" + info.parent().get().sequence() + "; " + why;
        }
        console.line(String.format(Locale.ROOT, "%-34s %-11s %5d  %s", name, status, info.predictions(), why));
        for (String child : children.getOrDefault(info.id(), List.of())) {
            print(infos.get(child), depth + 1, infos, children);
        }
    }
}
