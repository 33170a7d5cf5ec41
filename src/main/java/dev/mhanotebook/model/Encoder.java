package dev.mhanotebook.model;

import dev.mhanotebook.engine.NativeOps;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Erf;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The forward pass of a BERT encoder (Devlin et al. 2019, §3; Vaswani et al. 2017, §3.2) over
 * {@code B} copies of one sentence at once, each copy with its own head mask.
 *
 * <p>Hidden states are {@code [B·L, d_model]}, one row per token, copy after copy, so every
 * projection is one matrix product; attention is {@code [B, h, L, L]}. There is no padding mask:
 * a copy is always one whole sentence. Nothing here writes into the weights.
 */
final class Encoder {
    /** √2 as the exported graph's GELU divides by it (float32). */
    private static final float SQRT_2 = 1.4142135381698608f;

    private final MiniLmConfig c;
    private final MiniLmWeights w;
    /** The weights' vectors (biases, γ, β) on the Java heap, for {@link EncoderRows}. */
    private final float[] lnGamma;
    private final float[] lnBeta;
    private final List<LayerVectors> vectors;

    /** One layer's vectors, copied out of the read-only weights once. */
    private record LayerVectors(float[] bqkv, float[] bo, float[] ln1Gamma, float[] ln1Beta,
            float[] b1, float[] b2, float[] ln2Gamma, float[] ln2Beta) {
        static LayerVectors of(MiniLmWeights.Layer l) {
            return new LayerVectors(NativeOps.floats(l.bqkv()), NativeOps.floats(l.bo()),
                    NativeOps.floats(l.ln1Gamma()), NativeOps.floats(l.ln1Beta()),
                    NativeOps.floats(l.b1()), NativeOps.floats(l.b2()),
                    NativeOps.floats(l.ln2Gamma()), NativeOps.floats(l.ln2Beta()));
        }
    }

    Encoder(MiniLmConfig c, MiniLmWeights w) {
        this.c = c;
        this.w = w;
        this.lnGamma = NativeOps.floats(w.lnGamma());
        this.lnBeta = NativeOps.floats(w.lnBeta());
        List<LayerVectors> v = new ArrayList<>();
        for (MiniLmWeights.Layer l : w.layers()) {
            v.add(LayerVectors.of(l));
        }
        this.vectors = List.copyOf(v);
    }

    /** Word + position + token-type (0) embeddings, then LayerNorm; [L, d_model]. */
    INDArray embed(Scope s, long[] ids) {
        INDArray x = s.own(rows(ids.length, c.modelDim()));                         // [L, D]
        EncoderRows.embed(ids, NativeOps.direct(w.wordEmbeddings()),
                NativeOps.direct(w.positionEmbeddings()), NativeOps.direct(w.tokenTypeEmbeddings()),
                lnGamma, lnBeta, c.layerNormEps(), NativeOps.direct(x));
        return x;
    }

    /**
     * One encoder layer over {@code batch} copies. {@code keep} is [B, h], 1 for a kept head and
     * 0 for a pruned one, or null when no head is pruned. When {@code capture} is not null the
     * attention weights [B, h, L, L] (after the head mask) are stored in {@code capture[0]}.
     * The output [B·L, D] and the captured weights belong to {@code out}; every intermediate is
     * freed before this returns, most of them as soon as the next step has used them.
     *
     * <p>Native operations: the four projections, the two batched attention products, the
     * softmax and erf; everything element-wise in between is one Java pass each
     * ({@link EncoderRows}).
     */
    INDArray layer(Scope out, int index, INDArray x, int batch, int len, INDArray keep,
            INDArray[] capture) {
        MiniLmWeights.Layer lw = w.layers().get(index);
        LayerVectors v = vectors.get(index);
        int d = c.modelDim();
        int h = c.heads();
        int dk = c.headDim();
        try (Scope s = new Scope()) {
            // 1) Project every token of every copy: [q | k | v] = x·[W^Q | W^K | W^V] + b.
            INDArray qkv = s.own(times(x, lw.wqkv()));                             // [B·L, 3·D]

            // 2) Add the bias, scale the queries by 1/√d_k (step 4, moved ahead: a product
            // commutes with a scalar), and split heads, all three at once:
            // [B·L, 3·D] -> [3, B, h, L, d_k].
            INDArray split = s.own(Nd4j.createUninitialized(DataType.FLOAT,
                    new long[] {3, batch, h, len, dk}, 'c'));
            EncoderRows.biasScaleSplit(NativeOps.direct(qkv), v.bqkv(), (float) c.scale(),
                    batch, len, h, dk, NativeOps.direct(split));
            s.free(qkv);
            INDArray qh = part(split, 0);                                          // [B, h, L, d_k]
            INDArray kh = part(split, 1);
            INDArray vh = part(split, 2);

            // 3) and 4) Score every (scaled) query against every key.
            INDArray scaled = s.own(NativeOps.batchedTimes(qh, kh, true));         // [B, h, L, L]

            // 5) Softmax over keys, less each row's maximum so exp cannot overflow: one fused
            // pass (no key is ever masked here, so every row has a finite maximum).
            INDArray a = NativeOps.softmaxRowsInPlace(scaled);                     // [B, h, L, L]

            // 6) Head mask: a pruned head's weights become 0 (as in Michel et al. 2019).
            if (keep != null) {
                Nd4j.exec(new BroadcastMulOp(a, keep, a, 0, 1));
            }

            // 7) Weight the values, then 8) concat heads: [B, h, L, d_k] -> [B·L, D].
            INDArray headOutputs = s.own(NativeOps.batchedTimes(a, vh, false));    // [B, h, L, d_k]
            if (capture != null) {
                capture[0] = s.moveTo(out, a);
            } else {
                s.free(a);
            }
            s.free(split);
            INDArray concat = s.own(rows(batch * len, d));
            EncoderRows.concatHeads(NativeOps.direct(headOutputs), batch, h, len, dk,
                    NativeOps.direct(concat));
            s.free(headOutputs);

            // 9) Output projection, bias, residual, LayerNorm.
            INDArray h1 = s.own(times(concat, lw.wo()));                           // [B·L, D]
            s.free(concat);
            EncoderRows.biasResidualNorm(NativeOps.direct(h1), v.bo(), NativeOps.direct(x),
                    v.ln1Gamma(), v.ln1Beta(), c.layerNormEps());

            // 10) Feed-forward with exact GELU, x · ½ (1 + erf(x / √2)) (Hendrycks & Gimpel
            // 2016, not the tanh fit), bias, residual, LayerNorm. Its two products write by
            // columns and the second reads by columns: with w1 and w2 stored column-major, the
            // layout in which OpenBLAS ran 16-row products fastest (docs/benchmarks.md).
            INDArray inner = s.own(NativeOps.timesIntoColumns(h1, lw.w1()));    // [B·L, ffn]
            INDArray activated = s.own(Nd4j.createUninitialized(DataType.FLOAT,
                    new long[] {batch * len, c.ffnDim()}, 'f'));
            EncoderRows.biasAndScale(NativeOps.directColumns(inner), v.b1(), SQRT_2,
                    NativeOps.directColumns(activated));
            Nd4j.exec(new Erf(activated, activated));
            EncoderRows.geluFinish(NativeOps.directColumns(inner),
                    NativeOps.directColumns(activated));
            s.free(inner);
            INDArray back = s.own(NativeOps.timesIntoColumns(activated, lw.w2()));   // [B·L, D]
            s.free(activated);
            INDArray z = s.own(rows(batch * len, d));                              // [B·L, D]
            EncoderRows.biasResidualNormFromColumns(NativeOps.directColumns(back), v.b2(),
                    NativeOps.direct(h1), v.ln2Gamma(), v.ln2Beta(), c.layerNormEps(),
                    NativeOps.direct(z));
            return s.moveTo(out, z);                                               // [B·L, D]
        }
    }

    /** x·w into a new row-major array; see {@link NativeOps#times}. */
    private static INDArray times(INDArray x, INDArray w) {
        return NativeOps.times(x, w);
    }

    /** A new row-major [n, width] float32 array, to be filled. */
    private static INDArray rows(int n, int width) {
        return Nd4j.createUninitialized(DataType.FLOAT, new long[] {n, width}, 'c');
    }

    /** Part {@code i} (q, k or v) of [3, B, h, L, d_k]: a contiguous view [B, h, L, d_k]. */
    private static INDArray part(INDArray split, int i) {
        return split.get(NDArrayIndex.point(i), NDArrayIndex.all(), NDArrayIndex.all(),
                NDArrayIndex.all(), NDArrayIndex.all());
    }

    /** Mean of the last hidden state over the tokens of each copy, L2-normalised; [B, D]. */
    INDArray meanPool(Scope s, INDArray x, int batch, int len) {
        INDArray pooled = s.own(x.reshape(batch, len, c.modelDim()).mean(1));       // [B, D]
        INDArray norm = s.own(pooled.norm2(true, 1));                              // [B, 1]
        return pooled.diviColumnVector(norm);
    }
}
