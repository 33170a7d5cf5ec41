package dev.mhanotebook.engine;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The feature map φ of linear attention, which replaces {@code exp(s·qᵀk)} by
 * {@code φ(q)ᵀφ(k)} so that attention can be regrouped as {@code φ(Q)(φ(K)ᵀV)}.
 *
 * <ul>
 *   <li>{@link Kind#ELU}: {@code φ(x) = elu(x) + 1}, positive, {@code m = d_k} features
 *       (Katharopoulos et al. 2020, §3.2.1, eq. 7). It approximates nothing; it is its own
 *       kernel.</li>
 *   <li>{@link Kind#FAVOR}: positive random features for the softmax kernel (Choromanski et al.
 *       2021, FAVOR+, §2.3 Lemma 1 and §2.4): with {@code x = s^{1/2}·q},
 *       {@code φ(x) = m^{-1/2} · exp(ωᵢᵀx − ‖x‖²/2)} for {@code m} rows {@code ωᵢ}, drawn
 *       Gaussian from the seed and made orthogonal in blocks of d_k (rows rescaled to the norms of
 *       independent Gaussian vectors), so {@code E[φ(q)ᵀφ(k)] = exp(s·qᵀk)}.</li>
 * </ul>
 *
 * <p>For numerical safety each query row subtracts its own largest {@code ωᵢᵀx}, and the keys of
 * one (batch, head) subtract their common largest one: both factors cancel when attention is
 * normalised, so the result is unchanged.
 *
 * @param kind     the map
 * @param features m, for FAVOR; ignored for ELU (which has d_k)
 * @param seed     seed of the random features
 */
public record FeatureMap(Kind kind, int features, long seed) {

    public enum Kind {
        ELU,
        FAVOR
    }

    public FeatureMap {
        if (kind == Kind.FAVOR && features < 1) {
            throw new IllegalArgumentException("features must be at least 1 (features="
                    + features + ")");
        }
    }

    public static FeatureMap elu() {
        return new FeatureMap(Kind.ELU, 0, 0);
    }

    public static FeatureMap favor(int features, long seed) {
        return new FeatureMap(Kind.FAVOR, features, seed);
    }

    /** m, the number of features for heads of size {@code headDim}. */
    public int features(int headDim) {
        return kind == Kind.ELU ? headDim : features;
    }

    /**
     * φ of every row: [B, h, n, d_k] -> [B, h, n, m].
     *
     * @param scale the softmax scale s that FAVOR approximates; ignored by ELU
     */
    INDArray apply(Arrays4 arrays, INDArray x, boolean query, double scale) {
        if (kind == Kind.ELU) {
            return arrays.own(Transforms.elu(x, true).addi(1.0));
        }
        int dk = (int) x.size(3);
        INDArray xs = arrays.own(x.mul(Math.sqrt(scale)));
        INDArray omega = arrays.of(randomFeatures(features, dk, seed));          // [m, d_k]
        long rows = x.length() / dk;
        INDArray proj = arrays.own(xs.reshape(rows, dk).mmul(omega.transpose()))
                .reshape(x.size(0), x.size(1), x.size(2), features);             // [B, h, n, m]
        INDArray halfNorm = arrays.own(xs.mul(xs).sum(true, 3).muli(0.5));       // [B, h, n, 1]
        INDArray stabiliser = query
                ? arrays.own(proj.max(true, 3))                                   // [B, h, n, 1]
                : arrays.own(proj.max(true, 2, 3));                               // [B, h, 1, 1]
        proj.subi(halfNorm).subi(stabiliser);
        return arrays.own(Transforms.exp(proj, false).muli(1.0 / Math.sqrt(features)));
    }

    /**
     * m rows of length d: Gaussian blocks of d rows made orthonormal by Gram–Schmidt, each row
     * then scaled to the norm of an independent Gaussian d-vector (Choromanski et al. 2021, §2.4).
     */
    static float[][] randomFeatures(int m, int d, long seed) {
        long stream = SplitMix64.derive(seed, "favor");
        long n = 0;
        float[][] omega = new float[m][d];
        for (int r0 = 0; r0 < m; r0 += d) {
            int rows = Math.min(d, m - r0);
            double[][] block = new double[d][d];
            for (int r = 0; r < d; r++) {
                for (int c = 0; c < d; c++) {
                    block[r][c] = gaussian(stream, n);
                    n += 2;
                }
            }
            orthonormalise(block);
            for (int r = 0; r < rows; r++) {
                double norm = 0;
                for (int c = 0; c < d; c++) {
                    double g = gaussian(stream, n);
                    n += 2;
                    norm += g * g;
                }
                norm = Math.sqrt(norm);
                for (int c = 0; c < d; c++) {
                    omega[r0 + r][c] = (float) (block[r][c] * norm);
                }
            }
        }
        return omega;
    }

    /** Box–Muller from draws n and n + 1. */
    private static double gaussian(long stream, long n) {
        double u1 = SplitMix64.uniform(stream, n);
        double u2 = SplitMix64.uniform(stream, n + 1);
        return Math.sqrt(-2 * Math.log1p(-u1)) * Math.cos(2 * Math.PI * u2);
    }

    /** Modified Gram–Schmidt on the rows, in place. */
    private static void orthonormalise(double[][] a) {
        for (int r = 0; r < a.length; r++) {
            for (int p = 0; p < r; p++) {
                double dot = 0;
                for (int c = 0; c < a[r].length; c++) {
                    dot += a[r][c] * a[p][c];
                }
                for (int c = 0; c < a[r].length; c++) {
                    a[r][c] -= dot * a[p][c];
                }
            }
            double norm = 0;
            for (double v : a[r]) {
                norm += v * v;
            }
            norm = Math.sqrt(norm);
            for (int c = 0; c < a[r].length; c++) {
                a[r][c] /= norm;
            }
        }
    }
}
