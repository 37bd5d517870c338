package dev.panic.replicate;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static dev.panic.replicate.Fake.PNG;
import static dev.panic.replicate.Fake.problem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.panic.Modality;
import dev.panic.ModelInfo;
import dev.panic.Network;
import dev.panic.Parameters;
import dev.panic.Payload;
import dev.panic.Platforms;
import dev.panic.exception.AuthenticationException;
import dev.panic.exception.NotFoundException;
import dev.panic.exception.ValidationException;
import dev.panic.Platform;
import dev.panic.PlatformContext;
import dev.panic.Readiness;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The platform as PANIC sees it: discovery, readiness, the catalogue, declarations, configuration and secrets. */
class ReplicatePlatformTest {

    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static PlatformContext env(Map<String, String> variables) {
        return PlatformContext.of(variables::get);
    }

    @Test
    void should_be_found_by_discovery_and_read_its_token_from_the_context() {
        Platform found = Platforms.builder().context(env(Map.of("REPLICATE_API_TOKEN", Fake.TOKEN))).discover().build()
                .platform("replicate");

        assertThat(found).isInstanceOf(ReplicatePlatform.class);
        assertThat(found.readiness()).isEqualTo(Readiness.ready("REPLICATE_API_TOKEN is set"));
        assertThat(found.toString()).contains("token set").doesNotContain(Fake.TOKEN);
    }

    @Test
    void should_be_not_ready_without_a_token_and_say_where_to_get_one_without_calling_the_network() {
        ReplicatePlatform platform = ReplicatePlatform.builder().context(env(Map.of()))
                .baseUrl(server.baseUrl() + "/v1").build();

        Readiness r = platform.readiness();

        assertThat(r.ready()).isFalse();
        assertThat(r.detail()).isEqualTo("set REPLICATE_API_TOKEN to an API token from https://replicate.com/account/api-tokens");
        assertThat(server.findAll(anyRequestedFor(anyUrl()))).isEmpty();
    }

    @Test
    void should_refuse_calls_without_a_token_with_an_authentication_error() {
        ReplicatePlatform platform = ReplicatePlatform.builder().context(env(Map.of()))
                .baseUrl(server.baseUrl() + "/v1").build();

        assertThatThrownBy(() -> platform.model("salesforce/blip", Parameters.empty()).invoke(Payload.image(PNG, "image/png")))
                .isInstanceOf(AuthenticationException.class).hasMessageContaining("REPLICATE_API_TOKEN");
        assertThatThrownBy(() -> Fake.join(platform.imageBindEmbedder().embed(Payload.text("x"))))
                .isInstanceOf(AuthenticationException.class).hasMessageContaining("REPLICATE_API_TOKEN");
        assertThat(server.findAll(anyRequestedFor(anyUrl()))).isEmpty();
    }

    @Test
    void should_list_the_catalogue_with_modalities() {
        ReplicatePlatform platform = ReplicatePlatform.builder().context(env(Map.of())).build();

        assertThat(platform.models()).extracting(m -> m.id().toString() + " " + m.modalities()).containsExactly(
                "replicate:black-forest-labs/flux-schnell TEXT -> IMAGE",
                "replicate:salesforce/blip IMAGE -> TEXT",
                "replicate:yorickvp/llava-13b IMAGE -> TEXT",
                "replicate:openai/whisper AUDIO -> TEXT",
                "replicate:meta/musicgen TEXT -> AUDIO",
                "replicate:meta/meta-llama-3-8b-instruct TEXT -> TEXT");
        assertThat(ReplicatePlatform.catalogue()).allSatisfy(m ->
                assertThat(m.official() || m.version().isPresent()).as(m.name() + " is runnable").isTrue());
    }

    @Test
    void should_build_the_paper_network_of_flux_and_blip() {
        Platforms platforms = Platforms.builder().context(env(Map.of())).discover().build();

        Network loop = platforms.network("replicate:black-forest-labs/flux-schnell", "replicate:salesforce/blip");

        assertThat(loop.toString()).contains("replicate:black-forest-labs/flux-schnell -> replicate:salesforce/blip");
    }

    @Test
    void should_explain_how_to_declare_an_unknown_model() {
        ReplicatePlatform platform = ReplicatePlatform.builder().context(env(Map.of())).build();

        assertThatThrownBy(() -> platform.model("stability-ai/sdxl", Parameters.empty()))
                .isInstanceOf(NotFoundException.class)
                .hasMessageContaining("replicate has no declared model 'stability-ai/sdxl'")
                .hasMessageContaining("salesforce/blip").hasMessageContaining("black-forest-labs/flux-schnell")
                .hasMessageContaining("ReplicateModel.builder").hasMessageContaining("replicate.input");
    }

    @Test
    void should_list_a_declared_model_and_let_it_replace_a_catalogue_entry() {
        ReplicateModel mine = ReplicateModel.builder("someone/echo").version(Fake.OTHER_VERSION)
                .input(Modality.AUDIO).output(Modality.AUDIO).inputField("audio").description("an echo").build();
        ReplicatePlatform platform = ReplicatePlatform.builder().context(env(Map.of())).model(mine)
                .model(ReplicatePlatform.catalogue().get(1).withVersion(Fake.OTHER_VERSION)).build();

        assertThat(platform.models()).contains(new ModelInfo(new dev.panic.ModelId("replicate", "someone/echo"),
                Modality.AUDIO, Modality.AUDIO, "an echo"));
        assertThat(platform.declaredModels().get(1).version()).hasValue(Fake.OTHER_VERSION);
    }

    @Test
    void should_reject_malformed_declarations_and_settings_with_clear_messages() {
        assertThatThrownBy(() -> ReplicateModel.builder("no-slash").input(Modality.TEXT).output(Modality.TEXT)
                .inputField("prompt").build()).isInstanceOf(ValidationException.class).hasMessageContaining("'owner/name'");
        assertThatThrownBy(() -> ReplicateModel.builder("a/b").version("abc123").input(Modality.TEXT)
                .output(Modality.TEXT).inputField("prompt").build()).isInstanceOf(ValidationException.class)
                .hasMessageContaining("64-character version id");
        assertThatThrownBy(() -> ReplicateModel.builder("a/b").input(Modality.TEXT).output(Modality.TEXT).build())
                .isInstanceOf(ValidationException.class).hasMessageContaining("input field");
        assertThatThrownBy(() -> ReplicatePlatform.builder().syncWait(Duration.ofSeconds(61)))
                .isInstanceOf(ValidationException.class).hasMessageContaining("0 to 60");
        assertThatThrownBy(() -> ReplicatePlatform.builder().cancelAfter(Duration.ofSeconds(2)))
                .isInstanceOf(ValidationException.class).hasMessageContaining("at least 5 s");
        assertThatThrownBy(() -> ReplicatePlatform.builder().version("nobody/nothing", Fake.OTHER_VERSION).build())
                .isInstanceOf(ValidationException.class).hasMessageContaining("not declared");
        assertThatThrownBy(() -> ReplicatePlatform.builder().apiToken(Fake.TOKEN)
                .http(Fake.http().requestTimeout(Duration.ofSeconds(30)).build()).build())
                .isInstanceOf(ValidationException.class).hasMessageContaining("must be longer than syncWait");
        ReplicatePlatform platform = ReplicatePlatform.builder().context(env(Map.of())).build();
        assertThatThrownBy(() -> platform.model("a/b", Parameters.of(ReplicatePlatform.PARAM_INPUT, "smell")))
                .isInstanceOf(ValidationException.class).hasMessageContaining("unknown modality 'smell'");
    }

    @Test
    void should_never_write_the_token_to_the_log_but_log_the_request_line() throws Exception {
        server.stubFor(post("/v1/predictions").willReturn(problem(400, "Bad request",
                "header was Authorization: Bearer " + Fake.TOKEN)));

        assertThatThrownBy(() -> Fake.platform(server).build().model("salesforce/blip", Parameters.empty())
                .invoke(Payload.image(PNG, "image/png")))
                .satisfies(e -> assertThat(e.getMessage()).contains("Bearer ****").doesNotContain(Fake.TOKEN));

        Path log = Path.of("target/panic-test.log");
        assertThat(log).exists();
        String logged = Files.readString(log);
        assertThat(logged).contains("replicate POST " + server.baseUrl() + "/v1/predictions -> 400");
        assertThat(logged).doesNotContain(Fake.TOKEN);
        server.verify(com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(urlEqualTo("/v1/predictions"))
                .withHeader("Authorization", com.github.tomakehurst.wiremock.client.WireMock.equalTo("Bearer " + Fake.TOKEN)));
    }
}
