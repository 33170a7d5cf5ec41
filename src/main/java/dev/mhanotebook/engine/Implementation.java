package dev.mhanotebook.engine;

/** The three ways the engine computes the same attention. */
public enum Implementation {
    /** Batched ND4J operations over all batches and heads at once. */
    VECTORIZED,
    /** Plain Java loops in double precision, written to be read; the reference. */
    LOOPS,
    /** Block-wise online softmax as in FlashAttention (Dao et al. 2022, Algorithm 1). */
    TILED
}
