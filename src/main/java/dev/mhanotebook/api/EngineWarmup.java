package dev.mhanotebook.api;

import dev.mhanotebook.engine.AttentionEngine;
import dev.mhanotebook.engine.AttentionInputs;
import dev.mhanotebook.engine.AttentionSpec;
import dev.mhanotebook.engine.AttentionWeights;
import dev.mhanotebook.engine.Implementation;
import dev.mhanotebook.engine.NativeOps;
import dev.mhanotebook.engine.TokenVectors;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Loads ND4J's native backend and runs each implementation once at start-up, before the server
 * reports ready, so that the first reader does not wait for native initialisation.
 */
public class EngineWarmup {

    void onStart(@Observes StartupEvent event, ComputeGate gate) {
        long start = System.nanoTime();
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
        int threads = gate.nativeThreads();
        NativeOps.useThreads(threads);
        AttentionSpec spec = AttentionSpec.builder().queryLength(8).modelDim(32).heads(4).build();
        AttentionInputs in = AttentionInputs.self(TokenVectors.random(1, "warmup", 1, 8, 32));
        AttentionWeights w = AttentionWeights.glorot(spec, 1);
        for (Implementation impl : Implementation.values()) {
            AttentionEngine.compute(spec, in, w, impl);
        }
        Log.infof("ND4J %s backend ready with %d OpenMP threads; engine warmed up in %.0f ms",
                Nd4j.getBackend().getClass().getSimpleName(),
                NativeOps.openMpThreads(), (System.nanoTime() - start) / 1e6);
    }
}
