package dev.panic.openai.internal;

import dev.panic.spi.Futures;
import com.fasterxml.jackson.databind.JsonNode;
import dev.panic.Metadata;
import dev.panic.ModelId;
import dev.panic.ModelOutput;
import dev.panic.Parameters;
import dev.panic.Payload;
import dev.panic.exception.UnavailableException;
import dev.panic.exception.ValidationException;
import dev.panic.spi.http.ApiResponse;
import dev.panic.spi.http.Json;
import dev.panic.spi.media.MediaBytes;
import dev.panic.spi.http.Multipart;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

/**
 * AUDIO to TEXT through {@code POST /audio/transcriptions}, a multipart form
 * ({@code CreateTranscriptionRequest}). The answer is {@code {"text": ...}} for
 * {@code response_format} json and the bare text for text; both are read, whichever comes.
 */
final class Transcription implements ModelKind {

    /**
     * The file name extension for each audio type, among the formats {@code CreateTranscriptionRequest.file}
     * accepts (flac, mp3, mp4, mpeg, mpga, m4a, ogg, wav, webm): the server identifies the format
     * by the extension.
     */
    private static final Map<String, String> EXTENSIONS = Map.of("audio/flac", "flac", "audio/mpeg", "mp3",
            "audio/wav", "wav", "audio/ogg", "ogg", "audio/webm", "webm", "audio/mp4", "m4a", "audio/m4a", "m4a",
            "audio/x-m4a", "m4a");

    private static final List<String> FORMATS = List.of("json", "text");
    /** The models {@code AudioResponseFormat} says answer only in json. */
    private static final List<String> JSON_ONLY = List.of("gpt-4o-transcribe", "gpt-4o-mini-transcribe");
    private static final String DIARIZE = "gpt-4o-transcribe-diarize";
    private static final Pattern ISO_639_1 = Pattern.compile("[a-z]{2}");

    private final ModelId id;
    private final String model;
    private final OpenAiClient client;

    Transcription(ModelId id, String model, OpenAiClient client) {
        this.id = id;
        this.model = model;
        this.client = client;
    }

    @Override
    public Parameters defaults() {
        return Parameters.empty();
    }

    /** The checked parameters of one call. */
    private record Options(String language, String prompt, String format, Double temperature) {
    }

    @Override
    public void check(Parameters parameters) {
        options(parameters);
    }

    private Options options(Parameters parameters) {
        ParameterCheck p = ParameterCheck.of(id.toString(), parameters,
                ParameterCheck.names("language", "prompt", "response_format", "temperature"));
        String language = p.text("language").orElse(null);
        if (language != null && !ISO_639_1.matcher(language).matches()) {
            throw p.invalid("language", "must be an ISO-639-1 code of two lower-case letters, e.g. en", language);
        }
        String prompt = p.text("prompt").orElse(null);
        if (prompt != null && model.equals(DIARIZE)) {
            throw p.invalid("prompt", "is not supported by " + DIARIZE, prompt);
        }
        String format = p.oneOf("response_format", JSON_ONLY.contains(model) ? List.of("json") : FORMATS).orElse(null);
        return new Options(language, prompt, format, p.number("temperature", 0, 1).orElse(null));
    }

    @Override
    public CompletableFuture<ModelOutput> invoke(Payload input, Parameters parameters) {
        Options o = options(parameters);
        Payload.Audio audio = (Payload.Audio) input;
        byte[] bytes = audio.data().toByteArray();
        String type = audio.mediaType();
        // OpenAI's own opus answers are Opus in an Ogg file, which the endpoint takes as ogg.
        if (type.equals("audio/opus") && MediaBytes.sniff(bytes).filter("audio/ogg"::equals).isPresent()) {
            type = "audio/ogg";
        }
        String extension = EXTENSIONS.get(type);
        if (extension == null) {
            throw new ValidationException(id + " cannot transcribe " + audio.mediaType()
                    + "; the endpoint takes flac, mp3, mp4, mpeg, mpga, m4a, ogg, wav or webm");
        }
        Multipart form = new Multipart().file("file", "audio." + extension, type, bytes).field("model", model);
        if (o.language() != null) {
            form.field("language", o.language());
        }
        if (o.prompt() != null) {
            form.field("prompt", o.prompt());
        }
        if (o.format() != null) {
            form.field("response_format", o.format());
        }
        if (o.temperature() != null) {
            form.field("temperature", String.valueOf(o.temperature()));
        }
        if (model.equals(DIARIZE)) {
            // Required by this model for inputs over 30 s, and harmless for shorter ones.
            form.field("chunking_strategy", "auto");
        }
        return Futures.linked(client.postMultipart("/audio/transcriptions", form), r -> read(r, o, parameters));
    }

    private ModelOutput read(ApiResponse response, Options o, Parameters parameters) {
        boolean askedJson = o.format() == null || o.format().equals("json");
        boolean labelledJson = response.header("Content-Type").orElse("").toLowerCase(Locale.ROOT).contains("json");
        Optional<JsonNode> json = askedJson || labelledJson ? Json.tryParse(response.body()) : Optional.empty();
        String text;
        JsonNode usage = null;
        if (json.isPresent() && json.get().path("text").isTextual()) {
            text = json.get().get("text").asText();
            usage = json.get().get("usage");
        } else if (!askedJson) {
            text = new String(response.body(), StandardCharsets.UTF_8);
        } else {
            throw new UnavailableException(id + " answered " + response.status() + " without the text of a json"
                    + " transcription: '" + response.excerpt(200) + "'", null, response.status(), null);
        }
        Metadata.Builder m = Metadata.builder().parameters(parameters).modelVersion(model); // the answer names none
        OpenAiClient.record(response, m, true);
        Object plainUsage = JsonValues.plain(usage);
        if (plainUsage != null) {
            m.extra("usage", plainUsage);
        }
        if (client.official()) {
            m.costUsd(Prices.transcription(model, usage));
        }
        return new ModelOutput(Payload.text(text.strip()), m.build());
    }
}
