package dev.mhanotebook.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The body of {@code POST /api/v1/model/head-importance}. */
@Schema(name = "ModelTextRequest")
public record ModelTextRequest(
        @Schema(description = "The sentence; more than 128 tokens are cut with a warning",
                required = true) String text) {
}
