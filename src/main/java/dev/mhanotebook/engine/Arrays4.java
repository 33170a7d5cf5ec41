package dev.mhanotebook.engine;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Moving tensors between Java arrays and ND4J, and releasing ND4J's off-heap memory as soon as
 * a computation is done rather than when the garbage collector gets to it.
 */
final class Arrays4 implements AutoCloseable {
    private final List<INDArray> owned = new ArrayList<>();
    private long heldBytes;

    /**
     * Registers an array this computation created, to be closed at the end; its bytes count in
     * the thread's {@link MemoryLedger} until then.
     */
    INDArray own(INDArray a) {
        owned.add(a);
        if (!a.isView()) {
            heldBytes += MemoryLedger.hold(a.length() * a.dataType().width());
        }
        return a;
    }

    /** [a, b, c] from Java rows, written row by row into ND4J's memory (no heap copy). */
    INDArray of(float[][][] x) {
        int b = x[0].length;
        int c = x[0][0].length;
        INDArray out = own(empty(x.length, b, c));
        FloatBuffer to = NativeOps.direct(out);
        int p = 0;
        for (float[][] m : x) {
            for (float[] row : m) {
                to.put(p, row, 0, c);
                p += c;
            }
        }
        return out;
    }

    /** [rows, cols] from Java rows, written row by row into ND4J's memory (no heap copy). */
    INDArray of(float[][] x) {
        int cols = x[0].length;
        INDArray out = own(empty(x.length, cols));
        FloatBuffer to = NativeOps.direct(out);
        for (int r = 0; r < x.length; r++) {
            to.put(r * cols, x[r], 0, cols);
        }
        return out;
    }

    /** A new row-major float32 array of {@code shape}, to be filled before it is read. */
    static INDArray empty(long... shape) {
        return Nd4j.createUninitialized(DataType.FLOAT, shape, 'c');
    }

    INDArray of(float[] x) {
        return own(NativeOps.fromFloats(x, x.length));
    }

    INDArray of(float[] flat, long... shape) {
        return own(NativeOps.fromFloats(flat, shape));
    }

    /** A copy of {@code a} as a Java tensor in row-major order, with the given shape. */
    static Tensor tensor(INDArray a, long... shape) {
        return new Tensor(shape.length > 0 ? shape : a.shape(), NativeOps.floats(a));
    }

    @Override
    public void close() {
        for (INDArray a : owned) {
            if (a.closeable()) {
                a.close();
            }
        }
        owned.clear();
        MemoryLedger.release(heldBytes);
        heldBytes = 0;
    }
}
