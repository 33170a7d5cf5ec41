package dev.mhanotebook.api;

import dev.mhanotebook.engine.AttentionStack;
import dev.mhanotebook.engine.KvCacheDecoding;
import dev.mhanotebook.engine.Tensor;
import dev.mhanotebook.engine.TiledReplay;
import io.quarkus.logging.Log;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The interactive experiments of the chapter "Advanced patterns": the tiled algorithm replayed
 * tile by tile, KV-cache decoding step by step, and a backward pass with and without gradient
 * checkpointing. Each runs through the {@link ComputeGate} like any other computation.
 */
@Path("/api/v1/advanced")
@Tag(name = "advanced")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class AdvancedResource {
    private final AdvancedRequests requests;
    private final ComputeGate gate;

    public AdvancedResource(ComputeLimits limits, ComputeGate gate) {
        this.requests = new AdvancedRequests(limits);
        this.gate = gate;
    }

    /** The answer of the replay. */
    public record ReplayResponse(AttentionResponse.SpecView spec, List<String> tokens,
            List<String> keyTokens, int queryBlocks, int keyBlocks, List<TiledReplay.Step> steps,
            Tensor output, Tensor fullOutput, double maxDifference, Tensor attention,
            List<String> warnings) {
    }

    @POST
    @Path("/tiled-replay")
    @Operation(summary = "Replay the tiled algorithm tile by tile",
            description = """
                    Takes the body of POST /api/v1/attention (implementation left out or "tiled") \
                    and runs the tiled path with blockSize, recording after every tile the query \
                    block I and key block J, the running row maximum m [B][h][b_q], the running \
                    normaliser ℓ [B][h][b_q], the rescaled accumulator O [B][h][b_q][d_k] (not yet \
                    divided by ℓ) and the state of every tile (0 pending, 1 done, 2 skipped \
                    because the causal mask hides it). output is the tiled result, fullOutput \
                    the vectorized path's, maxDifference the largest |output − fullOutput|. \
                    Small sizes only: B ≤ 2, L and S ≤ 32, d_model ≤ 64, h ≤ 8, at most 256 \
                    tiles.""")
    @APIResponse(responseCode = "200", description = "Every tile's state and the final comparison")
    @APIResponse(responseCode = "400", description = "Bad input: {error, field}")
    @APIResponse(responseCode = "429", description = "Busy: retry after Retry-After seconds")
    public ReplayResponse tiledReplay(AttentionRequest request) {
        AttentionRequests.Prepared p = requests.replay(request);
        TiledReplay.Replay r = gate.run(control -> TiledReplay.run(p.spec(), p.inputs(),
                p.weights(), control));
        Log.debugf("tiled replay L=%d S=%d block=%d tiles=%d max difference %.2e",
                p.spec().queryLength(), p.spec().keyLength(), p.spec().blockSize(),
                r.steps().size(), r.maxDifference());
        return new ReplayResponse(AttentionResponse.SpecView.of(p.spec(), p.implementation()),
                p.tokens(), p.keyTokens(), r.queryBlocks(), r.keyBlocks(), r.steps(),
                r.tiled().output(), r.fullOutput(), r.maxDifference(), r.tiled().attention(),
                r.tiled().warnings());
    }

    /** The answer of the KV-cache experiment. */
    public record KvCacheResponse(AttentionResponse.SpecView spec, List<String> tokens,
            List<KvCacheDecoding.Step> steps, long flopsWithCache, long flopsWithoutCache,
            double flopsSavedFraction, double maxDifference, Tensor fullAttention) {
    }

    @POST
    @Path("/kv-cache")
    @Operation(summary = "Decode position by position with a key/value cache",
            description = """
                    Takes the body of POST /api/v1/attention for causal self-attention (no key \
                    inputs, no padding, no dropout; causal is top-left whatever is sent) and \
                    decodes the sequence one position at a time: each step projects only its \
                    token, appends its key and value to the cache and attends from one query to \
                    the cached keys. Each step reports the cache's length and bytes \
                    (2·kvHeads·n·d_k·4), its FLOPs \
                    (2·d_model·(h·d_k + 2·kvHeads·d_k) + 2·h·d_k·d_model + 4·h·n·d_k) against the \
                    FLOPs of recomputing positions 0…t from scratch (the formula of \
                    /api/v1/attention at length t + 1), and the largest difference from row t of \
                    full causal attention. B = 1, L ≤ 64, d_model ≤ 256.""")
    @APIResponse(responseCode = "200", description = "One entry per position")
    @APIResponse(responseCode = "400", description = "Bad input: {error, field}")
    @APIResponse(responseCode = "429", description = "Busy: retry after Retry-After seconds")
    public KvCacheResponse kvCache(AttentionRequest request) {
        AttentionRequests.Prepared p = requests.kvCache(request);
        KvCacheDecoding.Decoding d = gate.run(control -> KvCacheDecoding.run(p.spec(),
                p.inputs().query(), p.weights(), control));
        double maxDifference = 0;
        for (KvCacheDecoding.Step s : d.steps()) {
            maxDifference = Math.max(maxDifference, s.maxDifference());
        }
        double saved = 1 - (double) d.flopsWithCache() / d.flopsWithoutCache();
        return new KvCacheResponse(
                AttentionResponse.SpecView.of(d.spec(), p.implementation()),
                p.tokens(), d.steps(), d.flopsWithCache(), d.flopsWithoutCache(), saved,
                maxDifference, d.full().attention());
    }

    @POST
    @Path("/checkpointing")
    @Operation(summary = "A backward pass with and without gradient checkpointing",
            description = """
                    Builds a stack of n self-attention layers X_{l+1} = X_l + MultiHead(X_l) \
                    (no biases, no mask, batch 1) with seeded inputs and weights, takes the loss \
                    Σ X_n ⊙ R for a seeded R, and runs the hand-written backward pass twice: \
                    keeping every layer's activations, and keeping only every segment-th layer's \
                    input and recomputing the rest (Chen et al. 2016). Reports for both the most \
                    bytes of saved activations alive at once, the layers recomputed and their \
                    FLOPs (8·L·d_model² + 4·L²·d_model per layer), the measured time, and the \
                    largest difference between the two runs' gradients (input and every weight). \
                    n ≤ 24, L ≤ 256, d_model ≤ 256, h ≤ 16.""")
    @APIResponse(responseCode = "200", description = "Both runs and their difference")
    @APIResponse(responseCode = "400", description = "Bad input: {error, field}")
    @APIResponse(responseCode = "429", description = "Busy: retry after Retry-After seconds")
    public AttentionStack.Comparison checkpointing(CheckpointingRequest request) {
        Bodies.require(request);
        AttentionStack.StackSpec spec = AdvancedRequests.stack(request);
        long seed = request == null || request.seed() == null ? 42 : request.seed();
        return gate.run(control -> AttentionStack.compare(spec, seed, control));
    }
}
