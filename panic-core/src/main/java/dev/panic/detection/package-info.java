/**
 * Detectors of what closed loops do — settle on a fixed point, fall into a cycle, drift away —
 * as {@link dev.panic.StopRule}s, to stop a run ({@code stopWhen}) or to note where it would have
 * stopped ({@code observe}). Start at {@link dev.panic.detection.Detectors}.
 */
package dev.panic.detection;
