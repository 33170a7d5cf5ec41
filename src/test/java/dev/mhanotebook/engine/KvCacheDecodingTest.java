package dev.mhanotebook.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** KV-cache decoding: 9 tokens, d_model 16, every step equals its row of full causal attention. */
class KvCacheDecodingTest {

    @ParameterizedTest(name = "h={0} kvHeads={1}")
    @CsvSource({"2, 2", "4, 2", "4, 1"})
    void everyStepEqualsTheFullCausalRow(int heads, int kvHeads) {
        AttentionSpec p = AttentionSpec.builder().queryLength(9).modelDim(16).heads(heads)
                .kvHeads(kvHeads).headDim(4).build();
        float[][][] x = TokenVectors.random(11, "x", 1, 9, 16);
        KvCacheDecoding.Decoding d = KvCacheDecoding.run(p, x, AttentionWeights.glorot(p, 11),
                ComputeControl.NONE);
        assertEquals(9, d.steps().size());
        long previousBytes = 0;
        for (KvCacheDecoding.Step s : d.steps()) {
            assertTrue(s.maxDifference() < 1e-5, "step " + s.position() + ": " + s.maxDifference());
            assertEquals(s.position() + 1, s.cacheLength());
            assertEquals(2L * kvHeads * s.cacheLength() * 4 * Float.BYTES, s.cacheBytes());
            assertTrue(s.cacheBytes() > previousBytes);
            previousBytes = s.cacheBytes();
            float sum = 0;
            for (int j = 0; j < s.cacheLength(); j++) {
                sum += s.attention().get(0, j);
            }
            assertEquals(1f, sum, 1e-5f);
        }
        assertTrue(d.flopsWithCache() < d.flopsWithoutCache());
        // The first step computes exactly what recomputing one token from scratch does.
        assertEquals(d.steps().get(0).flopsWithoutCache(), d.steps().get(0).flopsWithCache());
    }
}
