package dev.mhanotebook.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The sparse path against the dense one with the same pattern as its {@code blocked} mask.
 * Fixture: B = 2, L = S = 40, d_model = 16, h = 4, inputs and weights from seed 3.
 */
class SparseAttentionTest {
    static final int L = 40;

    static AttentionSpec.Builder spec() {
        return AttentionSpec.builder().batch(2).queryLength(L).modelDim(16).heads(4).seed(3);
    }

    static void assertSparseEqualsDense(AttentionSpec p, AttentionInputs in, boolean[][] allowed) {
        AttentionWeights w = AttentionWeights.glorot(p, 3);
        SparseAttention.Result sparse = SparseAttention.compute(p, in, w, allowed,
                ComputeControl.NONE);
        AttentionResult dense = AttentionEngine.compute(p, SparseAttention.denseInputs(in, allowed),
                w, Implementation.VECTORIZED);
        assertEquals(0, Compare.maxAbsDifference(sparse.output(), dense.output()), 1e-5, "output");
        assertEquals(0, Compare.maxAbsDifference(sparse.attention(), dense.attention()), 1e-5,
                "attention");
        assertTrue(sparse.scoredPairs() <= sparse.allowedPairs());
    }

    static AttentionInputs inputs() {
        return AttentionInputs.self(TokenVectors.random(3, "x", 2, L, 16));
    }

    @Test
    void slidingWindowEqualsDenseWithTheSameMask() {
        boolean[][] allowed = new SparsePattern.SlidingWindow(3).allowed(L, L);
        assertSparseEqualsDense(spec().build(), inputs(), allowed);
    }

    @Test
    void everyPatternCombinedAndCausalEqualsDense() {
        boolean[][] allowed = SparsePattern.combine(List.of(new SparsePattern.SlidingWindow(2),
                new SparsePattern.Dilated(3, 4), new SparsePattern.Global(new int[] {0, 17}),
                new SparsePattern.RandomBlocks(5, 2, 9)), true, L, L);
        assertSparseEqualsDense(spec().build(), inputs(), allowed);
    }

    @Test
    void keyPaddingAndGroupedQueryCarryOver() {
        boolean[][] padding = new boolean[2][L];
        for (int j = 30; j < L; j++) {
            padding[1][j] = true;
        }
        AttentionInputs self = inputs();
        AttentionInputs in = new AttentionInputs(self.query(), self.key(), self.value(), padding,
                null);
        boolean[][] allowed = new SparsePattern.Dilated(2, 3).allowed(L, L);
        assertSparseEqualsDense(spec().kvHeads(2).build(), in, allowed);
    }

    @Test
    void rowsThatSeeNothingGiveZerosLikeTheDensePath() {
        boolean[][] allowed = new SparsePattern.Global(new int[] {39}).allowed(L, L);
        boolean[][] none = new boolean[L][L];
        for (int i = 0; i < 8; i++) {
            none[i] = new boolean[L];
        }
        for (int i = 8; i < L; i++) {
            none[i] = allowed[i];
        }
        assertSparseEqualsDense(spec().causal(CausalMask.TOP_LEFT).build(), inputs(), none);
    }

    @Test
    void aNarrowWindowScoresFarFewerPairsThanDense() {
        AttentionSpec p = spec().build();
        SparseAttention.Result r = SparseAttention.compute(p, inputs(),
                AttentionWeights.glorot(p, 3), new SparsePattern.SlidingWindow(2).allowed(L, L),
                ComputeControl.NONE);
        assertEquals(L * L, r.densePairs());
        assertEquals(5L * L - 6, r.allowedPairs());
        assertEquals(r.allowedPairs(), r.scoredPairs(), "exactly the allowed pairs are scored");
    }
}
