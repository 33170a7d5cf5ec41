package dev.mhanotebook.api;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The answer of {@code POST /api/v1/model/similarity}. */
@Schema(name = "ModelSimilarityResponse")
public record ModelSimilarityResponse(
        @Schema(description = "Word pieces of text") List<String> tokens,
        @Schema(description = "Word pieces of otherText") List<String> otherTokens,
        @Schema(description = "The heads pruned, [layer, head], sorted") List<int[]> pruned,
        @Schema(description = "Cosine between the two sentence embeddings, unpruned model")
                double cosineBefore,
        @Schema(description = "The same with the pruned heads; equals cosineBefore when none is "
                + "pruned") double cosineAfter,
        List<String> warnings,
        @Schema(description = "Time of the forward passes on the server") double elapsedMillis) {
}
