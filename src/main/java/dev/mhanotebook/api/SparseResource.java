package dev.mhanotebook.api;

import dev.mhanotebook.engine.AttentionEngine;
import dev.mhanotebook.engine.AttentionResult;
import dev.mhanotebook.engine.AttentionSpec;
import dev.mhanotebook.engine.CausalMask;
import dev.mhanotebook.engine.Compare;
import dev.mhanotebook.engine.ComputeControl;
import dev.mhanotebook.engine.Implementation;
import dev.mhanotebook.engine.SparseAttention;
import dev.mhanotebook.engine.SparsePattern;
import dev.mhanotebook.engine.Tensor;
import io.quarkus.logging.Log;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Sparse attention patterns, the sparse path, and its comparison with dense attention. */
@Path("/api/v1/variants/sparse")
@Tag(name = "variants")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class SparseResource {
    private final AttentionRequests requests;
    private final ComputeGate gate;
    private final VariantLimits variants;

    public SparseResource(ComputeLimits limits, ComputeGate gate, VariantLimits variants) {
        this.requests = new AttentionRequests(limits);
        this.gate = gate;
        this.variants = variants;
    }

    @Schema(name = "SparseRequest", description = "Every field optional; defaults in brackets. "
            + "The patterns given are combined by union; at least one is needed.")
    public record SparseRequest(
            @Schema(description = "A sentence; its words become the tokens") String text,
            @Schema(description = "L, when no text is given [32]") Integer queryLength,
            @Schema(description = "d_model [16]") Integer modelDim,
            @Schema(description = "h [2]") Integer heads,
            @Schema(description = "Seed of tokens, weights and random blocks [42]") Long seed,
            @Schema(description = "none | top-left: also keep only keys j ≤ i [none]")
                    String causal,
            @Schema(description = "Sliding window: keys within this many positions [2 when no "
                    + "pattern is given]") Integer window,
            @Schema(description = "Dilated window: steps each side") Integer dilatedWindow,
            @Schema(description = "Dilated window: gap between keys [2]") Integer dilation,
            @Schema(description = "Positions that see and are seen by all") List<Integer>
                    globalTokens,
            @Schema(description = "Random key blocks per query block (BigBird)") Integer
                    randomBlocks,
            @Schema(description = "Block size of the random blocks [4]") Integer blockSize) {
    }

    /** One pattern of the union and what it allows on its own. */
    public record PatternCount(String pattern, long allowedPairs) {
    }

    @Schema(name = "SparseResponse")
    public record SparseResponse(int queryLength, List<String> tokens,
            @Schema(description = "Rows of the combined mask, x = allowed; null when large")
                    List<String> mask,
            List<PatternCount> patterns, long allowedPairs, long scoredPairs, long densePairs,
            double allowedFraction,
            @Schema(description = "max |sparse − dense with the same mask|, float32 rounding")
                    double differenceFromMaskedDense,
            @Schema(description = "‖sparse − full dense‖ / ‖full dense‖ on the outputs")
                    double relativeDifferenceFromDense,
            double sparseMs, double maskedDenseMs, double denseMs,
            @Schema(description = "[h][L][S] sparse weights, zero outside the mask; null when "
                    + "large") Tensor attention) {
    }

    @POST
    @Operation(summary = "Sparse attention: pattern, pairs scored, time and error against dense",
            description = """
                    Builds the union of the requested patterns — sliding window |i − j| ≤ w \
                    (Beltagy et al. 2020), dilated window j = i + k·d for |k| ≤ w, global tokens \
                    and seeded random blocks (Zaheer et al. 2020; draw documented in the engine's \
                    SparsePattern) — and runs the sparse path, which scores for each query only \
                    the keys it may see (plain Java over the projected heads). The same layer \
                    runs densely with the complement of the pattern as its blocked mask (the \
                    difference is float32 rounding) and densely without any pattern (the error \
                    the pattern costs). \
                    scoredPairs counts the pairs scored per head (allowed and not hidden by \
                    the causal mask). Times are measured once each, in the \
                    order sparse, masked dense, dense, on a shared server. Sizes and budget as \
                    POST /api/v1/attention (vectorized); mask rows are sent up to 16,384 cells.""")
    @APIResponse(responseCode = "200", description = "The comparison")
    @APIResponse(responseCode = "400", description = "Bad input: {error, field}")
    @APIResponse(responseCode = "429", description = "Busy: retry after Retry-After seconds")
    @APIResponse(responseCode = "503", description = "Past the time limit")
    public SparseResponse sparse(SparseRequest r) {
        if (r == null) {
            throw new BadInputException(null, "the request body is missing: send {} for defaults");
        }
        AttentionRequests.Prepared layer = VariantInputs.layer(requests, r.text(),
                VariantInputs.length(r.queryLength(), r.text(), 32), r.modelDim(),
                r.heads(), null, r.seed(), causal(r.causal()));
        AttentionSpec p = layer.spec();
        List<SparsePattern> patterns = patterns(r, p);
        boolean causal = p.causal() != CausalMask.NONE;
        boolean[][] allowed = SparsePattern.combine(patterns, causal, p.queryLength(),
                p.keyLength());
        List<PatternCount> counts = new ArrayList<>();
        for (SparsePattern pattern : patterns) {
            boolean[][] alone = SparsePattern.combine(List.of(pattern), causal, p.queryLength(),
                    p.keyLength());
            counts.add(new PatternCount(pattern.describe(), SparsePattern.count(alone)));
        }

        Object[] out = gate.run(control -> new Object[] {
            SparseAttention.compute(p, layer.inputs(), layer.weights(), allowed, control),
            AttentionEngine.compute(p, SparseAttention.denseInputs(layer.inputs(), allowed),
                    layer.weights(), Implementation.VECTORIZED, control),
            AttentionEngine.compute(p, layer.inputs(), layer.weights(),
                    Implementation.VECTORIZED, control)});
        SparseAttention.Result sparse = (SparseAttention.Result) out[0];
        AttentionResult masked = (AttentionResult) out[1];
        AttentionResult dense = (AttentionResult) out[2];
        Log.debugf("sparse L=%d allowed=%d scored=%d in %.2f ms", p.queryLength(),
                sparse.allowedPairs(), sparse.scoredPairs(), sparse.elapsedNanos() / 1e6);
        return new SparseResponse(p.queryLength(), layer.tokens(),
                VariantInputs.rows(allowed, variants.maskCells()), counts, sparse.allowedPairs(),
                sparse.scoredPairs(), sparse.densePairs(),
                (double) sparse.allowedPairs() / sparse.densePairs(),
                Compare.maxAbsDifference(sparse.output(), masked.output()),
                Compare.relativeError(sparse.output(), dense.output()),
                VariantInputs.millis(sparse.elapsedNanos()),
                VariantInputs.millis(masked.cost().elapsedNanos()),
                VariantInputs.millis(dense.cost().elapsedNanos()),
                VariantInputs.firstBatch(sparse.attention()));
    }

    @Schema(name = "SparseSweepRequest", description = "Every field optional; defaults in brackets")
    public record SparseSweepRequest(
            @Schema(description = "A sentence; its words become the tokens") String text,
            @Schema(description = "L, when no text is given [256]") Integer queryLength,
            @Schema(description = "d_model [64]") Integer modelDim,
            @Schema(description = "h [4]") Integer heads,
            @Schema(description = "Seed of tokens and weights [42]") Long seed,
            @Schema(description = "Sliding-window sizes w [1, 2, 4, 8, 16, 32, 64]") List<Integer>
                    windows,
            @Schema(description = "Timed runs of each path per point; the median is kept [1]")
                    Integer repeats) {
    }

    public record SweepPoint(int window, long allowedPairs, long scoredPairs,
            double relativeDifferenceFromDense, double sparseMs, double maskedDenseMs) {
    }

    @Schema(name = "SparseSweepResponse")
    public record SparseSweepResponse(int queryLength, int modelDim, int heads, int repeats,
            double denseMs, List<SweepPoint> points) {
    }

    @POST
    @Path("window-sweep")
    @Operation(summary = "Sliding-window attention against dense as the window grows",
            description = """
                    For each window w, runs sliding-window attention (|i − j| ≤ w) on the \
                    sparse path and reports the relative difference of its output from \
                    full dense attention, the pairs allowed and scored, and the median time of \
                    `repeats` runs of the sparse path and of dense attention with the same mask \
                    (after one untimed warm-up run of each). At most 16 windows; all the dense \
                    runs of a sweep together may cost at most 200 billion FLOPs.""")
    @APIResponse(responseCode = "200", description = "The sweep")
    @APIResponse(responseCode = "400", description = "Bad input: {error, field}")
    @APIResponse(responseCode = "429", description = "Busy: retry after Retry-After seconds")
    @APIResponse(responseCode = "503", description = "Past the time limit")
    public SparseSweepResponse windowSweep(SparseSweepRequest r) {
        if (r == null) {
            throw new BadInputException(null, "the request body is missing: send {} for defaults");
        }
        AttentionRequests.Prepared layer = VariantInputs.layer(requests, r.text(),
                VariantInputs.length(r.queryLength(), r.text(), 256),
                r.modelDim() == null ? 64 : r.modelDim(), r.heads() == null ? 4 : r.heads(), null,
                r.seed(), null);
        AttentionSpec p = layer.spec();
        int[] windows = VariantInputs.sizes("windows", r.windows(),
                List.of(1, 2, 4, 8, 16, 32, 64), 0, p.queryLength(), variants.maxSweepPoints());
        int repeats = VariantInputs.size("repeats", r.repeats(), 1, 1, variants.maxRepeats());
        VariantInputs.spend(0, p, (windows.length + 1) * (repeats + 1),
                variants.maxSweepFlops(), "windows");

        return gate.run(control -> {
            double[] denseTimes = new double[repeats];
            AttentionResult dense = null;
            AttentionEngine.compute(p, layer.inputs(), layer.weights(), Implementation.VECTORIZED,
                    control);
            for (int t = 0; t < repeats; t++) {
                dense = AttentionEngine.compute(p, layer.inputs(), layer.weights(),
                        Implementation.VECTORIZED, control);
                denseTimes[t] = VariantInputs.millis(dense.cost().elapsedNanos());
            }
            List<SweepPoint> points = new ArrayList<>();
            for (int w : windows) {
                boolean[][] allowed = new SparsePattern.SlidingWindow(w).allowed(p.queryLength(),
                        p.keyLength());
                SweepPoint point = point(p, layer, allowed, w, repeats, dense, control);
                points.add(point);
            }
            return new SparseSweepResponse(p.queryLength(), p.modelDim(), p.heads(), repeats,
                    VariantInputs.median(denseTimes), points);
        });
    }

    private static SweepPoint point(AttentionSpec p, AttentionRequests.Prepared layer,
            boolean[][] allowed, int window, int repeats, AttentionResult dense,
            ComputeControl control) {
        var maskedInputs = SparseAttention.denseInputs(layer.inputs(), allowed);
        SparseAttention.compute(p, layer.inputs(), layer.weights(), allowed, control);
        AttentionEngine.compute(p, maskedInputs, layer.weights(), Implementation.VECTORIZED,
                control);
        double[] sparseTimes = new double[repeats];
        double[] maskedTimes = new double[repeats];
        SparseAttention.Result sparse = null;
        for (int t = 0; t < repeats; t++) {
            sparse = SparseAttention.compute(p, layer.inputs(), layer.weights(), allowed,
                    control);
            sparseTimes[t] = VariantInputs.millis(sparse.elapsedNanos());
            maskedTimes[t] = VariantInputs.millis(AttentionEngine.compute(p, maskedInputs,
                    layer.weights(), Implementation.VECTORIZED, control).cost().elapsedNanos());
        }
        return new SweepPoint(window, sparse.allowedPairs(), sparse.scoredPairs(),
                Compare.relativeError(sparse.output(), dense.output()),
                VariantInputs.median(sparseTimes), VariantInputs.median(maskedTimes));
    }

    private List<SparsePattern> patterns(SparseRequest r, AttentionSpec p) {
        int len = p.queryLength();
        List<SparsePattern> patterns = new ArrayList<>();
        if (r.window() != null) {
            patterns.add(new SparsePattern.SlidingWindow(
                    VariantInputs.size("window", r.window(), 0, 0, len)));
        }
        if (r.dilatedWindow() != null || r.dilation() != null) {
            int w = VariantInputs.size("dilatedWindow", r.dilatedWindow(), 1, 0, len);
            int d = VariantInputs.size("dilation", r.dilation(), 2, 1, len);
            patterns.add(new SparsePattern.Dilated(w, d));
        }
        if (r.globalTokens() != null) {
            int[] tokens = VariantInputs.sizes("globalTokens", r.globalTokens(), List.of(), 0,
                    len - 1, variants.maxGlobalTokens());
            patterns.add(new SparsePattern.Global(tokens));
        }
        if (r.randomBlocks() != null || r.blockSize() != null) {
            int size = VariantInputs.size("blockSize", r.blockSize(), 4, 1, len);
            int blocks = VariantInputs.size("randomBlocks", r.randomBlocks(), 1, 0,
                    (len + size - 1) / size);
            patterns.add(new SparsePattern.RandomBlocks(size, blocks, p.seed()));
        }
        if (patterns.isEmpty()) {
            patterns.add(new SparsePattern.SlidingWindow(Math.min(2, len)));
        }
        return patterns;
    }

    private static String causal(String causal) {
        if (causal != null && !causal.equals("none") && !causal.equals("top-left")) {
            throw new BadInputException("causal",
                    "causal must be none or top-left here (causal=" + Tensors.quote(causal) + ")");
        }
        return causal;
    }
}
