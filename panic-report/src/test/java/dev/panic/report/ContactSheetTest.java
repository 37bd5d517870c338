package dev.panic.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.panic.exception.ValidationException;
import dev.panic.RunStore;
import dev.panic.StoredRun;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContactSheetTest {

    @TempDir
    Path dir;

    @Test
    void should_lay_out_a_runs_images_in_order_in_numbered_cells() throws Exception {
        StoredRun run = SampleRuns.run(RunStore.directory(dir), "sheet", "sim:painter,sim:describer",
                "a red circle on a blue background", 10);
        ContactSheet sheet = ContactSheet.of(run).columns(3).cellSize(64);

        Path png = sheet.writeTo(dir.resolve("out").resolve("sheet.png"));
        BufferedImage img = ImageIO.read(Files.newInputStream(png));

        assertThat(sheet.size()).isEqualTo(5);
        // 3 columns and 2 rows of 64-pixel cells with 24-pixel labels, 10-pixel gaps, a 40-pixel title.
        assertThat(img.getWidth()).isEqualTo(10 + 3 * (64 + 10));
        assertThat(img.getHeight()).isEqualTo(40 + 10 + 2 * (64 + 24 + 10));
        for (int i = 0; i < 5; i++) {
            int x = 10 + (i % 3) * 74;
            int y = 50 + (i / 3) * 98;
            int centre = img.getRGB(x + 32, y + 32) & 0xffffff;
            int corner = img.getRGB(x + 4, y + 4) & 0xffffff;
            assertThat(red(centre)).as("cell %d shows the red circle in the centre", i).isGreaterThan(180);
            assertThat(blue(corner)).as("cell %d shows the blue background", i).isGreaterThan(150);
            assertThat(img.getRGB(x + 6, y + 64 + 12) & 0xffffff).as("cell %d has its number tag", i)
                    .isNotEqualTo(0xffffff);
        }
    }

    private static int red(int rgb) {
        return rgb >> 16 & 0xff;
    }

    private static int blue(int rgb) {
        return rgb & 0xff;
    }

    @Test
    void should_refuse_to_make_a_sheet_without_images() {
        StoredRun run = SampleRuns.run(RunStore.directory(dir), "texts", "sim:contrarian", "a hot day", 3);

        assertThat(ContactSheet.of(run).size()).isZero();
        assertThatThrownBy(() -> ContactSheet.of(run).toImage()).isInstanceOf(ValidationException.class)
                .hasMessageContaining("no image");
        assertThatThrownBy(() -> ContactSheet.of(run).columns(0)).isInstanceOf(ValidationException.class);
    }
}
