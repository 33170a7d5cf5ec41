package dev.mhanotebook.model;

import dev.mhanotebook.engine.Tensor;

/**
 * Attention rollout (Abnar & Zuidema 2020, §3): how much each token's final representation draws
 * on each input token, following attention through every layer. Each layer's attention is
 * averaged over heads and mixed half-and-half with the identity for the residual connection,
 * {@code Â_l = ½ (mean_h A_l + I)}, rows renormalised, and the layers multiplied:
 * {@code R = Â_{n−1} · … · Â_0}.
 */
public final class AttentionRollout {
    private AttentionRollout() {
    }

    /** Rollout [L, L] of attention [layers, h, L, L]; row i sums to 1. */
    public static Tensor of(Tensor attention) {
        long[] s = attention.shape();
        int layers = (int) s[0];
        int heads = (int) s[1];
        int len = (int) s[2];
        float[] a = attention.data();
        double[][] rollout = identity(len);
        for (int l = 0; l < layers; l++) {
            // 1) Average heads and add the residual.
            double[][] mixed = new double[len][len];
            for (int h = 0; h < heads; h++) {
                int base = (l * heads + h) * len * len;
                for (int i = 0; i < len; i++) {
                    for (int j = 0; j < len; j++) {
                        mixed[i][j] += 0.5 * a[base + i * len + j] / heads;
                    }
                }
            }
            for (int i = 0; i < len; i++) {
                mixed[i][i] += 0.5;
                // 2) Renormalise: a pruned head leaves its row short of 1.
                double sum = 0;
                for (int j = 0; j < len; j++) {
                    sum += mixed[i][j];
                }
                for (int j = 0; j < len; j++) {
                    mixed[i][j] /= sum;
                }
            }
            // 3) Compose with the layers below.
            rollout = multiply(mixed, rollout);
        }
        float[] out = new float[len * len];
        for (int i = 0; i < len; i++) {
            for (int j = 0; j < len; j++) {
                out[i * len + j] = (float) rollout[i][j];
            }
        }
        return new Tensor(new long[] {len, len}, out);
    }

    private static double[][] identity(int n) {
        double[][] m = new double[n][n];
        for (int i = 0; i < n; i++) {
            m[i][i] = 1;
        }
        return m;
    }

    private static double[][] multiply(double[][] x, double[][] y) {
        int n = x.length;
        double[][] z = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < n; k++) {
                double xik = x[i][k];
                for (int j = 0; j < n; j++) {
                    z[i][j] += xik * y[k][j];
                }
            }
        }
        return z;
    }
}
