package dev.panic.replicate;

import dev.panic.Modality;
import dev.panic.Model;
import dev.panic.ModelId;
import dev.panic.ModelInfo;
import dev.panic.Parameters;
import dev.panic.Embedder;
import dev.panic.exception.NotFoundException;
import dev.panic.exception.ValidationException;
import dev.panic.http.HttpSettings;
import dev.panic.replicate.internal.Catalogue;
import dev.panic.replicate.internal.ClipEmbedder;
import dev.panic.replicate.internal.FlowSettings;
import dev.panic.replicate.internal.ImageBindEmbedder;
import dev.panic.replicate.internal.ModelInvoker;
import dev.panic.replicate.internal.ReplicateClient;
import dev.panic.Platform;
import dev.panic.PlatformContext;
import dev.panic.Readiness;
import dev.panic.spi.http.PlatformConfig;
import dev.panic.spi.http.PlatformHttp;
import dev.panic.spi.http.Secret;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The Replicate platform, id {@code replicate}: hosted models called by name, e.g.
 * {@code replicate:black-forest-labs/flux-schnell} (TEXT → IMAGE) and {@code replicate:salesforce/blip}
 * (IMAGE → TEXT).
 *
 * <pre>{@code
 * Platforms platforms = Platforms.discover();    // reads REPLICATE_API_TOKEN from the environment
 * Network loop = platforms.network("replicate:black-forest-labs/flux-schnell", "replicate:salesforce/blip");
 *
 * // or configured by hand
 * ReplicatePlatform replicate = ReplicatePlatform.builder()
 *         .apiToken(token)
 *         .syncWait(Duration.ofSeconds(30))
 *         .model(ReplicateModel.builder("owner/name").version(versionId)
 *                 .input(Modality.TEXT).output(Modality.IMAGE).inputField("prompt").build())
 *         .build();
 * Platforms platforms = Platforms.builder().discover().register(replicate).build();
 * }</pre>
 *
 * <p><b>Calls.</b> Each call creates a prediction and asks Replicate to hold the request open until
 * it finishes ({@code Prefer: wait}, {@linkplain Builder#syncWait up to 60 s}); a prediction still
 * running then is polled, with growing pauses, until it succeeds, fails, is canceled or runs past
 * the {@linkplain Builder#predictionTimeout prediction timeout}. Images and sounds are sent inline
 * as data URLs up to 256 KiB and uploaded to Replicate's file store above that; media outputs are
 * downloaded at once, since Replicate's output URLs expire. Cancelling a call's future cancels the
 * prediction on Replicate, also when the cancel comes before Replicate has answered its creation.
 *
 * <p><b>Failures</b> are typed: a prediction whose status is {@code failed} gives a
 * {@link dev.panic.exception.ContentRejectedException} when its error is a safety filter's (NSFW),
 * an {@link dev.panic.exception.UnavailableException} (retriable) when the error asks to retry, and
 * an {@link dev.panic.exception.InvalidRequestException} otherwise; {@code aborted} (never started)
 * gives an {@code UnavailableException}; {@code canceled} by someone else gives a plain
 * {@link dev.panic.exception.PanicException}, or a {@link dev.panic.exception.CallTimeoutException}
 * when a {@linkplain Builder#cancelAfter Cancel-After deadline} was set. HTTP errors are mapped by
 * the shared HTTP layer (401 → {@link dev.panic.exception.AuthenticationException} naming
 * {@code REPLICATE_API_TOKEN}, 404, 422 with Replicate's {@code detail}, 429 retried after
 * {@code Retry-After}...).
 *
 * <p><b>Models.</b> {@link #models()} lists the catalogue and any models {@linkplain Builder#model
 * declared}. Any other Replicate model runs once its modalities and input field are declared,
 * either with a {@link ReplicateModel} or with parameters: {@value #PARAM_INPUT},
 * {@value #PARAM_OUTPUT} and {@value #PARAM_FIELD}, plus {@value #PARAM_VERSION} or
 * {@value #PARAM_OFFICIAL}, and optionally {@value #PARAM_STRIP_PREFIX}. Parameters whose names
 * start with {@code replicate.} configure PANIC; every other parameter is sent as a model input.
 * {@value #PARAM_VERSION} also overrides the version of a catalogue model, per model or per call.
 *
 * <p><b>Secrets.</b> The token travels only in the {@code Authorization} header; it never appears
 * in {@link #toString()}, logs, exception messages or metadata.
 *
 * <p>Immutable and thread-safe; share one instance between runs, so that they share its rate limits.
 */
public final class ReplicatePlatform implements Platform {

    /** The platform id, {@code replicate}. */
    public static final String ID = "replicate";
    /** The setting the token is read from when none is given. */
    public static final String TOKEN_VARIABLE = "REPLICATE_API_TOKEN";
    /** Where tokens are made. */
    public static final String TOKEN_PAGE = "https://replicate.com/account/api-tokens";
    /** Replicate's API root. */
    public static final URI DEFAULT_BASE_URL = URI.create("https://api.replicate.com/v1");
    /** Replicate's published limit on prediction creations per minute. */
    public static final int DEFAULT_PREDICTIONS_PER_MINUTE = 600;

    /** Parameter: the version id to run, overriding the declared one. */
    public static final String PARAM_VERSION = ModelInvoker.VERSION_PARAMETER;
    /** Parameter declaring an undeclared model's input modality, e.g. {@code "text"}. */
    public static final String PARAM_INPUT = ModelInvoker.RESERVED_PREFIX + "input";
    /** Parameter declaring an undeclared model's output modality, e.g. {@code "image"}. */
    public static final String PARAM_OUTPUT = ModelInvoker.RESERVED_PREFIX + "output";
    /** Parameter naming the input field that receives the payload, e.g. {@code "prompt"}. */
    public static final String PARAM_FIELD = ModelInvoker.RESERVED_PREFIX + "field";
    /** Parameter declaring a model official ({@code true}): called by name, without a version. */
    public static final String PARAM_OFFICIAL = ModelInvoker.RESERVED_PREFIX + "official";
    /** Parameter naming a prefix to remove from text outputs. */
    public static final String PARAM_STRIP_PREFIX = ModelInvoker.RESERVED_PREFIX + "strip_prefix";
    /** Parameter naming the input that sets an undeclared model's seed, e.g. {@code "seed"}. */
    public static final String PARAM_SEED_INPUT = ModelInvoker.RESERVED_PREFIX + "seed_input";
    /**
     * Parameter: US dollars per second of {@code metrics.predict_time}, for a model or a single call;
     * see {@link ReplicateModel.Builder#pricePerSecond}.
     */
    public static final String PARAM_PRICE_PER_SECOND = ModelInvoker.PRICE_PARAMETER;

    private static final String TOKEN_HINT = "set " + TOKEN_VARIABLE + " to an API token from " + TOKEN_PAGE;

    private final URI baseUrl;
    private final HttpSettings http;
    private final int predictionsPerMinute;
    private final FlowSettings flow;
    private final boolean hasToken;
    private final String tokenProblem;
    private final String tokenSource;
    private final Map<String, ReplicateModel> models;
    private final List<String> modelOrder;
    private final String imageBindVersion;
    private final String clipVersion;
    private final ReplicateClient client;

    private ReplicatePlatform(Builder b) {
        this.baseUrl = b.baseUrl;
        this.http = b.http;
        this.predictionsPerMinute = b.predictionsPerMinute;
        this.flow = new FlowSettings(b.syncWait, b.pollInterval, b.maxPollInterval, b.predictionTimeout, b.cancelAfter);
        checkTimes(b);

        PlatformConfig config = PlatformConfig.of(b.context);
        Secret secret = config.key(TOKEN_VARIABLE, b.apiToken).orElse(null); // a bad token given in code fails now
        String problem = secret != null ? null : config.problem().map(p -> p + "; " + TOKEN_HINT).orElse(TOKEN_HINT);
        String source = config.givenInCode(TOKEN_VARIABLE) ? "an API token is set" : TOKEN_VARIABLE + " is set";
        this.hasToken = secret != null;
        this.tokenProblem = problem;
        this.tokenSource = source;

        Map<String, ReplicateModel> all = new LinkedHashMap<>();
        Catalogue.models().forEach(m -> all.put(m.name(), m));
        all.putAll(b.models);
        Map<String, String> versions = new LinkedHashMap<>(b.versions);
        versions.forEach((name, version) -> {
            ReplicateModel m = all.get(name);
            if (m != null) {
                all.put(name, m.withVersion(version));
            } else if (!name.equals(ImageBindEmbedder.MODEL) && !name.equals(ClipEmbedder.MODEL)) {
                throw new ValidationException("a version is set for Replicate model '" + name
                        + "', which is not declared; declare it with model(...), or check the name. Declared: "
                        + String.join(", ", all.keySet()));
            }
        });
        b.prices.forEach((name, usd) -> {
            ReplicateModel m = all.get(name);
            if (m == null) {
                throw new ValidationException("a price is set for Replicate model '" + name + "', which is not declared;"
                        + " declare it with model(...), or check the name. Declared: " + String.join(", ", all.keySet()));
            }
            all.put(name, m.toBuilder().pricePerSecond(usd).build());
        });
        this.models = Map.copyOf(all);
        this.modelOrder = List.copyOf(all.keySet());
        this.imageBindVersion = versions.getOrDefault(ImageBindEmbedder.MODEL, Catalogue.IMAGEBIND_VERSION);
        this.clipVersion = versions.getOrDefault(ClipEmbedder.MODEL, Catalogue.CLIP_VERSION);

        // The token goes only to the API host: output files on Replicate's delivery host are public,
        // and an output URL must never be able to collect the token.
        PlatformHttp reads = PlatformHttp.builder(ID).settings(http).bearer(secret).credentialsOnlyFor(baseUrl)
                .keyHint("check " + TOKEN_VARIABLE + ": it must be a valid API token from " + TOKEN_PAGE).build();
        PlatformHttp creates = PlatformHttp.builder(ID).settings(createSettings(http, predictionsPerMinute))
                .bearer(secret).credentialsOnlyFor(baseUrl)
                .keyHint("check " + TOKEN_VARIABLE + ": it must be a valid API token from " + TOKEN_PAGE)
                .build();
        this.client = new ReplicateClient(baseUrl, creates, reads, flow);
    }

    private static void checkTimes(Builder b) {
        if (b.http.requestTimeout().compareTo(b.syncWait) <= 0) {
            throw new ValidationException("the HTTP requestTimeout (" + b.http.requestTimeout()
                    + ") must be longer than syncWait (" + b.syncWait + "), or every held request would time out");
        }
        if (b.predictionTimeout.compareTo(b.syncWait) <= 0) {
            throw new ValidationException("predictionTimeout (" + b.predictionTimeout + ") must be longer than syncWait ("
                    + b.syncWait + ")");
        }
        if (b.maxPollInterval.compareTo(b.pollInterval) < 0) {
            throw new ValidationException("maxPollInterval (" + b.maxPollInterval + ") must not be shorter than"
                    + " pollInterval (" + b.pollInterval + ")");
        }
    }

    /**
     * Replicate limits creations separately from other calls, so creations get their own rate,
     * spread evenly (600 a minute is one every 100 ms) like every limit of the HTTP layer.
     */
    private static HttpSettings createSettings(HttpSettings http, int perMinute) {
        return http.toBuilder().requestsPerPeriod(perMinute).period(Duration.ofMinutes(1)).build();
    }

    /** A builder; {@code builder().build()} reads {@value #TOKEN_VARIABLE} from the environment. */
    public static Builder builder() {
        return new Builder();
    }

    /** The models PANIC knows on Replicate without being told, with their inputs and versions. */
    public static List<ReplicateModel> catalogue() {
        return Catalogue.models();
    }

    /** {@code replicate}. */
    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "Replicate: hosted models by name (FLUX schnell, BLIP, LLaVA, Whisper, MusicGen, Llama 3, and any"
                + " model you declare); needs " + TOKEN_VARIABLE;
    }

    /** The catalogue and the declared models, with their modalities. */
    @Override
    public List<ModelInfo> models() {
        return modelOrder.stream().map(n -> info(models.get(n))).toList();
    }

    /** The declared models (the catalogue and those added with {@link Builder#model}), with version overrides applied. */
    public List<ReplicateModel> declaredModels() {
        return modelOrder.stream().map(models::get).toList();
    }

    /** Ready when a token is set; never calls the network. */
    @Override
    public Readiness readiness() {
        return hasToken ? Readiness.ready(tokenSource) : Readiness.notReady(tokenProblem);
    }

    /**
     * The model called {@code name} ({@code owner/name}).
     *
     * @param parameters default inputs of its calls, over the declared ones; {@code replicate.*}
     *                   parameters declare or adjust the model (see the class comment)
     * @throws NotFoundException   if the model is neither declared nor declared by the parameters;
     *                             the message lists the declared ones and says how to declare one
     * @throws ValidationException if a {@code replicate.*} parameter is malformed
     */
    @Override
    public Model model(String name, Parameters parameters) {
        Parameters given = parameters == null ? Parameters.empty() : parameters;
        String key = name == null ? "" : name.trim();
        ReplicateModel known = models.get(key);
        boolean declares = given.get(PARAM_INPUT).isPresent() || given.get(PARAM_OUTPUT).isPresent()
                || given.get(PARAM_FIELD).isPresent();
        if (known == null && !declares) {
            throw new NotFoundException("replicate has no declared model '" + name + "'; declared: "
                    + String.join(", ", modelOrder) + ". To run any other Replicate model, declare it:"
                    + " ReplicatePlatform.builder().model(ReplicateModel.builder(\"owner/name\").input(...).output(...)"
                    + ".inputField(\"prompt\").version(\"<64-character version id>\").build()), or give the parameters "
                    + PARAM_INPUT + ", " + PARAM_OUTPUT + ", " + PARAM_FIELD + " and " + PARAM_VERSION
                    + " (or " + PARAM_OFFICIAL + "=true for an official model)");
        }
        ReplicateModel model = adjust(known != null ? known.toBuilder() : ReplicateModel.builder(key), given);
        Parameters defaults = model.defaultInputs().merge(given);
        String missingToken = hasToken ? null : tokenProblem;
        return Model.of(info(model), defaults, new ModelInvoker(client, model, missingToken));
    }

    private static ReplicateModel adjust(ReplicateModel.Builder b, Parameters p) {
        p.getString(PARAM_INPUT).map(Modality::parse).ifPresent(b::input);
        p.getString(PARAM_OUTPUT).map(Modality::parse).ifPresent(b::output);
        p.getString(PARAM_FIELD).ifPresent(b::inputField);
        p.getString(PARAM_STRIP_PREFIX).ifPresent(b::stripPrefix);
        p.getString(PARAM_SEED_INPUT).ifPresent(b::seedInput);
        if (p.get(PARAM_PRICE_PER_SECOND).isPresent()) {
            b.pricePerSecond(ModelInvoker.price(p).orElseThrow());
        }
        Optional<String> official = p.getString(PARAM_OFFICIAL).map(s -> s.trim().toLowerCase(Locale.ROOT));
        if (official.isPresent() && !official.get().equals("true") && !official.get().equals("false")) {
            throw new ValidationException(PARAM_OFFICIAL + " must be true or false, got '" + official.get() + "'");
        }
        Optional<String> version = p.getString(PARAM_VERSION);
        if (version.isPresent() && official.orElse("").equals("true")) {
            throw new ValidationException("give either " + PARAM_VERSION + " or " + PARAM_OFFICIAL
                    + "=true: official models run without a version");
        }
        official.ifPresent(o -> b.official(o.equals("true")));
        if (official.orElse("").equals("true")) {
            b.version(null);
        }
        version.ifPresent(v -> b.official(false).version(v));
        return b.build();
    }

    private static ModelInfo info(ReplicateModel m) {
        ModelInfo info = new ModelInfo(new ModelId(ID, m.name()), m.input(), m.output(), m.description());
        return m.seedInput().map(info::withSeedParameter).orElse(info);
    }

    /**
     * ImageBind ({@code daanelson/imagebind}) as an embedder of text, images and sounds into one
     * 1024-dimension space; one prediction per input, run concurrently.
     */
    public Embedder imageBindEmbedder() {
        return new ImageBindEmbedder(client, imageBindVersion, hasToken ? null : tokenProblem);
    }

    /**
     * CLIP features ({@code andreasjansson/clip-features}) as an embedder of texts and images into
     * one 768-dimension space; a batch is one prediction. Texts become single lines (line breaks
     * turn into spaces; blank texts are refused), and images are uploaded to Replicate's file store.
     */
    public Embedder clipEmbedder() {
        return new ClipEmbedder(client, clipVersion, hasToken ? null : tokenProblem);
    }

    /** The API root calls go to. */
    public URI baseUrl() {
        return baseUrl;
    }

    /** The HTTP settings of every call; prediction creations use them with their own rate limit. */
    public HttpSettings http() {
        return http;
    }

    /** Prediction creations allowed per minute. */
    public int predictionsPerMinute() {
        return predictionsPerMinute;
    }

    /** How long Replicate is asked to hold each create request open. */
    public Duration syncWait() {
        return flow.syncWait();
    }

    /** How long a prediction may run before it is cancelled. */
    public Duration predictionTimeout() {
        return flow.predictionTimeout();
    }

    /** No token, ever: only whether one is set. */
    @Override
    public String toString() {
        return "ReplicatePlatform[baseUrl=" + baseUrl + ", token " + (hasToken ? "set" : "not set") + ", "
                + models.size() + " models]";
    }

    /**
     * Configures a {@link ReplicatePlatform}; every setting is optional. Not thread-safe.
     *
     * <p>Defaults follow Replicate's published limits: 600 prediction creations a minute
     * (one every 100 ms) and 3000 requests a minute to every other endpoint (50 a second);
     * requests time out after 90 s, longer than the 60 s Replicate may hold a create.
     */
    public static final class Builder {
        private String apiToken;
        private PlatformContext context = PlatformContext.system();
        private URI baseUrl = DEFAULT_BASE_URL;
        private HttpSettings http = HttpSettings.builder().requestsPerPeriod(50).period(Duration.ofSeconds(1))
                .requestTimeout(Duration.ofSeconds(90)).build();
        private int predictionsPerMinute = DEFAULT_PREDICTIONS_PER_MINUTE;
        private Duration syncWait = Duration.ofSeconds(60);
        private Duration pollInterval = Duration.ofMillis(500);
        private Duration maxPollInterval = Duration.ofSeconds(5);
        private Duration predictionTimeout = Duration.ofMinutes(10);
        private Duration cancelAfter;
        private final Map<String, ReplicateModel> models = new LinkedHashMap<>();
        private final Map<String, String> versions = new LinkedHashMap<>();
        private final Map<String, Double> prices = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * The API token; without one, {@value #TOKEN_VARIABLE} is read from the {@linkplain
         * #context(PlatformContext) context}.
         *
         * @throws ValidationException if it is blank
         */
        public Builder apiToken(String token) {
            if (token == null || token.isBlank()) {
                throw new ValidationException("the Replicate API token is empty; " + TOKEN_HINT);
            }
            this.apiToken = token;
            return this;
        }

        /** Where {@value #TOKEN_VARIABLE} is read when no token is given; the process environment by default. */
        public Builder context(PlatformContext context) {
            this.context = context == null ? PlatformContext.system() : context;
            return this;
        }

        /**
         * The API root; {@code https://api.replicate.com/v1} by default (tests point it at a local server).
         *
         * @throws ValidationException if it is not an http or https address
         */
        public Builder baseUrl(String url) {
            try {
                return baseUrl(URI.create(url));
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new ValidationException("baseUrl '" + url + "' is not a valid address", e);
            }
        }

        /** The API root; see {@link #baseUrl(String)}. */
        public Builder baseUrl(URI url) {
            if (url == null || url.getHost() == null
                    || !("https".equalsIgnoreCase(url.getScheme()) || "http".equalsIgnoreCase(url.getScheme()))) {
                throw new ValidationException("baseUrl '" + url + "' must be an http or https address, e.g. "
                        + DEFAULT_BASE_URL);
            }
            this.baseUrl = url;
            return this;
        }

        /**
         * Timeouts, retries and limits of every call. The default allows 50 requests a second
         * (Replicate's 3000 a minute for endpoints other than creation) and a 90 s request timeout;
         * the timeout must exceed {@link #syncWait}.
         */
        public Builder http(HttpSettings settings) {
            if (settings == null) {
                throw new ValidationException("http settings must not be null");
            }
            this.http = settings;
            return this;
        }

        /**
         * Prediction creations allowed per minute, spread evenly; 600 by default, Replicate's
         * published limit. Accounts without a payment method are limited to 6 a minute by Replicate.
         *
         * @throws ValidationException if below 1
         */
        public Builder predictionsPerMinute(int perMinute) {
            if (perMinute < 1) {
                throw new ValidationException("predictionsPerMinute must be at least 1, got " + perMinute);
            }
            this.predictionsPerMinute = perMinute;
            return this;
        }

        /**
         * How long Replicate should hold each create request open waiting for the result
         * ({@code Prefer: wait=N}), in whole seconds from 1 to 60; 60 by default, the most allowed.
         * Zero sends no such header: every prediction is then polled.
         *
         * @throws ValidationException if negative, above 60 s or not whole seconds
         */
        public Builder syncWait(Duration wait) {
            if (wait == null || wait.isNegative() || wait.compareTo(Duration.ofSeconds(60)) > 0
                    || wait.toNanosPart() != 0) {
                throw new ValidationException("syncWait must be whole seconds from 0 to 60, got " + wait);
            }
            this.syncWait = wait;
            return this;
        }

        /**
         * The first pause between polls of a prediction still running; each next pause is 1.5 times
         * longer, up to {@link #maxPollInterval}. 500 ms by default.
         */
        public Builder pollInterval(Duration interval) {
            this.pollInterval = positive(interval, "pollInterval");
            return this;
        }

        /** The longest pause between polls; 5 s by default. */
        public Builder maxPollInterval(Duration interval) {
            this.maxPollInterval = positive(interval, "maxPollInterval");
            return this;
        }

        /**
         * How long a prediction may take from its creation before PANIC cancels it and fails the
         * call with a {@link dev.panic.exception.CallTimeoutException}; 10 minutes by default.
         */
        public Builder predictionTimeout(Duration timeout) {
            this.predictionTimeout = positive(timeout, "predictionTimeout");
            return this;
        }

        /**
         * A deadline Replicate itself enforces ({@code Cancel-After}), so that a prediction whose
         * caller went away (a crashed process) stops costing money; at least 5 s; none by default.
         */
        public Builder cancelAfter(Duration deadline) {
            if (deadline == null || deadline.compareTo(Duration.ofSeconds(5)) < 0 || deadline.toNanosPart() != 0) {
                throw new ValidationException("cancelAfter must be whole seconds, at least 5 s (Replicate's minimum),"
                        + " got " + deadline);
            }
            this.cancelAfter = deadline;
            return this;
        }

        /** Declares a model, or replaces the declaration of one with the same name (a catalogue one too). */
        public Builder model(ReplicateModel model) {
            if (model == null) {
                throw new ValidationException("model to declare is null");
            }
            models.put(model.name(), model);
            return this;
        }

        /**
         * Pins a declared model, or an embedder's model ({@code daanelson/imagebind},
         * {@code andreasjansson/clip-features}), to another version.
         *
         * @throws ValidationException if the name or version id is malformed
         */
        public Builder version(String model, String versionId) {
            String name = ReplicateModel.checkName(model);
            if (versionId == null) {
                throw new ValidationException("version of Replicate model '" + name + "' is null");
            }
            versions.put(name, ReplicateModel.checkVersion(versionId, name));
            return this;
        }

        /**
         * What a second of a declared model's compute time costs, in US dollars (the price of the
         * hardware it runs on, from replicate.com/pricing): each of its predictions then records
         * {@code metrics.predict_time × usd} as its cost. Models without a price record no cost
         * (unknown, not 0); the {@value #PARAM_PRICE_PER_SECOND} parameter sets one per model or call.
         *
         * @throws ValidationException if the name is malformed or the price negative
         */
        public Builder pricePerSecond(String model, double usd) {
            String name = ReplicateModel.checkName(model);
            prices.put(name, ReplicateModel.checkPrice(usd, name));
            return this;
        }

        /**
         * The platform.
         *
         * @throws ValidationException if settings contradict each other (e.g. a request timeout not
         *                             longer than the sync wait) or a version is set for an undeclared model
         */
        public ReplicatePlatform build() {
            return new ReplicatePlatform(this);
        }

        private static Duration positive(Duration d, String name) {
            if (d == null || d.isZero() || d.isNegative()) {
                throw new ValidationException(name + " must be longer than zero, got " + d);
            }
            return d;
        }
    }
}
