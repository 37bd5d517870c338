package dev.panic.openai.internal;

import dev.panic.spi.Futures;
import dev.panic.Metadata;
import dev.panic.Modality;
import dev.panic.ModelId;
import dev.panic.ModelOutput;
import dev.panic.Parameters;
import dev.panic.Payload;
import dev.panic.exception.UnavailableException;
import dev.panic.exception.ValidationException;
import dev.panic.spi.http.ApiRequest;
import dev.panic.spi.http.ApiResponse;
import dev.panic.spi.media.MediaBytes;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * TEXT to IMAGE through {@code POST /images/generations}. Every fact about sizes, qualities and
 * formats comes from {@code CreateImageRequest} in the API description.
 *
 * <p>DALL·E models are asked for {@code b64_json}, because their default answer is a URL that
 * expires after an hour; if a URL comes back all the same (some compatible servers ignore the
 * field), it is downloaded at once. GPT image models always answer in base64 and reject
 * {@code response_format}, so they never get it.
 */
final class ImageGeneration implements ModelKind {

    /** Models that share one set of rules. */
    enum Family {
        DALL_E_2, DALL_E_3, GPT_IMAGE,
        /** A model OpenAI never listed, reached through the {@code image/} prefix: passed through unchecked. */
        OTHER
    }

    private static final List<String> DALL_E_2_SIZES = List.of("256x256", "512x512", "1024x1024");
    private static final List<String> DALL_E_3_SIZES = List.of("1024x1024", "1792x1024", "1024x1792");
    private static final List<String> GPT_IMAGE_SIZES = List.of("auto", "1024x1024", "1536x1024", "1024x1536");
    /** The models the description says take any WIDTHxHEIGHT within its limits. */
    private static final List<String> FREE_SIZE_MODELS = List.of("gpt-image-2", "gpt-image-2-2026-04-21");
    private static final Pattern SIZE = Pattern.compile("(\\d{1,5})x(\\d{1,5})");

    private static final List<String> DALL_E_2_QUALITIES = List.of("standard");
    private static final List<String> DALL_E_3_QUALITIES = List.of("standard", "hd");
    private static final List<String> GPT_IMAGE_QUALITIES = List.of("low", "medium", "high", "auto");
    private static final List<String> STYLES = List.of("vivid", "natural");
    private static final List<String> OUTPUT_FORMATS = List.of("png", "jpeg", "webp");
    private static final List<String> BACKGROUNDS = List.of("transparent", "opaque", "auto");
    private static final List<String> MODERATIONS = List.of("low", "auto");

    private static final Map<String, String> MEDIA_TYPES = Map.of("png", "image/png", "jpeg", "image/jpeg",
            "webp", "image/webp");

    private final ModelId id;
    private final String model;
    private final Family family;
    private final OpenAiClient client;

    ImageGeneration(ModelId id, String model, OpenAiClient client) {
        this.id = id;
        this.model = model;
        this.family = familyOf(model);
        this.client = client;
    }

    static Family familyOf(String model) {
        if (model.equals("dall-e-2")) {
            return Family.DALL_E_2;
        }
        if (model.equals("dall-e-3")) {
            return Family.DALL_E_3;
        }
        return model.startsWith("gpt-image-") ? Family.GPT_IMAGE : Family.OTHER;
    }

    /**
     * DALL·E gets its size and quality spelled out, so that a saved run says what was made and the
     * cost can be estimated; GPT image models choose for themselves ({@code auto}) unless told.
     */
    @Override
    public Parameters defaults() {
        return switch (family) {
            case DALL_E_2 -> Parameters.of("size", "1024x1024", "quality", "standard");
            case DALL_E_3 -> Parameters.of("size", "1024x1024", "quality", "standard");
            case GPT_IMAGE, OTHER -> Parameters.empty();
        };
    }

    private Set<String> names() {
        return switch (family) {
            case DALL_E_2 -> ParameterCheck.names("size", "quality");
            case DALL_E_3 -> ParameterCheck.names("size", "quality", "style");
            case GPT_IMAGE -> ParameterCheck.names("size", "quality", "output_format", "output_compression",
                    "background", "moderation");
            case OTHER -> ParameterCheck.names("size", "quality", "style");
        };
    }

    @Override
    public void check(Parameters parameters) {
        request("", parameters);
    }

    /** The request for {@code prompt}, every parameter checked. */
    private Wire.CreateImageRequest request(String prompt, Parameters parameters) {
        ParameterCheck p = ParameterCheck.of(id.toString(), parameters, names());
        return switch (family) {
            case DALL_E_2 -> new Wire.CreateImageRequest(model, prompt, p.oneOf("size", DALL_E_2_SIZES).orElse(null),
                    p.oneOf("quality", DALL_E_2_QUALITIES).orElse(null), null, "b64_json", null, null, null, null);
            case DALL_E_3 -> new Wire.CreateImageRequest(model, prompt, p.oneOf("size", DALL_E_3_SIZES).orElse(null),
                    p.oneOf("quality", DALL_E_3_QUALITIES).orElse(null), p.oneOf("style", STYLES).orElse(null),
                    "b64_json", null, null, null, null);
            case GPT_IMAGE -> gptImageRequest(prompt, p);
            case OTHER -> new Wire.CreateImageRequest(model, prompt, p.text("size").orElse(null),
                    p.text("quality").orElse(null), p.text("style").orElse(null), "b64_json", null, null, null, null);
        };
    }

    private Wire.CreateImageRequest gptImageRequest(String prompt, ParameterCheck p) {
        String size = FREE_SIZE_MODELS.contains(model) ? freeSize(p) : p.oneOf("size", GPT_IMAGE_SIZES).orElse(null);
        String quality = p.oneOf("quality", GPT_IMAGE_QUALITIES).orElse(null);
        String format = p.oneOf("output_format", OUTPUT_FORMATS).orElse(null);
        Long compression = p.whole("output_compression", 0, 100).orElse(null);
        String background = p.oneOf("background", BACKGROUNDS).orElse(null);
        String moderation = p.oneOf("moderation", MODERATIONS).orElse(null);
        String effectiveFormat = format == null ? "png" : format; // the description's default
        if (compression != null && effectiveFormat.equals("png")) {
            throw p.invalid("output_compression", "applies only with output_format jpeg or webp (output_format is "
                    + effectiveFormat + ")", compression);
        }
        if ("transparent".equals(background) && effectiveFormat.equals("jpeg")) {
            throw p.invalid("background", "transparent needs output_format png or webp (output_format is jpeg)",
                    background);
        }
        // No response_format: GPT image models always answer in base64 and reject the field.
        return new Wire.CreateImageRequest(model, prompt, size, quality, null, null, format, compression, background,
                moderation);
    }

    /** gpt-image-2 sizes: the listed ones, or WIDTHxHEIGHT within the limits the description gives. */
    private static String freeSize(ParameterCheck p) {
        String size = p.text("size").orElse(null);
        if (size == null || GPT_IMAGE_SIZES.contains(size)) {
            return size;
        }
        Matcher m = SIZE.matcher(size);
        String rule = "must be auto, 1024x1024, 1536x1024, 1024x1536, or WIDTHxHEIGHT with both multiples of 16,"
                + " an aspect ratio from 1:3 to 3:1 and at most 3840x2160 pixels";
        if (!m.matches()) {
            throw p.invalid("size", rule, size);
        }
        long w = Long.parseLong(m.group(1));
        long h = Long.parseLong(m.group(2));
        long longSide = Math.max(w, h);
        long shortSide = Math.min(w, h);
        if (shortSide == 0 || w % 16 != 0 || h % 16 != 0 || longSide > 3 * shortSide || longSide > 3840
                || w * h > 3840L * 2160) {
            throw p.invalid("size", rule, size);
        }
        return size;
    }

    /** The longest prompt each model takes, from {@code CreateImageRequest.prompt}. */
    private int maxPromptLength() {
        return switch (family) {
            case DALL_E_2 -> 1000;
            case DALL_E_3 -> 4000;
            case GPT_IMAGE -> 32000;
            case OTHER -> Integer.MAX_VALUE;
        };
    }

    @Override
    public CompletableFuture<ModelOutput> invoke(Payload input, Parameters parameters) {
        String prompt = ((Payload.Text) input).text();
        if (prompt.isBlank()) {
            throw new ValidationException("the prompt for " + id + " is empty; an image model needs a text to draw");
        }
        if (prompt.length() > maxPromptLength()) {
            throw new ValidationException("the prompt for " + id + " is " + prompt.length()
                    + " characters; the model takes at most " + maxPromptLength());
        }
        Wire.CreateImageRequest request = request(prompt, parameters);
        return Futures.linkedCompose(client.postJson("/images/generations", request, ApiRequest.Kind.CREATE),
                response -> read(response, request, parameters));
    }

    private CompletableFuture<ModelOutput> read(ApiResponse response, Wire.CreateImageRequest request,
                                                Parameters parameters) {
        Wire.ImagesResponse answer = Wire.read(response, Wire.ImagesResponse.class);
        if (answer.data() == null || answer.data().isEmpty() || answer.data().get(0) == null) {
            throw new UnavailableException(id + " answered without an image; try again", null, response.status(), null);
        }
        Wire.Image image = answer.data().get(0);
        CompletableFuture<Payload> payload;
        if (image.b64Json() != null && !image.b64Json().isBlank()) {
            payload = CompletableFuture.completedFuture(decode(image.b64Json(), answer, request, response.status()));
        } else if (image.url() != null && !image.url().isBlank()) {
            payload = client.download(image.url(), Modality.IMAGE);
        } else {
            throw new UnavailableException(id + " answered with neither b64_json nor url for its image", null,
                    response.status(), null);
        }
        Metadata metadata = metadata(response, answer, image, request, parameters);
        return payload.thenApply(p -> new ModelOutput(p, metadata));
    }

    private Payload decode(String b64, Wire.ImagesResponse answer, Wire.CreateImageRequest request, int status) {
        byte[] bytes;
        try {
            bytes = Base64.getMimeDecoder().decode(b64);
        } catch (IllegalArgumentException e) {
            throw new UnavailableException(id + " answered with b64_json that is not base64", e, status, null);
        }
        // GPT image models say their format; DALL·E's base64 is recognised from its bytes.
        String format = answer.outputFormat() != null ? answer.outputFormat() : request.outputFormat();
        if (format == null && family == Family.GPT_IMAGE) {
            format = "png";
        }
        String declared = format == null ? "" : MEDIA_TYPES.getOrDefault(format, "");
        return MediaBytes.payload(bytes, declared, Modality.IMAGE, "the b64_json answer of " + id);
    }

    private Metadata metadata(ApiResponse response, Wire.ImagesResponse answer, Wire.Image image,
                              Wire.CreateImageRequest request, Parameters parameters) {
        Metadata.Builder m = Metadata.builder().parameters(parameters).modelVersion(model); // the answer names none
        OpenAiClient.record(response, m, true);
        if (image.revisedPrompt() != null) {
            m.extra("revised_prompt", image.revisedPrompt());
        }
        // What a GPT image model actually chose when asked for auto.
        putIfPresent(m, "size", answer.size());
        putIfPresent(m, "quality", answer.quality());
        putIfPresent(m, "output_format", answer.outputFormat());
        putIfPresent(m, "background", answer.background());
        Object usage = JsonValues.plain(answer.usage());
        if (usage != null) {
            m.extra("usage", usage);
        }
        if (client.official()) {
            m.costUsd(Prices.image(model, request.size(), request.quality(), answer.usage()));
        }
        return m.build();
    }

    private static void putIfPresent(Metadata.Builder m, String key, String value) {
        if (value != null && !value.isBlank()) {
            m.extra(key, value);
        }
    }
}
