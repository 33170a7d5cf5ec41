package dev.mhanotebook.api;

import dev.mhanotebook.engine.AttentionPreview;
import dev.mhanotebook.engine.Tensor;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The answer of {@code POST /api/v1/model/attention}: everything a head view (one head), a model
 * view (the 6 × 12 grid) and the pruning panel draw.
 */
@Schema(name = "ModelAttentionResponse")
public record ModelAttentionResponse(
        @Schema(description = "Word pieces, [CLS] first and [SEP] last") List<String> tokens,
        @Schema(description = "Their vocabulary ids") long[] ids,
        @Schema(description = "Encoder layers (6)") int layers,
        @Schema(description = "Heads per layer (12)") int heads,
        @Schema(description = "The heads pruned, [layer, head], sorted; empty when none")
                List<int[]> pruned,
        @Schema(description = "[layer][head][query][key]: row i is what token i attends to and "
                + "sums to 1 (0 for a pruned head); null past 65,536 weights, and then "
                + "attentionPreview is set", type = SchemaType.ARRAY) Tensor attention,
        @Schema(description = "Mean-pooled attention [layer][head][row][col] when attention is "
                + "too large to send whole") AttentionPreview attentionPreview,
        @Schema(description = "The layer asked for") Integer layer,
        @Schema(description = "The head asked for") Integer head,
        @Schema(description = "[head][query][key] of the layer asked for (without head), in full",
                type = SchemaType.ARRAY) Tensor layerAttention,
        @Schema(description = "[query][key] of the head asked for, in full",
                type = SchemaType.ARRAY) Tensor headAttention,
        @Schema(description = "[query][key]: attention rollout across the 6 layers (Abnar & "
                + "Zuidema 2020), heads averaged with the residual as ½(A + I); rows sum to 1",
                type = SchemaType.ARRAY) Tensor rollout,
        @Schema(description = "The sentence embedding of the unpruned model: mean of the last "
                + "hidden state over the tokens, L2-normalised; 384 numbers") float[] embedding,
        @Schema(description = "The embedding with the pruned heads; null when none is pruned")
                float[] prunedEmbedding,
        @Schema(description = "Cosine between embedding and prunedEmbedding; null when none is "
                + "pruned") Double cosine,
        List<String> warnings,
        @Schema(description = "Time of the forward pass on the server") double elapsedMillis) {
}
