package dev.mhanotebook.api;

import dev.mhanotebook.engine.AttentionEngine;
import dev.mhanotebook.engine.AttentionInputs;
import dev.mhanotebook.engine.AttentionResult;
import dev.mhanotebook.engine.AttentionSpec;
import dev.mhanotebook.engine.AttentionWeights;
import dev.mhanotebook.engine.CausalMask;
import dev.mhanotebook.engine.Implementation;
import dev.mhanotebook.engine.Tensor;
import dev.mhanotebook.engine.TraceStep;
import dev.mhanotebook.model.MiniLm;
import dev.mhanotebook.model.MiniLmConfig;
import dev.mhanotebook.model.Tokenized;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Cross-attention on real sentences: queries from one sentence, keys and values from another,
 * both encoded in context by the pretrained model; computed by the engine, so the trace shows
 * L ≠ S in every shape.
 */
@Path("/api/v1/advanced/cross-attention")
@Tag(name = "advanced")
public class CrossAttentionResource {
    static final String DEFAULT_TEXT = "A man is playing a guitar.";
    static final String DEFAULT_KEY_TEXT = "Someone plays the guitar.";

    private final MiniLm model;
    private final ModelRequests requests;
    private final ComputeGate gate;

    public CrossAttentionResource(ModelService models, ComputeLimits limits, ComputeGate gate) {
        this.model = models.model();
        this.requests = new ModelRequests(model, limits.maxTextChars());
        this.gate = gate;
    }

    /**
     * @param mode      {@code vectors} (scaled dot products of the token vectors) or {@code head}
     * @param attention [L][S], row per query token, column per key token
     * @param trace     the engine's steps, with shapes [1, 1, L, S]
     */
    public record CrossAttentionResponse(String mode, int layer, Integer head, List<String> tokens,
            List<String> keyTokens, Tensor attention, List<TraceStep> trace, List<String> warnings,
            AttentionResponse.CostView cost) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Cross-attention between two real sentences",
            description = """
                    Encodes text and keyText with all-MiniLM-L6-v2 and attends from every word \
                    piece of text (queries) to every word piece of keyText (keys and values), \
                    leaving out [CLS] and [SEP]. Without head, the queries and keys are the \
                    contextual token vectors themselves, taken after layer `layer` (0 … 6), \
                    scaled by 1/√384: a soft word alignment between the sentences. With head \
                    (0 … 11), they are that head's own projections Q = X W^Q_i + b^Q_i and \
                    K = X W^K_i + b^K_i of layer `layer` (0 … 5), applied to the hidden state \
                    entering that layer, scaled by 1/√32. The attention is [L][S] and the \
                    trace the engine's, with L ≠ S.""")
    @APIResponse(responseCode = "200", description = "The alignment and the trace")
    @APIResponse(responseCode = "400", description = "Bad input: {error, field}")
    @APIResponse(responseCode = "429", description = "Busy: retry after Retry-After seconds")
    public CrossAttentionResponse crossAttention(CrossAttentionRequest request) {
        CrossAttentionRequest r = Bodies.require(request);
        MiniLmConfig c = model.config();
        List<String> warnings = new ArrayList<>();
        Tokenized q = requests.tokenize("text", r.text() == null ? DEFAULT_TEXT : r.text(),
                warnings);
        Tokenized k = requests.tokenize("keyText",
                r.keyText() == null ? DEFAULT_KEY_TEXT : r.keyText(), warnings);
        words("text", q);
        words("keyText", k);
        Integer head = r.head();
        if (head != null && (head < 0 || head >= c.heads())) {
            throw new BadInputException("head", "head must be between 0 and " + (c.heads() - 1)
                    + " (head=" + head + ")");
        }
        int maxLayer = head == null ? c.layers() : c.layers() - 1;
        int layer = r.layer() == null ? maxLayer : r.layer();
        if (layer < 0 || layer > maxLayer) {
            throw new BadInputException("layer", "layer must be between 0 and " + maxLayer
                    + (head == null ? " (a hidden state)" : " (a layer whose head is used)")
                    + " (layer=" + layer + ")");
        }

        AttentionResult result = gate.run("model-cross-attention", control -> {
            float[][][] x = {inner(model.hiddenStates(q.ids(), control), layer)};
            float[][][] y = {inner(model.hiddenStates(k.ids(), control), layer)};
            int d = c.modelDim();
            int dk = head == null ? d : c.headDim();
            AttentionSpec spec = new AttentionSpec(1, x[0].length, y[0].length, d, 1, 1, dk,
                    CausalMask.NONE, 1 / Math.sqrt(dk), 0, false, 0, 32, 4096, 65_536);
            AttentionWeights w = head == null ? identity(d) : model.headWeights(layer, head);
            return AttentionEngine.compute(spec, new AttentionInputs(x, y, y, null, null), w,
                    Implementation.VECTORIZED, control);
        });
        warnings.addAll(result.warnings());
        Tensor a = result.attention();
        Tensor attention = new Tensor(new long[] {a.shape()[2], a.shape()[3]}, a.data());
        return new CrossAttentionResponse(head == null ? "vectors" : "head", layer, head,
                inner(q.tokens()), inner(k.tokens()), attention, result.trace(), warnings,
                AttentionResponse.CostView.of(result.cost()));
    }

    private static void words(String field, Tokenized t) {
        if (t.length() <= 2) {
            throw new BadInputException(field, field + " must contain at least one word piece "
                    + "besides [CLS] and [SEP]");
        }
    }

    /** Rows 1 … L−2 of hidden state {@code index}: the word pieces without [CLS] and [SEP]. */
    private static float[][] inner(Tensor states, int index) {
        int len = (int) states.shape()[1];
        int d = (int) states.shape()[2];
        float[][] x = new float[len - 2][d];
        for (int i = 1; i < len - 1; i++) {
            System.arraycopy(states.data(), (index * len + i) * d, x[i - 1], 0, d);
        }
        return x;
    }

    private static List<String> inner(List<String> tokens) {
        return List.copyOf(tokens.subList(1, tokens.size() - 1));
    }

    /** W^Q = W^K = W^V = W^O = I and zero biases: attention over the vectors themselves. */
    private static AttentionWeights identity(int d) {
        float[][] eye = new float[d][d];
        for (int i = 0; i < d; i++) {
            eye[i][i] = 1;
        }
        return new AttentionWeights(eye, eye, eye, eye, new float[d], new float[d], new float[d],
                new float[d]);
    }
}
