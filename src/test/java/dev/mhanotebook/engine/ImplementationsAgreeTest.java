package dev.mhanotebook.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The vectorized and tiled paths give the loops reference's numbers, option by option. */
class ImplementationsAgreeTest {

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("self", AttentionSpec.builder().build(), false),
                Arguments.of("cross L≠S", AttentionSpec.builder().queryLength(5).keyLength(9).build(), false),
                Arguments.of("batch 3 padded", AttentionSpec.builder().batch(3).queryLength(7).build(), true),
                Arguments.of("top-left L<S", AttentionSpec.builder().queryLength(4).keyLength(7)
                        .causal(CausalMask.TOP_LEFT).build(), false),
                Arguments.of("bottom-right L<S", AttentionSpec.builder().queryLength(4).keyLength(7)
                        .causal(CausalMask.BOTTOM_RIGHT).build(), false),
                Arguments.of("bottom-right L>S", AttentionSpec.builder().queryLength(7).keyLength(4)
                        .causal(CausalMask.BOTTOM_RIGHT).build(), false),
                Arguments.of("grouped-query", AttentionSpec.builder().heads(4).kvHeads(2).modelDim(16)
                        .build(), false),
                Arguments.of("multi-query", AttentionSpec.builder().heads(4).kvHeads(1).modelDim(16)
                        .headDim(8).build(), false),
                Arguments.of("dropout training", AttentionSpec.builder().dropout(0.3).training(true)
                        .seed(7).build(), false),
                Arguments.of("tiles not dividing", AttentionSpec.builder().queryLength(11).keyLength(13)
                        .blockSize(4).causal(CausalMask.BOTTOM_RIGHT).build(), true),
                Arguments.of("one tile", AttentionSpec.builder().queryLength(5).blockSize(64).build(), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void vectorizedAndTiledEqualLoops(String name, AttentionSpec p, boolean padded) {
        float[][][] xq = TokenVectors.random(1, "q", p.batch(), p.queryLength(), p.modelDim());
        float[][][] xk = p.queryLength() == p.keyLength() ? xq
                : TokenVectors.random(1, "k", p.batch(), p.keyLength(), p.modelDim());
        boolean[][] padding = null;
        if (padded) {
            padding = new boolean[p.batch()][p.keyLength()];
            for (int b = 0; b < p.batch(); b++) {
                for (int j = p.keyLength() - b; j < p.keyLength(); j++) {
                    padding[b][j] = true;
                }
            }
        }
        AttentionInputs in = new AttentionInputs(xq, xk, xk, padding, null);
        AttentionWeights w = AttentionWeights.glorot(p, 3);
        AttentionResult ref = AttentionEngine.compute(p, in, w, Implementation.LOOPS);
        for (Implementation impl : new Implementation[] {Implementation.VECTORIZED, Implementation.TILED}) {
            AttentionResult r = AttentionEngine.compute(p, in, w, impl);
            assertClose(ref.output(), r.output(), impl + " output");
            assertClose(ref.attention(), r.attention(), impl + " attention");
        }
    }

    /** Every implementation traces the weights before dropout and, separately, after it. */
    @org.junit.jupiter.api.Test
    void dropoutIsItsOwnTraceStepInEveryImplementation() {
        AttentionSpec p = AttentionSpec.builder().dropout(0.5).training(true).seed(3).build();
        AttentionInputs in = AttentionInputs.self(TokenVectors.random(1, "q", 1, 6, 16));
        AttentionWeights w = AttentionWeights.glorot(p, 3);
        Tensor reference = null;
        for (Implementation impl : Implementation.values()) {
            AttentionResult r = AttentionEngine.compute(p, in, w, impl);
            Tensor before = step(r, "attention");
            Tensor after = step(r, "dropout");
            assertClose(after, r.attention(), impl + " response = after dropout");
            for (int n = 0; n < before.data().length; n++) {
                float expected = after.data()[n] == 0 ? 0 : before.data()[n] * 2;
                assertEquals(expected, after.data()[n], 1e-6, impl + " kept weights doubled at " + n);
            }
            double rowSum = 0;
            for (int j = 0; j < 6; j++) {
                rowSum += before.get(0, 0, 0, j);
            }
            assertEquals(1.0, rowSum, 1e-5, impl + " weights before dropout sum to 1");
            if (reference != null) {
                assertClose(reference, before, impl + " before dropout");
            }
            reference = before;
        }
    }

    static Tensor step(AttentionResult r, String name) {
        return r.trace().stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow().value();
    }

    static void assertClose(Tensor expected, Tensor actual, String what) {
        assertEquals(expected.data().length, actual.data().length, what + " size");
        for (int n = 0; n < expected.data().length; n++) {
            float e = expected.data()[n];
            float a = actual.data()[n];
            assertTrue(Math.abs(e - a) <= 1e-5 * Math.max(1, Math.abs(e)),
                    what + " at " + n + ": expected " + e + ", got " + a);
        }
    }
}
