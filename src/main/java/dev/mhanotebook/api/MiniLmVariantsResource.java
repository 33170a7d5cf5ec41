package dev.mhanotebook.api;

import dev.mhanotebook.engine.AttentionMass;
import dev.mhanotebook.engine.SparsePattern;
import dev.mhanotebook.model.GroupedQueryConversion;
import dev.mhanotebook.model.HeadMask;
import dev.mhanotebook.model.MiniLm;
import dev.mhanotebook.model.MiniLmConfig;
import dev.mhanotebook.model.MiniLmWeights;
import dev.mhanotebook.model.ModelRun;
import dev.mhanotebook.model.Tokenized;
import io.quarkus.logging.Log;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The variants on the pretrained encoder: grouped-query conversion and sparse-pattern mass. */
@Path("/api/v1/variants/minilm")
@Tag(name = "variants")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class MiniLmVariantsResource {
    static final List<String> SAMPLE_SENTENCES = List.of(
            "The cat sat on the mat because it was warm.",
            "Attention lets every word look at every other word.",
            "She gave the book to her brother after reading it twice.",
            "Stock markets fell sharply on Monday as investors feared higher interest rates.");
    private static final int MAX_SENTENCES = 8;

    private final MiniLm model;
    private final MiniLmConfig c;
    private final ModelRequests requests;
    private final ComputeGate gate;
    private final VariantLimits variants;
    private final Map<Integer, MiniLmWeights> pooled = new ConcurrentHashMap<>();

    public MiniLmVariantsResource(ModelService service, ComputeGate gate, ComputeLimits limits,
            VariantLimits variants) {
        this.model = service.model();
        this.c = model.config();
        this.requests = new ModelRequests(model, limits.maxTextChars());
        this.gate = gate;
        this.variants = variants;
    }

    @Schema(name = "MiniLmGroupedQueryRequest",
            description = "Every field optional; defaults in brackets")
    public record GroupedQueryRequest(
            @Schema(description = "Sentences [four samples]; at most 8") List<String> texts,
            @Schema(description = "Key/value head counts, each dividing 12 [1, 2, 3, 4, 6, 12]")
                    List<Integer> kvHeads) {
    }

    public record SentenceCosines(String text, int tokens, double[] cosine) {
    }

    @Schema(name = "MiniLmGroupedQueryResponse")
    public record GroupedQueryResponse(int heads, int[] kvHeads, List<SentenceCosines> sentences,
            @Schema(description = "Mean over the sentences, one per kvHeads") double[] meanCosine,
            List<String> warnings, double elapsedMs) {
    }

    @POST
    @Path("grouped-query")
    @Operation(summary = "MiniLM turned grouped-query by mean-pooling keys and values",
            description = """
                    For each kvHeads, replaces the key and value projections of each group of \
                    12/kvHeads heads of every layer of all-MiniLM-L6-v2 by their mean (Ainslie \
                    et al. 2023, §2.1, without the uptraining that paper follows it with) and \
                    returns the cosine between each sentence's embedding and the original \
                    model's. kvHeads = 12 is the original (cosine 1); 1 is multi-query. At most \
                    8 sentences of at most 4,000 characters (128 tokens are read).""")
    @APIResponse(responseCode = "200", description = "The cosines")
    @APIResponse(responseCode = "400", description = "Bad input: {error, field}")
    @APIResponse(responseCode = "429", description = "Busy: retry after Retry-After seconds")
    @APIResponse(responseCode = "503", description = "Past the time limit")
    public GroupedQueryResponse groupedQuery(GroupedQueryRequest r) {
        if (r == null) {
            throw new BadInputException(null, "the request body is missing: send {} for defaults");
        }
        List<String> texts = r.texts() == null ? SAMPLE_SENTENCES : r.texts();
        if (texts.isEmpty() || texts.size() > MAX_SENTENCES) {
            throw new BadInputException("texts", "texts must have 1 to " + MAX_SENTENCES
                    + " sentences (got " + texts.size() + ")");
        }
        List<String> warnings = new ArrayList<>();
        List<Tokenized> tokenized = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            tokenized.add(requests.tokenize("texts[" + i + "]", texts.get(i), warnings));
        }
        int[] kv = VariantInputs.sizes("kvHeads", r.kvHeads(), List.of(1, 2, 3, 4, 6, 12), 1,
                c.heads(), variants.maxSweepPoints());
        for (int i = 0; i < kv.length; i++) {
            if (c.heads() % kv[i] != 0) {
                throw new BadInputException("kvHeads", "kvHeads[" + i + "] must divide the "
                        + "model's " + c.heads() + " heads (kvHeads[" + i + "]=" + kv[i] + ")");
            }
        }
        long start = System.nanoTime();
        double[][] cos = gate.run(control -> {
            double[][] out = new double[tokenized.size()][kv.length];
            for (int s = 0; s < tokenized.size(); s++) {
                long[] ids = tokenized.get(s).ids();
                float[] original = model.embedding(ids, model.weights(), control);
                for (int k = 0; k < kv.length; k++) {
                    MiniLmWeights w = pooled.computeIfAbsent(kv[k], n ->
                            GroupedQueryConversion.meanPoolKeyValues(model.weights(), c, n));
                    out[s][k] = MiniLm.cosine(model.embedding(ids, w, control), original);
                }
            }
            return out;
        });
        double ms = (System.nanoTime() - start) / 1e6;
        List<SentenceCosines> sentences = new ArrayList<>();
        double[] mean = new double[kv.length];
        for (int s = 0; s < cos.length; s++) {
            sentences.add(new SentenceCosines(texts.get(s), tokenized.get(s).length(), cos[s]));
            for (int k = 0; k < kv.length; k++) {
                mean[k] += cos[s][k] / cos.length;
            }
        }
        Log.debugf("minilm grouped-query %d sentences in %.1f ms", (Object) cos.length,
                (Object) ms);
        return new GroupedQueryResponse(c.heads(), kv, sentences, mean, warnings, ms);
    }

    @Schema(name = "MiniLmSparseMassRequest",
            description = "Every field optional; defaults in brackets")
    public record SparseMassRequest(
            @Schema(description = "The sentence [the first sample]") String text,
            @Schema(description = "Sliding window w [2]") Integer window,
            @Schema(description = "Dilated window steps each side [2]") Integer dilatedWindow,
            @Schema(description = "Dilation [2]") Integer dilation,
            @Schema(description = "Global token positions [[CLS] and [SEP]: 0 and L−1]")
                    List<Integer> globalTokens,
            @Schema(description = "Random key blocks per query block [1]") Integer randomBlocks,
            @Schema(description = "Block size of the random blocks [2]") Integer blockSize,
            @Schema(description = "Seed of the random blocks [42]") Long seed) {
    }

    /**
     * @param mass      [layer][head]: mean over query rows of the weight inside the pattern
     * @param layerMean [layer]: mean of {@code mass} over heads
     */
    public record PatternMass(String pattern, double allowedFraction, double[][] mass,
            double[] layerMean) {
    }

    @Schema(name = "MiniLmSparseMassResponse")
    public record SparseMassResponse(List<String> tokens, List<PatternMass> patterns,
            @Schema(description = "The union of all the patterns") PatternMass combined,
            List<String> warnings, double elapsedMs) {
    }

    @POST
    @Path("sparse-mass")
    @Operation(summary = "How much of each MiniLM head's attention each sparse pattern keeps",
            description = """
                    Runs all-MiniLM-L6-v2 on the text (tokens include [CLS] and [SEP]) and, for \
                    each sparse pattern and their union, returns per layer and head the \
                    attention weight that falls on the keys the pattern allows, averaged over \
                    the query rows (1 = the pattern keeps all of it), and its mean per layer. \
                    Patterns: sliding window, dilated window, global tokens, seeded random \
                    blocks, as in POST /api/v1/variants/sparse.""")
    @APIResponse(responseCode = "200", description = "The mass inside each pattern")
    @APIResponse(responseCode = "400", description = "Bad input: {error, field}")
    @APIResponse(responseCode = "429", description = "Busy: retry after Retry-After seconds")
    @APIResponse(responseCode = "503", description = "Past the time limit")
    public SparseMassResponse sparseMass(SparseMassRequest r) {
        if (r == null) {
            throw new BadInputException(null, "the request body is missing: send {} for defaults");
        }
        List<String> warnings = new ArrayList<>();
        Tokenized t = requests.tokenize("text", r.text() == null ? SAMPLE_SENTENCES.get(0)
                : r.text(), warnings);
        int len = t.length();
        List<SparsePattern> patterns = new ArrayList<>();
        patterns.add(new SparsePattern.SlidingWindow(
                VariantInputs.size("window", r.window(), 2, 0, len)));
        patterns.add(new SparsePattern.Dilated(
                VariantInputs.size("dilatedWindow", r.dilatedWindow(), 2, 0, len),
                VariantInputs.size("dilation", r.dilation(), 2, 1, len)));
        patterns.add(new SparsePattern.Global(VariantInputs.sizes("globalTokens",
                r.globalTokens(), List.of(0, len - 1), 0, len - 1, variants.maxGlobalTokens())));
        int size = VariantInputs.size("blockSize", r.blockSize(), 2, 1, len);
        patterns.add(new SparsePattern.RandomBlocks(size, VariantInputs.size("randomBlocks",
                r.randomBlocks(), 1, 0, (len + size - 1) / size), r.seed() == null ? 42
                        : r.seed()));

        long start = System.nanoTime();
        ModelRun run = gate.run(control -> model.run(t.ids(), HeadMask.none(c), control));
        List<PatternMass> masses = new ArrayList<>();
        for (SparsePattern p : patterns) {
            masses.add(mass(p.describe(), p.allowed(len, len), run));
        }
        PatternMass combined = mass("union", SparsePattern.combine(patterns, false, len, len),
                run);
        double ms = (System.nanoTime() - start) / 1e6;
        return new SparseMassResponse(t.tokens(), masses, combined, warnings, ms);
    }

    private static PatternMass mass(String name, boolean[][] allowed, ModelRun run) {
        double[][] mass = AttentionMass.inside(run.attention(), allowed);
        double[] layerMean = new double[mass.length];
        for (int l = 0; l < mass.length; l++) {
            for (double m : mass[l]) {
                layerMean[l] += m / mass[l].length;
            }
        }
        double fraction = (double) SparsePattern.count(allowed)
                / ((long) allowed.length * allowed.length);
        return new PatternMass(name, fraction, mass, layerMean);
    }
}
