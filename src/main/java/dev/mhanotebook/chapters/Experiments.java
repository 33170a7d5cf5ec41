package dev.mhanotebook.chapters;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The kinds of experiment a chapter may embed, each with the parameters a reader may set. The
 * names are the JSON fields of the API the kind calls, so the page sends the form as it is.
 */
public final class Experiments {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ID = Pattern.compile("[a-z][a-z0-9-]*");

    /** One choice of a select control. */
    public record Option(String value, String label) {
    }

    /**
     * A parameter of an experiment kind.
     *
     * @param type {@code text}, {@code number} or {@code select}
     * @param help one sentence under the control; may be empty
     */
    public record Parameter(String name, String label, String help, String type,
            String defaultValue, Integer min, Integer max, List<Option> options) {

        boolean isNumber() {
            return "number".equals(type);
        }
    }

    /** A kind of experiment: the API it calls and the parameters it takes. */
    public record Kind(String name, String endpoint, List<Parameter> parameters) {
        Optional<Parameter> parameter(String name) {
            return parameters.stream().filter(p -> p.name().equals(name)).findFirst();
        }
    }

    private static final Parameter CAUSAL = new Parameter("causal", "Causal mask",
            "Top-left hides every later token; whole tiles above the diagonal are skipped.",
            "select", "none", null, null, List.of(
                    new Option("none", "None: every query sees every key"),
                    new Option("top-left", "Causal: no peeking at later tokens")));
    private static final Parameter SEED = new Parameter("seed", "Seed",
            "Seeds the inputs and the weights.", "number", "42", 0, Integer.MAX_VALUE, List.of());

    private static final Map<String, Kind> KINDS = withVariants(Map.of(
            "attention", new Kind("attention", "/api/v1/attention", List.of(
                    new Parameter("text", "Sentence",
                            "Each word or punctuation mark becomes one token.",
                            "text", "The cat sat on the mat", null, null, List.of()),
                    new Parameter("modelDim", "d_model",
                            "The model width: the length of each token's vector.",
                            "number", "16", 1, 256, List.of()),
                    new Parameter("heads", "Heads h",
                            "h must divide d_model; each head is d_k = d_model / h wide.",
                            "number", "2", 1, 16, List.of()),
                    new Parameter("causal", "Causal mask",
                            "Causal hides every later token from each query.",
                            "select", "none", null, null, List.of(
                                    new Option("none", "None"),
                                    new Option("top-left", "Causal (top-left)"))),
                    new Parameter("seed", "Seed",
                            "Seeds the token vectors and the projection weights.",
                            "number", "42", 0, Integer.MAX_VALUE, List.of()))),
            "tiled-replay", new Kind("tiled-replay", "/api/v1/advanced/tiled-replay", List.of(
                    new Parameter("text", "Sentence", "Each word is one query and one key; at "
                            + "most 32 words.", "text",
                            "The quick brown fox jumps over the lazy dog", null, null, List.of()),
                    number("modelDim", "Model width d_model", "At most 64.", "8", 1, 64),
                    number("heads", "Heads h", "h must divide d_model.", "2", 1, 8),
                    number("blockSize", "Block size b",
                            "Queries and keys per tile; at most 256 tiles.", "3", 1, 32),
                    CAUSAL, SEED)),
            "length-sweep", new Kind("length-sweep", "/api/v1/jobs/length-sweep", List.of(
                    number("modelDim", "Model width d_model", "From 8 to 256.", "64", 8, 256),
                    number("heads", "Heads h", "h must divide d_model.", "8", 1, 16),
                    number("minLength", "Shortest length", "A power of two.", "256", 16, 16384),
                    number("maxLength", "Longest length",
                            "Lengths double up to this; each path stops at its budget.", "8192",
                            16, 16384),
                    SEED)),
            "kv-cache", new Kind("kv-cache", "/api/v1/advanced/kv-cache", List.of(
                    new Parameter("text", "Sentence", "Decoded one word at a time; at most 64 "
                            + "words.", "text", "A man is playing a guitar", null, null, List.of()),
                    number("modelDim", "Model width d_model", "At most 256.", "32", 1, 256),
                    number("heads", "Heads h", "h must divide d_model.", "4", 1, 64),
                    number("kvHeads", "Key/value heads", "Must divide h; fewer means a smaller "
                            + "cache.", "4", 1, 64),
                    SEED)),
            "checkpointing", new Kind("checkpointing", "/api/v1/advanced/checkpointing", List.of(
                    number("layers", "Layers n", "From 1 to 24.", "9", 1, 24),
                    number("length", "Tokens L", "From 1 to 256.", "64", 1, 256),
                    number("modelDim", "Model width d_model", "At most 256.", "64", 1, 256),
                    number("heads", "Heads h", "h must divide d_model.", "4", 1, 16),
                    number("segment", "Segment k", "Layers per segment; 0 means ⌈√n⌉.", "0", 0,
                            24),
                    SEED)),
            "cross-attention", new Kind("cross-attention", "/api/v1/advanced/cross-attention",
                    List.of(
                    new Parameter("text", "Query sentence", "Its word pieces ask.", "text",
                            "A man is playing a guitar.", null, null, List.of()),
                    new Parameter("keyText", "Key sentence", "Its word pieces answer.", "text",
                            "Someone plays the guitar.", null, null, List.of()),
                    number("layer", "Layer", "Without a head: the hidden state 0 (embeddings) "
                            + "to 6 (output). With a head: its layer, 0 to 5.", "6", 0, 6),
                    new Parameter("head", "Head", "A head's own W^Q and W^K, or none for the "
                            + "vectors themselves.", "select", "none", null, null, heads())))));

    private static Parameter number(String name, String label, String help, String value,
            int min, int max) {
        return new Parameter(name, label, help, "number", value, min, max, List.of());
    }

    private static List<Option> heads() {
        List<Option> options = new ArrayList<>();
        options.add(new Option("none", "None: the token vectors"));
        for (int h = 0; h < 12; h++) {
            options.add(new Option(String.valueOf(h), "Head " + h));
        }
        return options;
    }

    private Experiments() {
    }

    /** The kinds above and those of the chapter "Beyond classic MHA"; a name may not repeat. */
    private static Map<String, Kind> withVariants(Map<String, Kind> kinds) {
        Map<String, Kind> all = new LinkedHashMap<>(kinds);
        for (var e : VariantExperiments.KINDS.entrySet()) {
            if (all.put(e.getKey(), e.getValue()) != null) {
                throw new IllegalStateException(
                        "experiment kind " + e.getKey() + " is defined twice");
            }
        }
        return Map.copyOf(all);
    }

    /** The names a directive's {@code kind} may take. */
    public static Set<String> kinds() {
        Set<String> names = new java.util.TreeSet<>(KINDS.keySet());
        names.addAll(WidgetKinds.names());
        names.addAll(ModelKinds.names());
        return names;
    }

    public static Optional<Kind> kind(String name) {
        return Optional.ofNullable(KINDS.get(name)).or(() -> WidgetKinds.kind(name))
                .or(() -> ModelKinds.kind(name));
    }

    /**
     * Checks a directive against its kind and resolves it into what the page shows.
     *
     * @throws ChapterException naming the key at fault and what is allowed
     */
    static ExperimentView resolve(ExperimentDirective directive) {
        Map<String, String> settings = directive.settings();
        String id = directive.id();
        if (!ID.matcher(id).matches()) {
            throw new ChapterException("experiment id must match " + ID + " (id='" + id + "')");
        }
        Kind kind = kind(directive.kind()).orElseThrow(() -> new ChapterException(
                "experiment '" + id + "' names unknown kind '" + directive.kind()
                        + "' (known: " + kinds() + ")"));
        Map<String, Object> defaults = new LinkedHashMap<>();
        for (Parameter p : kind.parameters()) {
            defaults.put(p.name(), typed(p, p.defaultValue()));
        }
        for (var e : settings.entrySet()) {
            String key = e.getKey();
            if (Set.of("id", "kind", "controls", "title").contains(key)) {
                continue;
            }
            Parameter p = kind.parameter(key).orElseThrow(() -> new ChapterException(
                    "experiment '" + id + "' sets unknown parameter '" + key + "' of kind "
                            + kind.name()));
            defaults.put(key, typed(p, e.getValue()));
        }
        List<ExperimentView.Control> controls = new ArrayList<>();
        String listed = settings.getOrDefault("controls", "");
        for (String name : listed.split(",")) {
            if (name.isBlank()) {
                continue;
            }
            Parameter p = kind.parameter(name.strip()).orElseThrow(() -> new ChapterException(
                    "experiment '" + id + "' lists unknown control '" + name.strip() + "'"));
            controls.add(ExperimentView.Control.of(id, p, String.valueOf(defaults.get(p.name()))));
        }
        try {
            return new ExperimentView(id, kind.name(), settings.getOrDefault("title", ""),
                    kind.endpoint(), JSON.writeValueAsString(defaults), controls);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write defaults of experiment " + id, e);
        }
    }

    private static Object typed(Parameter p, String value) {
        if (p.isNumber()) {
            try {
                return Integer.parseInt(value);
            } catch (NumberFormatException e) {
                throw new ChapterException(p.name() + " must be an integer (was '" + value + "')");
            }
        }
        if ("select".equals(p.type())
                && p.options().stream().noneMatch(o -> o.value().equals(value))) {
            throw new ChapterException(p.name() + " must be one of "
                    + p.options().stream().map(Option::value).toList() + " (was '" + value + "')");
        }
        return value;
    }
}
