package dev.mhanotebook.engine;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.BooleanIndexing;
import org.nd4j.linalg.indexing.conditions.Conditions;

/**
 * Linear attention (Katharopoulos et al. 2020, §3.2, eq. 5): with a positive feature map φ,
 *
 * <pre>
 * head_i = φ(Q_i) (φ(K_i)ᵀ V_i) / (φ(Q_i) Σ_j φ(K_i)_j)
 * </pre>
 *
 * which costs O(L·m·d_k) instead of O(L·S·d_k) and never forms the [L, S] matrix. Causal linear
 * attention (§3.2.2, eq. 8–10) keeps running sums {@code S_i = Σ_{j≤i} φ(k_j) v_jᵀ} and
 * {@code z_i = Σ_{j≤i} φ(k_j)} and reads them with each query in turn.
 *
 * <p>Steps 1–2 (projections, head split) and 9–10 (concat, output projection) are those of
 * {@link VectorizedAttention}; only steps 3–8 change. Key padding is honoured by zeroing the
 * padded keys' features. An explicit {@code blocked} mask and dropout are not supported and fail
 * loudly; a causal mask needs L = S.
 */
public final class LinearAttention {
    private LinearAttention() {
    }

    /**
     * @param output       [B, L, d_model]
     * @param attention    the implied weights φ(Q)φ(K)ᵀ normalised, [B, h, L, S], formed only for
     *                     display while within the spec's limit, outside the timed part; else null
     * @param features     m
     * @param elapsedNanos the measured time of the whole layer (projections included)
     */
    public record Result(Tensor output, Tensor attention, int features, long elapsedNanos) {
    }

    public static Result compute(AttentionSpec p, AttentionInputs in, AttentionWeights w,
            FeatureMap phi, ComputeControl control) {
        if (in.blocked() != null) {
            throw new IllegalArgumentException("linear attention takes no blocked mask: it never "
                    + "forms the [L, S] matrix a mask would apply to");
        }
        if (p.dropoutActive()) {
            throw new IllegalArgumentException("linear attention does not apply dropout");
        }
        boolean causal = p.causal() != CausalMask.NONE;
        if (causal && p.queryLength() != p.keyLength()) {
            throw new IllegalArgumentException("causal linear attention needs queryLength = "
                    + "keyLength (L=" + p.queryLength() + ", S=" + p.keyLength() + ")");
        }
        long start = System.nanoTime();
        List<TraceStep> trace = new ArrayList<>();
        try (Arrays4 arrays = new Arrays4()) {
            // 1) and 2) Project and split heads.
            INDArray[] qkv = VectorizedAttention.projectAndSplit(arrays, p, in, w, trace);
            INDArray v = qkv[2];                                                  // [B, h, S, d_k]
            control.checkpoint(0.2);

            // 3) Features of queries and keys; padded keys get none.
            INDArray phiQ = phi.apply(arrays, qkv[0], true, p.scale());           // [B, h, L, m]
            INDArray phiK = phi.apply(arrays, qkv[1], false, p.scale());          // [B, h, S, m]
            if (in.keyPadding() != null) {
                phiK.muli(arrays.of(keepKeys(p, in), p.batch(), 1, p.keyLength(), 1));
            }
            control.checkpoint(0.4);

            // 4)–8) Regroup: the normalised product without the [L, S] matrix.
            INDArray headOut = causal ? runningSum(arrays, phiQ, phiK, v)
                    : regrouped(arrays, phiQ, phiK, v);                           // [B, h, L, d_k]
            control.checkpoint(0.9);

            // 9) and 10) Concat heads and project.
            INDArray y = VectorizedAttention.concatAndProject(arrays, p, w, headOut, trace);
            Tensor output = Arrays4.tensor(y, p.batch(), p.queryLength(), p.modelDim());
            long elapsed = System.nanoTime() - start;
            Tensor attention = p.returnsFullAttention()
                    ? Arrays4.tensor(quadratic(arrays, phiQ, phiK, causal)) : null;
            return new Result(output, attention, phi.features(p.headDim()), elapsed);
        }
    }

    /** φ(Q) (φ(K)ᵀ V) / (φ(Q) Σ_j φ(K)_j). */
    static INDArray regrouped(Arrays4 arrays, INDArray phiQ, INDArray phiK, INDArray v) {
        INDArray kv = arrays.own(Nd4j.matmul(phiK, v, true, false, false));     // [B, h, m, d_k]
        INDArray z = arrays.own(phiK.sum(true, 2));                             // [B, h, 1, m]
        INDArray num = arrays.own(Nd4j.matmul(phiQ, kv));                       // [B, h, L, d_k]
        INDArray den = arrays.own(Nd4j.matmul(phiQ, z, false, true, false));    // [B, h, L, 1]
        BooleanIndexing.replaceWhere(den, 1.0, Conditions.equals(0.0));
        return num.divi(den);
    }

    /**
     * Causal: for i = 0 … L−1, {@code S += φ(k_i) v_iᵀ}, {@code z += φ(k_i)}, then
     * {@code head_i = φ(q_i)ᵀ S / φ(q_i)ᵀ z}. Plain loops over each (batch, head), O(L·m·d_k).
     */
    static INDArray runningSum(Arrays4 arrays, INDArray phiQ, INDArray phiK, INDArray v) {
        int bh = (int) (phiQ.size(0) * phiQ.size(1));
        int len = (int) phiQ.size(2);
        int m = (int) phiQ.size(3);
        int dk = (int) v.size(3);
        float[] q = NativeOps.floats(phiQ);
        float[] k = NativeOps.floats(phiK);
        float[] vals = NativeOps.floats(v);
        float[] out = new float[bh * len * dk];
        double[] s = new double[m * dk];
        double[] z = new double[m];
        for (int g = 0; g < bh; g++) {
            java.util.Arrays.fill(s, 0);
            java.util.Arrays.fill(z, 0);
            for (int i = 0; i < len; i++) {
                int kRow = (g * len + i) * m;
                int vRow = (g * len + i) * dk;
                for (int f = 0; f < m; f++) {
                    double kf = k[kRow + f];
                    z[f] += kf;
                    for (int c = 0; c < dk; c++) {
                        s[f * dk + c] += kf * vals[vRow + c];
                    }
                }
                double den = 0;
                for (int f = 0; f < m; f++) {
                    den += q[kRow + f] * z[f];
                }
                if (den == 0) {
                    continue;
                }
                for (int c = 0; c < dk; c++) {
                    double num = 0;
                    for (int f = 0; f < m; f++) {
                        num += q[kRow + f] * s[f * dk + c];
                    }
                    out[vRow + c] = (float) (num / den);
                }
            }
        }
        return arrays.of(out, phiQ.size(0), phiQ.size(1), len, dk);
    }

    /** The implied weights φ(Q)φ(K)ᵀ, masked when causal, each row divided by its sum. */
    static INDArray quadratic(Arrays4 arrays, INDArray phiQ, INDArray phiK, boolean causal) {
        INDArray a = arrays.own(Nd4j.matmul(phiQ, phiK, false, true, false));   // [B, h, L, S]
        if (causal) {
            long len = a.size(2);
            float[] keep = new float[(int) (len * len)];
            for (int i = 0; i < len; i++) {
                for (int j = 0; j <= i; j++) {
                    keep[(int) (i * len + j)] = 1f;
                }
            }
            a.muli(arrays.of(keep, 1, 1, len, len));
        }
        INDArray rowSum = arrays.own(a.sum(true, 3));
        BooleanIndexing.replaceWhere(rowSum, 1.0, Conditions.equals(0.0));
        return a.divi(rowSum);
    }

    private static float[] keepKeys(AttentionSpec p, AttentionInputs in) {
        float[] keep = new float[p.batch() * p.keyLength()];
        for (int b = 0; b < p.batch(); b++) {
            for (int j = 0; j < p.keyLength(); j++) {
                keep[b * p.keyLength() + j] = in.keyPadding()[b][j] ? 0f : 1f;
            }
        }
        return keep;
    }
}
