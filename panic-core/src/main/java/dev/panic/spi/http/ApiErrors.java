package dev.panic.spi.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.panic.exception.AuthenticationException;
import dev.panic.exception.ContentRejectedException;
import dev.panic.exception.InvalidRequestException;
import dev.panic.exception.NotFoundException;
import dev.panic.exception.PanicException;
import dev.panic.exception.RateLimitedException;
import dev.panic.exception.CallTimeoutException;
import dev.panic.exception.UnavailableException;
import dev.panic.internal.http.RetryAfter;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The one place where a platform's failure becomes a typed {@link PanicException}, keeping the
 * HTTP status, the platform's own message and any retry-after. It reads the error shapes of every
 * platform we talk to: problem+json ({@code detail}, {@code title}: Replicate), OpenAI's
 * {@code {"error": {"message", "code", "type"}}}, and Ollama's {@code {"error": "..."}}; and it
 * tells, from a failure's own words, a refused content from a passing lack of capacity, for
 * failures that arrive inside successful answers (a prediction that ends {@code failed}).
 *
 * <p>Every text is scrubbed of the key before it is cut: an excerpt never holds part of it.
 */
public final class ApiErrors {

    // Words safety filters use when they refuse an input or an output.
    private static final Pattern CONTENT_REJECTED = Pattern.compile(
            "nsfw|content[ _-]?polic|safety (system|filter|checker)|content[ _-]?filter|moderation|flagged",
            Pattern.CASE_INSENSITIVE);

    // Words of failures that come from the platform's load or hardware, not from the request:
    // a GPU out of memory, a busy or restarting worker, a timeout, an explicit "try again".
    private static final Pattern TRANSIENT = Pattern.compile(
            "out of memory|\\bOOM\\b|capacity|overloaded|temporarily unavailable|try again|retry"
                    + "|timed? ?out|no (available )?workers?|worker (died|crashed|restarted)|connection (reset|refused|error)"
                    + "|service unavailable|internal server error|server is busy|preempted",
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

    /**
     * Reads the message and code from any of the error shapes we know; falls back to a body
     * excerpt. The body must already be scrubbed ({@link Secret#scrub(byte[])}), as the client's are.
     */
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

    /**
     * Maps an error answer (status 400 or more) to the exception for its cause; the body is
     * scrubbed of the key before anything is read from it.
     */
    public static PanicException fromResponse(Context ctx, int status, HttpHeaders headers, byte[] rawBody, Instant now) {
        byte[] body = ctx.secret() == null ? rawBody : ctx.secret().scrub(rawBody);
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
            return new CallTimeoutException(p + " timed out (" + said + "); try again later", null, status, retryAfter);
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

    /**
     * True if a failure's message says it came from the platform's load or hardware (a GPU out of
     * memory, an overloaded or restarting worker, a timeout, "try again"), so that the same request
     * may well succeed later; content refusals are never transient.
     */
    public static boolean isTransient(String message) {
        return message != null && TRANSIENT.matcher(message).find() && !isContentRejection(message, "");
    }

    private static String scrub(Context ctx, String s) {
        return ctx.secret() == null ? s : ctx.secret().scrub(s);
    }
}
