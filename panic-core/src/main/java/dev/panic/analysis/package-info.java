/**
 * What a run did, worked out afterwards from its predictions and their vectors: similarity
 * matrices, drift curves, the detectors run over the whole trajectory, an exponential fit of the
 * drift ({@link dev.panic.analysis.Analyzer}, {@link dev.panic.analysis.RunAnalysis}); and across
 * runs, which attractors the runs fell into ({@link dev.panic.analysis.Attractors}). Every result is
 * an immutable value.
 */
package dev.panic.analysis;
