package dev.panic.embeddings;

import dev.panic.Embedder;
import dev.panic.EmbedderProvider;
import dev.panic.PlatformContext;
import java.util.List;
import java.util.Optional;

/**
 * Makes the offline embedders known by id ({@code minilm}, {@code image-descriptor},
 * {@code audio-descriptor}) to {@link dev.panic.Platforms#embedder(String)}, so that runs saved
 * with them can be resumed and forked, and spec files can name them. Found by
 * {@link java.util.ServiceLoader}.
 */
public final class OfflineEmbedderProvider implements EmbedderProvider {

    /** For {@link java.util.ServiceLoader}. */
    public OfflineEmbedderProvider() {
    }

    @Override
    public List<String> ids() {
        return OfflineEmbedders.all().stream().map(Embedder::id).toList();
    }

    @Override
    public Optional<Embedder> embedder(String id, PlatformContext context) {
        return OfflineEmbedders.all().stream().filter(e -> e.id().equals(id)).findFirst();
    }
}
