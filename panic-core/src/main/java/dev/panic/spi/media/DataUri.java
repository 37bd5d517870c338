package dev.panic.spi.media;

import dev.panic.exception.InvalidRequestException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** {@code data:} URIs, as platforms send small outputs and accept small inputs. */
public final class DataUri {
    private DataUri() {
    }

    /**
     * The bytes and media type of a data URI.
     *
     * @param bytes     the content
     * @param mediaType its declared type, or "" if none
     */
    public record Decoded(byte[] bytes, String mediaType) {
    }

    /** {@code data:<mediaType>;base64,<bytes>}. */
    public static String encode(byte[] bytes, String mediaType) {
        return "data:" + mediaType + ";base64," + Base64.getEncoder().encodeToString(bytes);
    }

    /**
     * Decodes {@code data:[<type>][;params][;base64],<data>}.
     *
     * @throws InvalidRequestException if it is malformed
     */
    public static Decoded decode(String uri) {
        int comma = uri.indexOf(',');
        if (!uri.startsWith("data:") || comma < 0) {
            throw new InvalidRequestException("malformed data URI: it needs 'data:<type>;base64,<data>'");
        }
        String meta = uri.substring(5, comma);
        String data = uri.substring(comma + 1);
        boolean base64 = meta.endsWith(";base64");
        String type = base64 ? meta.substring(0, meta.length() - 7) : meta;
        int semi = type.indexOf(';');
        if (semi >= 0) {
            type = type.substring(0, semi);
        }
        try {
            byte[] bytes = base64 ? Base64.getDecoder().decode(data.replaceAll("\\s", ""))
                    : URLDecoder.decode(data, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8);
            return new Decoded(bytes, type.trim());
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("malformed data URI: its base64 data does not decode", e);
        }
    }
}
