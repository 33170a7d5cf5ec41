package dev.mhanotebook.api;

import dev.mhanotebook.engine.AttentionSpec;
import dev.mhanotebook.engine.AttentionStack;
import dev.mhanotebook.engine.CausalMask;
import dev.mhanotebook.engine.Implementation;

/**
 * Validation of the advanced chapter's experiments, on top of {@link AttentionRequests}: each
 * experiment shows every intermediate value, so each takes small sizes only, and each rule names
 * the field, the limit and the value.
 */
final class AdvancedRequests {
    /** Largest query or key length of a replay: every tile's state goes into the response. */
    static final int REPLAY_MAX_LENGTH = 32;
    static final int REPLAY_MAX_MODEL_DIM = 64;
    static final int REPLAY_MAX_HEADS = 8;
    static final int REPLAY_MAX_BATCH = 2;
    static final int REPLAY_MAX_TILES = 256;

    static final int KV_MAX_LENGTH = 64;
    static final int KV_MAX_MODEL_DIM = 256;

    static final int STACK_MAX_LAYERS = 24;
    static final int STACK_MAX_LENGTH = 256;
    static final int STACK_MAX_MODEL_DIM = 256;
    static final int STACK_MAX_HEADS = 16;

    private final AttentionRequests attention;

    AdvancedRequests(ComputeLimits limits) {
        this.attention = new AttentionRequests(limits);
    }

    AttentionRequests.Prepared replay(AttentionRequest r) {
        if (r != null && r.implementation() != null && !"tiled".equals(r.implementation())) {
            throw new BadInputException("implementation", "a replay runs the tiled implementation "
                    + "only: leave implementation out or send \"tiled\" (implementation="
                    + Tensors.quote(r.implementation()) + ")");
        }
        AttentionRequests.Prepared p = attention.prepare(r);
        AttentionSpec s = p.spec();
        atMost("batch", s.batch(), REPLAY_MAX_BATCH);
        atMost("queryLength", s.queryLength(), REPLAY_MAX_LENGTH);
        atMost("keyLength", s.keyLength(), REPLAY_MAX_LENGTH);
        atMost("modelDim", s.modelDim(), REPLAY_MAX_MODEL_DIM);
        atMost("heads", s.heads(), REPLAY_MAX_HEADS);
        long tiles = (long) blocks(s.queryLength(), s.blockSize())
                * blocks(s.keyLength(), s.blockSize());
        if (tiles > REPLAY_MAX_TILES) {
            throw new BadInputException("blockSize", "a replay shows at most " + REPLAY_MAX_TILES
                    + " tiles; this blockSize gives " + tiles + " (blockSize=" + s.blockSize()
                    + ", queryLength=" + s.queryLength() + ", keyLength=" + s.keyLength() + ")");
        }
        return new AttentionRequests.Prepared(s, p.inputs(), p.weights(), Implementation.TILED,
                p.tokens(), p.keyTokens());
    }

    AttentionRequests.Prepared kvCache(AttentionRequest r) {
        if (r != null) {
            if (r.causal() != null && !"top-left".equals(r.causal())) {
                throw new BadInputException("causal", "KV-cache decoding is causal from the first "
                        + "token: leave causal out or send \"top-left\" (causal="
                        + Tensors.quote(r.causal()) + ")");
            }
            rejectPresent("key", r.key());
            rejectPresent("keyTokens", r.keyTokens());
            rejectPresent("keyText", r.keyText());
            rejectPresent("keyLength", r.keyLength());
            rejectPresent("keyPadding", r.keyPadding());
            rejectPresent("blocked", r.blocked());
            rejectPresent("implementation", r.implementation());
            if (r.dropout() != null && r.dropout() != 0) {
                throw new BadInputException("dropout", "KV-cache decoding is inference: dropout "
                        + "must be 0 (dropout=" + r.dropout() + ")");
            }
        }
        AttentionRequests.Prepared p = attention.prepare(r);
        AttentionSpec s = p.spec();
        atMost("batch", s.batch(), 1);
        atMost("queryLength", s.queryLength(), KV_MAX_LENGTH);
        atMost("modelDim", s.modelDim(), KV_MAX_MODEL_DIM);
        return p;
    }

    /** The causal spec a KV-cache run compares against. */
    static boolean isCausal(AttentionSpec s) {
        return s.causal() == CausalMask.TOP_LEFT;
    }

    static AttentionStack.StackSpec stack(CheckpointingRequest r) {
        if (r == null) {
            r = new CheckpointingRequest(null, null, null, null, null, null);
        }
        int layers = range("layers", r.layers(), 6, 1, STACK_MAX_LAYERS);
        int length = range("length", r.length(), 32, 1, STACK_MAX_LENGTH);
        int modelDim = range("modelDim", r.modelDim(), 32, 1, STACK_MAX_MODEL_DIM);
        int heads = range("heads", r.heads(), 4, 1, STACK_MAX_HEADS);
        if (modelDim % heads != 0) {
            throw new BadInputException("heads", "heads must divide modelDim (modelDim=" + modelDim
                    + ", heads=" + heads + ")");
        }
        int segment = range("segment", r.segment(), 0, 0, layers);
        return new AttentionStack.StackSpec(layers, length, modelDim, heads, segment);
    }

    private static int blocks(int length, int blockSize) {
        return (length + blockSize - 1) / blockSize;
    }

    private static void atMost(String field, int value, int max) {
        if (value > max) {
            throw new BadInputException(field, field + " must be at most " + max
                    + " in this experiment (" + field + "=" + value + ")");
        }
    }

    private static void rejectPresent(String field, Object value) {
        if (value != null) {
            throw new BadInputException(field, field + " does not apply: KV-cache decoding is "
                    + "causal self-attention over one sequence");
        }
    }

    private static int range(String field, Integer value, int fallback, int min, int max) {
        if (value == null) {
            return fallback;
        }
        if (value < min || value > max) {
            throw new BadInputException(field, field + " must be between " + min + " and " + max
                    + " (" + field + "=" + value + ")");
        }
        return value;
    }
}
