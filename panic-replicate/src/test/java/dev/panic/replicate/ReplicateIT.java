package dev.panic.replicate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.panic.Modality;
import dev.panic.ModelOutput;
import dev.panic.Parameters;
import dev.panic.Payload;
import dev.panic.PlatformContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * Against the real Replicate, with a real token: one FLUX schnell image, captioned by BLIP (two
 * paid predictions, a fraction of a cent). Surefire never runs *IT classes; run it by hand with
 * {@code mvn -pl panic-replicate test -Dtest=ReplicateIT} or from an IDE.
 */
@EnabledIfEnvironmentVariable(named = "REPLICATE_API_TOKEN", matches = ".+")
class ReplicateIT {

    @Test
    void should_paint_with_flux_schnell_and_caption_with_blip() {
        ReplicatePlatform replicate = ReplicatePlatform.builder().context(PlatformContext.system()).build();

        ModelOutput image = replicate.model("black-forest-labs/flux-schnell", Parameters.empty())
                .invoke(Payload.text("a red circle on a blue background"));
        ModelOutput caption = replicate.model("salesforce/blip", Parameters.empty()).invoke(image.payload());

        assertThat(image.payload().modality()).isEqualTo(Modality.IMAGE);
        assertThat(image.metadata().platformPredictionId().orElseThrow()).isNotBlank();
        String text = ((Payload.Text) caption.payload()).text();
        assertThat(text).isNotBlank().doesNotStartWithIgnoringCase("caption:");
        assertThat(caption.metadata().modelVersion()).hasValue(ReplicatePlatform.catalogue().get(1).version().orElseThrow());
    }
}
