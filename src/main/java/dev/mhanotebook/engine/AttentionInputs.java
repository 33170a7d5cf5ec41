package dev.mhanotebook.engine;

/**
 * The tensors attention reads, already validated against an {@link AttentionSpec}.
 *
 * @param query      [B, L, d_model]
 * @param key        [B, S, d_model]; the same array as {@code query} for self-attention
 * @param value      [B, S, d_model]
 * @param keyPadding [B, S], true where the key is padding and never attended; may be null
 * @param blocked    [L, S], true where this query may not see this key; may be null
 */
public record AttentionInputs(
        float[][][] query,
        float[][][] key,
        float[][][] value,
        boolean[][] keyPadding,
        boolean[][] blocked) {

    /** Self-attention without masks beyond the causal one: key = value = query. */
    public static AttentionInputs self(float[][][] x) {
        return new AttentionInputs(x, x, x, null, null);
    }

    // step: masked
    /**
     * Whether query {@code i} of batch {@code b} may not see key {@code j}: the OR of the causal
     * mask, the key padding and the explicit blocked matrix.
     */
    public boolean blocks(AttentionSpec spec, int b, int i, int j) {
        return spec.causal().blocks(i, j, spec.queryLength(), spec.keyLength())
                || (keyPadding != null && keyPadding[b][j])
                || (blocked != null && blocked[i][j]);
    }
    // end step: masked

    /** Whether any mask at all applies. */
    public boolean masked(AttentionSpec spec) {
        return spec.causal() != CausalMask.NONE || keyPadding != null || blocked != null;
    }
}
