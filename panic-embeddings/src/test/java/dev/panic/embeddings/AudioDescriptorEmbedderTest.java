package dev.panic.embeddings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.panic.Embedding;
import dev.panic.Modality;
import dev.panic.Payload;
import dev.panic.exception.InvalidRequestException;
import dev.panic.exception.ValidationException;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class AudioDescriptorEmbedderTest {

    private final AudioDescriptorEmbedder embedder = new AudioDescriptorEmbedder();

    private Embedding embed(Payload audio) {
        return embedder.embed(audio).join();
    }

    @Test
    void should_give_fixed_length_unit_vectors_of_audio_only() {
        // when
        Embedding v = embed(Sim.speak("red blue"));

        // then
        assertThat(embedder.id()).isEqualTo("audio-descriptor");
        assertThat(embedder.modalities()).containsExactly(Modality.AUDIO);
        assertThat(v.dimension()).isEqualTo(embedder.dimension()).isEqualTo(AudioDescriptorEmbedder.DIMENSION);
        assertThat(Sim.norm(v)).isCloseTo(1.0, within(1e-6));
    }

    @Test
    void should_give_identical_vectors_for_the_same_wav() {
        // given
        Payload.Audio wav = Sim.speak("red blue");

        // when
        Embedding first = embed(wav);
        Embedding again = embed(Payload.audio(wav.data().toByteArray(), "audio/x-wav"));

        // then
        assertThat(again).isEqualTo(first);
        assertThat(first.cosine(again)).isCloseTo(1.0, within(1e-9));
    }

    @Test
    void should_keep_small_changes_close_and_different_words_far() {
        // given
        Payload redBlue = Sim.speak("red blue");
        Payload quieter = Sim.scaled(Sim.speak("red blue"), 0.5);
        Payload neighbouringNote = Sim.speak("red purple");
        Payload otherOrder = Sim.speak("blue red");
        Payload otherWords = Sim.speak("cat dog sun moon sea");

        // when
        List<Embedding> v = embedder.embedAll(List.of(redBlue, quieter, neighbouringNote, otherOrder, otherWords)).join();

        // then
        double louder = v.get(0).cosine(v.get(1));
        double neighbour = v.get(0).cosine(v.get(2));
        double reordered = v.get(0).cosine(v.get(3));
        double different = v.get(0).cosine(v.get(4));
        assertThat(louder).isGreaterThan(0.98);
        assertThat(neighbour).isGreaterThan(0.95);
        assertThat(reordered).isLessThan(neighbour).isGreaterThan(different);
        assertThat(different).isLessThan(0.5);
    }

    @Test
    void should_hardly_depend_on_the_sample_rate() {
        // when
        double cosine = embed(Sim.speak("red blue", 8000)).cosine(embed(Sim.speak("red blue", 44100)));

        // then
        assertThat(cosine).isGreaterThan(0.99);
    }

    @Test
    void should_give_silence_a_vector_of_its_own() {
        // given
        Payload.Audio tones = Sim.speak("red blue green");
        Payload silence = Sim.scaled(tones, 0);
        Payload shorterSilence = Sim.wav(1, 1, 8000, 16, new byte[800]);
        Payload empty = Sim.wav(1, 1, 8000, 16, new byte[0]);

        // when
        List<Embedding> v = embedder.embedAll(List.of(silence, shorterSilence, empty, tones)).join();

        // then
        assertThat(Sim.norm(v.get(0))).isCloseTo(1.0, within(1e-6));
        assertThat(v.get(1)).isEqualTo(v.get(0));
        assertThat(v.get(2)).isEqualTo(v.get(0));
        assertThat(v.get(0).cosine(v.get(3))).isLessThan(0.3);
    }

    @Test
    void should_mix_identical_channels_to_the_same_vector_as_mono() {
        // given
        Payload.Audio mono = Sim.speak("red blue");
        short[] s = Sim.samples(mono);
        short[] interleaved = new short[s.length * 2];
        for (int i = 0; i < s.length; i++) {
            interleaved[2 * i] = s[i];
            interleaved[2 * i + 1] = s[i];
        }
        Payload stereo = Sim.wav(1, 2, 8000, 16, Sim.pcm16(interleaved));

        // when / then
        assertThat(embed(stereo)).isEqualTo(embed(mono));
    }

    @Test
    void should_fail_with_an_invalid_request_naming_the_supported_format_for_non_wav_audio() {
        // given
        byte[] mp3Like = {'I', 'D', '3', 4, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4};
        Payload mp3 = Payload.audio(mp3Like, "audio/mpeg");

        // when / then
        assertThatThrownBy(() -> embedder.embedAll(List.of(Sim.speak("red"), mp3)).join())
                .isInstanceOf(CompletionException.class)
                .cause()
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("audio-descriptor input 1")
                .hasMessageContaining("audio/mpeg")
                .hasMessageContaining("not a RIFF/WAVE file")
                .hasMessageContaining("only PCM WAV");
    }

    @Test
    void should_embed_8_bit_wav_like_the_same_sound_in_16_bits() {
        // given: the same clip at 16 bits and at 8 bits (unsigned, as WAV stores them)
        Payload.Audio sixteen = Sim.speak("red", 8000);
        short[] samples = Sim.samples(sixteen);
        byte[] eight = new byte[samples.length];
        for (int i = 0; i < samples.length; i++) {
            eight[i] = (byte) ((samples[i] >> 8) + 128);
        }
        Payload eightBit = Sim.wav(1, 1, 8000, 8, eight);

        // when
        double similarity = embed(sixteen).cosine(embed(eightBit));

        // then: 8 bits lose detail, not the sound; another word sounds different
        assertThat(similarity).isGreaterThan(0.95);
        assertThat(embed(Sim.speak("blue", 8000)).cosine(embed(eightBit))).isLessThan(similarity);
    }

    @Test
    void should_fail_with_an_invalid_request_for_compressed_wav() {
        // given: IMA ADPCM, which javax.sound does not decode
        Payload adpcm = Sim.wav(0x11, 1, 8000, 4, new byte[800]);

        // when / then
        assertThatThrownBy(() -> embed(adpcm))
                .cause()
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("audio-descriptor input 0")
                .hasMessageContaining("only PCM WAV");
    }

    @Test
    void should_reject_an_image_at_once_with_a_validation_exception() {
        // when / then
        assertThatThrownBy(() -> embedder.embedAll(List.of(Sim.paint("a red circle"))))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("input 0 is IMAGE");
    }
}
