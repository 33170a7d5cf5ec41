package dev.mhanotebook.api;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Limits of the {@code /api/v1/variants} endpoints, on top of the attention API's own sizes and
 * budgets (every toy layer here is checked against the vectorized budget, because each is
 * compared with dense softmax attention on the same inputs).
 */
@ConfigMapping(prefix = "mha.variants")
public interface VariantLimits {

    /** Most random features of FAVOR+. */
    @WithDefault("4096")
    int maxFeatures();

    /** Largest working memory of the feature maps, B·h·(L+S)·m·4 bytes three times over. */
    @WithDefault("268435456")
    long maxFeatureBytes();

    /** Most points in one sweep. */
    @WithDefault("16")
    int maxSweepPoints();

    /** Most timed repeats of each point (the median is reported). */
    @WithDefault("5")
    int maxRepeats();

    /** Most random feature draws averaged per point of the feature sweep. */
    @WithDefault("8")
    int maxDraws();

    /** FLOPs (matrix products) one sweep may spend in all, repeats included. */
    @WithDefault("200000000000")
    long maxSweepFlops();

    /** Most global tokens. */
    @WithDefault("64")
    int maxGlobalTokens();

    /** Largest L·S whose mask is sent as text rows. */
    @WithDefault("16384")
    long maskCells();
}
