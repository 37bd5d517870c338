package dev.panic.simulator.internal;

import dev.panic.Bytes;
import dev.panic.Payload;
import dev.panic.exception.InvalidRequestException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;

/**
 * A small RIFF/WAVE codec for 16-bit PCM: writes mono files, reads mono or multi-channel ones
 * (mixing the channels down to mono). Anything else (compressed WAV, 8- or 24-bit samples, a
 * truncated header, not a WAV at all) is rejected with an {@link InvalidRequestException}.
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
     * Decodes a 16-bit PCM WAV payload to mono samples.
     *
     * @param model the model id, for error messages
     * @throws InvalidRequestException if the bytes are not a 16-bit PCM WAV file
     */
    public static Pcm decode(Payload.Audio audio, String model) {
        ByteBuffer b = audio.data().asByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        String what = model + " reads 16-bit PCM WAV only; the " + audio.mediaType() + " input ";
        if (b.remaining() < 12 || !tag(b, 0, "RIFF") || !tag(b, 8, "WAVE")) {
            throw new InvalidRequestException(what + "is not a RIFF/WAVE file");
        }
        long next = 12;
        int channels = 0;
        int sampleRate = 0;
        int blockAlign = 0;
        while (next + 8 <= b.limit()) {
            int pos = (int) next;
            long size = Integer.toUnsignedLong(b.getInt(pos + 4));
            int body = pos + 8;
            if (tag(b, pos, "fmt ")) {
                if (size < 16 || body + 16 > b.limit()) {
                    throw new InvalidRequestException(what + "has a truncated fmt chunk");
                }
                int format = Short.toUnsignedInt(b.getShort(body));
                channels = Short.toUnsignedInt(b.getShort(body + 2));
                sampleRate = b.getInt(body + 4);
                blockAlign = Short.toUnsignedInt(b.getShort(body + 12));
                int bits = Short.toUnsignedInt(b.getShort(body + 14));
                if (format != 1) {
                    throw new InvalidRequestException(what + "has format code " + format + " (1 is PCM)");
                }
                if (bits != 16) {
                    throw new InvalidRequestException(what + "has " + bits + "-bit samples");
                }
                if (channels < 1 || sampleRate <= 0 || blockAlign != channels * 2) {
                    throw new InvalidRequestException(what + "has an inconsistent fmt chunk (" + channels
                            + " channels, " + sampleRate + " Hz, block align " + blockAlign + ")");
                }
            } else if (tag(b, pos, "data")) {
                if (channels == 0) {
                    throw new InvalidRequestException(what + "has its data chunk before its fmt chunk");
                }
                // Streamed files may claim more data than they hold: read what is there.
                long available = Math.min(size, b.limit() - body);
                int frames = (int) (available / blockAlign);
                short[] mono = new short[frames];
                for (int f = 0; f < frames; f++) {
                    int sum = 0;
                    for (int c = 0; c < channels; c++) {
                        sum += b.getShort(body + f * blockAlign + c * 2);
                    }
                    mono[f] = (short) (sum / channels);
                }
                return new Pcm(sampleRate, mono);
            }
            next = body + size + (size & 1);
        }
        throw new InvalidRequestException(what + (channels == 0 ? "has no fmt chunk" : "has no data chunk"));
    }

    private static boolean tag(ByteBuffer b, int at, String tag) {
        if (at + 4 > b.limit()) {
            return false;
        }
        for (int i = 0; i < 4; i++) {
            if (b.get(at + i) != tag.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
}
