package dev.panic.report.internal;

import dev.panic.Payload;
import dev.panic.exception.InvalidRequestException;
import dev.panic.spi.media.ImageDecoder;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.Iterator;
import java.util.Optional;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/** Decoding, scaling and re-encoding pictures for pages and sheets, in memory. */
public final class Pictures {

    /** Media types every browser shows, kept as they are when the JDK cannot decode them. */
    private static final java.util.Set<String> BROWSER_IMAGES = java.util.Set.of("image/png", "image/jpeg",
            "image/gif", "image/webp", "image/avif", "image/svg+xml", "image/bmp");
    /** The largest original embedded when it cannot be scaled down. */
    private static final int MAX_ORIGINAL_BYTES = 512 * 1024;

    private Pictures() {
    }

    /** The decoded picture, or empty when it cannot be decoded (e.g. AVIF, SVG). */
    public static Optional<BufferedImage> decode(Payload.Image image) {
        try {
            ImageDecoder.Pixels p = ImageDecoder.decode(image, "output");
            BufferedImage img = new BufferedImage(p.width(), p.height(), BufferedImage.TYPE_INT_RGB);
            img.setRGB(0, 0, p.width(), p.height(), p.rgb(), 0, p.width());
            return Optional.of(img);
        } catch (InvalidRequestException e) {
            return Optional.empty();
        }
    }

    /** {@code img} scaled to fit in a {@code box} x {@code box} square, smoothly; enlarged only if asked. */
    public static BufferedImage fit(BufferedImage img, int box, boolean enlarge) {
        double scale = Math.min((double) box / img.getWidth(), (double) box / img.getHeight());
        scale = enlarge ? scale : Math.min(1.0, scale);
        int w = Math.max(1, (int) Math.round(img.getWidth() * scale));
        int h = Math.max(1, (int) Math.round(img.getHeight() * scale));
        BufferedImage current = img;
        // Halving steps first: one bilinear pass from far above the target size drops detail unevenly.
        while (current.getWidth() / 2 >= w && current.getHeight() / 2 >= h) {
            current = draw(current, current.getWidth() / 2, current.getHeight() / 2);
        }
        return current.getWidth() == w && current.getHeight() == h ? current : draw(current, w, h);
    }

    private static BufferedImage draw(BufferedImage src, int w, int h) {
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        g.drawImage(src, 0, 0, w, h, null);
        g.dispose();
        return out;
    }

    /**
     * A data URI of the picture scaled to fit {@code box} pixels: PNG or JPEG, whichever is smaller. A
     * picture the JDK cannot decode is embedded as it is when a browser shows it and it is not large;
     * otherwise there is none.
     */
    public static Optional<String> thumbnailUri(Payload.Image image, int box) {
        Optional<BufferedImage> decoded = decode(image);
        if (decoded.isEmpty()) {
            return image.data().size() <= MAX_ORIGINAL_BYTES && BROWSER_IMAGES.contains(image.mediaType())
                    ? Optional.of(dataUri(image.mediaType(), image.data().toByteArray()))
                    : Optional.empty();
        }
        BufferedImage small = fit(decoded.get(), box, false);
        byte[] png = png(small);
        byte[] jpeg = jpeg(small, 0.88f);
        return Optional.of(jpeg == null || png.length <= jpeg.length ? dataUri("image/png", png)
                : dataUri("image/jpeg", jpeg));
    }

    /** A data URI of {@code bytes}. */
    public static String dataUri(String mediaType, byte[] bytes) {
        return "data:" + mediaType + ";base64," + Base64.getEncoder().encodeToString(bytes);
    }

    /** The picture as PNG. */
    public static byte[] png(BufferedImage img) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The picture as JPEG, or null if this JDK has no JPEG writer. */
    private static byte[] jpeg(BufferedImage img, float quality) {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
        if (!writers.hasNext()) {
            return null;
        }
        ImageWriter writer = writers.next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(ios);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality);
            writer.write(null, new IIOImage(img, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }
}
