package dev.panic.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.panic.Metadata;
import dev.panic.Modality;
import dev.panic.Model;
import dev.panic.ModelId;
import dev.panic.ModelInfo;
import dev.panic.ModelOutput;
import dev.panic.Network;
import dev.panic.Parameters;
import dev.panic.Payload;
import dev.panic.Run;
import dev.panic.RunStatus;
import dev.panic.analysis.RunAnalysis;
import dev.panic.exception.UnavailableException;
import dev.panic.exception.ValidationException;
import dev.panic.RunStore;
import dev.panic.StoredRun;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {

    @TempDir
    Path dir;

    /** A text model that reports what hosted platforms report: a version, a seed, an id and a price. */
    private static Model priced(int failFrom) {
        AtomicInteger calls = new AtomicInteger();
        return Model.of(new ModelInfo(ModelId.parse("test:priced"), Modality.TEXT, Modality.TEXT, "a priced echo"),
                Parameters.of("temperature", 0.7), (input, params) -> {
                    int n = calls.getAndIncrement();
                    if (n >= failFrom) {
                        return CompletableFuture.failedFuture(new UnavailableException("the <service> is down"));
                    }
                    return CompletableFuture.completedFuture(new ModelOutput(
                            Payload.text(((Payload.Text) input).text() + " " + n),
                            Metadata.builder().parameters(params).modelVersion("v1-abc").seed(42L)
                                    .platformPredictionId("pred-" + n).costUsd(0.0025).build()));
                });
    }

    private StoredRun run(Model model, String prompt, int steps) {
        RunStore store = RunStore.directory(dir);
        Run run = Run.builder(Network.builder().add(model).build(), Payload.text(prompt)).maxSteps(steps).store(store)
                .start().await();
        return store.read(run.id());
    }

    @Test
    void should_total_the_cost_and_list_the_provenance_of_every_call() {
        StoredRun run = run(priced(Integer.MAX_VALUE), "a quiet lake", 5);

        String html = Report.of(run).toHtml();

        assertThat(html).contains("$0.0125").contains("<code title=\"v1-abc\">v1-abc</code>").contains("pred-4")
                .contains("<td>42</td>").contains("<b>temperature</b>=0.7");
        assertThat(html.split("<tr><td><a href=\"#output-", -1)).hasSize(6);
    }

    @Test
    void should_show_a_failed_call_as_an_error_card_and_escape_what_models_said() {
        StoredRun run = run(priced(2), "a <script>alert(1)</script> lake", 5);

        String html = Report.of(run).toHtml();

        assertThat(run.info().status()).isEqualTo(RunStatus.FAILED);
        assertThat(html).contains("class=\"panic-card panic-card-failed\"")
                .contains("UnavailableException: the &lt;service&gt; is down")
                .contains("a &lt;script&gt;alert(1)&lt;/script&gt; lake")
                .doesNotContain("<script>").contains("cost").contains("$0.0050 <small>(2 of 3 calls)</small>");
    }

    @Test
    void should_refuse_the_analysis_of_another_run() {
        StoredRun one = run(priced(Integer.MAX_VALUE), "one", 2);
        StoredRun two = run(priced(Integer.MAX_VALUE), "two", 2);

        assertThatThrownBy(() -> Report.of(one, RunAnalysis.of(two))).isInstanceOf(ValidationException.class)
                .hasMessageContaining(two.info().id());
        assertThatThrownBy(() -> Report.of(one).thumbnailSize(8)).isInstanceOf(ValidationException.class);
    }

    @Test
    void should_say_there_is_nothing_to_compare_when_no_output_has_a_vector() {
        String html = Report.of(run(priced(Integer.MAX_VALUE), "no vectors", 3)).toHtml();

        assertThat(html).contains("No output has an embedding vector").doesNotContain("<svg");
    }
}
