package dev.panic;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * An immutable sequence of bytes whose equality compares content.
 *
 * <p>Media payloads (images, audio) hold their data as {@code Bytes}, so two images with the same
 * encoded content are equal whatever array they came from. The array given to {@link #of(byte[])}
 * is copied once; reading goes through views ({@link #asByteBuffer()}, {@link #newInputStream()},
 * {@link #writeTo(OutputStream)}) that do not copy. The SHA-256 digest is computed on first use and
 * kept, because runs compare and store media by content hash.
 */
public final class Bytes {

    private static final Bytes EMPTY = new Bytes(new byte[0]);

    private final byte[] data;
    private volatile String sha256;
    private int hash;

    private Bytes(byte[] data) {
        this.data = data;
    }

    /** Copies {@code data} into a new immutable value. */
    public static Bytes of(byte[] data) {
        Objects.requireNonNull(data, "data");
        return data.length == 0 ? EMPTY : new Bytes(data.clone());
    }

    /**
     * Takes ownership of {@code data} without copying it. The caller must not change the array
     * afterwards; use this only for arrays you have just created (e.g. an encoder's output).
     */
    public static Bytes wrap(byte[] data) {
        Objects.requireNonNull(data, "data");
        return data.length == 0 ? EMPTY : new Bytes(data);
    }

    /** Reads {@code in} to its end. */
    public static Bytes read(InputStream in) {
        try {
            return wrap(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Number of bytes. */
    public int size() {
        return data.length;
    }

    /** The byte at {@code index}. */
    public byte get(int index) {
        return data[index];
    }

    /** A fresh copy of the content. */
    public byte[] toByteArray() {
        return data.clone();
    }

    /** A read-only view of the content; no copy is made. */
    public ByteBuffer asByteBuffer() {
        return ByteBuffer.wrap(data).asReadOnlyBuffer();
    }

    /** A stream over the content; no copy is made. */
    public InputStream newInputStream() {
        return new ByteArrayInputStream(data);
    }

    /** Writes the content to {@code out}. */
    public void writeTo(OutputStream out) throws IOException {
        out.write(data);
    }

    /** Lower-case hex SHA-256 of the content, computed once. */
    public String sha256() {
        String s = sha256;
        if (s == null) {
            try {
                s = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every JVM ships SHA-256", e);
            }
            sha256 = s;
        }
        return s;
    }

    /** True if the content starts with {@code prefix}. */
    public boolean startsWith(byte[] prefix) {
        return data.length >= prefix.length && Arrays.equals(data, 0, prefix.length, prefix, 0, prefix.length);
    }

    @Override
    public boolean equals(Object o) {
        return o == this || (o instanceof Bytes b && Arrays.equals(data, b.data));
    }

    @Override
    public int hashCode() {
        int h = hash;
        if (h == 0 && data.length > 0) {
            h = Arrays.hashCode(data);
            hash = h;
        }
        return h;
    }

    /** A short description ({@code "Bytes[2048 B, sha256=ab12cd34]"}), never the content. */
    @Override
    public String toString() {
        return "Bytes[" + data.length + " B, sha256=" + sha256().substring(0, 8) + "]";
    }
}
