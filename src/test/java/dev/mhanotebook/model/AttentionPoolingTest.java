package dev.mhanotebook.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mhanotebook.engine.AttentionPreview;
import dev.mhanotebook.engine.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Pooling and rollout on hand-worked tensors: one layer, one head, 3 tokens
 * (attention [1, 1, 3, 3]).
 */
class AttentionPoolingTest {
    private static final Tensor A = new Tensor(new long[] {1, 1, 3, 3}, new float[] {
        0.5f, 0.5f, 0f,
        0f, 1f, 0f,
        0.25f, 0.25f, 0.5f});

    @Test
    void factorKeepsLayersTimesHeadsTimesSideSquaredWithinTheLimit() {
        assertEquals(1, AttentionPooling.factorFor(72, 30, 65_536));  // 64,800 weights
        assertEquals(2, AttentionPooling.factorFor(72, 31, 65_536));  // 69,192 -> 16² · 72
        assertEquals(5, AttentionPooling.factorFor(72, 128, 65_536)); // 26² · 72 = 48,672
    }

    @Test
    void partialEdgeBlocksAreAveragedOverTheCellsTheyHave() {
        AttentionPreview p = AttentionPooling.pool(A, 2);
        assertEquals(2, p.rows());
        assertEquals(2, p.cols());
        // [0.5 0.5 | 0], [0 1 | 0] / [0.25 0.25 | 0.5]
        assertArrayEquals(new float[] {0.5f, 0f, 0.25f, 0.5f}, p.values().data(), 1e-6f);
        assertEquals(0f, p.min());
        assertEquals(0.5f, p.max());
    }

    @Test
    void oneHeadAndOneLayerAreCopiedOut() {
        assertArrayEquals(A.data(), AttentionPooling.head(A, 0, 0).data());
        assertArrayEquals(new long[] {1, 3, 3}, AttentionPooling.layer(A, 0).shape());
    }

    @Test
    void rolloutOfOneLayerIsHalfAttentionPlusHalfIdentity() {
        Tensor r = AttentionRollout.of(A);
        assertArrayEquals(new float[] {
            0.75f, 0.25f, 0f,
            0f, 1f, 0f,
            0.125f, 0.125f, 0.75f}, r.data(), 1e-6f);
    }

    @Test
    void rolloutOfTwoLayersMultipliesThem() {
        float[] two = new float[18];
        System.arraycopy(A.data(), 0, two, 0, 9);
        System.arraycopy(A.data(), 0, two, 9, 9);
        Tensor r = AttentionRollout.of(new Tensor(new long[] {2, 1, 3, 3}, two));
        // Â·Â with Â the one-layer result above; row 0: [0.75² , 0.75·0.25 + 0.25, 0].
        assertEquals(0.5625f, r.get(0, 0), 1e-6f);
        assertEquals(0.4375f, r.get(0, 1), 1e-6f);
        assertEquals(0f, r.get(0, 2), 1e-6f);
    }
}
