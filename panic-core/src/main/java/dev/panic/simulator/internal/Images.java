package dev.panic.simulator.internal;

import dev.panic.Bytes;
import dev.panic.Payload;
import dev.panic.exception.InvalidRequestException;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * PNG encoding and image decoding with the JDK's {@code javax.imageio}, in memory only (no
 * temporary files, no global ImageIO settings changed). Works headless.
 */
public final class Images {

    /** The largest picture the simulators decode, in pixels (a 4096 x 4096 image). */
    public static final long MAX_PIXELS = 4096L * 4096L;

    private Images() {
    }

    /**
     * Decodes an image payload (PNG, JPEG, GIF or BMP: whatever the JDK reads) into opaque pixels;
     * transparent pixels are composited over white.
     *
     * @param model the model id, for error messages
     * @throws InvalidRequestException if the bytes are not an image the JDK can read, or too large
     */
    public static Raster decode(Payload.Image image, String model) {
        try (ImageInputStream in = new MemoryCacheImageInputStream(image.data().newInputStream())) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new InvalidRequestException(model + " cannot read the " + image.mediaType()
                        + " image: its bytes are not a format the JDK decodes (PNG, JPEG, GIF or BMP)");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                int w = reader.getWidth(0);
                int h = reader.getHeight(0);
                if ((long) w * h > MAX_PIXELS) {
                    throw new InvalidRequestException(model + " reads images of at most " + MAX_PIXELS
                            + " pixels; this one is " + w + "x" + h);
                }
                BufferedImage img = reader.read(0);
                return toRaster(img);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof InvalidRequestException ire) {
                throw ire;
            }
            throw new InvalidRequestException(model + " could not decode the " + image.mediaType() + " image: " + e, e);
        }
    }

    private static Raster toRaster(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
        for (int i = 0; i < argb.length; i++) {
            int p = argb[i];
            int a = p >>> 24;
            if (a == 255) {
                argb[i] = p & 0xffffff;
            } else {
                int r = ((p >> 16) & 0xff) * a + 255 * (255 - a);
                int g = ((p >> 8) & 0xff) * a + 255 * (255 - a);
                int b = (p & 0xff) * a + 255 * (255 - a);
                argb[i] = ((r + 127) / 255) << 16 | ((g + 127) / 255) << 8 | (b + 127) / 255;
            }
        }
        return new Raster(w, h, argb);
    }

    /** Encodes {@code r} as a PNG payload with its size recorded. */
    public static Payload.Image png(Raster r) {
        BufferedImage img = new BufferedImage(r.width(), r.height(), BufferedImage.TYPE_INT_RGB);
        img.setRGB(0, 0, r.width(), r.height(), r.rgb(), 0, r.width());
        ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
        try (MemoryCacheImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(ios);
            writer.write(img);
        } catch (IOException e) {
            throw new UncheckedIOException("encoding a PNG in memory failed", e);
        } finally {
            writer.dispose();
        }
        return new Payload.Image(Bytes.wrap(out.toByteArray()), "image/png", null).withSize(r.width(), r.height());
    }
}
