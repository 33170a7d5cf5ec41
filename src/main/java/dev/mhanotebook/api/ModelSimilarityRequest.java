package dev.mhanotebook.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The body of {@code POST /api/v1/model/similarity}. */
@Schema(name = "ModelSimilarityRequest")
public record ModelSimilarityRequest(
        @Schema(description = "The first sentence", required = true) String text,
        @Schema(description = "The second sentence", required = true) String otherText,
        @Schema(description = "Heads to prune in both, each [layer, head]") int[][] prune) {
}
