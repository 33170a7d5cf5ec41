package dev.mhanotebook.engine;

import java.util.Arrays;

/**
 * A dense float32 tensor copied out of the engine: its shape and its values in row-major order.
 * Masked scores are {@code -Infinity}.
 */
public record Tensor(long[] shape, float[] data) {

    public Tensor {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        if (n != data.length) {
            throw new IllegalArgumentException(
                    "shape " + Arrays.toString(shape) + " needs " + n + " values, got " + data.length);
        }
    }

    public int rank() {
        return shape.length;
    }

    /** The value at a multi-index. */
    public float get(int... index) {
        long offset = 0;
        for (int d = 0; d < shape.length; d++) {
            offset = offset * shape[d] + index[d];
        }
        return data[(int) offset];
    }

    public static Tensor of(float[][][] x) {
        int a = x.length;
        int b = x[0].length;
        int c = x[0][0].length;
        float[] data = new float[a * b * c];
        int p = 0;
        for (float[][] m : x) {
            for (float[] row : m) {
                System.arraycopy(row, 0, data, p, c);
                p += c;
            }
        }
        return new Tensor(new long[] {a, b, c}, data);
    }
}
