/**
 * PANIC's web frontend, {@link dev.panic.web.PanicServer}: what {@code panic serve} starts.
 */
package dev.panic.web;
