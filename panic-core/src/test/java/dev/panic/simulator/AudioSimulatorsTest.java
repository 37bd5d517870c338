package dev.panic.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.panic.Model;
import dev.panic.Parameters;
import dev.panic.Payload;
import dev.panic.Prediction;
import dev.panic.Run;
import dev.panic.RunStatus;
import dev.panic.StopReason;
import dev.panic.exception.InvalidRequestException;
import dev.panic.simulator.internal.Tones;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AudioSimulatorsTest {

    @Test
    void should_speak_each_word_as_a_tone_followed_by_silence() {
        // when
        Payload.Audio audio = (Payload.Audio) SimTesting.call("synth", Payload.text("red, sun & sea!"));

        // then
        assertThat(audio.duration()).hasValue(Duration.ofMillis(3 * 200));
        short[] s = SimTesting.samples(audio);
        assertThat(s).hasSize(3 * 1600);
        assertThat(peak(s, 0, 1200)).isGreaterThan(15000);
        assertThat(peak(s, 1200, 1600)).isZero();
        assertThat(peak(s, 1600, 2800)).isGreaterThan(15000);
    }

    @Test
    void should_use_the_sample_rate_asked_for() {
        // when
        Payload.Audio audio = (Payload.Audio) SimTesting.model("synth")
                .invoke(Payload.text("hello world"), Parameters.of("sample_rate", 16000)).payload();

        // then
        assertThat(audio.duration()).hasValue(Duration.ofMillis(400));
        assertThat(SimTesting.samples(audio)).hasSize(6400);
        assertThat(SimTesting.text(SimTesting.call("listener", audio))).isEqualTo("hello world");
    }

    @Test
    void should_hear_vocabulary_words_exactly() {
        // given
        String text = String.join(" ", Tones.VOCABULARY);

        // when
        String heard = SimTesting.text(SimTesting.call("listener", SimTesting.call("synth", Payload.text(text))));

        // then
        assertThat(Tones.VOCABULARY).hasSize(64).doesNotHaveDuplicates();
        assertThat(heard).isEqualTo(text);
    }

    @Test
    void should_hear_unknown_words_as_the_nearest_vocabulary_words() {
        // when
        String heard = SimTesting.text(SimTesting.call("listener",
                SimTesting.call("synth", Payload.text("Zebras quietly discuss philosophy"))));

        // then
        List<String> words = List.of(heard.split(" "));
        assertThat(words).hasSize(4);
        assertThat(Tones.VOCABULARY).containsAll(words);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "a group of sheep grazing on lush grass",
        "A red sun over the blue sea",
        "",
    })
    void should_reach_a_fixed_point_in_a_synth_listener_loop(String prompt) {
        // when
        Run run = SimTesting.loop(Payload.text(prompt), 20, SimTesting.model("synth"), SimTesting.model("listener"));

        // then
        assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
        StopReason reason = run.stopReason().orElseThrow();
        assertThat(reason.rule()).isEqualTo("exact-repeat");
        assertThat(reason.period()).hasValue(2);
        assertThat(reason.sequence().getAsInt()).isLessThanOrEqualTo(4);
    }

    @Test
    void should_fade_to_exact_silence_in_an_echo_loop() {
        // given
        Payload start = SimTesting.call("synth", Payload.text("a red sun over the blue sea"));

        // when
        Run run = SimTesting.loop(start, 300, SimTesting.model("echo"));

        // then
        assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(run.stopReason().orElseThrow().rule()).isEqualTo("exact-repeat");
        assertThat(run.stopReason().orElseThrow().period()).hasValue(1);
        List<Prediction> p = run.predictions();
        assertThat(peak(SimTesting.samples(p.get(p.size() - 1).output()), 0, -1)).isZero();
        assertThat(SimTesting.samples(p.get(p.size() - 1).output())).hasSameSizeAs(SimTesting.samples(start));
        assertThat(peak(SimTesting.samples(p.get(0).output()), 0, -1)).isLessThan(peak(SimTesting.samples(start), 0, -1));
    }

    @Test
    void should_add_an_echo_after_each_tone() {
        // given
        Payload one = SimTesting.call("synth", Payload.text("sun"));

        // when
        short[] echoed = SimTesting.samples(SimTesting.call("echo", one));

        // then: the tone ends at 150 ms but its echo sounds from 120 to 270 ms
        assertThat(peak(echoed, 1250, 1600)).isGreaterThan(1000);
        assertThat(peak(SimTesting.samples(one), 1250, 1600)).isZero();
    }

    @ParameterizedTest
    @ValueSource(ints = {8, 24})
    void should_hear_8_and_24_bit_wav_as_it_hears_16_bit(int bits) {
        // given: the synth's tone for a word, rewritten with fewer or more bits per sample
        short[] mono = SimTesting.samples(SimTesting.call("synth", Payload.text("moon")));
        int width = bits / 8;
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(44 + mono.length * width)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(36 + mono.length * width).put("WAVE".getBytes());
        b.put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) 1).putInt(8000)
                .putInt(8000 * width).putShort((short) width).putShort((short) bits);
        b.put("data".getBytes()).putInt(mono.length * width);
        for (short v : mono) {
            if (bits == 8) {
                b.put((byte) ((v >> 8) + 128));
            } else {
                int s24 = v << 8;
                b.put((byte) s24).put((byte) (s24 >> 8)).put((byte) (s24 >> 16));
            }
        }

        // when
        String heard = SimTesting.text(SimTesting.call("listener", Payload.audio(b.array(), "audio/wav")));

        // then
        assertThat(heard).isEqualTo("moon");
    }

    @Test
    void should_mix_stereo_down_to_mono() {
        // given: the same tone on both channels of a stereo file
        short[] mono = SimTesting.samples(SimTesting.call("synth", Payload.text("moon")));
        short[] stereo = new short[mono.length * 2];
        for (int i = 0; i < mono.length; i++) {
            stereo[2 * i] = mono[i];
            stereo[2 * i + 1] = mono[i];
        }

        // when
        String heard = SimTesting.text(SimTesting.call("listener", SimTesting.wav(8000, 2, 16, 1, stereo)));

        // then
        assertThat(heard).isEqualTo("moon");
    }

    @Test
    void should_reject_audio_that_is_not_pcm_wav() {
        Model listener = SimTesting.model("listener");
        assertThatThrownBy(() -> listener.invoke(Payload.audio("ID3 not a wav".getBytes(), "audio/mpeg")))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("sim:listener").hasMessageContaining("not a RIFF/WAVE file");
        assertThatThrownBy(() -> listener.invoke(SimTesting.wav(8000, 1, 16, 3, new short[10])))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("16-bit PCM_FLOAT");
        byte[] truncated = new byte[30];
        System.arraycopy(SimTesting.wav(8000, 1, 16, 1, new short[10]).data().toByteArray(), 0, truncated, 0, 30);
        assertThatThrownBy(() -> listener.invoke(Payload.audio(truncated, "audio/wav")))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("truncated");
    }

    @Test
    void should_hear_nothing_in_silence() {
        assertThat(SimTesting.text(SimTesting.call("listener", SimTesting.wav(8000, 1, 16, 1, new short[4000]))))
                .isEmpty();
    }

    private static int peak(short[] s, int from, int to) {
        int end = to < 0 ? s.length : to;
        int max = 0;
        for (int i = from; i < end; i++) {
            max = Math.max(max, Math.abs(s[i]));
        }
        return max;
    }
}
