package dev.panic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.panic.exception.PanicException;
import dev.panic.exception.ValidationException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BatchEmbedderTest {

    private static Embedding lengthOf(Payload p) {
        return Embedding.of(new float[] {((Payload.Text) p).text().length(), 1});
    }

    @Test
    void embedsABatchThroughTheFunctionInInputOrder() {
        Embedder e = Embedder.of("len", Set.of(Modality.TEXT), 2, "len (test)",
                in -> CompletableFuture.completedFuture(in.stream().map(BatchEmbedderTest::lengthOf).toList()));
        List<Embedding> out = e.embedAll(List.of(Payload.text("ab"), Payload.text("abcd"))).join();
        assertThat(out).extracting(v -> v.get(0)).containsExactly(2f, 4f);
        assertThat(e.embed(Payload.text("xyz")).join().get(0)).isEqualTo(3f);
        assertThat(e.id()).isEqualTo("len");
        assertThat(e.identity()).isEqualTo("len (test)");
        assertThat(e.dimension()).isEqualTo(2);
    }

    @Test
    void checksInputsBeforeTheFunctionAndSkipsItForAnEmptyBatch() {
        AtomicInteger calls = new AtomicInteger();
        Embedder e = Embedder.of("len", Set.of(Modality.TEXT), 2, "len (test)", in -> {
            calls.incrementAndGet();
            return CompletableFuture.completedFuture(in.stream().map(BatchEmbedderTest::lengthOf).toList());
        });
        assertThat(e.embedAll(List.of()).join()).isEmpty();
        List<Payload> withNull = new ArrayList<>();
        withNull.add(null);
        assertThatThrownBy(() -> e.embedAll(withNull)).isInstanceOf(ValidationException.class)
                .hasMessageContaining("input 0 to embedder 'len' is null");
        assertThatThrownBy(() -> e.embed(null)).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> e.embedAll(List.of(Payload.audio(new byte[4], "audio/wav"))))
                .isInstanceOf(ValidationException.class).hasMessageContaining("is AUDIO");
        assertThat(calls).hasValue(0);
    }

    @Test
    void refusesAnAnswerOfTheWrongShape() {
        Embedder tooFew = Embedder.of("few", Set.of(Modality.TEXT), 2, "few",
                in -> CompletableFuture.completedFuture(List.of()));
        assertThatThrownBy(() -> tooFew.embed(Payload.text("a")).join()).isInstanceOf(CompletionException.class)
                .cause().isInstanceOf(PanicException.class).hasMessageContaining("returned 0 vectors for 1 inputs");
        Embedder wrongLength = Embedder.of("long", Set.of(Modality.TEXT), 3, "long",
                in -> CompletableFuture.completedFuture(in.stream().map(BatchEmbedderTest::lengthOf).toList()));
        assertThatThrownBy(() -> wrongLength.embed(Payload.text("a")).join())
                .cause().hasMessageContaining("a vector of 2 values for input 0, expected 3");
    }

    @Test
    void cancellingTheAnswerCancelsTheBatch() {
        CompletableFuture<List<Embedding>> pending = new CompletableFuture<>();
        Embedder e = Embedder.of("slow", Set.of(Modality.TEXT), 2, "slow", in -> pending);
        e.embedAll(List.of(Payload.text("a"))).cancel(true);
        assertThat(pending).isCancelled();
    }

    @Test
    void refusesAMissingIdModalityOrDimension() {
        assertThatThrownBy(() -> Embedder.of(" ", Set.of(Modality.TEXT), 2, "x", in -> null))
                .isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> Embedder.of("x", Set.of(), 2, "x", in -> null)).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> Embedder.of("x", Set.of(Modality.TEXT), 0, "x", in -> null))
                .isInstanceOf(ValidationException.class);
    }
}
