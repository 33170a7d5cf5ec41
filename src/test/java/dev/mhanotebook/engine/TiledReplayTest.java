package dev.mhanotebook.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The replay of the tiled algorithm: 10 queries, 7 keys, d_model 8, 2 heads. */
class TiledReplayTest {

    private static TiledReplay.Replay replay(int blockSize, CausalMask causal) {
        AttentionSpec p = AttentionSpec.builder().queryLength(10).keyLength(7).modelDim(8)
                .heads(2).blockSize(blockSize).causal(causal).build();
        AttentionInputs in = new AttentionInputs(TokenVectors.random(3, "q", 1, 10, 8),
                TokenVectors.random(3, "k", 1, 7, 8), TokenVectors.random(3, "v", 1, 7, 8),
                null, null);
        return TiledReplay.run(p, in, AttentionWeights.glorot(p, 3), ComputeControl.NONE);
    }

    @ParameterizedTest(name = "blockSize {0}")
    @ValueSource(ints = {1, 3, 4, 5, 7, 16})
    void finalOutputEqualsTheFullComputation(int blockSize) {
        TiledReplay.Replay r = replay(blockSize, CausalMask.NONE);
        assertTrue(r.maxDifference() < 1e-5, "max difference " + r.maxDifference());
        int qb = (10 + blockSize - 1) / blockSize;
        int kb = (7 + blockSize - 1) / blockSize;
        assertEquals(qb, r.queryBlocks());
        assertEquals(kb, r.keyBlocks());
        assertEquals(qb * kb, r.steps().size());
    }

    @Test
    void stepsWalkKeyBlocksInsideEachQueryBlockAndMarkTilesDone() {
        TiledReplay.Replay r = replay(4, CausalMask.NONE);
        List<TiledReplay.Step> steps = r.steps();
        assertEquals(0, steps.get(0).queryBlock());
        assertEquals(0, steps.get(0).keyBlock());
        assertEquals(1, steps.get(1).keyBlock());
        assertEquals(1, steps.get(2).queryBlock());
        assertEquals(TiledReplay.DONE, steps.get(0).tiles()[0][0]);
        assertEquals(TiledReplay.PENDING, steps.get(0).tiles()[0][1]);
        for (int[] row : steps.get(steps.size() - 1).tiles()) {
            for (int t : row) {
                assertEquals(TiledReplay.DONE, t);
            }
        }
        // State shapes: [B, h, b_q] and [B, h, b_q, d_k]; the last query block has 2 rows.
        TiledReplay.Step last = steps.get(steps.size() - 1);
        assertEquals(List.of(1L, 2L, 2L), List.of(box(last.rowMax().shape())));
        assertEquals(List.of(1L, 2L, 2L, 4L), List.of(box(last.accumulator().shape())));
    }

    @Test
    void normaliserOnlyGrowsAndTheMaximumNeverFallsWithinAQueryBlock() {
        TiledReplay.Replay r = replay(2, CausalMask.NONE);
        TiledReplay.Step previous = null;
        for (TiledReplay.Step s : r.steps()) {
            if (previous != null && previous.queryBlock() == s.queryBlock()) {
                float[] m0 = previous.rowMax().data();
                float[] m1 = s.rowMax().data();
                for (int i = 0; i < m0.length; i++) {
                    assertTrue(m1[i] >= m0[i], "row maximum fell at tile " + s.index());
                }
            }
            previous = s;
        }
    }

    @Test
    void causalMaskSkipsHiddenTilesAndStillMatches() {
        TiledReplay.Replay r = replay(3, CausalMask.BOTTOM_RIGHT);
        assertTrue(r.maxDifference() < 1e-5, "max difference " + r.maxDifference());
        TiledReplay.Step skipped = r.steps().stream().filter(TiledReplay.Step::skipped).findFirst()
                .orElseThrow();
        assertNull(skipped.accumulator());
        assertEquals(TiledReplay.SKIPPED,
                skipped.tiles()[skipped.queryBlock()][skipped.keyBlock()]);
    }

    private static Long[] box(long[] a) {
        Long[] b = new Long[a.length];
        for (int i = 0; i < a.length; i++) {
            b[i] = a[i];
        }
        return b;
    }
}
