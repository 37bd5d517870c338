package dev.panic.notebook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.panic.Run;
import dev.panic.notebook.internal.LiveView;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class LiveViewTest {

    private static final Pattern OUTPUTS = Pattern.compile("data-outputs=\"(\\d+)\"");

    private static int outputs(Map<String, String> bundle) {
        Matcher m = OUTPUTS.matcher(bundle.get("text/html"));
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    @Test
    void should_show_the_run_growing_and_end_on_its_final_frame() {
        Run run = Sims.loop(10, Duration.ofMillis(120));
        List<Map<String, String>> frames = new CopyOnWriteArrayList<>();

        LiveView view = LiveView.follow(run, frames::add);
        run.await();
        view.finish();

        Map<String, String> last = frames.get(frames.size() - 1);
        assertThat(outputs(last)).isEqualTo(10);
        assertThat(last.get("text/html")).contains("COMPLETED");
        assertThat(frames).as("frames while the run went on").anySatisfy(f -> assertThat(outputs(f)).isBetween(1, 9));
        // Frames only ever show more outputs, the final one last.
        for (int i = 1; i < frames.size(); i++) {
            assertThat(outputs(frames.get(i))).isGreaterThanOrEqualTo(outputs(frames.get(i - 1)));
        }
        int before = frames.size();
        view.finish();
        assertThat(frames).as("the last frame is published once").hasSize(before);
    }

    @Test
    void should_publish_nothing_for_a_run_that_has_already_ended() {
        Run run = Sims.loop(2, Duration.ZERO).await();
        List<Map<String, String>> frames = new CopyOnWriteArrayList<>();

        LiveView.follow(run, frames::add).finish();

        assertThat(frames).isEmpty();
    }
}
