package dev.panic.simulator.internal;

import dev.panic.Bytes;
import dev.panic.Payload;
import dev.panic.spi.media.ImageDecoder;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * PNG encoding with the JDK's {@code javax.imageio}, in memory only (no temporary files, no global
 * ImageIO settings changed), and decoding through the shared {@link ImageDecoder}. Works headless.
 */
public final class Images {

    private Images() {
    }

    /**
     * Decodes an image payload into opaque pixels (transparent ones composited over white), with
     * the decoder every part of PANIC uses.
     *
     * @param model the model id, for error messages
     * @throws dev.panic.exception.InvalidRequestException if the bytes are not a readable image, or too large
     */
    public static Raster decode(Payload.Image image, String model) {
        ImageDecoder.Pixels p = ImageDecoder.decode(image, "the image given to " + model);
        return new Raster(p.width(), p.height(), p.rgb());
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
