package dev.panic.embeddings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.panic.Embedding;
import dev.panic.Modality;
import dev.panic.Payload;
import dev.panic.exception.InvalidRequestException;
import dev.panic.exception.ValidationException;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class ImageDescriptorEmbedderTest {

    private final ImageDescriptorEmbedder embedder = new ImageDescriptorEmbedder();

    private Embedding embed(Payload image) {
        return embedder.embed(image).join();
    }

    @Test
    void should_give_fixed_length_unit_vectors_of_images_only() {
        // when
        Embedding v = embed(Sim.paint("a red circle on the left"));

        // then
        assertThat(embedder.id()).isEqualTo("image-descriptor");
        assertThat(embedder.modalities()).containsExactly(Modality.IMAGE);
        assertThat(v.dimension()).isEqualTo(embedder.dimension()).isEqualTo(ImageDescriptorEmbedder.DIMENSION);
        assertThat(Sim.norm(v)).isCloseTo(1.0, within(1e-6));
    }

    @Test
    void should_embed_a_webp_like_the_png_it_was_made_from() throws java.io.IOException {
        // given: a real lossless WebP made by cwebp from a PNG
        byte[] png;
        byte[] webp;
        try (var a = getClass().getResourceAsStream("/media/circle.png");
             var b = getClass().getResourceAsStream("/media/circle-lossless.webp")) {
            png = a.readAllBytes();
            webp = b.readAllBytes();
        }

        // when / then
        assertThat(embed(Payload.image(webp, "image/webp"))).isEqualTo(embed(Payload.image(png, "image/png")));
    }

    @Test
    void should_give_identical_vectors_for_identical_pixels_whatever_the_encoding() {
        // given
        Payload.Image png = Sim.paint("a red circle on the left");
        Payload.Image bmp = Sim.encode(Sim.decode(png), "bmp");

        // when
        Embedding first = embed(png);
        Embedding again = embed(Payload.image(png.data().toByteArray(), "image/png"));
        Embedding fromBmp = embed(bmp);

        // then
        assertThat(again).isEqualTo(first);
        assertThat(first.cosine(again)).isCloseTo(1.0, within(1e-9));
        assertThat(fromBmp).isEqualTo(first);
    }

    @Test
    void should_rank_the_same_shape_moved_above_a_different_shape_colour_and_place() {
        // given
        Payload redLeft = Sim.paint("a red circle on the left");
        Payload redRight = Sim.paint("a red circle on the right");
        Payload blueTop = Sim.paint("a blue square at the top");
        Payload greenOnBlack = Sim.paint("a large green triangle on a black background");

        // when
        List<Embedding> v = embedder.embedAll(List.of(redLeft, redRight, blueTop, greenOnBlack)).join();

        // then
        double moved = v.get(0).cosine(v.get(1));
        double different = v.get(0).cosine(v.get(2));
        double veryDifferent = v.get(0).cosine(v.get(3));
        assertThat(moved).isLessThan(0.9);
        assertThat(different).isLessThan(moved - 0.03);
        assertThat(veryDifferent).isLessThan(different - 0.1);
    }

    @Test
    void should_stay_close_under_small_changes() {
        // given
        Payload.Image original = Sim.paint("a red circle on the left and a blue square at the top");
        Payload.Image smudged = Sim.smudge(original);
        Payload.Image jpeg = Sim.encode(Sim.decode(original), "jpeg");
        Payload.Image larger = Sim.paint("a red circle on the left and a blue square at the top", 512);

        // when
        List<Embedding> v = embedder.embedAll(List.of(original, smudged, jpeg, larger)).join();

        // then
        assertThat(smudged).isNotEqualTo(original);
        assertThat(v.get(0).cosine(v.get(1))).isGreaterThan(0.95);
        assertThat(v.get(0).cosine(v.get(2))).isGreaterThan(0.95);
        assertThat(v.get(0).cosine(v.get(3))).isGreaterThan(0.95);
    }

    @Test
    void should_see_transparent_pixels_as_white() {
        // given
        BufferedImage clear = new BufferedImage(64, 64, BufferedImage.TYPE_INT_ARGB);
        BufferedImage white = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = white.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 64, 64);
        g.dispose();

        // when
        Embedding fromClear = embed(Sim.png(clear));
        Embedding fromWhite = embed(Sim.png(white));

        // then
        assertThat(fromClear).isEqualTo(fromWhite);
        assertThat(Sim.norm(fromWhite)).isCloseTo(1.0, within(1e-6));
    }

    @Test
    void should_fail_with_an_invalid_request_naming_what_is_wrong_with_garbage_bytes() {
        // given
        Payload garbage = Payload.image("definitely not a picture".getBytes(), "image/png");

        // when / then
        assertThatThrownBy(() -> embedder.embedAll(List.of(Sim.paint("a red circle"), garbage)).join())
                .isInstanceOf(CompletionException.class)
                .cause()
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("image-descriptor input 1")
                .hasMessageContaining("not an image")
                .hasMessageContaining("PNG, JPEG");
    }

    @Test
    void should_fail_with_an_invalid_request_for_a_truncated_png() {
        // given
        byte[] png = Sim.paint("a red circle").data().toByteArray();
        Payload truncated = Payload.image(Arrays.copyOf(png, png.length / 2), "image/png");

        // when / then
        assertThatThrownBy(() -> embed(truncated))
                .isInstanceOf(CompletionException.class)
                .cause()
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("could not be decoded");
    }

    @Test
    void should_reject_text_at_once_with_a_validation_exception() {
        // when / then
        assertThatThrownBy(() -> embedder.embedAll(List.of(Payload.text("a red circle"))))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("input 0 is TEXT");
    }
}
