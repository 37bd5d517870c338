package dev.panic.simulator.internal;

import dev.panic.Bytes;
import dev.panic.Payload;
import dev.panic.exception.InvalidRequestException;
import dev.panic.spi.media.AudioDecoder;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;

/**
 * The simulators' WAV: writes mono 16-bit PCM files; reads what {@link AudioDecoder} reads, as mono
 * 16-bit samples. Anything else (compressed WAV, a truncated header, not a WAV at all) is rejected
 * with an {@link InvalidRequestException}.
 */
public final class Wav {

    /** The media type of what the simulators write. */
    public static final String MEDIA_TYPE = "audio/wav";

    private static final int HEADER_BYTES = 44;

    private Wav() {
    }

    /**
     * Mono 16-bit samples at a sample rate.
     *
     * @param sampleRate samples per second
     * @param samples    the samples; owned by whoever made the record
     */
    public record Pcm(int sampleRate, short[] samples) {
        /** Playing time. */
        public Duration duration() {
            return Duration.ofNanos(Math.round(samples.length * 1e9 / sampleRate));
        }
    }

    /** Encodes mono 16-bit PCM as a WAV audio payload with its duration recorded. */
    public static Payload.Audio encode(Pcm pcm) {
        int dataBytes = pcm.samples().length * 2;
        ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.put(ascii("RIFF")).putInt(36 + dataBytes).put(ascii("WAVE"));
        b.put(ascii("fmt ")).putInt(16)
                .putShort((short) 1)                  // PCM
                .putShort((short) 1)                  // mono
                .putInt(pcm.sampleRate())
                .putInt(pcm.sampleRate() * 2)         // byte rate
                .putShort((short) 2)                  // block align
                .putShort((short) 16);                // bits per sample
        b.put(ascii("data")).putInt(dataBytes);
        for (short s : pcm.samples()) {
            b.putShort(s);
        }
        return new Payload.Audio(Bytes.wrap(b.array()), MEDIA_TYPE, pcm.duration());
    }

    /**
     * Decodes a WAV payload ({@link AudioDecoder}: 8-, 16-, 24-bit PCM and more, channels averaged)
     * to mono 16-bit samples. A 16-bit mono file comes back sample for sample, so the simulators'
     * fixed points do not move; channels average as integers do (truncated toward zero).
     *
     * @param model the model id, for error messages
     * @throws InvalidRequestException if the bytes are not a WAV file it reads
     */
    public static Pcm decode(Payload.Audio audio, String model) {
        AudioDecoder.Samples decoded = AudioDecoder.decode(audio, model + " input");
        float[] f = decoded.samples();
        short[] mono = new short[f.length];
        for (int i = 0; i < f.length; i++) {
            mono[i] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, (int) (f[i] * 32768.0)));
        }
        return new Pcm(decoded.sampleRate(), mono);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
}
