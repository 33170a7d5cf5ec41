package dev.mhanotebook.engine;

import java.nio.FloatBuffer;
import java.util.Locale;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Mean-pools attention too large to send whole (see {@link AttentionPreview}). */
final class Pooling {
    private Pooling() {
    }

    /** Accumulates the pooled sums of one or more tiles, then averages. */
    static final class Accumulator {
        final AttentionSpec p;
        final int factor;
        final int rows;
        final int cols;
        final double[] sums;

        Accumulator(AttentionSpec p) {
            this.p = p;
            this.factor = AttentionPreview.factorFor(p.queryLength(), p.keyLength());
            this.rows = (p.queryLength() + factor - 1) / factor;
            this.cols = (p.keyLength() + factor - 1) / factor;
            this.sums = new double[p.batch() * p.heads() * rows * cols];
        }

        /** Adds a tile of weights laid out [B, h, i1−i0, j1−j0]. */
        void add(float[] tile, int i0, int i1, int j0, int j1) {
            int tr = i1 - i0;
            int tc = j1 - j0;
            int k = 0;
            for (int bh = 0; bh < p.batch() * p.heads(); bh++) {
                int base = bh * rows * cols;
                for (int i = 0; i < tr; i++) {
                    int row = base + ((i0 + i) / factor) * cols;
                    for (int j = 0; j < tc; j++) {
                        sums[row + (j0 + j) / factor] += tile[k++];
                    }
                }
            }
        }

        /**
         * Adds row {@code i} of head {@code bh} (batch·h + head) over all S keys: each block's
         * sum first, so no division runs per weight.
         */
        void addRow(int bh, int i, float[] row) {
            int base = bh * rows * cols + (i / factor) * cols;
            for (int c = 0, j = 0; c < cols; c++) {
                int end = Math.min(j + factor, row.length);
                double sum = 0;
                for (; j < end; j++) {
                    sum += row[j];
                }
                sums[base + c] += sum;
            }
        }

        AttentionPreview finish() {
            float[] values = new float[sums.length];
            float min = Float.POSITIVE_INFINITY;
            float max = Float.NEGATIVE_INFINITY;
            int k = 0;
            for (int bh = 0; bh < p.batch() * p.heads(); bh++) {
                for (int r = 0; r < rows; r++) {
                    int h = Math.min(factor, p.queryLength() - r * factor);
                    for (int c = 0; c < cols; c++) {
                        int w = Math.min(factor, p.keyLength() - c * factor);
                        float v = (float) (sums[k] / ((double) h * w));
                        values[k++] = v;
                        min = Math.min(min, v);
                        max = Math.max(max, v);
                    }
                }
            }
            return new AttentionPreview(rows, cols, factor, "mean", min, max,
                    new Tensor(new long[] {p.batch(), p.heads(), rows, cols}, values));
        }
    }

    /**
     * Pools the whole [B, h, L, S] weights, reading them one row at a time straight from ND4J's
     * memory: above the full-attention limit a heap copy would be megabytes per request.
     */
    static AttentionPreview fromFull(AttentionSpec p, INDArray attention) {
        Accumulator acc = new Accumulator(p);
        FloatBuffer weights = NativeOps.direct(attention);
        int len = p.queryLength();
        float[] row = new float[p.keyLength()];
        for (int bh = 0; bh < p.batch() * p.heads(); bh++) {
            for (int i = 0; i < len; i++) {
                weights.get((bh * len + i) * row.length, row);
                acc.addRow(bh, i, row);
            }
        }
        return acc.finish();
    }

    static String warning(AttentionSpec p, AttentionPreview preview) {
        return String.format(Locale.ROOT,
                "attention has %,d weights (B·h·L·S), more than the %,d sent whole: "
                        + "attentionPreview carries it mean-pooled over %d×%d blocks instead.",
                p.attentionCells(), p.fullAttentionCells(), preview.factor(), preview.factor());
    }
}
