package dev.panic.store;

import dev.panic.Embedding;
import dev.panic.Metadata;
import dev.panic.ModelId;
import dev.panic.Payload;
import dev.panic.Prediction;
import dev.panic.RunInfo;
import dev.panic.RunStatus;
import dev.panic.StopReason;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Small builders shared by the store tests. */
final class Fixtures {

    static final Instant T0 = Instant.parse("2025-01-31T12:00:00.123456789Z");
    static final ModelId PAINTER = ModelId.parse("sim:painter");
    static final ModelId DESCRIBER = ModelId.parse("sim:describer");

    private Fixtures() {
    }

    static RunInfo running(String runId, Payload initialInput, Instant startedAt) {
        return new RunInfo(runId, List.of(PAINTER, DESCRIBER), initialInput, RunStatus.RUNNING, null, startedAt,
                null, 0, List.of());
    }

    static RunInfo completed(String runId, Payload initialInput, Instant startedAt, int predictions) {
        return new RunInfo(runId, List.of(PAINTER, DESCRIBER), initialInput, RunStatus.COMPLETED,
                StopReason.of("max-steps", "reached " + predictions + " steps", predictions - 1), startedAt,
                startedAt.plusSeconds(60), predictions, List.of());
    }

    static Prediction ok(String runId, int seq, Payload in, Payload out) {
        Instant at = T0.plusSeconds(seq);
        return new Prediction(runId, seq, seq % 2 == 0 ? PAINTER : DESCRIBER, in, out, at, at.plusMillis(750),
                Metadata.empty(), Map.of(), null);
    }

    static Prediction ok(String runId, int seq, Payload in, Payload out, Map<String, Embedding> embeddings) {
        Instant at = T0.plusSeconds(seq);
        return new Prediction(runId, seq, seq % 2 == 0 ? PAINTER : DESCRIBER, in, out, at, at.plusMillis(750),
                Metadata.empty(), embeddings, null);
    }

    static Prediction failed(String runId, int seq, Payload in) {
        Instant at = T0.plusSeconds(seq);
        return new Prediction(runId, seq, PAINTER, in, null, at, at.plusMillis(10), null, null,
                new Prediction.Failure("RateLimitedException", "slow down: 429"));
    }

    /** Distinct, deterministic "image" bytes; the store does not decode images, so any bytes do. */
    static Payload.Image image(int n) {
        byte[] b = new byte[256 + n];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (i * 31 + n);
        }
        return Payload.image(b, "image/png");
    }

    static Payload.Audio audio(int n) {
        byte[] b = new byte[512 + n];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (i * 7 + n);
        }
        return Payload.audio(b, "audio/wav");
    }

    static Duration ms(long millis) {
        return Duration.ofMillis(millis);
    }
}
