package dev.panic.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.panic.Modality;
import dev.panic.Model;
import dev.panic.ModelInfo;
import dev.panic.Parameters;
import dev.panic.Payload;
import dev.panic.Platforms;
import dev.panic.exception.AuthenticationException;
import dev.panic.exception.NotFoundException;
import dev.panic.exception.ValidationException;
import dev.panic.Platform;
import dev.panic.PlatformContext;
import dev.panic.Readiness;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OpenAiPlatformTest {

    private static PlatformContext env(Map<String, String> settings) {
        return PlatformContext.of(settings::get);
    }

    private static OpenAiPlatform fromEnv(Map<String, String> settings) {
        return (OpenAiPlatform) new OpenAiPlatformProvider().create(env(settings));
    }

    @Test
    void should_be_ready_with_a_key_and_say_how_to_get_one_without() {
        Readiness with = fromEnv(Map.of("OPENAI_API_KEY", OpenAiTesting.KEY)).readiness();
        Readiness without = fromEnv(Map.of()).readiness();

        assertThat(with.ready()).isTrue();
        assertThat(with.detail()).contains("OPENAI_API_KEY").doesNotContain(OpenAiTesting.KEY);
        assertThat(without.ready()).isFalse();
        assertThat(without.detail()).contains("set OPENAI_API_KEY").contains("https://platform.openai.com/api-keys");
    }

    @Test
    void should_be_ready_without_a_key_for_another_server() {
        OpenAiPlatform local = fromEnv(Map.of("OPENAI_BASE_URL", "http://localhost:11434/v1/"));

        assertThat(local.readiness().ready()).isTrue();
        assertThat(local.baseUrl()).isEqualTo(URI.create("http://localhost:11434/v1"));
        assertThat(local.description()).contains("OpenAI-compatible server at http://localhost:11434/v1");
        assertThat(OpenAiPlatform.builder().context(env(Map.of())).baseUrl("http://127.0.0.1:8080/v1").build()
                .readiness().ready()).isTrue();
    }

    @Test
    void should_report_a_malformed_setting_instead_of_failing_discovery() {
        OpenAiPlatform broken = fromEnv(Map.of("OPENAI_BASE_URL", "ftp://example.com"));

        assertThat(broken.readiness().ready()).isFalse();
        assertThat(broken.readiness().detail()).contains("must be an http or https URL");
        assertThatThrownBy(() -> broken.model("chat/gpt-4o-mini").invoke(Payload.text("hi")))
                .isInstanceOf(ValidationException.class).hasMessageContaining("ftp://example.com");
        assertThatThrownBy(() -> OpenAiPlatform.builder().baseUrl("not a url").build())
                .isInstanceOf(ValidationException.class);
    }

    @Test
    void should_fail_at_once_without_a_key_for_openai_itself() {
        Model model = fromEnv(Map.of()).model("dall-e-3");

        // The default base URL is OpenAI's: no request may be made, so this must fail before any.
        assertThatThrownBy(() -> model.invoke(Payload.text("a cat")))
                .isInstanceOf(AuthenticationException.class).hasMessageContaining("OPENAI_API_KEY");
    }

    @Test
    void should_be_found_by_discovery_with_its_models() {
        Platforms platforms = Platforms.builder().context(env(Map.of())).discover().build();

        Platform openai = platforms.platform("openai");

        assertThat(openai).isInstanceOf(OpenAiPlatform.class);
        assertThat(openai.models()).extracting(ModelInfo::id).extracting(Object::toString)
                .contains("openai:dall-e-3", "openai:gpt-image-1", "openai:vision/gpt-4o-mini", "openai:chat/gpt-4o-mini",
                        "openai:tts-1", "openai:whisper-1");
        assertThat(platforms.model("openai:vision/gpt-4o-mini").info().modalities()).isEqualTo("IMAGE -> TEXT");
        assertThat(platforms.model("openai:whisper-1").input()).isEqualTo(Modality.AUDIO);
    }

    @Test
    void should_name_every_listed_model_so_that_it_can_be_built() {
        OpenAiPlatform openai = fromEnv(Map.of());

        for (OpenAiModel m : OpenAiModel.values()) {
            Model model = openai.model(m);
            assertThat(model.id()).isEqualTo(m.id());
            assertThat(model.input()).as(m.name()).isEqualTo(m.input());
            assertThat(model.output()).as(m.name()).isEqualTo(m.output());
        }
        assertThat(OpenAiModel.VISION_GPT_4O_MINI.toString()).isEqualTo("gpt-4o-mini");
        assertThat(OpenAiModel.DALL_E_3.toString()).isEqualTo("dall-e-3");
    }

    @Test
    void should_resolve_names_by_role_and_explain_a_chat_model_without_one() {
        OpenAiPlatform openai = fromEnv(Map.of());

        assertThat(openai.model("vision/llava:13b", Parameters.empty()).info().modalities()).isEqualTo("IMAGE -> TEXT");
        assertThat(openai.model("chat/gpt-5-mini", Parameters.empty()).input()).isEqualTo(Modality.TEXT);
        assertThat(openai.model("gpt-image-2-2026-04-21", Parameters.empty()).output()).isEqualTo(Modality.IMAGE);
        assertThat(openai.model("gpt-4o-mini-tts-2025-12-15", Parameters.empty()).output()).isEqualTo(Modality.AUDIO);
        assertThat(openai.model("image/stable-diffusion", Parameters.of("size", "768x768")).parameters().asMap())
                .containsEntry("size", "768x768");
        assertThatThrownBy(() -> openai.model("gpt-4o-mini", Parameters.empty()))
                .isInstanceOf(NotFoundException.class)
                .hasMessageContaining("'chat/gpt-4o-mini' (TEXT -> TEXT)")
                .hasMessageContaining("'vision/gpt-4o-mini' (IMAGE -> TEXT)");
        assertThatThrownBy(() -> openai.model("vision/", Parameters.empty())).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> openai.model("dall-e-3", Parameters.of("qualty", "hd")))
                .isInstanceOf(ValidationException.class).hasMessageContaining("has no parameter 'qualty'")
                .hasMessageContaining("size, quality, style");
    }

    @Test
    void should_show_settings_but_never_the_key() {
        OpenAiPlatform openai = OpenAiPlatform.builder().apiKey(OpenAiTesting.KEY).organization("org-x").project("proj_y")
                .context(env(Map.of())).build();

        assertThat(openai.toString()).isEqualTo(
                "OpenAiPlatform[baseUrl=https://api.openai.com/v1, apiKey=set, organization=org-x, project=proj_y]");
        assertThat(openai.organization()).hasValue("org-x");
        assertThat(openai.project()).hasValue("proj_y");
        assertThat(openai.readiness()).isEqualTo(Readiness.ready("API key set (apiKey)"));
    }
}
