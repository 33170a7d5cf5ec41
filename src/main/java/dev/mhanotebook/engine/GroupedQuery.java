package dev.mhanotebook.engine;

/**
 * Multi-query (Shazeer 2019) and grouped-query attention (Ainslie et al. 2023): {@code h} query
 * heads share {@code kvHeads} key/value heads, query head {@code i} reading key/value head
 * {@code ⌊i / (h / kvHeads)⌋}. The engine computes them already (see {@link AttentionSpec}); this
 * class holds what the chapter shows about them: the mapping, the conversion of a multi-head
 * layer into a grouped one, and the other way round.
 *
 * <p>Layout of the weights as in {@link AttentionWeights}: {@code wk, wv} are
 * {@code [d_model, kvHeads·d_k]}, key/value head {@code g} owning columns
 * {@code g·d_k … (g+1)·d_k − 1}.
 */
public final class GroupedQuery {
    private GroupedQuery() {
    }

    /** For each query head, the key/value head it reads: {@code [h]}. */
    public static int[] headMapping(int heads, int kvHeads) {
        requireDivides(heads, kvHeads);
        int group = heads / kvHeads;
        int[] map = new int[heads];
        for (int i = 0; i < heads; i++) {
            map[i] = i / group;
        }
        return map;
    }

    /**
     * Ainslie et al. (2023, §2.1): a multi-head checkpoint becomes a grouped-query one by
     * mean-pooling the key and value projections of the heads in each group. Query and output
     * projections are kept. {@code mha} must have {@code kvHeads == heads}.
     *
     * @return weights with {@code wk, wv} of {@code [d_model, kvHeads·d_k]}
     */
    public static AttentionWeights meanPool(AttentionWeights mha, int heads, int kvHeads,
            int headDim) {
        requireDivides(heads, kvHeads);
        if (mha.wk()[0].length != heads * headDim) {
            throw new IllegalArgumentException("meanPool needs multi-head weights: wk has "
                    + mha.wk()[0].length + " columns, heads·headDim = " + heads * headDim);
        }
        return new AttentionWeights(mha.wq(),
                poolColumns(mha.wk(), heads, kvHeads, headDim),
                poolColumns(mha.wv(), heads, kvHeads, headDim),
                mha.wo(), mha.bq(),
                poolColumns(new float[][] {mha.bk()}, heads, kvHeads, headDim)[0],
                poolColumns(new float[][] {mha.bv()}, heads, kvHeads, headDim)[0],
                mha.bo());
    }

    /**
     * The multi-head weights that compute exactly what a grouped-query layer computes: each
     * key/value head's columns repeated for every query head of its group.
     */
    public static AttentionWeights expand(AttentionWeights gqa, int heads, int kvHeads,
            int headDim) {
        requireDivides(heads, kvHeads);
        return new AttentionWeights(gqa.wq(),
                repeatColumns(gqa.wk(), heads, kvHeads, headDim),
                repeatColumns(gqa.wv(), heads, kvHeads, headDim),
                gqa.wo(), gqa.bq(),
                repeatColumns(new float[][] {gqa.bk()}, heads, kvHeads, headDim)[0],
                repeatColumns(new float[][] {gqa.bv()}, heads, kvHeads, headDim)[0],
                gqa.bo());
    }

    private static float[][] poolColumns(float[][] w, int heads, int kvHeads, int headDim) {
        int group = heads / kvHeads;
        float[][] out = new float[w.length][kvHeads * headDim];
        for (int r = 0; r < w.length; r++) {
            for (int g = 0; g < kvHeads; g++) {
                for (int c = 0; c < headDim; c++) {
                    double sum = 0;
                    for (int m = 0; m < group; m++) {
                        sum += w[r][(g * group + m) * headDim + c];
                    }
                    out[r][g * headDim + c] = (float) (sum / group);
                }
            }
        }
        return out;
    }

    private static float[][] repeatColumns(float[][] w, int heads, int kvHeads, int headDim) {
        int group = heads / kvHeads;
        float[][] out = new float[w.length][heads * headDim];
        for (int r = 0; r < w.length; r++) {
            for (int i = 0; i < heads; i++) {
                System.arraycopy(w[r], (i / group) * headDim, out[r], i * headDim, headDim);
            }
        }
        return out;
    }

    private static void requireDivides(int heads, int kvHeads) {
        if (heads <= 0 || kvHeads <= 0 || heads % kvHeads != 0) {
            throw new IllegalArgumentException(
                    "kvHeads must divide heads (heads=" + heads + ", kvHeads=" + kvHeads + ")");
        }
    }
}
