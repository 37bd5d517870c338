package dev.panic.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.panic.ModelOutput;
import dev.panic.Parameters;
import dev.panic.Payload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * One cheap call to the real OpenAI API (a few tokens of gpt-4o-mini). Runs only by hand, with
 * OPENAI_API_KEY set: surefire skips *IT classes, e.g.
 * {@code mvn -pl panic-openai test -Dtest=OpenAiIT -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@EnabledIfEnvironmentVariable(named = "OPENAI_API_KEY", matches = ".+")
class OpenAiIT {

    @Test
    void should_answer_a_short_chat_call() {
        OpenAiPlatform openai = OpenAiPlatform.builder().build();

        ModelOutput out = openai.model("chat/gpt-4o-mini", Parameters.of("max_completion_tokens", 16))
                .invoke(Payload.text("Say the word 'loop' and nothing else."));

        assertThat(((Payload.Text) out.payload()).text()).isNotBlank();
        assertThat(out.metadata().platformPredictionId().orElseThrow()).startsWith("chatcmpl-");
        assertThat(out.metadata().modelVersion().orElseThrow()).startsWith("gpt-4o-mini");
        assertThat(out.metadata().costUsd().orElseThrow()).isLessThan(0.001);
    }
}
