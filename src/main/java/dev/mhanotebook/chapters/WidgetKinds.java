package dev.mhanotebook.chapters;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.mhanotebook.chapters.Experiments.Kind;
import dev.mhanotebook.chapters.Experiments.Option;
import dev.mhanotebook.chapters.Experiments.Parameter;

/**
 * The experiment kinds of the chapters "Components" and "Implementation", each drawn by its own
 * module in web/js/ (step-matrix.js, masks.js, compare-implementations.js, softmax.js,
 * scale-sweep.js, dropout.js, cost-sweep.js). Some parameters are not API fields: {@code step}
 * picks the trace entry to show, {@code padding} becomes {@code keyPadding}, {@code logits}
 * becomes explicit inputs; the module that draws the kind builds the request.
 */
final class WidgetKinds {
    private static final String API = "/api/v1/attention";

    private static Parameter text(String name, String label, String help, String value) {
        return new Parameter(name, label, help, "text", value, null, null, List.of());
    }

    private static Parameter number(String name, String label, String help, String value, int min,
            int max) {
        return new Parameter(name, label, help, "number", value, min, max, List.of());
    }

    private static Parameter select(String name, String label, String help, String value,
            Option... options) {
        return new Parameter(name, label, help, "select", value, null, null, List.of(options));
    }

    private static final Parameter SENTENCE = text("text", "Queries (sentence)",
            "Each word becomes one query token.", "The cat sat on the mat");
    private static final Parameter KEY_SENTENCE = text("keyText", "Keys (sentence)",
            "Leave empty for self-attention; else its words are the keys, so S may differ from L.",
            "");
    private static final Parameter MODEL_DIM = number("modelDim", "d_model",
            "The model width: the length of each token's vector.", "8", 1, 256);
    private static final Parameter HEADS = number("heads", "Heads h",
            "h must divide d_model; each head is d_k = d_model / h wide.", "2", 1, 16);
    private static final Parameter SEED = number("seed", "Seed",
            "Seeds the token vectors and the projection weights.", "42", 0, Integer.MAX_VALUE);
    private static final Parameter CAUSAL = select("causal", "Causal mask",
            "Top-left: query i sees keys 0…i. Bottom-right: the last query sees every key.",
            "none", new Option("none", "None"), new Option("top-left", "Top-left"),
            new Option("bottom-right", "Bottom-right"));
    private static final Parameter PADDING = number("padding", "Padded keys",
            "How many keys at the end are padding (never attended).", "0", 0, 64);
    private static final Parameter STEP = select("step", "Step shown",
            "The intermediate result drawn as a matrix.", "scores",
            new Option("q", "q: queries"), new Option("k", "k: keys"), new Option("v", "v: values"),
            new Option("splitHeads", "splitHeads: query heads"),
            new Option("scores", "scores"), new Option("scaled", "scaled"),
            new Option("masked", "masked"), new Option("attention", "attention"),
            new Option("headOutputs", "headOutputs"), new Option("concat", "concat"),
            new Option("output", "output"));
    private static final Parameter REVEAL = text("reveal", "Exercise first",
            "The id of an exercise the reader answers before the result shows.", "");
    private static final Parameter LENGTH = number("queryLength", "Length L = S",
            "Tokens in the sequence; inputs are drawn from the seed.", "64", 1, 4096);
    private static final Parameter WIDE_MODEL = number("modelDim", "d_model",
            "The model width.", "64", 1, 1024);
    private static final Parameter MANY_HEADS = number("heads", "Heads h",
            "h must divide d_model.", "4", 1, 64);

    private static final Map<String, Kind> KINDS = Map.of(
            "step", new Kind("step", API, List.of(SENTENCE, KEY_SENTENCE, MODEL_DIM, HEADS,
                    CAUSAL, PADDING, SEED, STEP, REVEAL)),
            "masks", new Kind("masks", API, List.of(SENTENCE, KEY_SENTENCE, CAUSAL, PADDING,
                    MODEL_DIM, HEADS, SEED, REVEAL)),
            "implementations", new Kind("implementations", API, List.of(LENGTH, WIDE_MODEL,
                    MANY_HEADS, number("blockSize", "Tile size",
                            "Keys per tile of the tiled implementation.", "16", 1, 4096), SEED)),
            "softmax", new Kind("softmax", API, List.of(text("logits", "Logits",
                    "Scores of one query against each key, separated by commas.", "1000, 999"))),
            "scale-sweep", new Kind("scale-sweep", API, List.of(number("queryLength",
                    "Length L = S", "Tokens per sequence at every d_k.", "16", 2, 64), SEED)),
            "dropout", new Kind("dropout", API, List.of(SENTENCE,
                    select("dropout", "Dropout p", "Probability of dropping each weight.", "0.25",
                            new Option("0.1", "0.1"), new Option("0.25", "0.25"),
                            new Option("0.5", "0.5")),
                    select("training", "Mode", "Dropout acts only in training.", "true",
                            new Option("true", "Training"), new Option("false", "Evaluation")),
                    MODEL_DIM, HEADS, SEED)),
            "cost-sweep", new Kind("cost-sweep", API, List.of(
                    number("queryLength", "Length L = S", "Tokens per sequence.", "128", 1, 2048),
                    number("modelDim", "d_model", "The model width; a power of two splits evenly.",
                            "256", 16, 1024),
                    select("sweep", "Head size d_k", "d_model / h splits the model width among"
                            + " the heads, as in the paper; fixed: every head adds 64.", "split",
                            new Option("split", "d_model / h"),
                            new Option("fixed", "Fixed at 64")),
                    SEED)));

    private WidgetKinds() {
    }

    static Set<String> names() {
        return KINDS.keySet();
    }

    static Optional<Kind> kind(String name) {
        return Optional.ofNullable(KINDS.get(name));
    }
}
