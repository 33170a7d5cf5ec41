package dev.mhanotebook.engine;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.BooleanIndexing;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.indexing.conditions.Conditions;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Attention for all batches and heads at once, in float32 with ND4J: each step below is one or a
 * few native operations over the whole [B, h, L, S] tensor.
 */
final class VectorizedAttention {
    private VectorizedAttention() {
    }

    static AttentionResult compute(AttentionSpec p, AttentionInputs in, AttentionWeights w,
            ComputeControl control) {
        long start = System.nanoTime();
        int batch = p.batch();
        int len = p.queryLength();
        int keyLen = p.keyLength();
        int dModel = p.modelDim();
        int heads = p.heads();
        List<TraceStep> trace = new ArrayList<>();
        List<String> warnings = Masks.blindRowWarnings(p, in);
        boolean blindRows = !warnings.isEmpty();

        try (Arrays4 arrays = new Arrays4()) {
            INDArray[] qkv = projectAndSplit(arrays, p, in, w, trace);
            INDArray qh = qkv[0];                                                 // [B, h, L, d_k]
            INDArray kh = qkv[1];                                                 // [B, h, S, d_k]
            INDArray vh = qkv[2];
            control.checkpoint(0.2);

            // step: scores
            // 3) Score every query against every key, all heads in one batched product.
            INDArray scores = arrays.own(NativeOps.batchedTimes(qh, kh, true));   // [B, h, L, S]
            trace.add(Steps.scores(p, capture(p, scores)));
            // end step: scores
            control.checkpoint(0.4);

            // step: scaled
            // 4) Scale, in place from here on: copies are taken only for the trace.
            scores.muli(p.scale());
            trace.add(Steps.scaled(p, capture(p, scores)));
            // end step: scaled

            // step: masked
            // 5) Mask: add −∞ where a query may not see a key, broadcast over heads.
            float[] bias = Masks.bias(p, in, 0, len, 0, keyLen);
            if (bias != null) {
                scores.addi(arrays.of(bias, batch, 1, len, keyLen));
            }
            trace.add(Steps.masked(p, bias != null, capture(p, scores)));
            // end step: masked

            // step: attention
            // 6) Softmax over keys, subtracting each row's maximum so exp never overflows: one
            // fused pass. A row with every key masked has maximum −∞ and would give NaN there, so
            // then the steps run one by one: 0 for its maximum so exp gives zeros, and 1 for its
            // sum, so its weights stay zero.
            INDArray a;
            if (blindRows) {
                INDArray rowMax = arrays.own(scores.max(true, 3));               // [B, h, L, 1]
                BooleanIndexing.replaceWhere(rowMax, 0.0, Conditions.isInfinite());
                a = Transforms.exp(scores.subi(rowMax), false);
                INDArray rowSum = arrays.own(a.sum(true, 3));
                BooleanIndexing.replaceWhere(rowSum, 1.0, Conditions.equals(0.0));
                a.divi(rowSum);                                                  // [B, h, L, S]
            } else {
                a = NativeOps.softmaxRowsInPlace(scores);
            }
            trace.add(Steps.attention(p, capture(p, a)));
            // end step: attention

            // 7) Dropout on the weights, only in training (inverted: kept weights × 1/(1−p)).
            if (p.dropoutActive()) {
                a.muli(arrays.of(DropoutMask.block(p, 0, len, 0, keyLen), batch, heads, len, keyLen));
                trace.add(Steps.dropout(p, capture(p, a)));
            }
            control.checkpoint(0.7);

            // step: headOutputs
            // 8) Weight the values.
            INDArray headOut = arrays.own(NativeOps.batchedTimes(a, vh, false));  // [B, h, L, d_k]
            trace.add(Steps.headOutputs(p, capture(p, headOut)));
            // end step: headOutputs

            // 9) and 10) Concat heads and project.
            INDArray y = concatAndProject(arrays, p, w, headOut, trace);
            control.checkpoint(1.0);

            Tensor output = Arrays4.tensor(y, batch, len, dModel);
            Tensor attention = null;
            AttentionPreview preview = null;
            if (p.returnsFullAttention()) {
                attention = Arrays4.tensor(a);
            } else {
                preview = Pooling.fromFull(p, a);
                warnings.add(Pooling.warning(p, preview));
            }
            long elapsed = System.nanoTime() - start;
            Cost cost = new Cost(CostModel.flops(p, Implementation.VECTORIZED),
                    elementOps(trace), CostModel.peakBytes(p, Implementation.VECTORIZED), elapsed);
            return new AttentionResult(output, attention, preview, trace, warnings, cost);
        }
    }

    /**
     * Steps 1 and 2, shared with the tiled path: project all B·L rows, then split heads,
     * [B, L, h·d_k] -> [B, L, h, d_k] -> [B, h, L, d_k]. Key and value heads are repeated for
     * their group, so the result is always [B, h, S, d_k].
     *
     * <p>Projections that read the same input run as one matrix product against the weights
     * side by side, [W^Q | W^K | W^V], and one transpose splits all their heads at once: at the
     * sizes of the tutorial, the count of native operations sets the time, not the arithmetic.
     */
    static INDArray[] projectAndSplit(Arrays4 arrays, AttentionSpec p, AttentionInputs in,
            AttentionWeights w, List<TraceStep> trace) {
        int batch = p.batch();
        int len = p.queryLength();
        int keyLen = p.keyLength();
        int h = p.heads();
        int g = p.kvHeads();
        int dk = p.headDim();
        INDArray qh;
        INDArray kh;
        INDArray vh;
        INDArray q;
        INDArray k;
        INDArray v;
        if (in.key() == in.query() && in.value() == in.query()) {
            // step: project
            // Self-attention: one product for Q, K and V.           [B·L, (h + 2g)·d_k]
            INDArray qkv = project(arrays, in.query(), new float[][][] {w.wq(), w.wk(), w.wv()},
                    new float[][] {w.bq(), w.bk(), w.bv()});
            q = columns(qkv, 0, h * dk);
            k = columns(qkv, h * dk, (h + g) * dk);
            v = columns(qkv, (h + g) * dk, (h + 2 * g) * dk);
            // end step: project

            // step: splitHeads
            INDArray heads = split(arrays, qkv, batch, len, h + 2 * g, dk);   // [B, h+2g, L, d_k]
            qh = headRange(heads, 0, h);
            kh = headRange(heads, h, h + g);
            vh = headRange(heads, h + g, h + 2 * g);
            // end step: splitHeads
        } else {
            q = project(arrays, in.query(), new float[][][] {w.wq()}, new float[][] {w.bq()});
            qh = split(arrays, q, batch, len, h, dk);
            if (in.value() == in.key()) {
                INDArray kv = project(arrays, in.key(), new float[][][] {w.wk(), w.wv()},
                        new float[][] {w.bk(), w.bv()});
                INDArray heads = split(arrays, kv, batch, keyLen, 2 * g, dk);
                k = columns(kv, 0, g * dk);
                v = columns(kv, g * dk, 2 * g * dk);
                kh = headRange(heads, 0, g);
                vh = headRange(heads, g, 2 * g);
            } else {
                k = project(arrays, in.key(), new float[][][] {w.wk()}, new float[][] {w.bk()});
                v = project(arrays, in.value(), new float[][][] {w.wv()}, new float[][] {w.bv()});
                kh = split(arrays, k, batch, keyLen, g, dk);
                vh = split(arrays, v, batch, keyLen, g, dk);
            }
        }
        trace.add(Steps.q(p, capture(p, q, batch, len, h * dk)));
        trace.add(Steps.kv(p, "k", capture(p, k, batch, keyLen, g * dk)));
        trace.add(Steps.kv(p, "v", capture(p, v, batch, keyLen, g * dk)));
        trace.add(Steps.splitHeads(p, capture(p, qh)));
        if (p.groupSize() > 1) {
            // Grouped-query: each key/value head serves h/g query heads.   [B, g, S, d_k] -> [B, h, S, d_k]
            kh = arrays.own(kh.repeat(1, p.groupSize()));
            vh = arrays.own(vh.repeat(1, p.groupSize()));
        }
        return new INDArray[] {qh, kh, vh};
    }

    // step: project
    /** x·[W_1 | W_2 | …] + [b_1 | b_2 | …] over all B·rows rows.     [B·rows, Σ cols] */
    private static INDArray project(Arrays4 arrays, float[][][] x, float[][][] ws, float[][] bs) {
        int dModel = ws[0].length;
        int cols = 0;
        for (float[][] m : ws) {
            cols += m[0].length;
        }
        INDArray sideBySide = arrays.own(Arrays4.empty(dModel, cols));           // [D, Σ cols]
        FloatBuffer to = NativeOps.direct(sideBySide);
        float[] bias = new float[cols];
        int offset = 0;
        for (int m = 0; m < ws.length; m++) {
            int c = ws[m][0].length;
            for (int r = 0; r < dModel; r++) {
                to.put(r * cols + offset, ws[m][r], 0, c);
            }
            System.arraycopy(bs[m], 0, bias, offset, c);
            offset += c;
        }
        INDArray input = arrays.of(x);
        INDArray rows = input.reshape(input.size(0) * input.size(1), dModel);
        return arrays.own(NativeOps.times(rows, sideBySide)).addiRowVector(arrays.of(bias));
    }
    // end step: project

    // step: splitHeads
    /** [B·rows, n·d_k] -> [B, rows, n, d_k] -> [B, n, rows, d_k], copied once. */
    private static INDArray split(Arrays4 arrays, INDArray flat, int batch, int rows, int n, int dk) {
        return arrays.own(flat.reshape(batch, rows, n, dk).permute(0, 2, 1, 3).dup('c'));
    }
    // end step: splitHeads

    private static INDArray columns(INDArray m, int from, int to) {
        return m.get(NDArrayIndex.all(), NDArrayIndex.interval(from, to));
    }

    private static INDArray headRange(INDArray heads, int from, int to) {
        return heads.get(NDArrayIndex.all(), NDArrayIndex.interval(from, to), NDArrayIndex.all(),
                NDArrayIndex.all());
    }

    /** Steps 9 and 10, shared with the tiled path: concat heads and project. Returns [B·L, D]. */
    static INDArray concatAndProject(Arrays4 arrays, AttentionSpec p, AttentionWeights w,
            INDArray headOut, List<TraceStep> trace) {
        int batch = p.batch();
        int len = p.queryLength();
        // step: concat
        // [B, h, L, d_k] -> [B, L, h, d_k] -> [B·L, h·d_k]: head i lands in columns
        // i·d_k … (i+1)·d_k − 1.
        INDArray concat = arrays.own(headOut.permute(0, 2, 1, 3).dup('c'))
                .reshape(batch * len, p.heads() * p.headDim());
        trace.add(Steps.concat(p, capture(p, concat, batch, len, p.heads() * p.headDim())));
        // end step: concat

        // step: output
        INDArray y = arrays.own(NativeOps.times(concat, arrays.of(w.wo())))
                .addiRowVector(arrays.of(w.bo()));
        trace.add(Steps.output(p, capture(p, y, batch, len, p.modelDim())));
        // end step: output
        return y;
    }

    static Tensor capture(AttentionSpec p, INDArray a, long... shape) {
        return p.captures(a.length()) ? Arrays4.tensor(a, shape) : null;
    }

    static long elementOps(List<TraceStep> trace) {
        long n = 0;
        for (TraceStep s : trace) {
            n += s.elementOps();
        }
        return n;
    }
}
