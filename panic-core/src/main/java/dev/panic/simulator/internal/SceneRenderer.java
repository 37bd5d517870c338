package dev.panic.simulator.internal;

/**
 * How the painter draws a {@link Scene}: a square picture, the background filled with its
 * colour, each shape centred in its grid cell and drawn pixel by pixel in exact palette colours,
 * with no anti-aliasing, so the describer can measure it back exactly.
 */
public final class SceneRenderer {

    private SceneRenderer() {
    }

    /** Draws {@code scene} on a {@code size} x {@code size} picture. */
    public static Raster render(Scene scene, int size) {
        Raster r = Raster.filled(size, size, scene.background().rgb());
        double cellSide = size / 3.0;
        for (Scene.Item item : scene.items()) {
            int w = Math.max(3, (int) Math.round(item.size().ofCell() * cellSide));
            int h = item.shape() == Shape.STRIPE ? Math.max(2, (int) Math.round(w / 3.0)) : w;
            double cx = (item.cell().col() + 0.5) * cellSide;
            double cy = (item.cell().row() + 0.5) * cellSide;
            int x0 = (int) Math.round(cx - w / 2.0);
            int y0 = (int) Math.round(cy - h / 2.0);
            fill(r, item.shape(), x0, y0, w, h, item.colour().rgb());
        }
        return r;
    }

    /** Fills the pixels whose centres fall inside {@code shape} within the box at (x0, y0). */
    static void fill(Raster r, Shape shape, int x0, int y0, int w, int h, int rgb) {
        double half = w / 2.0;
        for (int y = Math.max(0, y0); y < Math.min(r.height(), y0 + h); y++) {
            double v = y - y0 + 0.5;
            for (int x = Math.max(0, x0); x < Math.min(r.width(), x0 + w); x++) {
                double u = x - x0 + 0.5;
                boolean inside = switch (shape) {
                    case SQUARE, STRIPE -> true;
                    case CIRCLE -> (u - half) * (u - half) + (v - h / 2.0) * (v - h / 2.0) <= half * half;
                    case TRIANGLE -> Math.abs(u - half) <= v / 2.0 * ((double) w / h);
                };
                if (inside) {
                    r.rgb()[y * r.width() + x] = rgb;
                }
            }
        }
    }
}
