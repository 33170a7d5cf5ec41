package dev.mhanotebook.engine;

import java.util.List;

/**
 * Which (query, key) pairs a sparse attention layer scores. Each pattern is a boolean matrix
 * {@code allowed [L, S]}, true where query {@code i} may see key {@code j}; patterns combine by
 * union, and optionally with a causal restriction.
 *
 * <ul>
 *   <li>{@link SlidingWindow}: key {@code j} within {@code window} positions of query {@code i}
 *       (Beltagy et al. 2020, §3.1; the "local" half of Child et al. 2019, §4.2).</li>
 *   <li>{@link Dilated}: every {@code dilation}-th key, {@code window} steps each side, so the
 *       reach grows to {@code window·dilation} at the same cost (Beltagy et al. 2020, §3.1). With
 *       a window as long as the text it is the "strided" half of Child et al. (2019, §4.2).</li>
 *   <li>{@link Global}: chosen tokens see every key and are seen by every query (Beltagy et al.
 *       2020, §3.1; the internal global tokens of Zaheer et al. 2020, §2).</li>
 *   <li>{@link RandomBlocks}: keys and queries cut into blocks of {@code blockSize}; each query
 *       block sees {@code blocksPerRow} key blocks drawn from the seed (Zaheer et al. 2020, §2
 *       and appendix D). The draw of query block {@code r} uses
 *       {@code SplitMix64.uniform(derive(seed, "random-blocks"), r·nKeyBlocks + t)}, a partial
 *       Fisher–Yates shuffle, so it is the same on every run.</li>
 * </ul>
 */
public sealed interface SparsePattern {

    /** Whether query {@code i} may see key {@code j}, for queries of length L and keys of S. */
    boolean[][] allowed(int queryLength, int keyLength);

    /** The pattern in a few words, such as {@code window 2}. */
    String describe();

    /** |i − j| ≤ window. */
    record SlidingWindow(int window) implements SparsePattern {
        public SlidingWindow {
            requireNonNegative("window", window);
        }

        @Override
        public String describe() {
            return "window " + window;
        }

        @Override
        public boolean[][] allowed(int queryLength, int keyLength) {
            boolean[][] m = new boolean[queryLength][keyLength];
            for (int i = 0; i < queryLength; i++) {
                int last = Math.min(keyLength - 1, i + window);
                for (int j = Math.max(0, i - window); j <= last; j++) {
                    m[i][j] = true;
                }
            }
            return m;
        }
    }

    /** j = i + k·dilation for |k| ≤ window. */
    record Dilated(int window, int dilation) implements SparsePattern {
        public Dilated {
            requireNonNegative("window", window);
            if (dilation < 1) {
                throw new IllegalArgumentException("dilation must be at least 1 (dilation="
                        + dilation + ")");
            }
        }

        @Override
        public String describe() {
            return "dilated window " + window + ", dilation " + dilation;
        }

        @Override
        public boolean[][] allowed(int queryLength, int keyLength) {
            boolean[][] m = new boolean[queryLength][keyLength];
            for (int i = 0; i < queryLength; i++) {
                for (long k = -window; k <= window; k++) {
                    long j = i + k * dilation;
                    if (j >= 0 && j < keyLength) {
                        m[i][(int) j] = true;
                    }
                }
            }
            return m;
        }
    }

    /** Rows and columns of the global tokens are all allowed. */
    record Global(int[] tokens) implements SparsePattern {
        public Global {
            tokens = tokens.clone();
            for (int t : tokens) {
                requireNonNegative("global token", t);
            }
        }

        @Override
        public String describe() {
            return "global " + java.util.Arrays.toString(tokens);
        }

        @Override
        public boolean[][] allowed(int queryLength, int keyLength) {
            boolean[][] m = new boolean[queryLength][keyLength];
            for (int t : tokens) {
                if (t < queryLength) {
                    java.util.Arrays.fill(m[t], true);
                }
                if (t < keyLength) {
                    for (int i = 0; i < queryLength; i++) {
                        m[i][t] = true;
                    }
                }
            }
            return m;
        }
    }

    /** Each query block sees {@code blocksPerRow} seeded random key blocks. */
    record RandomBlocks(int blockSize, int blocksPerRow, long seed) implements SparsePattern {
        public RandomBlocks {
            if (blockSize < 1) {
                throw new IllegalArgumentException("blockSize must be at least 1 (blockSize="
                        + blockSize + ")");
            }
            requireNonNegative("blocksPerRow", blocksPerRow);
        }

        @Override
        public String describe() {
            return blocksPerRow + " random blocks of " + blockSize;
        }

        @Override
        public boolean[][] allowed(int queryLength, int keyLength) {
            boolean[][] m = new boolean[queryLength][keyLength];
            int queryBlocks = (queryLength + blockSize - 1) / blockSize;
            int keyBlocks = (keyLength + blockSize - 1) / blockSize;
            int draws = Math.min(blocksPerRow, keyBlocks);
            long stream = SplitMix64.derive(seed, "random-blocks");
            for (int r = 0; r < queryBlocks; r++) {
                int[] order = new int[keyBlocks];
                for (int c = 0; c < keyBlocks; c++) {
                    order[c] = c;
                }
                for (int t = 0; t < draws; t++) {
                    int pick = t + (int) (SplitMix64.uniform(stream, (long) r * keyBlocks + t)
                            * (keyBlocks - t));
                    int c = order[pick];
                    order[pick] = order[t];
                    order[t] = c;
                    int rowEnd = Math.min(queryLength, (r + 1) * blockSize);
                    int colEnd = Math.min(keyLength, (c + 1) * blockSize);
                    for (int i = r * blockSize; i < rowEnd; i++) {
                        for (int j = c * blockSize; j < colEnd; j++) {
                            m[i][j] = true;
                        }
                    }
                }
            }
            return m;
        }
    }

    /** The union of {@code patterns}; with {@code causal}, only keys j ≤ i remain. */
    static boolean[][] combine(List<SparsePattern> patterns, boolean causal, int queryLength,
            int keyLength) {
        boolean[][] m = new boolean[queryLength][keyLength];
        for (SparsePattern p : patterns) {
            boolean[][] a = p.allowed(queryLength, keyLength);
            for (int i = 0; i < queryLength; i++) {
                for (int j = 0; j < keyLength; j++) {
                    m[i][j] |= a[i][j] && !(causal && j > i);
                }
            }
        }
        return m;
    }

    /** The number of true cells. */
    static long count(boolean[][] mask) {
        long n = 0;
        for (boolean[] row : mask) {
            for (boolean b : row) {
                if (b) {
                    n++;
                }
            }
        }
        return n;
    }

    /** {@code blocked} for the dense path: the complement of {@code allowed}. */
    static boolean[][] complement(boolean[][] allowed) {
        boolean[][] m = new boolean[allowed.length][];
        for (int i = 0; i < allowed.length; i++) {
            m[i] = new boolean[allowed[i].length];
            for (int j = 0; j < m[i].length; j++) {
                m[i][j] = !allowed[i][j];
            }
        }
        return m;
    }

    private static void requireNonNegative(String name, int value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must not be negative (" + name + "="
                    + value + ")");
        }
    }
}
