package dev.mhanotebook.api;

import dev.mhanotebook.engine.AttentionEngine;
import dev.mhanotebook.engine.AttentionResult;
import dev.mhanotebook.engine.AttentionSpec;
import dev.mhanotebook.engine.Compare;
import dev.mhanotebook.engine.FeatureMap;
import dev.mhanotebook.engine.Implementation;
import dev.mhanotebook.engine.LinearAttention;
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

/** Linear attention (elu + 1, FAVOR+) against softmax attention: error and time. */
@Path("/api/v1/variants/linear")
@Tag(name = "variants")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class LinearResource {
    private final AttentionRequests requests;
    private final ComputeGate gate;
    private final VariantLimits variants;

    public LinearResource(ComputeLimits limits, ComputeGate gate, VariantLimits variants) {
        this.requests = new AttentionRequests(limits);
        this.gate = gate;
        this.variants = variants;
    }

    @Schema(name = "LinearRequest", description = "Every field optional; defaults in brackets")
    public record LinearRequest(
            @Schema(description = "A sentence; its words become the tokens") String text,
            @Schema(description = "L, when no text is given [6]") Integer queryLength,
            @Schema(description = "d_model [16]") Integer modelDim,
            @Schema(description = "h [2]") Integer heads,
            @Schema(description = "Seed of tokens and weights [42]") Long seed,
            @Schema(description = "none | top-left: causal, as a running sum [none]")
                    String causal,
            @Schema(description = "elu | favor [favor]", enumeration = {"elu", "favor"})
                    String featureMap,
            @Schema(description = "m, random features of FAVOR+ [64]") Integer features,
            @Schema(description = "Seed of the random features [seed]") Long featureSeed) {
    }

    @Schema(name = "LinearResponse")
    public record LinearResponse(int queryLength, List<String> tokens, String featureMap,
            int features,
            @Schema(description = "‖y_linear − y_softmax‖ / ‖y_softmax‖ on the outputs")
                    double relativeError,
            double linearMs, double softmaxMs,
            @Schema(description = "[h][L][S] implied weights φ(Q)φ(K)ᵀ normalised, formed for "
                    + "display only; null when large") Tensor attention,
            @Schema(description = "[h][L][S] softmax weights; null when large")
                    Tensor softmaxAttention) {
    }

    @POST
    @Operation(summary = "Linear attention against softmax attention on the same layer",
            description = """
                    Runs one layer with linear attention, head_i = φ(Q_i)(φ(K_i)ᵀV_i) / \
                    (φ(Q_i)Σ_j φ(K_i)_j), never forming the L × S matrix (Katharopoulos et al. \
                    2020), and the same layer with softmax attention. featureMap elu is \
                    φ(x) = elu(x) + 1; favor is FAVOR+ positive orthogonal random features \
                    approximating exp(s·qᵀk) (Choromanski et al. 2021), m of them drawn from \
                    featureSeed. causal top-left uses running sums. Returns the relative error of \
                    the output and both measured times. Sizes and budget as POST \
                    /api/v1/attention (vectorized); m ≤ 4096; the feature maps may take at most \
                    256 MiB.""")
    @APIResponse(responseCode = "200", description = "The comparison")
    @APIResponse(responseCode = "400", description = "Bad input: {error, field}")
    @APIResponse(responseCode = "429", description = "Busy: retry after Retry-After seconds")
    @APIResponse(responseCode = "503", description = "Past the time limit")
    public LinearResponse linear(LinearRequest r) {
        if (r == null) {
            throw new BadInputException(null, "the request body is missing: send {} for defaults");
        }
        AttentionRequests.Prepared layer = VariantInputs.layer(requests, r.text(),
                r.queryLength(), r.modelDim(), r.heads(), null, r.seed(), causal(r.causal()));
        AttentionSpec p = layer.spec();
        FeatureMap phi = featureMap(r.featureMap(), r.features(),
                r.featureSeed() == null ? p.seed() : r.featureSeed(), p);
        Object[] out = gate.run(control -> new Object[] {
            LinearAttention.compute(p, layer.inputs(), layer.weights(), phi, control),
            AttentionEngine.compute(p, layer.inputs(), layer.weights(), Implementation.VECTORIZED,
                    control)});
        LinearAttention.Result linear = (LinearAttention.Result) out[0];
        AttentionResult softmax = (AttentionResult) out[1];
        Log.debugf("linear %s m=%d L=%d in %.2f ms", phi.kind(), linear.features(),
                p.queryLength(), linear.elapsedNanos() / 1e6);
        return new LinearResponse(p.queryLength(), layer.tokens(), name(phi), linear.features(),
                Compare.relativeError(linear.output(), softmax.output()),
                VariantInputs.millis(linear.elapsedNanos()),
                VariantInputs.millis(softmax.cost().elapsedNanos()),
                VariantInputs.firstBatch(linear.attention()),
                VariantInputs.firstBatch(softmax.attention()));
    }

    @Schema(name = "FeatureSweepRequest",
            description = "Every field optional; defaults in brackets")
    public record FeatureSweepRequest(
            @Schema(description = "A sentence; its words become the tokens") String text,
            @Schema(description = "L, when no text is given [64]") Integer queryLength,
            @Schema(description = "d_model [64]") Integer modelDim,
            @Schema(description = "h [4]") Integer heads,
            @Schema(description = "Seed of tokens and weights [42]") Long seed,
            @Schema(description = "Feature counts m [4, 8, 16, 32, 64, 128, 256, 512, 1024]")
                    List<Integer> features,
            @Schema(description = "Random feature draws averaged per point [4]") Integer draws) {
    }

    public record FeaturePoint(int features, double meanRelativeError, double minRelativeError,
            double maxRelativeError) {
    }

    @Schema(name = "FeatureSweepResponse")
    public record FeatureSweepResponse(int queryLength, int modelDim, int heads, int draws,
            @Schema(description = "The same error for φ = elu + 1, which approximates nothing")
                    double eluRelativeError,
            List<FeaturePoint> points) {
    }

    @POST
    @Path("feature-sweep")
    @Operation(summary = "FAVOR+ error against softmax attention as the feature count grows",
            description = """
                    For each m, the relative error ‖y_favor − y_softmax‖ / ‖y_softmax‖ of the \
                    layer's output, over `draws` random feature draws (feature seeds 0, 1, …): \
                    mean, smallest and largest. At most 16 points and 8 draws; m ≤ 4096.""")
    @APIResponse(responseCode = "200", description = "The sweep")
    @APIResponse(responseCode = "400", description = "Bad input: {error, field}")
    @APIResponse(responseCode = "429", description = "Busy: retry after Retry-After seconds")
    @APIResponse(responseCode = "503", description = "Past the time limit")
    public FeatureSweepResponse featureSweep(FeatureSweepRequest r) {
        if (r == null) {
            throw new BadInputException(null, "the request body is missing: send {} for defaults");
        }
        AttentionRequests.Prepared layer = VariantInputs.layer(requests, r.text(),
                VariantInputs.length(r.queryLength(), r.text(), 64),
                r.modelDim() == null ? 64 : r.modelDim(), r.heads() == null ? 4 : r.heads(), null,
                r.seed(), null);
        AttentionSpec p = layer.spec();
        int[] features = VariantInputs.sizes("features", r.features(),
                List.of(4, 8, 16, 32, 64, 128, 256, 512, 1024), 1, variants.maxFeatures(),
                variants.maxSweepPoints());
        int draws = VariantInputs.size("draws", r.draws(), 4, 1, variants.maxDraws());
        for (int m : features) {
            checkFeatureBytes(p, m, "features");
        }
        return gate.run(control -> {
            Tensor exact = AttentionEngine.compute(p, layer.inputs(), layer.weights(),
                    Implementation.VECTORIZED, control).output();
            double elu = Compare.relativeError(LinearAttention.compute(p, layer.inputs(),
                    layer.weights(), FeatureMap.elu(), control).output(), exact);
            List<FeaturePoint> points = new ArrayList<>();
            for (int m : features) {
                double sum = 0;
                double min = Double.POSITIVE_INFINITY;
                double max = 0;
                for (int s = 0; s < draws; s++) {
                    double e = Compare.relativeError(LinearAttention.compute(p, layer.inputs(),
                            layer.weights(), FeatureMap.favor(m, s), control).output(), exact);
                    sum += e;
                    min = Math.min(min, e);
                    max = Math.max(max, e);
                }
                points.add(new FeaturePoint(m, sum / draws, min, max));
            }
            return new FeatureSweepResponse(p.queryLength(), p.modelDim(), p.heads(), draws, elu,
                    points);
        });
    }

    @Schema(name = "LengthSweepRequest", description = "Every field optional; defaults in brackets")
    public record LengthSweepRequest(
            @Schema(description = "Sequence lengths L = S [64, 128, 256, 512, 1024, 2048]")
                    List<Integer> lengths,
            @Schema(description = "d_model [64]") Integer modelDim,
            @Schema(description = "h [2]") Integer heads,
            @Schema(description = "Seed of inputs and weights [42]") Long seed,
            @Schema(description = "elu | favor [favor]") String featureMap,
            @Schema(description = "m, random features of FAVOR+ [64]") Integer features,
            @Schema(description = "none | top-left [none]") String causal,
            @Schema(description = "Timed runs per point; the median is kept [3]") Integer repeats) {
    }

    public record LengthPoint(int length, double softmaxMs, double linearMs) {
    }

    @Schema(name = "LengthSweepResponse")
    public record LengthSweepResponse(int modelDim, int heads, String featureMap, int features,
            String causal, int repeats, List<LengthPoint> points,
            @Schema(description = "The first length at which linear was faster than softmax and "
                    + "stayed faster at every longer length swept; null if none")
                    Integer crossover) {
    }

    @POST
    @Path("length-sweep")
    @Operation(summary = "Time of softmax and linear attention as the sequence grows",
            description = """
                    For each length, one untimed warm-up run of each path, then the median of \
                    `repeats` timed runs of the whole layer (projections included) with softmax \
                    attention (vectorized) and with linear attention, and the length where linear \
                    becomes faster on this server. Times come from a shared machine. At most 16 \
                    lengths and 5 repeats; each length within the vectorized budget; all the \
                    softmax runs together at most 200 billion FLOPs.""")
    @APIResponse(responseCode = "200", description = "The sweep")
    @APIResponse(responseCode = "400", description = "Bad input: {error, field}")
    @APIResponse(responseCode = "429", description = "Busy: retry after Retry-After seconds")
    @APIResponse(responseCode = "503", description = "Past the time limit")
    public LengthSweepResponse lengthSweep(LengthSweepRequest r) {
        if (r == null) {
            throw new BadInputException(null, "the request body is missing: send {} for defaults");
        }
        int[] lengths = VariantInputs.sizes("lengths", r.lengths(),
                List.of(64, 128, 256, 512, 1024, 2048), 1, 16_384, variants.maxSweepPoints());
        int repeats = VariantInputs.size("repeats", r.repeats(), 3, 1, variants.maxRepeats());
        String causal = causal(r.causal());
        List<AttentionRequests.Prepared> layers = new ArrayList<>();
        long spent = 0;
        for (int len : lengths) {
            AttentionRequests.Prepared layer = VariantInputs.layer(requests, null, len,
                    r.modelDim() == null ? 64 : r.modelDim(), r.heads(), null, r.seed(), causal);
            spent = VariantInputs.spend(spent, layer.spec(), repeats + 1,
                    variants.maxSweepFlops(), "lengths");
            layers.add(layer);
        }
        AttentionSpec first = layers.get(0).spec();
        FeatureMap phi = featureMap(r.featureMap(), r.features(), first.seed(), first);
        for (AttentionRequests.Prepared layer : layers) {
            checkFeatureBytes(layer.spec(), phi.features(first.headDim()), "lengths");
        }
        return gate.run(control -> {
            List<LengthPoint> points = new ArrayList<>();
            for (AttentionRequests.Prepared layer : layers) {
                AttentionSpec p = layer.spec();
                double[] soft = new double[repeats];
                double[] lin = new double[repeats];
                AttentionEngine.compute(p, layer.inputs(), layer.weights(),
                        Implementation.VECTORIZED, control);
                LinearAttention.compute(p, layer.inputs(), layer.weights(), phi, control);
                for (int t = 0; t < repeats; t++) {
                    soft[t] = VariantInputs.millis(AttentionEngine.compute(p, layer.inputs(),
                            layer.weights(), Implementation.VECTORIZED, control).cost()
                            .elapsedNanos());
                    lin[t] = VariantInputs.millis(LinearAttention.compute(p, layer.inputs(),
                            layer.weights(), phi, control).elapsedNanos());
                }
                points.add(new LengthPoint(p.queryLength(), VariantInputs.median(soft),
                        VariantInputs.median(lin)));
            }
            Integer crossover = null;
            for (int i = points.size() - 1; i >= 0; i--) {
                if (points.get(i).linearMs() >= points.get(i).softmaxMs()) {
                    break;
                }
                crossover = points.get(i).length();
            }
            return new LengthSweepResponse(first.modelDim(), first.heads(), name(phi),
                    phi.features(first.headDim()), causal == null ? "none" : causal, repeats,
                    points, crossover);
        });
    }

    private FeatureMap featureMap(String name, Integer features, long seed, AttentionSpec p) {
        if (name == null || name.equals("favor")) {
            int m = VariantInputs.size("features", features, 64, 1, variants.maxFeatures());
            FeatureMap phi = FeatureMap.favor(m, seed);
            checkFeatureBytes(p, m, "features");
            return phi;
        }
        if (name.equals("elu")) {
            if (features != null) {
                throw new BadInputException("features", "features applies to favor only: elu + 1 "
                        + "has d_k features (featureMap=\"elu\", features=" + features + ")");
            }
            return FeatureMap.elu();
        }
        throw new BadInputException("featureMap", "featureMap must be elu or favor (featureMap="
                + Tensors.quote(name) + ")");
    }

    private void checkFeatureBytes(AttentionSpec p, int m, String field) {
        long bytes = 3L * 4 * p.batch() * p.heads() * (p.queryLength() + p.keyLength()) * m;
        if (bytes > variants.maxFeatureBytes()) {
            throw new BadInputException(field, "the feature maps would need " + Units.bytes(bytes)
                    + ", past their budget of " + Units.bytes(variants.maxFeatureBytes())
                    + " (h=" + p.heads() + ", L=" + p.queryLength() + ", m=" + m
                    + "); use fewer features or a shorter sequence");
        }
    }

    private static String name(FeatureMap phi) {
        return phi.kind() == FeatureMap.Kind.ELU ? "elu" : "favor";
    }

    private static String causal(String causal) {
        if (causal != null && !causal.equals("none") && !causal.equals("top-left")) {
            throw new BadInputException("causal",
                    "causal must be none or top-left here (causal=" + Tensors.quote(causal) + ")");
        }
        return causal;
    }
}
