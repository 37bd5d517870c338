package dev.panic.spi.media;

import static org.assertj.core.api.Assertions.assertThat;

import dev.panic.Payload;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/**
 * Real WebP files, made with {@code cwebp} (lossless and quality 80) from {@code circle.png}: a
 * red circle on blue over a yellow band, 64x48.
 */
class WebpDecodingTest {

    private static Payload.Image image(String name, String mediaType) throws IOException {
        try (InputStream in = WebpDecodingTest.class.getResourceAsStream("/media/" + name)) {
            assertThat(in).as(name).isNotNull();
            return Payload.image(in.readAllBytes(), mediaType);
        }
    }

    @Test
    void aLosslessWebpDecodesToThePixelsOfItsPng() throws IOException {
        ImageDecoder.Pixels png = ImageDecoder.decode(image("circle.png", "image/png"), "png");
        ImageDecoder.Pixels webp = ImageDecoder.decode(image("circle-lossless.webp", "image/webp"), "webp");

        assertThat(webp.width()).isEqualTo(64);
        assertThat(webp.height()).isEqualTo(48);
        assertThat(webp.rgb()).isEqualTo(png.rgb());
    }

    @Test
    void aLossyWebpDecodesToNearlyThePixelsOfItsPng() throws IOException {
        ImageDecoder.Pixels png = ImageDecoder.decode(image("circle.png", "image/png"), "png");
        ImageDecoder.Pixels webp = ImageDecoder.decode(image("circle-lossy.webp", "image/webp"), "webp");

        assertThat(webp.width()).isEqualTo(png.width());
        assertThat(webp.height()).isEqualTo(png.height());
        // the middle of the circle, the blue corner and the yellow band, away from edges
        assertThat(near(webp, 32, 24, 0xff0000)).isTrue();
        assertThat(near(webp, 3, 3, 0x0000ff)).isTrue();
        assertThat(near(webp, 32, 45, 0xffff00)).isTrue();
    }

    private static boolean near(ImageDecoder.Pixels p, int x, int y, int rgb) {
        int got = p.rgb()[y * p.width() + x];
        for (int shift = 0; shift <= 16; shift += 8) {
            if (Math.abs((got >> shift & 0xff) - (rgb >> shift & 0xff)) > 24) {
                return false;
            }
        }
        return true;
    }

    @Test
    void theSimulatorDescribesAWebp() throws IOException {
        String caption = ((Payload.Text) dev.panic.Platforms.discover().model("sim:describer")
                .invoke(image("circle-lossy.webp", "image/webp")).payload()).text();
        assertThat(caption).contains("red").contains("blue");
    }
}
