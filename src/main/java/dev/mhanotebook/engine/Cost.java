package dev.mhanotebook.engine;

/**
 * What a computation costs.
 *
 * @param flops       floating-point operations in matrix products, 2 per multiply–add; for
 *                    self-attention with h·d_k = d_model this is 8·B·L·d_model² + 4·B·L²·d_model
 * @param elementOps  element-wise operations (scale, mask, softmax, dropout)
 * @param peakBytes   the largest number of bytes of tensors alive at once, by {@link CostModel}
 * @param elapsedNanos measured wall-clock time of the forward pass
 */
public record Cost(long flops, long elementOps, long peakBytes, long elapsedNanos) {
}
