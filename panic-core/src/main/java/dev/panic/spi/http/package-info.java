/**
 * The HTTP layer platform adapters are built on, published as a supported SPI: the types an
 * adapter needs to call a hosted API the way the built-in ones do.
 *
 * <ul>
 *   <li>{@link dev.panic.spi.http.PlatformHttp}: the client of one platform, with its limit and
 *       retry chain (an adaptive, evenly spaced rate limit shared by every run, a cap on calls in
 *       flight, a circuit breaker, retries that honour {@code Retry-After} and a per-call patience),
 *       streamed answers, redirects and capped downloads;</li>
 *   <li>{@link dev.panic.spi.http.ApiRequest} and {@link dev.panic.spi.http.ApiResponse}: what is
 *       sent and what comes back (scrubbed of the key); {@link dev.panic.spi.http.PendingResponse}
 *       to withdraw a paid request that is still waiting;</li>
 *   <li>{@link dev.panic.spi.http.Secret}: the key, which never shows itself and scrubs text;</li>
 *   <li>{@link dev.panic.spi.http.PlatformConfig}: the one way an adapter reads its key and
 *       settings from a {@link dev.panic.PlatformContext};</li>
 *   <li>{@link dev.panic.spi.http.ApiErrors}: failures typed by what helps; {@link dev.panic.spi.http.Json}
 *       and {@link dev.panic.spi.http.Multipart} for bodies.</li>
 * </ul>
 *
 * <p>Settings are {@link dev.panic.http.HttpSettings}, which users pass to an adapter's builder.
 * Media helpers (data URIs, sniffing downloaded bytes, decoding images) are in
 * {@link dev.panic.spi.media}. README's "Adding a platform" walks through an adapter.
 */
package dev.panic.spi.http;
