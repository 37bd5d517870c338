package dev.panic.openai.internal;

import dev.panic.spi.Futures;
import dev.panic.Metadata;
import dev.panic.ModelId;
import dev.panic.ModelOutput;
import dev.panic.Parameters;
import dev.panic.Payload;
import dev.panic.exception.UnavailableException;
import dev.panic.exception.ValidationException;
import dev.panic.spi.http.ApiRequest;
import dev.panic.spi.http.ApiResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * TEXT to AUDIO through {@code POST /audio/speech} ({@code CreateSpeechRequest}). The answer is
 * the audio file itself. Its media type is taken from the format PANIC asked for, not from the
 * Content-Type header, which servers label loosely ({@code application/octet-stream} in the
 * description itself).
 */
final class Speech implements ModelKind {

    /**
     * The built-in voices: the {@code VoiceIdsShared} enum, plus fable, onyx and nova, which
     * {@code CreateSpeechRequest.voice} also lists as supported.
     */
    static final List<String> VOICES = List.of("alloy", "ash", "ballad", "coral", "echo", "fable", "onyx", "nova",
            "sage", "shimmer", "verse", "marin", "cedar");

    /**
     * {@code CreateSpeechRequest.response_format} and the media type of each. {@code pcm} is left
     * out on purpose: it is bare samples whose rate the description does not give for this
     * endpoint, so nothing downstream could read them; {@code wav} carries the same sound with a header.
     */
    static final Map<String, String> FORMATS = Map.of("mp3", "audio/mpeg", "opus", "audio/opus", "aac", "audio/aac",
            "flac", "audio/flac", "wav", "audio/wav");
    private static final List<String> FORMAT_NAMES = List.of("mp3", "opus", "aac", "flac", "wav");

    /** Models that take no {@code instructions}, per {@code CreateSpeechRequest.instructions}. */
    private static final List<String> NO_INSTRUCTIONS = List.of("tts-1", "tts-1-hd");

    private static final int MAX_INPUT = 4096;

    private final ModelId id;
    private final String model;
    private final OpenAiClient client;

    Speech(ModelId id, String model, OpenAiClient client) {
        this.id = id;
        this.model = model;
        this.client = client;
    }

    @Override
    public Parameters defaults() {
        return Parameters.of("voice", "alloy", "response_format", "mp3");
    }

    /** The checked parameters of one call. */
    private record Options(Object voice, String format, Double speed, String instructions) {
    }

    @Override
    public void check(Parameters parameters) {
        options(parameters);
    }

    private Options options(Parameters parameters) {
        ParameterCheck p = ParameterCheck.of(id.toString(), parameters,
                ParameterCheck.names("voice", "response_format", "speed", "instructions"));
        // OpenAI's own models get their voices checked; a compatible server has voices of its own.
        Object voice = p.textOrId("voice", Catalog.SPEECH_MODELS.contains(model) ? VOICES : null).orElse("alloy");
        if ("pcm".equals(parameters.get("response_format").orElse(null))) {
            throw p.invalid("response_format", "must be one of " + String.join(", ", FORMAT_NAMES)
                    + " (pcm is bare samples of unstated rate that nothing downstream can read; wav holds the same"
                    + " sound with a header)", "pcm");
        }
        String format = p.oneOf("response_format", FORMAT_NAMES).orElse("mp3");
        Double speed = p.number("speed", 0.25, 4).orElse(null);
        String instructions = p.text("instructions").orElse(null);
        if (instructions != null && NO_INSTRUCTIONS.contains(model)) {
            throw p.invalid("instructions", "is not supported by " + model + " (use gpt-4o-mini-tts)", instructions);
        }
        if (instructions != null && instructions.length() > MAX_INPUT) {
            throw p.invalid("instructions", "must be at most " + MAX_INPUT + " characters", instructions.length()
                    + " characters");
        }
        return new Options(voice, format, speed, instructions);
    }

    @Override
    public CompletableFuture<ModelOutput> invoke(Payload input, Parameters parameters) {
        Options o = options(parameters);
        String text = ((Payload.Text) input).text();
        if (text.isBlank()) {
            throw new ValidationException("the input text for " + id + " is empty; there is nothing to say");
        }
        int characters = text.codePointCount(0, text.length());
        if (characters > MAX_INPUT) {
            throw new ValidationException("the input text for " + id + " is " + characters
                    + " characters; the speech endpoint takes at most " + MAX_INPUT);
        }
        Wire.CreateSpeechRequest request = new Wire.CreateSpeechRequest(model, text, o.voice(), o.instructions(),
                o.format(), o.speed());
        return Futures.linked(client.postJson("/audio/speech", request, ApiRequest.Kind.CREATE),
                response -> read(response, o, characters, parameters));
    }

    private ModelOutput read(ApiResponse response, Options o, int characters, Parameters parameters) {
        if (response.body().length == 0) {
            throw new UnavailableException(id + " answered with no audio; try again", null, response.status(), null);
        }
        Payload audio = Payload.audio(response.body(), FORMATS.get(o.format()));
        Metadata.Builder m = Metadata.builder().parameters(parameters).modelVersion(model) // the answer names none
                .extra("input_characters", characters);
        OpenAiClient.record(response, m, true);
        if (client.official()) {
            m.costUsd(Prices.speech(model, characters));
        }
        return new ModelOutput(audio, m.build());
    }
}
