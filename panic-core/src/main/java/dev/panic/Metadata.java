package dev.panic;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * What a platform reported about one model call, beside its output. Every component other than
 * {@code parameters} and {@code extras} is empty when the platform did not say; the canonical
 * constructor takes {@code null} for empty, and {@link #builder()} leaves unset fields empty.
 *
 * @param parameters           the parameters the call was made with (defaults merged with overrides)
 * @param seed                 the random seed used, where the platform reports or accepts one
 * @param modelVersion         the exact version that ran (e.g. a Replicate version hash)
 * @param platformPredictionId the platform's own id for the call, to find it in its dashboard
 * @param predictTime          compute time as the platform measured it (excludes queueing)
 * @param costUsd              estimated cost in US dollars, where known
 * @param extras               anything else worth keeping ({@code revised_prompt}, token usage...),
 *                             JSON-like values as in {@link Parameters}
 */
public record Metadata(Parameters parameters, OptionalLong seed, Optional<String> modelVersion,
                       Optional<String> platformPredictionId, Optional<Duration> predictTime, OptionalDouble costUsd,
                       Map<String, Object> extras) {

    private static final Metadata EMPTY = new Metadata(Parameters.empty(), null, null, null, null, null, Map.of());

    /** Replaces null with empty and makes {@code extras} immutable. */
    public Metadata {
        parameters = parameters == null ? Parameters.empty() : parameters;
        seed = seed == null ? OptionalLong.empty() : seed;
        modelVersion = modelVersion == null ? Optional.empty() : modelVersion;
        platformPredictionId = platformPredictionId == null ? Optional.empty() : platformPredictionId;
        predictTime = predictTime == null ? Optional.empty() : predictTime;
        costUsd = costUsd == null ? OptionalDouble.empty() : costUsd;
        extras = extras == null ? Map.of() : Parameters.of(extras).asMap();
    }

    /** The same metadata with the seed the call was made with. */
    public Metadata withSeed(long seed) {
        return new Metadata(parameters, OptionalLong.of(seed), modelVersion, platformPredictionId, predictTime,
                costUsd, extras);
    }

    /** The same metadata with an estimated cost in US dollars. */
    public Metadata withCostUsd(double costUsd) {
        return new Metadata(parameters, seed, modelVersion, platformPredictionId, predictTime,
                OptionalDouble.of(costUsd), extras);
    }

    /** Metadata that says nothing. */
    public static Metadata empty() {
        return EMPTY;
    }

    /** Metadata recording only the parameters used. */
    public static Metadata of(Parameters parameters) {
        return new Metadata(parameters, null, null, null, null, null, Map.of());
    }

    /** A builder, for adapters that fill in several fields. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link Metadata}; unset fields, and fields set to null, stay empty. */
    public static final class Builder {
        private Parameters parameters = Parameters.empty();
        private Long seed;
        private String modelVersion;
        private String platformPredictionId;
        private Duration predictTime;
        private Double costUsd;
        private final java.util.LinkedHashMap<String, Object> extras = new java.util.LinkedHashMap<>();

        private Builder() {
        }

        /** The parameters used. */
        public Builder parameters(Parameters parameters) {
            this.parameters = parameters;
            return this;
        }

        /** The seed used. */
        public Builder seed(Long seed) {
            this.seed = seed;
            return this;
        }

        /** The model version that ran. */
        public Builder modelVersion(String modelVersion) {
            this.modelVersion = modelVersion;
            return this;
        }

        /** The platform's id for the call. */
        public Builder platformPredictionId(String id) {
            this.platformPredictionId = id;
            return this;
        }

        /** Compute time as the platform measured it. */
        public Builder predictTime(Duration predictTime) {
            this.predictTime = predictTime;
            return this;
        }

        /** Estimated cost in US dollars. */
        public Builder costUsd(Double costUsd) {
            this.costUsd = costUsd;
            return this;
        }

        /** One extra fact. */
        public Builder extra(String key, Object value) {
            extras.put(key, value);
            return this;
        }

        /** The metadata. */
        public Metadata build() {
            return new Metadata(parameters, seed == null ? OptionalLong.empty() : OptionalLong.of(seed),
                    Optional.ofNullable(modelVersion), Optional.ofNullable(platformPredictionId),
                    Optional.ofNullable(predictTime),
                    costUsd == null ? OptionalDouble.empty() : OptionalDouble.of(costUsd), extras);
        }
    }
}
