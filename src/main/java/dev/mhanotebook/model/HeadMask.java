package dev.mhanotebook.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Which heads are pruned. A pruned head's attention weights are multiplied by 0 after the softmax,
 * as Hugging Face's {@code head_mask} does, so it contributes nothing to its layer's output; the
 * other heads and the output projection are unchanged.
 */
public final class HeadMask {
    private final boolean[][] pruned; // [layers][heads]

    private HeadMask(boolean[][] pruned) {
        this.pruned = pruned;
    }

    /** No head pruned. */
    public static HeadMask none(MiniLmConfig c) {
        return new HeadMask(new boolean[c.layers()][c.heads()]);
    }

    /** Prunes each {@code [layer, head]} pair; a pair may repeat. */
    public static HeadMask of(MiniLmConfig c, List<int[]> heads) {
        boolean[][] pruned = new boolean[c.layers()][c.heads()];
        for (int[] lh : heads) {
            if (lh.length != 2 || lh[0] < 0 || lh[0] >= c.layers() || lh[1] < 0
                    || lh[1] >= c.heads()) {
                throw new IllegalArgumentException("a pruned head is [layer, head] with layer "
                        + "in [0, " + (c.layers() - 1) + "] and head in [0, " + (c.heads() - 1)
                        + "] (got " + Arrays.toString(lh) + ")");
            }
            pruned[lh[0]][lh[1]] = true;
        }
        return new HeadMask(pruned);
    }

    public boolean isPruned(int layer, int head) {
        return pruned[layer][head];
    }

    public boolean isEmpty() {
        for (boolean[] layer : pruned) {
            for (boolean p : layer) {
                if (p) {
                    return false;
                }
            }
        }
        return true;
    }

    /** 1 for a kept head, 0 for a pruned one, in {@code layer}. */
    float[] keep(int layer) {
        float[] k = new float[pruned[layer].length];
        for (int h = 0; h < k.length; h++) {
            k[h] = pruned[layer][h] ? 0f : 1f;
        }
        return k;
    }

    /** The pruned heads as {@code [layer, head]} pairs, in order. */
    public List<int[]> heads() {
        List<int[]> out = new ArrayList<>();
        for (int l = 0; l < pruned.length; l++) {
            for (int h = 0; h < pruned[l].length; h++) {
                if (pruned[l][h]) {
                    out.add(new int[] {l, h});
                }
            }
        }
        return out;
    }
}
