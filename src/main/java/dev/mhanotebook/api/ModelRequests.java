package dev.mhanotebook.api;

import dev.mhanotebook.model.HeadMask;
import dev.mhanotebook.model.MiniLm;
import dev.mhanotebook.model.MiniLmConfig;
import dev.mhanotebook.model.Tokenized;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Checks the model endpoints' requests before the model sees them; each refusal names its field.
 */
final class ModelRequests {
    private final MiniLm model;
    private final MiniLmConfig c;
    private final int maxTextChars;

    ModelRequests(MiniLm model, int maxTextChars) {
        this.model = model;
        this.c = model.config();
        this.maxTextChars = maxTextChars;
    }

    /** The text's tokens, cut at the model's limit; a warning is added when it was cut. */
    Tokenized tokenize(String field, String text, List<String> warnings) {
        if (text == null) {
            throw new BadInputException(field, field + " is required");
        }
        if (text.isBlank()) {
            throw new BadInputException(field, field + " must not be empty");
        }
        if (text.length() > maxTextChars) {
            throw new BadInputException(field, String.format(Locale.ROOT,
                    "%s must have at most %,d characters (got %,d)", field, maxTextChars,
                    text.length()));
        }
        Tokenized t = model.tokenize(text);
        if (t.truncated()) {
            warnings.add(String.format(Locale.ROOT,
                    "%s has more than %d tokens: the model reads only the first %d, [CLS] and "
                            + "[SEP] included; the rest is ignored.", field, c.maxTokens(),
                    c.maxTokens()));
        }
        return t;
    }

    /** The heads to prune: each entry {@code [layer, head]}; null or empty prunes none. */
    HeadMask prune(int[][] prune) {
        if (prune == null) {
            return HeadMask.none(c);
        }
        List<int[]> heads = new ArrayList<>();
        for (int i = 0; i < prune.length; i++) {
            int[] lh = prune[i];
            if (lh == null || lh.length != 2 || lh[0] < 0 || lh[0] >= c.layers() || lh[1] < 0
                    || lh[1] >= c.heads()) {
                throw new BadInputException("prune", String.format(Locale.ROOT,
                        "prune[%d] must be [layer, head] with layer in 0…%d and head in 0…%d "
                                + "(got %s)", i, c.layers() - 1, c.heads() - 1,
                        lh == null ? "null" : Arrays.toString(lh)));
            }
            heads.add(lh);
        }
        return HeadMask.of(c, heads);
    }

    /** An optional layer index. */
    Integer layer(Integer layer) {
        if (layer != null && (layer < 0 || layer >= c.layers())) {
            throw new BadInputException("layer", "layer must be in 0…" + (c.layers() - 1)
                    + " (got " + layer + ")");
        }
        return layer;
    }

    /** An optional head index, which needs a layer. */
    Integer head(Integer layer, Integer head) {
        if (head == null) {
            return null;
        }
        if (layer == null) {
            throw new BadInputException("head", "head needs layer: give both to get one head "
                    + "in full (head=" + head + ")");
        }
        if (head < 0 || head >= c.heads()) {
            throw new BadInputException("head", "head must be in 0…" + (c.heads() - 1)
                    + " (got " + head + ")");
        }
        return head;
    }
}
