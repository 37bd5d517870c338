/** The report module's own helpers: escaping, SVG writing, axis ticks, picture scaling. Not a public API. */
package dev.panic.report.internal;
