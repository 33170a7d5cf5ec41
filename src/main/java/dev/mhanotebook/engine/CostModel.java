package dev.mhanotebook.engine;

/**
 * FLOPs and peak bytes of a computation, known before it runs, so that the API can refuse a
 * request past the budget instead of running out of memory.
 *
 * <p>FLOPs count matrix products, 2 per multiply–add: the four projections
 * 2·B·(L·d_model·h·d_k + 2·S·d_model·kvHeads·d_k + L·h·d_k·d_model), the scores and the weighted
 * values 2·2·B·h·L·S·d_k. For self-attention with h·d_k = d_model that is
 * 8·B·L·d_model² + 4·B·L²·d_model. The tiled path recomputes the scores once more when attention
 * weights are recovered for the response (whole or pooled).
 *
 * <p>Peak bytes are an upper bound on the float32 tensors alive at once: parameters, inputs, the
 * projected and split Q, K, V, then per implementation
 * <ul>
 *   <li>vectorized: the whole [B, h, L, S] score tensor three times (scores, weights and one
 *       temporary), the [B, 1, L, S] mask, and the head outputs;</li>
 *   <li>tiled: three [B, h, b, b] tiles, the running maximum and normaliser [B, h, L] and the
 *       accumulator [B, h, L, d_k];</li>
 *   <li>loops: as vectorized, in doubles (8 bytes), but only the weights are a whole tensor.</li>
 * </ul>
 */
public final class CostModel {
    private CostModel() {
    }

    public static long flops(AttentionSpec p, Implementation impl) {
        long hd = (long) p.heads() * p.headDim();
        long kvd = (long) p.kvHeads() * p.headDim();
        long projections = 2L * p.batch()
                * ((long) p.queryLength() * p.modelDim() * hd
                        + 2L * p.keyLength() * p.modelDim() * kvd
                        + (long) p.queryLength() * hd * p.modelDim());
        long attention = 4L * p.attentionCells() * p.headDim();
        if (impl == Implementation.TILED) {
            attention += 2L * p.attentionCells() * p.headDim();
        }
        return projections + attention;
    }

    public static long peakBytes(AttentionSpec p, Implementation impl) {
        long b = p.batch();
        long hd = (long) p.heads() * p.headDim();
        long kvd = (long) p.kvHeads() * p.headDim();
        long params = (long) p.modelDim() * hd * 2 + (long) p.modelDim() * kvd * 2 + hd * 2 + kvd * 2
                + p.modelDim();
        long inputs = b * p.queryLength() * p.modelDim() + 2 * b * p.keyLength() * p.modelDim();
        long qkv = 2 * (b * p.queryLength() * hd + 2 * b * p.keyLength() * kvd);
        if (p.kvHeads() != p.heads()) {
            qkv += 2 * b * p.keyLength() * hd;
        }
        long heads = b * p.queryLength() * hd * 2 + b * p.queryLength() * p.modelDim();
        long floats = params + inputs + qkv + heads;
        return switch (impl) {
            case VECTORIZED -> 4 * (floats + 3 * p.attentionCells()
                    + b * p.queryLength() * p.keyLength());
            case TILED -> {
                long tile = Math.min(p.blockSize(), p.queryLength())
                        * (long) Math.min(p.blockSize(), p.keyLength());
                long rows = b * p.heads() * p.queryLength();
                yield 4 * (floats + 3 * b * p.heads() * tile + 2 * rows
                        + rows * p.headDim() + b * tile);
            }
            case LOOPS -> 8 * (floats + 2 * p.attentionCells());
        };
    }
}
