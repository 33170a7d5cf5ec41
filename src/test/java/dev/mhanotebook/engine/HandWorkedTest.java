package dev.mhanotebook.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The case worked out by hand in the chapter: 3 tokens, d_model 4, 2 heads of size 2, identity
 * projections and zero biases, so Q = K = V = X.
 *
 * <pre>
 * X = [[1, 0, 0, 0],    head 0 sees columns 0–1, head 1 columns 2–3 (all zero)
 *      [0, 1, 0, 0],
 *      [1, 1, 0, 0]]
 * head 0: scores = Q₀K₀ᵀ = [[1, 0, 1], [0, 1, 1], [1, 1, 2]], scaled by 1/√2
 * head 1: scores are all 0, so every row is uniform, 1/3 each, and its output is 0
 * </pre>
 */
class HandWorkedTest {
    static final float[][][] X = {{{1, 0, 0, 0}, {0, 1, 0, 0}, {1, 1, 0, 0}}};
    static final float[][] I4 = {{1, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 1, 0}, {0, 0, 0, 1}};
    static final float[] Z4 = new float[4];
    static final AttentionWeights IDENTITY = new AttentionWeights(I4, I4, I4, I4, Z4, Z4, Z4, Z4);

    static AttentionSpec spec(CausalMask causal) {
        return AttentionSpec.builder().queryLength(3).modelDim(4).heads(2).causal(causal).build();
    }

    /** softmax of a row of scaled scores, by hand. */
    static double[] softmax(double... z) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : z) {
            max = Math.max(max, v);
        }
        double sum = 0;
        double[] e = new double[z.length];
        for (int i = 0; i < z.length; i++) {
            e[i] = Math.exp(z[i] - max);
            sum += e[i];
        }
        for (int i = 0; i < z.length; i++) {
            e[i] /= sum;
        }
        return e;
    }

    @ParameterizedTest
    @EnumSource(Implementation.class)
    void matchesTheHandWorkedWeightsAndOutput(Implementation impl) {
        AttentionResult r = AttentionEngine.compute(spec(CausalMask.NONE), AttentionInputs.self(X),
                IDENTITY, impl);
        double s = 1 / Math.sqrt(2);
        double[][] head0 = {softmax(s, 0, s), softmax(0, s, s), softmax(s, s, 2 * s)};
        double[][] v = {{1, 0}, {0, 1}, {1, 1}};
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                assertEquals(head0[i][j], r.attention().get(0, 0, i, j), 1e-6, "head 0 weight " + i + "," + j);
                assertEquals(1.0 / 3, r.attention().get(0, 1, i, j), 1e-6, "head 1 weight " + i + "," + j);
            }
            // Output = concat(head0, head1)·I: columns 0–1 from head 0, 2–3 from head 1 (zero).
            for (int c = 0; c < 2; c++) {
                double expected = head0[i][0] * v[0][c] + head0[i][1] * v[1][c] + head0[i][2] * v[2][c];
                assertEquals(expected, r.output().get(0, i, c), 1e-6, "output " + i + "," + c);
                assertEquals(0.0, r.output().get(0, i, 2 + c), 1e-6);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Implementation.class)
    void causalMaskZeroesTheFutureAndRenormalises(Implementation impl) {
        AttentionResult r = AttentionEngine.compute(spec(CausalMask.TOP_LEFT), AttentionInputs.self(X),
                IDENTITY, impl);
        double s = 1 / Math.sqrt(2);
        // Row 0 sees only itself; row 1 sees keys 0 and 1 with scaled scores 0 and s.
        assertEquals(1.0, r.attention().get(0, 0, 0, 0), 1e-6);
        assertEquals(0.0, r.attention().get(0, 0, 0, 1), 0);
        assertEquals(0.0, r.attention().get(0, 0, 0, 2), 0);
        double[] row1 = softmax(0, s);
        assertEquals(row1[0], r.attention().get(0, 0, 1, 0), 1e-6);
        assertEquals(row1[1], r.attention().get(0, 0, 1, 1), 1e-6);
        assertEquals(0.5, r.attention().get(0, 1, 1, 0), 1e-6);
    }

    @ParameterizedTest
    @EnumSource(Implementation.class)
    void traceNamesEveryStepWithItsShape(Implementation impl) {
        AttentionResult r = AttentionEngine.compute(spec(CausalMask.NONE), AttentionInputs.self(X),
                IDENTITY, impl);
        var byName = new java.util.HashMap<String, TraceStep>();
        r.trace().forEach(t -> byName.put(t.name(), t));
        assertArrayEquals(new long[] {1, 3, 4}, byName.get("q").outputShape());
        assertArrayEquals(new long[] {1, 2, 3, 2}, byName.get("splitHeads").outputShape());
        assertArrayEquals(new long[] {1, 2, 3, 3}, byName.get("attention").outputShape());
        assertArrayEquals(new long[] {1, 2, 3, 2}, byName.get("headOutputs").outputShape());
        assertArrayEquals(new long[] {1, 3, 4}, byName.get("concat").outputShape());
        assertArrayEquals(new long[] {1, 3, 4}, byName.get("output").outputShape());
        // 8·L·d² + 4·L²·d for self-attention with h·d_k = d_model, plus the tiled path's second pass.
        long expected = 8L * 3 * 16 + 4L * 9 * 4 + (impl == Implementation.TILED ? 2L * 2 * 9 * 2 : 0);
        assertEquals(expected, r.cost().flops());
        assertNull(r.preview());
    }
}
