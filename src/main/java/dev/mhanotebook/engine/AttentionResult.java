package dev.mhanotebook.engine;

import java.util.List;

/**
 * What the engine returns.
 *
 * @param output    [B, L, d_model]
 * @param attention [B, h, L, S], the weights actually applied to the values (after dropout when
 *                  training); null when larger than the spec's limit, and then {@code preview} is set
 * @param preview   the pooled attention when {@code attention} is null
 * @param trace     one entry per step
 * @param warnings  what the reader should know about this result
 * @param cost      FLOPs, bytes and time
 */
public record AttentionResult(
        Tensor output,
        Tensor attention,
        AttentionPreview preview,
        List<TraceStep> trace,
        List<String> warnings,
        Cost cost) {
}
