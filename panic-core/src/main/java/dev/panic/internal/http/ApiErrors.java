package dev.panic.internal.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.panic.exception.AuthenticationException;
import dev.panic.exception.ContentRejectedException;
import dev.panic.exception.InvalidRequestException;
import dev.panic.exception.NotFoundException;
import dev.panic.exception.PanicException;
import dev.panic.exception.RateLimitedException;
import dev.panic.exception.TimeoutException;
import dev.panic.exception.UnavailableException;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The one place where a platform's error answer becomes a typed {@link PanicException}, keeping
 * the HTTP status, the platform's own message and any retry-after. It reads the error shapes of
 * every platform we talk to: problem+json ({@code detail}, {@code title}: Replicate), OpenAI's
 * {@code {"error": {"message", "code", "type"}}}, and Ollama's {@code {"error": "..."}}.
 */
public final class ApiErrors {

    // Words safety filters use when they refuse an input or an output.
    private static final Pattern CONTENT_REJECTED = Pattern.compile(
            "nsfw|content[ _-]?polic|safety (system|filter|checker)|content[ _-]?filter|moderation|flagged",
            Pattern.CASE_INSENSITIVE);

    private ApiErrors() {
    }

    /**
     * What a platform needs to explain its errors.
     *
     * @param platform the platform id, e.g. {@code replicate}
     * @param keyHint  what to do when the key is refused, e.g. "set REPLICATE_API_TOKEN to a token from ..."
     * @param secret   the key, scrubbed from every message; null if there is none
     */
    public record Context(String platform, String keyHint, Secret secret) {
    }

    /**
     * What an error body says.
     *
     * @param message the platform's message, or "" if it gave none
     * @param code    its machine-readable code ({@code insufficient_quota}...), or "" if none
     */
    public record Detail(String message, String code) {
    }

    /** Reads the message and code from any of the error shapes we know; falls back to a body excerpt. */
    public static Detail detail(byte[] body) {
        Optional<JsonNode> json = Json.tryParse(body);
        if (json.isEmpty() || !json.get().isObject()) {
            return new Detail(Json.excerpt(body, 300), "");
        }
        JsonNode n = json.get();
        JsonNode error = n.path("error");
        String message = firstText(n.path("detail"), error.path("message"), error.isTextual() ? error : null,
                n.path("message"), n.path("title"));
        String code = firstText(error.path("code"), error.path("type"), n.path("code"));
        return new Detail(message, code);
    }

    private static String firstText(JsonNode... nodes) {
        for (JsonNode node : nodes) {
            if (node != null && node.isValueNode() && !node.isNull() && !node.asText().isBlank()) {
                return node.asText().strip();
            }
        }
        return "";
    }

    /** Maps an error answer (status 400 or more) to the exception for its cause. */
    public static PanicException fromResponse(Context ctx, int status, HttpHeaders headers, byte[] body, Instant now) {
        Detail d = detail(body);
        Duration retryAfter = RetryAfter.parseHeader(headers.firstValue("Retry-After").orElse(null), now)
                .or(() -> Json.tryParse(body).flatMap(RetryAfter::fromBody)).orElse(null);
        String said = scrub(ctx, status + (d.message().isEmpty() ? "" : ": " + d.message())
                + (d.code().isEmpty() ? "" : " [" + d.code() + "]"));
        String p = ctx.platform();
        String code = d.code().toLowerCase(Locale.ROOT);

        if (code.equals("insufficient_quota") || code.equals("billing_hard_limit_reached")) {
            return new InvalidRequestException(p + " says the account's quota is used up (" + said
                    + "); add credit or raise the limit in your account. Retrying will not help", null, status, null);
        }
        if (status == 401 || status == 403 || code.equals("invalid_api_key")) {
            return new AuthenticationException(p + " refused the credentials (" + said + "); " + ctx.keyHint(),
                    null, status, null);
        }
        if (isContentRejection(d.message(), code)) {
            return new ContentRejectedException(p + " refused the content (" + said
                    + "); change the input, retrying it unchanged will not help", null, status, null);
        }
        if (status == 429) {
            return new RateLimitedException(p + " is rate limiting us (" + said + ")"
                    + (retryAfter == null ? "" : "; it asked us to wait " + retryAfter.toMillis() + " ms"),
                    null, status, retryAfter);
        }
        if (status == 404) {
            return new NotFoundException(p + " has no such resource (" + said + "); check the model name or id",
                    null, status, null);
        }
        if (status == 408 || status == 504) {
            return new TimeoutException(p + " timed out (" + said + "); try again later", null, status, retryAfter);
        }
        if (status >= 500) {
            return new UnavailableException(p + " failed on its side (" + said + "); try again later",
                    null, status, retryAfter);
        }
        return new InvalidRequestException(p + " rejected the request (" + said + ")", null, status, null);
    }

    /** True if a platform's message or code says a safety filter refused the content. */
    public static boolean isContentRejection(String message, String code) {
        String c = code == null ? "" : code.toLowerCase(Locale.ROOT);
        return c.contains("content_policy") || c.contains("content_filter") || c.contains("moderation")
                || (message != null && CONTENT_REJECTED.matcher(message).find());
    }

    private static String scrub(Context ctx, String s) {
        return ctx.secret() == null ? s : ctx.secret().scrub(s);
    }
}
