package dev.panic.postgres.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.panic.Embedding;
import dev.panic.Prediction;
import dev.panic.Revision;
import dev.panic.Verdict;
import dev.panic.RunInfo;
import dev.panic.exception.PanicException;
import dev.panic.exception.ValidationException;
import dev.panic.internal.store.JsonCodec;
import dev.panic.internal.store.RunFolderLayout;
import dev.panic.RunStore;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes one run to PostgreSQL while holding its lease. Each call is one transaction that first
 * renews the lease, and so checks that this writer still holds the run: a writer whose lease was
 * lost (and the run perhaps taken over) can no longer write a thing.
 */
final class PgRecorder implements RunStore.Recorder {

    // Contents this recorder has saved or found saved, newest last: each output is also the next input.
    private static final int RECENT_MEDIA = 64;

    private final PgRunStore store;
    private final Db db;
    private final JsonCodec codec;
    private final String runId;
    private final String holder;
    private final Set<String> recentMedia = java.util.Collections.newSetFromMap(
            new LinkedHashMap<>(RECENT_MEDIA, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > RECENT_MEDIA;
                }
            });
    private boolean closed;
    private volatile String lostBecause;

    PgRecorder(PgRunStore store, String runId, String holder) {
        this.store = store;
        this.db = store.db();
        this.codec = store.codec();
        this.runId = runId;
        this.holder = holder;
    }

    String holder() {
        return holder;
    }

    void leaseLost(String why) {
        lostBecause = why;
    }

    @Override
    public synchronized void append(Prediction p, boolean complete) {
        if (p == null) {
            throw new ValidationException("cannot save a null prediction");
        }
        if (!runId.equals(p.runId())) {
            throw new ValidationException("prediction " + p.sequence() + " belongs to run '" + p.runId()
                    + "', not to run '" + runId + "' that this recorder saves");
        }
        checkOpen();
        Media.Sink media = new Media.Sink();
        ObjectNode record = codec.encodePrediction(p.withEmbeddings(Map.of()), true, media);
        write("save prediction " + p.sequence() + " of run '" + runId + "'", c -> {
            Media.save(c, media.found.values(), recentMedia);
            try (PreparedStatement s = c.prepareStatement("INSERT INTO panic_predictions (run_id, sequence, node,"
                    + " model, revision, started_at, finished_at, succeeded, pending, record)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?::json)")) {
                s.setString(1, runId);
                s.setInt(2, p.sequence());
                s.setString(3, p.node());
                s.setString(4, p.modelId().toString());
                s.setInt(5, p.revision());
                s.setTimestamp(6, Timestamp.from(p.startedAt()));
                s.setTimestamp(7, Timestamp.from(p.finishedAt()));
                s.setBoolean(8, p.succeeded());
                s.setBoolean(9, !complete);
                s.setString(10, json(record));
                s.executeUpdate();
            }
            insertEmbeddings(c, p.sequence(), p.embeddings());
        });
    }

    @Override
    public synchronized void complete(int sequence, Map<String, Embedding> embeddings, List<Verdict> verdicts) {
        checkOpen();
        // The verdicts join the prediction's record, as the directory store's completion line adds them to it.
        String verdictJson = verdicts.isEmpty() ? null
                : json(codec.encodeCompletion(sequence, Map.of(), verdicts).get("verdicts"));
        write("save the vectors of prediction " + sequence + " of run '" + runId + "'", c -> {
            insertEmbeddings(c, sequence, embeddings);
            String sql = verdictJson == null
                    ? "UPDATE panic_predictions SET pending = false WHERE run_id = ? AND sequence = ?"
                    : "UPDATE panic_predictions SET pending = false, record = (record::jsonb"
                            + " || jsonb_build_object('verdicts', ?::jsonb))::json WHERE run_id = ? AND sequence = ?";
            try (PreparedStatement s = c.prepareStatement(sql)) {
                int i = 1;
                if (verdictJson != null) {
                    s.setString(i++, verdictJson);
                }
                s.setString(i++, runId);
                s.setInt(i, sequence);
                s.executeUpdate();
            }
        });
    }

    @Override
    public synchronized void drop(int sequence, String reason) {
        checkOpen();
        write("drop prediction " + sequence + " of run '" + runId + "'", c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "DELETE FROM panic_predictions WHERE run_id = ? AND sequence = ? AND pending")) {
                s.setString(1, runId);
                s.setInt(2, sequence);
                s.executeUpdate();
            }
        });
    }

    @Override
    public synchronized void revise(Revision revision) {
        checkOpen();
        Media.Sink media = new Media.Sink();
        ObjectNode record = codec.encodeRevision(revision, media);
        write("save revision " + revision.number() + " of run '" + runId + "'", c -> {
            Media.save(c, media.found.values(), recentMedia);
            try (PreparedStatement s = c.prepareStatement("INSERT INTO panic_revisions (run_id, number, at,"
                    + " after_sequence, revision) VALUES (?, ?, ?, ?, ?::json)")) {
                s.setString(1, runId);
                s.setInt(2, revision.number());
                s.setTimestamp(3, Timestamp.from(revision.at()));
                s.setInt(4, revision.afterSequence());
                s.setString(5, json(record));
                s.executeUpdate();
            }
        });
    }

    @Override
    public synchronized void update(RunInfo info) {
        RunFolderLayout.checkInfoFor(runId, info);
        checkOpen();
        PgRunStore.Encoded encoded = store.encode(info);
        write("save the description of run '" + runId + "'", c -> {
            Media.save(c, encoded.media().found.values(), recentMedia);
            try (PreparedStatement s = c.prepareStatement("UPDATE panic_runs SET status = ?, started_at = ?,"
                    + " finished_at = ?, info = ?::json WHERE id = ?")) {
                s.setString(1, info.status().name());
                s.setTimestamp(2, timestamp(info.startedAt()));
                s.setTimestamp(3, timestamp(info.finishedAt().orElse(null)));
                s.setString(4, encoded.info());
                s.setString(5, runId);
                s.executeUpdate();
            }
            try (PreparedStatement s = c.prepareStatement("UPDATE panic_run_specs SET spec = ?::json WHERE run_id = ?")) {
                s.setString(1, encoded.spec());
                s.setString(2, runId);
                s.executeUpdate();
            }
        });
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        store.leases().release(this);
        try {
            db.transaction("let run '" + runId + "' go", c -> {
                try (PreparedStatement s = c.prepareStatement("UPDATE panic_runs SET lease_holder = NULL,"
                        + " lease_until = NULL WHERE id = ? AND lease_holder = ?")) {
                    s.setString(1, runId);
                    s.setString(2, holder);
                    return s.executeUpdate();
                }
            });
        } catch (PanicException e) {
            // Its lease lapses by itself.
            org.slf4j.LoggerFactory.getLogger(PgRecorder.class).warn("{}; it will read as interrupted once its"
                    + " lease lapses", e.getMessage());
        }
    }

    /** Runs one write in a transaction that renews this writer's lease first, and fails if it is lost. */
    private void write(String what, SqlWork work) {
        String lost = lostBecause;
        if (lost != null) {
            throw lostLease(lost);
        }
        int held = db.transaction(what, c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE panic_runs SET lease_until = clock_timestamp()"
                    + " + make_interval(secs => ?) WHERE id = ? AND lease_holder = ?")) {
                s.setDouble(1, store.leases().seconds());
                s.setString(2, runId);
                s.setString(3, holder);
                if (s.executeUpdate() == 0) {
                    return 0;
                }
            }
            work.run(c);
            return 1;
        });
        if (held == 0) {
            lostBecause = "another writer holds it now";
            throw lostLease(lostBecause);
        }
    }

    private PanicException lostLease(String why) {
        return new PanicException("this writer no longer holds run '" + runId + "' in " + db.display() + " ("
                + why + "; its lease of " + store.leases().duration().toSeconds() + " s lapsed while the process was"
                + " paused or cut off from the database); nothing more is saved through it: resume the run");
    }

    private void insertEmbeddings(Connection c, int sequence, Map<String, Embedding> embeddings) throws SQLException {
        if (embeddings.isEmpty()) {
            return;
        }
        try (PreparedStatement s = c.prepareStatement("INSERT INTO panic_embeddings (run_id, sequence, embedder,"
                + " position, dimensions, vector) VALUES (?, ?, ?, ?, ?, ?)")) {
            int position = 0;
            for (Map.Entry<String, Embedding> e : embeddings.entrySet()) {
                s.setString(1, runId);
                s.setInt(2, sequence);
                s.setString(3, e.getKey());
                s.setInt(4, position++);
                s.setInt(5, e.getValue().dimension());
                s.setBytes(6, float32(e.getValue()));
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    /** Little-endian IEEE-754 bits, so NaN payloads, -0.0 and subnormals come back exactly. */
    static byte[] float32(Embedding e) {
        ByteBuffer buf = ByteBuffer.allocate(e.dimension() * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < e.dimension(); i++) {
            buf.putInt(Float.floatToRawIntBits(e.get(i)));
        }
        return buf.array();
    }

    private String json(com.fasterxml.jackson.databind.JsonNode node) {
        try {
            return codec.mapper().writeValueAsString(node);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new PanicException("could not encode a record of run '" + runId + "' as JSON: "
                    + e.getOriginalMessage(), e);
        }
    }

    static Timestamp timestamp(Instant at) {
        return at == null ? null : Timestamp.from(at);
    }

    private void checkOpen() {
        if (closed) {
            throw new PanicException("the recorder of run '" + runId + "' is closed; resume the run to write to it");
        }
    }

    /** Work on a connection that returns nothing. */
    @FunctionalInterface
    interface SqlWork {
        void run(Connection c) throws SQLException;
    }
}
