/**
 * Opening run stores by location and copying runs between them ({@link dev.panic.store.RunStores},
 * {@link dev.panic.store.RunStoreProvider}); export to the Fake Panic JSON shape. The store itself,
 * {@link dev.panic.RunStore}, lives in {@code dev.panic} beside the runs it keeps.
 */
package dev.panic.store;
