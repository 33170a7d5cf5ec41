package dev.mhanotebook.bench;

import dev.mhanotebook.engine.ComputeControl;
import dev.mhanotebook.engine.NativeOps;
import dev.mhanotebook.model.HeadMask;
import dev.mhanotebook.model.MiniLm;
import dev.mhanotebook.model.ModelRun;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * Two MiniLM passes at once on the two cores, as two students' requests in the server: each
 * thread with ND4J's and OpenBLAS's own limit at one thread per operation, and OpenMP at
 * {@code openMp} threads on that thread (1 as the server's compute threads now set it; 2, the
 * OpenMP default on two cores, as they ran before). With 2, the softmax and erf enter parallel
 * regions whose second worker competes with the other request for a core.
 */
@State(Scope.Benchmark)
@Threads(2)
public class ConcurrentModelBenchmark {

    @Param({"1", "2"})
    public int openMp;

    @Param({"16"})
    public int tokens;

    MiniLm model;
    long[] ids;
    HeadMask none;

    /** Each benchmark thread's own OpenMP setting (OpenMP keeps it per thread). */
    @State(Scope.Thread)
    public static class Lane {
        @Setup
        public void limit(ConcurrentModelBenchmark b) {
            NativeOps.useThreads(1);
            NativeOps.openMpThreads(b.openMp);
        }
    }

    @Setup
    public void setUp() throws IOException {
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
        model = MiniLm.load(Path.of("target", "djl-cache"));
        none = HeadMask.none(model.config());
        long[] words = model.tokenize("attention ".repeat(tokens)).ids();
        ids = Arrays.copyOf(words, tokens);
        ids[tokens - 1] = words[words.length - 1];
    }

    @Benchmark
    public ModelRun nd4jWithAttention(Lane lane) {
        return model.run(ids, none, ComputeControl.NONE);
    }

    @TearDown
    public void tearDown() {
        model.close();
    }
}
