package dev.panic.spi.media;

import dev.panic.Payload;
import dev.panic.exception.InvalidRequestException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.HexFormat;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Decodes image payloads with {@code javax.imageio} into opaque sRGB pixels, for every part of PANIC
 * that looks at pixels (the simulator, the image descriptor), in memory only: no
 * temporary files and no change to ImageIO's global settings, which belong to the application.
 */
public final class ImageDecoder {

    /**
     * The largest picture decoded, in pixels. The size is read from the header before any pixel
     * is, so a small file that claims to be huge (a decompression bomb) is refused cheaply.
     */
    public static final long MAX_PIXELS = 4096L * 4096L;

    /**
     * The formats read on every platform, for error messages: the JDK's, and WebP through the
     * TwelveMonkeys ImageIO plug-in core depends on.
     */
    public static final String FORMATS = "PNG, JPEG, GIF, BMP or WebP";

    private ImageDecoder() {
    }

    /**
     * Opaque pixels, row by row.
     *
     * @param width  columns
     * @param height rows
     * @param rgb    {@code 0xRRGGBB} per pixel, {@code width * height} of them
     */
    public record Pixels(int width, int height, int[] rgb) {
    }

    /**
     * Decodes the image by its content (the media type is only reported, never trusted);
     * transparent pixels are composited over white, as viewers show them.
     *
     * @param what how to name the input in error messages, e.g. {@code "image-descriptor input 2"}
     * @throws InvalidRequestException saying what is wrong if the bytes are not a readable image
     */
    public static Pixels decode(Payload.Image image, String what) {
        String named = what + " (" + image.summary(60) + ")";
        try (ImageInputStream in = new MemoryCacheImageInputStream(image.data().newInputStream())) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new InvalidRequestException(named + " is not an image: its bytes are not in a format that"
                        + " decodes (" + FORMATS + "); they start with " + head(image));
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                int w = reader.getWidth(0);
                int h = reader.getHeight(0);
                if (w <= 0 || h <= 0) {
                    throw new InvalidRequestException(named + " claims an empty size, " + w + "x" + h);
                }
                if ((long) w * h > MAX_PIXELS) {
                    throw new InvalidRequestException(named + " is " + w + "x" + h + "; images of at most "
                            + MAX_PIXELS + " pixels are read");
                }
                return pixels(reader.read(0));
            } finally {
                reader.dispose();
            }
        } catch (InvalidRequestException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // ImageIO's decoders report damage with IOExceptions and, on some malformed input,
            // with runtime exceptions from deep inside; both mean the same to the caller.
            throw new InvalidRequestException(named + " is damaged, truncated or of an unsupported kind and could"
                    + " not be decoded: " + e.getMessage(), e);
        }
    }

    private static Pixels pixels(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
        for (int i = 0; i < argb.length; i++) {
            int p = argb[i];
            int a = p >>> 24;
            if (a == 255) {
                argb[i] = p & 0xffffff;
            } else {
                argb[i] = over(p >> 16 & 0xff, a) << 16 | over(p >> 8 & 0xff, a) << 8 | over(p & 0xff, a);
            }
        }
        return new Pixels(w, h, argb);
    }

    private static int over(int channel, int alpha) {
        return (channel * alpha + 255 * (255 - alpha) + 127) / 255;
    }

    private static String head(Payload.Image image) {
        int n = Math.min(8, image.data().size());
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = image.data().get(i);
        }
        return "0x" + HexFormat.of().formatHex(b);
    }
}
