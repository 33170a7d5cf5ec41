package dev.mhanotebook.model;

import dev.mhanotebook.engine.NativeOps;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Erf;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

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
    private static final double SQRT_2 = 1.4142135381698608;

    private final MiniLmConfig c;
    private final MiniLmWeights w;

    Encoder(MiniLmConfig c, MiniLmWeights w) {
        this.c = c;
        this.w = w;
    }

    /** Word + position + token-type (0) embeddings, then LayerNorm; [L, d_model]. */
    INDArray embed(Scope s, long[] ids) {
        int len = ids.length;
        int[] rows = new int[len];
        for (int i = 0; i < len; i++) {
            rows[i] = Math.toIntExact(ids[i]);
        }
        INDArray x = s.own(w.wordEmbeddings().getRows(rows));                      // [L, D]
        x.addi(w.positionEmbeddings().get(NDArrayIndex.interval(0, len), NDArrayIndex.all()));
        x.addiRowVector(w.tokenTypeEmbeddings().getRow(0));
        return layerNorm(s, x, w.lnGamma(), w.lnBeta());
    }

    /**
     * One encoder layer over {@code batch} copies. {@code keep} is [B, h], 1 for a kept head and
     * 0 for a pruned one, or null when no head is pruned. When {@code capture} is not null the
     * attention weights [B, h, L, L] (after the head mask) are stored in {@code capture[0]}.
     * The output [B·L, D] and the captured weights belong to {@code out}; every intermediate is
     * freed before this returns, most of them as soon as the next step has used them.
     */
    INDArray layer(Scope out, int index, INDArray x, int batch, int len, INDArray keep,
            INDArray[] capture) {
        MiniLmWeights.Layer lw = w.layers().get(index);
        int d = c.modelDim();
        try (Scope s = new Scope()) {
            // 1) Project every token of every copy: [q | k | v] = x·[W^Q | W^K | W^V] + b.
            INDArray qkv = s.own(times(x, lw.wqkv())).addiRowVector(lw.bqkv());   // [B·L, 3·D]

            // 2) Split heads, all three at once:
            // [B·L, 3·D] -> [B, L, 3, h, d_k] -> [3, B, h, L, d_k].
            INDArray split = s.own(qkv.reshape(batch, len, 3, c.heads(), c.headDim())
                    .permute(2, 0, 3, 1, 4).dup('c'));
            s.free(qkv);
            INDArray qh = part(split, 0);                                          // [B, h, L, d_k]
            INDArray kh = part(split, 1);
            INDArray vh = part(split, 2);

            // 3) and 4) Score every query against every key, scaled by 1/√d_k.
            INDArray scaled = s.own(NativeOps.batchedTimes(qh, kh, true))
                    .muli(c.scale());                                              // [B, h, L, L]

            // 5) Softmax over keys, less each row's maximum so exp cannot overflow: one fused
            // pass (no key is ever masked here, so every row has a finite maximum).
            INDArray a = NativeOps.softmaxRowsInPlace(scaled);                     // [B, h, L, L]

            // 6) Head mask: a pruned head's weights become 0 (as in Michel et al. 2019).
            if (keep != null) {
                Nd4j.exec(new BroadcastMulOp(a, keep, a, 0, 1));
            }

            // 7) Weight the values, then 8) concat heads:
            // [B, h, L, d_k] -> [B, L, h, d_k] -> [B·L, D].
            INDArray headOutputs = s.own(NativeOps.batchedTimes(a, vh, false));    // [B, h, L, d_k]
            if (capture != null) {
                capture[0] = s.moveTo(out, a);
            } else {
                s.free(a);
            }
            s.free(split);
            INDArray concat = s.own(headOutputs.permute(0, 2, 1, 3).dup('c'))
                    .reshape(batch * len, d);
            s.free(headOutputs);

            // 9) Output projection, residual, LayerNorm.
            INDArray y = s.own(times(concat, lw.wo())).addiRowVector(lw.bo()).addi(x);
            INDArray h1 = layerNorm(s, y, lw.ln1Gamma(), lw.ln1Beta());

            // 10) Feed-forward with exact GELU, residual, LayerNorm.
            INDArray inner = s.own(times(h1, lw.w1())).addiRowVector(lw.b1());     // [B·L, ffn]
            INDArray activated = gelu(s, inner);
            s.free(inner);
            INDArray z = s.own(times(activated, lw.w2())).addiRowVector(lw.b2()).addi(h1);
            return s.moveTo(out, layerNorm(s, z, lw.ln2Gamma(), lw.ln2Beta()));    // [B·L, D]
        }
    }

    /** x·w into a new row-major array; see {@link NativeOps#times}. */
    private static INDArray times(INDArray x, INDArray w) {
        return NativeOps.times(x, w);
    }

    /** Part {@code i} (q, k or v) of [3, B, h, L, d_k]: a contiguous view [B, h, L, d_k]. */
    private static INDArray part(INDArray split, int i) {
        return split.get(NDArrayIndex.point(i), NDArrayIndex.all(), NDArrayIndex.all(),
                NDArrayIndex.all(), NDArrayIndex.all());
    }

    /** (x − mean) / √(var + ε) · γ + β over each row; biased variance, as BERT's LayerNorm. */
    INDArray layerNorm(Scope s, INDArray x, INDArray gamma, INDArray beta) {
        INDArray mean = s.own(x.mean(true, 1));                                    // [N, 1]
        INDArray centred = s.own(x.subColumnVector(mean));
        INDArray var = s.own(s.own(centred.mul(centred)).mean(true, 1));
        INDArray std = Transforms.sqrt(var.addi(c.layerNormEps()), false);
        return centred.diviColumnVector(std).muliRowVector(gamma).addiRowVector(beta);
    }

    /** GELU(x) = x · Φ(x) = x · ½ (1 + erf(x / √2)) (Hendrycks & Gimpel 2016), not tanh-fitted. */
    private INDArray gelu(Scope s, INDArray x) {
        INDArray e = s.own(x.div(SQRT_2));
        Nd4j.exec(new Erf(e, e));
        return e.addi(1.0).muli(x).muli(0.5);
    }

    /** Mean of the last hidden state over the tokens of each copy, L2-normalised; [B, D]. */
    INDArray meanPool(Scope s, INDArray x, int batch, int len) {
        INDArray pooled = s.own(x.reshape(batch, len, c.modelDim()).mean(1));       // [B, D]
        INDArray norm = s.own(pooled.norm2(true, 1));                              // [B, 1]
        return pooled.diviColumnVector(norm);
    }
}
