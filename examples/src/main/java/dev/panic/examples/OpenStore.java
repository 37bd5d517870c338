package dev.panic.examples;

import dev.panic.RunStore;
import dev.panic.store.RunStores;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A run store a command opened from its {@code --store} option (a folder, or a URL such as
 * {@code postgresql://user@host:5432/db}), closed when the command is done.
 *
 * @param store    the store
 * @param location what the user gave, without any password
 */
record OpenStore(RunStore store, String location) implements AutoCloseable {

    /** The help text of every {@code --store} option. */
    static final String HELP = "Where runs are saved: a folder, or a store URL such as "
            + "postgresql://user@host:5432/db (password in PGPASSWORD or ~/.pgpass). Default: ${DEFAULT-VALUE}.";

    static OpenStore open(String location) {
        RunStore store = RunStores.open(location);
        // A URL may hold a password: messages show it without.
        return new OpenStore(store, isUrl(location) ? location.replaceFirst("(?<=://)([^:/@]*):[^@/]*@", "$1@")
                : location);
    }

    /** A folder of runs, as a command that takes a folder (not a URL) opens it. */
    static OpenStore folder(Path dir) {
        return new OpenStore(RunStore.directory(dir), dir.toString());
    }

    /** True for a store URL, false for a folder. */
    static boolean isUrl(String location) {
        return location.matches("[A-Za-z][A-Za-z0-9+.-]+://.*");
    }

    /** True if the location is a folder that does not exist: nothing was ever saved there. */
    static boolean isMissingFolder(String location) {
        return !isUrl(location) && !Files.isDirectory(Path.of(location));
    }

    /** Where a run is, for messages: its folder, or its id in a database. */
    String where(String runId) {
        return isUrl(location) ? "run " + runId + " in " + location : Path.of(location).resolve(runId).toString();
    }

    @Override
    public void close() {
        if (store instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                throw new IllegalStateException("could not close " + store + ": " + e.getMessage(), e);
            }
        }
    }
}
