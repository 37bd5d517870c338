package dev.panic.replicate.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.panic.MediaTypes;
import dev.panic.Payload;
import dev.panic.exception.ContentRejectedException;
import dev.panic.exception.InvalidRequestException;
import dev.panic.exception.PanicException;
import dev.panic.exception.CallTimeoutException;
import dev.panic.exception.UnavailableException;
import dev.panic.spi.http.ApiErrors;
import dev.panic.spi.http.ApiRequest;
import dev.panic.spi.http.Json;
import dev.panic.spi.http.Multipart;
import dev.panic.spi.http.PendingResponse;
import dev.panic.spi.http.PlatformHttp;
import dev.panic.spi.media.DataUri;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replicate's prediction flow over the shared HTTP layer: create (holding the request open with
 * {@code Prefer: wait}), poll while the prediction runs, cancel, upload input files and look up a
 * model's latest version.
 *
 * <p>Two clients of the layer are used because Replicate limits the two kinds of request
 * separately: creating predictions (600 a minute) and every other endpoint (3000 a minute).
 * Creates go through {@code creates} as {@link ApiRequest.Kind#CREATE} requests, so a create is
 * repeated only when Replicate refused it (429) or never received it; everything else is a
 * {@link ApiRequest.Kind#READ} through {@code reads} and repeated through transient failures.
 */
public final class ReplicateClient {

    /** Files up to this size are sent inline as data URLs; Replicate's API description says {@code <= 256kb}. */
    public static final int DATA_URL_LIMIT = 256 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(ReplicateClient.class);

    private final URI baseUrl;
    private final PlatformHttp creates;
    private final PlatformHttp reads;
    private final FlowSettings flow;
    private final Map<String, CompletableFuture<String>> latestVersions = new ConcurrentHashMap<>();

    /**
     * @param baseUrl the API root, e.g. {@code https://api.replicate.com/v1}
     * @param creates the client for prediction creations, limited to Replicate's creation rate
     * @param reads   the client for every other request
     * @param flow    sync wait, polling and deadlines
     */
    public ReplicateClient(URI baseUrl, PlatformHttp creates, PlatformHttp reads, FlowSettings flow) {
        String s = baseUrl.toString();
        this.baseUrl = URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
        this.creates = creates;
        this.reads = reads;
        this.flow = flow;
    }

    /** The client for reads, polls and downloads. */
    public PlatformHttp reads() {
        return reads;
    }

    /**
     * Runs a prediction to its end. The future completes with the succeeded prediction, or
     * exceptionally with a typed {@link PanicException}; cancelling it cancels the prediction on
     * Replicate, at once if it was already created, else as soon as its creation is answered.
     *
     * @param model   {@code owner/name}
     * @param version the version id, or null for an official model (called by name)
     * @param input   the model's input object
     */
    public CompletableFuture<PredictionResponse> predict(String model, String version, ObjectNode input) {
        Call call = new Call(model, version, input);
        call.start();
        return call.result;
    }

    /**
     * The id of the latest version of {@code model} ({@code GET /models/{owner}/{name}},
     * {@code latest_version.id}), asked once per platform and then remembered; a failed look-up
     * is forgotten so the next call asks again.
     */
    public CompletableFuture<String> latestVersion(String model) {
        CompletableFuture<String> known = latestVersions.computeIfAbsent(model, m ->
                reads.send(ApiRequest.get(uri("/models/" + m))).thenApply(r -> {
                    String id = r.json().path("latest_version").path("id").asText("");
                    if (id.isBlank()) {
                        throw new InvalidRequestException("Replicate model '" + m + "' has no latest version to run;"
                                + " declare it with a version id, or as official if it is an official model");
                    }
                    LOG.debug("replicate: latest version of {} is {}", m, id);
                    return id;
                }));
        known.whenComplete((v, e) -> {
            if (e != null) {
                latestVersions.remove(model, known);
            }
        });
        // A copy, so that a caller cancelling its call does not cancel the look-up other calls share.
        return known.copy();
    }

    /**
     * Makes an image or sound ready to be an input: a data URL when it is small, else an upload to
     * {@code POST /files} whose {@code urls.get} the model fetches.
     */
    public CompletableFuture<FileInput> fileInput(Payload media) {
        byte[] bytes;
        String mediaType;
        if (media instanceof Payload.Image i) {
            bytes = i.data().toByteArray();
            mediaType = i.mediaType();
        } else if (media instanceof Payload.Audio a) {
            bytes = a.data().toByteArray();
            mediaType = a.mediaType();
        } else {
            throw new IllegalArgumentException("not a file payload: " + media.modality());
        }
        String what = media.summary(80);
        if (bytes.length <= DATA_URL_LIMIT) {
            return CompletableFuture.completedFuture(new FileInput(DataUri.encode(bytes, mediaType),
                    what + " (sent inline as a data URL)"));
        }
        return upload(bytes, mediaType).thenApply(url -> new FileInput(url, what + " (uploaded as " + url + ")"));
    }

    /**
     * An input file's value and how to record it: the value may be a long data URL, which must not
     * end up in metadata.
     *
     * @param value    what the model's input field receives
     * @param recorded a short description for metadata
     */
    public record FileInput(String value, String recorded) {
    }

    /**
     * Uploads an image or sound to {@code POST /files} whatever its size, for models whose input is
     * a plain string and so cannot take a data URL; completes with the file's {@code urls.get}.
     */
    public CompletableFuture<String> uploadedFile(Payload media) {
        if (media instanceof Payload.Image i) {
            return upload(i.data().toByteArray(), i.mediaType());
        }
        if (media instanceof Payload.Audio a) {
            return upload(a.data().toByteArray(), a.mediaType());
        }
        throw new IllegalArgumentException("not a file payload: " + media.modality());
    }

    private CompletableFuture<String> upload(byte[] bytes, String mediaType) {
        String fileName = "input." + MediaTypes.extension(mediaType);
        Multipart form = new Multipart()
                .file("content", fileName, mediaType, bytes)
                .field("type", mediaType)
                .field("filename", fileName);
        // Repeating an upload at worst leaves a second copy that expires: safe to treat as a read.
        ApiRequest request = new ApiRequest("POST", uri("/files"), Map.of(), form.body(), form.contentType(),
                ApiRequest.Kind.READ, null);
        return reads.send(request).thenApply(r -> {
            String url = r.json().path("urls").path("get").asText("");
            if (url.isBlank()) {
                throw new UnavailableException("replicate answered a file upload without urls.get; try again later");
            }
            LOG.debug("replicate: uploaded {} bytes of {} as {}", bytes.length, mediaType, url);
            return url;
        });
    }

    private URI uri(String path) {
        return URI.create(baseUrl + path);
    }

    /**
     * Replicate's own address for a prediction, unless the answer named one on the API host:
     * following an address from an answer elsewhere would send the token there.
     */
    private URI sameHost(String given, String fallbackPath) {
        if (given != null) {
            try {
                URI u = URI.create(given);
                if (Objects.equals(u.getScheme(), baseUrl.getScheme())
                        && Objects.equals(u.getRawAuthority(), baseUrl.getRawAuthority())) {
                    return u;
                }
            } catch (IllegalArgumentException ignored) {
                // fall back to the address we build ourselves
            }
        }
        return uri(fallbackPath);
    }

    /** One prediction from creation to its end, with its cancellation and, if allowed, its retries. */
    private final class Call {
        final CompletableFuture<PredictionResponse> result = new CompletableFuture<>();
        private final String model;
        private final String version;
        private final ObjectNode input;
        private final List<Map<String, Object>> failedBefore = new ArrayList<>();
        private final AtomicBoolean cancelSent = new AtomicBoolean();
        private volatile long deadline;
        private volatile String id;
        private volatile URI cancelUri;
        private volatile PendingResponse creating;
        private volatile ScheduledFuture<?> nextPoll;

        Call(String model, String version, ObjectNode input) {
            this.model = model;
            this.version = version;
            this.input = input;
        }

        void start() {
            result.whenComplete((r, e) -> {
                if (result.isCancelled()) {
                    ScheduledFuture<?> poll = nextPoll;
                    if (poll != null) {
                        poll.cancel(false);
                    }
                    PendingResponse sending = creating;
                    if (id != null) {
                        cancelRemotely("the call was cancelled");
                    } else if (sending != null && sending.withdraw()) {
                        LOG.debug("replicate: a create of {} was withdrawn before it was sent", model);
                    }
                }
            });
            create();
        }

        private void create() {
            deadline = System.nanoTime() + flow.predictionTimeout().toNanos();
            ObjectNode body = Json.object();
            URI target;
            if (version == null) {
                target = uri("/models/" + model + "/predictions");
            } else {
                target = uri("/predictions");
                body.put("version", version);
            }
            body.set("input", input);
            ApiRequest request = ApiRequest.create(target, Json.bytes(body));
            long wait = flow.syncWait().toSeconds();
            if (wait > 0) {
                request = request.withHeader("Prefer", "wait=" + wait);
            }
            if (flow.cancelAfter() != null) {
                request = request.withHeader("Cancel-After", flow.cancelAfter().toSeconds() + "s");
            }
            PendingResponse sending = creates.send(request);
            creating = sending;
            // A cancel that came before `creating` was set did not see it: withdraw here instead.
            if (result.isCancelled()) {
                sending.withdraw();
            }
            sending.whenComplete((response, error) -> {
                if (error != null) {
                    fail(error);
                    return;
                }
                PredictionResponse p;
                try {
                    p = PredictionResponse.parse(response.json());
                } catch (PanicException e) {
                    fail(e);
                    return;
                }
                // The id is published before the cancelled check, and cancel() sets its state before
                // reading the id, so a cancel racing this answer is seen by one side or the other.
                cancelUri = sameHost(p.cancelUrl(), "/predictions/" + p.id() + "/cancel");
                id = p.id();
                LOG.debug("replicate: prediction {} of {} created, {}", p.id(), model, p.status());
                if (result.isCancelled()) {
                    cancelRemotely("the call was cancelled before Replicate answered its creation");
                    return;
                }
                handle(p, flow.pollInterval());
            });
        }

        private void handle(PredictionResponse p, Duration wait) {
            if (result.isDone()) {
                return;
            }
            switch (p.status()) {
                case "succeeded" -> result.complete(p.withFailedBefore(failedBefore));
                case "failed" -> failedOrRetried(p);
                case "canceled" -> result.completeExceptionally(canceled(p));
                case "aborted" -> result.completeExceptionally(new UnavailableException("replicate prediction "
                        + p.id() + " of " + model + " was aborted before it started running (for example its"
                        + " Cancel-After deadline passed while it waited for a worker); try again later"));
                case "starting", "processing" -> pollLater(p, wait);
                default -> {
                    cancelRemotely("its status '" + p.status() + "' is unknown");
                    result.completeExceptionally(new UnavailableException("replicate prediction " + p.id() + " of "
                            + model + " has a status PANIC does not know: '" + p.status() + "'"));
                }
            }
        }

        /**
         * A prediction that failed for a passing reason (a GPU out of memory, a busy worker) is
         * created again if {@link dev.panic.http.HttpSettings#paidRetries()} allows, since the one
         * that failed may have been billed; each failed one is recorded with the one that succeeds.
         */
        private void failedOrRetried(PredictionResponse p) {
            PanicException failure = failed(p);
            int allowed = creates.settings().paidRetries();
            if (!(failure instanceof UnavailableException) || failedBefore.size() >= allowed) {
                result.completeExceptionally(failure);
                return;
            }
            failedBefore.add(Map.of("id", p.id(), "error", reads.scrub(p.error() == null ? "" : p.error().strip())));
            LOG.debug("replicate: prediction {} of {} failed for a passing reason; creating it again ({} of {} allowed)",
                    p.id(), model, failedBefore.size(), allowed);
            id = null;
            cancelSent.set(false);
            nextPoll = reads.scheduler().schedule(this::create, flow.pollInterval().toNanos(), TimeUnit.NANOSECONDS);
            if (result.isDone()) {
                nextPoll.cancel(false);
            }
        }

        private void pollLater(PredictionResponse p, Duration wait) {
            if (System.nanoTime() + wait.toNanos() - deadline > 0) {
                cancelRemotely("it ran past the prediction timeout");
                result.completeExceptionally(new CallTimeoutException("replicate prediction " + p.id() + " of " + model
                        + " did not finish within " + flow.predictionTimeout() + " (it was " + p.status()
                        + "), so it was cancelled; raise predictionTimeout for slow models"));
                return;
            }
            URI poll = sameHost(p.getUrl(), "/predictions/" + p.id());
            Duration next = Duration.ofNanos(Math.min(flow.maxPollInterval().toNanos(),
                    Math.round(wait.toNanos() * FlowSettings.POLL_GROWTH)));
            nextPoll = reads.scheduler().schedule(() -> reads.send(ApiRequest.get(poll)).whenComplete((r, e) -> {
                if (e != null) {
                    cancelRemotely("polling it failed");
                    fail(e);
                    return;
                }
                try {
                    handle(PredictionResponse.parse(r.json()), next);
                } catch (PanicException pe) {
                    cancelRemotely("its state could not be read");
                    fail(pe);
                }
            }), wait.toNanos(), TimeUnit.NANOSECONDS);
            if (result.isDone()) {
                nextPoll.cancel(false);
            }
        }

        /** Cancels the prediction on Replicate once, best effort: the caller has already moved on. */
        private void cancelRemotely(String why) {
            String pid = id;
            if (pid == null || !cancelSent.compareAndSet(false, true)) {
                return;
            }
            LOG.debug("replicate: cancelling prediction {} of {} because {}", pid, model, why);
            // Cancelling twice is harmless, so it may be repeated like a read.
            ApiRequest cancel = new ApiRequest("POST", cancelUri, Map.of(), null, null, ApiRequest.Kind.READ, null);
            reads.send(cancel).whenComplete((r, e) -> {
                if (e != null) {
                    LOG.warn("replicate: could not cancel prediction {} of {}: {}", pid, model,
                            PanicException.from(e).getMessage());
                }
            });
        }

        private void fail(Throwable error) {
            result.completeExceptionally(PanicException.from(error));
        }

        /**
         * Typed by what helps: a safety filter's refusal (change the input), a passing lack of
         * capacity (retriable: the same input may work later), or anything else (check the input).
         */
        private PanicException failed(PredictionResponse p) {
            String said = p.error() == null || p.error().isBlank() ? "no reason given" : reads.scrub(p.error().strip());
            String head = "replicate prediction " + p.id() + " of " + model + " failed: " + said;
            if (ApiErrors.isContentRejection(said, "")) {
                return new ContentRejectedException(head + "; change the input, retrying it unchanged will not help");
            }
            if (ApiErrors.isTransient(said)) {
                int allowed = creates.settings().paidRetries();
                return new UnavailableException(head + "; this is a passing failure on Replicate's side, so the same"
                        + " input may work later" + (allowed == 0
                        ? " (not created again automatically, since each try may be billed: HttpSettings.paidRetries allows it)"
                        : " (created " + allowed + " times more already, as HttpSettings.paidRetries allows)"));
            }
            return new InvalidRequestException(head + "; check the input and the model's parameters");
        }

        private PanicException canceled(PredictionResponse p) {
            String head = "replicate prediction " + p.id() + " of " + model + " was canceled on Replicate";
            if (flow.cancelAfter() != null) {
                return new CallTimeoutException(head + ", most likely at its Cancel-After deadline of "
                        + flow.cancelAfter() + "; raise cancelAfter for slow models");
            }
            return new PanicException(head + " (by someone with access to the account, or at a deadline)");
        }
    }
}
