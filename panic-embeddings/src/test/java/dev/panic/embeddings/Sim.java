package dev.panic.embeddings;

import dev.panic.Parameters;
import dev.panic.Payload;
import dev.panic.Platforms;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import javax.imageio.ImageIO;

/** Realistic inputs from the offline simulator platform, and ways to change them a little. */
final class Sim {

    private static final Platforms PLATFORMS = Platforms.discover();

    private Sim() {
    }

    static Payload.Image paint(String prompt) {
        return (Payload.Image) PLATFORMS.model("sim:painter").invoke(Payload.text(prompt)).payload();
    }

    static Payload.Image paint(String prompt, int size) {
        return (Payload.Image) PLATFORMS.model("sim:painter")
                .invoke(Payload.text(prompt), Parameters.of("size", size)).payload();
    }

    static Payload.Image smudge(Payload.Image image) {
        return (Payload.Image) PLATFORMS.model("sim:smudger").invoke(image).payload();
    }

    static Payload.Audio speak(String words) {
        return (Payload.Audio) PLATFORMS.model("sim:synth").invoke(Payload.text(words)).payload();
    }

    static Payload.Audio speak(String words, int sampleRate) {
        return (Payload.Audio) PLATFORMS.model("sim:synth")
                .invoke(Payload.text(words), Parameters.of("sample_rate", sampleRate)).payload();
    }

    static BufferedImage decode(Payload.Image image) {
        try {
            return ImageIO.read(image.data().newInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The same pixels re-encoded by ImageIO, as an opaque RGB picture. */
    static Payload.Image encode(BufferedImage picture, String format) {
        BufferedImage rgb = new BufferedImage(picture.getWidth(), picture.getHeight(), BufferedImage.TYPE_INT_RGB);
        rgb.createGraphics().drawImage(picture, 0, 0, null);
        var out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(rgb, format, out)) {
                throw new IllegalStateException("no ImageIO writer for " + format);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Payload.image(out.toByteArray(), "image/" + format);
    }

    static Payload.Image png(BufferedImage picture) {
        var out = new ByteArrayOutputStream();
        try {
            ImageIO.write(picture, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Payload.image(out.toByteArray(), "image/png");
    }

    /** The 16-bit samples of a simulator WAV (which has a 44-byte header), each multiplied by {@code gain}. */
    static Payload.Audio scaled(Payload.Audio wav, double gain) {
        byte[] bytes = wav.data().toByteArray();
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 44; i + 1 < bytes.length; i += 2) {
            b.putShort(i, (short) Math.round(b.getShort(i) * gain));
        }
        return Payload.audio(bytes, "audio/wav");
    }

    /** A WAV file of the given header fields around {@code data}. */
    static Payload.Audio wav(int format, int channels, int sampleRate, int bits, byte[] data) {
        int blockAlign = channels * bits / 8;
        ByteBuffer b = ByteBuffer.allocate(44 + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(36 + data.length).put("WAVE".getBytes());
        b.put("fmt ".getBytes()).putInt(16).putShort((short) format).putShort((short) channels)
                .putInt(sampleRate).putInt(sampleRate * blockAlign).putShort((short) blockAlign).putShort((short) bits);
        b.put("data".getBytes()).putInt(data.length).put(data);
        return Payload.audio(b.array(), "audio/wav");
    }

    /** 16-bit little-endian bytes of the samples. */
    static byte[] pcm16(short[] samples) {
        ByteBuffer b = ByteBuffer.allocate(samples.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (short s : samples) {
            b.putShort(s);
        }
        return b.array();
    }

    /** The samples of a simulator WAV. */
    static short[] samples(Payload.Audio wav) {
        ByteBuffer b = wav.data().asByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        short[] s = new short[(b.limit() - 44) / 2];
        for (int i = 0; i < s.length; i++) {
            s[i] = b.getShort(44 + 2 * i);
        }
        return s;
    }

    static double norm(dev.panic.Embedding e) {
        double s = 0;
        for (float f : e.toArray()) {
            s += (double) f * f;
        }
        return Math.sqrt(s);
    }
}
