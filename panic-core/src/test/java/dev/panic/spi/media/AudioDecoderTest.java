package dev.panic.spi.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.panic.Payload;
import dev.panic.exception.InvalidRequestException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** WAV files written by javax.sound itself, at every sample size the decoder reads. */
class AudioDecoderTest {

    private static final int RATE = 8000;

    /** A 440 Hz sine at half scale, left channel; the right channel is its negation when stereo. */
    private static double wave(int i) {
        return 0.5 * Math.sin(2 * Math.PI * 440 * i / RATE);
    }

    /** Writes {@code frames} frames with javax.sound: signed little-endian, except 8-bit, which WAV stores unsigned. */
    private static Payload.Audio wav(int bits, int channels, int frames, boolean sameOnEveryChannel) throws IOException {
        boolean unsigned = bits == 8;
        AudioFormat format = new AudioFormat(unsigned ? AudioFormat.Encoding.PCM_UNSIGNED : AudioFormat.Encoding.PCM_SIGNED,
                RATE, bits, channels, channels * bits / 8, RATE, false);
        int width = bits / 8;
        byte[] data = new byte[frames * channels * width];
        long full = 1L << (bits - 1);
        for (int i = 0; i < frames; i++) {
            for (int c = 0; c < channels; c++) {
                double v = sameOnEveryChannel || c == 0 ? wave(i) : -wave(i);
                long s = Math.round(v * (full - 1)) + (unsigned ? full : 0);
                for (int k = 0; k < width; k++) {
                    data[(i * channels + c) * width + k] = (byte) (s >> (8 * k));
                }
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AudioSystem.write(new AudioInputStream(new ByteArrayInputStream(data), format, frames), AudioFileFormat.Type.WAVE,
                out);
        return Payload.audio(out.toByteArray(), "audio/wav");
    }

    @ParameterizedTest
    @ValueSource(ints = {8, 16, 24})
    void decodesMonoPcmOfEverySampleSizeToTheSameWave(int bits) throws IOException {
        AudioDecoder.Samples s = AudioDecoder.decode(wav(bits, 1, 800, true), "test input");
        assertThat(s.sampleRate()).isEqualTo(RATE);
        assertThat(s.samples()).hasSize(800);
        double tolerance = 2.0 / (1L << (bits - 1));
        for (int i = 0; i < 800; i++) {
            assertThat((double) s.samples()[i]).as("sample %d of %d-bit", i, bits).isCloseTo(wave(i), within(tolerance));
        }
        assertThat(s.duration().toMillis()).isEqualTo(100);
    }

    @ParameterizedTest
    @ValueSource(ints = {8, 16, 24})
    void averagesChannels(int bits) throws IOException {
        float[] same = AudioDecoder.decode(wav(bits, 2, 400, true), "stereo").samples();
        float[] opposite = AudioDecoder.decode(wav(bits, 2, 400, false), "stereo").samples();
        double tolerance = 2.0 / (1L << (bits - 1));
        for (int i = 0; i < 400; i++) {
            assertThat((double) same[i]).isCloseTo(wave(i), within(tolerance));
            assertThat((double) opposite[i]).isCloseTo(0.0, within(tolerance));
        }
    }

    @Test
    void sixteenBitMonoComesBackExactly() throws IOException {
        Payload.Audio audio = wav(16, 1, 50, true);
        float[] samples = AudioDecoder.decode(audio, "exact").samples();
        byte[] bytes = audio.data().toByteArray();
        int data = bytes.length - 50 * 2;
        for (int i = 0; i < 50; i++) {
            short raw = (short) ((bytes[data + 2 * i] & 0xFF) | (bytes[data + 2 * i + 1] << 8));
            assertThat(samples[i] * 32768f).isEqualTo((float) raw);
        }
    }

    @Test
    void refusesWhatIsNotAWavFile() {
        assertThatThrownBy(() -> AudioDecoder.decode(Payload.audio("ID3 not a wav".getBytes(), "audio/mpeg"), "clip"))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("clip").hasMessageContaining("not a RIFF/WAVE file").hasMessageContaining("0x494433");
    }

    @Test
    void refusesATruncatedWavFile() throws IOException {
        byte[] whole = wav(16, 1, 10, true).data().toByteArray();
        byte[] cut = java.util.Arrays.copyOf(whole, 30);
        assertThatThrownBy(() -> AudioDecoder.decode(Payload.audio(cut, "audio/wav"), "clip"))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("cannot be read");
    }
}
