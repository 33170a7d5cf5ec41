package dev.mhanotebook.engine;

/**
 * How much of a head's attention a sparse pattern would keep: for each head, the weight its
 * query rows put on the keys the pattern allows, averaged over the rows. 1 means the pattern
 * loses nothing for that head; the rest is what a sparse layer would have to redistribute.
 */
public final class AttentionMass {
    private AttentionMass() {
    }

    /**
     * @param attention [layers, h, L, L] attention weights, rows summing to 1
     * @param allowed   [L, L] pattern
     * @return [layers][h], each in [0, 1]
     */
    public static double[][] inside(Tensor attention, boolean[][] allowed) {
        long[] s = attention.shape();
        if (s.length != 4 || s[2] != allowed.length || s[3] != allowed[0].length) {
            throw new IllegalArgumentException("attention must be [layers, h, L, S] with "
                    + "[L, S] = [" + allowed.length + ", " + allowed[0].length + "], got "
                    + java.util.Arrays.toString(s));
        }
        int layers = (int) s[0];
        int heads = (int) s[1];
        int len = (int) s[2];
        int keys = (int) s[3];
        float[] a = attention.data();
        double[][] mass = new double[layers][heads];
        for (int l = 0; l < layers; l++) {
            for (int h = 0; h < heads; h++) {
                double sum = 0;
                int base = (l * heads + h) * len * keys;
                for (int i = 0; i < len; i++) {
                    for (int j = 0; j < keys; j++) {
                        if (allowed[i][j]) {
                            sum += a[base + i * keys + j];
                        }
                    }
                }
                mass[l][h] = sum / len;
            }
        }
        return mass;
    }
}
