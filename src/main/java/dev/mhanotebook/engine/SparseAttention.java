package dev.mhanotebook.engine;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.BooleanIndexing;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.indexing.conditions.Conditions;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Block-sparse attention: the same layer as {@link VectorizedAttention}, but step 3 scores only
 * the keys a block of queries may see, never the whole [L, S] matrix.
 *
 * <p>Queries are cut into blocks of {@code queryBlock} rows. For each block the keys that any of
 * its rows may see are gathered ({@code n} of them), scored against the block's queries
 * ([B, h, b, d_k] x [B, h, d_k, n] -> [B, h, b, n]), masked where a row of the block may not see
 * a gathered key, and used in a softmax and a weighted sum of the gathered values. The work is
 * proportional to Σ b·n, the <em>scored</em> pairs, which is at least the allowed pairs (it
 * rounds each block's rows up to their union, as block-sparse kernels do) and far below L·S for
 * a narrow pattern. The output equals dense attention with the complement of the pattern as the
 * {@code blocked} mask, within float32 rounding.
 *
 * <p>Dropout is not supported here: it fails loudly rather than being ignored.
 */
public final class SparseAttention {
    private SparseAttention() {
    }

    /**
     * @param allowed    [L, S], true where query i may see key j
     * @param elapsedNanos the measured time of the whole layer (projections included)
     * @param attention  [B, h, L, S] with zeros outside the pattern, or null past the spec's
     *                   limit on returned attention
     */
    public record Result(Tensor output, Tensor attention, long allowedPairs, long scoredPairs,
            long densePairs, long elapsedNanos) {
    }

    public static Result compute(AttentionSpec p, AttentionInputs in, AttentionWeights w,
            boolean[][] allowed, int queryBlock, ComputeControl control) {
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
        List<TraceStep> trace = new ArrayList<>();
        boolean keepAttention = p.returnsFullAttention();
        float[] attention = keepAttention ? new float[(int) p.attentionCells()] : null;
        long scored = 0;

        try (Arrays4 arrays = new Arrays4()) {
            // 1) and 2) Project and split heads, as the dense path does.
            INDArray[] qkv = VectorizedAttention.projectAndSplit(arrays, p, in, w, trace);
            INDArray qh = qkv[0];                                                 // [B, h, L, d_k]
            INDArray kRows = rowsFirst(arrays, qkv[1], keyLen);                   // [S, B·h·d_k]
            INDArray vRows = rowsFirst(arrays, qkv[2], keyLen);
            INDArray headOut = arrays.own(Nd4j.zeros(qh.dataType(), batch, heads, len, dk));
            control.checkpoint(0.2);

            for (int i0 = 0; i0 < len; i0 += queryBlock) {
                int i1 = Math.min(len, i0 + queryBlock);
                int[] keys = keysOfBlock(allowed, i0, i1, keyLen);
                if (keys.length == 0) {
                    continue;                     // every row of the block is blind: zeros
                }
                int n = keys.length;
                scored += (long) (i1 - i0) * n;

                // 3) Gather the block's keys and values, then score only those.
                INDArray kSel = gather(arrays, kRows, keys, batch, heads, dk);    // [B, h, n, d_k]
                INDArray vSel = gather(arrays, vRows, keys, batch, heads, dk);
                INDArray qBlock = qh.get(NDArrayIndex.all(), NDArrayIndex.all(),
                        NDArrayIndex.interval(i0, i1), NDArrayIndex.all());
                INDArray scores = arrays.own(Nd4j.matmul(qBlock, kSel, false, true, false));
                // [B, h, b, d_k] x [B, h, d_k, n] -> [B, h, b, n]

                // 4) and 5) Scale; mask the gathered keys a row of the block may not see.
                scores.muli(p.scale());
                float[] bias = blockBias(p, in, allowed, i0, i1, keys);
                if (bias != null) {
                    scores.addi(arrays.of(bias, batch, 1, i1 - i0, n));
                }

                // 6) Softmax over the gathered keys; a blind row gets zeros, as in the dense path.
                INDArray rowMax = arrays.own(scores.max(true, 3));
                BooleanIndexing.replaceWhere(rowMax, 0.0, Conditions.isInfinite());
                INDArray a = Transforms.exp(scores.subi(rowMax), false);
                INDArray rowSum = arrays.own(a.sum(true, 3));
                BooleanIndexing.replaceWhere(rowSum, 1.0, Conditions.equals(0.0));
                a.divi(rowSum);                                                  // [B, h, b, n]

                // 8) Weight the gathered values.
                INDArray out = arrays.own(Nd4j.matmul(a, vSel));                 // [B, h, b, d_k]
                headOut.get(NDArrayIndex.all(), NDArrayIndex.all(),
                        NDArrayIndex.interval(i0, i1), NDArrayIndex.all()).assign(out);
                if (keepAttention) {
                    scatter(a, attention, p, i0, i1, keys);
                }
                control.checkpoint(0.2 + 0.7 * i1 / len);
            }

            // 9) and 10) Concat heads and project.
            INDArray y = VectorizedAttention.concatAndProject(arrays, p, w, headOut, trace);
            Tensor output = Arrays4.tensor(y, batch, len, p.modelDim());
            long elapsed = System.nanoTime() - start;
            Tensor weights = keepAttention
                    ? new Tensor(new long[] {batch, heads, len, keyLen}, attention) : null;
            return new Result(output, weights, SparsePattern.count(allowed), scored,
                    (long) len * keyLen, elapsed);
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

    /** [B, h, S, d_k] -> [S, B, h, d_k] -> [S, B·h·d_k], so that a key is one row. */
    private static INDArray rowsFirst(Arrays4 arrays, INDArray x, int keyLen) {
        return arrays.own(x.permute(2, 0, 1, 3).dup('c')).reshape(keyLen, x.length() / keyLen);
    }

    /** Rows {@code keys} of [S, B·h·d_k] -> [n, B, h, d_k] -> [B, h, n, d_k]. */
    private static INDArray gather(Arrays4 arrays, INDArray rows, int[] keys, int batch,
            int heads, int dk) {
        INDArray picked = arrays.own(Nd4j.pullRows(rows, 1, keys));
        return arrays.own(picked.reshape(keys.length, batch, heads, dk).permute(1, 2, 0, 3)
                .dup('c'));
    }

    /** The keys any row of [i0, i1) may see, ascending. */
    static int[] keysOfBlock(boolean[][] allowed, int i0, int i1, int keyLen) {
        int[] keys = new int[keyLen];
        int n = 0;
        for (int j = 0; j < keyLen; j++) {
            for (int i = i0; i < i1; i++) {
                if (allowed[i][j]) {
                    keys[n++] = j;
                    break;
                }
            }
        }
        return java.util.Arrays.copyOf(keys, n);
    }

    /** 0 or −∞ for [B, 1, b, n]; null when every row of the block may see every gathered key. */
    private static float[] blockBias(AttentionSpec p, AttentionInputs in, boolean[][] allowed,
            int i0, int i1, int[] keys) {
        float[] bias = new float[p.batch() * (i1 - i0) * keys.length];
        boolean any = false;
        int k = 0;
        for (int b = 0; b < p.batch(); b++) {
            for (int i = i0; i < i1; i++) {
                for (int j : keys) {
                    boolean blocked = !allowed[i][j] || in.blocks(p, b, i, j);
                    any |= blocked;
                    bias[k++] = blocked ? Float.NEGATIVE_INFINITY : 0f;
                }
            }
        }
        return any ? bias : null;
    }

    private static void scatter(INDArray a, float[] attention, AttentionSpec p, int i0, int i1,
            int[] keys) {
        float[] block = a.dup('c').data().asFloat();
        int rows = i1 - i0;
        int n = keys.length;
        int k = 0;
        for (int b = 0; b < p.batch(); b++) {
            for (int h = 0; h < p.heads(); h++) {
                for (int r = 0; r < rows; r++) {
                    int base = ((b * p.heads() + h) * p.queryLength() + i0 + r) * p.keyLength();
                    for (int t = 0; t < n; t++) {
                        attention[base + keys[t]] = block[k++];
                    }
                }
            }
        }
    }
}
