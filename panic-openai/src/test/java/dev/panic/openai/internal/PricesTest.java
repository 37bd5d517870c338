package dev.panic.openai.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class PricesTest {

    private static JsonNode json(String s) throws Exception {
        return new ObjectMapper().readTree(s.replace('\'', '"'));
    }

    @Test
    void should_estimate_known_models_from_usage_and_leave_unknown_ones_null() throws Exception {
        assertThat(Prices.chat("gpt-4o-mini", json("{'prompt_tokens': 1000000, 'completion_tokens': 1000000}")))
                .isCloseTo(0.75, within(1e-9));
        assertThat(Prices.chat("some-model", json("{'prompt_tokens': 1, 'completion_tokens': 1}"))).isNull();
        assertThat(Prices.chat("gpt-4o-mini", null)).isNull();
        assertThat(Prices.image("dall-e-3", "1792x1024", "hd", null)).isEqualTo(0.120);
        assertThat(Prices.image("dall-e-2", "256x256", "standard", null)).isEqualTo(0.016);
        assertThat(Prices.image("gpt-image-1", "auto", null, json("{'input_tokens': 50, 'output_tokens': 1000000,"
                + " 'input_tokens_details': {'text_tokens': 10, 'image_tokens': 40}}")))
                .isCloseTo(40.0 + (10 * 5.0 + 40 * 10.0) / 1e6, within(1e-9));
        assertThat(Prices.image("gpt-image-1.5", "auto", null, json("{'output_tokens': 5}"))).isNull();
        assertThat(Prices.speech("tts-1", 1000)).isCloseTo(0.015, within(1e-12));
        assertThat(Prices.speech("gpt-4o-mini-tts", 1000)).isNull();
        assertThat(Prices.transcription("whisper-1", json("{'type': 'duration', 'seconds': 90}"))).isCloseTo(0.009, within(1e-12));
        assertThat(Prices.transcription("whisper-1", json("{'type': 'tokens', 'input_tokens': 5}"))).isNull();
    }
}
