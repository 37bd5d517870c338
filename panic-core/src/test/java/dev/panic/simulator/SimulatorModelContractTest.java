package dev.panic.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.panic.Modality;
import dev.panic.ModelInfo;
import dev.panic.Parameters;
import dev.panic.Payload;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** What every simulator model promises, whatever it computes. */
class SimulatorModelContractTest {

    static Stream<String> models() {
        return SimTesting.SIM.models().stream().map(m -> m.id().name());
    }

    /** A meaningful input of each modality, itself made by simulators. */
    static Payload inputFor(Modality m) {
        return switch (m) {
            case TEXT -> Payload.text("A large red circle at the top left and a small blue square, on a white background!");
            case IMAGE -> SimTesting.call("painter", Payload.text("a large red circle at the top left and a blue stripe"));
            case AUDIO -> SimTesting.call("synth", Payload.text("red sun over the blue sea"));
        };
    }

    @ParameterizedTest
    @MethodSource("models")
    void should_give_its_output_modality(String name) {
        // given
        ModelInfo info = SimTesting.model(name).info();

        // when
        Payload out = SimTesting.call(name, inputFor(info.input()));

        // then
        assertThat(out.modality()).isEqualTo(info.output());
    }

    @ParameterizedTest
    @MethodSource("models")
    void should_give_byte_identical_output_for_the_same_input(String name) {
        // given
        ModelInfo info = SimTesting.model(name).info();
        Payload input = inputFor(info.input());
        SimulatorPlatform other = SimulatorPlatform.builder().seed(99).build();

        // when
        Payload first = SimTesting.call(name, input);
        Payload second = SimTesting.call(name, input);
        Payload elsewhere = other.model(name, Parameters.empty()).invoke(input).payload();

        // then
        assertThat(second).isEqualTo(first);
        assertThat(elsewhere).isEqualTo(first);
    }

    @ParameterizedTest
    @MethodSource("models")
    void should_write_valid_png_or_wav(String name) {
        // given
        ModelInfo info = SimTesting.model(name).info();

        // when
        Payload out = SimTesting.call(name, inputFor(info.input()));

        // then
        if (out instanceof Payload.Image image) {
            assertThat(image.mediaType()).isEqualTo("image/png");
            BufferedImage decoded = SimTesting.decode(image);
            assertThat(image.size()).hasValue(new Payload.Image.Size(decoded.getWidth(), decoded.getHeight()));
        } else if (out instanceof Payload.Audio audio) {
            assertThat(audio.mediaType()).isEqualTo("audio/wav");
            ByteBuffer b = audio.data().asByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            assertThat(ascii(b, 0)).isEqualTo("RIFF");
            assertThat(b.getInt(4)).isEqualTo(b.limit() - 8);
            assertThat(ascii(b, 8)).isEqualTo("WAVE");
            assertThat(ascii(b, 12)).isEqualTo("fmt ");
            assertThat(b.getInt(16)).isEqualTo(16);
            assertThat(b.getShort(20)).as("PCM").isEqualTo((short) 1);
            assertThat(b.getShort(22)).as("mono").isEqualTo((short) 1);
            int rate = b.getInt(24);
            assertThat(b.getInt(28)).as("byte rate").isEqualTo(rate * 2);
            assertThat(b.getShort(32)).as("block align").isEqualTo((short) 2);
            assertThat(b.getShort(34)).as("bits").isEqualTo((short) 16);
            assertThat(ascii(b, 36)).isEqualTo("data");
            int dataBytes = b.getInt(40);
            assertThat(dataBytes).isEqualTo(b.limit() - 44).isPositive();
            assertThat(audio.duration()).isPresent();
            assertThat(audio.duration().orElseThrow().toNanos())
                    .isEqualTo(Math.round(dataBytes / 2 * 1e9 / rate));
        } else {
            assertThat(((Payload.Text) out).text()).isNotBlank();
        }
    }

    private static String ascii(ByteBuffer b, int at) {
        byte[] four = new byte[4];
        b.get(at, four);
        return new String(four, StandardCharsets.US_ASCII);
    }
}
