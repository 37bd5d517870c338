package dev.panic.temporal;

import dev.panic.Model;
import dev.panic.ModelInfo;
import dev.panic.Parameters;
import dev.panic.Payload;
import dev.panic.Platforms;
import dev.panic.http.PermitSource;
import dev.panic.postgres.PostgresRunStore;
import dev.panic.simulator.SimulatorPlatform;
import dev.panic.Platform;
import dev.panic.Readiness;
import dev.panic.testing.TestEmbedders;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;

/**
 * A worker process for the multi-process tests and the benchmark: {@code TARGET STORE_URL LATENCY_MS ROLES [CALL_LOG]},
 * ROLES {@code steps} or {@code all} (steps and workflow code). Its simulator platform takes
 * LATENCY_MS per call; with a call log, every model call appends a line (the process id and the
 * input) before it is made. With {@code STUB_BASE_URL} and {@code STUB_PER_SECOND} in its environment it also has
 * {@link StubHttpPlatform} at that address, sharing its rate limit through the store as {@code panic worker} does.
 */
public final class WorkerMain {

    private WorkerMain() {
    }

    public static void main(String[] args) throws Exception {
        String target = args[0];
        String storeUrl = args[1];
        Duration latency = Duration.ofMillis(Long.parseLong(args[2]));
        boolean workflows = args[3].equals("all");
        Path callLog = args.length > 4 ? Path.of(args[4]) : null;
        SimulatorPlatform sim = SimulatorPlatform.builder().latency(latency).build();
        PostgresRunStore store = PostgresRunStore.open(storeUrl);
        Platforms.Builder registry = Platforms.builder()
                .register(callLog == null ? sim : new Logged(sim, callLog))
                .register(TestEmbedders.words("w", 16));
        String stub = System.getenv("STUB_BASE_URL");
        if (stub != null) {
            PermitSource.shareByDefault(store.permits());
            registry.register(new StubHttpPlatform(URI.create(stub), Integer.parseInt(System.getenv("STUB_PER_SECOND")),
                    String.valueOf(ProcessHandle.current().pid())).warmedUp());
        }
        Platforms platforms = registry.build();
        PanicWorker worker = PanicWorker.builder(target).store(store).platforms(platforms).roles(workflows, true)
                .build().start();
        System.out.println("worker " + ProcessHandle.current().pid() + " on " + worker.ownQueue());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            worker.close();
            store.close();
        }));
        worker.awaitTermination();
    }

    /** The simulator, writing a line per call to a log shared by all worker processes. */
    private record Logged(SimulatorPlatform sim, Path log) implements Platform {
        @Override
        public String id() {
            return sim.id();
        }

        @Override
        public String description() {
            return sim.description();
        }

        @Override
        public List<ModelInfo> models() {
            return sim.models();
        }

        @Override
        public Readiness readiness() {
            return sim.readiness();
        }

        @Override
        public Model model(String name, Parameters parameters) {
            Model m = sim.model(name, parameters);
            return Model.of(m.info(), parameters, (in, p) -> {
                String line = ProcessHandle.current().pid() + " " + m.id() + " "
                        + (in instanceof Payload.Text t ? t.text() : in.summary(80)) + "\n";
                try {
                    Files.writeString(log, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                            StandardOpenOption.APPEND);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                return m.invokeAsync(in, p);
            });
        }
    }
}
