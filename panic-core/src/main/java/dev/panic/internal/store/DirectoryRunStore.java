package dev.panic.internal.store;

import dev.panic.RunInfo;
import dev.panic.store.RunStore;
import dev.panic.store.StoredRun;
import java.nio.file.Path;
import java.util.List;

/** NOT BUILT YET: being written in this session; replaced before the foundation lands. */
public final class DirectoryRunStore implements RunStore {
    public DirectoryRunStore(Path root) {
        throw new UnsupportedOperationException("not built yet");
    }

    @Override
    public Recorder create(RunInfo info) {
        throw new UnsupportedOperationException("not built yet");
    }

    @Override
    public StoredRun read(String runId) {
        throw new UnsupportedOperationException("not built yet");
    }

    @Override
    public List<String> runIds() {
        throw new UnsupportedOperationException("not built yet");
    }
}
