package dev.mhanotebook.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The body of {@code POST /api/v1/jobs/length-sweep}; every field optional. */
@Schema(name = "LengthSweepRequest", description = "Every field is optional; defaults in brackets.")
public record LengthSweepRequest(
        @Schema(description = "d_model [64]", minimum = "8", maximum = "256") Integer modelDim,
        @Schema(description = "h; must divide d_model [8]", minimum = "1", maximum = "16")
                Integer heads,
        @Schema(description = "Shortest length; a power of two [256]", minimum = "16")
                Integer minLength,
        @Schema(description = "Longest length tried; lengths double from minLength [8192]",
                maximum = "16384") Integer maxLength,
        @Schema(description = "Seed of the inputs and weights [42]") Long seed) {
}
