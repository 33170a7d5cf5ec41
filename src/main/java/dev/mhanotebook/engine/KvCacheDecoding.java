package dev.mhanotebook.engine;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;
import static org.nd4j.linalg.indexing.NDArrayIndex.point;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Incremental causal decoding with a key/value cache: position {@code t} projects only its own
 * token, appends its key and value to the cache and attends from its one query to the
 * {@code t + 1} cached keys. Because a causal row sees nothing after itself, that row equals row
 * {@code t} of full causal attention (Vaswani et al. 2017, §3.2.3: decoder self-attention masks
 * the future), which the steps check against the vectorized path.
 *
 * <p>Layout: batch 1; the cache holds keys and values as [kvHeads, S, d_k], filled up to the
 * current position.
 */
public final class KvCacheDecoding {
    private KvCacheDecoding() {
    }

    /**
     * One decoding step.
     *
     * @param position          t, from 0
     * @param cacheLength       keys and values in the cache after appending, t + 1
     * @param cacheBytes        bytes of the cache after appending (keys and values, float32)
     * @param flopsWithCache    FLOPs of this step: one token's projections and one query row
     * @param flopsWithoutCache FLOPs of recomputing positions 0 … t from scratch, as a model
     *                          without a cache does at every step (the engine's cost model)
     * @param output            this position's output, [d_model]
     * @param attention         this position's weights over the cached keys, [h, t + 1]
     * @param maxDifference     largest |this step − row t of full causal attention| over the
     *                          output and the weights
     */
    public record Step(int position, int cacheLength, long cacheBytes, long flopsWithCache,
            long flopsWithoutCache, Tensor output, Tensor attention, double maxDifference) {
    }

    /**
     * @param spec              the causal spec decoded
     * @param steps             one per position
     * @param full              full causal attention over the whole sequence (vectorized path)
     * @param flopsWithCache    sum over the steps
     * @param flopsWithoutCache sum over the steps
     */
    public record Decoding(AttentionSpec spec, List<Step> steps, AttentionResult full,
            long flopsWithCache, long flopsWithoutCache) {
    }

    /** {@code p} must be batch-1 self-attention; it is run with the top-left causal mask. */
    public static Decoding run(AttentionSpec p, float[][][] x, AttentionWeights w,
            ComputeControl control) {
        if (p.batch() != 1 || p.queryLength() != p.keyLength()) {
            throw new IllegalArgumentException("KV-cache decoding needs batch 1 and self-attention "
                    + "(batch=" + p.batch() + ", L=" + p.queryLength() + ", S=" + p.keyLength()
                    + ")");
        }
        AttentionSpec causal = new AttentionSpec(1, p.queryLength(), p.keyLength(), p.modelDim(),
                p.heads(), p.kvHeads(), p.headDim(), CausalMask.TOP_LEFT, p.scale(), 0, false,
                p.seed(), p.blockSize(), p.captureCells(), Long.MAX_VALUE);
        AttentionResult full = VectorizedAttention.compute(causal, AttentionInputs.self(x), w,
                control);
        int len = p.queryLength();
        int heads = p.heads();
        int kvHeads = p.kvHeads();
        int dk = p.headDim();
        List<Step> steps = new ArrayList<>();
        long totalWith = 0;
        long totalWithout = 0;

        try (Arrays4 arrays = new Arrays4()) {
            INDArray wq = arrays.of(w.wq());
            INDArray wk = arrays.of(w.wk());
            INDArray wv = arrays.of(w.wv());
            INDArray wo = arrays.of(w.wo());
            INDArray bq = arrays.of(w.bq());
            INDArray bk = arrays.of(w.bk());
            INDArray bv = arrays.of(w.bv());
            INDArray bo = arrays.of(w.bo());
            INDArray keyCache = arrays.own(Nd4j.zeros(kvHeads, len, dk));
            INDArray valueCache = arrays.own(Nd4j.zeros(kvHeads, len, dk));

            for (int t = 0; t < len; t++) {
                int n = t + 1;
                try (Arrays4 step = new Arrays4()) {
                    // 1) Project the new token only.                            [1, d_model]
                    INDArray xt = step.of(x[0][t], 1, p.modelDim());
                    INDArray q = step.own(xt.mmul(wq)).addiRowVector(bq);        // [1, h·d_k]
                    INDArray k = step.own(xt.mmul(wk)).addiRowVector(bk);        // [1, g·d_k]
                    INDArray v = step.own(xt.mmul(wv)).addiRowVector(bv);

                    // 2) Append its key and value to the cache.
                    keyCache.get(all(), point(t), all()).assign(k.reshape(kvHeads, dk));
                    valueCache.get(all(), point(t), all()).assign(v.reshape(kvHeads, dk));
                    INDArray kc = keyCache.get(all(), interval(0, n), all());   // [g, t+1, d_k]
                    INDArray vc = valueCache.get(all(), interval(0, n), all());
                    if (p.groupSize() > 1) {
                        kc = step.own(kc.dup('c').repeat(0, p.groupSize()));    // [h, t+1, d_k]
                        vc = step.own(vc.dup('c').repeat(0, p.groupSize()));
                    }

                    // 3) One query row against every cached key; no mask is needed, the cache
                    // holds nothing from the future.
                    INDArray qh = q.reshape(heads, 1, dk);
                    INDArray s = step.own(Nd4j.matmul(qh, kc, false, true, false))
                            .muli(p.scale());                                    // [h, 1, t+1]
                    INDArray rowMax = step.own(s.max(true, 2));
                    INDArray a = Transforms.exp(s.subi(rowMax), false);
                    a.divi(step.own(a.sum(true, 2)));
                    INDArray headOut = step.own(Nd4j.matmul(a, vc));             // [h, 1, d_k]
                    INDArray y = step.own(headOut.reshape(1, heads * dk).mmul(wo))
                            .addiRowVector(bo);                                  // [1, d_model]

                    Tensor output = Arrays4.tensor(y, p.modelDim());
                    Tensor attention = Arrays4.tensor(a, heads, n);
                    long with = flopsWithCache(p, n);
                    long without = CostModel.flops(prefix(causal, n), Implementation.VECTORIZED);
                    totalWith += with;
                    totalWithout += without;
                    steps.add(new Step(t, n, 2L * kvHeads * n * dk * Float.BYTES, with, without,
                            output, attention, difference(full, t, output, attention)));
                }
                control.checkpoint((double) (t + 1) / len);
            }
        }
        return new Decoding(causal, steps, full, totalWith, totalWithout);
    }

    /** One token's four projections and one query row of scores and weighted values. */
    static long flopsWithCache(AttentionSpec p, int n) {
        long hd = (long) p.heads() * p.headDim();
        long kvd = (long) p.kvHeads() * p.headDim();
        long projections = 2L * p.modelDim() * (hd + 2 * kvd) + 2L * hd * p.modelDim();
        return projections + 4L * p.heads() * n * p.headDim();
    }

    private static AttentionSpec prefix(AttentionSpec p, int n) {
        return new AttentionSpec(1, n, n, p.modelDim(), p.heads(), p.kvHeads(), p.headDim(),
                p.causal(), p.scale(), 0, false, p.seed(), p.blockSize(), 0, 0);
    }

    private static double difference(AttentionResult full, int t, Tensor output, Tensor attention) {
        double d = 0;
        int dModel = output.data().length;
        for (int c = 0; c < dModel; c++) {
            d = Math.max(d, Math.abs(output.data()[c] - full.output().get(0, t, c)));
        }
        int heads = (int) attention.shape()[0];
        int n = (int) attention.shape()[1];
        for (int h = 0; h < heads; h++) {
            for (int j = 0; j < n; j++) {
                d = Math.max(d, Math.abs(attention.get(h, j) - full.attention().get(0, h, t, j)));
            }
        }
        return d;
    }
}
