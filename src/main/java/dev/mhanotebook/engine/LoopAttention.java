package dev.mhanotebook.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * The reference: multi-head attention as plain loops in double precision, one head, one query
 * and one key at a time, written to be read beside the chapter. It is slow on purpose and only
 * runs on small inputs.
 */
final class LoopAttention {
    private LoopAttention() {
    }

    static AttentionResult compute(AttentionSpec p, AttentionInputs in, AttentionWeights w,
            ComputeControl control) {
        long start = System.nanoTime();
        int batch = p.batch();
        int len = p.queryLength();
        int keyLen = p.keyLength();
        int dModel = p.modelDim();
        int heads = p.heads();
        int dk = p.headDim();
        List<TraceStep> trace = new ArrayList<>();
        List<String> warnings = Masks.blindRowWarnings(p, in);

        // 1) Project: Q = X·W^Q + b^Q, K and V likewise from the key/value inputs.
        double[][][] q = project(in.query(), w.wq(), w.bq());                   // [B, L, h·d_k]
        double[][][] k = project(in.key(), w.wk(), w.bk());                     // [B, S, g·d_k]
        double[][][] v = project(in.value(), w.wv(), w.bv());
        trace.add(Steps.q(p, capture(p, q)));
        trace.add(Steps.kv(p, "k", capture(p, k)));
        trace.add(Steps.kv(p, "v", capture(p, v)));

        // 2) Split heads: head i of Q is columns i·d_k … (i+1)·d_k − 1; no data moves here, the
        // loops below index those columns directly.
        trace.add(Steps.splitHeads(p, capture(p, splitHeads(q, heads, dk))));

        double[][][][] scores = new double[batch][heads][len][keyLen];
        double[][][][] scaled = new double[batch][heads][len][keyLen];
        double[][][][] masked = new double[batch][heads][len][keyLen];
        double[][][][] attention = new double[batch][heads][len][keyLen];
        // The weights after dropout: the same array as attention unless dropout applies.
        double[][][][] dropped = p.dropoutActive() ? new double[batch][heads][len][keyLen] : attention;
        double[][][][] headOut = new double[batch][heads][len][dk];
        for (int b = 0; b < batch; b++) {
            for (int h = 0; h < heads; h++) {
                int qc = h * dk;                    // first column of query head h
                int kc = p.kvHeadOf(h) * dk;        // first column of the key/value head it reads
                for (int i = 0; i < len; i++) {
                    // 3) to 5) Score query i against every key, scale, mask.
                    double rowMax = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < keyLen; j++) {
                        double dot = 0;
                        for (int c = 0; c < dk; c++) {
                            dot += q[b][i][qc + c] * k[b][j][kc + c];
                        }
                        scores[b][h][i][j] = dot;
                        scaled[b][h][i][j] = dot * p.scale();
                        masked[b][h][i][j] = in.blocks(p, b, i, j)
                                ? Double.NEGATIVE_INFINITY : scaled[b][h][i][j];
                        rowMax = Math.max(rowMax, masked[b][h][i][j]);
                    }

                    // 6) Softmax with the row maximum subtracted; a row that sees nothing stays 0.
                    double sum = 0;
                    if (rowMax != Double.NEGATIVE_INFINITY) {
                        for (int j = 0; j < keyLen; j++) {
                            attention[b][h][i][j] = Math.exp(masked[b][h][i][j] - rowMax);
                            sum += attention[b][h][i][j];
                        }
                        for (int j = 0; j < keyLen; j++) {
                            attention[b][h][i][j] /= sum;
                        }
                    }

                    // 7) Inverted dropout, decided per weight by the counter-based hash.
                    if (p.dropoutActive()) {
                        for (int j = 0; j < keyLen; j++) {
                            dropped[b][h][i][j] = DropoutMask.keeps(p, b, h, i, j)
                                    ? attention[b][h][i][j] / (1 - p.dropout()) : 0;
                        }
                    }

                    // 8) Weight the values.
                    for (int c = 0; c < dk; c++) {
                        double acc = 0;
                        for (int j = 0; j < keyLen; j++) {
                            acc += dropped[b][h][i][j] * v[b][j][kc + c];
                        }
                        headOut[b][h][i][c] = acc;
                    }
                }
            }
            control.checkpoint((b + 1.0) / batch * 0.9);
        }
        trace.add(Steps.scores(p, capture(p, scores)));
        trace.add(Steps.scaled(p, capture(p, scaled)));
        trace.add(Steps.masked(p, in.masked(p), capture(p, masked)));
        trace.add(Steps.attention(p, capture(p, attention)));
        if (p.dropoutActive()) {
            trace.add(Steps.dropout(p, capture(p, dropped)));
        }
        trace.add(Steps.headOutputs(p, capture(p, headOut)));

        // 9) Concat: head h of query i goes to columns h·d_k … (h+1)·d_k − 1 of row i.
        double[][][] concat = new double[batch][len][heads * dk];
        for (int b = 0; b < batch; b++) {
            for (int h = 0; h < heads; h++) {
                for (int i = 0; i < len; i++) {
                    System.arraycopy(headOut[b][h][i], 0, concat[b][i], h * dk, dk);
                }
            }
        }
        trace.add(Steps.concat(p, capture(p, concat)));

        // 10) Output projection.
        double[][][] y = project(concat, w.wo(), w.bo());
        trace.add(Steps.output(p, capture(p, y)));
        control.checkpoint(1.0);

        Tensor output = toTensor(y);
        Tensor att = null;
        AttentionPreview preview = null;
        Tensor full = toTensor(dropped);
        if (p.returnsFullAttention()) {
            att = full;
        } else {
            Pooling.Accumulator acc = new Pooling.Accumulator(p);
            acc.add(full.data(), 0, len, 0, keyLen);
            preview = acc.finish();
            warnings.add(Pooling.warning(p, preview));
        }
        Cost cost = new Cost(CostModel.flops(p, Implementation.LOOPS),
                VectorizedAttention.elementOps(trace), CostModel.peakBytes(p, Implementation.LOOPS),
                System.nanoTime() - start);
        return new AttentionResult(output, att, preview, trace, warnings, cost);
    }

    /** x·W + b for every row of every batch. */
    private static double[][][] project(float[][][] x, float[][] w, float[] bias) {
        double[][][] d = new double[x.length][][];
        for (int b = 0; b < x.length; b++) {
            d[b] = new double[x[b].length][];
            for (int t = 0; t < x[b].length; t++) {
                d[b][t] = new double[x[b][t].length];
                for (int c = 0; c < x[b][t].length; c++) {
                    d[b][t][c] = x[b][t][c];
                }
            }
        }
        return project(d, w, bias);
    }

    private static double[][][] project(double[][][] x, float[][] w, float[] bias) {
        int out = w[0].length;
        double[][][] y = new double[x.length][][];
        for (int b = 0; b < x.length; b++) {
            y[b] = new double[x[b].length][out];
            for (int t = 0; t < x[b].length; t++) {
                for (int o = 0; o < out; o++) {
                    double acc = bias[o];
                    for (int c = 0; c < w.length; c++) {
                        acc += x[b][t][c] * w[c][o];
                    }
                    y[b][t][o] = acc;
                }
            }
        }
        return y;
    }

    private static double[][][][] splitHeads(double[][][] q, int heads, int dk) {
        double[][][][] s = new double[q.length][heads][][];
        for (int b = 0; b < q.length; b++) {
            for (int h = 0; h < heads; h++) {
                s[b][h] = new double[q[b].length][dk];
                for (int i = 0; i < q[b].length; i++) {
                    System.arraycopy(q[b][i], h * dk, s[b][h][i], 0, dk);
                }
            }
        }
        return s;
    }

    private static Tensor capture(AttentionSpec p, Object array) {
        Tensor t = toTensor(array);
        return p.captures(t.data().length) ? t : null;
    }

    /** Flattens a rectangular double[]… array of any rank into a float32 tensor. */
    static Tensor toTensor(Object array) {
        List<Long> shape = new ArrayList<>();
        Object a = array;
        while (a.getClass().isArray() && !(a instanceof double[])) {
            Object[] arr = (Object[]) a;
            shape.add((long) arr.length);
            a = arr[0];
        }
        shape.add((long) ((double[]) a).length);
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        float[] data = new float[(int) n];
        int[] pos = {0};
        flatten(array, data, pos);
        return new Tensor(shape.stream().mapToLong(Long::longValue).toArray(), data);
    }

    private static void flatten(Object a, float[] out, int[] pos) {
        if (a instanceof double[] row) {
            for (double x : row) {
                out[pos[0]++] = (float) x;
            }
        } else {
            for (Object sub : (Object[]) a) {
                flatten(sub, out, pos);
            }
        }
    }
}
