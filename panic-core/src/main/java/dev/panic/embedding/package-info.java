/** Embedders: vectors of outputs, for measuring how a run's outputs relate to each other. */
package dev.panic.embedding;
