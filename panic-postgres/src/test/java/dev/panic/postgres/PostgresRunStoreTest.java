package dev.panic.postgres;

import static dev.panic.store.Fixtures.T0;
import static dev.panic.store.Fixtures.image;
import static dev.panic.store.Fixtures.ok;
import static dev.panic.store.Fixtures.running;
import static org.assertj.core.api.Assertions.assertThat;

import dev.panic.Embedding;
import dev.panic.Payload;
import dev.panic.Prediction;
import dev.panic.RunStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Iterator;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What only the PostgreSQL store does: its tables, media shared by all runs, live counts, connections. */
class PostgresRunStoreTest {

    private final PostgresCluster cluster = PostgresCluster.shared();
    private final String url = cluster.newDatabase();
    private final PostgresRunStore store = PostgresRunStore.builder(url).poolSize(3).build();

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void should_keep_vectors_as_little_endian_float32_bytes() throws Exception {
        // when
        try (RunStore.Recorder r = store.create(running("r1", Payload.text("x"), T0))) {
            r.append(ok("r1", 0, Payload.text("x"), Payload.text("y"), Map.of("e", Embedding.of(new float[] {1.0f, -0.0f}))),
                    true);
        }

        // then: 1.0f is 0x3F800000 and -0.0f is 0x80000000
        try (Connection c = cluster.connect(url);
             PreparedStatement s = c.prepareStatement("SELECT dimensions, vector FROM panic_embeddings");
             ResultSet rs = s.executeQuery()) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isEqualTo(2);
            assertThat(rs.getBytes(2)).containsExactly(0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x00, 0x80);
        }
    }

    @Test
    void should_keep_an_image_once_for_all_runs_that_use_it() throws Exception {
        // given
        Payload.Image shared = image(40);
        for (String id : new String[] {"a", "b", "c"}) {
            try (RunStore.Recorder r = store.create(running(id, shared, T0))) {
                r.append(ok(id, 0, shared, Payload.text("seen by " + id)), true);
            }
        }

        // then
        try (Connection c = cluster.connect(url);
             PreparedStatement s = c.prepareStatement("SELECT count(*), sum(size) FROM panic_media");
             ResultSet rs = s.executeQuery()) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(1);
            assertThat(rs.getLong(2)).isEqualTo(shared.data().size());
        }
        assertThat(((Payload.Image) store.read("c").predictions().get(0).input()).data().toByteArray())
                .isEqualTo(shared.data().toByteArray());
    }

    @Test
    void should_count_a_live_runs_saved_predictions_and_hold_no_connection_between_pages() {
        // given: a live run of 300 predictions, more than one page
        RunStore.Recorder r = store.create(running("r1", Payload.text("x"), T0));
        for (int i = 0; i < 300; i++) {
            r.append(ok("r1", i, Payload.text("in " + i), Payload.text("out " + i)), true);
        }

        // when / then
        assertThat(store.info("r1").predictions()).isEqualTo(300);
        try (Stream<Prediction> s = store.predictions("r1", 0)) {
            Iterator<Prediction> it = s.iterator();
            assertThat(it.next().sequence()).isZero();
            assertThat(store.pool().getHikariPoolMXBean().getActiveConnections()).isZero();
            int n = 1;
            while (it.hasNext()) {
                it.next();
                n++;
            }
            assertThat(n).isEqualTo(300);
        }
        r.close();
    }
}
