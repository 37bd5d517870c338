package dev.panic.openai.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * Cost estimates in US dollars for {@link dev.panic.Metadata#costUsd()}.
 *
 * <p><b>Assumption:</b> the API description carries no prices. These are OpenAI's list prices
 * for standard (non-batch) use as published on https://openai.com/api/pricing in May 2025, and
 * they have not been checked since. Prices change; cached-input discounts are ignored, so an
 * estimate errs high. A model missing here gets no estimate (null), never a guess, and so does
 * every call to a server other than api.openai.com.
 */
public final class Prices {

    private static final double PER_MILLION = 1_000_000.0;

    /** Chat models: US dollars per million input and output tokens. */
    private static final Map<String, double[]> CHAT = Map.of(
            "gpt-4o-mini", new double[] {0.15, 0.60},
            "gpt-4o", new double[] {2.50, 10.00},
            "gpt-4.1", new double[] {2.00, 8.00},
            "gpt-4.1-mini", new double[] {0.40, 1.60},
            "gpt-4.1-nano", new double[] {0.10, 0.40});

    /** DALL·E: US dollars per image by quality and size. */
    private static final Map<String, Double> DALL_E = Map.ofEntries(
            Map.entry("dall-e-3 standard 1024x1024", 0.040),
            Map.entry("dall-e-3 standard 1792x1024", 0.080),
            Map.entry("dall-e-3 standard 1024x1792", 0.080),
            Map.entry("dall-e-3 hd 1024x1024", 0.080),
            Map.entry("dall-e-3 hd 1792x1024", 0.120),
            Map.entry("dall-e-3 hd 1024x1792", 0.120),
            Map.entry("dall-e-2 standard 1024x1024", 0.020),
            Map.entry("dall-e-2 standard 512x512", 0.018),
            Map.entry("dall-e-2 standard 256x256", 0.016));

    /** gpt-image-1: US dollars per million text-input, image-input and image-output tokens. */
    private static final double[] GPT_IMAGE_1 = {5.00, 10.00, 40.00};

    /** Speech: US dollars per million input characters. */
    private static final Map<String, Double> SPEECH = Map.of("tts-1", 15.00, "tts-1-hd", 30.00);

    /** whisper-1: US dollars per minute of audio. */
    private static final double WHISPER_PER_MINUTE = 0.006;

    private Prices() {
    }

    /** A chat completion from its {@code CompletionUsage}, or null. */
    public static Double chat(String model, JsonNode usage) {
        double[] p = CHAT.get(model);
        if (p == null || usage == null || !usage.has("prompt_tokens") || !usage.has("completion_tokens")) {
            return null;
        }
        return (usage.get("prompt_tokens").asLong() * p[0] + usage.get("completion_tokens").asLong() * p[1]) / PER_MILLION;
    }

    /**
     * One generated image, or null: DALL·E by its size and quality, gpt-image-1 by the tokens of
     * its {@code usage}.
     */
    public static Double image(String model, String size, String quality, JsonNode usage) {
        if (model.equals("gpt-image-1")) {
            if (usage == null || !usage.has("output_tokens")) {
                return null;
            }
            JsonNode in = usage.path("input_tokens_details");
            long text = in.path("text_tokens").asLong(usage.path("input_tokens").asLong());
            long image = in.path("image_tokens").asLong(0);
            return (text * GPT_IMAGE_1[0] + image * GPT_IMAGE_1[1] + usage.get("output_tokens").asLong() * GPT_IMAGE_1[2])
                    / PER_MILLION;
        }
        return DALL_E.get(model + " " + quality + " " + size);
    }

    /** Speech of {@code characters} input characters, or null. */
    public static Double speech(String model, int characters) {
        Double perMillion = SPEECH.get(model);
        return perMillion == null ? null : characters * perMillion / PER_MILLION;
    }

    /** A transcription from its duration {@code usage} ({@code TranscriptTextUsageDuration}), or null. */
    public static Double transcription(String model, JsonNode usage) {
        if (!model.equals("whisper-1") || usage == null || !"duration".equals(usage.path("type").asText())
                || !usage.path("seconds").isNumber()) {
            return null;
        }
        return usage.get("seconds").asDouble() / 60.0 * WHISPER_PER_MINUTE;
    }
}
