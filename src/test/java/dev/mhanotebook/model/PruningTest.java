package dev.mhanotebook.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mhanotebook.engine.ComputeControl;
import dev.mhanotebook.engine.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Head pruning and head importance on the sample sentence (16 tokens): attention is
 * [6, 12, 16, 16], importance [6][12].
 */
class PruningTest {
    private final MiniLm model = ModelFixture.model();
    private final MiniLmConfig c = model.config();
    private final long[] ids = model.tokenize(ModelFixture.SAMPLE).ids();

    @Test
    void unprunedAttentionRowsSumToOneAndCosineIsOne() {
        ModelRun run = model.run(ids, HeadMask.none(c), ComputeControl.NONE);
        Tensor a = run.attention();
        assertEquals(List.of(6L, 12L, 16L, 16L), List.of(a.shape()[0], a.shape()[1], a.shape()[2],
                a.shape()[3]), "attention shape");
        for (int l = 0; l < 6; l++) {
            for (int h = 0; h < 12; h++) {
                assertEquals(1.0, rowSum(a, l, h, 10), 1e-5, "row 10 of layer " + l + " head " + h);
            }
        }
        assertEquals(1.0, run.cosine(), 1e-9);
    }

    @Test
    void prunedHeadHasZeroWeightsAndMovesTheEmbedding() {
        HeadMask mask = HeadMask.of(c, List.of(new int[] {2, 5}, new int[] {0, 0}));
        ModelRun run = model.run(ids, mask, ComputeControl.NONE);
        Tensor a = run.attention();
        for (int i = 0; i < 16; i++) {
            assertEquals(0.0, rowSum(a, 2, 5, i), 0.0, "pruned head 2.5, row " + i);
            assertEquals(0.0, rowSum(a, 0, 0, i), 0.0, "pruned head 0.0, row " + i);
            assertEquals(1.0, rowSum(a, 2, 6, i), 1e-5, "kept head 2.6, row " + i);
        }
        double cosine = run.cosine();
        assertTrue(cosine < 1 && cosine > 0.5, "cosine after pruning two heads is " + cosine);
        float[] unpruned = model.run(ids, HeadMask.none(c), ComputeControl.NONE).embedding();
        assertEquals(1.0, MiniLm.cosine(unpruned, run.unprunedEmbedding()), 1e-6,
                "the unpruned copy in the batch equals an unpruned run");
    }

    @Test
    void headImportanceHasOneValueInZeroToTwoPerHead() {
        float[][] importance = model.headImportance(ids, ComputeControl.NONE);
        assertEquals(6, importance.length);
        for (float[] layer : importance) {
            assertEquals(12, layer.length);
            for (float v : layer) {
                assertTrue(v >= -1e-6 && v <= 2, "importance " + v + " outside [0, 2]");
            }
        }
    }

    @Test
    void batchedHeadImportanceEqualsPruningOneHeadAtATime() {
        float[][] importance = model.headImportance(ids, ComputeControl.NONE);
        for (int[] lh : new int[][] {{0, 0}, {1, 7}, {3, 4}, {5, 11}}) {
            ModelRun run = model.run(ids, HeadMask.of(c, List.of(lh)), ComputeControl.NONE);
            assertEquals(1 - run.cosine(), importance[lh[0]][lh[1]], 1e-5,
                    "importance of layer " + lh[0] + " head " + lh[1]);
        }
    }

    @Test
    void headMaskRejectsHeadsOutsideTheModel() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> HeadMask.of(c, List.of(new int[] {6, 0})));
        assertTrue(e.getMessage().contains("layer in [0, 5]"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> HeadMask.of(c, List.of(new int[] {0, 12})));
        assertThrows(IllegalArgumentException.class,
                () -> HeadMask.of(c, List.of(new int[] {1})));
    }

    private static double rowSum(Tensor a, int layer, int head, int query) {
        double sum = 0;
        for (int k = 0; k < a.shape()[3]; k++) {
            sum += a.get(layer, head, query, k);
        }
        return sum;
    }
}
