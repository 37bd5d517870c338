package dev.panic.examples;

import dev.panic.ModelInfo;
import dev.panic.Platforms;
import dev.panic.Platform;
import dev.panic.Readiness;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code panic models}: every platform with its readiness, and its models with their modalities. */
@Command(name = "models", mixinStandardHelpOptions = true,
        description = "Lists the platforms and their models with input and output modalities, "
                + "marking which platforms are ready (API key set, server reachable).")
final class ModelsCommand implements Callable<Integer> {

    @Option(names = {"-p", "--platform"}, paramLabel = "ID", description = "Only this platform, e.g. sim.")
    String platformId;

    private final Supplier<Platforms> platforms;
    private final Console console;

    ModelsCommand(Supplier<Platforms> platforms, Console console) {
        this.platforms = platforms;
        this.console = console;
    }

    @Override
    public Integer call() {
        Platforms registry = platforms.get();
        List<Platform> shown = platformId == null ? registry.all() : List.of(registry.platform(platformId));
        for (Platform p : shown) {
            Readiness r = p.readiness();
            console.line(String.format(Locale.ROOT, "%s  [%s: %s]  %s", p.id(), r.ready() ? "ready" : "not ready",
                    r.detail(), p.description()));
            for (ModelInfo m : p.models()) {
                console.line(String.format(Locale.ROOT, "  %-40s %-15s %s", m.id(), m.modalities(), m.description()));
            }
        }
        return 0;
    }
}
