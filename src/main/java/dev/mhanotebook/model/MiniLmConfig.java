package dev.mhanotebook.model;

/**
 * The sizes of a BERT-style encoder (Devlin et al. 2019, §3), fixed for all-MiniLM-L6-v2.
 *
 * @param layers       encoder layers
 * @param heads        h, attention heads per layer
 * @param modelDim     d_model, the hidden size
 * @param ffnDim       the inner size of the feed-forward block
 * @param vocab        word-piece vocabulary size
 * @param maxPositions learned position embeddings
 * @param layerNormEps ε added to the variance in every LayerNorm
 * @param maxTokens    the longest input, [CLS] and [SEP] included; longer texts are truncated
 */
public record MiniLmConfig(
        int layers,
        int heads,
        int modelDim,
        int ffnDim,
        int vocab,
        int maxPositions,
        double layerNormEps,
        int maxTokens) {

    /** all-MiniLM-L6-v2: 6 layers, 12 heads of 32, d_model 384; trained on at most 128 tokens. */
    public static final MiniLmConfig ALL_MINILM_L6_V2 =
            new MiniLmConfig(6, 12, 384, 1536, 30522, 512, 1e-12, 128);

    /** d_k = d_model / h. */
    public int headDim() {
        return modelDim / heads;
    }

    /** 1/√d_k (Vaswani et al. 2017, eq. 1). */
    public double scale() {
        return 1.0 / Math.sqrt(headDim());
    }
}
