package dev.mhanotebook.model;

import dev.mhanotebook.engine.Tensor;

/**
 * One forward pass over one sentence.
 *
 * @param mask              the heads pruned in this pass
 * @param lastHidden        [L, d_model], the encoder's output
 * @param embedding         [d_model], the sentence embedding with {@code mask} applied
 * @param attention         [layers, h, L, L], the attention weights of every layer and head, row
 *                          {@code query}, column {@code key}; a pruned head's are all 0
 * @param unprunedEmbedding [d_model], the embedding with no head pruned (the same array as
 *                          {@code embedding} when {@code mask} is empty)
 */
public record ModelRun(
        HeadMask mask,
        Tensor lastHidden,
        float[] embedding,
        Tensor attention,
        float[] unprunedEmbedding) {

    /** Cosine between the pruned and the unpruned embedding; 1 when nothing is pruned. */
    public double cosine() {
        return MiniLm.cosine(embedding, unprunedEmbedding);
    }
}
