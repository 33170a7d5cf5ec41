package dev.mhanotebook.api;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The answer of {@code POST /api/v1/model/head-importance}. */
@Schema(name = "ModelHeadImportanceResponse")
public record ModelHeadImportanceResponse(
        @Schema(description = "Word pieces, [CLS] first and [SEP] last") List<String> tokens,
        @Schema(description = "Encoder layers (6)") int layers,
        @Schema(description = "Heads per layer (12)") int heads,
        @Schema(description = "[layer][head]: 1 − cosine between the embedding with that one "
                + "head pruned and the unpruned embedding, in [0, 2]; larger is more important")
                float[][] importance,
        List<String> warnings,
        @Schema(description = "Time of the 72 ablations on the server") double elapsedMillis) {
}
