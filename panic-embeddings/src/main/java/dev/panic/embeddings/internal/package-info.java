/**
 * How the offline embedders work: the MiniLM runtime behind langchain4j, image decoding and
 * resampling, the WAV reader, the FFT and the descriptor arithmetic.
 *
 * <p>Not API: anything here may change or go away in any release. Use the classes of
 * {@link dev.panic.embeddings} instead.
 */
package dev.panic.embeddings.internal;
