package dev.panic.simulator.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How the describer looks at a picture: it snaps every pixel to the nearest {@link NamedColour},
 * takes the most common colour along the border as the background, finds the connected regions
 * (4-neighbour) of each other colour, and measures the largest: bounding box, share of the box
 * filled (about 1 for a square, 0.785 for a circle, 0.5 for a triangle), extent as a share of a
 * grid cell, and centroid. The result is written in the painter's own vocabulary, so that a
 * painter/describer loop reaches an exact fixed point.
 */
public final class SceneAnalyser {

    private SceneAnalyser() {
    }

    /**
     * What the describer measured.
     *
     * @param scene      background and the largest regions, largest first (ties by phrase)
     * @param brightness "dark", "muted" or "bright", from the mean luma
     */
    public record Analysis(Scene scene, String brightness) {
    }

    /** Measures {@code r}, keeping at most {@code maxRegions} regions. */
    public static Analysis analyse(Raster r, int maxRegions) {
        int w = r.width();
        int h = r.height();
        int n = w * h;
        byte[] colour = new byte[n];
        Map<Integer, NamedColour> snapped = new HashMap<>();
        long lumaSum = 0;
        for (int i = 0; i < n; i++) {
            int rgb = r.rgb()[i] & 0xffffff;
            colour[i] = (byte) snapped.computeIfAbsent(rgb, NamedColour::nearest).ordinal();
            lumaSum += 299L * ((rgb >> 16) & 0xff) + 587L * ((rgb >> 8) & 0xff) + 114L * (rgb & 0xff);
        }
        long meanLuma = lumaSum / 1000 / n;
        String brightness = meanLuma < 85 ? "dark" : meanLuma > 170 ? "bright" : "muted";

        int[] borderCounts = new int[NamedColour.values().length];
        for (int x = 0; x < w; x++) {
            borderCounts[colour[x]]++;
            if (h > 1) {
                borderCounts[colour[(h - 1) * w + x]]++;
            }
        }
        for (int y = 1; y < h - 1; y++) {
            borderCounts[colour[y * w]]++;
            if (w > 1) {
                borderCounts[colour[y * w + w - 1]]++;
            }
        }
        int bg = 0;
        for (int c = 1; c < borderCounts.length; c++) {
            if (borderCounts[c] > borderCounts[bg]) {
                bg = c;
            }
        }
        NamedColour background = NamedColour.values()[bg];

        record Region(Scene.Item item, int area) {
        }
        List<Region> regions = new ArrayList<>();
        int minArea = Math.max(4, n / 500);
        double cellSide = Math.min(w, h) / 3.0;
        boolean[] seen = new boolean[n];
        int[] stack = new int[n];
        for (int start = 0; start < n; start++) {
            if (seen[start] || colour[start] == bg) {
                continue;
            }
            byte c = colour[start];
            int top = 0;
            stack[top++] = start;
            seen[start] = true;
            int area = 0;
            int minX = w;
            int maxX = -1;
            int minY = h;
            int maxY = -1;
            long sumX = 0;
            long sumY = 0;
            while (top > 0) {
                int p = stack[--top];
                int x = p % w;
                int y = p / w;
                area++;
                sumX += x;
                sumY += y;
                minX = Math.min(minX, x);
                maxX = Math.max(maxX, x);
                minY = Math.min(minY, y);
                maxY = Math.max(maxY, y);
                if (x > 0 && !seen[p - 1] && colour[p - 1] == c) {
                    seen[p - 1] = true;
                    stack[top++] = p - 1;
                }
                if (x < w - 1 && !seen[p + 1] && colour[p + 1] == c) {
                    seen[p + 1] = true;
                    stack[top++] = p + 1;
                }
                if (y > 0 && !seen[p - w] && colour[p - w] == c) {
                    seen[p - w] = true;
                    stack[top++] = p - w;
                }
                if (y < h - 1 && !seen[p + w] && colour[p + w] == c) {
                    seen[p + w] = true;
                    stack[top++] = p + w;
                }
            }
            if (area < minArea) {
                continue;
            }
            int bw = maxX - minX + 1;
            int bh = maxY - minY + 1;
            Shape shape = Shape.classify(bw, bh, (double) area / ((long) bw * bh));
            ShapeSize size = ShapeSize.classify(Math.max(bw, bh) / cellSide);
            double cx = (double) sumX / area + 0.5;
            double cy = (double) sumY / area + 0.5;
            Cell cell = new Cell(Math.min(2, (int) (cy * 3 / h)), Math.min(2, (int) (cx * 3 / w)));
            regions.add(new Region(new Scene.Item(NamedColour.values()[c], shape, size, cell), area));
        }
        regions.sort(Comparator.comparingInt(Region::area).reversed()
                .thenComparing(region -> region.item().phrase()));
        List<Scene.Item> items = regions.stream().limit(maxRegions).map(Region::item).toList();
        return new Analysis(new Scene(background, items), brightness);
    }

    /**
     * The describer's sentence, in words the painter parses back into the same scene: "a bright
     * image of a large red square at the top left, a small blue circle in the centre and a medium
     * green triangle at the bottom right, on a white background".
     */
    public static String describe(Analysis a) {
        StringBuilder sb = new StringBuilder("a ").append(a.brightness());
        List<Scene.Item> items = a.scene().items();
        if (items.isEmpty()) {
            sb.append(" empty image");
        } else {
            sb.append(" image of ");
            for (int i = 0; i < items.size(); i++) {
                if (i > 0) {
                    sb.append(i == items.size() - 1 ? " and " : ", ");
                }
                sb.append(items.get(i).phrase());
            }
        }
        String bg = a.scene().background().word();
        return sb.append(bg.startsWith("o") ? ", on an " : ", on a ").append(bg).append(" background").toString();
    }
}
