package dev.panic.notebook.jjava;

import static org.assertj.core.api.Assertions.assertThat;

import dev.panic.Payload;
import dev.panic.Platforms;
import dev.panic.Run;
import dev.panic.Network;
import dev.panic.Pacing;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.junit.jupiter.api.Test;

class PanicExtensionTest {

    private static final Platforms PLATFORMS = Platforms.discover();

    @Test
    void should_render_an_image_as_png_through_the_kernels_renderer() {
        Renderer renderer = new Renderer();
        PanicExtension.register(renderer, (id, data) -> { });
        Payload.Image picture = (Payload.Image) PLATFORMS.model("sim:painter").invoke(Payload.text("a red circle"))
                .payload();

        DisplayData shown = renderer.render(picture);

        assertThat(Base64.getDecoder().decode((String) shown.getData(MIMEType.IMAGE_PNG)))
                .isEqualTo(picture.data().toByteArray());
    }

    @Test
    void should_give_a_running_run_a_display_id_and_update_it_to_the_end() throws InterruptedException {
        Renderer renderer = new Renderer();
        List<Map.Entry<String, DisplayData>> updates = new CopyOnWriteArrayList<>();
        PanicExtension.register(renderer, (id, data) -> updates.add(Map.entry(id, data)));
        Run run = Run.builder(Network.builder().add(PLATFORMS.model("sim:contrarian")).build(), Payload.text("a hot day"))
                .maxSteps(6).pacing(Pacing.fixed(Duration.ofMillis(100))).start();

        DisplayData shown = renderer.render(run);
        run.await();

        String id = shown.getDisplayId();
        assertThat(id).startsWith("panic-run-");
        assertThat((String) shown.getData(MIMEType.TEXT_HTML)).contains("RUNNING");
        // The last frame follows the run's completion on the view's own thread: wait for it, boundedly.
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!lastFrameShowsTheEnd(updates) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat((String) updates.get(updates.size() - 1).getValue().getData(MIMEType.TEXT_HTML))
                .contains("data-outputs=\"6\"").contains("COMPLETED");
        assertThat(updates).allSatisfy(u -> assertThat(u.getKey()).isEqualTo(id));
    }

    private static boolean lastFrameShowsTheEnd(List<Map.Entry<String, DisplayData>> updates) {
        return !updates.isEmpty() && ((String) updates.get(updates.size() - 1).getValue().getData(MIMEType.TEXT_HTML))
                .contains("COMPLETED");
    }
}
