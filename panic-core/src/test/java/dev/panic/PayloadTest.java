package dev.panic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.panic.exception.ValidationException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PayloadTest {

    @Test
    void should_compare_media_by_content_not_by_array() {
        byte[] a = {1, 2, 3};
        byte[] b = {1, 2, 3};
        assertThat(Payload.image(a, "image/png")).isEqualTo(Payload.image(b, "image/png"))
                .hasSameHashCodeAs(Payload.image(b, "image/png"));
        assertThat(Payload.image(a, "image/png")).isNotEqualTo(Payload.image(a, "image/jpeg"));
        assertThat(Payload.audio(a, "audio/wav")).isNotEqualTo(Payload.image(a, "image/png"));
    }

    @Test
    void should_not_see_later_changes_to_the_callers_array() {
        byte[] a = {1, 2, 3};
        Payload.Image image = (Payload.Image) Payload.image(a, "image/png");
        a[0] = 9;
        assertThat(image.data().get(0)).isEqualTo((byte) 1);
        assertThat(image.data().toByteArray()).containsExactly(1, 2, 3);
    }

    @Test
    void should_leave_known_size_and_duration_out_of_equality() {
        Payload.Image image = (Payload.Image) Payload.image(new byte[] {1}, "image/png");
        assertThat(image.withSize(4, 3)).isEqualTo(image);
        assertThat(image.withSize(4, 3).size()).hasValue(new Payload.Image.Size(4, 3));
        assertThat(image.size()).isEmpty();
        Payload.Audio audio = (Payload.Audio) Payload.audio(new byte[] {1}, "audio/wav");
        assertThat(audio.withDuration(Duration.ofSeconds(2)).duration()).hasValue(Duration.ofSeconds(2));
    }

    @Test
    void should_normalise_media_types_and_reject_wrong_ones() {
        assertThat(((Payload.Image) Payload.image(new byte[] {1}, "Image/PNG; q=1")).mediaType()).isEqualTo("image/png");
        assertThatThrownBy(() -> Payload.image(new byte[] {1}, "audio/wav"))
                .isInstanceOf(ValidationException.class).hasMessage("media type 'audio/wav' is not image/*");
        assertThatThrownBy(() -> Payload.audio(new byte[0], "audio/wav"))
                .isInstanceOf(ValidationException.class).hasMessageContaining("no bytes");
        assertThatThrownBy(() -> Payload.text(null)).isInstanceOf(ValidationException.class);
    }

    @Test
    void should_summarise_without_dumping_content() {
        assertThat(Payload.text("a  red\n circle on blue").summary(12)).isEqualTo("a red circl…");
        assertThat(((Payload.Image) Payload.image(new byte[2048], "image/png")).withSize(64, 32).summary(80))
                .isEqualTo("image/png 64x32, 2.0 kB");
        assertThat(Bytes.of(new byte[] {1}).toString()).startsWith("Bytes[1 B, sha256=");
    }

    @Test
    void should_hash_content_with_sha256() {
        assertThat(Bytes.of("abc".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).sha256())
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
