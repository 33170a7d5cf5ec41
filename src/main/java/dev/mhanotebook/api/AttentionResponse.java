package dev.mhanotebook.api;

import dev.mhanotebook.engine.AttentionPreview;
import dev.mhanotebook.engine.AttentionResult;
import dev.mhanotebook.engine.AttentionSpec;
import dev.mhanotebook.engine.Cost;
import dev.mhanotebook.engine.Implementation;
import dev.mhanotebook.engine.Tensor;
import dev.mhanotebook.engine.TraceStep;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The answer of {@code POST /api/v1/attention}. Tensors are nested arrays; masked scores are null. */
@Schema(name = "AttentionResponse")
public record AttentionResponse(
        @Schema(description = "The sizes and options used, defaults filled in") SpecView spec,
        @Schema(description = "The query tokens, when the request gave tokens or text") List<String> tokens,
        @Schema(description = "The key tokens, for cross-attention from tokens") List<String> keyTokens,
        @Schema(description = "[B][L][d_model]; null past the documented size, with a warning",
                type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.ARRAY) Tensor output,
        @Schema(description = "[B][h][L][S], the weights applied to the values; null past the "
                + "documented size, and then attentionPreview is set",
                type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.ARRAY) Tensor attention,
        @Schema(description = "Mean-pooled attention when it is too large to send whole")
                AttentionPreview attentionPreview,
        @Schema(description = "One entry per step: name, LaTeX formula, input shapes, output shape, "
                + "FLOPs, element-wise operations, bytes and, while small, the step's values")
                List<TraceStep> trace,
        List<String> warnings,
        CostView cost) {

    /** The resolved request. */
    public record SpecView(int batch, int queryLength, int keyLength, int modelDim, int heads,
            int kvHeads, int headDim, String causal, double scale, double dropout, boolean training,
            long seed, String implementation, int blockSize) {

        static SpecView of(AttentionSpec p, Implementation impl) {
            return new SpecView(p.batch(), p.queryLength(), p.keyLength(), p.modelDim(), p.heads(),
                    p.kvHeads(), p.headDim(), p.causal().name().toLowerCase(Locale.ROOT).replace('_', '-'),
                    p.scale(), p.dropout(), p.training(), p.seed(),
                    impl.name().toLowerCase(Locale.ROOT), p.blockSize());
        }
    }

    /**
     * @param flops         matrix-product FLOPs (2 per multiply–add)
     * @param elementOps    element-wise operations
     * @param peakBytes     peak working memory by the engine's cost model
     * @param elapsedMillis measured time of the forward pass on the server
     */
    public record CostView(long flops, long elementOps, long peakBytes, double elapsedMillis) {
        static CostView of(Cost c) {
            return new CostView(c.flops(), c.elementOps(), c.peakBytes(), c.elapsedNanos() / 1e6);
        }
    }

    static AttentionResponse of(AttentionRequests.Prepared prepared, AttentionResult r, long outputValues) {
        List<String> warnings = new ArrayList<>(r.warnings());
        Tensor output = r.output();
        if (output.data().length > outputValues) {
            warnings.add(String.format(Locale.ROOT, "output has %,d values, more than the %,d sent: it "
                    + "is left out of this response", output.data().length, outputValues));
            output = null;
        }
        return new AttentionResponse(SpecView.of(prepared.spec(), prepared.implementation()),
                prepared.tokens(), prepared.keyTokens(), output, r.attention(), r.preview(), r.trace(),
                warnings, CostView.of(r.cost()));
    }
}
