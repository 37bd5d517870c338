package dev.panic;

import dev.panic.exception.PanicException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.ref.SoftReference;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * An immutable sequence of bytes whose equality compares content.
 *
 * <p>Media payloads (images, audio) hold their data as {@code Bytes}, so two images with the same
 * encoded content are equal whatever array they came from. The array given to {@link #of(byte[])}
 * is copied once; reading goes through views ({@link #asByteBuffer()}, {@link #newInputStream()},
 * {@link #writeTo(OutputStream)}) that do not copy. The SHA-256 digest is computed on first use and
 * kept, because runs compare and store media by content hash.
 *
 * <p>Bytes read back from a run store are {@linkplain #deferred deferred}: only their size and
 * digest are held, and the content is loaded when something reads it, and kept only as long as
 * memory allows. A long run can then list thousands of images without holding them. Equality
 * and hashing use the digest, so comparing two deferred values loads neither.
 */
public final class Bytes {

    private static final Bytes EMPTY = new Bytes(new byte[0], null, 0, null);
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    // Exactly one of data and loader is set.
    private final byte[] data;
    private final Supplier<byte[]> loader;
    private final int size;
    private volatile String sha256;
    private volatile SoftReference<byte[]> loaded;

    private Bytes(byte[] data, Supplier<byte[]> loader, int size, String sha256) {
        this.data = data;
        this.loader = loader;
        this.size = size;
        this.sha256 = sha256;
    }

    /** Copies {@code data} into a new immutable value. */
    public static Bytes of(byte[] data) {
        Objects.requireNonNull(data, "data");
        return data.length == 0 ? EMPTY : new Bytes(data.clone(), null, data.length, null);
    }

    /**
     * Takes ownership of {@code data} without copying it. The caller must not change the array
     * afterwards; use this only for arrays you have just created (e.g. an encoder's output).
     */
    public static Bytes wrap(byte[] data) {
        Objects.requireNonNull(data, "data");
        return data.length == 0 ? EMPTY : new Bytes(data, null, data.length, null);
    }

    /** Reads {@code in} to its end. */
    public static Bytes read(InputStream in) {
        try {
            return wrap(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Content that is loaded only when read, for stores that keep media elsewhere (a file, a
     * database row). {@code loader} is called on each read that finds no content in memory; what
     * it returns is checked against {@code sha256}, and kept while memory allows.
     *
     * @param size   the number of bytes
     * @param sha256 lower-case hex SHA-256 of the content
     * @param loader gives the content; may throw a {@link PanicException} saying why it cannot
     * @throws dev.panic.exception.ValidationException if the size is negative or the digest is not 64 hex digits
     */
    public static Bytes deferred(int size, String sha256, Supplier<byte[]> loader) {
        if (size < 0) {
            throw new dev.panic.exception.ValidationException("size must not be negative, got " + size);
        }
        if (sha256 == null || !SHA256.matcher(sha256).matches()) {
            throw new dev.panic.exception.ValidationException("'" + sha256 + "' is not a lower-case hex SHA-256");
        }
        Objects.requireNonNull(loader, "loader");
        return new Bytes(null, loader, size, sha256);
    }

    /** Number of bytes. */
    public int size() {
        return size;
    }

    /** True if the content is held in memory (always, except for deferred bytes not read lately). */
    public boolean isLoaded() {
        if (data != null) {
            return true;
        }
        SoftReference<byte[]> ref = loaded;
        return ref != null && ref.get() != null;
    }

    /** The byte at {@code index}. */
    public byte get(int index) {
        return content()[index];
    }

    /** A fresh copy of the content. */
    public byte[] toByteArray() {
        return content().clone();
    }

    /** A read-only view of the content; no copy is made. */
    public ByteBuffer asByteBuffer() {
        return ByteBuffer.wrap(content()).asReadOnlyBuffer();
    }

    /** A stream over the content; no copy is made. */
    public InputStream newInputStream() {
        return new ByteArrayInputStream(content());
    }

    /** Writes the content to {@code out}. */
    public void writeTo(OutputStream out) throws IOException {
        out.write(content());
    }

    /** Lower-case hex SHA-256 of the content, computed once. */
    public String sha256() {
        String s = sha256;
        if (s == null) {
            s = digest(data);
            sha256 = s;
        }
        return s;
    }

    /** True if the content starts with {@code prefix}. */
    public boolean startsWith(byte[] prefix) {
        byte[] c = content();
        return c.length >= prefix.length && Arrays.equals(c, 0, prefix.length, prefix, 0, prefix.length);
    }

    private byte[] content() {
        if (data != null) {
            return data;
        }
        SoftReference<byte[]> ref = loaded;
        byte[] c = ref == null ? null : ref.get();
        if (c == null) {
            c = loader.get();
            if (c == null || c.length != size || !digest(c).equals(sha256)) {
                throw new PanicException("the stored content with SHA-256 " + sha256 + " ("
                        + size + " B) came back " + (c == null ? "missing" : "different (" + c.length
                        + " B)") + "; the store was changed or damaged after it was written");
            }
            loaded = new SoftReference<>(c);
        }
        return c;
    }

    private static String digest(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM ships SHA-256", e);
        }
    }

    /** Equal when the content is: compared byte for byte when both are in memory, else by SHA-256. */
    @Override
    public boolean equals(Object o) {
        if (o == this) {
            return true;
        }
        if (!(o instanceof Bytes b) || b.size != size) {
            return false;
        }
        if (data != null && b.data != null && (sha256 == null || b.sha256 == null)) {
            return Arrays.equals(data, b.data);
        }
        return sha256().equals(b.sha256());
    }

    /** Derived from the SHA-256, so that in-memory and deferred bytes of one content hash alike. */
    @Override
    public int hashCode() {
        return size == 0 ? 0 : Integer.parseUnsignedInt(sha256().substring(0, 8), 16);
    }

    /** A short description ({@code "Bytes[2048 B, sha256=ab12cd34]"}), never the content. */
    @Override
    public String toString() {
        return "Bytes[" + size + " B, sha256=" + sha256().substring(0, 8) + "]";
    }
}
