package dev.panic.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.panic.Payload;
import dev.panic.Prediction;
import dev.panic.Run;
import dev.panic.RunStatus;
import dev.panic.simulator.internal.NamedColour;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImageSimulatorsTest {

    @Test
    void should_smudge_a_picture_keeping_its_size() {
        // given
        Payload picture = SimTesting.call("painter", Payload.text("a large red square in the centre"));

        // when
        BufferedImage smudged = SimTesting.decode(SimTesting.call("smudger", picture));

        // then
        assertThat(smudged.getWidth()).isEqualTo(128);
        assertThat(smudged.getHeight()).isEqualTo(128);
        int red = NamedColour.RED.rgb();
        assertThat(SimTesting.count(smudged, 0, 0, 128, 128, red)).as("no pure red is left").isZero();
        int centre = smudged.getRGB(64, 64) & 0xffffff;
        assertThat((centre >> 16) & 0xff).as("still reddish in the middle").isGreaterThan((centre >> 8) & 0xff);
    }

    @Test
    void should_converge_to_an_exact_fixed_point_with_shrinking_changes_in_a_smudger_loop() {
        // given
        Payload picture = SimTesting.call("painter",
                Payload.text("a large red circle at the top left and a blue stripe at the bottom right"));

        // when
        Run run = SimTesting.loop(picture, 400, SimTesting.model("smudger"));

        // then
        assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(run.stopReason().orElseThrow().rule()).isEqualTo("exact-repeat");
        assertThat(run.stopReason().orElseThrow().period()).hasValue(1);
        List<Long> changes = new ArrayList<>();
        BufferedImage before = SimTesting.decode(picture);
        for (Prediction p : run.predictions()) {
            BufferedImage after = SimTesting.decode(p.output());
            changes.add(difference(before, after));
            before = after;
        }
        assertThat(changes.get(changes.size() - 1)).isZero();
        assertThat(changes.get(40)).isLessThan(changes.get(0) / 2);
        assertThat(changes.get(80)).isLessThan(changes.get(40));
    }

    @Test
    void should_sonify_the_main_colour_of_each_column_left_to_right() {
        // given
        Payload picture = SimTesting.call("painter", Payload.text("a large red square on the left,"
                + " a large blue square on the right, on a white background"));

        // when
        Payload sound = SimTesting.call("sonifier", picture);

        // then
        assertThat(SimTesting.text(SimTesting.call("listener", sound)))
                .isEqualTo("red red red white white blue blue blue");
    }

    @Test
    void should_draw_the_tones_it_hears_as_coloured_bars() {
        // given
        Payload sound = SimTesting.call("synth", Payload.text("red blue"));

        // when
        BufferedImage img = SimTesting.decode(SimTesting.call("spectrograph", sound));

        // then
        int red = NamedColour.RED.rgb();
        int blue = NamedColour.BLUE.rgb();
        assertThat(SimTesting.count(img, 0, 0, 64, 128, red)).isGreaterThan(100);
        assertThat(SimTesting.count(img, 64, 0, 128, 128, red)).isZero();
        assertThat(SimTesting.count(img, 64, 0, 128, 128, blue)).isGreaterThan(100);
        assertThat(SimTesting.is(img, 127, 0, NamedColour.BLACK.rgb())).isTrue();
        assertThat(SimTesting.text(SimTesting.call("describer", SimTesting.call("spectrograph", sound))))
                .contains("red stripe").contains("blue stripe").endsWith("on a black background");
    }

    private static long difference(BufferedImage a, BufferedImage b) {
        long sum = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                int p = a.getRGB(x, y);
                int q = b.getRGB(x, y);
                sum += Math.abs(((p >> 16) & 0xff) - ((q >> 16) & 0xff)) + Math.abs(((p >> 8) & 0xff) - ((q >> 8) & 0xff))
                        + Math.abs((p & 0xff) - (q & 0xff));
            }
        }
        return sum;
    }
}
