package dev.mhanotebook.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Multi-query and grouped-query attention. Fixture: B = 2, L = 5, d_model = 12, h = 6,
 * d_k = 2, inputs and weights drawn from seed 7.
 */
class GroupedQueryTest {
    static final long SEED = 7;

    static AttentionSpec spec(int kvHeads) {
        return AttentionSpec.builder().batch(2).queryLength(5).modelDim(12).heads(6)
                .kvHeads(kvHeads).seed(SEED).build();
    }

    static float[][][] x() {
        return TokenVectors.random(SEED, "x", 2, 5, 12);
    }

    @Test
    void headMappingGroupsNeighbouringHeads() {
        assertArrayEquals(new int[] {0, 0, 0, 0, 1, 1, 1, 1}, GroupedQuery.headMapping(8, 2));
        assertArrayEquals(new int[] {0, 1, 2, 3}, GroupedQuery.headMapping(4, 4));
        assertArrayEquals(new int[] {0, 0, 0}, GroupedQuery.headMapping(3, 1));
    }

    @ParameterizedTest
    @EnumSource(Implementation.class)
    void groupedQueryWithAsManyKvHeadsAsHeadsIsMultiHead(Implementation impl) {
        AttentionSpec mha = spec(6);
        AttentionWeights w = AttentionWeights.glorot(mha, SEED);
        AttentionWeights pooled = GroupedQuery.meanPool(w, 6, 6, 2);
        assertArrayEquals(w.wk()[3], pooled.wk()[3]);
        AttentionResult a = AttentionEngine.compute(mha, AttentionInputs.self(x()), w, impl);
        AttentionResult b = AttentionEngine.compute(mha, AttentionInputs.self(x()), pooled, impl);
        assertEquals(0, Compare.maxAbsDifference(a.output(), b.output()), 1e-6);
        assertEquals(0, Compare.maxAbsDifference(a.output(),
                AttentionEngine.compute(mha, AttentionInputs.self(x()), w,
                        Implementation.LOOPS).output()), 1e-5);
    }

    @ParameterizedTest
    @EnumSource(Implementation.class)
    void oneKvHeadIsMultiQueryComputedByHand(Implementation impl) {
        AttentionSpec mqa = spec(1);
        AttentionWeights w = AttentionWeights.glorot(mqa, SEED);
        AttentionResult r = AttentionEngine.compute(mqa, AttentionInputs.self(x()), w, impl);
        double[][][] expected = multiQueryByHand(x(), w, 6, 2);
        for (int b = 0; b < 2; b++) {
            for (int i = 0; i < 5; i++) {
                for (int c = 0; c < 12; c++) {
                    assertEquals(expected[b][i][c], r.output().get(b, i, c),
                            1e-5 * Math.max(1, Math.abs(expected[b][i][c])),
                            impl + " output " + b + "," + i + "," + c);
                }
            }
        }
    }

    @Test
    void groupedQueryEqualsMultiHeadWithRepeatedKeyValueWeights() {
        AttentionSpec gqa = spec(2);
        AttentionWeights w = AttentionWeights.glorot(gqa, SEED);
        AttentionResult grouped = AttentionEngine.compute(gqa, AttentionInputs.self(x()), w,
                Implementation.VECTORIZED);
        AttentionResult expanded = AttentionEngine.compute(spec(6), AttentionInputs.self(x()),
                GroupedQuery.expand(w, 6, 2, 2), Implementation.LOOPS);
        assertEquals(0, Compare.maxAbsDifference(grouped.output(), expanded.output()), 1e-5);
        assertEquals(0, Compare.maxAbsDifference(grouped.attention(), expanded.attention()), 1e-5);
    }

    @Test
    void meanPoolAveragesTheKeyColumnsOfEachGroup() {
        AttentionWeights w = AttentionWeights.glorot(spec(6), SEED);
        AttentionWeights pooled = GroupedQuery.meanPool(w, 6, 2, 2);
        assertEquals(4, pooled.wk()[0].length);
        // kv head 1, column 0 = mean of heads 3, 4, 5 column 0: columns 6, 8, 10.
        float expected = (w.wk()[5][6] + w.wk()[5][8] + w.wk()[5][10]) / 3;
        assertEquals(expected, pooled.wk()[5][2], 1e-6);
    }

    @Test
    void traceShowsTheSmallerKeysAndValues() {
        AttentionSpec gqa = spec(2);
        AttentionResult r = AttentionEngine.compute(gqa, AttentionInputs.self(x()),
                AttentionWeights.glorot(gqa, SEED), Implementation.VECTORIZED);
        TraceStep k = step(r, "k");
        TraceStep v = step(r, "v");
        TraceStep q = step(r, "q");
        assertArrayEquals(new long[] {2, 5, 4}, k.outputShape(), "K is [B, S, kvHeads·d_k]");
        assertArrayEquals(new long[] {2, 5, 4}, v.outputShape(), "V is [B, S, kvHeads·d_k]");
        assertArrayEquals(new long[] {2, 5, 12}, q.outputShape(), "Q is [B, L, h·d_k]");
    }

    static TraceStep step(AttentionResult r, String name) {
        return r.trace().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void kvCacheOfASeventyBillionParameterShapedDecoder() {
        // 80 layers, 64 query heads of 128, 8 KV heads, 4096 positions, batch 1, 2-byte numbers.
        KvCache c = new KvCache(80, 64, 8, 128, 4096, 1, 2);
        assertEquals(1_342_177_280L, c.bytes());
        assertEquals(10_737_418_240L, c.multiHeadBytes());
        assertEquals(167_772_160L, c.multiQueryBytes());
        assertEquals(327_680L, c.bytesPerToken());
    }

    /**
     * Multi-query attention (Shazeer 2019, §3) with plain loops in double: one key and one value
     * projection shared by every query head.
     */
    static double[][][] multiQueryByHand(float[][][] x, AttentionWeights w, int heads, int dk) {
        int batch = x.length;
        int len = x[0].length;
        int d = x[0][0].length;
        double[][][] out = new double[batch][len][d];
        for (int b = 0; b < batch; b++) {
            double[][] k = project(x[b], w.wk(), w.bk());                        // [L, d_k]
            double[][] v = project(x[b], w.wv(), w.bv());
            double[][] q = project(x[b], w.wq(), w.bq());                        // [L, h·d_k]
            double[][] concat = new double[len][heads * dk];
            for (int h = 0; h < heads; h++) {
                for (int i = 0; i < len; i++) {
                    double[] z = new double[len];
                    for (int j = 0; j < len; j++) {
                        for (int c = 0; c < dk; c++) {
                            z[j] += q[i][h * dk + c] * k[j][c] / Math.sqrt(dk);
                        }
                    }
                    double[] a = HandWorkedTest.softmax(z);
                    for (int j = 0; j < len; j++) {
                        for (int c = 0; c < dk; c++) {
                            concat[i][h * dk + c] += a[j] * v[j][c];
                        }
                    }
                }
            }
            for (int i = 0; i < len; i++) {
                for (int c = 0; c < d; c++) {
                    double s = w.bo()[c];
                    for (int r = 0; r < heads * dk; r++) {
                        s += concat[i][r] * w.wo()[r][c];
                    }
                    out[b][i][c] = s;
                }
            }
        }
        return out;
    }

    static double[][] project(float[][] x, float[][] w, float[] bias) {
        double[][] y = new double[x.length][w[0].length];
        for (int i = 0; i < x.length; i++) {
            for (int c = 0; c < w[0].length; c++) {
                double s = bias[c];
                for (int r = 0; r < w.length; r++) {
                    s += x[i][r] * w[r][c];
                }
                y[i][c] = s;
            }
        }
        return y;
    }
}
