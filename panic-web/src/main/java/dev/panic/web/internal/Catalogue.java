package dev.panic.web.internal;

import dev.panic.Modality;
import dev.panic.ModelInfo;
import dev.panic.Platforms;
import dev.panic.Embedder;
import dev.panic.Platform;
import dev.panic.Readiness;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a new run can be made of: every platform with whether it is ready (and what to set if not),
 * its models with their modalities, and the embedders. Readiness may ask a server (Ollama), so it
 * is asked at most every half minute and for at most a few seconds.
 */
final class Catalogue {

    private static final Logger LOG = LoggerFactory.getLogger(Catalogue.class);
    private static final Duration FRESH = Duration.ofSeconds(30);
    private static final long READINESS_WAIT_SECONDS = 4;

    /** A platform as the New-run page shows it. */
    record PlatformEntry(String id, String description, boolean ready, String detail, List<ModelInfo> models) {
    }

    /** An embedder and what it can embed. */
    record EmbedderEntry(String id, Set<Modality> modalities) {
    }

    private final Platforms platforms;
    private List<PlatformEntry> cached;
    private Instant cachedAt = Instant.EPOCH;
    private List<EmbedderEntry> embedders;

    Catalogue(Platforms platforms) {
        this.platforms = platforms;
    }

    Platforms platforms() {
        return platforms;
    }

    synchronized List<PlatformEntry> platforms(boolean fresh) {
        if (cached != null && !fresh && Duration.between(cachedAt, Instant.now()).compareTo(FRESH) < 0) {
            return cached;
        }
        Map<Platform, CompletableFuture<Readiness>> asked = new LinkedHashMap<>();
        for (Platform p : platforms.all()) {
            asked.put(p, CompletableFuture.supplyAsync(p::readiness));
        }
        List<PlatformEntry> out = new ArrayList<>();
        asked.forEach((p, f) -> {
            Readiness r;
            try {
                r = f.get(READINESS_WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (Exception e) {
                r = Readiness.notReady("it did not say whether it is ready within " + READINESS_WAIT_SECONDS + " s");
            }
            List<ModelInfo> models;
            try {
                models = p.models();
            } catch (RuntimeException e) {
                LOG.warn("platform {} could not list its models: {}", p.id(), e.toString());
                models = List.of();
            }
            out.add(new PlatformEntry(p.id(), p.description(), r.ready(), r.detail(), models));
        });
        cached = List.copyOf(out);
        cachedAt = Instant.now();
        return cached;
    }

    /** True if the platform of this model is ready; its detail otherwise. */
    String notReady(String platformId) {
        for (PlatformEntry p : platforms(false)) {
            if (p.id().equals(platformId)) {
                return p.ready() ? null : p.detail();
            }
        }
        return null;
    }

    synchronized List<EmbedderEntry> embedders() {
        if (embedders == null) {
            List<EmbedderEntry> out = new ArrayList<>();
            for (String id : platforms.embedderIds()) {
                try {
                    Embedder e = platforms.embedder(id);
                    out.add(new EmbedderEntry(id, e.modalities()));
                } catch (RuntimeException e) {
                    LOG.warn("embedder {} is listed but cannot be made: {}", id, e.toString());
                }
            }
            embedders = List.copyOf(out);
        }
        return embedders;
    }
}
