package dev.panic.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.panic.Model;
import dev.panic.Parameters;
import dev.panic.Payload;
import dev.panic.Prediction;
import dev.panic.Run;
import dev.panic.RunStatus;
import dev.panic.StopReason;
import dev.panic.exception.InvalidRequestException;
import dev.panic.simulator.internal.Cell;
import dev.panic.simulator.internal.NamedColour;
import dev.panic.simulator.internal.Scene;
import dev.panic.simulator.internal.SceneAnalyser;
import dev.panic.simulator.internal.SceneRenderer;
import dev.panic.simulator.internal.Shape;
import dev.panic.simulator.internal.ShapeSize;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PainterDescriberTest {

    private static final int RED = NamedColour.RED.rgb();
    private static final int WHITE = NamedColour.WHITE.rgb();

    @Test
    void should_paint_the_named_colour_where_asked() {
        // given
        Payload prompt = Payload.text("a red square on the left on a white background");

        // when
        BufferedImage img = SimTesting.decode(SimTesting.call("painter", prompt));

        // then
        int w = img.getWidth();
        int h = img.getHeight();
        assertThat(w).isEqualTo(128);
        assertThat(SimTesting.count(img, 0, 0, w / 2, h, RED)).isGreaterThan(200);
        assertThat(SimTesting.count(img, w / 2, 0, w, h, RED)).isZero();
        assertThat(SimTesting.is(img, 0, 0, WHITE)).isTrue();
        assertThat(SimTesting.is(img, w - 1, h - 1, WHITE)).isTrue();
    }

    @Test
    void should_paint_corners_backgrounds_and_sizes() {
        // given
        Payload prompt = Payload.text("A big blue circle, top right. A tiny yellow triangle at the bottom left;"
                + " on a black background");

        // when
        BufferedImage img = SimTesting.decode(SimTesting.model("painter")
                .invoke(prompt, Parameters.of("size", 90)).payload());

        // then
        int blue = NamedColour.BLUE.rgb();
        int yellow = NamedColour.YELLOW.rgb();
        assertThat(img.getWidth()).isEqualTo(90);
        assertThat(SimTesting.count(img, 60, 0, 90, 30, blue)).isGreaterThan(300);
        assertThat(SimTesting.count(img, 0, 0, 90, 90, blue)).isEqualTo(SimTesting.count(img, 60, 0, 90, 30, blue));
        int smallYellow = SimTesting.count(img, 0, 60, 30, 90, yellow);
        assertThat(smallYellow).isPositive().isLessThan(100);
        assertThat(SimTesting.is(img, 45, 45, NamedColour.BLACK.rgb())).isTrue();
    }

    @Test
    void should_paint_something_that_depends_on_a_prompt_without_palette_words() {
        // given
        Payload sheep = Payload.text("a group of sheep grazing on lush grass");
        Payload boats = Payload.text("boats in a harbour at dawn");

        // when
        BufferedImage a = SimTesting.decode(SimTesting.call("painter", sheep));
        BufferedImage b = SimTesting.decode(SimTesting.call("painter", boats));

        // then
        assertThat(SimTesting.count(a, 0, 0, 128, 128, WHITE)).isLessThan(128 * 128 - 1000);
        assertThat(SimTesting.call("painter", sheep)).isNotEqualTo(SimTesting.call("painter", boats));
        assertThat(SimTesting.count(b, 0, 0, 128, 128, WHITE)).isLessThan(128 * 128 - 500);
    }

    @Test
    void should_describe_colours_shapes_and_positions_it_measures() {
        // given: a picture drawn with java.awt, not by the painter
        BufferedImage img = new BufferedImage(150, 150, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(new Color(20, 150, 40));          // a green that is not exactly the palette's
        g.fillRect(0, 0, 150, 150);
        g.setColor(new Color(40, 60, 230));          // blue
        g.fillRect(110, 60, 30, 30);                 // a square on the right
        g.setColor(new Color(250, 250, 10));         // yellow
        g.fillOval(5, 5, 40, 40);                    // a circle at the top left
        g.dispose();

        // when
        String text = SimTesting.text(SimTesting.call("describer", SimTesting.png(img)));

        // then
        assertThat(text).isEqualTo("a muted image of a large yellow circle at the top left and a medium blue"
                + " square on the right, on a green background");
    }

    @Test
    void should_report_brightness_and_an_empty_picture() {
        // given
        BufferedImage img = new BufferedImage(100, 80, BufferedImage.TYPE_INT_RGB);   // all black

        // when
        String text = SimTesting.text(SimTesting.call("describer", SimTesting.png(img)));

        // then
        assertThat(text).isEqualTo("a dark empty image, on a black background");
    }

    @Test
    void should_reject_bytes_that_are_not_an_image() {
        // given
        Payload notAnImage = Payload.image("GIF89a but not really".getBytes(), "image/gif");

        // when / then
        assertThatThrownBy(() -> SimTesting.call("describer", notAnImage))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("sim:describer");
    }

    @Test
    void should_settle_from_a_picture_the_painter_did_not_draw() {
        // given: a soft gradient with a dark ellipse and a thin bar, drawn with java.awt
        BufferedImage img = new BufferedImage(200, 160, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 160; y++) {
            for (int x = 0; x < 200; x++) {
                img.setRGB(x, y, new Color(200 + x / 10, 120 + y / 4, 60).getRGB());
            }
        }
        Graphics2D g = img.createGraphics();
        g.setColor(new Color(70, 30, 160));
        g.fillOval(20, 90, 70, 50);
        g.setColor(Color.WHITE);
        g.fillRect(120, 20, 70, 8);
        g.dispose();

        // when
        Run run = SimTesting.loop(SimTesting.png(img), 30, SimTesting.model("describer"), SimTesting.model("painter"));

        // then
        assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(run.stopReason().orElseThrow().rule()).isEqualTo("exact-repeat");
        assertThat(run.stopReason().orElseThrow().period()).hasValue(2);
        assertThat(run.stopReason().orElseThrow().sequence().getAsInt()).isLessThanOrEqualTo(6);
        assertThat(SimTesting.text(run.predictions().get(0).output()))
                .contains("purple").contains("white stripe at the top right").endsWith("on an orange background");
    }

    @ParameterizedTest
    @ValueSource(ints = {64, 100, 128, 257, 512})
    void should_measure_back_every_shape_size_and_cell_it_could_have_painted(int side) {
        for (Shape shape : Shape.values()) {
            for (ShapeSize size : ShapeSize.values()) {
                for (int c = 0; c < 9; c++) {
                    // given
                    Scene scene = new Scene(NamedColour.CYAN, List.of(
                            new Scene.Item(NamedColour.BROWN, shape, size, Cell.ofIndex(c)),
                            new Scene.Item(NamedColour.PINK, Shape.SQUARE, ShapeSize.SMALL, Cell.ofIndex((c + 4) % 9))));

                    // when
                    SceneAnalyser.Analysis seen = SceneAnalyser.analyse(SceneRenderer.render(scene, side), 3);

                    // then
                    assertThat(seen.scene().background()).isEqualTo(NamedColour.CYAN);
                    assertThat(seen.scene().items()).containsExactlyInAnyOrderElementsOf(scene.items());
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "a red square on the left on a white background",
        "a group of sheep grazing on lush grass",
        "A large red circle at the top left, a small blue triangle in the centre and a green stripe at the bottom"
                + " right, on a black background",
        "the quick brown fox jumps over the lazy dog",
        "nine circles: red, orange, yellow, green, blue, purple, pink, brown and cyan",
        "",
    })
    void should_reach_an_exact_fixed_point_in_a_painter_describer_loop(String prompt) {
        // given
        Model painter = SimTesting.model("painter");
        Model describer = SimTesting.model("describer");

        // when
        Run run = SimTesting.loop(Payload.text(prompt), 30, painter, describer);

        // then
        assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
        StopReason reason = run.stopReason().orElseThrow();
        assertThat(reason.rule()).isEqualTo("exact-repeat");
        assertThat(reason.period()).as("a fixed point of the two-model network").hasValue(2);
        assertThat(reason.sequence().getAsInt()).as("within a few steps").isLessThanOrEqualTo(5);
        String lastDescription = run.predictions().stream().map(Prediction::output)
                .filter(o -> o instanceof Payload.Text).map(SimTesting::text)
                .reduce((a, b) -> b).orElseThrow();
        Payload repainted = painter.invoke(Payload.text(lastDescription)).payload();
        assertThat(SimTesting.text(describer.invoke(repainted).payload())).isEqualTo(lastDescription);
    }
}
