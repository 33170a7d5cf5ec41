package dev.mhanotebook.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Linear attention against its quadratic form, formed explicitly here with loops in double.
 *
 * <p>Fixture: B = 2, L = S = 9, d_model = 8, h = 2, d_k = 4, identity projections and zero
 * biases, so each head's Q = K = V is its four columns of X; X drawn from seed 5.
 */
class LinearAttentionTest {
    static final int B = 2;
    static final int L = 9;
    static final int D = 8;
    static final int H = 2;
    static final int DK = 4;

    static Stream<FeatureMap> maps() {
        return Stream.of(FeatureMap.elu(), FeatureMap.favor(16, 1), FeatureMap.favor(5, 2));
    }

    static AttentionWeights identity() {
        float[][] eye = new float[D][D];
        for (int i = 0; i < D; i++) {
            eye[i][i] = 1;
        }
        return new AttentionWeights(eye, eye, eye, eye, new float[D], new float[D], new float[D],
                new float[D]);
    }

    static float[][][] x() {
        return TokenVectors.random(5, "x", B, L, D);
    }

    /** φ of each head's rows: [B, h, L, m], computed by the engine's feature map. */
    static float[][][][] features(FeatureMap phi, float[][][] x, boolean query, double scale) {
        try (Arrays4 arrays = new Arrays4()) {
            INDArray heads = arrays.of(x).reshape(B, L, H, DK).permute(0, 2, 1, 3).dup('c');
            INDArray f = phi.apply(arrays, heads, query, scale);
            int m = (int) f.size(3);
            float[] data = f.dup('c').data().asFloat();
            float[][][][] out = new float[B][H][L][m];
            int k = 0;
            for (int b = 0; b < B; b++) {
                for (int h = 0; h < H; h++) {
                    for (int i = 0; i < L; i++) {
                        for (int c = 0; c < m; c++) {
                            out[b][h][i][c] = data[k++];
                        }
                    }
                }
            }
            return out;
        }
    }

    /** A = φ(Q)φ(K)ᵀ (masked if causal), rows divided by their sums, times V; concat heads. */
    static double[][][] quadratic(FeatureMap phi, float[][][] x, boolean causal, double scale) {
        float[][][][] fq = features(phi, x, true, scale);
        float[][][][] fk = features(phi, x, false, scale);
        double[][][] out = new double[B][L][D];
        for (int b = 0; b < B; b++) {
            for (int h = 0; h < H; h++) {
                for (int i = 0; i < L; i++) {
                    double[] a = new double[L];
                    double sum = 0;
                    for (int j = 0; j < (causal ? i + 1 : L); j++) {
                        for (int c = 0; c < fq[b][h][i].length; c++) {
                            a[j] += (double) fq[b][h][i][c] * fk[b][h][j][c];
                        }
                        sum += a[j];
                    }
                    for (int j = 0; j < L; j++) {
                        for (int c = 0; c < DK; c++) {
                            out[b][i][h * DK + c] += a[j] / sum * x[b][j][h * DK + c];
                        }
                    }
                }
            }
        }
        return out;
    }

    static void assertClose(double[][][] expected, Tensor actual) {
        for (int b = 0; b < B; b++) {
            for (int i = 0; i < L; i++) {
                for (int c = 0; c < D; c++) {
                    assertEquals(expected[b][i][c], actual.get(b, i, c),
                            1e-5 * Math.max(1, Math.abs(expected[b][i][c])), b + "," + i + "," + c);
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("maps")
    void linearEqualsItsQuadraticForm(FeatureMap phi) {
        AttentionSpec p = AttentionSpec.builder().batch(B).queryLength(L).modelDim(D).heads(H)
                .build();
        LinearAttention.Result r = LinearAttention.compute(p, AttentionInputs.self(x()),
                identity(), phi, ComputeControl.NONE);
        assertClose(quadratic(phi, x(), false, p.scale()), r.output());
    }

    @ParameterizedTest
    @MethodSource("maps")
    void causalRunningSumEqualsTheMaskedQuadraticForm(FeatureMap phi) {
        AttentionSpec p = AttentionSpec.builder().batch(B).queryLength(L).modelDim(D).heads(H)
                .causal(CausalMask.TOP_LEFT).build();
        LinearAttention.Result r = LinearAttention.compute(p, AttentionInputs.self(x()),
                identity(), phi, ComputeControl.NONE);
        assertClose(quadratic(phi, x(), true, p.scale()), r.output());
        assertEquals(0, r.attention().get(1, 1, 2, 3), "no weight above the diagonal");
    }

    @Test
    void impliedWeightRowsSumToOne() {
        AttentionSpec p = AttentionSpec.builder().batch(B).queryLength(L).modelDim(D).heads(H)
                .build();
        Tensor a = LinearAttention.compute(p, AttentionInputs.self(x()), identity(),
                FeatureMap.elu(), ComputeControl.NONE).attention();
        for (int i = 0; i < L; i++) {
            double sum = 0;
            for (int j = 0; j < L; j++) {
                sum += a.get(1, 0, i, j);
            }
            assertEquals(1, sum, 1e-5);
        }
    }

    @Test
    void favorApproachesSoftmaxAsFeaturesGrow() {
        AttentionSpec p = AttentionSpec.builder().queryLength(32).modelDim(32).heads(2).seed(4)
                .build();
        AttentionInputs in = AttentionInputs.self(TokenVectors.random(4, "x", 1, 32, 32));
        AttentionWeights w = AttentionWeights.glorot(p, 4);
        Tensor exact = AttentionEngine.compute(p, in, w, Implementation.VECTORIZED).output();
        double few = 0;
        double many = 0;
        for (long seed = 0; seed < 4; seed++) {
            few += Compare.relativeError(LinearAttention.compute(p, in, w,
                    FeatureMap.favor(16, seed), ComputeControl.NONE).output(), exact);
            many += Compare.relativeError(LinearAttention.compute(p, in, w,
                    FeatureMap.favor(1024, seed), ComputeControl.NONE).output(), exact);
        }
        // The error of a Monte Carlo estimate shrinks like 1/√m: 64 times the features, about an
        // eighth of the error; ask for a third, which every seed tried so far clears easily.
        assertTrue(many < few / 3, "1024 features (" + many / 4 + ") vs 16 (" + few / 4 + ")");
    }

    @Test
    void paddedKeysGetNoWeight() {
        AttentionSpec p = AttentionSpec.builder().batch(B).queryLength(L).modelDim(D).heads(H)
                .build();
        boolean[][] padding = new boolean[B][L];
        padding[1][8] = true;
        padding[1][7] = true;
        float[][][] x = x();
        LinearAttention.Result r = LinearAttention.compute(p,
                new AttentionInputs(x, x, x, padding, null), identity(), FeatureMap.elu(),
                ComputeControl.NONE);
        assertEquals(0, r.attention().get(1, 0, 3, 8));
        assertTrue(r.attention().get(0, 0, 3, 8) > 0);
    }
}
