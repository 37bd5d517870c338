package dev.panic.embeddings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.panic.Embedding;
import dev.panic.Modality;
import dev.panic.Payload;
import dev.panic.exception.ValidationException;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MiniLmEmbedderTest {

    private static final Payload DOG = Payload.text("a dog runs across the park");
    private static final Payload PUPPY = Payload.text("a puppy is running through the park");
    private static final Payload MARKET = Payload.text("the stock market fell sharply today");

    private static MiniLmEmbedder minilm;

    @BeforeAll
    static void loadOnce() {
        minilm = new MiniLmEmbedder().load();
    }

    @Test
    void should_give_384_dimensional_unit_vectors_of_text_only() {
        // when
        Embedding v = minilm.embed(DOG).join();

        // then
        assertThat(minilm.id()).isEqualTo("minilm");
        assertThat(minilm.modalities()).containsExactly(Modality.TEXT);
        assertThat(minilm.dimension()).isEqualTo(384);
        assertThat(v.dimension()).isEqualTo(384);
        assertThat(Sim.norm(v)).isCloseTo(1.0, within(1e-5));
    }

    @Test
    void should_place_a_paraphrase_closer_than_an_unrelated_sentence() {
        // when
        List<Embedding> v = minilm.embedAll(List.of(DOG, PUPPY, MARKET)).join();

        // then
        double paraphrase = v.get(0).cosine(v.get(1));
        double unrelated = v.get(0).cosine(v.get(2));
        assertThat(paraphrase).isGreaterThan(0.6);
        assertThat(unrelated).isLessThan(0.3);
        assertThat(paraphrase).isGreaterThan(unrelated + 0.3);
    }

    @Test
    void should_give_the_same_vectors_in_a_batch_as_one_by_one() {
        // given
        List<Payload> inputs = List.of(DOG, PUPPY, MARKET, Payload.text("a bright image of a large red circle on the left"),
                Payload.text("x"), Payload.text("a much longer caption that has many more words than any of the others,"
                        + " so that the batch holds texts of different lengths"));

        // when
        List<Embedding> batch = minilm.embedAll(inputs).join();

        // then
        assertThat(batch).hasSize(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            float[] alone = minilm.embed(inputs.get(i)).join().toArray();
            float[] together = batch.get(i).toArray();
            for (int d = 0; d < alone.length; d++) {
                assertThat(together[d]).as("input %d, dimension %d", i, d).isCloseTo(alone[d], within(1e-5f));
            }
        }
    }

    @Test
    void should_give_the_same_vector_for_the_same_text_every_time() {
        // when
        List<Embedding> first = minilm.embedAll(List.of(DOG, MARKET)).join();
        List<Embedding> second = minilm.embedAll(List.of(DOG, MARKET)).join();
        Embedding fromAnotherEmbedder = new MiniLmEmbedder().embed(DOG).join();

        // then
        assertThat(second).isEqualTo(first);
        assertThat(fromAnotherEmbedder).isEqualTo(first.get(0));
        assertThat(first.get(0)).isNotEqualTo(first.get(1));
    }

    @Test
    void should_reject_an_image_at_once_with_a_validation_exception() {
        // given
        Payload image = Sim.paint("a red circle");

        // when / then
        assertThatThrownBy(() -> minilm.embedAll(List.of(DOG, image)))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("minilm")
                .hasMessageContaining("input 1 is IMAGE");
        assertThatThrownBy(() -> minilm.embed(null)).isInstanceOf(ValidationException.class);
    }

    @Test
    void should_give_every_blank_text_one_shared_vector() {
        // when
        List<Embedding> v = minilm.embedAll(List.of(Payload.text(""), Payload.text(" \n\t"), DOG)).join();

        // then
        assertThat(v.get(0)).isEqualTo(v.get(1));
        assertThat(Sim.norm(v.get(0))).isCloseTo(1.0, within(1e-5));
        assertThat(v.get(0).cosine(v.get(2))).isLessThan(0.5);
    }

    @Test
    void should_answer_an_empty_batch_with_an_empty_list() {
        // when
        List<Embedding> v = minilm.embedAll(List.of()).join();

        // then
        assertThat(v).isEmpty();
    }

    @Test
    void should_spread_a_batch_over_the_executor_it_was_given() {
        // given
        AtomicInteger tasks = new AtomicInteger();
        Executor counting = task -> {
            tasks.incrementAndGet();
            ForkJoinPool.commonPool().execute(task);
        };
        MiniLmEmbedder withPool = new MiniLmEmbedder(counting);
        List<Payload> inputs = List.of(DOG, PUPPY, MARKET, Payload.text("a blue square at the top"));

        // when
        List<Embedding> v = withPool.embedAll(inputs).join();

        // then
        assertThat(tasks.get()).isPositive();
        assertThat(v).isEqualTo(minilm.embedAll(inputs).join());
    }

    @Test
    void should_refuse_a_null_executor() {
        // when / then
        assertThatThrownBy(() -> new MiniLmEmbedder(null))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("executor");
    }
}
