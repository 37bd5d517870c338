package dev.panic.web.internal;

import dev.panic.Change;
import dev.panic.Payload;
import dev.panic.Prediction;
import dev.panic.Revision;
import dev.panic.exception.NotFoundException;
import dev.panic.RunStore;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Finds the image or sound a page asks for by run and SHA-256: among the payloads live runs told
 * of lately, else in the run's saved records (through {@link RunStore}, so any store serves its
 * media, and nothing else can be asked for). What a store read finds is remembered; payloads read
 * back from a store hold their bytes only while memory allows, so remembering them costs little.
 */
final class MediaIndex {

    /** Payloads remembered, most recently used last; bounded by count and by the bytes they declare. */
    private static final int MAX_ENTRIES = 50_000;
    private static final long MAX_BYTES = 256L * 1024 * 1024;

    private final RunStore store;
    private final Map<String, Payload> bySha = new LinkedHashMap<>(256, 0.75f, true);
    private long bytes;

    MediaIndex(RunStore store) {
        this.store = store;
    }

    /** Remembers a payload of a run, if it is media. */
    void put(String runId, Payload p) {
        String sha = sha(p);
        if (sha == null) {
            return;
        }
        synchronized (this) {
            Payload old = bySha.put(key(runId, sha), p);
            if (old == null) {
                bytes += size(p);
            }
            for (var it = bySha.entrySet().iterator(); it.hasNext() && (bytes > MAX_BYTES || bySha.size() > MAX_ENTRIES); ) {
                bytes -= size(it.next().getValue());
                it.remove();
            }
        }
    }

    /**
     * The media payload with this digest in run {@code runId}'s records.
     *
     * @throws NotFoundException if the run does not exist or holds no such media
     */
    Payload get(String runId, String sha256) {
        synchronized (this) {
            Payload p = bySha.get(key(runId, sha256));
            if (p != null) {
                return p;
            }
        }
        return scan(runId, sha256).orElseThrow(() -> new NotFoundException("run '" + runId
                + "' holds no image or sound with SHA-256 " + sha256));
    }

    private Optional<Payload> scan(String runId, String sha256) {
        put(runId, store.info(runId).initialInput());
        try (Stream<Prediction> s = store.predictions(runId, 0)) {
            s.filter(p -> p.runId().equals(runId)).forEach(p -> {
                put(runId, p.input());
                if (p.output() != null) {
                    put(runId, p.output());
                }
            });
        }
        for (Revision r : store.revisions(runId)) {
            for (Change c : r.changes()) {
                if (c instanceof Change.Inject i) {
                    put(runId, i.input());
                }
            }
        }
        synchronized (this) {
            return Optional.ofNullable(bySha.get(key(runId, sha256)));
        }
    }

    private static String key(String runId, String sha) {
        return runId + "/" + sha;
    }

    private static String sha(Payload p) {
        if (p instanceof Payload.Image i) {
            return i.data().sha256();
        }
        if (p instanceof Payload.Audio a) {
            return a.data().sha256();
        }
        return null;
    }

    private static long size(Payload p) {
        return p instanceof Payload.Image i ? i.data().size() : p instanceof Payload.Audio a ? a.data().size() : 0;
    }
}
