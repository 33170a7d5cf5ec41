package dev.mhanotebook.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The body of {@code POST /api/v1/model/attention}. */
@Schema(name = "ModelAttentionRequest")
public record ModelAttentionRequest(
        @Schema(description = "The sentence; more than 128 tokens are cut with a warning",
                required = true, examples = "The animal didn't cross the street because it was "
                        + "too tired.") String text,
        @Schema(description = "Heads to prune, each [layer, head] with layer 0…5 and head 0…11; "
                + "a pruned head's attention weights are set to 0") int[][] prune,
        @Schema(description = "Ask for this layer's attention [head][query][key] in full, "
                + "whatever the sentence's length") Integer layer,
        @Schema(description = "With layer: ask for this head's attention [query][key] in full")
                Integer head) {
}
