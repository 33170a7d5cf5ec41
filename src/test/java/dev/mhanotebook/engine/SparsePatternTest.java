package dev.mhanotebook.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Each pattern against a mask drawn by hand: {@code x} = query (row) may see key (column). */
class SparsePatternTest {

    static boolean[][] drawn(String... rows) {
        boolean[][] m = new boolean[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            m[i] = new boolean[rows[i].length()];
            for (int j = 0; j < rows[i].length(); j++) {
                m[i][j] = rows[i].charAt(j) == 'x';
            }
        }
        return m;
    }

    static String draw(boolean[][] m) {
        StringBuilder s = new StringBuilder();
        for (boolean[] row : m) {
            for (boolean b : row) {
                s.append(b ? 'x' : '.');
            }
            s.append('\n');
        }
        return s.toString();
    }

    static void assertMask(boolean[][] expected, boolean[][] actual) {
        assertEquals(draw(expected), draw(actual));
    }

    @Test
    void slidingWindowOfOneSeesTheNeighbours() {
        assertMask(drawn(
                "xx...",
                "xxx..",
                ".xxx.",
                "..xxx",
                "...xx"), new SparsePattern.SlidingWindow(1).allowed(5, 5));
    }

    @Test
    void dilatedWindowSkipsEveryOtherKey() {
        assertMask(drawn(
                "x.x...",
                ".x.x..",
                "x.x.x.",
                ".x.x.x",
                "..x.x.",
                "...x.x"), new SparsePattern.Dilated(1, 2).allowed(6, 6));
    }

    @Test
    void globalTokensSeeAndAreSeenByAll() {
        assertMask(drawn(
                "xxxxx",
                "x..x.",
                "x..x.",
                "xxxxx",
                "x..x."), new SparsePattern.Global(new int[] {0, 3}).allowed(5, 5));
    }

    @Test
    void combinedWithCausalKeepsOnlyThePast() {
        boolean[][] m = SparsePattern.combine(List.of(new SparsePattern.SlidingWindow(0),
                new SparsePattern.Global(new int[] {0})), true, 4, 4);
        assertMask(drawn(
                "x...",
                "xx..",
                "x.x.",
                "x..x"), m);
        assertEquals(7, SparsePattern.count(m));
    }

    @Test
    void windowOnCrossAttentionStopsAtTheLastKey() {
        assertMask(drawn(
                "xx.",
                "xxx",
                ".xx",
                "..x"), new SparsePattern.SlidingWindow(1).allowed(4, 3));
    }

    @Test
    void randomBlocksFollowTheDocumentedDraw() {
        // L = S = 6 in blocks of 2: three query blocks, each sees one of three key blocks.
        long seed = 11;
        boolean[][] m = new SparsePattern.RandomBlocks(2, 1, seed).allowed(6, 6);
        long stream = SplitMix64.derive(seed, "random-blocks");
        String[] rows = new String[6];
        for (int r = 0; r < 3; r++) {
            int c = (int) (SplitMix64.uniform(stream, r * 3L) * 3);
            String row = "......".substring(0, 2 * c) + "xx" + "......".substring(2 * c + 2);
            rows[2 * r] = row;
            rows[2 * r + 1] = row;
        }
        assertMask(drawn(rows), m);
    }

    @Test
    void randomBlocksDrawDistinctBlocksAndRepeatWithTheSeed() {
        boolean[][] m = new SparsePattern.RandomBlocks(4, 3, 5).allowed(32, 32);
        assertEquals(32 * 12, SparsePattern.count(m), "3 distinct blocks of 4 keys per row");
        assertArrayEquals(m[7], new SparsePattern.RandomBlocks(4, 3, 5).allowed(32, 32)[7]);
    }
}
