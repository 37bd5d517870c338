package dev.panic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.panic.exception.NotFoundException;
import dev.panic.exception.ValidationException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlatformsTest {

    @Test
    void should_resolve_models_of_a_platform_registered_by_hand() {
        Platforms platforms = Platforms.builder().register(new HiddenTestProvider.KeyedPlatform("mine", true)).build();

        Model upper = platforms.model("mine:upper");

        assertThat(upper.id()).isEqualTo(new ModelId("mine", "upper"));
        assertThat(((Payload.Text) upper.invoke(Payload.text("abc")).payload()).text()).isEqualTo("ABC");
        assertThat(platforms.models()).extracting(ModelInfo::id).contains(new ModelId("mine", "upper"));
    }

    @Test
    void should_list_known_platforms_when_one_is_unknown() {
        Platforms platforms = Platforms.builder().register(new HiddenTestProvider.KeyedPlatform("mine", true)).build();

        assertThatThrownBy(() -> platforms.model("nowhere:x"))
                .isInstanceOf(NotFoundException.class)
                .hasMessageContaining("no platform 'nowhere'")
                .hasMessageContaining("known platforms: mine");
        assertThatThrownBy(() -> platforms.model("mine:lower"))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("known: upper");
        assertThatThrownBy(() -> platforms.model("upper"))
                .isInstanceOf(ValidationException.class).hasMessageContaining("'platform:name'");
    }

    @Test
    void should_find_a_provider_that_only_the_context_class_loader_can_see(@TempDir Path dir) throws Exception {
        Path services = dir.resolve("META-INF/services");
        Files.createDirectories(services);
        Files.writeString(services.resolve("dev.panic.PlatformProvider"),
                "# a broken entry must not hide the good one\ndev.panic.NoSuchProvider\ndev.panic.HiddenTestProvider\n");
        ClassLoader before = Thread.currentThread().getContextClassLoader();
        try (URLClassLoader kernelLoader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, before)) {
            Thread.currentThread().setContextClassLoader(kernelLoader);

            Platforms platforms = Platforms.builder()
                    .context(PlatformContext.of(Map.of("HIDDEN_API_KEY", "k")::get)).discover().build();

            assertThat(platforms.platform("hidden").readiness().ready()).isTrue();
            assertThat(platforms.model("hidden:upper").output()).isEqualTo(Modality.TEXT);
        } finally {
            Thread.currentThread().setContextClassLoader(before);
        }
        assertThat(Platforms.discover().all()).extracting(p -> p.id()).doesNotContain("hidden");
    }

    @Test
    void should_let_a_platform_registered_by_hand_replace_a_discovered_one() {
        Platforms platforms = Platforms.builder()
                .register(new HiddenTestProvider.KeyedPlatform("hidden", false))
                .register(new HiddenTestProvider.KeyedPlatform("hidden", true)).build();

        assertThat(platforms.all()).hasSize(1);
        assertThat(platforms.platform("hidden").readiness().ready()).isTrue();
    }

    @Test
    void should_read_settings_from_the_context_and_treat_blank_as_unset() {
        PlatformContext ctx = PlatformContext.of(Map.of("A", " v ", "B", "  ")::get);
        assertThat(ctx.setting("A")).hasValue("v");
        assertThat(ctx.setting("B")).isEmpty();
        assertThat(ctx.setting("C")).isEmpty();
    }

    @Test
    void should_reject_an_invalid_platform_id() {
        assertThatThrownBy(() -> Platforms.builder().register(new HiddenTestProvider.KeyedPlatform("Bad Id", true)))
                .isInstanceOf(ValidationException.class).hasMessageContaining("platform id 'Bad Id' is not valid");
    }
}
