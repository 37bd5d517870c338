package dev.panic.simulator.internal;

/**
 * The spectrograph's rule: it cuts the sound at silences as the listener does and draws each part
 * as a bar on a black picture, across the time it lasts and at the height of its strongest
 * vocabulary tone (low tones at the bottom). A tone that names a colour is drawn in that colour
 * (black in white, to show on the black ground); other tones get a palette colour by pitch.
 */
public final class Spectrograph {

    private Spectrograph() {
    }

    /** Draws {@code samples} on a {@code size} x {@code size} picture. */
    public static Raster draw(short[] samples, int sampleRate, int size) {
        Raster r = Raster.filled(size, size, NamedColour.BLACK.rgb());
        if (samples.length == 0) {
            return r;
        }
        int words = Tones.VOCABULARY.size();
        int barHeight = Math.max(2, size / 8);
        for (Tones.Segment seg : Tones.segments(samples, sampleRate)) {
            int index = Tones.strongestWord(samples, seg, sampleRate);
            if (index < 0) {
                continue;
            }
            int x0 = (int) ((long) seg.start() * size / samples.length);
            int x1 = Math.max(x0 + 1, (int) ((long) seg.end() * size / samples.length));
            double centre = size - (index + 0.5) * size / words;
            int y0 = Math.max(0, Math.min(size - barHeight, (int) Math.round(centre - barHeight / 2.0)));
            SceneRenderer.fill(r, Shape.STRIPE, x0, y0, x1 - x0, barHeight, colourOf(index).rgb());
        }
        return r;
    }

    private static NamedColour colourOf(int index) {
        NamedColour named = NamedColour.parse(Tones.VOCABULARY.get(index));
        if (named == NamedColour.BLACK) {
            return NamedColour.WHITE;
        }
        if (named != null) {
            return named;
        }
        NamedColour[] all = NamedColour.values();
        return all[1 + index % (all.length - 1)];
    }
}
