package dev.mhanotebook.engine;

/**
 * The sizes and options of one multi-head attention computation, already validated.
 *
 * <p>Layout: inputs are {@code [B, L, d_model]} for queries and {@code [B, S, d_model]} for keys
 * and values, one row per token. Query head {@code i} uses key/value head
 * {@code i / (heads / kvHeads)}; {@code kvHeads == heads} is classic multi-head attention,
 * {@code kvHeads == 1} multi-query attention (Shazeer 2019), anything between grouped-query
 * attention (Ainslie et al. 2023).
 *
 * @param batch        B
 * @param queryLength  L, the number of query positions
 * @param keyLength    S, the number of key/value positions
 * @param modelDim     d_model
 * @param heads        h, the number of query heads
 * @param kvHeads      the number of key/value heads; divides {@code heads}
 * @param headDim      d_k, the size of one head
 * @param causal       the positional mask
 * @param scale        the factor applied to Q·Kᵀ (1/√d_k in Vaswani et al. 2017, eq. 1)
 * @param dropout      probability of dropping an attention weight, used only when training
 * @param training     whether dropout is applied
 * @param seed         the seed of the dropout mask (see {@link DropoutMask})
 * @param blockSize    tile size of the tiled implementation
 * @param captureCells the largest number of values of a step kept in the trace
 * @param fullAttentionCells the largest B·h·L·S returned whole; above it attention is pooled
 */
public record AttentionSpec(
        int batch,
        int queryLength,
        int keyLength,
        int modelDim,
        int heads,
        int kvHeads,
        int headDim,
        CausalMask causal,
        double scale,
        double dropout,
        boolean training,
        long seed,
        int blockSize,
        long captureCells,
        long fullAttentionCells) {

    public AttentionSpec {
        requirePositive("batch", batch);
        requirePositive("queryLength", queryLength);
        requirePositive("keyLength", keyLength);
        requirePositive("modelDim", modelDim);
        requirePositive("heads", heads);
        requirePositive("kvHeads", kvHeads);
        requirePositive("headDim", headDim);
        requirePositive("blockSize", blockSize);
        if (heads % kvHeads != 0) {
            throw new IllegalArgumentException(
                    "kvHeads must divide heads (heads=" + heads + ", kvHeads=" + kvHeads + ")");
        }
        if (causal == null) {
            throw new IllegalArgumentException("causal must not be null");
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("dropout must be in [0, 1) (dropout=" + dropout + ")");
        }
        if (!Double.isFinite(scale)) {
            throw new IllegalArgumentException("scale must be finite (scale=" + scale + ")");
        }
    }

    private static void requirePositive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive (" + name + "=" + value + ")");
        }
    }

    /** Query heads per key/value head. */
    public int groupSize() {
        return heads / kvHeads;
    }

    /** The key/value head that query head {@code h} reads. */
    public int kvHeadOf(int h) {
        return h / groupSize();
    }

    /** Whether dropout changes anything in this computation. */
    public boolean dropoutActive() {
        return training && dropout > 0;
    }

    /** B·h·L·S, the number of attention weights. */
    public long attentionCells() {
        return (long) batch * heads * queryLength * keyLength;
    }

    /** Whether a step's output of {@code values} numbers is small enough to keep in the trace. */
    public boolean captures(long values) {
        return values <= captureCells;
    }

    /** Whether attention is returned whole rather than pooled. */
    public boolean returnsFullAttention() {
        return attentionCells() <= fullAttentionCells;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builder with the API's defaults: one batch, 6 tokens, d_model 16, 2 heads. */
    public static final class Builder {
        private int batch = 1;
        private int queryLength = 6;
        private Integer keyLength;
        private int modelDim = 16;
        private int heads = 2;
        private Integer kvHeads;
        private Integer headDim;
        private CausalMask causal = CausalMask.NONE;
        private Double scale;
        private double dropout;
        private boolean training;
        private long seed = 42;
        private int blockSize = 32;
        private long captureCells = 4096;
        private long fullAttentionCells = 65_536;

        public Builder batch(int v) { batch = v; return this; }
        public Builder queryLength(int v) { queryLength = v; return this; }
        public Builder keyLength(int v) { keyLength = v; return this; }
        public Builder modelDim(int v) { modelDim = v; return this; }
        public Builder heads(int v) { heads = v; return this; }
        public Builder kvHeads(int v) { kvHeads = v; return this; }
        public Builder headDim(int v) { headDim = v; return this; }
        public Builder causal(CausalMask v) { causal = v; return this; }
        public Builder scale(double v) { scale = v; return this; }
        public Builder dropout(double v) { dropout = v; return this; }
        public Builder training(boolean v) { training = v; return this; }
        public Builder seed(long v) { seed = v; return this; }
        public Builder blockSize(int v) { blockSize = v; return this; }
        public Builder captureCells(long v) { captureCells = v; return this; }
        public Builder fullAttentionCells(long v) { fullAttentionCells = v; return this; }

        public AttentionSpec build() {
            int dk = headDim != null ? headDim : modelDim / heads;
            return new AttentionSpec(batch, queryLength, keyLength != null ? keyLength : queryLength,
                    modelDim, heads, kvHeads != null ? kvHeads : heads, dk, causal,
                    scale != null ? scale : 1.0 / Math.sqrt(dk), dropout, training, seed, blockSize,
                    captureCells, fullAttentionCells);
        }
    }
}
