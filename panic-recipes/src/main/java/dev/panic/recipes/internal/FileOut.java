package dev.panic.recipes.internal;

import dev.panic.Bytes;
import dev.panic.exception.PanicException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.text.Normalizer;
import java.util.Locale;

/**
 * Writing the recipes' files: whole files replaced at once (written beside, then moved over), so
 * that a reader or a crash never sees half a file; and names made safe for folders.
 */
public final class FileOut {

    private FileOut() {
    }

    /** Writes {@code text} as UTF-8, replacing the file, creating its folder. */
    public static void write(Path file, String text) {
        write(file, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes {@code bytes}, replacing the file, creating its folder. */
    public static void write(Path file, Bytes bytes) {
        write(file, bytes.toByteArray());
    }

    /** Writes {@code bytes}, replacing the file, creating its folder. */
    public static void write(Path file, byte[] bytes) {
        Path target = file.toAbsolutePath();
        try {
            Files.createDirectories(target.getParent());
            Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
            try {
                Files.write(tmp, bytes);
                try {
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new PanicException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * A folder or file name from a title: letters and digits kept (accents dropped), everything
     * else a single '-', at most 60 characters; "untitled" if nothing is left.
     */
    public static String slug(String title) {
        String plain = Normalizer.normalize(title == null ? "" : title, Normalizer.Form.NFKD).replaceAll("\\p{M}+", "");
        String slug = plain.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        if (slug.length() > 60) {
            slug = slug.substring(0, 60).replaceAll("-+$", "");
        }
        return slug.isEmpty() ? "untitled" : slug;
    }

    /** {@code parent/name}, or {@code parent/name-2}, {@code -3}... whichever does not exist yet. */
    public static Path fresh(Path parent, String name) {
        Path p = parent.resolve(name);
        for (int i = 2; Files.exists(p); i++) {
            p = parent.resolve(name + "-" + i);
        }
        return p;
    }
}
