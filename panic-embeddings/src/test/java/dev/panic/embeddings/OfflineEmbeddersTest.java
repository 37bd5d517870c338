package dev.panic.embeddings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.panic.Modality;
import dev.panic.Embedder;
import dev.panic.exception.ValidationException;
import java.util.List;
import org.junit.jupiter.api.Test;

class OfflineEmbeddersTest {

    @Test
    void should_pick_the_embedder_of_each_modality() {
        // when / then
        assertThat(OfflineEmbedders.forModality(Modality.TEXT)).isInstanceOf(MiniLmEmbedder.class)
                .isSameAs(OfflineEmbedders.text());
        assertThat(OfflineEmbedders.forModality(Modality.IMAGE)).isInstanceOf(ImageDescriptorEmbedder.class)
                .isSameAs(OfflineEmbedders.image());
        assertThat(OfflineEmbedders.forModality(Modality.AUDIO)).isInstanceOf(AudioDescriptorEmbedder.class)
                .isSameAs(OfflineEmbedders.audio());
        for (Modality m : Modality.values()) {
            assertThat(OfflineEmbedders.forModality(m).modalities()).containsExactly(m);
        }
    }

    @Test
    void should_list_one_embedder_per_modality_with_distinct_ids() {
        // when
        List<Embedder> all = OfflineEmbedders.all();

        // then
        assertThat(all).extracting(e -> e.modalities().iterator().next())
                .containsExactly(Modality.TEXT, Modality.IMAGE, Modality.AUDIO);
        assertThat(all).extracting(Embedder::id).containsExactly("minilm", "image-descriptor", "audio-descriptor");
        assertThat(all).allSatisfy(e -> assertThat(e).isSameAs(OfflineEmbedders.forModality(e.modalities().iterator().next())));
        assertThatThrownBy(() -> all.add(new ImageDescriptorEmbedder())).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void should_refuse_a_null_modality() {
        // when / then
        assertThatThrownBy(() -> OfflineEmbedders.forModality(null)).isInstanceOf(ValidationException.class);
    }
}
