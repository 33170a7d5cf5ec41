package dev.mhanotebook.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The body of {@code POST /api/v1/attention}. Every field is optional; null means "use the
 * default". Tensors are nested JSON arrays in the engine's layout (see the notation page).
 */
@Schema(name = "AttentionRequest", description = "Every field is optional; defaults in brackets.")
public record AttentionRequest(
        @Schema(description = "B, the batch size [1]", minimum = "1", maximum = "8") Integer batch,
        @Schema(description = "L, the number of query positions [6, or the number of tokens]",
                minimum = "1") Integer queryLength,
        @Schema(description = "S, the number of key/value positions [L]", minimum = "1") Integer keyLength,
        @Schema(description = "d_model [16]", minimum = "1", maximum = "1024") Integer modelDim,
        @Schema(description = "h, the number of query heads [2]", minimum = "1", maximum = "64") Integer heads,
        @Schema(description = "key/value heads [h]; must divide h: 1 is multi-query, between is "
                + "grouped-query") Integer kvHeads,
        @Schema(description = "d_k, the size of each head [d_model / h; h must then divide d_model]")
                Integer headDim,
        @Schema(description = "A sentence; its words become the query tokens") String text,
        @Schema(description = "Query tokens; each gets a vector derived from the seed and its text")
                List<String> tokens,
        @Schema(description = "A sentence whose words become the key/value tokens (cross-attention)")
                String keyText,
        @Schema(description = "Key/value tokens (cross-attention)") List<String> keyTokens,
        @Schema(description = "[B][L][d_model] query inputs; alone, self-attention") double[][][] query,
        @Schema(description = "[B][S][d_model] key inputs") double[][][] key,
        @Schema(description = "[B][S][d_model] value inputs") double[][][] value,
        @Schema(description = "Learned parameters; missing ones are drawn from the seed")
                WeightsInput weights,
        @Schema(description = "Seed of every drawn input, weight and dropout mask [42]") Long seed,
        @Schema(description = "none | top-left | bottom-right [none]",
                enumeration = {"none", "top-left", "bottom-right"}) String causal,
        @Schema(description = "[B][S], true where the key is padding") boolean[][] keyPadding,
        @Schema(description = "[L][S], true where query i may not see key j") boolean[][] blocked,
        @Schema(description = "\"sqrt_dk\" (1/√d_k) | \"none\" (1) | a number [sqrt_dk]",
                oneOf = {String.class, Double.class}) JsonNode scale,
        @Schema(description = "Dropout probability on the attention weights, used when training [0]")
                Double dropout,
        @Schema(description = "Whether dropout applies [false]") Boolean training,
        @Schema(description = "vectorized | loops | tiled [vectorized]",
                enumeration = {"vectorized", "loops", "tiled"}) String implementation,
        @Schema(description = "Tile size of the tiled implementation [32 up to 256 positions, "
                + "256 up to 2,048, 512 beyond]") Integer blockSize) {

    /** The learned parameters, each optional. */
    @Schema(name = "Weights")
    public record WeightsInput(
            @Schema(description = "[d_model][h·d_k]") double[][] wq,
            @Schema(description = "[d_model][kvHeads·d_k]") double[][] wk,
            @Schema(description = "[d_model][kvHeads·d_k]") double[][] wv,
            @Schema(description = "[h·d_k][d_model]") double[][] wo,
            @Schema(description = "[h·d_k]") double[] bq,
            @Schema(description = "[kvHeads·d_k]") double[] bk,
            @Schema(description = "[kvHeads·d_k]") double[] bv,
            @Schema(description = "[d_model]") double[] bo) {
    }
}
