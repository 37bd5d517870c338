package dev.panic;

import dev.panic.exception.NotFoundException;
import dev.panic.exception.ValidationException;
import java.util.Optional;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The platforms PANIC knows, and the way to models by id.
 *
 * <pre>{@code
 * Platforms platforms = Platforms.discover();           // every platform module on the class path
 * Model painter = platforms.model("sim:painter");
 * Network loop = platforms.network("sim:painter", "sim:describer");
 * }</pre>
 *
 * <p>Discovery uses {@link ServiceLoader} with the thread's context class loader first and this
 * library's own second, so that platforms added in JShell or a Jupyter kernel (which load classes
 * through their own loaders) are found. A platform found twice counts once; the first one wins.
 * Immutable and thread-safe.
 */
public final class Platforms {

    private static final Logger LOG = LoggerFactory.getLogger(Platforms.class);

    private final Map<String, Platform> byId;
    private final List<EmbedderProvider> embedderProviders;
    private final Map<String, Embedder> embedders;
    private final PlatformContext context;

    private Platforms(Builder b) {
        this.byId = Collections.unmodifiableMap(new LinkedHashMap<>(b.byId));
        this.embedderProviders = List.copyOf(b.embedderProviders);
        this.embedders = Collections.unmodifiableMap(new LinkedHashMap<>(b.embedders));
        this.context = b.context;
    }

    /** Every platform found on the class path, configured from the process environment. */
    public static Platforms discover() {
        return builder().discover().build();
    }

    /** A builder: discover, register by hand, or both. */
    public static Builder builder() {
        return new Builder();
    }

    /** The platforms in the order they were found or registered. */
    public List<Platform> all() {
        return List.copyOf(byId.values());
    }

    /**
     * The platform with this id.
     *
     * @throws NotFoundException listing the known platforms if there is none
     */
    public Platform platform(String id) {
        Platform p = byId.get(id);
        if (p == null) {
            throw new NotFoundException("no platform '" + id + "'; known platforms: " + String.join(", ", byId.keySet())
                    + ". Add the module that provides it (e.g. panic-" + id + ") to the class path, or register it by hand");
        }
        return p;
    }

    /** Every model every platform lists. */
    public List<ModelInfo> models() {
        List<ModelInfo> all = new ArrayList<>();
        byId.values().forEach(p -> all.addAll(p.models()));
        return all;
    }

    /**
     * The model with id {@code platform:name}, with the platform's default parameters.
     *
     * @throws ValidationException if the id is malformed
     * @throws NotFoundException   if the platform or the model is unknown; the message lists what is known
     */
    public Model model(String id) {
        return model(id, Parameters.empty());
    }

    /** The model with id {@code platform:name} and these default parameters. */
    public Model model(String id, Parameters parameters) {
        ModelId mid = ModelId.parse(id);
        return platform(mid.platform()).model(mid.name(), parameters == null ? Parameters.empty() : parameters);
    }

    /**
     * The embedder with this id ({@code minilm}, {@code image-descriptor}...): one registered by
     * hand, or one an {@link EmbedderProvider} on the class path offers. How a run saved with its
     * embedders' ids finds them again.
     *
     * @throws NotFoundException listing the known ids if no provider has it
     */
    public Embedder embedder(String id) {
        if (id == null || id.isBlank()) {
            throw new ValidationException("embedder id is empty");
        }
        Embedder registered = embedders.get(id);
        if (registered != null) {
            return registered;
        }
        for (EmbedderProvider p : embedderProviders) {
            Optional<Embedder> e = p.embedder(id, context);
            if (e.isPresent()) {
                return e.get();
            }
        }
        throw new NotFoundException("no embedder '" + id + "'; known embedders: "
                + (embedderIds().isEmpty() ? "none" : String.join(", ", embedderIds()))
                + ". Add the module that provides it (e.g. panic-embeddings) to the class path, or pass it with"
                + " embedWith(...)");
    }

    /** The ids of the embedders registered by hand and offered by providers. */
    public List<String> embedderIds() {
        List<String> ids = new ArrayList<>(embedders.keySet());
        embedderProviders.forEach(p -> p.ids().stream().filter(i -> !ids.contains(i)).forEach(ids::add));
        return ids;
    }

    /** A network of the models with these ids, in order; see {@link Network.Builder#build()}. */
    public Network network(String... modelIds) {
        if (modelIds == null || modelIds.length == 0) {
            throw new ValidationException("a network needs at least one model id");
        }
        Network.Builder b = Network.builder();
        for (String id : modelIds) {
            b.add(model(id));
        }
        return b.build();
    }

    /** Builds {@link Platforms}. */
    public static final class Builder {
        private final Map<String, Platform> byId = new LinkedHashMap<>();
        private final List<EmbedderProvider> embedderProviders = new ArrayList<>();
        private final Map<String, Embedder> embedders = new LinkedHashMap<>();
        private PlatformContext context = PlatformContext.system();

        private Builder() {
        }

        /** Where discovered platforms read their settings (API keys, hosts); the environment by default. */
        public Builder context(PlatformContext context) {
            this.context = context == null ? PlatformContext.system() : context;
            return this;
        }

        /** Finds and creates every platform provider on the class path (see the class comment). */
        public Builder discover() {
            List<ClassLoader> loaders = new ArrayList<>();
            ClassLoader tccl = Thread.currentThread().getContextClassLoader();
            if (tccl != null) {
                loaders.add(tccl);
            }
            ClassLoader own = Platforms.class.getClassLoader();
            if (own != null && own != tccl) {
                loaders.add(own);
            }
            for (ClassLoader loader : loaders) {
                discoverEmbedders(loader);
                Iterator<PlatformProvider> it = ServiceLoader.load(PlatformProvider.class, loader).iterator();
                while (true) {
                    PlatformProvider provider;
                    try {
                        if (!it.hasNext()) {
                            break;
                        }
                        provider = it.next();
                    } catch (ServiceConfigurationError e) {
                        // One broken module must not hide the others.
                        LOG.warn("skipping a platform provider that failed to load: {}", e.getMessage());
                        continue;
                    }
                    if (!byId.containsKey(provider.id())) {
                        register(provider.create(context));
                    }
                }
            }
            return this;
        }

        private void discoverEmbedders(ClassLoader loader) {
            Iterator<EmbedderProvider> it = ServiceLoader.load(EmbedderProvider.class, loader).iterator();
            while (true) {
                try {
                    if (!it.hasNext()) {
                        return;
                    }
                    EmbedderProvider p = it.next();
                    if (embedderProviders.stream().noneMatch(q -> q.getClass().getName().equals(p.getClass().getName()))) {
                        embedderProviders.add(p);
                    }
                } catch (ServiceConfigurationError e) {
                    LOG.warn("skipping an embedder provider that failed to load: {}", e.getMessage());
                }
            }
        }

        /** Adds an embedder by hand, found by {@link Platforms#embedder(String)} under its id before any provider's. */
        public Builder register(Embedder embedder) {
            if (embedder == null || embedder.id() == null || embedder.id().isBlank()) {
                throw new ValidationException("embedder to register is null or has no id");
            }
            embedders.put(embedder.id(), embedder);
            return this;
        }

        /**
         * Adds a platform by hand. A platform with the same id already present is replaced, so that
         * an application can swap a discovered platform for one it configured itself.
         */
        public Builder register(Platform platform) {
            if (platform == null) {
                throw new ValidationException("platform to register is null");
            }
            byId.put(ModelId.checkPlatformId(platform.id()), platform);
            return this;
        }

        /** The registry. */
        public Platforms build() {
            return new Platforms(this);
        }
    }
}
