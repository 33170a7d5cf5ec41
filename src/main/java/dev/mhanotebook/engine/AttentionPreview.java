package dev.mhanotebook.engine;

/**
 * A pooled picture of attention too large to send whole: each cell is the mean of a
 * {@code factor × factor} block of weights (a partial block at the edge is averaged over the
 * cells it has).
 *
 * @param rows    pooled query rows, ⌈L / factor⌉
 * @param cols    pooled key columns, ⌈S / factor⌉
 * @param factor  how many positions one pooled cell covers along each axis
 * @param pooling always {@code "mean"}
 * @param min     smallest pooled value
 * @param max     largest pooled value
 * @param values  [B, h, rows, cols]
 */
public record AttentionPreview(
        int rows, int cols, int factor, String pooling, float min, float max, Tensor values) {

    /** Pooled side length the engine aims for. */
    public static final int TARGET_SIDE = 128;

    public static int factorFor(int queryLength, int keyLength) {
        return Math.max(1, (Math.max(queryLength, keyLength) + TARGET_SIDE - 1) / TARGET_SIDE);
    }
}
