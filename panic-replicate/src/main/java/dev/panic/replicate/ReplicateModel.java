package dev.panic.replicate;

import dev.panic.Modality;
import dev.panic.Parameters;
import dev.panic.exception.ValidationException;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How to run one model on Replicate: its name, its modalities, which input field receives the
 * payload, the inputs it is always given, and, for a community model, the version to run.
 *
 * <p>The catalogue of {@link ReplicatePlatform} is made of these; declare your own to run any
 * other model:
 *
 * <pre>{@code
 * ReplicateModel painter = ReplicateModel.builder("someone/some-painter")
 *         .version(versionId)                    // the 64-character id from the model's Versions tab
 *         .input(Modality.TEXT).output(Modality.IMAGE)
 *         .inputField("prompt")
 *         .defaultInput("num_outputs", 1)
 *         .build();
 * ReplicatePlatform replicate = ReplicatePlatform.builder().model(painter).build();
 * Model model = replicate.model("someone/some-painter", Parameters.empty());
 * }</pre>
 *
 * <p>Replicate runs two kinds of model. <em>Official</em> models are called by name and always run
 * their current version ({@code POST /v1/models/{owner}/{name}/predictions}); every other model
 * needs a version id ({@code POST /v1/predictions} with {@code version}). A community model
 * declared without a version runs the model's latest version, looked up once per platform, and
 * the version that ran is recorded in each output's metadata.
 *
 * <p>Immutable and thread-safe.
 */
public final class ReplicateModel {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*/[A-Za-z0-9][A-Za-z0-9_.-]*");
    private static final Pattern VERSION = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern FIELD = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final String name;
    private final Modality input;
    private final Modality output;
    private final String inputField;
    private final String version;
    private final boolean official;
    private final Parameters defaultInputs;
    private final String stripPrefix;
    private final String description;
    private final String seedInput;
    private final Double pricePerSecond;

    private ReplicateModel(Builder b) {
        this.name = checkName(b.name);
        if (b.input == null || b.output == null) {
            throw new ValidationException("Replicate model '" + name + "' needs an input and an output modality");
        }
        this.input = b.input;
        this.output = b.output;
        if (b.inputField == null || !FIELD.matcher(b.inputField).matches()) {
            throw new ValidationException("Replicate model '" + name + "' needs the name of the input field that"
                    + " receives the payload (e.g. \"prompt\", \"image\", \"audio\"), got '" + b.inputField + "'");
        }
        this.inputField = b.inputField;
        this.version = b.version == null ? null : checkVersion(b.version, name);
        this.official = b.official;
        if (official && version != null) {
            throw new ValidationException("Replicate model '" + name + "' is declared official, and official models"
                    + " always run their current version; leave the version out or do not declare it official");
        }
        if (b.defaultInputs.get(inputField).isPresent()) {
            throw new ValidationException("Replicate model '" + name + "' has a default for '" + inputField
                    + "', the field that receives the payload; remove it");
        }
        this.defaultInputs = b.defaultInputs;
        this.stripPrefix = b.stripPrefix == null || b.stripPrefix.isEmpty() ? null : b.stripPrefix;
        this.description = b.description == null ? "" : b.description;
        if (b.seedInput != null && !FIELD.matcher(b.seedInput).matches()) {
            throw new ValidationException("Replicate model '" + name + "': the seed input must be an input name such as"
                    + " \"seed\", got '" + b.seedInput + "'");
        }
        this.seedInput = b.seedInput;
        this.pricePerSecond = b.pricePerSecond == null ? null : checkPrice(b.pricePerSecond, name);
    }

    static double checkPrice(double usd, String model) {
        if (!(usd >= 0) || Double.isInfinite(usd)) {
            throw new ValidationException("the price per second of Replicate model '" + model + "' must be a number of US"
                    + " dollars of 0 or more (see the model's or the hardware's price on replicate.com/pricing), got " + usd);
        }
        return usd;
    }

    /**
     * A builder for the model called {@code name} on Replicate.
     *
     * @param name {@code owner/name}, e.g. {@code salesforce/blip}
     */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** A builder starting from this declaration, to change a few things. */
    public Builder toBuilder() {
        Builder b = new Builder(name);
        b.input = input;
        b.output = output;
        b.inputField = inputField;
        b.version = version;
        b.official = official;
        b.defaultInputs = defaultInputs;
        b.stripPrefix = stripPrefix;
        b.description = description;
        b.seedInput = seedInput;
        b.pricePerSecond = pricePerSecond;
        return b;
    }

    /** The same model pinned to another version (a 64-character version id). */
    public ReplicateModel withVersion(String versionId) {
        return toBuilder().official(false).version(versionId).build();
    }

    /** {@code owner/name}. */
    public String name() {
        return name;
    }

    /** The owner part of the name. */
    public String owner() {
        return name.substring(0, name.indexOf('/'));
    }

    /** The name without the owner. */
    public String modelName() {
        return name.substring(name.indexOf('/') + 1);
    }

    /** The modality of the payload it takes. */
    public Modality input() {
        return input;
    }

    /** The modality of the payload it gives. */
    public Modality output() {
        return output;
    }

    /** The input field that receives the payload (text as is, images and sounds as files). */
    public String inputField() {
        return inputField;
    }

    /** The pinned version id, if any. */
    public Optional<String> version() {
        return Optional.ofNullable(version);
    }

    /** True for an official model, called by name without a version. */
    public boolean official() {
        return official;
    }

    /** Inputs sent with every call unless a call's parameters override them. */
    public Parameters defaultInputs() {
        return defaultInputs;
    }

    /** A prefix removed from the start of the model's text output (BLIP's {@code "Caption: "}), if any. */
    public Optional<String> stripPrefix() {
        return Optional.ofNullable(stripPrefix);
    }

    /** One line for listings. */
    public String description() {
        return description;
    }

    /** The input that sets the model's random seed (in its schema, usually {@code seed}), if it has one. */
    public Optional<String> seedInput() {
        return Optional.ofNullable(seedInput);
    }

    /**
     * What a second of the prediction's compute time ({@code metrics.predict_time}) costs, in US
     * dollars, if set: each prediction's cost is then recorded; unknown (null) otherwise.
     */
    public Optional<Double> pricePerSecond() {
        return Optional.ofNullable(pricePerSecond);
    }

    static String checkName(String name) {
        if (name == null || !NAME.matcher(name.trim()).matches()) {
            throw new ValidationException("Replicate model name '" + name + "' is not of the form 'owner/name',"
                    + " e.g. 'salesforce/blip'");
        }
        return name.trim();
    }

    static String checkVersion(String version, String model) {
        String v = version.trim();
        if (!VERSION.matcher(v).matches()) {
            throw new ValidationException("version '" + version + "' of Replicate model '" + model + "' is not a"
                    + " 64-character version id; copy it from the model's Versions tab on replicate.com");
        }
        return v;
    }

    @Override
    public boolean equals(Object o) {
        return o == this || (o instanceof ReplicateModel m && name.equals(m.name) && input == m.input
                && output == m.output && inputField.equals(m.inputField) && Objects.equals(version, m.version)
                && official == m.official && defaultInputs.equals(m.defaultInputs)
                && Objects.equals(stripPrefix, m.stripPrefix) && description.equals(m.description)
                && Objects.equals(seedInput, m.seedInput) && Objects.equals(pricePerSecond, m.pricePerSecond));
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, input, output, inputField, version, official, defaultInputs, stripPrefix, seedInput,
                pricePerSecond);
    }

    /** {@code salesforce/blip:2e1dddc8 (IMAGE -> TEXT, image)}. */
    @Override
    public String toString() {
        return name + (version == null ? (official ? " (official" : " (latest version") + ", " : ":"
                + version.substring(0, 8) + " (") + input + " -> " + output + ", " + inputField + ")";
    }

    /** Builds a {@link ReplicateModel}; modalities and the input field are required. Not thread-safe. */
    public static final class Builder {
        private final String name;
        private Modality input;
        private Modality output;
        private String inputField;
        private String version;
        private boolean official;
        private Parameters defaultInputs = Parameters.empty();
        private String stripPrefix;
        private String description;
        private String seedInput;
        private Double pricePerSecond;

        private Builder(String name) {
            this.name = name;
        }

        /** The modality of the payload it takes. */
        public Builder input(Modality modality) {
            this.input = modality;
            return this;
        }

        /** The modality of the payload it gives. */
        public Builder output(Modality modality) {
            this.output = modality;
            return this;
        }

        /** The input field that receives the payload, e.g. {@code "prompt"}, {@code "image"}, {@code "audio"}. */
        public Builder inputField(String field) {
            this.inputField = field;
            return this;
        }

        /**
         * The version to run: a 64-character version id from the model's Versions tab. Without one
         * (and unless the model is {@linkplain #official(boolean) official}) the latest version runs.
         */
        public Builder version(String versionId) {
            this.version = versionId;
            return this;
        }

        /** Whether it is an official model, called by name without a version; false by default. */
        public Builder official(boolean official) {
            this.official = official;
            return this;
        }

        /** An input sent with every call, e.g. {@code defaultInput("task", "image_captioning")}. */
        public Builder defaultInput(String field, Object value) {
            this.defaultInputs = defaultInputs.with(field, value);
            return this;
        }

        /** Inputs sent with every call, replacing any set before. */
        public Builder defaultInputs(Parameters inputs) {
            this.defaultInputs = inputs == null ? Parameters.empty() : inputs;
            return this;
        }

        /** A prefix to remove from the start of text outputs, e.g. {@code "Caption: "}. */
        public Builder stripPrefix(String prefix) {
            this.stripPrefix = prefix;
            return this;
        }

        /** One line for listings. */
        public Builder description(String description) {
            this.description = description;
            return this;
        }

        /**
         * The input that sets the model's random seed, as its schema names it (usually {@code "seed"});
         * a run then draws a seed for each call that sets none, sends it and records it. None by default.
         */
        public Builder seedInput(String input) {
            this.seedInput = input;
            return this;
        }

        /**
         * What a second of compute time costs on the model's hardware, in US dollars (Replicate
         * bills most models by {@code metrics.predict_time}); each prediction then records
         * {@code predict_time × price} as its cost. Without a price the cost is unknown, not 0.
         */
        public Builder pricePerSecond(double usd) {
            this.pricePerSecond = usd;
            return this;
        }

        /**
         * The declaration.
         *
         * @throws ValidationException naming what is missing or malformed
         */
        public ReplicateModel build() {
            return new ReplicateModel(this);
        }
    }
}
