package dev.mhanotebook.engine;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Sparse attention: the same layer as {@link VectorizedAttention}, but steps 3–8 touch only the
 * (query, key) pairs the pattern allows, never the whole [L, S] matrix.
 *
 * <p>Steps 1–2 (projections, head split) and 9–10 (concat, output projection) are ND4J matrix
 * products shared with the dense path. In between, each query row gathers the keys it may see
 * (a list per row, made once from the pattern) and computes, in plain Java over float32 with
 * double sums, their scores, a softmax over them and the weighted sum of their values. The work
 * is proportional to the allowed pairs, not to L·S. Gathering with ND4J instead (per row or per
 * block of rows) was measured first and lost: with a few hundred tiny native operations per
 * layer, their fixed cost outweighed the saving (see docs/variants-measurements.md).
 *
 * <p>The output equals dense attention with the complement of the pattern as the
 * {@code blocked} mask, within float32 rounding. Dropout is not supported and fails loudly.
 */
public final class SparseAttention {
    private SparseAttention() {
    }

    /**
     * @param allowedPairs pairs the pattern allows
     * @param scoredPairs  pairs scored per head, averaged over the batch: the allowed ones that
     *                     the causal mask and key padding do not hide
     * @param elapsedNanos the measured time of the whole layer (projections included)
     * @param attention    [B, h, L, S] with zeros outside the pattern, or null past the spec's
     *                     limit on returned attention
     */
    public record Result(Tensor output, Tensor attention, long allowedPairs, long scoredPairs,
            long densePairs, long elapsedNanos) {
    }

    public static Result compute(AttentionSpec p, AttentionInputs in, AttentionWeights w,
            boolean[][] allowed, ComputeControl control) {
        if (p.dropoutActive()) {
            throw new IllegalArgumentException("sparse attention does not apply dropout");
        }
        if (allowed.length != p.queryLength() || allowed[0].length != p.keyLength()) {
            throw new IllegalArgumentException("allowed must be [L, S] = [" + p.queryLength()
                    + ", " + p.keyLength() + "], got [" + allowed.length + ", "
                    + allowed[0].length + "]");
        }
        long start = System.nanoTime();
        int batch = p.batch();
        int len = p.queryLength();
        int keyLen = p.keyLength();
        int heads = p.heads();
        int dk = p.headDim();
        int[][] rowKeys = rowKeys(allowed);
        float[] attention = p.returnsFullAttention() ? new float[(int) p.attentionCells()] : null;
        List<TraceStep> trace = new ArrayList<>();

        try (Arrays4 arrays = new Arrays4()) {
            // 1) and 2) Project and split heads, as the dense path does.
            INDArray[] qkv = VectorizedAttention.projectAndSplit(arrays, p, in, w, trace);
            float[] q = NativeOps.floats(qkv[0]);                          // [B, h, L, d_k]
            float[] k = NativeOps.floats(qkv[1]);                          // [B, h, S, d_k]
            float[] v = NativeOps.floats(qkv[2]);
            float[] heads4 = new float[batch * heads * len * dk];                  // [B, h, L, d_k]
            control.checkpoint(0.2);

            long scored = 0;
            double[] z = new double[keyLen];
            int[] seen = new int[keyLen];
            for (int b = 0; b < batch; b++) {
                for (int h = 0; h < heads; h++) {
                    int bh = b * heads + h;
                    for (int i = 0; i < len; i++) {
                        // 3)–5) Score only the keys row i may see; the mask decides which.
                        int qRow = (bh * len + i) * dk;
                        int n = 0;
                        double max = Double.NEGATIVE_INFINITY;
                        for (int j : rowKeys[i]) {
                            if (in.blocks(p, b, i, j)) {
                                continue;
                            }
                            int kRow = (bh * keyLen + j) * dk;
                            double dot = 0;
                            for (int c = 0; c < dk; c++) {
                                dot += q[qRow + c] * k[kRow + c];
                            }
                            float scaled = (float) (dot * p.scale());
                            seen[n] = j;
                            z[n++] = scaled;
                            max = Math.max(max, scaled);
                        }
                        scored += n;
                        if (n == 0) {
                            continue;             // a row that sees nothing: zeros, as dense
                        }

                        // 6) Softmax over the scored keys, subtracting the row maximum.
                        double sum = 0;
                        for (int t = 0; t < n; t++) {
                            z[t] = Math.exp(z[t] - max);
                            sum += z[t];
                        }

                        // 8) Weight the values of the scored keys.
                        for (int t = 0; t < n; t++) {
                            double a = z[t] / sum;
                            int vRow = (bh * keyLen + seen[t]) * dk;
                            for (int c = 0; c < dk; c++) {
                                heads4[qRow + c] += (float) (a * v[vRow + c]);
                            }
                            if (attention != null) {
                                attention[(bh * len + i) * keyLen + seen[t]] = (float) a;
                            }
                        }
                    }
                    control.checkpoint(0.2 + 0.7 * (bh + 1) / (batch * heads));
                }
            }

            // 9) and 10) Concat heads and project.
            INDArray headOut = arrays.of(heads4, batch, heads, len, dk);
            INDArray y = VectorizedAttention.concatAndProject(arrays, p, w, headOut, trace);
            Tensor output = Arrays4.tensor(y, batch, len, p.modelDim());
            long elapsed = System.nanoTime() - start;
            Tensor weights = attention != null
                    ? new Tensor(new long[] {batch, heads, len, keyLen}, attention) : null;
            return new Result(output, weights, SparsePattern.count(allowed),
                    scored / ((long) heads * batch), (long) len * keyLen,
                    elapsed);
        }
    }

    /** The same inputs with the complement of {@code allowed} added to the blocked mask. */
    public static AttentionInputs denseInputs(AttentionInputs in, boolean[][] allowed) {
        boolean[][] blocked = SparsePattern.complement(allowed);
        if (in.blocked() != null) {
            for (int i = 0; i < blocked.length; i++) {
                for (int j = 0; j < blocked[i].length; j++) {
                    blocked[i][j] |= in.blocked()[i][j];
                }
            }
        }
        return new AttentionInputs(in.query(), in.key(), in.value(), in.keyPadding(), blocked);
    }

    /** For each query row, the keys the pattern lets it see, ascending. */
    static int[][] rowKeys(boolean[][] allowed) {
        int[][] keys = new int[allowed.length][];
        for (int i = 0; i < allowed.length; i++) {
            int n = 0;
            for (boolean a : allowed[i]) {
                n += a ? 1 : 0;
            }
            keys[i] = new int[n];
            n = 0;
            for (int j = 0; j < allowed[i].length; j++) {
                if (allowed[i][j]) {
                    keys[i][n++] = j;
                }
            }
        }
        return keys;
    }
}
