package dev.panic.embeddings.internal;

import dev.panic.Payload;
import dev.panic.exception.InvalidRequestException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;

/**
 * Reads 16-bit PCM WAV files into mono samples. Both the plain PCM format tag (1) and
 * WAVE_FORMAT_EXTENSIBLE with a PCM sub-format are read, since many tools write the latter for
 * anything but mono 16-bit; channels are averaged. Anything else is refused with a message saying
 * what the input is and what is read.
 */
public final class WavReader {

    /** What is read, for error messages. */
    public static final String SUPPORTED = "16-bit PCM WAV (RIFF/WAVE, any sample rate, any number of channels)";

    private static final int PCM = 1;
    private static final int EXTENSIBLE = 0xFFFE;
    // Beyond these a header is more likely corrupt than real, and frame sizes follow the rate.
    private static final int MIN_RATE = 1000;
    private static final int MAX_RATE = 768_000;

    private WavReader() {
    }

    /**
     * Mono samples scaled to -1..1.
     *
     * @param sampleRate samples per second
     * @param samples    the samples
     */
    public record Pcm(int sampleRate, float[] samples) {
    }

    /**
     * Decodes a WAV payload by its content; the media type is only reported.
     *
     * @param what how to name the input in error messages, e.g. {@code "audio-descriptor input 0"}
     * @throws InvalidRequestException saying what is wrong and what is supported
     */
    public static Pcm read(Payload.Audio audio, String what) {
        ByteBuffer b = audio.data().asByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        String named = what + " (" + audio.summary(60) + ")";
        String only = "; only " + SUPPORTED + " is read";
        if (b.limit() < 12 || !tag(b, 0, "RIFF") || !tag(b, 8, "WAVE")) {
            throw new InvalidRequestException(named + " is not a RIFF/WAVE file (it starts with " + head(b) + ")"
                    + only);
        }
        int channels = 0;
        int sampleRate = 0;
        int blockAlign = 0;
        long next = 12;
        while (next + 8 <= b.limit()) {
            int pos = (int) next;
            long size = Integer.toUnsignedLong(b.getInt(pos + 4));
            int body = pos + 8;
            if (tag(b, pos, "fmt ")) {
                if (size < 16 || body + 16 > b.limit()) {
                    throw new InvalidRequestException(named + " has a truncated fmt chunk" + only);
                }
                int format = Short.toUnsignedInt(b.getShort(body));
                channels = Short.toUnsignedInt(b.getShort(body + 2));
                sampleRate = b.getInt(body + 4);
                blockAlign = Short.toUnsignedInt(b.getShort(body + 12));
                int bits = Short.toUnsignedInt(b.getShort(body + 14));
                if (format == EXTENSIBLE) {
                    // The sub-format GUID's first two bytes are the format tag it stands for.
                    if (size < 40 || body + 26 > b.limit()) {
                        throw new InvalidRequestException(named + " has a truncated extensible fmt chunk" + only);
                    }
                    format = Short.toUnsignedInt(b.getShort(body + 24));
                }
                if (format != PCM) {
                    throw new InvalidRequestException(named + " is a WAV file with format code " + format
                            + " (" + formatName(format) + ")" + only);
                }
                if (bits != 16) {
                    throw new InvalidRequestException(named + " is a WAV file with " + bits + "-bit samples" + only);
                }
                if (sampleRate < MIN_RATE || sampleRate > MAX_RATE) {
                    throw new InvalidRequestException(named + " claims a sample rate of " + sampleRate
                            + " Hz; rates from " + MIN_RATE + " to " + MAX_RATE + " Hz are read");
                }
                if (channels < 1 || blockAlign != channels * 2) {
                    throw new InvalidRequestException(named + " has an inconsistent fmt chunk (" + channels
                            + " channels, " + sampleRate + " Hz, block align " + blockAlign + ")" + only);
                }
            } else if (tag(b, pos, "data")) {
                if (channels == 0) {
                    throw new InvalidRequestException(named + " has its data chunk before its fmt chunk" + only);
                }
                // Streaming writers leave the size unknown or too large: read what is there.
                long available = Math.min(size, b.limit() - body);
                return new Pcm(sampleRate, mix(b, body, (int) (available / blockAlign), channels, blockAlign));
            }
            next = body + size + (size & 1);
        }
        throw new InvalidRequestException(named + (channels == 0 ? " has no fmt chunk" : " has no data chunk") + only);
    }

    private static float[] mix(ByteBuffer b, int body, int frames, int channels, int blockAlign) {
        float[] mono = new float[frames];
        float scale = 1f / (32768f * channels);
        for (int f = 0; f < frames; f++) {
            int at = body + f * blockAlign;
            int sum = 0;
            for (int c = 0; c < channels; c++) {
                sum += b.getShort(at + c * 2);
            }
            mono[f] = sum * scale;
        }
        return mono;
    }

    private static String formatName(int format) {
        return switch (format) {
            case 2 -> "ADPCM";
            case 3 -> "32-bit float";
            case 6 -> "A-law";
            case 7 -> "mu-law";
            case 0x11 -> "IMA ADPCM";
            case 0x55 -> "MP3";
            default -> "not PCM";
        };
    }

    private static boolean tag(ByteBuffer b, int at, String tag) {
        if (at < 0 || at + 4 > b.limit()) {
            return false;
        }
        for (int i = 0; i < 4; i++) {
            if (b.get(at + i) != tag.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static String head(ByteBuffer b) {
        byte[] first = new byte[Math.min(8, b.limit())];
        b.get(0, first);
        return "0x" + HexFormat.of().formatHex(first);
    }
}
