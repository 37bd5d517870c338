package dev.panic.simulator.internal;

import java.nio.charset.StandardCharsets;

/**
 * A 64-bit hash that is the same on every JVM and every run: FNV-1a over the UTF-8 bytes, then
 * the SplitMix64 finaliser to spread the bits. The simulators use it wherever they need an
 * arbitrary but repeatable choice derived from their input.
 */
public final class StableHash {

    private StableHash() {
    }

    /** The hash of {@code s}. */
    public static long of(String s) {
        long h = 0xcbf29ce484222325L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return mix(h);
    }

    /** The SplitMix64 finaliser: a bijection that makes every input bit affect every output bit. */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** A derived hash for a second, independent choice from the same {@code hash}. */
    public static long derive(long hash, int salt) {
        return mix(hash + 0x9e3779b97f4a7c15L * (salt + 1));
    }

    /** An index in {@code [0, n)} from {@code hash}. */
    public static int pick(long hash, int n) {
        if (n <= 0) {
            throw new IllegalArgumentException("cannot pick from " + n + " choices");
        }
        return (int) Long.remainderUnsigned(hash, n);
    }
}
