package dev.mhanotebook.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mhanotebook.engine.AttentionInputs;
import dev.mhanotebook.engine.AttentionSpec;
import dev.mhanotebook.engine.AttentionWeights;
import dev.mhanotebook.engine.CausalMask;
import dev.mhanotebook.engine.CostModel;
import dev.mhanotebook.engine.Implementation;
import dev.mhanotebook.engine.LengthSweep;
import dev.mhanotebook.engine.TokenVectors;
import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns a request into what the engine computes, or refuses it with a {@link BadInputException}
 * that names the field, the rule and the values. Nothing reaches ND4J unchecked.
 */
public final class AttentionRequests {
    private final ComputeLimits limits;

    public AttentionRequests(ComputeLimits limits) {
        this.limits = limits;
    }

    /** A validated request, ready for the engine. */
    public record Prepared(
            AttentionSpec spec,
            AttentionInputs inputs,
            AttentionWeights weights,
            Implementation implementation,
            List<String> tokens,
            List<String> keyTokens) {
    }

    public Prepared prepare(AttentionRequest r) {
        if (r == null) {
            throw new BadInputException(null,
                    "the request body is missing: send a JSON object, {} for all defaults");
        }
        Implementation impl = implementation(r.implementation());
        CausalMask causal = causal(r.causal());

        // Query side: explicit tensor, tokens or text, or drawn from the seed.
        if (r.query() != null && (r.tokens() != null || r.text() != null)) {
            throw new BadInputException("query", "give either query or tokens/text, not both");
        }
        if (r.tokens() != null && r.text() != null) {
            throw new BadInputException("tokens", "give either tokens or text, not both");
        }
        if ((r.key() == null) != (r.value() == null)) {
            throw new BadInputException(r.key() == null ? "key" : "value",
                    "key and value go together: give both or neither");
        }
        if (r.key() != null && r.query() == null) {
            throw new BadInputException("key", "key and value need an explicit query as well");
        }
        if (r.key() != null && (r.keyTokens() != null || r.keyText() != null)) {
            throw new BadInputException("key", "give either key/value or keyTokens/keyText, not both");
        }
        if (r.keyTokens() != null && r.keyText() != null) {
            throw new BadInputException("keyTokens", "give either keyTokens or keyText, not both");
        }
        List<String> tokens = r.text() != null ? words("text", r.text()) : checkTokens("tokens", r.tokens());
        List<String> keyTokens = r.keyText() != null ? words("keyText", r.keyText())
                : checkTokens("keyTokens", r.keyTokens());

        int batch = size("batch", r.batch(), 1, limits.maxBatch());
        Integer queryLength = sizeOrNull("queryLength", r.queryLength(), limits.maxLength());
        Integer keyLength = sizeOrNull("keyLength", r.keyLength(), limits.maxLength());
        Integer modelDim = sizeOrNull("modelDim", r.modelDim(), limits.maxModelDim());
        if (tokens != null) {
            queryLength = agree("queryLength", queryLength, tokens.size(),
                    "the number of tokens (" + tokens.size() + ")");
        }
        if (keyTokens != null) {
            keyLength = agree("keyLength", keyLength, keyTokens.size(),
                    "the number of key tokens (" + keyTokens.size() + ")");
        }
        if (r.query() != null) {
            int[] shape = Tensors.shape3("query", r.query());
            batch = agree("batch", r.batch(), shape[0], "the first dimension of query (" + shape[0] + ")");
            queryLength = agree("queryLength", queryLength, shape[1],
                    "the second dimension of query (" + shape[1] + ")");
            modelDim = agree("modelDim", modelDim, shape[2], "the last dimension of query (" + shape[2] + ")");
            batch = size("batch", batch, 1, limits.maxBatch());
            size("queryLength", queryLength, 1, limits.maxLength());
            size("modelDim", modelDim, 1, limits.maxModelDim());
        }
        if (r.key() != null) {
            int[] shape = Tensors.shape3("key", r.key());
            Tensors.requireShape("value", r.value(), shape);
            if (shape[0] != batch) {
                throw new BadInputException("key", "key must have batch " + batch
                        + " in its first dimension like query (got " + shape[0] + ")");
            }
            if (shape[2] != modelDim) {
                throw new BadInputException("key", "key must have modelDim " + modelDim
                        + " in its last dimension like query (got " + shape[2] + ")");
            }
            keyLength = agree("keyLength", keyLength, shape[1],
                    "the second dimension of key (" + shape[1] + ")");
            size("keyLength", keyLength, 1, limits.maxLength());
        }
        int len = queryLength != null ? queryLength : 6;
        int keyLen = keyLength != null ? keyLength : len;
        int dModel = modelDim != null ? modelDim : 16;
        int heads = r.heads() == null ? 2 : size("heads", r.heads(), 1, limits.maxHeads());
        int kvHeads = r.kvHeads() == null ? heads : size("kvHeads", r.kvHeads(), 1, heads);
        if (heads % kvHeads != 0) {
            throw new BadInputException("kvHeads",
                    "kvHeads must divide heads (heads=" + heads + ", kvHeads=" + kvHeads + ")");
        }
        int headDim;
        if (r.headDim() != null) {
            headDim = size("headDim", r.headDim(), 1, limits.maxHeadDim());
        } else {
            if (dModel % heads != 0) {
                throw new BadInputException("heads", "heads must divide modelDim when headDim is not "
                        + "given (modelDim=" + dModel + ", heads=" + heads + ")");
            }
            headDim = dModel / heads;
        }
        // The teaching default of 32 up to 256 positions; larger tiles for long sequences.
        int blockSize = r.blockSize() == null ? LengthSweep.blockSizeFor(Math.max(len, keyLen))
                : size("blockSize", r.blockSize(), 1, limits.maxBlockSize());
        long seed = r.seed() == null ? 42 : r.seed();
        double dropout = r.dropout() == null ? 0 : r.dropout();
        if (!(dropout >= 0 && dropout < 1)) {
            throw new BadInputException("dropout", "dropout must be at least 0 and below 1 (dropout="
                    + dropout + ")");
        }
        double scale = scale(r.scale(), headDim);

        AttentionSpec spec = new AttentionSpec(batch, len, keyLen, dModel, heads, kvHeads, headDim,
                causal, scale, dropout, Boolean.TRUE.equals(r.training()), seed, blockSize,
                limits.traceValues(), limits.fullAttentionCells());
        checkBudget(spec, impl);

        AttentionWeights weights = weights(spec, r.weights(), seed);
        boolean[][] keyPadding = null;
        if (r.keyPadding() != null) {
            keyPadding = Tensors.requireMask("keyPadding", r.keyPadding(), batch, keyLen, "[B][S]");
        }
        boolean[][] blocked = null;
        if (r.blocked() != null) {
            blocked = Tensors.requireMask("blocked", r.blocked(), len, keyLen, "[L][S]");
        }

        float[][][] query;
        if (r.query() != null) {
            query = Tensors.toFloat("query", r.query());
        } else if (tokens != null) {
            query = TokenVectors.of(seed, tokens, batch, dModel);
        } else {
            query = TokenVectors.random(seed, "query", batch, len, dModel);
        }
        float[][][] key;
        float[][][] value;
        if (r.key() != null) {
            key = Tensors.toFloat("key", r.key());
            value = Tensors.toFloat("value", r.value());
        } else if (keyTokens != null) {
            key = TokenVectors.of(seed, keyTokens, batch, dModel);
            value = key;
        } else if (keyLength != null && keyLen != len) {
            key = TokenVectors.random(seed, "key", batch, keyLen, dModel);
            value = key;
        } else {
            key = query;
            value = query;
        }
        return new Prepared(spec, new AttentionInputs(query, key, value, keyPadding, blocked), weights,
                impl, tokens, keyTokens);
    }

    private void checkBudget(AttentionSpec spec, Implementation impl) {
        ComputeLimits.Budget budget = limits.budget(impl);
        long bytes = CostModel.peakBytes(spec, impl);
        long flops = CostModel.flops(spec, impl);
        String name = impl.name().toLowerCase(Locale.ROOT);
        String hint = impl == Implementation.TILED ? "use smaller sizes"
                : "use smaller sizes or implementation \"tiled\"";
        if (bytes > budget.maxBytes()) {
            throw new BadInputException("queryLength", String.format(Locale.ROOT,
                    "this request needs %s of working memory on the %s path, past its budget of %s "
                            + "(B=%d, h=%d, L=%d, S=%d, d_model=%d); %s",
                    Units.bytes(bytes), name, Units.bytes(budget.maxBytes()), spec.batch(),
                    spec.heads(), spec.queryLength(), spec.keyLength(), spec.modelDim(), hint));
        }
        if (flops > budget.maxFlops()) {
            throw new BadInputException("queryLength", String.format(Locale.ROOT,
                    "this request needs %s FLOPs on the %s path, past its budget of %s "
                            + "(B=%d, h=%d, L=%d, S=%d, d_model=%d); %s",
                    Units.count(flops), name, Units.count(budget.maxFlops()), spec.batch(),
                    spec.heads(), spec.queryLength(), spec.keyLength(), spec.modelDim(), hint));
        }
    }

    private AttentionWeights weights(AttentionSpec spec, AttentionRequest.WeightsInput in, long seed) {
        AttentionWeights drawn = AttentionWeights.glorot(spec, seed);
        if (in == null) {
            return drawn;
        }
        int d = spec.modelDim();
        int qCols = spec.heads() * spec.headDim();
        int kvCols = spec.kvHeads() * spec.headDim();
        return new AttentionWeights(
                in.wq() == null ? drawn.wq() : Tensors.matrix("weights.wq", in.wq(), d, qCols, "[d_model][h·d_k]"),
                in.wk() == null ? drawn.wk() : Tensors.matrix("weights.wk", in.wk(), d, kvCols,
                        "[d_model][kvHeads·d_k]"),
                in.wv() == null ? drawn.wv() : Tensors.matrix("weights.wv", in.wv(), d, kvCols,
                        "[d_model][kvHeads·d_k]"),
                in.wo() == null ? drawn.wo() : Tensors.matrix("weights.wo", in.wo(), qCols, d, "[h·d_k][d_model]"),
                in.bq() == null ? drawn.bq() : Tensors.vector("weights.bq", in.bq(), qCols, "[h·d_k]"),
                in.bk() == null ? drawn.bk() : Tensors.vector("weights.bk", in.bk(), kvCols, "[kvHeads·d_k]"),
                in.bv() == null ? drawn.bv() : Tensors.vector("weights.bv", in.bv(), kvCols, "[kvHeads·d_k]"),
                in.bo() == null ? drawn.bo() : Tensors.vector("weights.bo", in.bo(), d, "[d_model]"));
    }

    private static Implementation implementation(String name) {
        if (name == null) {
            return Implementation.VECTORIZED;
        }
        return switch (name) {
            case "vectorized" -> Implementation.VECTORIZED;
            case "loops" -> Implementation.LOOPS;
            case "tiled" -> Implementation.TILED;
            default -> throw new BadInputException("implementation",
                    "implementation must be one of vectorized, loops, tiled (implementation="
                            + Tensors.quote(name) + ")");
        };
    }

    private static CausalMask causal(String name) {
        if (name == null) {
            return CausalMask.NONE;
        }
        return switch (name) {
            case "none" -> CausalMask.NONE;
            case "top-left" -> CausalMask.TOP_LEFT;
            case "bottom-right" -> CausalMask.BOTTOM_RIGHT;
            default -> throw new BadInputException("causal",
                    "causal must be one of none, top-left, bottom-right (causal=" + Tensors.quote(name) + ")");
        };
    }

    private static double scale(JsonNode node, int headDim) {
        if (node == null || node.isNull()) {
            return 1 / Math.sqrt(headDim);
        }
        if (node.isTextual()) {
            return switch (node.asText()) {
                case "sqrt_dk" -> 1 / Math.sqrt(headDim);
                case "none" -> 1;
                default -> throw new BadInputException("scale", "scale must be \"sqrt_dk\", \"none\" "
                        + "or a number (scale=" + Tensors.quote(node.asText()) + ")");
            };
        }
        if (node.isNumber() && Double.isFinite(node.asDouble())) {
            return node.asDouble();
        }
        throw new BadInputException("scale", "scale must be \"sqrt_dk\", \"none\" or a finite number (scale="
                + Tensors.abbreviate(node.toString()) + ")");
    }

    /** Splits a sentence into words and punctuation with the JDK's word BreakIterator. */
    private List<String> words(String field, String text) {
        if (text.length() > limits.maxTextChars()) {
            throw new BadInputException(field, field + " may have at most " + limits.maxTextChars()
                    + " characters (got " + text.length() + ")");
        }
        BreakIterator it = BreakIterator.getWordInstance(Locale.ROOT);
        it.setText(text);
        List<String> words = new ArrayList<>();
        for (int start = it.first(), end = it.next(); end != BreakIterator.DONE; start = end, end = it.next()) {
            String w = text.substring(start, end).strip();
            if (!w.isEmpty()) {
                words.add(w);
            }
        }
        if (words.isEmpty()) {
            throw new BadInputException(field, field + " must contain at least one word");
        }
        return checkTokens(field, words);
    }

    private List<String> checkTokens(String field, List<String> tokens) {
        if (tokens == null) {
            return null;
        }
        if (tokens.isEmpty()) {
            throw new BadInputException(field, field + " must not be empty");
        }
        if (tokens.size() > limits.maxTokens()) {
            throw new BadInputException(field, field + " may have at most " + limits.maxTokens()
                    + " tokens (got " + tokens.size() + ")");
        }
        for (int i = 0; i < tokens.size(); i++) {
            String t = tokens.get(i);
            if (t == null || t.isEmpty()) {
                throw new BadInputException(field, field + "[" + i + "] must be a non-empty string");
            }
            if (t.length() > limits.maxTokenChars()) {
                throw new BadInputException(field, field + "[" + i + "] may have at most "
                        + limits.maxTokenChars() + " characters (got " + t.length() + ")");
            }
        }
        return List.copyOf(tokens);
    }

    private static int size(String field, Integer value, int min, int max) {
        if (value == null) {
            return min;
        }
        if (value < min || value > max) {
            throw new BadInputException(field, field + " must be between " + min + " and " + max
                    + " (" + field + "=" + value + ")");
        }
        return value;
    }

    private static Integer sizeOrNull(String field, Integer value, int max) {
        return value == null ? null : size(field, value, 1, max);
    }

    private static int agree(String field, Integer given, int implied, String source) {
        if (given != null && given != implied) {
            throw new BadInputException(field, field + " must equal " + source + " (" + field + "="
                    + given + ")");
        }
        return implied;
    }
}
