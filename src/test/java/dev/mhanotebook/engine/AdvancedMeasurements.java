package dev.mhanotebook.engine;

import java.util.Arrays;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Prints the tables of docs/advanced-measurements.md as Markdown rows. Not a test: run with
 * {@code ./mvnw -B -q test -Dtest=AdvancedMeasurements -Dmeasure=true}. Each cell is the median
 * of {@code measure.repeats} runs (3 by default), with one native thread per operation as the
 * server runs ({@code mha.compute.native-threads}; {@code -Dmeasure.threads} to change it).
 */
@EnabledIfSystemProperty(named = "measure", matches = "true")
class AdvancedMeasurements {
    private static final long BUDGET_BYTES = 512L * 1024 * 1024;
    private static final int REPEATS = Integer.getInteger("measure.repeats", 3);

    @BeforeAll
    static void threads() {
        int threads = Integer.getInteger("measure.threads", 1);
        NativeOps.useThreads(threads);
    }

    private static AttentionSpec spec(int len, int blockSize) {
        return AttentionSpec.builder().queryLength(len).modelDim(64).heads(8).blockSize(blockSize)
                .fullAttentionCells(0).build();
    }

    private static LengthSweep.Point median(AttentionSpec p, Implementation impl) {
        LengthSweep.Point[] points = new LengthSweep.Point[REPEATS];
        for (int r = 0; r < REPEATS; r++) {
            points[r] = LengthSweep.measure(p, impl, ComputeControl.NONE);
        }
        Arrays.sort(points, (a, b) -> Double.compare(a.forwardMillis(), b.forwardMillis()));
        return points[REPEATS / 2];
    }

    @Test
    void blockSizes() {
        int len = Integer.getInteger("measure.blockLength", 4096);
        System.out.println("| block size | forward ms | measured peak | estimated peak |");
        for (int bs : new int[] {32, 64, 128, 256, 512, 1024}) {
            LengthSweep.Point t = median(spec(len, bs), Implementation.TILED);
            System.out.printf(Locale.ROOT, "| %d | %.0f | %s | %s |%n", bs, t.forwardMillis(),
                    mib(t.measuredPeakBytes()), mib(t.estimatedPeakBytes()));
        }
    }

    @Test
    void lengths() {
        int max = Integer.getInteger("measure.maxLength", 8192);
        System.out.println("| L | path | block | forward ms | measured peak | estimated peak |");
        for (int len = 256; len <= max; len *= 2) {
            for (Implementation impl : new Implementation[] {Implementation.VECTORIZED,
                    Implementation.TILED}) {
                AttentionSpec p = spec(len, LengthSweep.blockSizeFor(len));
                long estimate = CostModel.peakBytes(p, impl);
                if (estimate > BUDGET_BYTES) {
                    System.out.printf(Locale.ROOT, "| %d | %s | – | refused | – | %s |%n", len,
                            impl, mib(estimate));
                    continue;
                }
                LengthSweep.Point t = median(p, impl);
                System.out.printf(Locale.ROOT, "| %d | %s | %s | %.0f | %s | %s |%n", len, impl,
                        impl == Implementation.TILED ? String.valueOf(p.blockSize()) : "–",
                        t.forwardMillis(), mib(t.measuredPeakBytes()), mib(t.estimatedPeakBytes()));
            }
        }
    }

    @Test
    void checkpointingAndKvCache() {
        AttentionStack.StackSpec s = new AttentionStack.StackSpec(16, 128, 64, 4, 0);
        AttentionStack.compare(s, 1, ComputeControl.NONE);
        AttentionStack.Comparison c = AttentionStack.compare(s, 1, ComputeControl.NONE);
        for (AttentionStack.Report r : new AttentionStack.Report[] {c.plain(), c.checkpointed()}) {
            System.out.printf(Locale.ROOT, "| %s | %d | %s | %d | %.0f |%n",
                    r.checkpointing() ? "checkpointed" : "plain", r.segment(),
                    mib(r.activationBytesKept()), r.recomputedLayers(), r.elapsedNanos() / 1e6);
        }
        System.out.printf(Locale.ROOT, "max gradient difference %.2e%n", c.maxGradientDifference());

        for (int len : new int[] {16, 64}) {
            AttentionSpec p = AttentionSpec.builder().queryLength(len).modelDim(64).heads(4)
                    .build();
            KvCacheDecoding.Decoding d = KvCacheDecoding.run(p,
                    TokenVectors.random(1, "x", 1, len, 64), AttentionWeights.glorot(p, 1),
                    ComputeControl.NONE);
            double worst = d.steps().stream().mapToDouble(KvCacheDecoding.Step::maxDifference)
                    .max().orElse(0);
            System.out.printf(Locale.ROOT, "| %d | %d | %d | %.1f%% | %.1e |%n", len,
                    d.flopsWithCache(), d.flopsWithoutCache(),
                    100.0 * (1 - (double) d.flopsWithCache() / d.flopsWithoutCache()), worst);
        }
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.2f MiB", bytes / 1048576.0);
    }
}
