package dev.panic.spi.media;

import dev.panic.Modality;
import dev.panic.Payload;
import dev.panic.exception.InvalidRequestException;
import java.util.Locale;
import java.util.Optional;

/** Turns downloaded bytes into an image or audio payload, trusting the bytes over a vague content type. */
public final class MediaBytes {
    private MediaBytes() {
    }

    /**
     * A payload of {@code expected} modality from downloaded bytes.
     *
     * @param declared the Content-Type the server gave (may be empty or generic)
     * @param from     where the bytes came from, for messages
     * @throws InvalidRequestException if the bytes are not an image or sound as expected
     */
    public static Payload payload(byte[] bytes, String declared, Modality expected, String from) {
        if (bytes.length == 0) {
            throw new InvalidRequestException("the output at " + from + " is empty");
        }
        String type = normalise(declared);
        String sniffed = sniff(bytes).orElse(null);
        if (sniffed != null && (type.isEmpty() || !type.startsWith(expected.wireName() + "/")
                || type.equals("application/octet-stream"))) {
            type = sniffed;
        }
        if (!type.startsWith(expected.wireName() + "/")) {
            throw new InvalidRequestException("expected " + expected + " at " + from + " but got "
                    + (type.isEmpty() ? "content of unknown type" : type));
        }
        return expected == Modality.IMAGE ? Payload.image(bytes, type) : Payload.audio(bytes, type);
    }

    private static String normalise(String contentType) {
        if (contentType == null) {
            return "";
        }
        String t = contentType.toLowerCase(Locale.ROOT).trim();
        int semi = t.indexOf(';');
        return semi >= 0 ? t.substring(0, semi).trim() : t;
    }

    /** The media type the bytes' signature shows; empty if none is recognised. */
    public static Optional<String> sniff(byte[] b) {
        if (starts(b, 0, 0x89, 'P', 'N', 'G')) {
            return Optional.of("image/png");
        }
        if (starts(b, 0, 0xFF, 0xD8, 0xFF)) {
            return Optional.of("image/jpeg");
        }
        if (starts(b, 0, 'G', 'I', 'F', '8')) {
            return Optional.of("image/gif");
        }
        if (starts(b, 0, 'R', 'I', 'F', 'F') && starts(b, 8, 'W', 'E', 'B', 'P')) {
            return Optional.of("image/webp");
        }
        if (starts(b, 0, 'R', 'I', 'F', 'F') && starts(b, 8, 'W', 'A', 'V', 'E')) {
            return Optional.of("audio/wav");
        }
        if (starts(b, 0, 'f', 'L', 'a', 'C')) {
            return Optional.of("audio/flac");
        }
        if (starts(b, 0, 'O', 'g', 'g', 'S')) {
            return Optional.of("audio/ogg");
        }
        if (starts(b, 0, 'I', 'D', '3') || (b.length > 1 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xE0) == 0xE0)) {
            return Optional.of("audio/mpeg");
        }
        return Optional.empty();
    }

    private static boolean starts(byte[] b, int offset, int... sig) {
        if (b.length < offset + sig.length) {
            return false;
        }
        for (int i = 0; i < sig.length; i++) {
            if ((b[offset + i] & 0xFF) != sig[i]) {
                return false;
            }
        }
        return true;
    }
}
