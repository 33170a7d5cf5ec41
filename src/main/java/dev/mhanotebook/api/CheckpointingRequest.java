package dev.mhanotebook.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The body of {@code POST /api/v1/advanced/checkpointing}; every field optional. */
@Schema(name = "CheckpointingRequest",
        description = "Every field is optional; defaults in brackets.")
public record CheckpointingRequest(
        @Schema(description = "n, attention layers in the stack [6]", minimum = "1", maximum = "24")
                Integer layers,
        @Schema(description = "L, tokens [32]", minimum = "1", maximum = "256") Integer length,
        @Schema(description = "d_model [32]", minimum = "1", maximum = "256") Integer modelDim,
        @Schema(description = "h; must divide d_model [4]", minimum = "1", maximum = "16")
                Integer heads,
        @Schema(description = "layers per checkpointed segment; 0 means ⌈√n⌉ [0]", minimum = "0")
                Integer segment,
        @Schema(description = "Seed of the inputs, weights and upstream gradient [42]") Long seed) {
}
