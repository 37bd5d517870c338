package dev.panic.postgres.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.panic.Bytes;
import dev.panic.Payload;
import dev.panic.exception.PanicException;
import dev.panic.internal.store.JsonCodec;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Images and sounds in {@code panic_media}, one row per content, shared by every run. */
final class Media {

    private Media() {
    }

    /** Collects the media a record refers to while it is encoded, to be saved with it. */
    static final class Sink implements JsonCodec.MediaSink {
        final Map<String, Payload> found = new LinkedHashMap<>();

        @Override
        public void put(Payload media, String relativePath) {
            found.putIfAbsent(data(media).sha256(), media);
        }
    }

    /** A media reference that cannot be followed: the content is missing or not of its recorded size. */
    static final class Lost extends RuntimeException {
        Lost(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Saves the contents the store lacks; {@code known} holds contents already saved (it is updated),
     * so an output that is also the next input is not looked up twice.
     */
    static void save(Connection c, Collection<Payload> media, Set<String> known) throws SQLException {
        Map<String, Payload> unknown = new LinkedHashMap<>();
        for (Payload p : media) {
            String sha = data(p).sha256();
            if (!known.contains(sha)) {
                unknown.put(sha, p);
            }
        }
        if (unknown.isEmpty()) {
            return;
        }
        // FOR SHARE: a run being deleted at this moment cannot take these contents away before this
        // transaction commits the records that refer to them (see PgRunStore.delete).
        Set<String> present = sizes(c, unknown.keySet(), " FOR SHARE").keySet();
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO panic_media (sha256, size, data) VALUES (?, ?, ?) ON CONFLICT (sha256) DO NOTHING")) {
            int batched = 0;
            for (Map.Entry<String, Payload> e : unknown.entrySet()) {
                if (present.contains(e.getKey())) {
                    continue;
                }
                Bytes bytes = data(e.getValue());
                insert.setString(1, e.getKey());
                insert.setInt(2, bytes.size());
                insert.setBytes(3, bytes.toByteArray());
                insert.addBatch();
                batched++;
            }
            if (batched > 0) {
                insert.executeBatch();
            }
        }
        known.addAll(unknown.keySet());
    }

    /** The sizes of those of these contents that the store holds. */
    static Map<String, Integer> sizes(Connection c, Collection<String> sha256s) throws SQLException {
        return sizes(c, sha256s, "");
    }

    private static Map<String, Integer> sizes(Connection c, Collection<String> sha256s, String lock)
            throws SQLException {
        Map<String, Integer> sizes = new HashMap<>();
        if (sha256s.isEmpty()) {
            return sizes;
        }
        try (PreparedStatement s = c.prepareStatement("SELECT sha256, size FROM panic_media WHERE sha256 = ANY (?)" + lock)) {
            Array array = c.createArrayOf("text", sha256s.toArray());
            s.setArray(1, array);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    sizes.put(rs.getString(1), rs.getInt(2));
                }
            }
        }
        return sizes;
    }

    /**
     * Deletes those of these contents that no record refers to any more. Called in the transaction
     * that deleted the records that referred to them: first it locks the contents, waiting for the
     * writers that are saving records referring to them (they hold them {@code FOR SHARE}), then a
     * fresh statement sees those writers' records and keeps what they use.
     */
    static int deleteUnreferenced(Connection c, Collection<String> sha256s) throws SQLException {
        if (sha256s.isEmpty()) {
            return 0;
        }
        Array array = c.createArrayOf("text", sha256s.toArray());
        try (PreparedStatement s = c.prepareStatement(
                "SELECT sha256 FROM panic_media WHERE sha256 = ANY (?) ORDER BY sha256 FOR UPDATE")) {
            s.setArray(1, array);
            s.executeQuery().close();
        }
        try (PreparedStatement s = c.prepareStatement("DELETE FROM panic_media m WHERE m.sha256 = ANY (?)"
                + " AND NOT EXISTS (SELECT 1 FROM panic_predictions p WHERE strpos(p.record::text, m.sha256) > 0)"
                + " AND NOT EXISTS (SELECT 1 FROM panic_revisions r WHERE strpos(r.revision::text, m.sha256) > 0)"
                + " AND NOT EXISTS (SELECT 1 FROM panic_runs u WHERE strpos(u.info::text, m.sha256) > 0)"
                + " AND NOT EXISTS (SELECT 1 FROM panic_run_specs x WHERE strpos(x.spec::text, m.sha256) > 0)")) {
            s.setArray(1, array);
            return s.executeUpdate();
        }
    }

    /** Every SHA-256 a record refers to. */
    static Set<String> referencedBy(JsonNode record) {
        Set<String> shas = new HashSet<>();
        for (JsonNode v : record.findValues("sha256")) {
            if (v.isTextual()) {
                shas.add(v.textValue());
            }
        }
        return shas;
    }

    /**
     * Media as the codec asks for it: checked against what the store holds, its bytes read only when
     * used. Looks up contents it was not given in one query each, and remembers what it found.
     */
    static final class Source implements JsonCodec.MediaSource {
        private final Db db;
        private final Map<String, Integer> sizes;
        private final Set<String> looked = new HashSet<>();

        Source(Db db, Map<String, Integer> sizes) {
            this.db = db;
            this.sizes = new HashMap<>(sizes);
            this.looked.addAll(sizes.keySet());
        }

        @Override
        public Bytes get(String file, String sha256, Integer size) {
            if (sha256 == null) {
                throw new Lost("media reference '" + file + "' has no sha256");
            }
            if (looked.add(sha256)) {
                sizes.putAll(db.transaction("look up media " + sha256, c -> Media.sizes(c, List.of(sha256))));
            }
            Integer held = sizes.get(sha256);
            if (held == null) {
                throw new Lost("media " + sha256 + " (" + file + ") is missing from " + db.display()
                        + "; copy the run again from where it came from (panic store copy), with its media");
            }
            if (size != null && !size.equals(held)) {
                throw new Lost("media " + sha256 + " in " + db.display() + " is damaged: it holds " + held
                        + " bytes, not " + size);
            }
            return Bytes.deferred(held, sha256, () -> load(db, sha256));
        }
    }

    private static byte[] load(Db db, String sha256) {
        byte[] data = db.transaction("read media " + sha256, c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT data FROM panic_media WHERE sha256 = ?")) {
                s.setString(1, sha256);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() ? rs.getBytes(1) : null;
                }
            }
        });
        if (data == null) {
            throw new PanicException("media " + sha256 + " is no longer in " + db.display()
                    + "; it was removed after the run was read");
        }
        return data;
    }

    static Bytes data(Payload media) {
        if (media instanceof Payload.Image im) {
            return im.data();
        }
        if (media instanceof Payload.Audio au) {
            return au.data();
        }
        throw new IllegalArgumentException("a " + media.modality() + " payload has no media");
    }
}
