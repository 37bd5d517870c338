/**
 * Experiments of many runs: an {@link dev.panic.recipes.experiment.ExperimentSpec} (networks ×
 * prompts × seeds, control arms, embedders, rules, limits, a budget) planned and run together by an
 * {@link dev.panic.recipes.experiment.Experiment} into a folder that can be stopped and resumed;
 * its {@link dev.panic.recipes.experiment.Forecast} of cost and time before anything is called; and
 * the {@link dev.panic.recipes.experiment.ExperimentReport} across its runs: a table per run, the
 * attractor census and a {@link dev.panic.recipes.experiment.MarkovSummary} of the runs' walks
 * between attractors.
 */
package dev.panic.recipes.experiment;
