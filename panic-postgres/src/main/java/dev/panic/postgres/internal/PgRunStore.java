package dev.panic.postgres.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.panic.Embedding;
import dev.panic.Lineage;
import dev.panic.Prediction;
import dev.panic.Revision;
import dev.panic.RunInfo;
import dev.panic.RunStatus;
import dev.panic.exception.NotFoundException;
import dev.panic.exception.PanicException;
import dev.panic.exception.ValidationException;
import dev.panic.internal.store.JsonCodec;
import dev.panic.internal.store.RunFolderLayout;
import dev.panic.internal.store.TrajectoryStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/** The PostgreSQL run store; see {@link dev.panic.postgres.PostgresRunStore} for what it keeps where. */
public final class PgRunStore extends TrajectoryStore implements AutoCloseable {

    private static final int PAGE = 128;
    private static final int KNOWN_IDS_IN_MESSAGES = 5;

    private final Db db;
    private final JsonCodec codec = new JsonCodec();
    private final Leases leases;
    private final PgPermits permits;

    public PgRunStore(PgLocation location, int poolSize, Duration lease) {
        this.db = Db.open(location, poolSize);
        this.leases = new Leases(db, lease);
        this.permits = new PgPermits(db);
    }

    /** The rate-limit buckets every process on this database shares. */
    public PgPermits permits() {
        return permits;
    }

    Db db() {
        return db;
    }

    JsonCodec codec() {
        return codec;
    }

    Leases leases() {
        return leases;
    }

    /** The location without its password. */
    public String display() {
        return db.display();
    }

    /** The connection pool, for tests and metrics. */
    public com.zaxxer.hikari.HikariDataSource pool() {
        return db.pool();
    }

    // ---------------------------------------------------------------- writing

    /** A run description as two JSON documents (the spec apart), and the media they refer to. */
    record Encoded(String info, String spec, Media.Sink media) {
    }

    Encoded encode(RunInfo info) {
        Media.Sink media = new Media.Sink();
        ObjectNode node = codec.encodeRunInfo(info, media);
        JsonNode spec = node.remove("spec");
        try {
            return new Encoded(codec.mapper().writeValueAsString(node), codec.mapper().writeValueAsString(spec), media);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new PanicException("could not encode the description of run '" + info.id() + "' as JSON: "
                    + e.getOriginalMessage(), e);
        }
    }

    @Override
    public Recorder create(RunInfo info) {
        if (info == null) {
            throw new ValidationException("cannot create a run from a null run info");
        }
        String runId = RunFolderLayout.checkRunId(info.id());
        Encoded encoded = encode(info);
        String holder = Leases.newHolder();
        PgRecorder recorder = new PgRecorder(this, runId, holder);
        try {
            db.transaction("create run '" + runId + "'", c -> {
                Media.save(c, encoded.media().found.values(), new HashSet<>());
                try (PreparedStatement s = c.prepareStatement("INSERT INTO panic_runs (id, parent_id, fork_sequence,"
                        + " branch, status, started_at, finished_at, info, lease_holder, lease_until)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?::json, ?, clock_timestamp() + make_interval(secs => ?))")) {
                    Lineage parent = info.parent().orElse(null);
                    s.setString(1, runId);
                    s.setString(2, parent == null ? null : parent.runId());
                    if (parent == null) {
                        s.setNull(3, java.sql.Types.INTEGER);
                    } else {
                        s.setInt(3, parent.sequence());
                    }
                    s.setBoolean(4, parent != null && parent.branch());
                    s.setString(5, info.status().name());
                    s.setTimestamp(6, PgRecorder.timestamp(info.startedAt()));
                    s.setTimestamp(7, PgRecorder.timestamp(info.finishedAt().orElse(null)));
                    s.setString(8, encoded.info());
                    s.setString(9, holder);
                    s.setDouble(10, leases.seconds());
                    s.executeUpdate();
                }
                try (PreparedStatement s = c.prepareStatement(
                        "INSERT INTO panic_run_specs (run_id, spec) VALUES (?, ?::json)")) {
                    s.setString(1, runId);
                    s.setString(2, encoded.spec());
                    s.executeUpdate();
                }
                return null;
            });
        } catch (PanicException e) {
            if (e.getCause() instanceof SQLException sql && Db.UNIQUE_VIOLATION.equals(sql.getSQLState())) {
                throw new PanicException("could not create run '" + runId + "' in " + db.display() + ": a run with"
                        + " that id already exists; give the run another id, or resume it", e);
            }
            throw e;
        }
        leases.hold(recorder);
        return recorder;
    }

    @Override
    public Recorder resume(String runId) {
        RunFolderLayout.checkRunId(runId);
        String holder = Leases.newHolder();
        String refusal = db.transaction("take over run '" + runId + "'", c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE panic_runs SET lease_holder = ?,"
                    + " lease_until = clock_timestamp() + make_interval(secs => ?)"
                    + " WHERE id = ? AND (lease_holder IS NULL OR lease_until <= clock_timestamp())")) {
                s.setString(1, holder);
                s.setDouble(2, leases.seconds());
                s.setString(3, runId);
                if (s.executeUpdate() == 1) {
                    return null;
                }
            }
            try (PreparedStatement s = c.prepareStatement("SELECT lease_holder, lease_until FROM panic_runs"
                    + " WHERE id = ?")) {
                s.setString(1, runId);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() ? rs.getString(1) + "; its lease runs until " + rs.getTimestamp(2).toInstant()
                            + " unless renewed" : "";
                }
            }
        });
        if (refusal != null) {
            if (refusal.isEmpty()) {
                throw notFound(runId);
            }
            throw new PanicException("run '" + runId + "' is live: another writer holds it (" + refusal
                    + "); wait for it to end or stop it there, then try again");
        }
        PgRecorder recorder = new PgRecorder(this, runId, holder);
        leases.hold(recorder);
        return recorder;
    }

    @Override
    public void saveAnalysis(String runId, String json) {
        RunFolderLayout.checkAnalysis(runId, json);
        int saved = db.transaction("save the analysis of run '" + runId + "'", c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO panic_analyses (run_id, saved_at, analysis)"
                    + " SELECT id, now(), ?::json FROM panic_runs WHERE id = ?"
                    + " ON CONFLICT (run_id) DO UPDATE SET saved_at = excluded.saved_at, analysis = excluded.analysis")) {
                s.setString(1, json);
                s.setString(2, runId);
                return s.executeUpdate();
            }
        });
        if (saved == 0) {
            throw notFound(runId);
        }
    }

    // ---------------------------------------------------------------- reading

    @Override
    public RunInfo info(String runId) {
        RunFolderLayout.checkRunId(runId);
        record Row(String info, String spec, String status, boolean leased, Integer last) {
        }
        Row row = db.transaction("read run '" + runId + "'", c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT r.info::text, s.spec::text, r.status,"
                    + " r.lease_holder IS NOT NULL AND r.lease_until > clock_timestamp(),"
                    + " (SELECT max(p.sequence) FROM panic_predictions p WHERE p.run_id = r.id)"
                    + " FROM panic_runs r LEFT JOIN panic_run_specs s ON s.run_id = r.id WHERE r.id = ?")) {
                s.setString(1, runId);
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next()) {
                        return null;
                    }
                    int last = rs.getInt(5);
                    return new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBoolean(4),
                            rs.wasNull() ? null : last);
                }
            }
        });
        if (row == null) {
            throw notFound(runId);
        }
        RunInfo info;
        try {
            ObjectNode node = (ObjectNode) codec.mapper().readTree(row.info());
            if (row.spec() != null) {
                node.set("spec", codec.mapper().readTree(row.spec()));
            }
            info = codec.decodeRunInfo(node, new Media.Source(db, Map.of()));
        } catch (IOException | RuntimeException e) {
            throw new PanicException("run '" + runId + "' in " + db.display() + " does not describe a run: "
                    + firstLine(e) + "; it was changed or damaged after PANIC saved it", e);
        }
        if (!info.status().isFinal() && !row.leased()) {
            info = info.withStatus(RunStatus.INTERRUPTED);
        }
        if ((!info.status().isFinal() || info.status() == RunStatus.INTERRUPTED) && row.last() != null
                && row.last() + 1 > info.predictions()) {
            // A live run's description is saved when it starts and ends; its rows tell how far it has got.
            info = new RunInfo(info.id(), info.spec(), info.status(), info.stopReason(), info.startedAt(),
                    info.finishedAt(), row.last() + 1, info.observations(), info.parent(), info.revision());
        }
        return info;
    }

    @Override
    protected String describe(String runId) {
        return "run '" + runId + "' in " + db.display();
    }

    @Override
    public List<Revision> revisions(String runId) {
        info(runId);
        return readRevisions(runId, w -> { });
    }

    @Override
    protected List<Revision> readRevisions(String runId, Consumer<String> warnings) {
        List<String[]> rows = db.transaction("read the revisions of run '" + runId + "'", c -> {
            List<String[]> out = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT number, revision::text FROM panic_revisions"
                    + " WHERE run_id = ? ORDER BY number")) {
                s.setString(1, runId);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        out.add(new String[] {rs.getString(1), rs.getString(2)});
                    }
                }
            }
            return out;
        });
        Media.Source media = new Media.Source(db, Map.of());
        List<Revision> revisions = new ArrayList<>();
        for (String[] row : rows) {
            try {
                revisions.add(codec.decodeRevision(codec.mapper().readTree(row[1]), media));
            } catch (IOException | RuntimeException e) {
                warnings.accept("revision " + row[0] + " of run '" + runId + "' in " + db.display()
                        + " cannot be read; skipped it: " + firstLine(e));
            }
        }
        return revisions;
    }

    /**
     * Deletes a run with its predictions, vectors, revisions and analysis, and the images and sounds
     * no other run uses. Finding those reads the other runs' records, so deleting takes time in
     * proportion to the store's size.
     */
    @Override
    public void delete(String runId) {
        RunFolderLayout.checkRunId(runId);
        // A refusal is thrown inside the transaction, which rolls it back.
        db.transaction("delete run '" + runId + "'", c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT lease_holder IS NOT NULL"
                    + " AND lease_until > clock_timestamp() FROM panic_runs WHERE id = ? FOR UPDATE")) {
                s.setString(1, runId);
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next()) {
                        throw notFound(runId);
                    }
                    if (rs.getBoolean(1)) {
                        throw new PanicException("run '" + runId + "' is live: a writer holds it; stop it (or wait"
                                + " for it to end) before deleting it");
                    }
                }
            }
            List<String> children = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT id FROM panic_runs WHERE parent_id = ? ORDER BY started_at NULLS LAST, id")) {
                s.setString(1, runId);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        children.add(rs.getString(1));
                    }
                }
            }
            if (!children.isEmpty()) {
                throw new ValidationException("run '" + runId + "' cannot be deleted: " + children.size()
                        + " run(s) share its predictions (" + String.join(", ", children) + "); delete them first");
            }
            java.util.Set<String> media = new java.util.HashSet<>();
            for (String sql : List.of("SELECT record::text FROM panic_predictions WHERE run_id = ?",
                    "SELECT revision::text FROM panic_revisions WHERE run_id = ?",
                    "SELECT info::text FROM panic_runs WHERE id = ?",
                    "SELECT spec::text FROM panic_run_specs WHERE run_id = ?")) {
                try (PreparedStatement s = c.prepareStatement(sql)) {
                    s.setString(1, runId);
                    try (ResultSet rs = s.executeQuery()) {
                        while (rs.next()) {
                            try {
                                media.addAll(Media.referencedBy(codec.mapper().readTree(rs.getString(1))));
                            } catch (IOException e) {
                                // A damaged record: whatever it referred to stays.
                            }
                        }
                    }
                }
            }
            try (PreparedStatement s = c.prepareStatement("DELETE FROM panic_embeddings WHERE run_id = ?")) {
                s.setString(1, runId);
                s.executeUpdate();
            }
            try (PreparedStatement s = c.prepareStatement("DELETE FROM panic_runs WHERE id = ?")) {
                s.setString(1, runId);
                s.executeUpdate();
            }
            Media.deleteUnreferenced(c, media);
            return null;
        });
    }

    @Override
    public List<String> runIds() {
        return ids("list the runs", "SELECT id FROM panic_runs ORDER BY started_at NULLS LAST, id", null);
    }

    @Override
    public List<String> children(String runId) {
        RunFolderLayout.checkRunId(runId);
        return ids("list the children of run '" + runId + "'",
                "SELECT id FROM panic_runs WHERE parent_id = ? ORDER BY started_at NULLS LAST, id", runId);
    }

    private List<String> ids(String what, String sql, String parameter) {
        return db.transaction(what, c -> {
            List<String> ids = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement(sql)) {
                if (parameter != null) {
                    s.setString(1, parameter);
                }
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getString(1));
                    }
                }
            }
            return ids;
        });
    }

    @Override
    protected String where() {
        return db.display();
    }

    @Override
    protected Stream<Prediction> ownPredictions(RunInfo info, int from, int to, Consumer<String> warnings) {
        return StreamSupport.stream(new OwnPredictions(info.id(), from, to, warnings), false);
    }

    /**
     * One run's own predictions in order, read a page at a time as they are consumed, each page in
     * a short transaction of its own: no connection is held between pages, and rows saved after the
     * stream began are read when it gets there.
     */
    private final class OwnPredictions extends Spliterators.AbstractSpliterator<Prediction> {
        private final String runId;
        private final int to;
        private final Consumer<String> warnings;
        private final ArrayDeque<Prediction> page = new ArrayDeque<>();
        private int next;
        private boolean done;

        OwnPredictions(String runId, int from, int to, Consumer<String> warnings) {
            super(Long.MAX_VALUE, Spliterator.ORDERED | Spliterator.NONNULL);
            this.runId = runId;
            this.next = from;
            this.to = to;
            this.warnings = warnings;
        }

        @Override
        public boolean tryAdvance(Consumer<? super Prediction> action) {
            while (page.isEmpty() && !done) {
                fetch();
            }
            Prediction p = page.pollFirst();
            if (p == null) {
                return false;
            }
            action.accept(p);
            return true;
        }

        private record Row(int sequence, boolean pending, String record) {
        }

        private void fetch() {
            if (next > to) {
                done = true;
                return;
            }
            int first = next;
            record Page(List<Row> rows, Map<Integer, Map<String, byte[]>> vectors, Map<String, Integer> media) {
            }
            Page read = db.transaction("read the predictions of run '" + runId + "'", c -> {
                List<Row> rows = new ArrayList<>();
                try (PreparedStatement s = c.prepareStatement("SELECT sequence, pending, record::text"
                        + " FROM panic_predictions WHERE run_id = ? AND sequence BETWEEN ? AND ?"
                        + " ORDER BY sequence LIMIT " + PAGE)) {
                    s.setString(1, runId);
                    s.setInt(2, first);
                    s.setInt(3, to);
                    try (ResultSet rs = s.executeQuery()) {
                        while (rs.next()) {
                            rows.add(new Row(rs.getInt(1), rs.getBoolean(2), rs.getString(3)));
                        }
                    }
                }
                if (rows.isEmpty()) {
                    return new Page(rows, Map.of(), Map.of());
                }
                return new Page(rows, vectors(c, first, rows.get(rows.size() - 1).sequence()),
                        Media.sizes(c, referenced(rows)));
            });
            if (read.rows().isEmpty()) {
                done = true;
                return;
            }
            Media.Source media = new Media.Source(db, read.media());
            for (Row row : read.rows()) {
                next = row.sequence() + 1;
                try {
                    JsonNode node = codec.mapper().readTree(row.record());
                    JsonCodec.Line line = codec.decodeLine(node, media, seq -> {
                        throw new ValidationException("the record has no node");
                    });
                    if (!(line instanceof JsonCodec.PredictionLine pl) || pl.prediction().sequence() != row.sequence()
                            || !pl.prediction().runId().equals(runId)) {
                        throw new ValidationException("the record is not prediction " + row.sequence() + " of this run");
                    }
                    Map<String, Embedding> embeddings = new LinkedHashMap<>();
                    read.vectors().getOrDefault(row.sequence(), Map.of())
                            .forEach((embedder, bits) -> embeddings.put(embedder, Embedding.of(floats(bits))));
                    if (row.pending()) {
                        warnings.accept("run '" + runId + "' in " + db.display() + " holds prediction " + row.sequence()
                                + " without its vectors (the run stopped while they were computed, or is computing"
                                + " them now); kept it without them");
                    }
                    page.addLast(pl.prediction().withEmbeddings(embeddings));
                } catch (IOException | RuntimeException e) {
                    warnings.accept("prediction " + row.sequence() + " of run '" + runId + "' in " + db.display()
                            + " cannot be read; skipped it: " + firstLine(e));
                }
            }
        }

        private Map<Integer, Map<String, byte[]>> vectors(Connection c, int from, int last) throws SQLException {
            Map<Integer, Map<String, byte[]>> out = new HashMap<>();
            try (PreparedStatement s = c.prepareStatement("SELECT sequence, embedder, vector FROM panic_embeddings"
                    + " WHERE run_id = ? AND sequence BETWEEN ? AND ? ORDER BY sequence, position")) {
                s.setString(1, runId);
                s.setInt(2, from);
                s.setInt(3, last);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        out.computeIfAbsent(rs.getInt(1), k -> new LinkedHashMap<>()).put(rs.getString(2), rs.getBytes(3));
                    }
                }
            }
            return out;
        }

        private Set<String> referenced(List<Row> rows) {
            Set<String> shas = new HashSet<>();
            for (Row r : rows) {
                try {
                    shas.addAll(Media.referencedBy(codec.mapper().readTree(r.record())));
                } catch (IOException e) {
                    // reported when the row is decoded
                }
            }
            return shas;
        }
    }

    private static float[] floats(byte[] bits) {
        if (bits.length == 0 || bits.length % Float.BYTES != 0) {
            throw new ValidationException("a vector of " + bits.length + " bytes is not float32");
        }
        ByteBuffer buf = ByteBuffer.wrap(bits).order(ByteOrder.LITTLE_ENDIAN);
        float[] v = new float[bits.length / Float.BYTES];
        for (int i = 0; i < v.length; i++) {
            v[i] = Float.intBitsToFloat(buf.getInt());
        }
        return v;
    }

    private NotFoundException notFound(String runId) {
        List<String> ids = runIds();
        if (ids.isEmpty()) {
            return new NotFoundException("no run '" + runId + "' in " + db.display() + ": it holds no saved runs");
        }
        List<String> newest = ids.subList(Math.max(0, ids.size() - KNOWN_IDS_IN_MESSAGES), ids.size());
        String more = ids.size() > newest.size() ? " and " + (ids.size() - newest.size()) + " older" : "";
        return new NotFoundException("no run '" + runId + "' in " + db.display() + "; the newest saved runs are "
                + String.join(", ", newest) + more);
    }

    private static String firstLine(Exception e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.lines().findFirst().orElse(m);
    }

    @Override
    public void close() {
        leases.close();
        permits.close();
        db.close();
    }

    @Override
    public String toString() {
        return "PostgresRunStore[" + db.display() + "]";
    }
}
