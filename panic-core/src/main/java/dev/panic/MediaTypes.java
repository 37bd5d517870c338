package dev.panic;

import dev.panic.exception.ValidationException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Media types and their file extensions: the one table both directions use. */
public final class MediaTypes {

    // The first extension listed for a type is the one files are written with.
    private static final Map<String, String[]> EXTENSIONS = Map.ofEntries(
            Map.entry("image/png", new String[] {"png"}),
            Map.entry("image/jpeg", new String[] {"jpg", "jpeg"}),
            Map.entry("image/webp", new String[] {"webp"}),
            Map.entry("image/gif", new String[] {"gif"}),
            Map.entry("audio/wav", new String[] {"wav", "wave"}),
            Map.entry("audio/mpeg", new String[] {"mp3"}),
            Map.entry("audio/flac", new String[] {"flac"}),
            Map.entry("audio/ogg", new String[] {"ogg", "oga"}),
            Map.entry("audio/aac", new String[] {"aac"}),
            Map.entry("audio/opus", new String[] {"opus"}));

    private static final Map<String, String> ALIASES = Map.of("audio/x-wav", "audio/wav", "audio/wave", "audio/wav",
            "audio/vnd.wave", "audio/wav", "audio/mp3", "audio/mpeg", "image/jpg", "image/jpeg");

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
        return ALIASES.getOrDefault(m, m);
    }

    /** The usual file extension for a media type, without the dot ({@code "png"}); {@code "bin"} if unknown. */
    public static String extension(String mediaType) {
        String[] ext = EXTENSIONS.get(mediaType);
        return ext == null ? "bin" : ext[0];
    }

    /** The media type of a file name by its extension ({@code "x.JPG"} gives {@code image/jpeg}), if known. */
    public static Optional<String> forFileName(String fileName) {
        int dot = fileName.lastIndexOf('.');
        if (dot < 0) {
            return Optional.empty();
        }
        String ext = fileName.substring(dot + 1).toLowerCase(Locale.ROOT);
        return EXTENSIONS.entrySet().stream().filter(e -> java.util.Arrays.asList(e.getValue()).contains(ext))
                .map(Map.Entry::getKey).findFirst();
    }
}
