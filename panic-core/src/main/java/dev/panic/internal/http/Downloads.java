package dev.panic.internal.http;

import dev.panic.Modality;
import dev.panic.Payload;
import dev.panic.exception.InvalidRequestException;
import dev.panic.exception.PanicException;
import dev.panic.exception.ValidationException;
import dev.panic.spi.Futures;
import dev.panic.spi.http.ApiRequest;
import dev.panic.spi.http.ApiResponse;
import dev.panic.spi.media.DataUri;
import dev.panic.spi.media.MediaBytes;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;

/**
 * Fetches output files into payloads. Only {@code https:} and {@code data:} addresses are
 * accepted ({@code http:} only to this machine, for local servers and tests); the size is capped
 * while reading, so an oversized output is never held whole, and the type must be an image or
 * sound as expected (sniffed from the bytes when the server says only
 * {@code application/octet-stream}). The bytes are kept at once, because platforms' output URLs
 * expire.
 */
public final class Downloads {

    private final String platform;
    private final long maxBytes;
    private final BiFunction<ApiRequest, Long, CompletableFuture<ApiResponse>> get;
    private final UnaryOperator<String> scrub;

    /**
     * @param get   sends a request through the platform's chain with a cap on the answer's size
     * @param scrub removes the key from text
     */
    public Downloads(String platform, long maxBytes, BiFunction<ApiRequest, Long, CompletableFuture<ApiResponse>> get,
                     UnaryOperator<String> scrub) {
        this.platform = platform;
        this.maxBytes = maxBytes;
        this.get = get;
        this.scrub = scrub;
    }

    /** Fetches {@code address} as a payload of {@code expected} modality. */
    public CompletableFuture<Payload> fetch(String address, Modality expected) {
        URI uri;
        try {
            if (address.startsWith("data:")) {
                DataUri.Decoded d = DataUri.decode(address);
                if (d.bytes().length > maxBytes) {
                    throw new InvalidRequestException(platform + " sent a data URI of " + d.bytes().length
                            + " bytes, more than maxDownloadBytes " + maxBytes);
                }
                return CompletableFuture.completedFuture(MediaBytes.payload(d.bytes(), d.mediaType(), expected,
                        "a data URI"));
            }
            uri = URI.create(address);
        } catch (IllegalArgumentException e) {
            String shown = scrub.apply(address);
            return CompletableFuture.failedFuture(new InvalidRequestException(platform
                    + " gave an output address that is not a URI: '"
                    + (shown.length() > 120 ? shown.substring(0, 120) + "…" : shown) + "'", e));
        } catch (PanicException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (!Exchange.isAllowedDownload(uri)) {
            return CompletableFuture.failedFuture(new ValidationException("refusing to fetch output from '"
                    + scrub.apply(uri.toString()) + "': only https: and data: addresses are fetched (http: only from this machine)"));
        }
        String from = scrub.apply(uri.toString());
        return Futures.linked(get.apply(ApiRequest.get(uri), maxBytes),
                r -> MediaBytes.payload(r.body(), r.header("Content-Type").orElse(""), expected, from));
    }
}
