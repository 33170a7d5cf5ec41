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
        assertSame(m.weights().layers().get(3).wk(), same.layers().get(3).wk());
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
        float[][] wk = m.weights().layers().get(0).wk().toFloatMatrix();
        float[][] pooled = w.layers().get(0).wk().toFloatMatrix();
        int dk = m.config().headDim();
        // Group 1 holds heads 3, 4, 5; column 7 of each head.
        float expected = (wk[10][3 * dk + 7] + wk[10][4 * dk + 7] + wk[10][5 * dk + 7]) / 3;
        assertEquals(expected, pooled[10][3 * dk + 7], 1e-6);
        assertEquals(expected, pooled[10][5 * dk + 7], 1e-6);
        assertEquals(wk[10][7], m.weights().layers().get(0).wk().getFloat(10, 7),
                "the original is untouched");
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
