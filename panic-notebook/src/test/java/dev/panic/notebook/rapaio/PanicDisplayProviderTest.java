package dev.panic.notebook.rapaio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.panic.Payload;
import dev.panic.Platforms;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.rapaio.jupyter.kernel.display.DisplayData;
import org.rapaio.jupyter.kernel.display.DisplaySystem;

class PanicDisplayProviderTest {

    @Test
    void should_be_found_by_the_kernels_display_system_and_show_an_image_as_png() {
        Payload.Image picture = (Payload.Image) Platforms.discover().model("sim:painter")
                .invoke(Payload.text("a green triangle")).payload();

        DisplayData shown = DisplaySystem.inst().render(picture);

        assertThat(Base64.getDecoder().decode((String) shown.data().get("image/png")))
                .isEqualTo(picture.data().toByteArray());
    }

    @Test
    void should_keep_its_display_id_when_the_kernel_gives_the_display_another() {
        DisplayData shown = new PanicDisplayProvider().getDisplayRenderers().get(0)
                .render(null, Payload.text("a hot day"));
        shown.setDisplayId("first");

        shown.setDisplayId("second");

        assertThat(shown.getDisplayId()).isEqualTo("first");
        assertThat(shown.data()).containsEntry("text/plain", "a hot day");
    }
}
