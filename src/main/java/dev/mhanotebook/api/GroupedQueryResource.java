package dev.mhanotebook.api;

import dev.mhanotebook.engine.AttentionEngine;
import dev.mhanotebook.engine.AttentionResult;
import dev.mhanotebook.engine.AttentionSpec;
import dev.mhanotebook.engine.AttentionWeights;
import dev.mhanotebook.engine.Compare;
import dev.mhanotebook.engine.GroupedQuery;
import dev.mhanotebook.engine.Implementation;
import dev.mhanotebook.engine.KvCache;
import dev.mhanotebook.engine.Tensor;
import dev.mhanotebook.engine.TraceStep;
import io.quarkus.logging.Log;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Multi-query and grouped-query attention: the head mapping and the KV-cache calculator. */
@Path("/api/v1/variants")
@Tag(name = "variants")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class GroupedQueryResource {
    private final AttentionRequests requests;
    private final ComputeGate gate;

    public GroupedQueryResource(ComputeLimits limits, ComputeGate gate) {
        this.requests = new AttentionRequests(limits);
        this.gate = gate;
    }

    @Schema(name = "GroupedQueryRequest",
            description = "Every field optional; defaults in brackets")
    public record GroupedQueryRequest(
            @Schema(description = "A sentence; its words become the tokens") String text,
            @Schema(description = "L, when no text is given [6]") Integer queryLength,
            @Schema(description = "d_model [16]") Integer modelDim,
            @Schema(description = "h, query heads [4]") Integer heads,
            @Schema(description = "key/value heads; must divide h [1]") Integer kvHeads,
            @Schema(description = "Seed of tokens and weights [42]") Long seed) {
    }

    /**
     * @param mapping             for each query head, the key/value head it reads
     * @param shapes              output shapes of the q, k and v steps of the grouped layer
     * @param multiHeadShapes     the same for the multi-head layer it was pooled from
     * @param kvParameters        weights and biases of W^K and W^V: grouped, multi-head
     * @param relativeDifference  ‖y_grouped − y_multihead‖ / ‖y_multihead‖
     */
    @Schema(name = "GroupedQueryResponse")
    public record GroupedQueryResponse(int heads, int kvHeads, int groupSize, int[] mapping,
            List<String> tokens, Shapes shapes, Shapes multiHeadShapes, long[] kvParameters,
            double relativeDifference,
            @Schema(description = "[h][L][S] weights of the grouped layer, null when large")
                    Tensor attention,
            @Schema(description = "[h][L][S] weights of the multi-head layer, null when large")
                    Tensor multiHeadAttention,
            double groupedMs, double multiHeadMs) {
    }

    public record Shapes(long[] q, long[] k, long[] v) {
        static Shapes of(AttentionResult r) {
            return new Shapes(shape(r, "q"), shape(r, "k"), shape(r, "v"));
        }

        private static long[] shape(AttentionResult r, String name) {
            return r.trace().stream().filter(s -> s.name().equals(name)).findFirst()
                    .map(TraceStep::outputShape).orElseThrow();
        }
    }

    @POST
    @Path("grouped-query")
    @Operation(summary = "Turn a multi-head layer into a grouped-query one",
            description = """
                    Draws a multi-head layer (h key/value heads) from the seed, mean-pools the key \
                    and value projections of each group of h/kvHeads heads (Ainslie et al. 2023, \
                    §2.1, without uptraining) and runs both on the same tokens. Returns which \
                    key/value head each query head reads (⌊i / (h/kvHeads)⌋), the q, k, v shapes \
                    from both traces, the key/value parameter counts and the relative difference \
                    of the outputs. Sizes and budget as POST /api/v1/attention (vectorized).""")
    @APIResponse(responseCode = "200", description = "The comparison")
    @APIResponse(responseCode = "400", description = "Bad input: {error, field}")
    @APIResponse(responseCode = "429", description = "Busy: retry after Retry-After seconds")
    public GroupedQueryResponse groupedQuery(GroupedQueryRequest r) {
        if (r == null) {
            throw new BadInputException(null, "the request body is missing: send {} for defaults");
        }
        int heads = r.heads() == null ? 4 : r.heads();
        AttentionRequests.Prepared grouped = VariantInputs.layer(requests, r.text(),
                r.queryLength(), r.modelDim(), heads, r.kvHeads() == null ? 1 : r.kvHeads(),
                r.seed(), null);
        AttentionSpec g = grouped.spec();
        AttentionRequests.Prepared multi = VariantInputs.layer(requests, r.text(),
                r.queryLength(), r.modelDim(), heads, heads, r.seed(), null);
        AttentionWeights mhaWeights = multi.weights();
        AttentionWeights pooled = GroupedQuery.meanPool(mhaWeights, g.heads(), g.kvHeads(),
                g.headDim());
        AttentionResult[] results = gate.run(control -> new AttentionResult[] {
            AttentionEngine.compute(g, grouped.inputs(), pooled, Implementation.VECTORIZED,
                    control),
            AttentionEngine.compute(multi.spec(), multi.inputs(), mhaWeights,
                    Implementation.VECTORIZED, control)});
        long kvParams = 2L * (g.modelDim() + 1) * g.kvHeads() * g.headDim();
        long mhaParams = 2L * (g.modelDim() + 1) * g.heads() * g.headDim();
        Log.debugf("grouped-query h=%d kv=%d L=%d", g.heads(), g.kvHeads(), g.queryLength());
        return new GroupedQueryResponse(g.heads(), g.kvHeads(), g.groupSize(),
                GroupedQuery.headMapping(g.heads(), g.kvHeads()), grouped.tokens(),
                Shapes.of(results[0]), Shapes.of(results[1]), new long[] {kvParams, mhaParams},
                Compare.relativeError(results[0].output(), results[1].output()),
                VariantInputs.firstBatch(results[0].attention()),
                VariantInputs.firstBatch(results[1].attention()),
                VariantInputs.millis(results[0].cost().elapsedNanos()),
                VariantInputs.millis(results[1].cost().elapsedNanos()));
    }

    @Schema(name = "KvCacheRequest", description = "Every field optional; defaults in brackets")
    public record KvCacheRequest(
            @Schema(description = "Decoder layers [32]", minimum = "1", maximum = "1024")
                    Integer layers,
            @Schema(description = "Query heads h [32]", minimum = "1", maximum = "1024")
                    Integer heads,
            @Schema(description = "Key/value heads; divides h [8]") Integer kvHeads,
            @Schema(description = "d_k [128]", minimum = "1", maximum = "4096") Integer headDim,
            @Schema(description = "Positions cached [4096]", minimum = "1",
                    maximum = "100000000") Long sequenceLength,
            @Schema(description = "Sequences at once [1]", minimum = "1", maximum = "65536")
                    Integer batch,
            @Schema(description = "1, 2, 4 or 8 [2]") Integer bytesPerNumber) {
    }

    @Schema(name = "KvCacheResponse")
    public record KvCacheResponse(int layers, int heads, int kvHeads, int headDim,
            long sequenceLength, int batch, int bytesPerNumber, String formula,
            long multiHeadBytes, long groupedBytes, long multiQueryBytes, long bytesPerToken,
            double savingFactor, String multiHead, String grouped, String multiQuery) {
    }

    @POST
    @Path("kv-cache")
    @Operation(summary = "KV-cache size of a decoder: multi-head, grouped-query, multi-query",
            description = """
                    bytes = 2 · layers · kvHeads · headDim · sequenceLength · batch · \
                    bytesPerNumber (a key and a value vector per layer, key/value head, \
                    position and sequence). multiHeadBytes uses kvHeads = heads, multiQueryBytes \
                    kvHeads = 1. Arithmetic only, but it passes the compute gate like every \
                    endpoint.""")
    @APIResponse(responseCode = "200", description = "The sizes")
    @APIResponse(responseCode = "400", description = "Bad input: {error, field}")
    public KvCacheResponse kvCache(KvCacheRequest r) {
        if (r == null) {
            throw new BadInputException(null, "the request body is missing: send {} for defaults");
        }
        int layers = VariantInputs.size("layers", r.layers(), 32, 1, 1024);
        int heads = VariantInputs.size("heads", r.heads(), 32, 1, 1024);
        int kvHeads = VariantInputs.size("kvHeads", r.kvHeads(), Math.min(8, heads), 1, heads);
        if (heads % kvHeads != 0) {
            throw new BadInputException("kvHeads",
                    "kvHeads must divide heads (heads=" + heads + ", kvHeads=" + kvHeads + ")");
        }
        int headDim = VariantInputs.size("headDim", r.headDim(), 128, 1, 4096);
        long length = r.sequenceLength() == null ? 4096 : r.sequenceLength();
        if (length < 1 || length > 100_000_000L) {
            throw new BadInputException("sequenceLength", "sequenceLength must be between 1 and "
                    + "100000000 (sequenceLength=" + length + ")");
        }
        int batch = VariantInputs.size("batch", r.batch(), 1, 1, 65_536);
        int bytes = r.bytesPerNumber() == null ? 2 : r.bytesPerNumber();
        if (bytes != 1 && bytes != 2 && bytes != 4 && bytes != 8) {
            throw new BadInputException("bytesPerNumber",
                    "bytesPerNumber must be 1, 2, 4 or 8 (bytesPerNumber=" + bytes + ")");
        }
        KvCache c = new KvCache(layers, heads, kvHeads, headDim, length, batch, bytes);
        long[] sizes;
        try {
            sizes = gate.run(control -> new long[] {c.multiHeadBytes(), c.bytes(),
                c.multiQueryBytes(), c.bytesPerToken()});
        } catch (ArithmeticException e) {
            throw new BadInputException("sequenceLength", "this cache would take more than "
                    + "2^63 bytes; use smaller sizes");
        }
        return new KvCacheResponse(layers, heads, kvHeads, headDim, length, batch, bytes,
                "2 · layers · kvHeads · headDim · sequenceLength · batch · bytesPerNumber",
                sizes[0], sizes[1], sizes[2], sizes[3], (double) heads / kvHeads,
                Units.bytes(sizes[0]), Units.bytes(sizes[1]), Units.bytes(sizes[2]));
    }
}
