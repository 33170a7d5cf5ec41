package dev.mhanotebook.chapters;

import dev.mhanotebook.chapters.Experiments.Kind;
import dev.mhanotebook.chapters.Experiments.Option;
import dev.mhanotebook.chapters.Experiments.Parameter;
import java.util.List;
import java.util.Map;

/**
 * The experiment kinds of the chapter "Beyond classic MHA", each calling one
 * {@code /api/v1/variants} endpoint. List-valued API fields (global tokens, feature counts,
 * lengths) are text controls that the page's variants module splits at commas.
 */
final class VariantExperiments {
    private VariantExperiments() {
    }

    private static Parameter text(String name, String label, String help, String value) {
        return new Parameter(name, label, help, "text", value, null, null, List.of());
    }

    private static Parameter number(String name, String label, String help, String value,
            int min, int max) {
        return new Parameter(name, label, help, "number", value, min, max, List.of());
    }

    private static final Parameter SENTENCE = text("text", "Sentence",
            "Each word or punctuation mark becomes one token.",
            "The cat sat on the mat because it was warm");
    private static final Parameter SEED = number("seed", "Seed",
            "Seeds the token vectors, the weights and any random choice.", "42", 0,
            Integer.MAX_VALUE);
    private static final Parameter CAUSAL = new Parameter("causal", "Causal mask",
            "Causal also hides every later token from each query.", "select", "none", null, null,
            List.of(new Option("none", "None"), new Option("top-left", "Causal (top-left)")));

    static final Map<String, Kind> KINDS = Map.of(
            "variant-grouped-query", new Kind("variant-grouped-query",
                    "/api/v1/variants/grouped-query", List.of(
                    SENTENCE,
                    number("heads", "Query heads h", "h must divide d_model.", "4", 1, 16),
                    number("kvHeads", "Key/value heads",
                            "Must divide h: 1 is multi-query, h is classic multi-head.", "2", 1,
                            16),
                    number("modelDim", "d_model", "The model width.", "16", 1, 256),
                    SEED)),
            "variant-kv-cache", new Kind("variant-kv-cache",
                    "/api/v1/variants/kv-cache", List.of(
                    number("layers", "Layers", "Decoder layers.", "32", 1, 1024),
                    number("heads", "Query heads h", "", "32", 1, 1024),
                    number("kvHeads", "Key/value heads", "Must divide h.", "8", 1, 1024),
                    number("headDim", "Head size d_k", "", "128", 1, 4096),
                    number("sequenceLength", "Sequence length", "Positions kept in the cache.",
                            "4096", 1, 100_000_000),
                    number("batch", "Batch", "Sequences decoded at once.", "1", 1, 65_536),
                    new Parameter("bytesPerNumber", "Number format", "", "select", "2", null,
                            null, List.of(new Option("1", "8-bit (1 byte)"),
                                    new Option("2", "float16 / bfloat16 (2 bytes)"),
                                    new Option("4", "float32 (4 bytes)"))))),
            "variant-sparse", new Kind("variant-sparse",
                    "/api/v1/variants/sparse", List.of(
                    SENTENCE,
                    number("window", "Sliding window w", "Each query sees keys within w.", "1",
                            0, 512),
                    number("dilatedWindow", "Dilated window steps",
                            "Steps each side of the dilated window; 0 turns it off.", "0", 0,
                            512),
                    number("dilation", "Dilation", "Gap between the dilated window's keys.", "2",
                            1, 512),
                    text("globalTokens", "Global tokens",
                            "Positions (from 0), separated by commas; empty for none.", "0"),
                    number("randomBlocks", "Random blocks per row",
                            "BigBird's random key blocks per query block; 0 turns them off.", "0",
                            0, 64),
                    number("blockSize", "Block size", "Size of the random blocks.", "2", 1, 64),
                    CAUSAL, SEED)),
            "variant-sparse-sweep", new Kind("variant-sparse-sweep",
                    "/api/v1/variants/sparse/window-sweep",
                    List.of(
                            number("queryLength", "Sequence length L", "", "128", 2, 4096),
                            number("modelDim", "d_model", "", "64", 1, 256),
                            number("heads", "Heads h", "", "4", 1, 16),
                            text("windows", "Windows w", "Separated by commas.",
                                    "1, 2, 4, 8, 16, 32, 64, 127"),
                            SEED)),
            "variant-linear", new Kind("variant-linear",
                    "/api/v1/variants/linear", List.of(
                    SENTENCE,
                    new Parameter("featureMap", "Feature map φ", "", "select", "favor", null,
                            null, List.of(new Option("favor", "FAVOR+ random features"),
                                    new Option("elu", "elu(x) + 1"))),
                    number("features", "Random features m", "Used by FAVOR+ only.", "64", 1,
                            4096),
                    CAUSAL, SEED)),
            "variant-feature-sweep", new Kind("variant-feature-sweep",
                    "/api/v1/variants/linear/feature-sweep",
                    List.of(
                            number("queryLength", "Sequence length L", "", "64", 1, 1024),
                            number("modelDim", "d_model", "", "64", 1, 256),
                            number("heads", "Heads h", "", "4", 1, 16),
                            text("features", "Feature counts m", "Separated by commas.",
                                    "4, 16, 64, 256"),
                            number("draws", "Draws per point", "Random feature draws averaged.",
                                    "2", 1, 8),
                            SEED)),
            "variant-length-sweep", new Kind("variant-length-sweep",
                    "/api/v1/variants/linear/length-sweep",
                    List.of(
                            text("lengths", "Lengths L", "Separated by commas.",
                                    "32, 64, 128, 256, 512"),
                            number("modelDim", "d_model", "", "64", 1, 256),
                            number("heads", "Heads h", "", "2", 1, 16),
                            new Parameter("featureMap", "Feature map φ", "", "select", "favor",
                                    null, null, List.of(new Option("favor", "FAVOR+"),
                                            new Option("elu", "elu(x) + 1"))),
                            number("repeats", "Timed runs per length", "The median is shown.",
                                    "1", 1, 5),
                            SEED)));
}
