package dev.mhanotebook.model;

import dev.mhanotebook.engine.AttentionPreview;
import dev.mhanotebook.engine.Tensor;
import java.util.Locale;

/**
 * The model's attention [layers, h, L, L] pooled into the engine's {@link AttentionPreview} form
 * when it is too large to send whole: each cell is the mean of a {@code factor × factor} block (a
 * partial block at the edge is averaged over the cells it has).
 */
public final class AttentionPooling {
    private AttentionPooling() {
    }

    /** The smallest factor that brings layers·h·⌈L/f⌉² to at most {@code maxCells}. */
    public static int factorFor(int maps, int len, long maxCells) {
        int f = 1;
        while ((long) maps * ceil(len, f) * ceil(len, f) > maxCells && f < len) {
            f++;
        }
        return f;
    }

    /** Mean-pools [layers, h, L, L] by {@code factor}; the values are [layers, h, r, r]. */
    public static AttentionPreview pool(Tensor attention, int factor) {
        long[] s = attention.shape();
        int maps = (int) (s[0] * s[1]);
        int len = (int) s[2];
        int side = ceil(len, factor);
        double[] sums = new double[maps * side * side];
        float[] a = attention.data();
        int k = 0;
        for (int m = 0; m < maps; m++) {
            int base = m * side * side;
            for (int i = 0; i < len; i++) {
                int row = base + (i / factor) * side;
                for (int j = 0; j < len; j++) {
                    sums[row + j / factor] += a[k++];
                }
            }
        }
        float[] values = new float[sums.length];
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        k = 0;
        for (int m = 0; m < maps; m++) {
            for (int r = 0; r < side; r++) {
                int h = Math.min(factor, len - r * factor);
                for (int c = 0; c < side; c++) {
                    int w = Math.min(factor, len - c * factor);
                    float v = (float) (sums[k] / ((double) h * w));
                    values[k++] = v;
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
        }
        return new AttentionPreview(side, side, factor, "mean", min, max,
                new Tensor(new long[] {s[0], s[1], side, side}, values));
    }

    /** What the reader should know when attention comes pooled. */
    public static String warning(Tensor attention, long maxCells, int factor) {
        return String.format(Locale.ROOT,
                "attention has %,d weights (layers·h·L·L), more than the %,d sent whole: "
                        + "attentionPreview carries it mean-pooled over %d×%d blocks instead; "
                        + "ask for one layer or head to get it in full.",
                attention.data().length, maxCells, factor, factor);
    }

    /** One layer [h, L, L] of [layers, h, L, L], copied. */
    public static Tensor layer(Tensor attention, int layer) {
        long[] s = attention.shape();
        int n = (int) (s[1] * s[2] * s[3]);
        float[] out = new float[n];
        System.arraycopy(attention.data(), layer * n, out, 0, n);
        return new Tensor(new long[] {s[1], s[2], s[3]}, out);
    }

    /** One head [L, L] of [layers, h, L, L], copied. */
    public static Tensor head(Tensor attention, int layer, int head) {
        long[] s = attention.shape();
        int n = (int) (s[2] * s[3]);
        float[] out = new float[n];
        System.arraycopy(attention.data(), (int) ((layer * s[1] + head) * n), out, 0, n);
        return new Tensor(new long[] {s[2], s[3]}, out);
    }

    private static int ceil(int a, int b) {
        return (a + b - 1) / b;
    }
}
