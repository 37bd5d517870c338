package dev.panic;

import java.time.Duration;
import java.util.Map;

/**
 * What a platform reported about one model call, beside its output. Every component other than
 * {@code parameters} and {@code extras} is null when the platform did not say.
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
public record Metadata(Parameters parameters, Long seed, String modelVersion, String platformPredictionId,
                       Duration predictTime, Double costUsd, Map<String, Object> extras) {

    private static final Metadata EMPTY = new Metadata(Parameters.empty(), null, null, null, null, null, Map.of());

    /** Replaces null collections with empty ones and makes {@code extras} immutable. */
    public Metadata {
        parameters = parameters == null ? Parameters.empty() : parameters;
        extras = extras == null ? Map.of() : Parameters.of(extras).asMap();
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

    /** Builds {@link Metadata}; unset fields stay null. */
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
            return new Metadata(parameters, seed, modelVersion, platformPredictionId, predictTime, costUsd, extras);
        }
    }
}
