/**
 * Helpers for writing a platform adapter: {@link dev.panic.spi.Futures} (cancellation that reaches
 * the work behind a future), the HTTP layer ({@code dev.panic.spi.http}), media handling
 * ({@code dev.panic.spi.media}) and JSON answers checked against a schema ({@code dev.panic.spi.json}). The provider interfaces themselves live in {@code dev.panic}:
 * implement {@link dev.panic.PlatformProvider} and {@link dev.panic.Platform}, list the provider in
 * {@code META-INF/services/dev.panic.PlatformProvider}, and PANIC finds it.
 */
package dev.panic.spi;
