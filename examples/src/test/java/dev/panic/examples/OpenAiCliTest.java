package dev.panic.examples;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.panic.Platforms;
import dev.panic.PlatformContext;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The command line with the OpenAI platform on the class path, configured by settings instead of the environment. */
class OpenAiCliTest {

    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int panic(Map<String, String> settings, String... args) {
        return PanicCli.execute(() -> Platforms.builder().context(PlatformContext.of(settings::get)).discover().build(),
                new PrintWriter(out), new PrintWriter(err), false, args);
    }

    @Test
    void should_list_openai_models_as_not_ready_without_a_key() {
        int code = panic(Map.of(), "models");

        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).contains("openai  [not ready: set OPENAI_API_KEY")
                .containsPattern("openai:dall-e-3\\s+TEXT -> IMAGE")
                .containsPattern("openai:vision/gpt-4o-mini\\s+IMAGE -> TEXT")
                .containsPattern("openai:chat/gpt-4o-mini\\s+TEXT -> TEXT")
                .containsPattern("openai:tts-1\\s+TEXT -> AUDIO")
                .containsPattern("openai:whisper-1\\s+AUDIO -> TEXT")
                .contains("sim  [ready: ");
    }

    @Test
    void should_list_openai_as_ready_with_a_key() {
        int code = panic(Map.of("OPENAI_API_KEY", "sk-cli-test-key-0123456789"), "models", "-p", "openai");

        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).contains("openai  [ready: API key set (OPENAI_API_KEY)]")
                .doesNotContain("sk-cli-test-key-0123456789").doesNotContain("sim  [");
    }

    @Test
    void should_run_an_openai_chat_model_named_on_the_command_line() {
        server.stubFor(post("/v1/chat/completions").willReturn(aResponse().withHeader("Content-Type", "application/json")
                .withBody("{\"id\": \"chatcmpl-1\", \"object\": \"chat.completion\", \"created\": 1, \"model\": \"gpt-4o-mini\","
                        + " \"choices\": [{\"index\": 0, \"message\": {\"role\": \"assistant\", \"content\": \"A warm afternoon.\","
                        + " \"refusal\": null}, \"logprobs\": null, \"finish_reason\": \"stop\"}]}")));

        int code = panic(Map.of("OPENAI_BASE_URL", server.baseUrl() + "/v1"),
                "run", "--no-save", "-s", "3", "-n", "openai:chat/gpt-4o-mini", "-p", "a hot day");

        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).contains("network: openai:chat/gpt-4o-mini")
                .contains("#0 openai:chat/gpt-4o-mini").contains("A warm afternoon.")
                .contains("(exact-repeat)");
        server.verify(2, postRequestedFor(urlEqualTo("/v1/chat/completions")));
    }

    @Test
    void should_fail_a_run_on_openai_without_a_key_saying_what_to_set() {
        int code = panic(Map.of(), "run", "--no-save", "-s", "1", "-n", "openai:chat/gpt-4o-mini", "-p", "hi");

        assertThat(code).isNotZero();
        assertThat(out.toString() + err).contains("OPENAI_API_KEY");
    }
}
