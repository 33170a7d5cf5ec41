package dev.mhanotebook.api;

import dev.mhanotebook.engine.Implementation;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/**
 * The documented limits of the attention API, all configurable (see the README). Sizes bound
 * the request; the budgets bound what a request may cost, per implementation, so that no request
 * takes the server past a fixed memory or time bound.
 */
@ConfigMapping(prefix = "mha.limits")
public interface ComputeLimits {

    @WithDefault("8")
    int maxBatch();

    @WithDefault("16384")
    int maxLength();

    @WithDefault("1024")
    int maxModelDim();

    @WithDefault("64")
    int maxHeads();

    @WithDefault("1024")
    int maxHeadDim();

    @WithDefault("4096")
    int maxBlockSize();

    /** Most tokens a sentence or token list may have. */
    @WithDefault("512")
    int maxTokens();

    /** Longest token, in characters. */
    @WithDefault("64")
    int maxTokenChars();

    /** Longest text, in characters. */
    @WithDefault("4000")
    int maxTextChars();

    /** Largest B·h·L·S sent whole; above it the response carries a pooled preview. */
    @WithDefault("65536")
    long fullAttentionCells();

    /** Largest number of values of one step's intermediate matrix kept in the trace. */
    @WithDefault("4096")
    long traceValues();

    /** Largest B·L·d_model output sent in the response. */
    @WithDefault("262144")
    long outputValues();

    Budget vectorized();

    Budget loops();

    Budget tiled();

    default Budget budget(Implementation implementation) {
        return switch (implementation) {
            case VECTORIZED -> vectorized();
            case LOOPS -> loops();
            case TILED -> tiled();
        };
    }

    /** What one request may cost on one implementation. */
    interface Budget {
        /** Peak working memory by the engine's cost model. */
        @WithName("max-bytes")
        long maxBytes();

        /** Floating-point operations in matrix products. */
        @WithName("max-flops")
        long maxFlops();
    }
}
