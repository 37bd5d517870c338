package dev.panic.internal.store;

import dev.panic.exception.PanicException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.HexFormat;

/** File operations of the store, each turning an {@link IOException} into a {@link PanicException} naming the path. */
final class StoreFiles {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** Writes content to a stream. */
    @FunctionalInterface
    interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    private StoreFiles() {
    }

    /**
     * Writes {@code target} so that readers see either the old file or the whole new one: the
     * content goes to a hidden temporary file in the same folder (same file system, so the move
     * can be a rename), which is then moved over the target.
     */
    static void writeAtomically(Path target, Content content, String what) {
        writeAtomically(target, content, what, false);
    }

    /**
     * As {@link #writeAtomically(Path, Content, String)}; with {@code fsync} the content is forced
     * to the disk before the rename and the folder after it, so a power loss keeps the old file or
     * the new one whole.
     */
    static void writeAtomically(Path target, Content content, String what, boolean fsync) {
        // Not Files.createTempFile: it makes the file owner-only (0600), and run folders are meant to be shared.
        byte[] r = new byte[6];
        RANDOM.nextBytes(r);
        Path tmp = target.resolveSibling("." + target.getFileName() + "." + HexFormat.of().formatHex(r) + ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                 OutputStream out = Channels.newOutputStream(channel)) {
                content.writeTo(out);
                if (fsync) {
                    channel.force(true);
                }
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                // Some file systems (certain network mounts) cannot rename atomically; a plain replace is the best left.
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            if (fsync) {
                forceDirectory(target.getParent());
            }
        } catch (IOException e) {
            deleteQuietly(tmp, e);
            throw new PanicException("could not write " + what + " to " + target + ": " + describe(e)
                    + "; check that the folder exists, is writable and the disk is not full", e);
        } catch (RuntimeException e) {
            deleteQuietly(tmp, e);
            throw e;
        }
    }

    /** Forces a folder's entries (a new or renamed file) to the disk; not every file system can, which is fine. */
    static void forceDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Some platforms cannot open a folder as a channel; the files themselves were forced.
        }
    }

    /** Removes the hidden temporary files ({@code .name.random.tmp}) an interrupted write left in {@code dir}. */
    static void deleteTemporaryFiles(Path dir) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String name = f.getFileName().toString();
                if (name.startsWith(".") && name.endsWith(".tmp")) {
                    Files.deleteIfExists(f);
                }
            }
        } catch (IOException e) {
            throw new PanicException("could not clean the temporary files in " + dir + ": " + describe(e), e);
        }
    }

    static void createDirectories(Path dir, String what) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new PanicException("could not create " + what + " " + dir + ": " + describe(e)
                    + "; check that the parent folder exists and is writable", e);
        }
    }

    static byte[] readAll(Path file, String what) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new PanicException("could not read " + what + " " + file + ": " + describe(e), e);
        }
    }

    /** An exception's class and message, since many IOExceptions carry only a path as their message. */
    static String describe(IOException e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")");
    }

    private static void deleteQuietly(Path tmp, Exception primary) {
        try {
            Files.deleteIfExists(tmp);
        } catch (IOException suppressed) {
            primary.addSuppressed(suppressed);
        }
    }
}
