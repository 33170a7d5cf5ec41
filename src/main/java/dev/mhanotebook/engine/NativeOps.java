package dev.mhanotebook.engine;

import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * The few ND4J calls on the hot paths, in their fastest form on this stack (measured in
 * docs/benchmarks.md): at the sizes of the tutorial and of MiniLM, ND4J's Java-side overhead
 * per call, not the arithmetic, sets the time.
 *
 * <ul>
 *   <li>{@code INDArray.mmul} allocates its result in column order and copies it: a product
 *       into a result allocated here, with {@code Nd4j.gemm}, took half the time at 128 rows.
 *   <li>{@code Nd4j.matmul} without a result first asks the native side for the output shape.
 *   <li>{@code DataBuffer.asFloat()} and {@code Nd4j.create(float[])} copy one element at a
 *       time; a bulk copy through the buffer's {@link java.nio.ByteBuffer} is a memcpy.
 *   <li>ND4J's fused softmax is one pass instead of five (max, subtract, exp, sum, divide).
 * </ul>
 *
 * Nothing here writes into its inputs except {@link #softmaxRowsInPlace}.
 */
public final class NativeOps {
    private NativeOps() {
    }

    /**
     * Sets how many threads one native operation may use, in every pool ND4J has: its own
     * (maximum and master threads), OpenBLAS's, and the OpenMP runtime's. The last matters most
     * on a busy machine: with ND4J's own limit at 1 but OpenMP left at its default (one thread
     * per core), softmax and the larger element-wise operations still entered OpenMP parallel
     * regions, and with both cores oversubscribed each such region waited for a descheduled
     * worker: a 16-token MiniLM pass measured 101 ms against 17 ms with OpenMP at 1, most of it
     * in the softmax (docs/benchmarks.md).
     *
     * <p>OpenMP keeps its thread count per calling thread, so every thread that computes must
     * call this before its first computation (the server's compute and job pools do it as each
     * thread starts); a call on one thread does not limit another.
     */
    public static void useThreads(int threads) {
        Nd4j.getEnvironment().setMaxThreads(threads);
        Nd4j.getEnvironment().setMaxMasterThreads(threads);
        Nd4j.factory().blas().setMaxThreads(threads);
        NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(threads);
    }

    /**
     * Sets the OpenMP thread count of the calling thread alone, leaving ND4J's and OpenBLAS's
     * limits as they are: for measuring what {@link #useThreads} changes.
     */
    public static void openMpThreads(int threads) {
        Nd4j.getEnvironment();
        NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(threads);
    }

    /** The OpenMP thread count a native operation started on the calling thread would use. */
    public static int openMpThreads() {
        Nd4j.getEnvironment();
        return NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads();
    }

    /**
     * A thread that runs {@code task} after {@link #useThreads}({@code threads}): for the thread
     * factories of pools that compute.
     */
    public static Thread computeThread(Runnable task, String name, int threads) {
        Thread t = new Thread(() -> {
            useThreads(threads);
            task.run();
        }, name);
        t.setDaemon(true);
        return t;
    }

    /** a·b for 2-D {@code a} [m, k] and {@code b} [k, n], into a new row-major [m, n]. */
    public static INDArray times(INDArray a, INDArray b) {
        long[] shape = {a.size(0), b.size(1)};
        INDArray c = Nd4j.createUninitialized(DataType.FLOAT, shape, 'c');
        return Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
    }

    /**
     * The batched product over the leading dimensions of two rank-4 arrays, optionally with the
     * second transposed: [B, h, m, k] x [B, h, k, n] (or [B, h, n, k]ᵀ) -> [B, h, m, n].
     */
    public static INDArray batchedTimes(INDArray a, INDArray b, boolean transposeB) {
        long n = transposeB ? b.size(2) : b.size(3);
        INDArray c = Nd4j.createUninitialized(DataType.FLOAT,
                new long[] {a.size(0), a.size(1), a.size(2), n}, 'c');
        return Nd4j.matmul(a, b, c, false, transposeB, false);
    }

    /**
     * Softmax over the last dimension, in place. Rows must have a finite maximum: a row of
     * only −∞ gives NaN here, so callers with fully masked rows use the step-by-step form.
     */
    public static INDArray softmaxRowsInPlace(INDArray x) {
        Nd4j.exec(new SoftMax(x, x, x.rank() - 1));
        return x;
    }

    /** A row-major copy of {@code a} on the Java heap. */
    public static float[] floats(INDArray a) {
        INDArray c = contiguous(a) ? a : a.dup('c');
        float[] out = new float[Math.toIntExact(c.length())];
        buffer(c).get(out);
        if (c != a) {
            c.close();
        }
        return out;
    }

    /** A new row-major float32 array holding {@code flat}, with the given shape. */
    public static INDArray fromFloats(float[] flat, long... shape) {
        INDArray a = Nd4j.createUninitialized(DataType.FLOAT, shape, 'c');
        if (a.length() != flat.length) {
            throw new IllegalArgumentException("shape " + java.util.Arrays.toString(shape)
                    + " holds " + a.length() + " values, not " + flat.length);
        }
        buffer(a).put(flat);
        return a;
    }

    /**
     * The elements of {@code a}, a row-major float32 array that owns its whole buffer, as a
     * {@link FloatBuffer} over ND4J's off-heap memory: reads and writes go straight to the
     * array, with no copy. For Java loops that do in one pass what would take several native
     * operations.
     */
    public static FloatBuffer direct(INDArray a) {
        if (!contiguous(a)) {
            throw new IllegalArgumentException("needs a row-major float32 array that owns its "
                    + "buffer (got " + a.dataType() + ", order " + a.ordering() + ", offset "
                    + a.offset() + ", shape " + java.util.Arrays.toString(a.shape()) + ")");
        }
        return buffer(a);
    }

    /**
     * As {@link #direct}, for a column-major float32 array that owns its whole buffer: element
     * (i, j) of an [m, n] matrix is at {@code j·m + i}.
     */
    public static FloatBuffer directColumns(INDArray a) {
        if (a.dataType() != DataType.FLOAT || a.ordering() != 'f' || a.offset() != 0
                || a.data().length() != a.length() || !denseStrides(a.shape(), a.stride(), 'f')) {
            throw new IllegalArgumentException("needs a column-major float32 array that owns its "
                    + "buffer (got " + a.dataType() + ", order " + a.ordering() + ", shape "
                    + java.util.Arrays.toString(a.shape()) + ")");
        }
        return buffer(a);
    }

    /** a·b for 2-D {@code a} and {@code b} into a new column-major [m, n]. */
    public static INDArray timesIntoColumns(INDArray a, INDArray b) {
        long[] shape = {a.size(0), b.size(1)};
        INDArray c = Nd4j.createUninitialized(DataType.FLOAT, shape, 'f');
        return Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
    }

    private static boolean contiguous(INDArray a) {
        return a.dataType() == DataType.FLOAT && a.ordering() == 'c' && a.offset() == 0
                && a.data().length() == a.length() && denseStrides(a.shape(), a.stride(), 'c');
    }

    /**
     * Whether each dimension's stride is the product of the sizes after it (row-major,
     * {@code order} 'c') or before it ('f'). A dimension of size 1 may have any stride: ND4J's
     * own check ({@code Shape.hasDefaultStridesForShape}) rejects a freshly created
     * [3, 1, 12, 16, 32] for it.
     */
    private static boolean denseStrides(long[] shape, long[] stride, char order) {
        long expected = 1;
        for (int k = 0; k < shape.length; k++) {
            int i = order == 'c' ? shape.length - 1 - k : k;
            if (shape[i] != 1 && stride[i] != expected) {
                return false;
            }
            expected *= shape[i];
        }
        return true;
    }

    private static FloatBuffer buffer(INDArray a) {
        return a.data().asNio().order(ByteOrder.nativeOrder()).asFloatBuffer();
    }
}
