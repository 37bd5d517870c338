package dev.panic.ollama;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.panic.Embedding;
import dev.panic.Modality;
import dev.panic.Model;
import dev.panic.ModelId;
import dev.panic.ModelInfo;
import dev.panic.ModelOutput;
import dev.panic.Network;
import dev.panic.Parameters;
import dev.panic.Payload;
import dev.panic.Platforms;
import dev.panic.Run;
import dev.panic.RunEvent;
import dev.panic.RunStatus;
import dev.panic.Embedder;
import dev.panic.exception.NotFoundException;
import dev.panic.exception.UnavailableException;
import dev.panic.exception.ValidationException;
import dev.panic.PlatformContext;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class OllamaPlatformTest {

    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 1, 2, 3};

    private static final String SHOW_LLAVA = """
            {"parameters":"temperature 0.7","license":"...","capabilities":["completion","vision"],
             "details":{"parent_model":"","format":"gguf","family":"llama","families":["llama","clip"],
                        "parameter_size":"7B","quantization_level":"Q4_0"},
             "model_info":{"general.architecture":"llama"}}""";
    private static final String SHOW_LLAMA = """
            {"capabilities":["completion","tools"],
             "details":{"format":"gguf","family":"llama","families":["llama"],"parameter_size":"8.0B","quantization_level":"Q4_K_M"},
             "model_info":{"general.architecture":"llama"}}""";
    private static final String SHOW_EMBED = """
            {"capabilities":["embedding"],
             "details":{"format":"gguf","family":"nomic-bert","families":["nomic-bert"],"parameter_size":"137M"},
             "model_info":{"general.architecture":"nomic-bert","nomic-bert.embedding_length":3}}""";
    private static final String NOT_FOUND = "{\"error\":\"model 'llava' not found\"}";

    private OllamaPlatform ollama;

    @BeforeEach
    void setUp() {
        ollama = OllamaPlatform.builder().host(server.baseUrl()).build();
        stubShow("llava", SHOW_LLAVA);
        stubShow("llama3", SHOW_LLAMA);
        stubShow("nomic-embed-text", SHOW_EMBED);
    }

    private static void stubShow(String model, String body) {
        server.stubFor(post("/api/show").withRequestBody(matchingJsonPath("$.model", equalTo(model)))
                .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody(body)));
    }

    private static String line(String piece, boolean done) {
        return done
                ? "{\"model\":\"llava\",\"created_at\":\"2025-10-17T23:14:07Z\",\"response\":\"" + piece
                + "\",\"done\":true,\"done_reason\":\"stop\",\"total_duration\":1500000000,\"load_duration\":1000,"
                + "\"prompt_eval_count\":11,\"eval_count\":3}\n"
                : "{\"model\":\"llava\",\"created_at\":\"2025-10-17T23:14:07Z\",\"response\":\"" + piece + "\",\"done\":false}\n";
    }

    @Test
    void should_describe_an_image_streaming_tokens_and_record_the_options() {
        server.stubFor(post("/api/generate").willReturn(aResponse().withHeader("Content-Type", "application/x-ndjson")
                .withBody(line(" A red", false) + line(" circle", false) + line(".", true))));
        Model llava = ollama.model("llava", Parameters.of("temperature", 0.2, "seed", 7));
        List<String> pieces = new CopyOnWriteArrayList<>();

        ModelOutput out = llava.invokeAsync(Payload.image(PNG, "image/png"), Parameters.empty(), pieces::add).join();

        assertThat(llava.input()).isEqualTo(Modality.IMAGE);
        assertThat(((Payload.Text) out.payload()).text()).isEqualTo("A red circle.");
        assertThat(pieces).containsExactly(" A red", " circle", ".");
        assertThat(out.metadata().seed()).hasValue(7L);
        assertThat(out.metadata().predictTime()).hasValue(Duration.ofMillis(1500));
        assertThat(out.metadata().extras()).containsEntry("eval_count", 3L).containsEntry("done_reason", "stop");
        server.verify(postRequestedFor(urlEqualTo("/api/generate")).withRequestBody(equalToJson("""
                {"model":"llava","prompt":"Describe this image.","images":["%s"],"stream":true,
                 "options":{"temperature":0.2,"seed":7}}""".formatted(Base64.getEncoder().encodeToString(PNG)))));
    }

    @Test
    void should_send_text_to_a_language_model_without_streaming_when_asked() {
        server.stubFor(post("/api/generate").willReturn(aResponse().withHeader("Content-Type", "application/json")
                .withBody("{\"model\":\"llama3\",\"response\":\"a cold night\",\"done\":true,\"total_duration\":100}")));
        Model llama = ollama.model("llama3", Parameters.of(Map.of("stream", false, "prompt", "Give the opposite of: {input}",
                "system", "Answer in four words.")));

        ModelOutput out = llama.invoke(Payload.text("a hot day"));

        assertThat(llama.input()).isEqualTo(Modality.TEXT);
        assertThat(out.payload()).isEqualTo(Payload.text("a cold night"));
        server.verify(postRequestedFor(urlEqualTo("/api/generate")).withRequestBody(equalToJson("""
                {"model":"llama3","prompt":"Give the opposite of: a hot day","system":"Answer in four words.","stream":false}""")));
    }

    @Test
    void should_fail_on_an_error_line_after_a_200() {
        server.stubFor(post("/api/generate").willReturn(aResponse().withHeader("Content-Type", "application/x-ndjson")
                .withBody(line(" A", false) + "{\"error\":\"an error was encountered while running the model: out of memory\"}\n")));
        Model llava = ollama.model("llava", Parameters.empty());

        assertThatThrownBy(() -> llava.invoke(Payload.image(PNG, "image/png")))
                .isInstanceOf(UnavailableException.class)
                .hasMessageContaining("stopped with an error while answering with 'llava'")
                .hasMessageContaining("out of memory");
    }

    @Test
    void should_say_which_model_to_pull_when_it_is_not_installed() {
        server.stubFor(post("/api/show").withRequestBody(matchingJsonPath("$.model", equalTo("moondream")))
                .willReturn(aResponse().withStatus(404).withBody("{\"error\":\"model 'moondream' not found\"}")));

        assertThatThrownBy(() -> ollama.model("moondream", Parameters.empty()))
                .isInstanceOf(NotFoundException.class)
                .hasMessage("model 'ollama:moondream' is not installed on " + server.baseUrl()
                        + "; run `ollama pull moondream` (or OllamaPlatform.pull)");
    }

    @Test
    void should_explain_a_model_removed_between_look_up_and_call() {
        server.stubFor(post("/api/generate").willReturn(aResponse().withStatus(404).withBody(NOT_FOUND)));
        Model llava = ollama.model("llava", Parameters.empty());

        assertThatThrownBy(() -> llava.invoke(Payload.image(PNG, "image/png")))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("run `ollama pull llava`");
    }

    @Test
    void should_say_the_server_is_down_naming_the_address_tried() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        OllamaPlatform down = OllamaPlatform.builder().host("127.0.0.1:" + port).build();

        assertThat(down.readiness().ready()).isFalse();
        assertThat(down.readiness().detail())
                .isEqualTo("no Ollama server answers at http://127.0.0.1:" + port
                        + "; start it with `ollama serve`, or set OLLAMA_HOST to where it runs");
        assertThat(down.models()).isEmpty();
        assertThatThrownBy(() -> down.model("llava", Parameters.empty()))
                .isInstanceOf(UnavailableException.class).hasMessageContaining("no Ollama server answers at http://127.0.0.1:" + port);
    }

    @Test
    void should_be_ready_when_the_server_answers_and_list_what_is_installed() {
        server.stubFor(get("/api/version").willReturn(aResponse().withBody("{\"version\":\"0.12.6\"}")));
        server.stubFor(get("/api/tags").willReturn(aResponse().withBody("""
                {"models":[
                  {"name":"llava:latest","model":"llava:latest","size":4733363377,"digest":"8dd3",
                   "details":{"format":"gguf","family":"llama","families":["llama","clip"],"parameter_size":"7B","quantization_level":"Q4_0"}},
                  {"name":"llama3","model":"llama3","size":4661224676,"digest":"365c",
                   "details":{"format":"gguf","family":"llama","families":["llama"],"parameter_size":"8.0B","quantization_level":"Q4_0"}},
                  {"name":"nomic-embed-text","model":"nomic-embed-text","size":274302450,"digest":"0a10",
                   "details":{"format":"gguf","family":"nomic-bert","families":["nomic-bert"],"parameter_size":"137M"}}]}""")));
        // llava:latest has no show stub: its modalities come from its families (clip), as on old servers.
        server.stubFor(post("/api/show").withRequestBody(matchingJsonPath("$.model", equalTo("llava:latest")))
                .willReturn(aResponse().withStatus(500).withBody("{\"error\":\"busy\"}")));

        List<ModelInfo> models = ollama.models();

        assertThat(ollama.readiness().ready()).isTrue();
        assertThat(ollama.readiness().detail()).isEqualTo("Ollama 0.12.6 answers at " + server.baseUrl());
        assertThat(models).extracting(ModelInfo::id)
                .containsExactly(new ModelId("ollama", "llava:latest"), new ModelId("ollama", "llama3"));
        assertThat(models).extracting(ModelInfo::input).containsExactly(Modality.IMAGE, Modality.TEXT);
        assertThat(models.get(1).description()).contains("llama 8.0B Q4_K_M");
    }

    @Test
    void should_embed_text_with_an_embedding_model() {
        server.stubFor(post("/api/embed").willReturn(aResponse().withBody("""
                {"model":"nomic-embed-text","embeddings":[[0.5,-1.25,2.0],[0.0,1.0,0.0]],"total_duration":14143917}""")));

        Embedder e = ollama.embedder("nomic-embed-text");
        List<Embedding> vectors = e.embedAll(List.of(Payload.text("a"), Payload.text("b"))).join();

        assertThat(e.dimension()).isEqualTo(3);
        assertThat(e.id()).isEqualTo("ollama:nomic-embed-text");
        assertThat(vectors.get(0).toArray()).containsExactly(0.5f, -1.25f, 2.0f);
        assertThat(vectors.get(1).toArray()).containsExactly(0f, 1f, 0f);
        server.verify(postRequestedFor(urlEqualTo("/api/embed"))
                .withRequestBody(equalToJson("{\"model\":\"nomic-embed-text\",\"input\":[\"a\",\"b\"]}")));
        assertThatThrownBy(() -> e.embed(Payload.image(PNG, "image/png"))).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> ollama.model("nomic-embed-text", Parameters.empty()))
                .isInstanceOf(ValidationException.class).hasMessageContaining("only makes embeddings");
    }

    @Test
    void should_pull_a_model_reporting_progress() {
        server.stubFor(post("/api/pull").willReturn(aResponse().withHeader("Content-Type", "application/x-ndjson").withBody("""
                {"status":"pulling manifest"}
                {"status":"downloading","digest":"sha256:2ae6","total":2142590208,"completed":241970}
                {"status":"downloading","digest":"sha256:2ae6","total":2142590208,"completed":2142590208}
                {"status":"verifying sha256 digest"}
                {"status":"success"}
                """)));
        List<PullProgress> seen = new ArrayList<>();

        ollama.pull("llava", seen::add).join();

        assertThat(seen).extracting(PullProgress::status).containsExactly("pulling manifest", "downloading",
                "downloading", "verifying sha256 digest", "success");
        assertThat(seen.get(2).fraction()).hasValue(1.0);
        assertThat(seen.get(0).fraction()).isEmpty();
    }

    @Test
    void should_fail_a_pull_that_reports_an_error() {
        server.stubFor(post("/api/pull").willReturn(aResponse().withBody(
                "{\"status\":\"pulling manifest\"}\n{\"error\":\"pull model manifest: file does not exist\"}\n")));

        assertThatThrownBy(() -> ollama.pull("nosuchmodel", null).join())
                .isInstanceOf(CompletionException.class).hasCauseInstanceOf(UnavailableException.class)
                .hasMessageContaining("could not pull 'nosuchmodel': pull model manifest: file does not exist");
    }

    @Test
    void should_reject_unknown_or_malformed_parameters_before_calling() {
        assertThatThrownBy(() -> ollama.model("llava", Parameters.of("temprature", 0.5)))
                .isInstanceOf(ValidationException.class).hasMessageContaining("unknown parameter 'temprature'");
        assertThatThrownBy(() -> ollama.model("llava", Parameters.of("seed", "lucky")))
                .isInstanceOf(ValidationException.class).hasMessageContaining("parameter 'seed' must be a number");
        assertThatThrownBy(() -> ollama.model("llama3", Parameters.of("input", "image")))
                .isInstanceOf(ValidationException.class).hasMessageContaining("cannot see images");
        assertThat(ollama.model("llava", Parameters.of("input", "text")).input()).isEqualTo(Modality.TEXT);
    }

    @Test
    void should_send_the_key_but_never_log_it() throws Exception {
        String key = "ollama-key-0123456789abcdef";
        server.stubFor(get("/api/version").willReturn(aResponse().withBody("{\"version\":\"0.12.6\"}")));
        OllamaPlatform hosted = OllamaPlatform.builder().host(server.baseUrl()).apiKey(key).build();

        assertThat(hosted.readiness().ready()).isTrue();

        server.verify(com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor(urlEqualTo("/api/version"))
                .withHeader("Authorization", equalTo("Bearer " + key)));
        String log = Files.readString(Path.of("target/panic-test.log"));
        assertThat(log).contains("ollama GET " + server.baseUrl() + "/api/version -> 200").doesNotContain(key);
    }

    @Test
    void should_read_ollama_host_the_way_ollama_does() {
        assertThat(OllamaPlatform.builder().host("gpu-box").build().host()).hasToString("http://gpu-box:11434");
        assertThat(OllamaPlatform.builder().host("gpu-box:8080").build().host()).hasToString("http://gpu-box:8080");
        assertThat(OllamaPlatform.builder().host("https://ollama.example.com/").build().host())
                .hasToString("https://ollama.example.com");
        assertThatThrownBy(() -> OllamaPlatform.builder().host("ftp://x")).isInstanceOf(ValidationException.class);
    }

    @Test
    void should_caption_the_simulator_painter_in_a_run_and_stream_tokens_as_events() {
        server.stubFor(post("/api/generate").willReturn(aResponse().withHeader("Content-Type", "application/x-ndjson")
                .withBody(line(" a red", false) + line(" circle", true))));
        Platforms platforms = Platforms.builder()
                .context(PlatformContext.of(Map.of("OLLAMA_HOST", server.baseUrl())::get)).discover().build();
        Network net = platforms.network("sim:painter", "ollama:llava");
        List<RunEvent> events = new CopyOnWriteArrayList<>();

        Run run = Run.builder(net, Payload.text("a red circle")).maxSteps(4).listener(events::add).start().await();

        assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(run.predictions().get(1).output()).isEqualTo(Payload.text("a red circle"));
        assertThat(events).filteredOn(e -> e instanceof RunEvent.PartialOutput)
                .extracting(e -> ((RunEvent.PartialOutput) e).piece()).startsWith(" a red", " circle");
        assertThat(platforms.platform("ollama")).isInstanceOf(OllamaPlatform.class);
    }

    @Test
    void should_abort_a_cancelled_generation_and_free_its_place() {
        server.stubFor(post("/api/generate").withRequestBody(matchingJsonPath("$.prompt", equalTo("slow")))
                .willReturn(aResponse().withFixedDelay(30_000).withBody(line("late", true))));
        server.stubFor(post("/api/generate").withRequestBody(matchingJsonPath("$.prompt", equalTo("fast")))
                .willReturn(aResponse().withBody(line("quick", true))));
        OllamaPlatform one = OllamaPlatform.builder().host(server.baseUrl()).http(dev.panic.http.HttpSettings.builder()
                .maxConcurrentCalls(1).maxQueueWait(Duration.ofSeconds(5)).build()).build();
        Model llama = one.model("llama3", Parameters.empty());

        java.util.concurrent.CompletableFuture<ModelOutput> slow = llama.invokeAsync(Payload.text("slow"), Parameters.empty());
        slow.cancel(true);
        ModelOutput fast = llama.invoke(Payload.text("fast"));

        // With one place in flight, the second call gets through only if the first was really aborted.
        assertThat(fast.payload()).isEqualTo(Payload.text("quick"));
    }
}
