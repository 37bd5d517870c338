package dev.panic.notebook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.panic.Payload;
import dev.panic.Prediction;
import dev.panic.Run;
import dev.panic.analysis.RunAnalysis;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class MimeBundlesTest {

    @Test
    void should_show_a_png_image_as_its_own_bytes() {
        Payload.Image picture = Sims.picture("a red circle on a blue background");

        Map<String, String> bundle = MimeBundles.of(picture).orElseThrow();

        assertThat(Base64.getDecoder().decode(bundle.get("image/png"))).isEqualTo(picture.data().toByteArray());
        assertThat(bundle.get("text/plain")).contains("image/png 128x128");
    }

    @Test
    void should_convert_an_image_type_notebooks_do_not_show_to_png() throws Exception {
        BufferedImage img = new BufferedImage(8, 6, BufferedImage.TYPE_INT_RGB);
        img.setRGB(2, 3, 0xff0000);
        ByteArrayOutputStream bmp = new ByteArrayOutputStream();
        ImageIO.write(img, "bmp", bmp);

        Map<String, String> bundle = MimeBundles.of(Payload.image(bmp.toByteArray(), "image/bmp")).orElseThrow();

        BufferedImage shown = ImageIO.read(new java.io.ByteArrayInputStream(Base64.getDecoder().decode(bundle.get("image/png"))));
        assertThat(shown.getWidth()).isEqualTo(8);
        assertThat(shown.getRGB(2, 3) & 0xffffff).isEqualTo(0xff0000);
        assertThat(bundle).doesNotContainKey("image/bmp");
    }

    @Test
    void should_show_audio_as_a_player_holding_the_sound() {
        Payload.Audio sound = Sims.sound("a low hum");

        String html = MimeBundles.of(sound).orElseThrow().get("text/html");

        assertThat(html).contains("<audio").contains("controls")
                .contains("src=\"data:audio/wav;base64," + Base64.getEncoder().encodeToString(sound.data().toByteArray()));
    }

    @Test
    void should_show_text_as_the_text_itself() {
        assertThat(MimeBundles.of(Payload.text("a red <circle>")).orElseThrow())
                .containsExactly(Map.entry("text/plain", "a red <circle>"));
    }

    @Test
    void should_show_a_prediction_as_a_card_and_a_run_with_its_outputs_and_curve() {
        Run run = Sims.loop(6, Duration.ZERO).await();
        Prediction p = run.predictions().get(2);

        String card = MimeBundles.of(p).orElseThrow().get("text/html");
        String strip = MimeBundles.of(run).orElseThrow().get("text/html");
        String plots = MimeBundles.of(RunAnalysis.of(run)).orElseThrow().get("text/html");

        assertThat(card).contains("data-sequence=\"2\"").contains("sim:painter").contains("<img src=\"data:image/");
        assertThat(strip).contains("data-outputs=\"6\"").contains(run.info().status().toString())
                .contains("aria-label=\"Similarity to the first output\"");
        assertThat(strip.split("class=\"panic-card panic-card-image\"", -1)).hasSize(4);
        assertThat(plots).contains("aria-label=\"Step-to-step similarity\"").contains("Similarity matrix");
    }

    @Test
    void should_leave_other_objects_to_the_kernel() {
        assertThat(MimeBundles.supports("a string")).isFalse();
        assertThat(MimeBundles.of(42)).isEmpty();
    }
}
