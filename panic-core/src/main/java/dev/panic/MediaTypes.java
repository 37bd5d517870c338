package dev.panic;

import dev.panic.exception.ValidationException;
import java.util.Locale;

/** Checks and maps media types; the one place that knows file extensions. */
public final class MediaTypes {
    private MediaTypes() {
    }

    static String require(String mediaType, String prefix) {
        if (mediaType == null || mediaType.isBlank()) {
            throw new ValidationException("media type is missing; expected " + prefix + "*");
        }
        String m = mediaType.trim().toLowerCase(Locale.ROOT);
        int semi = m.indexOf(';');
        if (semi >= 0) {
            m = m.substring(0, semi).trim();
        }
        if (!m.startsWith(prefix) || m.length() == prefix.length()) {
            throw new ValidationException("media type '" + mediaType + "' is not " + prefix + "*");
        }
        return m;
    }

    /** The usual file extension for a media type, without the dot ({@code "png"}); {@code "bin"} if unknown. */
    public static String extension(String mediaType) {
        switch (mediaType) {
            case "image/png": return "png";
            case "image/jpeg": return "jpg";
            case "image/webp": return "webp";
            case "image/gif": return "gif";
            case "audio/wav": case "audio/x-wav": case "audio/wave": return "wav";
            case "audio/mpeg": return "mp3";
            case "audio/flac": return "flac";
            case "audio/ogg": return "ogg";
            case "audio/aac": return "aac";
            case "audio/opus": return "opus";
            default: return "bin";
        }
    }
}
