/**
 * Pictures of runs that need no network to make or to view: a self-contained HTML
 * {@link dev.panic.report.Report} per run, a {@link dev.panic.report.ReportIndex} over several runs
 * with their attractors, a {@link dev.panic.report.ContactSheet} PNG of a run's images, and the
 * {@link dev.panic.report.Plots} and HTML {@link dev.panic.report.Fragments} they are made of, for
 * notebooks and custom pages.
 */
package dev.panic.report;
