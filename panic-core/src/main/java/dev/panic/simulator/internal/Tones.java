package dev.panic.simulator.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The tone language shared by the synth, the listener, the sonifier and the spectrograph.
 *
 * <p>A fixed vocabulary of 64 words (the painter's colour, shape, size and position words, a few
 * linking words and some common nouns) each has its own tone, 300 Hz + 40 Hz x its index, so up to
 * 2820 Hz. A word outside the vocabulary gets a tone between 300 and 2860 Hz from a stable hash of
 * the word. A spoken word is a {@value #TONE_MS} ms sine with 5 ms fades, followed by
 * {@value #GAP_MS} ms of silence. Hearing cuts the sound at silences and, for each part, picks the
 * vocabulary word whose tone has the most energy there (a Goertzel filter per word); tones 40 Hz
 * apart over 150 ms fall on each other's nulls, so a synthesised vocabulary word is always heard
 * back exactly.
 */
public final class Tones {

    /** Length of one word's tone. */
    public static final int TONE_MS = 150;
    /** Silence after each word. */
    public static final int GAP_MS = 50;
    /** Peak amplitude of a tone, out of 32767. */
    public static final double AMPLITUDE = 16000;

    /** The vocabulary, in tone order. */
    public static final List<String> VOCABULARY = List.of(
            "black", "white", "grey", "red", "orange", "yellow", "green", "blue", "purple", "pink", "brown", "cyan",
            "circle", "square", "triangle", "stripe", "small", "medium", "large",
            "top", "bottom", "left", "right", "centre",
            "a", "the", "of", "on", "in", "at", "and", "image", "background", "empty", "bright", "dark", "muted",
            "sun", "moon", "sea", "sky", "tree", "bird", "cat", "dog", "house", "river", "mountain", "fire", "water",
            "night", "day", "light", "music", "dream", "hello", "world", "flower", "rain", "snow", "wind", "stone",
            "star", "cloud");

    private static final Map<String, Integer> INDEX = new HashMap<>();
    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+");

    static {
        for (int i = 0; i < VOCABULARY.size(); i++) {
            if (INDEX.put(VOCABULARY.get(i), i) != null) {
                throw new IllegalStateException("duplicate vocabulary word " + VOCABULARY.get(i));
            }
        }
    }

    private Tones() {
    }

    /** The tone of vocabulary word number {@code index}, in Hz. */
    public static double frequency(int index) {
        return 300 + 40.0 * index;
    }

    /** The tone of any word, in Hz: its vocabulary tone, or one derived from its hash. */
    public static double frequency(String word) {
        String w = word.toLowerCase(Locale.ROOT);
        Integer i = INDEX.get(w);
        return i != null ? frequency(i) : 300 + Long.remainderUnsigned(StableHash.of(w), 2561);
    }

    /** The lower-case words of {@code text} (letters and digits), at most {@code max} of them. */
    public static List<String> words(String text, int max) {
        List<String> words = new ArrayList<>();
        Matcher m = WORD.matcher(text.toLowerCase(Locale.ROOT));
        while (m.find() && words.size() < max) {
            words.add(m.group());
        }
        return words;
    }

    /**
     * Plays tones one after another, each {@value #TONE_MS} ms with {@value #GAP_MS} ms of silence
     * after it; an empty list gives {@value #TONE_MS} ms of silence.
     */
    public static short[] play(List<Double> frequencies, int sampleRate) {
        int tone = samples(TONE_MS, sampleRate);
        int gap = samples(GAP_MS, sampleRate);
        if (frequencies.isEmpty()) {
            return new short[tone];
        }
        short[] out = new short[frequencies.size() * (tone + gap)];
        int fade = Math.max(1, samples(5, sampleRate));
        for (int k = 0; k < frequencies.size(); k++) {
            double step = 2 * StrictMath.PI * frequencies.get(k) / sampleRate;
            int base = k * (tone + gap);
            for (int n = 0; n < tone; n++) {
                double envelope = Math.min(1.0, Math.min(n + 1, tone - n) / (double) fade);
                out[base + n] = (short) Math.round(AMPLITUDE * envelope * StrictMath.sin(step * n));
            }
        }
        return out;
    }

    /** A stretch of sound between silences: samples {@code [start, end)}. */
    public record Segment(int start, int end) {
        /** Number of samples. */
        public int length() {
            return end - start;
        }
    }

    /**
     * Cuts the sound at silences: 10 ms frames whose RMS is below a quarter of the loudest frame's
     * (or below 64 out of 32767, whichever is higher) are silent; runs of at least two loud frames
     * are segments.
     */
    public static List<Segment> segments(short[] s, int sampleRate) {
        int frame = Math.max(1, sampleRate / 100);
        int frames = s.length / frame;
        double[] rms = new double[frames];
        double peak = 0;
        for (int f = 0; f < frames; f++) {
            double sum = 0;
            for (int i = f * frame; i < (f + 1) * frame; i++) {
                sum += (double) s[i] * s[i];
            }
            rms[f] = Math.sqrt(sum / frame);
            peak = Math.max(peak, rms[f]);
        }
        double threshold = Math.max(64, peak / 4);
        List<Segment> out = new ArrayList<>();
        int f = 0;
        while (f < frames) {
            if (rms[f] < threshold) {
                f++;
                continue;
            }
            int first = f;
            while (f < frames && rms[f] >= threshold) {
                f++;
            }
            if (f - first >= 2) {
                out.add(new Segment(first * frame, f * frame));
            }
        }
        return out;
    }

    /** The energy of {@code s[from, to)} at {@code frequency} Hz (a Goertzel filter). */
    public static double power(short[] s, int from, int to, double frequency, int sampleRate) {
        double coeff = 2 * StrictMath.cos(2 * StrictMath.PI * frequency / sampleRate);
        double s1 = 0;
        double s2 = 0;
        for (int i = from; i < to; i++) {
            double s0 = s[i] + coeff * s1 - s2;
            s2 = s1;
            s1 = s0;
        }
        return s1 * s1 + s2 * s2 - coeff * s1 * s2;
    }

    /**
     * The index of the vocabulary word whose tone is strongest in the segment, among the tones
     * below the Nyquist frequency; -1 if there are none (a sample rate below 600 Hz).
     */
    public static int strongestWord(short[] s, Segment seg, int sampleRate) {
        int best = -1;
        double bestPower = -1;
        for (int i = 0; i < VOCABULARY.size() && frequency(i) < sampleRate / 2.0; i++) {
            double p = power(s, seg.start(), seg.end(), frequency(i), sampleRate);
            if (p > bestPower) {
                bestPower = p;
                best = i;
            }
        }
        return best;
    }

    /** Hears the words in the sound: one vocabulary word per segment, joined by spaces. */
    public static String hear(short[] s, int sampleRate) {
        List<String> words = new ArrayList<>();
        for (Segment seg : segments(s, sampleRate)) {
            int i = strongestWord(s, seg, sampleRate);
            if (i >= 0) {
                words.add(VOCABULARY.get(i));
            }
        }
        return String.join(" ", words);
    }

    /** Number of samples in {@code ms} milliseconds. */
    public static int samples(int ms, int sampleRate) {
        return (int) Math.round(ms * (double) sampleRate / 1000);
    }
}
