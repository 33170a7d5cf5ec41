package dev.mhanotebook.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Mass inside a pattern on a hand-made [1, 2, 2, 2] attention tensor. */
class AttentionMassTest {

    @Test
    void diagonalPatternKeepsTheDiagonalWeight() {
        // Head 0: rows [0.9, 0.1] and [0.3, 0.7]; head 1: uniform.
        Tensor a = new Tensor(new long[] {1, 2, 2, 2},
                new float[] {0.9f, 0.1f, 0.3f, 0.7f, 0.5f, 0.5f, 0.5f, 0.5f});
        double[][] m = AttentionMass.inside(a, new SparsePattern.SlidingWindow(0).allowed(2, 2));
        assertEquals((0.9 + 0.7) / 2, m[0][0], 1e-6);
        assertEquals(0.5, m[0][1], 1e-6);
        assertEquals(1, AttentionMass.inside(a,
                new SparsePattern.SlidingWindow(1).allowed(2, 2))[0][0], 1e-6);
    }
}
