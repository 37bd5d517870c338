package dev.panic.openai.internal;

import dev.panic.Modality;
import java.util.List;
import java.util.Optional;

/**
 * Which endpoint a PANIC model name goes to, and the model name sent on the wire.
 *
 * <p>Image, speech and transcription models are named as OpenAI names them ({@code dall-e-3},
 * {@code tts-1}, {@code whisper-1}). A chat model can read text or images, so its PANIC name says
 * which: {@code chat/gpt-4o-mini} (TEXT to TEXT) or {@code vision/gpt-4o-mini} (IMAGE to TEXT).
 * The same prefixes ({@code image/}, {@code speech/}, {@code transcription/}) take any name, for
 * OpenAI-compatible servers whose models OpenAI never listed.
 */
public final class Catalog {

    /** The image models of {@code CreateImageRequest.model} in the API description. */
    public static final List<String> IMAGE_MODELS = List.of("dall-e-2", "dall-e-3", "gpt-image-1",
            "gpt-image-1-mini", "gpt-image-1.5", "gpt-image-2", "gpt-image-2-2026-04-21");

    /** The speech models of {@code CreateSpeechRequest.model}. */
    public static final List<String> SPEECH_MODELS = List.of("tts-1", "tts-1-hd", "gpt-4o-mini-tts",
            "gpt-4o-mini-tts-2025-12-15");

    /** The transcription models of {@code CreateTranscriptionRequest.model}. */
    public static final List<String> TRANSCRIPTION_MODELS = List.of("whisper-1", "gpt-transcribe",
            "gpt-4o-transcribe", "gpt-4o-mini-transcribe", "gpt-4o-mini-transcribe-2025-12-15",
            "gpt-4o-transcribe-diarize");

    private Catalog() {
    }

    /** What a model does, with the name prefix that selects it and its modalities. */
    public enum Role {
        /** {@code POST /images/generations}. */
        IMAGE("image/", Modality.TEXT, Modality.IMAGE),
        /** {@code POST /chat/completions} with a text message. */
        CHAT("chat/", Modality.TEXT, Modality.TEXT),
        /** {@code POST /chat/completions} with an image content part. */
        VISION("vision/", Modality.IMAGE, Modality.TEXT),
        /** {@code POST /audio/speech}. */
        SPEECH("speech/", Modality.TEXT, Modality.AUDIO),
        /** {@code POST /audio/transcriptions}. */
        TRANSCRIPTION("transcription/", Modality.AUDIO, Modality.TEXT);

        private final String prefix;
        private final Modality input;
        private final Modality output;

        Role(String prefix, Modality input, Modality output) {
            this.prefix = prefix;
            this.input = input;
            this.output = output;
        }

        /** The name prefix that selects this role, e.g. {@code vision/}. */
        public String prefix() {
            return prefix;
        }

        /** The modality the model takes. */
        public Modality input() {
            return input;
        }

        /** The modality the model gives. */
        public Modality output() {
            return output;
        }
    }

    /**
     * Where a model name leads.
     *
     * @param role     the endpoint and modalities
     * @param wireName the {@code model} field sent to the API
     */
    public record Route(Role role, String wireName) {
    }

    /** The route of a PANIC model name, if it names one. */
    public static Optional<Route> resolve(String name) {
        if (name == null || name.isBlank()) {
            return Optional.empty();
        }
        String n = name.trim();
        for (Role r : Role.values()) {
            if (n.startsWith(r.prefix)) {
                String wire = n.substring(r.prefix.length()).trim();
                return wire.isEmpty() ? Optional.empty() : Optional.of(new Route(r, wire));
            }
        }
        // The GPT image family shares one contract, so a new member needs no release of PANIC.
        if (IMAGE_MODELS.contains(n) || n.startsWith("gpt-image-")) {
            return Optional.of(new Route(Role.IMAGE, n));
        }
        if (SPEECH_MODELS.contains(n)) {
            return Optional.of(new Route(Role.SPEECH, n));
        }
        if (TRANSCRIPTION_MODELS.contains(n)) {
            return Optional.of(new Route(Role.TRANSCRIPTION, n));
        }
        return Optional.empty();
    }
}
