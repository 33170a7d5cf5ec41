package dev.mhanotebook.engine;

/**
 * Which keys a query may see by position.
 *
 * <p>With {@code L} queries and {@code S} keys, query {@code i} may see key {@code j} when
 * {@code j <= i} (top-left alignment, as in PyTorch's {@code is_causal}) or when
 * {@code j <= i + S - L} (bottom-right alignment: the last query sees every key, as when new
 * queries are appended to a cached prefix). The two agree when {@code L == S}.
 */
public enum CausalMask {
    NONE,
    TOP_LEFT,
    BOTTOM_RIGHT;

    // step: masked
    /** Whether query {@code i} may not see key {@code j} because of this mask. */
    public boolean blocks(int i, int j, int queryLength, int keyLength) {
        return switch (this) {
            case NONE -> false;
            case TOP_LEFT -> j > i;
            case BOTTOM_RIGHT -> j > i + keyLength - queryLength;
        };
    }
    // end step: masked
}
