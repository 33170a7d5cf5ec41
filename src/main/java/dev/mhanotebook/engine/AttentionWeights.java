package dev.mhanotebook.engine;

/**
 * The learned parameters of one multi-head attention layer, in the convention of Vaswani et al.
 * (2017, §3.2.2): {@code Q = X·W^Q + b^Q}, with head {@code i} owning columns
 * {@code i·d_k … (i+1)·d_k − 1}.
 *
 * @param wq [d_model, h·d_k]
 * @param wk [d_model, kvHeads·d_k]
 * @param wv [d_model, kvHeads·d_k]
 * @param wo [h·d_k, d_model]
 * @param bq [h·d_k]
 * @param bk [kvHeads·d_k]
 * @param bv [kvHeads·d_k]
 * @param bo [d_model]
 */
public record AttentionWeights(
        float[][] wq, float[][] wk, float[][] wv, float[][] wo,
        float[] bq, float[] bk, float[] bv, float[] bo) {

    /**
     * Parameters drawn from {@code seed}: Glorot (Xavier) uniform weights, limit
     * √(6 / (fan_in + fan_out)) (Glorot and Bengio 2010, eq. 16), and zero biases. Each matrix has
     * its own stream, so that drawing {@code wq} never shifts {@code wk}.
     */
    public static AttentionWeights glorot(AttentionSpec spec, long seed) {
        int d = spec.modelDim();
        int qCols = spec.heads() * spec.headDim();
        int kvCols = spec.kvHeads() * spec.headDim();
        return new AttentionWeights(
                glorot(seed, "wq", d, qCols),
                glorot(seed, "wk", d, kvCols),
                glorot(seed, "wv", d, kvCols),
                glorot(seed, "wo", qCols, d),
                new float[qCols], new float[kvCols], new float[kvCols], new float[d]);
    }

    /** One Glorot-uniform matrix of the named stream. */
    public static float[][] glorot(long seed, String name, int rows, int cols) {
        double limit = Math.sqrt(6.0 / (rows + cols));
        long stream = SplitMix64.derive(seed, name);
        float[][] m = new float[rows][cols];
        long n = 0;
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                m[r][c] = (float) ((2 * SplitMix64.uniform(stream, n++) - 1) * limit);
            }
        }
        return m;
    }
}
