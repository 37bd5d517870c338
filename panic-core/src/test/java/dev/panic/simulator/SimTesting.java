package dev.panic.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.panic.Model;
import dev.panic.Network;
import dev.panic.Parameters;
import dev.panic.Payload;
import dev.panic.Run;
import dev.panic.StopRule;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import javax.imageio.ImageIO;

/** Helpers shared by the simulator tests. */
final class SimTesting {

    static final SimulatorPlatform SIM = SimulatorPlatform.builder().build();

    private SimTesting() {
    }

    static Model model(String name) {
        return SIM.model(name, Parameters.empty());
    }

    static Payload call(String name, Payload input) {
        return model(name).invoke(input).payload();
    }

    static String text(Payload p) {
        assertThat(p).isInstanceOf(Payload.Text.class);
        return ((Payload.Text) p).text();
    }

    /** Decodes a PNG payload with ImageIO, independently of the simulator's own decoder. */
    static BufferedImage decode(Payload p) {
        assertThat(p).isInstanceOf(Payload.Image.class);
        try {
            BufferedImage img = ImageIO.read(((Payload.Image) p).data().newInputStream());
            assertThat(img).as("ImageIO can read the image").isNotNull();
            return img;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Encodes a picture as a PNG payload with ImageIO, independently of the simulator's own encoder. */
    static Payload.Image png(BufferedImage img) {
        var out = new java.io.ByteArrayOutputStream();
        try {
            ImageIO.write(img, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Payload.image(out.toByteArray(), "image/png");
    }

    /** The mono 16-bit samples of a WAV the simulator wrote (a plain 44-byte header). */
    static short[] samples(Payload p) {
        assertThat(p).isInstanceOf(Payload.Audio.class);
        ByteBuffer b = ((Payload.Audio) p).data().asByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        short[] s = new short[(b.limit() - 44) / 2];
        for (int i = 0; i < s.length; i++) {
            s[i] = b.getShort(44 + 2 * i);
        }
        return s;
    }

    /** A mono 16-bit PCM WAV written here, independently of the simulator's own encoder. */
    static Payload.Audio wav(int sampleRate, int channels, int bits, int format, short[] interleaved) {
        int dataBytes = interleaved.length * 2;
        ByteBuffer b = ByteBuffer.allocate(44 + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(36 + dataBytes).put("WAVE".getBytes());
        b.put("fmt ".getBytes()).putInt(16).putShort((short) format).putShort((short) channels)
                .putInt(sampleRate).putInt(sampleRate * channels * bits / 8)
                .putShort((short) (channels * bits / 8)).putShort((short) bits);
        b.put("data".getBytes()).putInt(dataBytes);
        for (short v : interleaved) {
            b.putShort(v);
        }
        return Payload.audio(b.array(), "audio/wav");
    }

    /** A run of {@code network} from {@code input} until an exact repeat or {@code maxSteps}. */
    static Run loop(Payload input, int maxSteps, Model... models) {
        return Run.builder(Network.of(models), input)
                .stopWhen(StopRule.exactRepeat())
                .maxSteps(maxSteps)
                .start()
                .await();
    }

    /** True if the pixel at (x, y) is exactly {@code rgb}. */
    static boolean is(BufferedImage img, int x, int y, int rgb) {
        return (img.getRGB(x, y) & 0xffffff) == rgb;
    }

    /** How many pixels in the box [x0, x1) x [y0, y1) are exactly {@code rgb}. */
    static int count(BufferedImage img, int x0, int y0, int x1, int y1, int rgb) {
        int n = 0;
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                if (is(img, x, y, rgb)) {
                    n++;
                }
            }
        }
        return n;
    }
}
