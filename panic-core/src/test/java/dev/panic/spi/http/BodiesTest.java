package dev.panic.spi.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.panic.exception.InvalidRequestException;
import dev.panic.spi.media.DataUri;
import dev.panic.spi.media.MediaBytes;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BodiesTest {

    @Test
    void should_round_trip_data_uris_and_reject_broken_ones() {
        byte[] bytes = {1, 2, 3, (byte) 0xFF};
        DataUri.Decoded d = DataUri.decode(DataUri.encode(bytes, "audio/wav"));
        assertThat(d.bytes()).containsExactly(bytes);
        assertThat(d.mediaType()).isEqualTo("audio/wav");
        assertThat(DataUri.decode("data:text/plain,hello%20there").bytes())
                .isEqualTo("hello there".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> DataUri.decode("data:image/png;base64,@@@")).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> DataUri.decode("nonsense")).isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void should_build_a_multipart_body_with_fields_and_files() {
        Multipart m = new Multipart().field("type", "image/png").file("content", "in\"put.png", "image/png", new byte[] {9});
        String body = new String(m.body(), StandardCharsets.ISO_8859_1);
        String boundary = m.contentType().substring(m.contentType().indexOf('=') + 1);

        assertThat(body).startsWith("--" + boundary + "\r\n").endsWith("--" + boundary + "--\r\n")
                .contains("Content-Disposition: form-data; name=\"type\"\r\n")
                .contains("name=\"content\"; filename=\"in\\\"put.png\"\r\nContent-Type: image/png\r\n\r\n\u0009\r\n");
    }

    @Test
    void should_sniff_media_from_its_signature() {
        assertThat(MediaBytes.sniff(new byte[] {'R', 'I', 'F', 'F', 0, 0, 0, 0, 'W', 'A', 'V', 'E'})).contains("audio/wav");
        assertThat(MediaBytes.sniff(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 0})).contains("image/jpeg");
        assertThat(MediaBytes.sniff(new byte[] {'h', 'i'})).isEmpty();
    }
}
