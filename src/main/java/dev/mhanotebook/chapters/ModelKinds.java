package dev.mhanotebook.chapters;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.mhanotebook.chapters.Experiments.Kind;
import dev.mhanotebook.chapters.Experiments.Option;
import dev.mhanotebook.chapters.Experiments.Parameter;

/**
 * The experiment kinds of the chapter "Attention in a trained model", which call the pretrained
 * encoder's endpoints; each is drawn by its own module in web/js/ (head-view.js, model-view.js,
 * head-importance.js, similarity.js). Layers and heads are counted from 1 on the page and from
 * 0 in the API; the modules convert.
 */
final class ModelKinds {
    private static final String ATTENTION = "/api/v1/model/attention";
    private static final String SAMPLE =
            "The animal didn't cross the street because it was too tired.";

    private static Parameter text(String name, String label, String help, String value) {
        return new Parameter(name, label, help, "text", value, null, null, List.of());
    }

    private static Parameter number(String name, String label, String help, String value, int min,
            int max) {
        return new Parameter(name, label, help, "number", value, min, max, List.of());
    }

    private static final Parameter SENTENCE = text("text", "Sentence",
            "Any English text; the model reads at most 128 word pieces.", SAMPLE);
    private static final Parameter LAYER = number("layer", "Layer",
            "1 (next to the input) to 6 (next to the output).", "1", 1, 6);
    private static final Parameter HEAD = number("head", "Head", "1 to 12 within the layer.", "3",
            1, 12);
    private static final Parameter K = number("k", "k heads",
            "How many heads \u201cthe k least / most important\u201d prunes.",
            "6", 1, 72);

    private static final Map<String, Kind> KINDS = Map.of(
            "head-view", new Kind("head-view", ATTENTION, List.of(SENTENCE, LAYER, HEAD)),
            "model-view", new Kind("model-view", ATTENTION, List.of(SENTENCE, LAYER, HEAD)),
            "head-importance", new Kind("head-importance", "/api/v1/model/head-importance",
                    List.of(SENTENCE, K)),
            "similarity", new Kind("similarity", "/api/v1/model/similarity", List.of(SENTENCE,
                    text("otherText", "Second sentence", "Compared with the first.",
                            "The dog was too tired to walk across the road."),
                    new Parameter("pruneSet", "Heads pruned",
                            "Which heads are switched off for \u201cafter\u201d.", "select",
                            "layer-6", null, null, List.of(
                                    new Option("layer-1", "All of layer 1"),
                                    new Option("layer-6", "All of layer 6"),
                                    new Option("least", "The k least important"),
                                    new Option("most", "The k most important"))),
                    K)));

    private ModelKinds() {
    }

    static Set<String> names() {
        return KINDS.keySet();
    }

    static Optional<Kind> kind(String name) {
        return Optional.ofNullable(KINDS.get(name));
    }
}
