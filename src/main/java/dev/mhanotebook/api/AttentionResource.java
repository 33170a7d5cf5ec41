package dev.mhanotebook.api;

import dev.mhanotebook.engine.AttentionEngine;
import dev.mhanotebook.engine.AttentionResult;
import io.quarkus.logging.Log;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Locale;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code POST /api/v1/attention}: one multi-head attention computation with its shape trace. */
@Path("/api/v1/attention")
@Tag(name = "attention")
public class AttentionResource {
    private final AttentionRequests requests;
    private final ComputeGate gate;
    private final ComputeLimits limits;

    public AttentionResource(ComputeLimits limits, ComputeGate gate) {
        this.requests = new AttentionRequests(limits);
        this.gate = gate;
        this.limits = limits;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Compute multi-head attention",
            description = """
                    Computes MultiHead(Q, K, V) = Concat(head_1, …, head_h) W^O with \
                    head_i = softmax(s·Q_i K_{g(i)}ᵀ + M) V_{g(i)} (Vaswani et al. 2017, §3.2) and \
                    returns the output, the attention weights of every head and a trace of every step.

                    FLOPs count matrix products, 2 per multiply–add: \
                    2·B·(L·d_model·h·d_k + 2·S·d_model·kvHeads·d_k + L·h·d_k·d_model) for the four \
                    projections and 4·B·h·L·S·d_k for the scores and the weighted values; for \
                    self-attention with h·d_k = d_model that is 8·B·L·d_model² + 4·B·L²·d_model. \
                    The tiled path adds 2·B·h·L·S·d_k to recover the weights in a second pass. \
                    Bytes are float32 (4 per number); peakBytes is the engine's cost model's upper \
                    bound on the tensors alive at once. Time is measured on the server.

                    Limits (configurable): batch ≤ 8, lengths ≤ 16384, modelDim ≤ 1024, heads ≤ 64, \
                    ≤ 512 tokens; per implementation a budget of working memory and FLOPs \
                    (vectorized 512 MiB and 20 billion, loops 256 MiB and 500 million, tiled 512 MiB \
                    and 300 billion). Above 65,536 attention weights (B·h·L·S), attention is null \
                    and attentionPreview carries it mean-pooled. Intermediate matrices appear in \
                    the trace while a step has at most 4,096 values.

                    Dropout keeps weight (b, h, i, j) when \
                    SplitMix64.uniform(derive(seed, "dropout"), ((b·h + head)·L + i)·S + j) ≥ p.""")
    @APIResponse(responseCode = "200", description = "The result")
    @APIResponse(responseCode = "400", description = "Bad input: {error, field}")
    @APIResponse(responseCode = "429", description = "Busy: retry after Retry-After seconds")
    @APIResponse(responseCode = "503", description = "Past the time limit, or out of memory: retry "
            + "after Retry-After seconds")
    @APIResponse(responseCode = "413", description = "Body too large")
    // Blocking: the body is read and checked on a worker thread; the computation itself waits and
    // runs on the compute gate's own pool, so the worker thread is free as soon as it is queued.
    @Blocking
    public CompletionStage<AttentionResponse> compute(AttentionRequest request) {
        AttentionRequests.Prepared p = requests.prepare(request);
        String kind = p.implementation().name().toLowerCase(Locale.ROOT);
        return gate.submit(kind, control -> {
            AttentionResult result = AttentionEngine.compute(p.spec(), p.inputs(), p.weights(),
                    p.implementation(), control);
            Log.debugf("attention %s B=%d h=%d L=%d S=%d d=%d in %.2f ms", p.implementation(),
                    p.spec().batch(), p.spec().heads(), p.spec().queryLength(),
                    p.spec().keyLength(), p.spec().modelDim(), result.cost().elapsedNanos() / 1e6);
            return AttentionResponse.of(p, result, limits.outputValues());
        });
    }
}
