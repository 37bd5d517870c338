/** Saving runs as they go and reading them back; export to the Fake Panic JSON shape. */
package dev.panic.store;
