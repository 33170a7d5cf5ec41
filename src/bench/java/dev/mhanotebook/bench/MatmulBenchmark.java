package dev.mhanotebook.bench;

import dev.mhanotebook.engine.NativeOps;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * ND4J's own float32 matrix multiply, n × n by n × n into a preallocated result: the practical
 * limit of this machine for dense arithmetic (2·n³ FLOPs per call).
 */
@State(Scope.Benchmark)
public class MatmulBenchmark {

    @Param({"1024", "2048"})
    public int n;

    @Param({"1", "2"})
    public int nativeThreads;

    INDArray a;
    INDArray b;
    INDArray c;

    @Setup
    public void setUp() {
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
        NativeOps.useThreads(nativeThreads);
        Nd4j.getRandom().setSeed(1);
        a = Nd4j.rand(DataType.FLOAT, n, n);
        b = Nd4j.rand(DataType.FLOAT, n, n);
        c = Nd4j.create(DataType.FLOAT, new long[] {n, n}, 'f');
    }

    @Benchmark
    public INDArray multiply() {
        return Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
    }

    @TearDown
    public void tearDown() {
        a.close();
        b.close();
        c.close();
    }
}
