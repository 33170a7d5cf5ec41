package dev.mhanotebook.model;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Turns the pretrained multi-head encoder into a grouped-query one the way Ainslie et al. (2023,
 * §2.1) initialise it before uptraining: the key and value projections (weights and biases) of
 * the {@code h / kvHeads} heads of each group are replaced by their mean. No training follows,
 * so what changes in the output is the whole cost of the conversion.
 *
 * <p>The pooled head is written back into the column block of every head of its group, so the
 * encoder runs unchanged ([d_model, h·d_k] projections) and computes exactly what a layer with
 * {@code kvHeads} key/value heads computes. Query, output and feed-forward weights are shared
 * with the original, never copied or written.
 */
public final class GroupedQueryConversion {
    private GroupedQueryConversion() {
    }

    /** The weights with keys and values pooled to {@code kvHeads} heads in every layer. */
    public static MiniLmWeights meanPoolKeyValues(MiniLmWeights w, MiniLmConfig c, int kvHeads) {
        if (kvHeads < 1 || c.heads() % kvHeads != 0) {
            throw new IllegalArgumentException("kvHeads must divide the model's " + c.heads()
                    + " heads (kvHeads=" + kvHeads + ")");
        }
        List<MiniLmWeights.Layer> layers = new ArrayList<>();
        for (MiniLmWeights.Layer l : w.layers()) {
            layers.add(new MiniLmWeights.Layer(
                    pool(l.wqkv(), c, kvHeads), pool(l.bqkv(), c, kvHeads), l.wo(), l.bo(), l.ln1Gamma(), l.ln1Beta(), l.w1(), l.b1(), l.w2(), l.b2(),
                    l.ln2Gamma(), l.ln2Beta()));
        }
        return new MiniLmWeights(w.wordEmbeddings(), w.positionEmbeddings(),
                w.tokenTypeEmbeddings(), w.lnGamma(), w.lnBeta(), layers);
    }

    /**
     * In the fused [W^Q | W^K | W^V] ([rows, 3·h·d_k] or [3·h·d_k]), each group's key and value
     * column blocks of d_k replaced by their mean; the query columns are kept.
     */
    private static INDArray pool(INDArray x, MiniLmConfig c, int kvHeads) {
        if (kvHeads == c.heads()) {
            return x;
        }
        boolean vector = x.rank() == 1;
        float[][] m = vector ? new float[][] {x.toFloatVector()} : x.toFloatMatrix();
        int dk = c.headDim();
        int group = c.heads() / kvHeads;
        int d = c.modelDim();
        float[][] out = new float[m.length][];
        for (int r = 0; r < m.length; r++) {
            out[r] = m[r].clone();
            for (int part = 1; part <= 2; part++) {
                poolRow(m[r], out[r], part * d, dk, group, kvHeads);
            }
        }
        return vector ? Nd4j.createFromArray(out[0]) : Nd4j.createFromArray(out);
    }

    /** Pools the heads of one of K or V, whose columns start at {@code offset}. */
    private static void poolRow(float[] in, float[] out, int offset, int dk, int group,
            int kvHeads) {
        for (int g = 0; g < kvHeads; g++) {
            for (int col = 0; col < dk; col++) {
                double sum = 0;
                for (int i = g * group; i < (g + 1) * group; i++) {
                    sum += in[offset + i * dk + col];
                }
                float mean = (float) (sum / group);
                for (int i = g * group; i < (g + 1) * group; i++) {
                    out[offset + i * dk + col] = mean;
                }
            }
        }
    }
}
