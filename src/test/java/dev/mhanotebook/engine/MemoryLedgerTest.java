package dev.mhanotebook.engine;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The cost model's peak bytes bound the bytes the ledger sees alive at once. */
class MemoryLedgerTest {

    @ParameterizedTest(name = "L={0} d_model={1} h={2} block={3}")
    @CsvSource({"6, 16, 2, 32", "64, 32, 4, 16", "300, 64, 8, 64", "512, 64, 8, 128"})
    void costModelBoundsTheMeasuredPeak(int len, int modelDim, int heads, int blockSize) {
        AttentionSpec p = AttentionSpec.builder().queryLength(len).modelDim(modelDim).heads(heads)
                .blockSize(blockSize).fullAttentionCells(0).build();
        AttentionInputs in = AttentionInputs.self(TokenVectors.random(5, "x", 1, len, modelDim));
        AttentionWeights w = AttentionWeights.glorot(p, 5);
        for (Implementation impl : new Implementation[] {Implementation.VECTORIZED,
                Implementation.TILED}) {
            LengthSweep.Point point = LengthSweep.measure(p, impl, ComputeControl.NONE);
            assertTrue(point.measuredPeakBytes() > 0, impl + " measured nothing");
            assertTrue(point.measuredPeakBytes() <= point.estimatedPeakBytes(), impl + " measured "
                    + point.measuredPeakBytes() + " > estimated " + point.estimatedPeakBytes());
        }
    }

    @ParameterizedTest(name = "L={0}")
    @CsvSource({"512", "1024"})
    void tiledHoldsLessThanVectorizedOnLongSequences(int len) {
        AttentionSpec p = AttentionSpec.builder().queryLength(len).modelDim(64).heads(8)
                .blockSize(128).fullAttentionCells(0).build();
        long vectorized = LengthSweep.measure(p, Implementation.VECTORIZED, ComputeControl.NONE)
                .measuredPeakBytes();
        long tiled = LengthSweep.measure(p, Implementation.TILED, ComputeControl.NONE)
                .measuredPeakBytes();
        assertTrue(tiled * 4 < vectorized, "tiled " + tiled + " vectorized " + vectorized);
    }
}
