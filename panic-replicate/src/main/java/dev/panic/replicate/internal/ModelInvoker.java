package dev.panic.replicate.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.panic.Metadata;
import dev.panic.Model;
import dev.panic.ModelOutput;
import dev.panic.Parameters;
import dev.panic.Payload;
import dev.panic.exception.AuthenticationException;
import dev.panic.exception.ValidationException;
import dev.panic.spi.http.Json;
import dev.panic.replicate.ReplicateModel;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Calls one declared Replicate model: builds its input from the parameters and the payload, runs
 * the prediction, reads the output and records what happened in the metadata.
 */
public final class ModelInvoker implements Model.Invoker {

    /** Parameters whose names start with this configure PANIC and are never sent as model inputs. */
    public static final String RESERVED_PREFIX = "replicate.";

    /** The parameter that overrides a model's version for a model or a call. */
    public static final String VERSION_PARAMETER = RESERVED_PREFIX + "version";

    /** The parameter that sets the price of a second of predict time, for a model or a call. */
    public static final String PRICE_PARAMETER = RESERVED_PREFIX + "price_per_second";

    // Models such as FLUX log the seed they drew, e.g. "Using seed: 1234".
    private static final Pattern LOGGED_SEED = Pattern.compile("(?i)\\bseed\\b\\s*[:=]\\s*(\\d{1,18})\\b");

    private final ReplicateClient client;
    private final ReplicateModel model;
    private final String missingToken;

    /**
     * @param missingToken why calls cannot be made (no token, and what to do), or null when a token is set
     */
    public ModelInvoker(ReplicateClient client, ReplicateModel model, String missingToken) {
        this.client = client;
        this.model = model;
        this.missingToken = missingToken;
    }

    @Override
    public CompletableFuture<ModelOutput> invoke(Payload input, Parameters parameters) {
        if (missingToken != null) {
            return CompletableFuture.failedFuture(new AuthenticationException("cannot call replicate:" + model.name()
                    + ": " + missingToken));
        }
        try {
            price(parameters); // a malformed price fails before a paid call, not after
        } catch (ValidationException e) {
            return CompletableFuture.failedFuture(e);
        }
        Chain<ModelOutput> chain = new Chain<>();
        Optional<String> pinned = parameters.getString(VERSION_PARAMETER).or(model::version);
        CompletableFuture<String> version = pinned.isPresent() || model.official()
                ? CompletableFuture.completedFuture(pinned.orElse(null))
                : chain.track(client.latestVersion(model.name()));
        CompletableFuture<ModelOutput> done = version.thenCompose(v -> chain.track(inputs(input, parameters))
                .thenCompose(in -> chain.track(client.predict(model.name(), v, in.json))
                        .thenCompose(p -> {
                            String who = "replicate prediction " + p.id() + " of " + model.name();
                            return chain.track(Outputs.parse(p.output(), model.output(),
                                    model.stripPrefix().orElse(null), client.reads(), who))
                                    .thenApply(out -> new ModelOutput(out.payload(),
                                            metadata(p, v, parameters, in.recorded, out.fields(), model)));
                        })));
        return chain.finish(done);
    }

    /** The input object to send, and the same with file data replaced by a short description. */
    private record Inputs(ObjectNode json, Map<String, Object> recorded) {
    }

    private CompletableFuture<Inputs> inputs(Payload payload, Parameters parameters) {
        ObjectNode json = Json.object();
        Map<String, Object> recorded = new LinkedHashMap<>();
        parameters.asMap().forEach((k, v) -> {
            if (!k.startsWith(RESERVED_PREFIX) && !k.equals(model.inputField())) {
                json.set(k, Json.MAPPER.valueToTree(v));
                recorded.put(k, v);
            }
        });
        String field = model.inputField();
        if (payload instanceof Payload.Text t) {
            json.put(field, t.text());
            recorded.put(field, t.text());
            return CompletableFuture.completedFuture(new Inputs(json, recorded));
        }
        return client.fileInput(payload).thenApply(file -> {
            json.put(field, file.value());
            recorded.put(field, file.recorded());
            return new Inputs(json, recorded);
        });
    }

    private static Metadata metadata(PredictionResponse p, String sentVersion, Parameters parameters,
                                     Map<String, Object> recordedInput, Map<String, Object> outputFields,
                                     ReplicateModel model) {
        Optional<Double> price = price(parameters).or(model::pricePerSecond);
        Metadata.Builder m = Metadata.builder()
                .parameters(parameters)
                .seed(seed(parameters, model.seedInput().orElse("seed"), p.logs()))
                // Billed by compute time: without a price, or a predict_time, the cost is unknown, not 0.
                .costUsd(price.isPresent() && p.predictTime() != null
                        ? price.get() * p.predictTime().toNanos() / 1e9 : null)
                .modelVersion(p.knownVersion().orElse(sentVersion))
                .platformPredictionId(p.id())
                .predictTime(p.predictTime())
                .extra("input", recordedInput);
        if (p.model() != null) {
            m.extra("model", p.model());
        }
        if (p.webUrl() != null) {
            m.extra("url", p.webUrl());
        }
        if (!outputFields.isEmpty()) {
            m.extra("output", outputFields);
        }
        if (!p.failedBefore().isEmpty()) {
            m.extra("failed_before", p.failedBefore());
        }
        return m.build();
    }

    /**
     * The price per second a call's parameters set.
     *
     * @throws ValidationException if it is not a number of 0 or more
     */
    public static Optional<Double> price(Parameters parameters) {
        Optional<Object> v = parameters.get(PRICE_PARAMETER);
        if (v.isEmpty()) {
            return Optional.empty();
        }
        if (!(v.get() instanceof Number n) || !(n.doubleValue() >= 0) || Double.isInfinite(n.doubleValue())) {
            throw new ValidationException(PRICE_PARAMETER + " must be US dollars per second of predict time, a number"
                    + " of 0 or more, e.g. 0.000225; got " + v.get());
        }
        return Optional.of(n.doubleValue());
    }

    /** The seed given as the model's seed input, else one the model reported in its logs. */
    static Long seed(Parameters parameters, String seedInput, String logs) {
        Optional<Object> given = parameters.get(seedInput);
        if (given.isPresent() && given.get() instanceof Long l && l >= 0) {
            return l;
        }
        if (logs != null) {
            Matcher m = LOGGED_SEED.matcher(logs);
            if (m.find()) {
                return Long.parseLong(m.group(1));
            }
        }
        return null;
    }
}
