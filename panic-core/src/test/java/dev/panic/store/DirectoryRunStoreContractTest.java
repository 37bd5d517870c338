package dev.panic.store;

import dev.panic.RunStore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on {@link RunStore#directory}. */
class DirectoryRunStoreContractTest extends RunStoreContract {

    @TempDir
    Path tmp;

    private Path root() {
        return tmp.resolve("runs");
    }

    @Override
    protected RunStore newStore() {
        return RunStore.directory(root());
    }

    @Override
    protected RunStore sameStoreElsewhere() {
        return RunStore.directory(root());
    }

    @Override
    protected void damagePrediction(String runId, int sequence) throws IOException {
        Path file = root().resolve(runId).resolve("predictions.jsonl");
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains("\"sequence\":" + sequence + ",")) {
                lines.set(i, lines.get(i).substring(0, lines.get(i).length() / 2));
            }
        }
        Files.write(file, lines);
    }

    @Override
    protected void loseMedia(String sha256) throws IOException {
        for (Path file : mediaFiles()) {
            if (file.getFileName().toString().startsWith(sha256 + ".")) {
                Files.delete(file);
            }
        }
    }

    @Override
    protected long storedMediaCount() throws IOException {
        return mediaFiles().size();
    }

    private List<Path> mediaFiles() throws IOException {
        if (!Files.isDirectory(root())) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(root())) {
            return files.filter(f -> f.getParent().getFileName().toString().equals("media")).toList();
        }
    }
}
