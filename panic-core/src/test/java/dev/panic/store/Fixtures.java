package dev.panic.store;

import dev.panic.Embedding;
import dev.panic.Metadata;
import dev.panic.ModelId;
import dev.panic.Payload;
import dev.panic.Prediction;
import dev.panic.RunInfo;
import dev.panic.RunSpec;
import dev.panic.RunStatus;
import dev.panic.StopReason;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/** Small builders shared by the store tests, and by the stores of other modules through the test jar. */
public final class Fixtures {

    public static final Instant T0 = Instant.parse("2025-01-31T12:00:00.123456789Z");
    public static final ModelId PAINTER = ModelId.parse("sim:painter");
    public static final ModelId DESCRIBER = ModelId.parse("sim:describer");

    private Fixtures() {
    }

    public static RunInfo running(String runId, Payload initialInput, Instant startedAt) {
        return info(runId, List.of(PAINTER, DESCRIBER), initialInput, RunStatus.RUNNING, null, startedAt, null, 0,
                List.of());
    }

    public static RunInfo completed(String runId, Payload initialInput, Instant startedAt, int predictions) {
        return info(runId, List.of(PAINTER, DESCRIBER), initialInput, RunStatus.COMPLETED,
                StopReason.of("max-steps", "reached " + predictions + " steps",
                        predictions == 0 ? OptionalInt.empty() : OptionalInt.of(predictions - 1)), startedAt,
                startedAt.plusSeconds(60), predictions, List.of());
    }

    /** A run of a ring of these models, with no rules: what a store needs to know of a run. */
    public static RunInfo info(String runId, List<ModelId> network, Payload initialInput, RunStatus status, StopReason reason,
                        Instant startedAt, Instant finishedAt, int predictions, List<StopReason> observations) {
        return new RunInfo(runId, ringSpec(network, initialInput), status, Optional.ofNullable(reason), startedAt,
                Optional.ofNullable(finishedAt), predictions, observations, null, 0);
    }

    public static RunSpec ringSpec(List<ModelId> network, Payload input) {
        List<RunSpec.NodeSpec> nodes = new java.util.ArrayList<>();
        List<String> ids = new java.util.ArrayList<>();
        for (ModelId m : network) {
            String id = dev.panic.internal.RingIds.unique(m, ids);
            ids.add(id);
            nodes.add(new RunSpec.NodeSpec(id, m, dev.panic.Parameters.empty(), null, Map.of()));
        }
        return new RunSpec(new RunSpec.NetworkSpec(nodes, dev.panic.internal.RingIds.ringLinks(ids), null), input,
                List.of(), List.of(), List.of(), null, null, 1, Long.MAX_VALUE, false, null);
    }

    public static Prediction ok(String runId, int seq, Payload in, Payload out) {
        Instant at = T0.plusSeconds(seq);
        return new Prediction(runId, seq, seq % 2 == 0 ? "painter" : "describer", seq % 2 == 0 ? PAINTER : DESCRIBER,
                in, out, at, at.plusMillis(750), Metadata.empty(), Map.of(), null, 0);
    }

    public static Prediction ok(String runId, int seq, Payload in, Payload out, Map<String, Embedding> embeddings) {
        Instant at = T0.plusSeconds(seq);
        return new Prediction(runId, seq, seq % 2 == 0 ? "painter" : "describer", seq % 2 == 0 ? PAINTER : DESCRIBER,
                in, out, at, at.plusMillis(750), Metadata.empty(), embeddings, null, 0);
    }

    public static Prediction failed(String runId, int seq, Payload in) {
        Instant at = T0.plusSeconds(seq);
        return new Prediction(runId, seq, seq % 2 == 0 ? "painter" : "describer", seq % 2 == 0 ? PAINTER : DESCRIBER,
                in, null, at, at.plusMillis(10), null, null, new Prediction.Failure("RateLimitedException",
                "slow down: 429"), 0);
    }

    /** Distinct, deterministic "image" bytes; the store does not decode images, so any bytes do. */
    public static Payload.Image image(int n) {
        byte[] b = new byte[256 + n];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (i * 31 + n);
        }
        return Payload.image(b, "image/png");
    }

    public static Payload.Audio audio(int n) {
        byte[] b = new byte[512 + n];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (i * 7 + n);
        }
        return Payload.audio(b, "audio/wav");
    }

    public static Duration ms(long millis) {
        return Duration.ofMillis(millis);
    }
}
