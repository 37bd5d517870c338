package dev.panic.spi.http;

import dev.panic.exception.ValidationException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An API key that never shows itself: {@code toString()} is a mask, and {@link #scrub} masks it in
 * any text or body (an answer that echoes the request, say) before that text is read, cut, logged
 * or stored. {@link PlatformHttp} scrubs every answer it receives with it, so an adapter only
 * needs it for text that did not come through the client.
 *
 * <p>Scrubbing masks the whole key and also any piece of it of {@value #FRAGMENT} characters or
 * more, so that a server that echoes part of the key, or text cut in the middle of it, gives
 * nothing away. Each masked character becomes {@code *}, so byte lengths are kept.
 */
public final class Secret {

    /** The shortest run of the key's characters that is masked on its own. */
    public static final int FRAGMENT = 12;

    private final String value;
    private final byte[] bytes;
    // Key offsets by the 8 bytes that start each window of the key of FRAGMENT bytes (or the whole
    // key, when it is shorter); a 64-bit word shifted byte by byte finds every candidate in one pass.
    private final Map<Long, int[]> windows = new HashMap<>();
    private final long[] seen = new long[1024];
    private final int minimum;

    private Secret(String value) {
        this.value = value;
        this.bytes = value.getBytes(StandardCharsets.UTF_8);
        this.minimum = Math.min(FRAGMENT, bytes.length);
        if (bytes.length >= Long.BYTES) {
            for (int off = 0; off + minimum <= bytes.length; off++) {
                long word = word(bytes, off);
                int[] known = windows.get(word);
                int[] more = known == null ? new int[1] : java.util.Arrays.copyOf(known, known.length + 1);
                more[more.length - 1] = off;
                windows.put(word, more);
                seen[bucket(word) >>> 6] |= 1L << bucket(word);
            }
        }
    }

    /**
     * Wraps a key.
     *
     * @param name what the key is, for the error message (e.g. "REPLICATE_API_TOKEN")
     * @throws ValidationException if it is blank or has line breaks
     */
    public static Secret of(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new ValidationException(name + " is empty; set it to your key");
        }
        String v = value.strip();
        if (v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0) {
            throw new ValidationException(name + " contains a line break; check how it was copied");
        }
        return new Secret(v);
    }

    /** The key itself, for the one header that carries it. */
    public String reveal() {
        return value;
    }

    /** {@code text} with the key, and every piece of it of {@value #FRAGMENT} characters or more, masked. */
    public String scrub(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        byte[] in = text.getBytes(StandardCharsets.UTF_8);
        byte[] out = scrub(in);
        return out == in ? text : new String(out, StandardCharsets.UTF_8);
    }

    /**
     * {@code body} with the key, and every piece of it of {@value #FRAGMENT} bytes or more, masked
     * byte for byte; the same array when there was nothing to mask.
     */
    public byte[] scrub(byte[] body) {
        if (body == null || body.length < minimum) {
            return body;
        }
        List<int[]> spans = bytes.length < Long.BYTES ? whole(body) : pieces(body);
        if (spans.isEmpty()) {
            return body;
        }
        byte[] out = body.clone();
        for (int[] s : spans) {
            java.util.Arrays.fill(out, s[0], s[1], (byte) '*');
        }
        return out;
    }

    /** Spans of the whole key (keys too short for the word search). */
    private List<int[]> whole(byte[] body) {
        List<int[]> spans = new ArrayList<>();
        for (int i = 0; i + bytes.length <= body.length; i++) {
            if (matches(body, i, 0, bytes.length)) {
                spans.add(new int[] {i, i + bytes.length});
                i += bytes.length - 1;
            }
        }
        return spans;
    }

    /** Spans of {@code minimum} bytes or more that match the key somewhere, each as long as it goes. */
    private List<int[]> pieces(byte[] body) {
        List<int[]> spans = new ArrayList<>();
        long word = 0;
        int filled = 0;
        for (int i = 0; i < body.length; i++) {
            word = (word << 8) | (body[i] & 0xFF);
            if (++filled < Long.BYTES) {
                continue;
            }
            int start = i - Long.BYTES + 1;
            int b = bucket(word);
            if ((seen[b >>> 6] & (1L << b)) == 0) {
                continue;
            }
            int[] offsets = windows.get(word);
            if (offsets == null) {
                continue;
            }
            int longest = 0;
            for (int off : offsets) {
                int n = 0;
                while (start + n < body.length && off + n < bytes.length && body[start + n] == bytes[off + n]) {
                    n++;
                }
                longest = Math.max(longest, n);
            }
            if (longest >= minimum) {
                spans.add(new int[] {start, start + longest});
                i = start + longest - 1;
                filled = 0;
                word = 0;
            }
        }
        return spans;
    }

    private boolean matches(byte[] body, int at, int from, int length) {
        for (int k = 0; k < length; k++) {
            if (body[at + k] != bytes[from + k]) {
                return false;
            }
        }
        return true;
    }

    private static long word(byte[] b, int off) {
        long w = 0;
        for (int k = 0; k < Long.BYTES; k++) {
            w = (w << 8) | (b[off + k] & 0xFF);
        }
        return w;
    }

    private static int bucket(long word) {
        long h = word * 0x9E3779B97F4A7C15L;
        return (int) (h >>> 48) & 0xFFFF;
    }

    @Override
    public String toString() {
        return "****";
    }
}
