package dev.panic.spi.media;

import dev.panic.Payload;
import dev.panic.exception.InvalidRequestException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.HexFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;

/**
 * Decodes WAV payloads with {@code javax.sound.sampled} into mono samples, for every part of PANIC
 * that listens (the simulator, the audio descriptor): 8-bit (unsigned), 16-, 24- and 32-bit PCM and
 * 32-bit float, plain or {@code WAVE_FORMAT_EXTENSIBLE}, any number of channels (averaged), in
 * memory only. Compressed WAV (ADPCM, A-law, mu-law, MP3) is refused with a message saying what is read.
 */
public final class AudioDecoder {

    /** What is read, for error messages. */
    public static final String SUPPORTED = "PCM WAV (RIFF/WAVE: 8-, 16-, 24- or 32-bit integer or 32-bit float samples,"
            + " any sample rate, any number of channels)";

    // Beyond these a header is more likely corrupt than real.
    private static final float MIN_RATE = 1000;
    private static final float MAX_RATE = 768_000;

    private AudioDecoder() {
    }

    /**
     * Mono samples scaled to -1..1 (the mean of the channels).
     *
     * @param sampleRate samples per second
     * @param samples    one per frame; owned by whoever holds the record
     */
    public record Samples(int sampleRate, float[] samples) {
        /** Playing time. */
        public Duration duration() {
            return Duration.ofNanos(Math.round(samples.length * 1e9 / sampleRate));
        }
    }

    /**
     * Decodes a WAV payload by its content; the media type is only reported.
     *
     * @param what how to name the input in error messages, e.g. {@code "audio-descriptor input 0"}
     * @throws InvalidRequestException saying what is wrong with the input and what is read
     */
    public static Samples decode(Payload.Audio audio, String what) {
        byte[] bytes = audio.data().toByteArray();
        String named = what + " (" + audio.summary(60) + ")";
        String only = "; only " + SUPPORTED + " is read";
        if (bytes.length < 12 || !tag(bytes, 0, "RIFF") || !tag(bytes, 8, "WAVE")) {
            throw new InvalidRequestException(named + " is not a RIFF/WAVE file (it starts with " + head(bytes) + ")"
                    + only);
        }
        try (AudioInputStream in = AudioSystem.getAudioInputStream(new ByteArrayInputStream(bytes))) {
            AudioFormat f = in.getFormat();
            AudioFormat.Encoding e = f.getEncoding();
            int bits = f.getSampleSizeInBits();
            boolean integer = (e.equals(AudioFormat.Encoding.PCM_SIGNED) || e.equals(AudioFormat.Encoding.PCM_UNSIGNED))
                    && (bits == 8 || bits == 16 || bits == 24 || bits == 32);
            boolean floating = e.equals(AudioFormat.Encoding.PCM_FLOAT) && bits == 32;
            if (!integer && !floating) {
                throw new InvalidRequestException(named + " is a WAV file of " + bits + "-bit " + e + " samples" + only);
            }
            if (f.getSampleRate() < MIN_RATE || f.getSampleRate() > MAX_RATE) {
                throw new InvalidRequestException(named + " claims a sample rate of " + f.getSampleRate()
                        + " Hz; rates from " + (int) MIN_RATE + " to " + (int) MAX_RATE + " Hz are read");
            }
            int channels = f.getChannels();
            int frameSize = f.getFrameSize();
            if (channels < 1 || frameSize != channels * bits / 8) {
                throw new InvalidRequestException(named + " has an inconsistent format (" + f + ")" + only);
            }
            byte[] data = in.readAllBytes();
            int frames = data.length / frameSize;
            float[] mono = new float[frames];
            int width = bits / 8;
            boolean unsigned = e.equals(AudioFormat.Encoding.PCM_UNSIGNED);
            double fullScale = floating ? 1.0 : Math.pow(2, bits - 1);
            for (int i = 0; i < frames; i++) {
                double sum = 0;
                for (int c = 0; c < channels; c++) {
                    int at = i * frameSize + c * width;
                    sum += floating ? Float.intBitsToFloat((int) read(data, at, 4, f.isBigEndian()))
                            : sample(data, at, width, f.isBigEndian(), unsigned);
                }
                // The mean in double first: integer channels average exactly, as a hand-written mixer would.
                mono[i] = (float) (sum / channels / fullScale);
            }
            return new Samples(Math.round(f.getSampleRate()), mono);
        } catch (UnsupportedAudioFileException | IOException ex) {
            throw new InvalidRequestException(named + " is a RIFF/WAVE file that cannot be read (truncated or damaged,"
                    + " or compressed: " + ex.getMessage() + ")" + only, ex);
        }
    }

    private static long sample(byte[] d, int at, int width, boolean bigEndian, boolean unsigned) {
        long v = read(d, at, width, bigEndian);
        if (unsigned) {
            return v - (1L << (width * 8 - 1));
        }
        int shift = 64 - width * 8;
        return (v << shift) >> shift;
    }

    private static long read(byte[] d, int at, int width, boolean bigEndian) {
        long v = 0;
        for (int k = 0; k < width; k++) {
            int b = d[at + (bigEndian ? k : width - 1 - k)] & 0xFF;
            v = (v << 8) | b;
        }
        return v;
    }

    private static boolean tag(byte[] b, int at, String tag) {
        for (int i = 0; i < 4; i++) {
            if (b[at + i] != tag.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static String head(byte[] b) {
        byte[] first = java.util.Arrays.copyOf(b, Math.min(8, b.length));
        return "0x" + HexFormat.of().formatHex(first);
    }
}
