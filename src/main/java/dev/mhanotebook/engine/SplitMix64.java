package dev.mhanotebook.engine;

/**
 * SplitMix64 (Steele, Lea and Flood 2014), the counter-based generator behind every random number
 * the engine draws.
 *
 * <p>The {@code n}-th output for a seed is {@code mix(seed + (n + 1) * 0x9E3779B97F4A7C15)}, a pure
 * function of (seed, n). Any implementation, including the NumPy fixture script and the exported
 * notebooks, draws the same numbers without sharing state or storing a mask.
 */
public final class SplitMix64 {
    static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private SplitMix64() {
    }

    /** The finaliser of SplitMix64 (a variant of MurmurHash3's fmix64). */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The {@code n}-th 64-bit output of the stream started by {@code seed}. */
    public static long at(long seed, long n) {
        return mix(seed + (n + 1) * GOLDEN_GAMMA);
    }

    /** The {@code n}-th output as a double uniform in [0, 1): its top 53 bits. */
    public static double uniform(long seed, long n) {
        return (at(seed, n) >>> 11) * 0x1.0p-53;
    }

    /**
     * A seed for a named stream, so that different tensors drawn from one user seed do not overlap:
     * {@code mix(seed ^ fnv1a64(name))}.
     */
    public static long derive(long seed, String name) {
        return mix(seed ^ fnv1a64(name));
    }

    /** FNV-1a, 64-bit, over the UTF-8 bytes of {@code text}. */
    public static long fnv1a64(String text) {
        long h = 0xCBF29CE484222325L;
        for (byte b : text.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            h ^= (b & 0xFF);
            h *= 0x100000001B3L;
        }
        return h;
    }
}
