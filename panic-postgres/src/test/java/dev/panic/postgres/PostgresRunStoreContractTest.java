package dev.panic.postgres;

import dev.panic.RunStore;
import dev.panic.store.RunStoreContract;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

/** The store contract on PostgreSQL: a database of its own per test, in a real server. */
class PostgresRunStoreContractTest extends RunStoreContract {

    private final PostgresCluster cluster = PostgresCluster.shared();
    private final List<PostgresRunStore> opened = new ArrayList<>();
    private String url;

    @Override
    protected RunStore newStore() {
        url = cluster.newDatabase();
        return open();
    }

    @Override
    protected RunStore sameStoreElsewhere() {
        return open();
    }

    private PostgresRunStore open() {
        PostgresRunStore store = PostgresRunStore.builder(url).lease(Duration.ofSeconds(5)).poolSize(4).build();
        opened.add(store);
        return store;
    }

    @AfterEach
    void closeStores() {
        opened.forEach(PostgresRunStore::close);
    }

    @Override
    protected void damagePrediction(String runId, int sequence) throws Exception {
        try (Connection c = cluster.connect(url);
             PreparedStatement s = c.prepareStatement("UPDATE panic_predictions SET record = ?::json"
                     + " WHERE run_id = ? AND sequence = ?")) {
            s.setString(1, "{\"run_id\":\"" + runId + "\",\"sequence\":" + sequence + "}");
            s.setString(2, runId);
            s.setInt(3, sequence);
            s.executeUpdate();
        }
    }

    @Override
    protected void loseMedia(String sha256) throws Exception {
        try (Connection c = cluster.connect(url);
             PreparedStatement s = c.prepareStatement("DELETE FROM panic_media WHERE sha256 = ?")) {
            s.setString(1, sha256);
            s.executeUpdate();
        }
    }

    @Override
    protected long storedMediaCount() throws Exception {
        try (Connection c = cluster.connect(url);
             PreparedStatement s = c.prepareStatement("SELECT count(*) FROM panic_media");
             ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
