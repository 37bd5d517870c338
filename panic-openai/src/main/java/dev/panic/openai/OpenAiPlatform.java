package dev.panic.openai;

import dev.panic.Model;
import dev.panic.ModelId;
import dev.panic.ModelInfo;
import dev.panic.Parameters;
import dev.panic.Embedder;
import dev.panic.exception.NotFoundException;
import dev.panic.exception.ValidationException;
import dev.panic.http.HttpSettings;
import dev.panic.openai.internal.Catalog;
import dev.panic.openai.internal.ModelKind;
import dev.panic.openai.internal.OpenAiClient;
import dev.panic.openai.internal.OpenAiEmbedder;
import dev.panic.Platform;
import dev.panic.PlatformContext;
import dev.panic.Readiness;
import dev.panic.spi.http.PlatformConfig;
import dev.panic.spi.http.Secret;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The OpenAI platform, id {@code openai}: image generation, vision and chat, speech,
 * transcription and text embeddings, through OpenAI's API or any server that speaks it (Ollama's
 * {@code /v1}, a local gateway) when given another {@linkplain Builder#baseUrl(String) base URL}.
 *
 * <pre>{@code
 * OpenAiPlatform openai = OpenAiPlatform.builder().build();     // key from OPENAI_API_KEY
 * Network loop = Network.builder()
 *         .add(openai.model("dall-e-3", Parameters.of("size", "1792x1024")))   // TEXT -> IMAGE
 *         .add(openai.model("vision/gpt-4o-mini"))                            // IMAGE -> TEXT
 *         .build();
 * Embedder embedder = openai.embedder("text-embedding-3-small");
 * }</pre>
 *
 * <p>Model names: image, speech and transcription models by their OpenAI names
 * ({@code dall-e-3}, {@code gpt-image-1}, {@code tts-1}, {@code whisper-1}...); a chat model as
 * {@code chat/NAME} (TEXT to TEXT) or {@code vision/NAME} (IMAGE to TEXT), any chat model name
 * accepted; a compatible server's own models as {@code image/NAME}, {@code speech/NAME} or
 * {@code transcription/NAME}. {@link OpenAiModel} lists the common ones with their options.
 * Parameters are checked when a model is built and again before each call, and a wrong name or
 * value fails with a {@link ValidationException} naming the allowed values, before anything is
 * sent.
 *
 * <p>Readiness needs no network: the platform is ready when a key is set, or when the base URL is
 * not OpenAI's (a local server may need no key). The key never appears in {@link #toString()},
 * logs, exception messages or metadata. Immutable and thread-safe; one instance shares one HTTP
 * client, rate limit and circuit breaker among every run that uses it.
 */
public final class OpenAiPlatform implements Platform {

    /** The platform id, {@code openai}. */
    public static final String ID = OpenAiClient.PLATFORM;

    /** OpenAI's API, the default base URL. */
    public static final String DEFAULT_BASE_URL = "https://api.openai.com/v1";

    /**
     * The request timeout when no {@link HttpSettings} are given: longer than the shared default
     * because a high-quality GPT image can take more than a minute to draw, and a paid request
     * that times out is not repeated.
     */
    static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofMinutes(3);

    private final URI baseUrl;
    private final boolean hasKey;
    private final String keySource;
    private final String organization;
    private final String project;
    private final String problem;
    private final OpenAiClient client;

    private OpenAiPlatform(URI baseUrl, Secret key, String keySource, String organization, String project,
                           HttpSettings http, String problem) {
        this.baseUrl = baseUrl;
        this.hasKey = key != null;
        this.keySource = keySource;
        this.organization = organization;
        this.project = project;
        this.problem = problem;
        this.client = new OpenAiClient(baseUrl, key, organization, project, http);
    }

    /**
     * A builder. Every setting is optional: the key, organization, project and base URL not set
     * on it are read from {@code OPENAI_API_KEY}, {@code OPENAI_ORG_ID}, {@code OPENAI_PROJECT_ID}
     * and {@code OPENAI_BASE_URL} through its {@linkplain Builder#context(PlatformContext) context}.
     */
    public static Builder builder() {
        return new Builder();
    }

    private static HttpSettings defaultHttp() {
        return HttpSettings.defaults().toBuilder().requestTimeout(DEFAULT_REQUEST_TIMEOUT).build();
    }

    /** {@code openai}. */
    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return OpenAiClient.isOfficial(baseUrl)
                ? "OpenAI: DALL-E and GPT image, GPT vision and chat, speech, transcription, embeddings"
                : "OpenAI-compatible server at " + baseUrl;
    }

    /** The common models, from {@link OpenAiModel}; {@link #model} builds more. */
    @Override
    public List<ModelInfo> models() {
        return Arrays.stream(OpenAiModel.values())
                .map(m -> ModelKind.declare(Catalog.resolve(m.modelName()).orElseThrow().role(),
                        new ModelInfo(m.id(), m.input(), m.output(), m.description()))).toList();
    }

    /**
     * Ready when a key is set, or when the base URL is another server's, which may need none.
     * Makes no network call.
     */
    @Override
    public Readiness readiness() {
        if (problem != null) {
            return Readiness.notReady(problem);
        }
        if (hasKey) {
            return Readiness.ready("API key set (" + keySource + ")"
                    + (OpenAiClient.isOfficial(baseUrl) ? "" : ", server " + baseUrl));
        }
        if (!OpenAiClient.isOfficial(baseUrl)) {
            return Readiness.ready("server " + baseUrl + ", no API key set");
        }
        return Readiness.notReady(client.keyHint());
    }

    /**
     * The model called {@code name} (see the class description for names).
     *
     * @param parameters default parameters of its calls, over the platform's own defaults
     * @throws NotFoundException   if the name leads nowhere; the message says how to name a chat model
     * @throws ValidationException naming the parameter and the allowed values if a parameter is not valid
     */
    @Override
    public Model model(String name, Parameters parameters) {
        Catalog.Route route = Catalog.resolve(name).orElseThrow(() -> unknown(name));
        ModelId id = new ModelId(ID, name.trim());
        ModelKind kind = ModelKind.of(route, id, client);
        Parameters defaults = kind.defaults().merge(parameters == null ? Parameters.empty() : parameters);
        kind.check(defaults);
        String description = Arrays.stream(OpenAiModel.values()).filter(m -> m.modelName().equals(id.name()))
                .map(OpenAiModel::description).findFirst().orElse(route.role().name().toLowerCase(java.util.Locale.ROOT)
                        + " model " + route.wireName());
        ModelInfo info = ModelKind.declare(route.role(),
                new ModelInfo(id, route.role().input(), route.role().output(), description));
        return Model.of(info, defaults, (input, merged) -> {
            if (problem != null) {
                return CompletableFuture.failedFuture(new ValidationException(problem));
            }
            return kind.invoke(input, merged);
        });
    }

    /**
     * The model called {@code name} with the platform's default parameters.
     *
     * @throws NotFoundException if the name leads nowhere
     */
    public Model model(String name) {
        return model(name, Parameters.empty());
    }

    /** The model {@code model} with the platform's default parameters. */
    public Model model(OpenAiModel model) {
        return model(model.modelName(), Parameters.empty());
    }

    /** The model {@code model} with these default parameters. */
    public Model model(OpenAiModel model, Parameters parameters) {
        return model(model.modelName(), parameters);
    }

    /**
     * A text embedder using {@code model} at its full vector length: text-embedding-3-small (1536
     * dimensions), text-embedding-3-large (3072) or text-embedding-ada-002 (1536).
     *
     * @throws ValidationException for a model whose vector length PANIC does not know; use
     *                             {@link #embedder(String, int)}
     */
    public Embedder embedder(String model) {
        return new OpenAiEmbedder(model, null, client);
    }

    /**
     * A text embedder with vectors of {@code dimensions}. For text-embedding-3 models this asks the
     * API for shortened vectors ({@code dimensions}, at most the model's full length); for a model
     * of a compatible server that PANIC does not know, it is that model's vector length and is not
     * sent. ada-002 takes no dimensions.
     *
     * @throws ValidationException if the model does not take dimensions or the number is out of range
     */
    public Embedder embedder(String model, int dimensions) {
        return new OpenAiEmbedder(model, dimensions, client);
    }

    /** The API root every request goes to. */
    public URI baseUrl() {
        return baseUrl;
    }

    /** The organization sent as {@code OpenAI-Organization}, if any. */
    public Optional<String> organization() {
        return Optional.ofNullable(organization);
    }

    /** The project sent as {@code OpenAI-Project}, if any. */
    public Optional<String> project() {
        return Optional.ofNullable(project);
    }

    /** The settings, never the key itself. */
    @Override
    public String toString() {
        return "OpenAiPlatform[baseUrl=" + baseUrl + ", apiKey=" + (hasKey ? "set" : "not set")
                + (organization == null ? "" : ", organization=" + organization)
                + (project == null ? "" : ", project=" + project) + "]";
    }

    private NotFoundException unknown(String name) {
        String n = name == null ? "" : name.trim();
        String chat = n.isEmpty() || n.contains("/") ? "" : " A chat model needs a prefix saying what it is given: 'chat/"
                + n + "' (TEXT -> TEXT) or 'vision/" + n + "' (IMAGE -> TEXT).";
        return new NotFoundException("no OpenAI model '" + name + "'." + chat + " Image, speech and transcription models"
                + " go by their names (" + String.join(", ", Catalog.IMAGE_MODELS) + ", "
                + String.join(", ", Catalog.SPEECH_MODELS) + ", " + String.join(", ", Catalog.TRANSCRIPTION_MODELS)
                + "); other servers' models by image/NAME, speech/NAME or transcription/NAME");
    }

    /** Configures an {@link OpenAiPlatform}. Not thread-safe. */
    public static final class Builder {
        private String apiKey;
        private String organization;
        private String project;
        private String baseUrl;
        private HttpSettings http;
        private PlatformContext context = PlatformContext.system();

        private Builder() {
        }

        /** The API key; {@code OPENAI_API_KEY} from the context if not set. */
        public Builder apiKey(String apiKey) {
            this.apiKey = apiKey;
            return this;
        }

        /** The organization, sent as {@code OpenAI-Organization}; {@code OPENAI_ORG_ID} if not set. */
        public Builder organization(String organization) {
            this.organization = organization;
            return this;
        }

        /** The project, sent as {@code OpenAI-Project}; {@code OPENAI_PROJECT_ID} if not set. */
        public Builder project(String project) {
            this.project = project;
            return this;
        }

        /**
         * The API root, {@value OpenAiPlatform#DEFAULT_BASE_URL} by default ({@code OPENAI_BASE_URL}
         * if set): e.g. {@code http://localhost:11434/v1} for Ollama. With another server a key is
         * optional.
         */
        public Builder baseUrl(String baseUrl) {
            this.baseUrl = baseUrl;
            return this;
        }

        /** The API root as a URI; see {@link #baseUrl(String)}. */
        public Builder baseUrl(URI baseUrl) {
            this.baseUrl = baseUrl == null ? null : baseUrl.toString();
            return this;
        }

        /**
         * Timeouts, retries, rate limit and concurrency. By default the shared defaults with a
         * three-minute request timeout, since image generation can be slow.
         */
        public Builder http(HttpSettings http) {
            this.http = http;
            return this;
        }

        /** Where settings not given here are read; the process environment by default. */
        public Builder context(PlatformContext context) {
            this.context = context == null ? PlatformContext.system() : context;
            return this;
        }

        /**
         * The platform. A missing key is not an error here, nor is a malformed setting read from
         * the context: {@link OpenAiPlatform#readiness()} reports it, and calls fail with what to do.
         *
         * @throws ValidationException if a value given to this builder is malformed (a base URL, a key with a line break)
         */
        public OpenAiPlatform build() {
            PlatformConfig config = PlatformConfig.of(context);
            Secret secret = config.key("OPENAI_API_KEY", apiKey).orElse(null);
            String keySource = config.givenInCode("OPENAI_API_KEY") ? "apiKey" : "OPENAI_API_KEY";
            URI base = config.value("OPENAI_BASE_URL", baseUrl, OpenAiClient::checkBaseUrl)
                    .orElse(OpenAiClient.DEFAULT_BASE_URL);
            String org = config.value("OPENAI_ORG_ID", organization, v -> header(v, "organization")).orElse(null);
            String proj = config.value("OPENAI_PROJECT_ID", project, v -> header(v, "project")).orElse(null);
            return new OpenAiPlatform(base, secret, keySource, org, proj, http != null ? http : defaultHttp(),
                    config.problem().orElse(null));
        }

        private static String header(String value, String what) {
            if (value != null && (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0)) {
                throw new ValidationException("the OpenAI " + what + " contains a line break; check how it was copied");
            }
            return value;
        }
    }
}
