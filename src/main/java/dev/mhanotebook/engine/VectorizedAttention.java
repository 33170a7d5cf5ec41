package dev.mhanotebook.engine;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.BooleanIndexing;
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

        try (Arrays4 arrays = new Arrays4()) {
            INDArray[] qkv = projectAndSplit(arrays, p, in, w, trace);
            INDArray qh = qkv[0];                                                 // [B, h, L, d_k]
            INDArray kh = qkv[1];                                                 // [B, h, S, d_k]
            INDArray vh = qkv[2];
            control.checkpoint(0.2);

            // 3) Score every query against every key, all heads in one batched product.
            INDArray scores = arrays.own(Nd4j.matmul(qh, kh, false, true, false)); // [B, h, L, S]
            trace.add(Steps.scores(p, capture(p, scores)));
            control.checkpoint(0.4);

            // 4) Scale, in place from here on: copies are taken only for the trace.
            scores.muli(p.scale());
            trace.add(Steps.scaled(p, capture(p, scores)));

            // 5) Mask: add −∞ where a query may not see a key, broadcast over heads.
            float[] bias = Masks.bias(p, in, 0, len, 0, keyLen);
            if (bias != null) {
                scores.addi(arrays.of(bias, batch, 1, len, keyLen));
            }
            trace.add(Steps.masked(p, bias != null, capture(p, scores)));

            // 6) Softmax over keys, subtracting each row's maximum so exp never overflows. A row
            // with every key masked has maximum −∞: use 0 there so exp gives zeros, not NaN.
            INDArray rowMax = arrays.own(scores.max(true, 3));                   // [B, h, L, 1]
            BooleanIndexing.replaceWhere(rowMax, 0.0, Conditions.isInfinite());
            INDArray a = Transforms.exp(scores.subi(rowMax), false);
            INDArray rowSum = arrays.own(a.sum(true, 3));
            BooleanIndexing.replaceWhere(rowSum, 1.0, Conditions.equals(0.0));
            a.divi(rowSum);                                                      // [B, h, L, S]
            trace.add(Steps.attention(p, capture(p, a)));

            // 7) Dropout on the weights, only in training (inverted: kept weights × 1/(1−p)).
            if (p.dropoutActive()) {
                a.muli(arrays.of(DropoutMask.block(p, 0, len, 0, keyLen), batch, heads, len, keyLen));
                trace.add(Steps.dropout(p, capture(p, a)));
            }
            control.checkpoint(0.7);

            // 8) Weight the values.
            INDArray headOut = arrays.own(Nd4j.matmul(a, vh));                   // [B, h, L, d_k]
            trace.add(Steps.headOutputs(p, capture(p, headOut)));

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
     * Steps 1 and 2, shared with the tiled path: project all B·L rows with one matrix product per
     * projection, then split heads, [B, L, h·d_k] -> [B, L, h, d_k] -> [B, h, L, d_k]. Key and
     * value heads are repeated for their group, so the result is always [B, h, S, d_k].
     */
    static INDArray[] projectAndSplit(Arrays4 arrays, AttentionSpec p, AttentionInputs in,
            AttentionWeights w, List<TraceStep> trace) {
        int batch = p.batch();
        int len = p.queryLength();
        int keyLen = p.keyLength();
        int dModel = p.modelDim();
        INDArray x = arrays.of(in.query());                                       // [B, L, D]
        INDArray xk = in.key() == in.query() ? x : arrays.of(in.key());           // [B, S, D]
        INDArray xv = in.value() == in.query() ? x
                : in.value() == in.key() ? xk : arrays.of(in.value());

        INDArray q = arrays.own(x.reshape(batch * len, dModel).mmul(arrays.of(w.wq())))
                .addiRowVector(arrays.of(w.bq()));                                // [B·L, h·d_k]
        INDArray k = arrays.own(xk.reshape(batch * keyLen, dModel).mmul(arrays.of(w.wk())))
                .addiRowVector(arrays.of(w.bk()));                                // [B·S, g·d_k]
        INDArray v = arrays.own(xv.reshape(batch * keyLen, dModel).mmul(arrays.of(w.wv())))
                .addiRowVector(arrays.of(w.bv()));
        trace.add(Steps.q(p, capture(p, q, batch, len, p.heads() * p.headDim())));
        trace.add(Steps.kv(p, "k", capture(p, k, batch, keyLen, p.kvHeads() * p.headDim())));
        trace.add(Steps.kv(p, "v", capture(p, v, batch, keyLen, p.kvHeads() * p.headDim())));

        INDArray qh = arrays.own(q.reshape(batch, len, p.heads(), p.headDim())
                .permute(0, 2, 1, 3).dup('c'));
        INDArray kh = splitKv(arrays, p, k);
        INDArray vh = splitKv(arrays, p, v);
        trace.add(Steps.splitHeads(p, capture(p, qh)));
        return new INDArray[] {qh, kh, vh};
    }

    /** Steps 9 and 10, shared with the tiled path: concat heads and project. Returns [B·L, D]. */
    static INDArray concatAndProject(Arrays4 arrays, AttentionSpec p, AttentionWeights w,
            INDArray headOut, List<TraceStep> trace) {
        int batch = p.batch();
        int len = p.queryLength();
        // [B, h, L, d_k] -> [B, L, h, d_k] -> [B·L, h·d_k]: head i lands in columns
        // i·d_k … (i+1)·d_k − 1.
        INDArray concat = arrays.own(headOut.permute(0, 2, 1, 3).dup('c'))
                .reshape(batch * len, p.heads() * p.headDim());
        trace.add(Steps.concat(p, capture(p, concat, batch, len, p.heads() * p.headDim())));
        INDArray y = arrays.own(concat.mmul(arrays.of(w.wo()))).addiRowVector(arrays.of(w.bo()));
        trace.add(Steps.output(p, capture(p, y, batch, len, p.modelDim())));
        return y;
    }

    /** [B·S, g·d_k] -> [B, g, S, d_k], then each key/value head repeated for its group -> [B, h, S, d_k]. */
    static INDArray splitKv(Arrays4 arrays, AttentionSpec p, INDArray flat) {
        INDArray split = arrays.own(flat.reshape(p.batch(), p.keyLength(), p.kvHeads(), p.headDim())
                .permute(0, 2, 1, 3).dup('c'));
        if (p.groupSize() == 1) {
            return split;
        }
        return arrays.own(split.repeat(1, p.groupSize()));
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
