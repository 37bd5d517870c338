package dev.panic;

import dev.panic.Embedder;
import java.util.List;
import java.util.Optional;

/**
 * Makes embedders known by id, so that a run saved with its embedders' ids can be resumed or
 * forked, and a spec file can name them: {@link dev.panic.Platforms#embedder(String)} asks every
 * provider found by {@link java.util.ServiceLoader} (listed in
 * {@code META-INF/services/dev.panic.EmbedderProvider}). It must have a public no-argument
 * constructor.
 */
public interface EmbedderProvider {

    /** The ids of the embedders it offers, for listings and messages. */
    List<String> ids();

    /**
     * The embedder with this id, or empty if it is not one of this provider's. Must not fail for
     * missing configuration such as an API key: the embedder reports that when it is used.
     */
    Optional<Embedder> embedder(String id, PlatformContext context);
}
