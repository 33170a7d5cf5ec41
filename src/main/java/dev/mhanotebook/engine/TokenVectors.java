package dev.mhanotebook.engine;

/**
 * Input vectors for the toy experiments: each token's vector is derived from the seed and the
 * token's own text, so the same word always gets the same vector and a reader's sentence really
 * changes the numbers.
 *
 * <p>Component {@code c} of the vector of {@code token} is
 * {@code 2·SplitMix64.uniform(derive(seed, "token:" + token), c) − 1}, uniform in [−1, 1).
 * These vectors carry no meaning: similar words are no closer than any others. The chapter on a
 * trained model shows what learned embeddings add.
 */
public final class TokenVectors {
    private TokenVectors() {
    }

    public static float[] of(long seed, String token, int modelDim) {
        long stream = SplitMix64.derive(seed, "token:" + token);
        float[] v = new float[modelDim];
        for (int c = 0; c < modelDim; c++) {
            v[c] = (float) (2 * SplitMix64.uniform(stream, c) - 1);
        }
        return v;
    }

    /** [B, n, d_model] with the same tokens in every batch row. */
    public static float[][][] of(long seed, java.util.List<String> tokens, int batch, int modelDim) {
        float[][][] x = new float[batch][tokens.size()][];
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < tokens.size(); t++) {
                x[b][t] = of(seed, tokens.get(t), modelDim);
            }
        }
        return x;
    }

    /** [B, n, d_model] drawn from the named stream of {@code seed}, uniform in [−1, 1). */
    public static float[][][] random(long seed, String name, int batch, int n, int modelDim) {
        long stream = SplitMix64.derive(seed, name);
        float[][][] x = new float[batch][n][modelDim];
        long k = 0;
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < n; t++) {
                for (int c = 0; c < modelDim; c++) {
                    x[b][t][c] = (float) (2 * SplitMix64.uniform(stream, k++) - 1);
                }
            }
        }
        return x;
    }
}
