package dev.mhanotebook.model;

import java.nio.FloatBuffer;

/**
 * The encoder's element-wise steps, each done in one Java pass over the rows of ND4J's off-heap
 * arrays (through {@link dev.mhanotebook.engine.NativeOps#direct}) instead of several native
 * operations: at one sentence's size ND4J spends tens of microseconds of fixed cost per
 * operation, and a layer had about forty of them (docs/benchmarks.md). Matrix products, the
 * softmax and erf stay native.
 *
 * <p>Every method moves whole rows or columns through a small heap buffer; hidden states are
 * row-major {@code [rows, d_model]}, one row per token, but the feed-forward block runs
 * column-major (see {@link Encoder}). Nothing here writes into the weights.
 */
final class EncoderRows {
    /** Rows per heap block when a column-major result is read back by rows. */
    static final int BLOCK = 64;

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
     * y = LayerNorm(y + bias + residual), in place over every row of {@code y} [N, D]
     * (row-major): the end of the attention block.
     */
    static void biasResidualNorm(FloatBuffer y, float[] bias, FloatBuffer residual,
            float[] gamma, float[] beta, double eps) {
        int d = bias.length;
        int rows = y.capacity() / d;
        float[] row = new float[d];
        float[] res = new float[d];
        for (int r = 0; r < rows; r++) {
            y.get(r * d, row);
            addAndNorm(row, bias, residual, r, res, gamma, beta, eps);
            y.put(r * d, row);
        }
    }

    /**
     * The same from a column-major {@code y} [N, D] into a row-major {@code out}: the end of the
     * feed-forward block, whose product writes by columns. Rows go through a heap block of at
     * most {@value #BLOCK} rows.
     */
    static void biasResidualNormFromColumns(FloatBuffer y, float[] bias, FloatBuffer residual,
            float[] gamma, float[] beta, double eps, FloatBuffer out) {
        int d = bias.length;
        int rows = y.capacity() / d;
        int blockRows = Math.min(BLOCK, rows);
        float[] block = new float[blockRows * d];
        float[] column = new float[blockRows];
        float[] row = new float[d];
        float[] res = new float[d];
        for (int r0 = 0; r0 < rows; r0 += BLOCK) {
            int n = Math.min(BLOCK, rows - r0);
            for (int j = 0; j < d; j++) {
                y.get(j * rows + r0, column, 0, n);
                for (int r = 0; r < n; r++) {
                    block[r * d + j] = column[r];
                }
            }
            for (int r = 0; r < n; r++) {
                System.arraycopy(block, r * d, row, 0, d);
                addAndNorm(row, bias, residual, r0 + r, res, gamma, beta, eps);
                out.put((r0 + r) * d, row);
            }
        }
    }

    /** row ← LayerNorm(row + bias + residual row {@code r}); {@code res} is scratch. */
    private static void addAndNorm(float[] row, float[] bias, FloatBuffer residual, int r,
            float[] res, float[] gamma, float[] beta, double eps) {
        residual.get(r * row.length, res);
        for (int j = 0; j < row.length; j++) {
            row[j] = (row[j] + bias[j]) + res[j];
        }
        layerNorm(row, gamma, beta, eps);
    }

    /**
     * The first half of exact GELU: adds the bias to {@code x} [N, F] (column-major) in place
     * and writes x / √2 into {@code scaled} (column-major), ready for erf.
     */
    static void biasAndScale(FloatBuffer x, float[] bias, float sqrt2, FloatBuffer scaled) {
        int rows = x.capacity() / bias.length;
        float[] column = new float[rows];
        float[] half = new float[rows];
        for (int j = 0; j < bias.length; j++) {
            x.get(j * rows, column);
            float b = bias[j];
            for (int r = 0; r < rows; r++) {
                column[r] += b;
                half[r] = column[r] / sqrt2;
            }
            x.put(j * rows, column);
            scaled.put(j * rows, half);
        }
    }

    /**
     * The second half: {@code erf} ← x · ½ (1 + erf), in place, as the exported graph orders it
     * (element by element, so in either layout).
     */
    static void geluFinish(FloatBuffer x, FloatBuffer erf) {
        int n = x.capacity();
        float[] a = new float[Math.min(n, 4096)];
        float[] e = new float[a.length];
        for (int i = 0; i < n; i += a.length) {
            int m = Math.min(a.length, n - i);
            x.get(i, a, 0, m);
            erf.get(i, e, 0, m);
            for (int k = 0; k < m; k++) {
                e[k] = (e[k] + 1f) * a[k] * 0.5f;
            }
            erf.put(i, e, 0, m);
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
