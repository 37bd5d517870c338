/**
 * Benchmark programs, one main class each, run by hand on a quiet machine; the README keeps their
 * figures and the command that repeats them. Tests never assert timings.
 */
package dev.panic.benchmarks;
