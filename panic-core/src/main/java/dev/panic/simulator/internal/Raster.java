package dev.panic.simulator.internal;

/**
 * A decoded picture: opaque {@code 0xRRGGBB} pixels, row by row. The array is owned by whoever
 * made the raster; the simulators never change a raster they were given.
 *
 * @param width  width in pixels
 * @param height height in pixels
 * @param rgb    {@code width * height} pixels
 */
public record Raster(int width, int height, int[] rgb) {

    /** Checks the array matches the size. */
    public Raster {
        if (width <= 0 || height <= 0 || rgb.length != width * height) {
            throw new IllegalArgumentException("raster of " + width + "x" + height + " with " + rgb.length + " pixels");
        }
    }

    /** A raster of one colour. */
    public static Raster filled(int width, int height, int rgb) {
        int[] pixels = new int[width * height];
        java.util.Arrays.fill(pixels, rgb);
        return new Raster(width, height, pixels);
    }

    /** The pixel at column {@code x}, row {@code y}. */
    public int at(int x, int y) {
        return rgb[y * width + x];
    }
}
