package dev.panic.replicate.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.panic.exception.UnavailableException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The fields of Replicate's prediction object (the answer of predictions.create, predictions.get
 * and predictions.cancel) that PANIC reads. Field names are those of the official API description.
 *
 * @param id          the prediction's id
 * @param model       {@code owner/name} of the model that ran
 * @param version     the version id that ran, or {@code "hidden"} for official models; null if absent
 * @param status      starting, processing, succeeded, failed, canceled or aborted
 * @param output      the model's output, any JSON value; {@code null} node until it succeeded
 * @param error       the error text when it failed, or null
 * @param logs        the model's log output, or null
 * @param predictTime {@code metrics.predict_time}, or null until it finished
 * @param getUrl      {@code urls.get}, or null
 * @param cancelUrl   {@code urls.cancel}, or null
 * @param webUrl      {@code urls.web}, or null
 * @param failedBefore predictions of the same call that failed for a passing reason and were created
 *                     again (their {@code id} and {@code error}), as {@code HttpSettings.paidRetries} allows
 */
public record PredictionResponse(String id, String model, String version, String status, JsonNode output,
                                 String error, String logs, Duration predictTime, String getUrl, String cancelUrl,
                                 String webUrl, List<Map<String, Object>> failedBefore) {

    /** Copies the list. */
    public PredictionResponse {
        failedBefore = List.copyOf(failedBefore == null ? List.of() : failedBefore);
    }

    /** The same prediction, with the failed ones the call made before it. */
    public PredictionResponse withFailedBefore(List<Map<String, Object>> failed) {
        return new PredictionResponse(id, model, version, status, output, error, logs, predictTime, getUrl, cancelUrl,
                webUrl, failed);
    }

    /** The statuses that mean the prediction may still change. */
    public boolean running() {
        return "starting".equals(status) || "processing".equals(status);
    }

    /** The version that ran, unless Replicate hides it (official models). */
    public Optional<String> knownVersion() {
        return version == null || version.isBlank() || "hidden".equals(version) ? Optional.empty() : Optional.of(version);
    }

    /**
     * Reads a prediction object.
     *
     * @throws UnavailableException if it has no id or status: Replicate misbehaved
     */
    public static PredictionResponse parse(JsonNode json) {
        String id = text(json.get("id"));
        String status = text(json.get("status"));
        if (id == null || status == null) {
            throw new UnavailableException("replicate answered with a prediction that has no "
                    + (id == null ? "id" : "status") + "; try again later");
        }
        JsonNode output = json.has("output") ? json.get("output") : NullNode.getInstance();
        JsonNode time = json.path("metrics").path("predict_time");
        Duration predictTime = time.isNumber() && time.asDouble() >= 0
                ? Duration.ofNanos(Math.round(time.asDouble() * 1e9)) : null;
        JsonNode urls = json.path("urls");
        return new PredictionResponse(id, text(json.get("model")), text(json.get("version")), status, output,
                text(json.get("error")), text(json.get("logs")), predictTime, text(urls.get("get")),
                text(urls.get("cancel")), text(urls.get("web")), List.of());
    }

    private static String text(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        // Replicate documents error as a string; a structured one is kept whole rather than lost.
        return node.isValueNode() ? node.asText() : node.toString();
    }
}
