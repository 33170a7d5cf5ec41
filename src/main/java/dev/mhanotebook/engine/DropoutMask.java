package dev.mhanotebook.engine;

/**
 * Which attention weights inverted dropout keeps.
 *
 * <p>Weight {@code (b, h, i, j)} of a {@code [B, h, L, S]} attention tensor is kept when
 * {@code SplitMix64.uniform(derive(seed, "dropout"), ((b·h_count + h)·L + i)·S + j) >= p}; a kept
 * weight is multiplied by {@code 1 / (1 - p)} so the expected row sum stays 1 (Srivastava et al.
 * 2014, §10 describes the equivalent rescaling at test time). The decision is a pure function of
 * the seed and the position, so the loops, vectorized and tiled paths and the fixture script agree.
 */
public final class DropoutMask {
    private DropoutMask() {
    }

    public static boolean keeps(AttentionSpec spec, int b, int h, int i, int j) {
        long n = (((long) b * spec.heads() + h) * spec.queryLength() + i) * spec.keyLength() + j;
        return SplitMix64.uniform(SplitMix64.derive(spec.seed(), "dropout"), n) >= spec.dropout();
    }

    /**
     * The multiplier for every weight of query rows {@code i0 .. i1-1} and keys {@code j0 .. j1-1}
     * for all batches and heads, laid out as {@code [B, h, i1-i0, j1-j0]}: 0 or 1/(1-p).
     */
    public static float[] block(AttentionSpec spec, int i0, int i1, int j0, int j1) {
        int rows = i1 - i0;
        int cols = j1 - j0;
        float kept = (float) (1.0 / (1.0 - spec.dropout()));
        long stream = SplitMix64.derive(spec.seed(), "dropout");
        float[] out = new float[spec.batch() * spec.heads() * rows * cols];
        int p = 0;
        for (int b = 0; b < spec.batch(); b++) {
            for (int h = 0; h < spec.heads(); h++) {
                for (int i = i0; i < i1; i++) {
                    long rowBase = (((long) b * spec.heads() + h) * spec.queryLength() + i)
                            * spec.keyLength();
                    for (int j = j0; j < j1; j++) {
                        boolean keep = SplitMix64.uniform(stream, rowBase + j) >= spec.dropout();
                        out[p++] = keep ? kept : 0f;
                    }
                }
            }
        }
        return out;
    }
}
