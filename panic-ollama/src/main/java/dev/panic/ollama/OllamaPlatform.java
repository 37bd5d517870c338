package dev.panic.ollama;

import dev.panic.Model;
import dev.panic.ModelInfo;
import dev.panic.Parameters;
import dev.panic.Embedder;
import dev.panic.exception.ValidationException;
import dev.panic.http.HttpSettings;
import dev.panic.spi.http.Secret;
import dev.panic.ollama.internal.OllamaApi;
import dev.panic.ollama.internal.OllamaEmbedder;
import dev.panic.ollama.internal.OllamaModels;
import dev.panic.Platform;
import dev.panic.PlatformContext;
import dev.panic.Readiness;
import dev.panic.spi.http.PlatformConfig;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Local vision and language models through a running Ollama server (LLaVA, BakLLaVA, Moondream,
 * Llama...). Model ids are {@code ollama:NAME}, with Ollama's own names and tags
 * ({@code ollama:llava}, {@code ollama:llava:13b}).
 *
 * <p>A model that can see (Ollama reports the {@code vision} capability, or its family is a
 * known vision family) is IMAGE → TEXT: it describes the image it is given. Any other model is
 * TEXT → TEXT. Give a vision model the parameter {@code input=text} to use it on text.
 *
 * <p>Parameters of a model (all optional):
 * <ul>
 *   <li>{@code prompt}: for image input, the instruction sent with the image (default
 *       "Describe this image."); for text input, a template in which {@code {input}} stands for
 *       the text (default: the text alone);</li>
 *   <li>{@code system}: the system prompt;</li>
 *   <li>{@code stream}: true (default) to receive tokens as they come, which runs report as
 *       {@link dev.panic.RunEvent.PartialOutput} events;</li>
 *   <li>{@code keep_alive}: how long Ollama keeps the model loaded, e.g. {@code 5m};</li>
 *   <li>{@code input}: {@code image} or {@code text}, to choose what a vision model takes;</li>
 *   <li>model options passed to Ollama: {@code temperature}, {@code seed}, {@code top_k},
 *       {@code top_p}, {@code min_p}, {@code num_ctx}, {@code num_predict}, {@code stop}.</li>
 * </ul>
 *
 * <pre>{@code
 * OllamaPlatform ollama = OllamaPlatform.builder().host("http://gpu-box:11434").build();
 * Model captioner = ollama.model("llava", Parameters.of("temperature", 0.2, "seed", 7));
 * }</pre>
 */
public final class OllamaPlatform implements Platform {

    /** The platform id, the prefix of its model ids. */
    public static final String ID = "ollama";

    /** Where Ollama listens when nothing else is said. */
    public static final String DEFAULT_HOST = "http://localhost:11434";
    /** The setting the server's address is read from when none is given, as Ollama itself reads it. */
    public static final String HOST_VARIABLE = "OLLAMA_HOST";
    /** The setting a hosted server's bearer key is read from when none is given. */
    public static final String KEY_VARIABLE = "OLLAMA_API_KEY";

    private final URI host;
    private final OllamaApi api;
    private final OllamaModels models;
    private final String problem;

    private OllamaPlatform(Builder b) {
        PlatformConfig config = PlatformConfig.of(b.context);
        this.host = config.value(HOST_VARIABLE, b.host, OllamaApi::normaliseHost).orElse(URI.create(DEFAULT_HOST));
        Secret key = config.key(KEY_VARIABLE, b.key).orElse(null);
        this.problem = config.problem().orElse(null);
        this.api = new OllamaApi(host, key, b.http);
        this.models = new OllamaModels(api);
    }

    /**
     * A builder. The server and key not set on it are read from {@value #HOST_VARIABLE} and
     * {@value #KEY_VARIABLE} through its {@linkplain Builder#context(PlatformContext) context}.
     */
    public static Builder builder() {
        return new Builder();
    }

    /** The server's address. */
    public URI host() {
        return host;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "local models on the Ollama server at " + host;
    }

    /**
     * The models installed on the server, with their modalities (models that only make
     * embeddings are left out: use {@link #embedder(String)}). Empty if the server does not answer.
     */
    @Override
    public List<ModelInfo> models() {
        return models.installed();
    }

    /** Asks the server for its version, with a short timeout; never throws. */
    @Override
    public Readiness readiness() {
        return problem != null ? Readiness.notReady(problem) : api.readiness();
    }

    /**
     * The installed model {@code name}, asking the server what it can do.
     *
     * @throws dev.panic.exception.NotFoundException if it is not installed (the message says how to pull it)
     * @throws dev.panic.exception.UnavailableException if the server does not answer
     * @throws ValidationException if a parameter is unknown or invalid
     */
    @Override
    public Model model(String name, Parameters parameters) {
        return models.model(name, parameters == null ? Parameters.empty() : parameters);
    }

    /**
     * A text embedder backed by {@code /api/embed} with the installed model {@code name}
     * (e.g. {@code nomic-embed-text}). Its dimension is read from the model's details.
     *
     * @throws dev.panic.exception.NotFoundException if the model is not installed
     */
    public Embedder embedder(String name) {
        return OllamaEmbedder.create(api, name);
    }

    /**
     * Downloads a model onto the server, reporting progress. Completes when the server says
     * {@code success}; fails with the server's error otherwise.
     *
     * @param progress receives each progress report in order; may be null
     */
    public CompletableFuture<Void> pull(String name, Consumer<PullProgress> progress) {
        return api.pull(OllamaModels.checkName(name), progress == null ? p -> { } : progress);
    }

    @Override
    public String toString() {
        return "OllamaPlatform[" + host + "]";
    }

    /** Builds an {@link OllamaPlatform}. */
    public static final class Builder {
        private String host;
        private String key;
        private HttpSettings http = OllamaApi.defaultSettings();
        private PlatformContext context = PlatformContext.system();

        private Builder() {
        }

        /**
         * The server, as a URL or as Ollama's {@code OLLAMA_HOST} accepts it: {@code host},
         * {@code host:port} or {@code http://host:port} (scheme http and port 11434 by default).
         */
        public Builder host(String host) {
            this.host = OllamaApi.normaliseHost(host).toString();
            return this;
        }

        /** The server as a URI. */
        public Builder host(URI host) {
            return host(host == null ? null : host.toString());
        }

        /** A bearer key, for hosted Ollama servers that ask for one; {@value #KEY_VARIABLE} if not set. */
        public Builder apiKey(String key) {
            this.key = key;
            return this;
        }

        /** Where settings not given here are read; the process environment by default. */
        public Builder context(PlatformContext context) {
            this.context = context == null ? PlatformContext.system() : context;
            return this;
        }

        /**
         * Timeouts, retries and limits. The defaults allow a long answer (10 minutes: vision
         * models on a CPU take a minute or more) and 4 calls in flight, since a local server
         * works on few requests at once.
         */
        public Builder http(HttpSettings settings) {
            if (settings == null) {
                throw new ValidationException("http settings are null; leave them out for the defaults");
            }
            this.http = settings;
            return this;
        }

        /**
         * The platform. A malformed setting read from the context is not an error here:
         * {@link OllamaPlatform#readiness()} reports it.
         *
         * @throws ValidationException if the key given to this builder has a line break
         */
        public OllamaPlatform build() {
            return new OllamaPlatform(this);
        }
    }
}
