package dev.panic.simulator.internal;

/**
 * The echo's rule, in integer arithmetic: each sample gets half of the sample {@value #DELAY_MS} ms
 * before it added (one echo, the clip keeps its length), the result is low-passed (each output
 * half-way from the previous output to the new value) and scaled by 3/5, rounding towards zero.
 * The total gain is at most 0.9, so a loop fades, loses its high tones first, and ends in exact
 * silence: a fixed point.
 */
public final class Echo {

    /** The echo's delay. */
    public static final int DELAY_MS = 120;

    private Echo() {
    }

    /** One echo step. */
    public static short[] step(short[] in, int sampleRate) {
        int delay = Math.max(1, Tones.samples(DELAY_MS, sampleRate));
        short[] out = new short[in.length];
        int smooth = 0;
        for (int n = 0; n < in.length; n++) {
            int echoed = in[n] + (n >= delay ? in[n - delay] / 2 : 0);
            smooth += (echoed - smooth) / 2;
            out[n] = (short) (smooth * 3 / 5);
        }
        return out;
    }
}
