package dev.panic.postgres;

import dev.panic.store.RunStoreProvider;
import dev.panic.RunStore;
import java.util.List;

/** Opens {@code postgresql://} and {@code postgres://} locations for {@link dev.panic.store.RunStores#open(String)}. */
public final class PostgresRunStoreProvider implements RunStoreProvider {

    /** For {@link java.util.ServiceLoader}. */
    public PostgresRunStoreProvider() {
    }

    @Override
    public List<String> schemes() {
        return List.of("postgresql", "postgres");
    }

    @Override
    public RunStore open(String location) {
        return PostgresRunStore.open(location);
    }
}
