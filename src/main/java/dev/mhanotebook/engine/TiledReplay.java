package dev.mhanotebook.engine;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The tiled algorithm replayed tile by tile for a small case, for the chapter's step-through:
 * after every tile, which query block and key block were loaded, the running row maximum
 * {@code m}, the running normaliser {@code ℓ} and the rescaled (not yet normalised) accumulator
 * {@code O}, and the state of every tile (Rabe and Staats 2021, §2; Dao et al. 2022, Algorithm 1).
 * At the end the tiled output is compared with the full computation of the vectorized path.
 *
 * <p>Layout of a step's state: {@code rowMax} and {@code rowSum} are [B, h, b_q] and
 * {@code accumulator} is [B, h, b_q, d_k], for the rows {@code i0 … i1 − 1} of the query block.
 */
public final class TiledReplay {
    /** A tile not yet reached. */
    public static final int PENDING = 0;
    /** A tile computed and folded into its query block's running state. */
    public static final int DONE = 1;
    /** A tile the causal mask hides entirely: never computed. */
    public static final int SKIPPED = 2;

    private TiledReplay() {
    }

    /**
     * One tile of the replay.
     *
     * @param index       the tile's place in the order of computation, from 0
     * @param queryBlock  I, the query block's index
     * @param keyBlock    J, the key block's index
     * @param skipped     whether the causal mask hid the whole tile
     * @param rowMax      m after this tile, [B, h, b_q]; −∞ for rows that have seen no key yet
     * @param rowSum      ℓ after this tile, [B, h, b_q]
     * @param accumulator O after this tile, [B, h, b_q, d_k], rescaled but not divided by ℓ
     * @param tiles       every tile's state after this one: PENDING, DONE or SKIPPED, [I][J]
     */
    public record Step(int index, int queryBlock, int keyBlock, int i0, int i1, int j0, int j1,
            boolean skipped, Tensor rowMax, Tensor rowSum, Tensor accumulator, int[][] tiles) {
    }

    /**
     * @param queryBlocks    how many query blocks
     * @param keyBlocks      how many key blocks
     * @param steps          one per tile, in the order computed
     * @param tiled          the tiled path's result
     * @param fullOutput     the vectorized path's output for the same inputs, [B, L, d_model]
     * @param maxDifference  the largest |tiled − full| over the output
     */
    public record Replay(int queryBlocks, int keyBlocks, List<Step> steps, AttentionResult tiled,
            Tensor fullOutput, double maxDifference) {
    }

    public static Replay run(AttentionSpec p, AttentionInputs in, AttentionWeights w,
            ComputeControl control) {
        int bs = p.blockSize();
        int queryBlocks = (p.queryLength() + bs - 1) / bs;
        int keyBlocks = (p.keyLength() + bs - 1) / bs;
        int[][] tiles = new int[queryBlocks][keyBlocks];
        List<Step> steps = new ArrayList<>();
        TiledAttention.TileObserver observer = new TiledAttention.TileObserver() {
            @Override
            public void tile(int i0, int i1, int j0, int j1, INDArray rowMax, INDArray rowSum,
                    INDArray acc) {
                long rows = i1 - i0;
                tiles[i0 / bs][j0 / bs] = DONE;
                steps.add(new Step(steps.size(), i0 / bs, j0 / bs, i0, i1, j0, j1, false,
                        Arrays4.tensor(rowMax, p.batch(), p.heads(), rows),
                        Arrays4.tensor(rowSum, p.batch(), p.heads(), rows),
                        Arrays4.tensor(acc, p.batch(), p.heads(), rows, p.headDim()),
                        copy(tiles)));
            }

            @Override
            public void skipped(int i0, int i1, int j0, int j1) {
                tiles[i0 / bs][j0 / bs] = SKIPPED;
                steps.add(new Step(steps.size(), i0 / bs, j0 / bs, i0, i1, j0, j1, true, null,
                        null, null, copy(tiles)));
            }
        };
        AttentionResult tiled = TiledAttention.compute(p, in, w, control, observer);
        AttentionResult full = VectorizedAttention.compute(p, in, w, control);
        double maxDifference = 0;
        float[] a = tiled.output().data();
        float[] b = full.output().data();
        for (int i = 0; i < a.length; i++) {
            maxDifference = Math.max(maxDifference, Math.abs(a[i] - b[i]));
        }
        return new Replay(queryBlocks, keyBlocks, steps, tiled, full.output(), maxDifference);
    }

    private static int[][] copy(int[][] tiles) {
        int[][] c = new int[tiles.length][];
        for (int i = 0; i < tiles.length; i++) {
            c[i] = tiles[i].clone();
        }
        return c;
    }
}
