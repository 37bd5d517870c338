package dev.panic.store;

import dev.panic.Lineage;
import dev.panic.RunStore;

import dev.panic.Prediction;
import dev.panic.Revision;
import dev.panic.RunInfo;
import dev.panic.RunStatus;
import dev.panic.exception.NotFoundException;
import dev.panic.exception.ValidationException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Opens run stores by location and moves runs between them.
 *
 * <p>A location is a folder ({@code panic-runs}, {@code /data/runs}, {@code file:///data/runs}),
 * opened as {@link RunStore#directory(Path)}, or a URL whose scheme a {@link RunStoreProvider} on
 * the class path opens, e.g. {@code postgresql://panic@db.example.com:5432/panic} with
 * {@code panic-postgres}. Providers are found with the thread's context class loader first and
 * this library's own second, as platforms are.
 */
public final class RunStores {

    private RunStores() {
    }

    /**
     * Opens the store at {@code location}. Close it when done if it is {@link AutoCloseable}.
     *
     * @throws ValidationException if the location is blank, or a URL no provider on the class path opens
     */
    public static RunStore open(String location) {
        if (location == null || location.isBlank()) {
            throw new ValidationException("a run store location is empty; give a folder (panic-runs) or a URL"
                    + " (postgresql://user@host:5432/db)");
        }
        String scheme = scheme(location);
        if (scheme == null) {
            return RunStore.directory(Path.of(location));
        }
        if (scheme.equals("file")) {
            return RunStore.directory(Path.of(java.net.URI.create(location)));
        }
        Set<String> known = new TreeSet<>();
        for (RunStoreProvider provider : providers()) {
            if (provider.schemes().contains(scheme)) {
                return provider.open(location);
            }
            known.addAll(provider.schemes());
        }
        throw new ValidationException("no run store opens '" + scheme + "://' locations: "
                + (known.isEmpty() ? "no store module is on the class path" : "the class path has stores for "
                + String.join(", ", known)) + (scheme.startsWith("postgres")
                ? "; add panic-postgres to the class path" : "") + ", or give a folder");
    }

    /** The URL scheme of a location, lower case, or null for a path ({@code C:\runs} is a path). */
    private static String scheme(String location) {
        int colon = location.indexOf(':');
        if (colon < 2 || !location.startsWith("//", colon + 1) && !location.regionMatches(true, 0, "file:", 0, 5)) {
            return null;
        }
        String s = location.substring(0, colon);
        return s.matches("[A-Za-z][A-Za-z0-9+.-]*") ? s.toLowerCase(Locale.ROOT) : null;
    }

    private static List<RunStoreProvider> providers() {
        List<RunStoreProvider> found = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        List<ClassLoader> loaders = new ArrayList<>();
        ClassLoader tccl = Thread.currentThread().getContextClassLoader();
        if (tccl != null) {
            loaders.add(tccl);
        }
        ClassLoader own = RunStores.class.getClassLoader();
        if (own != null && own != tccl) {
            loaders.add(own);
        }
        for (ClassLoader loader : loaders) {
            Iterator<RunStoreProvider> it = ServiceLoader.load(RunStoreProvider.class, loader).iterator();
            while (true) {
                try {
                    if (!it.hasNext()) {
                        break;
                    }
                    RunStoreProvider p = it.next();
                    if (names.add(p.getClass().getName())) {
                        found.add(p);
                    }
                } catch (ServiceConfigurationError e) {
                    org.slf4j.LoggerFactory.getLogger(RunStores.class)
                            .warn("skipped a run store provider that could not be loaded: {}", e.getMessage());
                }
            }
        }
        return found;
    }

    /**
     * What {@link #copy} did.
     *
     * @param copied   the runs written to the target, parents before their forks
     * @param skipped  the runs the target already held, left as they were there
     * @param warnings what could not be copied whole, one sentence each
     */
    public record CopyReport(List<String> copied, List<String> skipped, List<String> warnings) {
        /** Makes the lists immutable. */
        public CopyReport {
            copied = List.copyOf(copied);
            skipped = List.copyOf(skipped);
            warnings = List.copyOf(warnings);
        }
    }

    /**
     * Copies runs from one store to another: each run's description, its own predictions with their
     * vectors and media, and its revisions; a fork's parents are copied first (they are needed to
     * read its trajectory), also when not asked for. A run the target holds already is skipped, so
     * a copy that was interrupted can be run again. A run that was live in {@code from} is copied as
     * far as it had got, and reads as interrupted in {@code to}. Analyses are not copied: compute
     * them again there.
     *
     * @param runIds the runs to copy; every run of {@code from} if empty
     * @throws NotFoundException if a run asked for is not in {@code from}
     */
    public static CopyReport copy(RunStore from, RunStore to, List<String> runIds) {
        List<String> wanted = runIds == null || runIds.isEmpty() ? from.runIds() : runIds;
        Map<String, RunInfo> ordered = new LinkedHashMap<>();
        List<String> warnings = new ArrayList<>();
        for (String id : wanted) {
            withAncestors(from, id, ordered, warnings);
        }
        Set<String> present = new HashSet<>(to.runIds());
        List<String> copied = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (RunInfo info : ordered.values()) {
            if (present.contains(info.id())) {
                skipped.add(info.id());
                continue;
            }
            if (!info.status().isFinal()) {
                warnings.add("run '" + info.id() + "' is live (" + info.status() + "); copied its first "
                        + info.predictions() + " predictions, and it reads as interrupted in the target");
            }
            copyRun(from, to, info, warnings);
            copied.add(info.id());
        }
        return new CopyReport(copied, skipped, warnings);
    }

    private static void withAncestors(RunStore from, String id, Map<String, RunInfo> ordered, List<String> warnings) {
        List<RunInfo> chain = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        String next = id;
        while (next != null && !ordered.containsKey(next) && seen.add(next)) {
            RunInfo info;
            try {
                info = from.info(next);
            } catch (NotFoundException e) {
                if (chain.isEmpty()) {
                    throw e;
                }
                warnings.add("run '" + chain.get(chain.size() - 1).id() + "' was forked from run '" + next
                        + "', which is not in the source store; its shared predictions cannot be read in the target");
                break;
            }
            chain.add(info);
            next = info.parent().map(Lineage::runId).orElse(null);
        }
        for (int i = chain.size() - 1; i >= 0; i--) {
            ordered.put(chain.get(i).id(), chain.get(i));
        }
    }

    private static void copyRun(RunStore from, RunStore to, RunInfo info, List<String> warnings) {
        int own = info.parent().map(l -> l.sequence() + 1).orElse(0);
        RunInfo snapshot = info.status() == RunStatus.INTERRUPTED || !info.status().isFinal()
                ? info.withStatus(RunStatus.RUNNING) : info;
        int written = 0;
        try (RunStore.Recorder recorder = to.create(snapshot)) {
            try (Stream<Prediction> s = from.predictions(info.id(), own)) {
                for (Iterator<Prediction> it = s.iterator(); it.hasNext(); ) {
                    Prediction p = it.next();
                    if (p.runId().equals(info.id())) {
                        recorder.append(p, true);
                        written++;
                    }
                }
            }
            for (Revision r : from.revisions(info.id())) {
                recorder.revise(r);
            }
            recorder.update(snapshot);
        }
        int expected = info.predictions() - own;
        if (info.status().isFinal() && info.status() != RunStatus.INTERRUPTED && written < expected) {
            warnings.add("run '" + info.id() + "': " + (expected - written) + " of its " + expected
                    + " predictions could not be read in the source and were not copied");
        }
    }
}
