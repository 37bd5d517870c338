package dev.panic.temporal.internal;

import dev.panic.Bytes;
import dev.panic.Payload;
import dev.panic.exception.PanicException;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * A payload as workflow history holds it: a text whole, an image or a sound by its content hash
 * only. The bytes stay in the shared run store.
 *
 * @param modality       {@code text}, {@code image} or {@code audio}
 * @param text           the text, for a text
 * @param mediaType      the media type, for media
 * @param sha256         the content's SHA-256, for media
 * @param size           the content's size in bytes, for media
 * @param width          an image's width, if known
 * @param height         an image's height, if known
 * @param durationMillis a sound's length, if known
 */
public record PayloadRef(String modality, String text, String mediaType, String sha256, int size, Integer width,
                         Integer height, Long durationMillis) {

    /** The reference to a payload. */
    public static PayloadRef of(Payload p) {
        if (p instanceof Payload.Text t) {
            return new PayloadRef("text", t.text(), null, null, 0, null, null, null);
        }
        if (p instanceof Payload.Image im) {
            return new PayloadRef("image", null, im.mediaType(), im.data().sha256(), im.data().size(),
                    im.size().map(Payload.Image.Size::width).orElse(null),
                    im.size().map(Payload.Image.Size::height).orElse(null), null);
        }
        Payload.Audio au = (Payload.Audio) p;
        return new PayloadRef("audio", null, au.mediaType(), au.data().sha256(), au.data().size(), null, null,
                au.duration().map(Duration::toMillis).orElse(null));
    }

    /** True for a text (not named isText: the JSON of a record must hold only its components). */
    public boolean textual() {
        return "text".equals(modality);
    }

    /**
     * The payload, its media read through {@code loader} when used. In a workflow, media is never
     * read: rules compare it by hash.
     */
    public Payload toPayload(Supplier<byte[]> loader) {
        if (textual()) {
            return Payload.text(text);
        }
        Bytes data = Bytes.deferred(size, sha256, loader);
        if ("image".equals(modality)) {
            return new Payload.Image(data, mediaType, width == null ? null : new Payload.Image.Size(width, height));
        }
        return new Payload.Audio(data, mediaType, durationMillis == null ? null : Duration.ofMillis(durationMillis));
    }

    /** The payload for rules in a workflow: media that refuses to be read. */
    public Payload inWorkflow() {
        return toPayload(() -> {
            throw new PanicException("media " + sha256 + " is not in the workflow: read it from the run store");
        });
    }

    /** A short description for messages and listings. */
    public String summary(int max) {
        if (textual()) {
            return text.length() <= max ? text : text.substring(0, Math.max(0, max - 1)) + "…";
        }
        return modality + " " + mediaType + " " + size + " B sha256=" + sha256.substring(0, 8);
    }
}
