package dev.mhanotebook.engine;

import java.util.ArrayList;
import java.util.List;

/** What the masks of a computation block, shared by the three implementations. */
final class Masks {
    /** How many blind rows a warning names before it summarises the rest. */
    private static final int NAMED_ROWS = 8;

    private Masks() {
    }

    // step: masked
    /** The combined mask of one tile as 0 or −∞ in layout [B, 1, i1−i0, j1−j0]; null if none. */
    static float[] bias(AttentionSpec p, AttentionInputs in, int i0, int i1, int j0, int j1) {
        if (!in.masked(p)) {
            return null;
        }
        float[] bias = new float[p.batch() * (i1 - i0) * (j1 - j0)];
        int k = 0;
        for (int b = 0; b < p.batch(); b++) {
            for (int i = i0; i < i1; i++) {
                for (int j = j0; j < j1; j++) {
                    bias[k++] = in.blocks(p, b, i, j) ? Float.NEGATIVE_INFINITY : 0f;
                }
            }
        }
        return bias;
    }
    // end step: masked

    /**
     * One warning for the query rows that can see no key at all. Such a row gets all-zero weights
     * and a zero head output in every head (PyTorch returns NaN there).
     */
    static List<String> blindRowWarnings(AttentionSpec p, AttentionInputs in) {
        List<String> warnings = new ArrayList<>();
        if (!in.masked(p)) {
            return warnings;
        }
        List<String> rows = new ArrayList<>();
        int count = 0;
        for (int b = 0; b < p.batch(); b++) {
            for (int i = 0; i < p.queryLength(); i++) {
                boolean blind = true;
                for (int j = 0; j < p.keyLength() && blind; j++) {
                    blind = in.blocks(p, b, i, j);
                }
                if (blind) {
                    if (count < NAMED_ROWS) {
                        rows.add(p.batch() > 1 ? "batch " + b + " row " + i : "row " + i);
                    }
                    count++;
                }
            }
        }
        if (count > 0) {
            String heads = p.heads() == 1 ? "head 0" : "heads 0–" + (p.heads() - 1);
            warnings.add("Query " + String.join(", ", rows)
                    + (count > NAMED_ROWS ? " and " + (count - NAMED_ROWS) + " more rows" : "")
                    + " can see no key (every key is masked): in " + heads
                    + " its attention weights and head output are set to zero instead of NaN.");
        }
        return warnings;
    }
}
