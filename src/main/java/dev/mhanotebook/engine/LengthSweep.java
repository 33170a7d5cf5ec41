package dev.mhanotebook.engine;

/**
 * Measures one forward pass at one sequence length for the chapter's plot of peak bytes and time
 * against length: self-attention on seeded inputs, the peak taken from the {@link MemoryLedger}
 * and set beside the {@link CostModel}'s estimate. The tiled path skips the second pass that
 * recovers the weights for display, so both paths are timed on the forward pass alone.
 */
public final class LengthSweep {
    private LengthSweep() {
    }

    /**
     * @param implementation     the path measured
     * @param length             L = S
     * @param blockSize          the tile size used (tiled path)
     * @param flops              FLOPs by the cost model
     * @param estimatedPeakBytes the cost model's bound
     * @param measuredPeakBytes  the ledger's peak of arrays alive at once
     * @param forwardMillis      measured time of the forward pass
     */
    public record Point(Implementation implementation, int length, int blockSize, long flops,
            long estimatedPeakBytes, long measuredPeakBytes, double forwardMillis) {
    }

    /**
     * The tile size for a sequence length: 32 up to 256 positions, the size the chapters step
     * through; 256 up to 2,048; 512 beyond. Small tiles teach well but cost one native call per
     * few hundred numbers; long sequences want tiles large enough that the matrix products
     * dominate, and small enough that three [B, h, b, b] tiles stay a few MiB (measurements in
     * docs/advanced-measurements.md).
     */
    public static int blockSizeFor(int length) {
        if (length <= 256) {
            return 32;
        }
        if (length <= 2048) {
            return 256;
        }
        return 512;
    }

    public static Point measure(AttentionSpec p, Implementation impl, ComputeControl control) {
        AttentionInputs in = AttentionInputs.self(TokenVectors.random(p.seed(), "sweep", p.batch(),
                p.queryLength(), p.modelDim()));
        AttentionWeights w = AttentionWeights.glorot(p, p.seed());
        MemoryLedger.Measured<AttentionResult> r = MemoryLedger.measure(() -> switch (impl) {
            case TILED -> TiledAttention.compute(p, in, w, control, null, false);
            default -> AttentionEngine.compute(p, in, w, impl, control);
        });
        Cost cost = r.value().cost();
        // The forward pass's matrix products are the same on both paths.
        long flops = CostModel.flops(p, Implementation.VECTORIZED);
        return new Point(impl, p.queryLength(), p.blockSize(), flops, cost.peakBytes(),
                r.peakBytes(), cost.elapsedNanos() / 1e6);
    }
}
