package dev.panic.report.internal;

import dev.panic.exception.PanicException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writing what the report module makes, with one clear error when it cannot. */
public final class Output {
    private Output() {
    }

    /** Writes {@code bytes} to {@code file}, creating its folder if needed, and returns the file. */
    public static Path write(Path file, byte[] bytes) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.write(file, bytes);
            return file;
        } catch (IOException e) {
            throw new PanicException("could not write " + file + ": " + e.getMessage()
                    + "; check that the folder exists and is writable", e);
        }
    }
}
