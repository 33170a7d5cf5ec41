package dev.mhanotebook.model;

import java.nio.FloatBuffer;

/**
 * The encoder's element-wise steps, each done in one Java pass over the rows of ND4J's off-heap
 * arrays (through {@link dev.mhanotebook.engine.NativeOps#direct}) instead of several native
 * operations: at one sentence's size ND4J spends tens of microseconds of fixed cost per
 * operation, and a layer had about forty of them (docs/benchmarks.md). Matrix products, the
 * softmax and erf stay native.
 *
 * <p>Every method reads and writes whole rows through a small heap buffer; hidden states are
 * {@code [rows, d_model]}, one row per token. Nothing here writes into the weights.
 */
final class EncoderRows {
    private EncoderRows() {
    }

    /**
     * Word + position + token-type (row 0) embeddings of {@code ids}, then LayerNorm, into
     * {@code out} [L, D].
     */
    static void embed(long[] ids, FloatBuffer words, FloatBuffer positions, FloatBuffer types,
            float[] gamma, float[] beta, double eps, FloatBuffer out) {
        int d = gamma.length;
        float[] row = new float[d];
        float[] pos = new float[d];
        float[] type = new float[d];
        types.get(0, type);
        for (int t = 0; t < ids.length; t++) {
            words.get(Math.toIntExact(ids[t] * d), row);
            positions.get(t * d, pos);
            for (int j = 0; j < d; j++) {
                row[j] = row[j] + pos[j] + type[j];
            }
            layerNorm(row, gamma, beta, eps);
            out.put(t * d, row);
        }
    }

    /**
     * Steps 1 and 2 of a layer after the product: adds the bias to {@code qkv} [B·L, 3·D] (laid
     * out [q | k | v], head after head inside each), multiplies the queries by {@code qScale}
     * (1/√d_k, so the scores need no pass of their own), and writes the heads apart into
     * {@code split} [3, B, h, L, d_k].
     */
    static void biasScaleSplit(FloatBuffer qkv, float[] bias, float qScale, int batch, int len,
            int heads, int headDim, FloatBuffer split) {
        int d = heads * headDim;
        float[] row = new float[3 * d];
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < len; t++) {
                qkv.get((b * len + t) * 3 * d, row);
                for (int j = 0; j < 3 * d; j++) {
                    row[j] += bias[j];
                }
                for (int j = 0; j < d; j++) {
                    row[j] *= qScale;
                }
                for (int part = 0; part < 3; part++) {
                    for (int i = 0; i < heads; i++) {
                        int to = (((part * batch + b) * heads + i) * len + t) * headDim;
                        split.put(to, row, part * d + i * headDim, headDim);
                    }
                }
            }
        }
    }

    /** Step 8: heads side by side, [B, h, L, d_k] -> [B·L, h·d_k]. */
    static void concatHeads(FloatBuffer heads, int batch, int h, int len, int headDim,
            FloatBuffer out) {
        float[] row = new float[h * headDim];
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < len; t++) {
                for (int i = 0; i < h; i++) {
                    heads.get((((b * h) + i) * len + t) * headDim, row, i * headDim, headDim);
                }
                out.put((b * len + t) * h * headDim, row);
            }
        }
    }

    /**
     * y = LayerNorm(y + bias + residual), in place over every row of {@code y} [N, D]: the end
     * of the attention block and of the feed-forward block.
     */
    static void biasResidualNorm(FloatBuffer y, float[] bias, FloatBuffer residual,
            float[] gamma, float[] beta, double eps) {
        int d = bias.length;
        int rows = y.capacity() / d;
        float[] row = new float[d];
        float[] res = new float[d];
        for (int r = 0; r < rows; r++) {
            y.get(r * d, row);
            residual.get(r * d, res);
            for (int j = 0; j < d; j++) {
                row[j] = (row[j] + bias[j]) + res[j];
            }
            layerNorm(row, gamma, beta, eps);
            y.put(r * d, row);
        }
    }

    /**
     * The first half of exact GELU: adds the bias to {@code x} [N, F] in place and writes
     * x / √2 into {@code scaled}, ready for erf.
     */
    static void biasAndScale(FloatBuffer x, float[] bias, float sqrt2, FloatBuffer scaled) {
        int f = bias.length;
        int rows = x.capacity() / f;
        float[] row = new float[f];
        float[] half = new float[f];
        for (int r = 0; r < rows; r++) {
            x.get(r * f, row);
            for (int j = 0; j < f; j++) {
                row[j] += bias[j];
                half[j] = row[j] / sqrt2;
            }
            x.put(r * f, row);
            scaled.put(r * f, half);
        }
    }

    /** The second half: {@code erf} ← x · ½ (1 + erf), in place, as the exported graph orders it. */
    static void geluFinish(FloatBuffer x, FloatBuffer erf, int width) {
        int rows = x.capacity() / width;
        float[] row = new float[width];
        float[] e = new float[width];
        for (int r = 0; r < rows; r++) {
            x.get(r * width, row);
            erf.get(r * width, e);
            for (int j = 0; j < width; j++) {
                e[j] = (e[j] + 1f) * row[j] * 0.5f;
            }
            erf.put(r * width, e);
        }
    }

    /**
     * (x − mean) / √(var + ε) · γ + β over one row, in place; biased variance, as BERT's
     * LayerNorm. Sums in double, so the mean of 384 floats loses nothing to the order.
     */
    static void layerNorm(float[] row, float[] gamma, float[] beta, double eps) {
        int d = row.length;
        double sum = 0;
        for (int j = 0; j < d; j++) {
            sum += row[j];
        }
        float mean = (float) (sum / d);
        double squares = 0;
        for (int j = 0; j < d; j++) {
            float c = row[j] - mean;
            row[j] = c;
            squares += (double) c * c;
        }
        float inv = (float) (1.0 / Math.sqrt(squares / d + eps));
        for (int j = 0; j < d; j++) {
            row[j] = row[j] * inv * gamma[j] + beta[j];
        }
    }
}
