package dev.mhanotebook.engine;

/**
 * Multi-head attention forward (Vaswani et al. 2017, §3.2.2):
 * {@code MultiHead(Q, K, V) = Concat(head_1, …, head_h) W^O},
 * {@code head_i = softmax(s · Q W_i^Q (K W_i^K)ᵀ + M) V W_i^V}.
 *
 * <p>Layout: queries {@code [B, L, d_model]}, keys and values {@code [B, S, d_model]}, one row per
 * token; attention weights {@code [B, h, L, S]}. The engine imports nothing but ND4J and the JDK,
 * logs nothing, and is safe to call from several threads at once: each call owns its arrays.
 */
public final class AttentionEngine {
    private AttentionEngine() {
    }

    public static AttentionResult compute(AttentionSpec spec, AttentionInputs inputs,
            AttentionWeights weights, Implementation implementation, ComputeControl control) {
        return switch (implementation) {
            case VECTORIZED -> VectorizedAttention.compute(spec, inputs, weights, control);
            case LOOPS -> LoopAttention.compute(spec, inputs, weights, control);
            case TILED -> TiledAttention.compute(spec, inputs, weights, control);
        };
    }

    public static AttentionResult compute(AttentionSpec spec, AttentionInputs inputs,
            AttentionWeights weights, Implementation implementation) {
        return compute(spec, inputs, weights, implementation, ComputeControl.NONE);
    }
}
