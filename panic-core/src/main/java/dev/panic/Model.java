package dev.panic;

import dev.panic.exception.PanicException;
import dev.panic.exception.ValidationException;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;

/**
 * A creative AI model (or a simulator standing in for one), with one call shape for every
 * modality pair: a {@link Payload} in, a {@link ModelOutput} out.
 *
 * <p>Models are immutable and safe to share between threads and runs. Get one from
 * {@link Platforms#model(String)}; platform authors build them with {@link #of(ModelInfo, Parameters, Invoker)}.
 *
 * <pre>{@code
 * Model painter = platforms.model("sim:painter");
 * ModelOutput out = painter.invoke(Payload.text("a red circle on a blue background"));
 * }</pre>
 */
public final class Model {

    /**
     * What a platform implements to make a model callable. The input has already been checked
     * against the model's input modality and the parameters are the defaults merged with the
     * call's overrides.
     *
     * <p>Implementations should not block the calling thread on I/O: return a future that the
     * platform's client completes. When a run is cancelled it cancels the returned future; an
     * implementation that started remote work should watch for that and cancel it remotely.
     */
    @FunctionalInterface
    public interface Invoker {
        /** Starts the call. */
        CompletableFuture<ModelOutput> invoke(Payload input, Parameters parameters);

        /**
         * Starts the call, reporting output as it arrives (text tokens of a streaming model) to
         * {@code partial}, in order, before the returned future completes. Platforms that cannot
         * stream keep this default, which reports nothing.
         */
        default CompletableFuture<ModelOutput> invoke(Payload input, Parameters parameters, Consumer<String> partial) {
            return invoke(input, parameters);
        }
    }

    private final ModelInfo info;
    private final Parameters parameters;
    private final Invoker invoker;

    private Model(ModelInfo info, Parameters parameters, Invoker invoker) {
        this.info = Objects.requireNonNull(info, "info");
        this.parameters = Objects.requireNonNull(parameters, "parameters");
        this.invoker = Objects.requireNonNull(invoker, "invoker");
    }

    /** A model from its description, default parameters and the platform's invoker. */
    public static Model of(ModelInfo info, Parameters defaults, Invoker invoker) {
        return new Model(info, defaults == null ? Parameters.empty() : defaults, invoker);
    }

    /** {@code platform:name}. */
    public ModelId id() {
        return info.id();
    }

    /** The modality this model takes. */
    public Modality input() {
        return info.input();
    }

    /** The modality this model gives. */
    public Modality output() {
        return info.output();
    }

    /** Id, modalities and description. */
    public ModelInfo info() {
        return info;
    }

    /** The default parameters of every call. */
    public Parameters parameters() {
        return parameters;
    }

    /**
     * The version of the platform module that built this model, from its jar's manifest
     * ({@code Implementation-Version}), or {@code development} when it runs from classes.
     */
    public String platformVersion() {
        Package p = invoker.getClass().getPackage();
        String v = p == null ? null : p.getImplementationVersion();
        return v == null ? "development" : v;
    }

    /** The same model with {@code overrides} merged over its default parameters. */
    public Model withParameters(Parameters overrides) {
        return new Model(info, parameters.merge(overrides), invoker);
    }

    /** The same model with one default parameter set. */
    public Model withParameter(String key, Object value) {
        return new Model(info, parameters.with(key, value), invoker);
    }

    /**
     * Starts a call and returns at once. The future completes with the output, or exceptionally
     * with a {@link PanicException} subclass saying why the call failed.
     *
     * @throws ValidationException at once if {@code input} is null or of the wrong modality, or if a
     *                             {@value ModelInfo#JSON_SCHEMA} is given to a model that takes none
     *                             or is not a JSON object
     */
    public CompletableFuture<ModelOutput> invokeAsync(Payload input, Parameters overrides) {
        return invokeAsync(input, overrides, null);
    }

    /**
     * Starts a call like {@link #invokeAsync(Payload, Parameters)}, and passes each piece of
     * output to {@code partial} as the platform streams it (text tokens), before the future
     * completes. Models that do not stream call it never.
     *
     * @param partial receives output pieces in order; null for none
     */
    public CompletableFuture<ModelOutput> invokeAsync(Payload input, Parameters overrides, Consumer<String> partial) {
        if (input == null) {
            throw new ValidationException("input for model '" + id() + "' is null");
        }
        if (input.modality() != input()) {
            throw new ValidationException("model '" + id() + "' takes " + input() + " but was given " + input.modality());
        }
        Parameters merged = parameters.merge(overrides);
        checkJsonSchema(merged);
        CompletableFuture<ModelOutput> future;
        try {
            future = partial == null ? invoker.invoke(input, merged) : invoker.invoke(input, merged, partial);
        } catch (PanicException e) {
            return CompletableFuture.failedFuture(e);
        } catch (RuntimeException | Error e) {
            // An Error too, as CompletableFuture.supplyAsync would: a platform out of memory fails this call
            // (and so its run, saying why) instead of escaping into the run's scheduler.
            return CompletableFuture.failedFuture(new PanicException("model '" + id() + "' failed: " + e, e));
        }
        if (future == null) {
            return CompletableFuture.failedFuture(new PanicException("model '" + id() + "' returned no future; this is a bug in its platform"));
        }
        CompletableFuture<ModelOutput> source = future;
        // Cancelling what the caller holds must reach the platform's future, which may cancel remote work.
        return dev.panic.spi.Futures.linked(source, out -> {
            if (out.payload().modality() != output()) {
                throw new PanicException("model '" + id() + "' should output " + output() + " but gave "
                        + out.payload().modality() + "; this is a bug in its platform");
            }
            return out;
        });
    }

    /** One place for every platform: a schema reaches only a model that can use it, and only as an object. */
    private void checkJsonSchema(Parameters merged) {
        Object schema = merged.get(ModelInfo.JSON_SCHEMA).orElse(null);
        if (schema == null) {
            return;
        }
        if (!info.takesJsonSchema()) {
            throw new ValidationException("model '" + id() + "' cannot be given a JSON schema (parameter '"
                    + ModelInfo.JSON_SCHEMA + "'); ask for JSON in the prompt and check the answer instead"
                    + " (dev.panic.recipes.JsonAnswer does both), or choose a model that takes one"
                    + " (ModelInfo.takesJsonSchema)");
        }
        if (!(schema instanceof java.util.Map<?, ?> map) || map.isEmpty()) {
            throw new ValidationException("parameter '" + ModelInfo.JSON_SCHEMA + "' of model '" + id()
                    + "' must be a JSON Schema object such as {\"type\": \"object\", \"properties\": {...}}; got "
                    + schema);
        }
    }

    /** Calls the model with its default parameters and waits for the answer. */
    public ModelOutput invoke(Payload input) {
        return invoke(input, Parameters.empty());
    }

    /**
     * Calls the model and waits for the answer.
     *
     * @throws PanicException (a subclass saying why) if the call failed; if the waiting thread is
     *                        interrupted the call is cancelled and the interrupt flag kept
     */
    public ModelOutput invoke(Payload input, Parameters overrides) {
        CompletableFuture<ModelOutput> future = invokeAsync(input, overrides);
        try {
            return future.get();
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new PanicException("interrupted while waiting for model '" + id() + "'", e);
        } catch (ExecutionException e) {
            throw PanicException.from(e.getCause());
        } catch (CancellationException e) {
            throw new PanicException("call to model '" + id() + "' was cancelled", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o == this || (o instanceof Model m && info.equals(m.info) && parameters.equals(m.parameters)
                && invoker.equals(m.invoker));
    }

    @Override
    public int hashCode() {
        return info.hashCode() * 31 + parameters.hashCode();
    }

    /** {@code sim:painter (TEXT -> IMAGE)}. */
    @Override
    public String toString() {
        return id() + " (" + info.modalities() + ")" + (parameters.isEmpty() ? "" : " " + parameters);
    }
}
