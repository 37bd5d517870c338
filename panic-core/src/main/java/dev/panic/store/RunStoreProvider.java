package dev.panic.store;

import dev.panic.RunStore;

import java.util.List;

/**
 * Opens run stores named by a URL, so that {@link dev.panic.store.RunStores#open(String)} (and the
 * {@code panic} program's {@code --store}) reach stores of modules core does not depend on, such
 * as {@code postgresql://…} from {@code panic-postgres}. Found by {@link java.util.ServiceLoader}
 * (listed in {@code META-INF/services/dev.panic.store.RunStoreProvider}); it must have a public
 * no-argument constructor.
 */
public interface RunStoreProvider {

    /** The URL schemes it opens, lower case, e.g. {@code postgresql}. */
    List<String> schemes();

    /**
     * Opens the store at {@code location} (a URL with one of its {@linkplain #schemes() schemes}).
     * A store that holds resources (connections) also implements {@link AutoCloseable}.
     *
     * @throws dev.panic.exception.ValidationException if the location is not a valid URL for it
     * @throws dev.panic.exception.PanicException      if the store cannot be reached; the message
     *                                                 names the location without its password
     */
    RunStore open(String location);
}
