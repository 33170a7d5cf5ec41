package dev.mhanotebook.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mhanotebook.engine.ComputeControl;
import org.junit.jupiter.api.Test;

/** MiniLM with its key/value heads mean-pooled (Ainslie et al. 2023, §2.1), on the sample. */
class GroupedQueryConversionTest {

    @Test
    void twelveKeyValueHeadsIsTheOriginalModel() {
        MiniLm m = ModelFixture.model();
        MiniLmWeights same = GroupedQueryConversion.meanPoolKeyValues(m.weights(), m.config(), 12);
        assertSame(m.weights().layers().get(3).wqkv(), same.layers().get(3).wqkv());
        long[] ids = m.tokenize(ModelFixture.SAMPLE).ids();
        float[] a = m.embedding(ids, m.weights(), ComputeControl.NONE);
        float[] b = m.embeddings(ids, java.util.List.of(HeadMask.none(m.config())),
                ComputeControl.NONE)[0];
        assertEquals(1, MiniLm.cosine(a, b), 1e-6, "embedding() agrees with embeddings()");
    }

    @Test
    void poolingAveragesTheKeyColumnsOfEachGroup() {
        MiniLm m = ModelFixture.model();
        MiniLmWeights w = GroupedQueryConversion.meanPoolKeyValues(m.weights(), m.config(), 4);
        float[][] wqkv = m.weights().layers().get(0).wqkv().toFloatMatrix();
        float[][] pooled = w.layers().get(0).wqkv().toFloatMatrix();
        int dk = m.config().headDim();
        int k = m.config().modelDim();                 // keys start at column d_model
        // Group 1 holds heads 3, 4, 5; column 7 of each head's key.
        float expected = (wqkv[10][k + 3 * dk + 7] + wqkv[10][k + 4 * dk + 7]
                + wqkv[10][k + 5 * dk + 7]) / 3;
        assertEquals(expected, pooled[10][k + 3 * dk + 7], 1e-6);
        assertEquals(expected, pooled[10][k + 5 * dk + 7], 1e-6);
        assertEquals(wqkv[10][3 * dk + 7], pooled[10][3 * dk + 7], "queries are kept");
    }

    @Test
    void fewerKeyValueHeadsMoveTheEmbeddingFurther() {
        MiniLm m = ModelFixture.model();
        long[] ids = m.tokenize(ModelFixture.SAMPLE).ids();
        float[] original = m.embedding(ids, m.weights(), ComputeControl.NONE);
        double six = MiniLm.cosine(original, m.embedding(ids,
                GroupedQueryConversion.meanPoolKeyValues(m.weights(), m.config(), 6),
                ComputeControl.NONE));
        double one = MiniLm.cosine(original, m.embedding(ids,
                GroupedQueryConversion.meanPoolKeyValues(m.weights(), m.config(), 1),
                ComputeControl.NONE));
        assertTrue(six < 1 && one < six, "cosine 6 kv heads " + six + ", 1 kv head " + one);
    }
}
