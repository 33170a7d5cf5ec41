package dev.mhanotebook.engine;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

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

    INDArray of(float[][][] x) {
        int a = x.length;
        int b = x[0].length;
        int c = x[0][0].length;
        float[] flat = new float[a * b * c];
        int p = 0;
        for (float[][] m : x) {
            for (float[] row : m) {
                System.arraycopy(row, 0, flat, p, c);
                p += c;
            }
        }
        return own(NativeOps.fromFloats(flat, a, b, c));
    }

    INDArray of(float[][] x) {
        int rows = x.length;
        int cols = x[0].length;
        float[] flat = new float[rows * cols];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(x[r], 0, flat, r * cols, cols);
        }
        return own(NativeOps.fromFloats(flat, rows, cols));
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
