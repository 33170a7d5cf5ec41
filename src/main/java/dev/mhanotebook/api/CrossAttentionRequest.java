package dev.mhanotebook.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The body of {@code POST /api/v1/advanced/cross-attention}; every field optional. */
@Schema(name = "CrossAttentionRequest",
        description = "Every field is optional; defaults in brackets.")
public record CrossAttentionRequest(
        @Schema(description = "The sentence whose tokens ask: the queries "
                + "[A man is playing a guitar.]") String text,
        @Schema(description = "The sentence whose tokens answer: the keys and values "
                + "[Someone plays the guitar.]") String keyText,
        @Schema(description = "Without head: which hidden state the token vectors come from, "
                + "0 (embeddings) … 6 (the encoder's output) [6]. With head: the layer, 0 … 5, "
                + "whose own projections are used on the hidden state entering it [5]")
                Integer layer,
        @Schema(description = "A head of that layer, 0 … 11: queries and keys from its own "
                + "W^Q and W^K; leave out to compare the token vectors themselves") Integer head) {
}
