package dev.mhanotebook.bench;

import dev.mhanotebook.engine.AttentionEngine;
import dev.mhanotebook.engine.AttentionInputs;
import dev.mhanotebook.engine.AttentionResult;
import dev.mhanotebook.engine.AttentionSpec;
import dev.mhanotebook.engine.AttentionWeights;
import dev.mhanotebook.engine.Implementation;
import dev.mhanotebook.engine.NativeOps;
import dev.mhanotebook.engine.TokenVectors;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The engine's forward pass at the sizes of issue 9: tutorial (L 8, d_model 32, h 4), middle
 * (128, 256, 8), large (512, 512, 8) and long (4,096, 512, 8, tiled only: the vectorized path's
 * [B, h, L, S] tensors would need 1.6 GB). Self-attention, batch 1, no mask. Each runs with 1 and
 * 2 OpenMP/BLAS threads per native operation.
 */
@State(Scope.Benchmark)
public class EngineBenchmark {

    @Param({"tutorial-vectorized", "tutorial-loops", "tutorial-tiled",
            "middle-vectorized", "middle-loops", "middle-tiled",
            "large-vectorized", "large-loops", "large-tiled",
            "long-tiled"})
    public String scenario;

    /** OpenMP/BLAS threads per native operation: the server's default is 1. */
    @Param({"1", "2"})
    public int nativeThreads;

    AttentionSpec spec;
    AttentionInputs inputs;
    AttentionWeights weights;
    Implementation implementation;

    /** [L, d_model, h, blockSize] of each size. */
    static int[] size(String name) {
        return switch (name) {
            case "tutorial" -> new int[] {8, 32, 4, 32};
            case "middle" -> new int[] {128, 256, 8, 64};
            case "large" -> new int[] {512, 512, 8, 128};
            case "long" -> new int[] {4096, 512, 8, 256};
            default -> throw new IllegalArgumentException(name);
        };
    }

    @Setup
    public void setUp() {
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
        NativeOps.useThreads(nativeThreads);
        String[] parts = scenario.split("-");
        int[] s = size(parts[0]);
        implementation = Implementation.valueOf(parts[1].toUpperCase());
        spec = AttentionSpec.builder().queryLength(s[0]).modelDim(s[1]).heads(s[2]).blockSize(s[3])
                .build();
        inputs = AttentionInputs.self(TokenVectors.random(1, "bench", 1, s[0], s[1]));
        weights = AttentionWeights.glorot(spec, 1);
    }

    @Benchmark
    public AttentionResult forward() {
        return AttentionEngine.compute(spec, inputs, weights, implementation);
    }

    /** 8·L·d² + 4·L²·d for self-attention with h·d_k = d_model. */
    static double flops(String scenario) {
        int[] s = size(scenario.split("-")[0]);
        double l = s[0];
        double d = s[1];
        return 8 * l * d * d + 4 * l * l * d;
    }
}
