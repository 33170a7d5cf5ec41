package dev.mhanotebook.api;

import dev.mhanotebook.engine.AttentionPreview;
import dev.mhanotebook.engine.Tensor;
import dev.mhanotebook.model.AttentionPooling;
import dev.mhanotebook.model.AttentionRollout;
import dev.mhanotebook.model.HeadMask;
import dev.mhanotebook.model.MiniLm;
import dev.mhanotebook.model.MiniLmConfig;
import dev.mhanotebook.model.ModelRun;
import dev.mhanotebook.model.Tokenized;
import io.quarkus.logging.Log;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The pretrained encoder all-MiniLM-L6-v2 on the reader's sentences: attention of every layer
 * and head, head pruning, head importance and sentence similarity. The request is read and
 * checked on a worker thread; the computation waits and runs on the compute gate's pool, so the
 * worker thread is free as soon as it is queued.
 */
@Path("/api/v1/model")
@Tag(name = "model")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class ModelResource {
    private final MiniLm model;
    private final MiniLmConfig c;
    private final ModelRequests requests;
    private final ComputeGate gate;
    private final long fullAttentionCells;

    public ModelResource(ModelService service, ComputeGate gate, ComputeLimits limits) {
        this.model = service.model();
        this.c = model.config();
        this.requests = new ModelRequests(model, limits.maxTextChars());
        this.gate = gate;
        this.fullAttentionCells = limits.fullAttentionCells();
    }

    @POST
    @Path("/attention")
    @Operation(summary = "Attention of every layer and head of a pretrained encoder",
            description = """
                    Runs all-MiniLM-L6-v2 (6 layers × 12 heads, d_model 384, BERT-style \
                    encoder: no causal mask) on the text and returns the attention weights of \
                    every layer and head, [layer][head][query][key], with the sentence \
                    embedding (mean of the last hidden state over the tokens, L2-normalised).

                    prune lists heads as [layer, head]; a pruned head's attention weights are \
                    multiplied by 0, as Hugging Face's head_mask does. attention is then the \
                    pruned model's, and prunedEmbedding and cosine (to the unpruned embedding) \
                    are set.

                    Above 65,536 attention weights (6·12·L·L, so above 30 tokens) attention is \
                    null and attentionPreview carries it mean-pooled; layer (with or without \
                    head) asks for one layer or one head in full. Texts over 128 tokens are cut \
                    with a warning; texts over 4,000 characters are refused.

                    rollout is attention rollout (Abnar & Zuidema 2020) over the attention \
                    returned: per layer ½(mean over heads + I), rows renormalised, multiplied \
                    from the first layer to the last.""")
    @APIResponse(responseCode = "200", description = "The attention and embeddings")
    @APIResponse(responseCode = "400", description = "Bad input: {error, field}")
    @APIResponse(responseCode = "429", description = "Busy: retry after Retry-After seconds")
    @APIResponse(responseCode = "503", description = "Past the time limit")
    @Blocking
    public CompletionStage<ModelAttentionResponse> attention(ModelAttentionRequest request) {
        if (request == null) {
            throw new BadInputException("text", "the body must be a JSON object with text");
        }
        List<String> warnings = new ArrayList<>();
        Tokenized t = requests.tokenize("text", request.text(), warnings);
        HeadMask mask = requests.prune(request.prune());
        Integer layer = requests.layer(request.layer());
        Integer head = requests.head(layer, request.head());

        long start = System.nanoTime();
        // The answer is built on the compute thread too: a stage derived with thenApply would
        // wrap the gate's refusals in CompletionException, past the exception mappers.
        return gate.submit("model-attention", control -> respond(t, mask, layer, head,
                model.run(t.ids(), mask, control), warnings, start));
    }

    private ModelAttentionResponse respond(Tokenized t, HeadMask mask, Integer layer,
            Integer head, ModelRun run, List<String> warnings, long start) {
        double ms = (System.nanoTime() - start) / 1e6;
        Log.debugf("model attention L=%d pruned=%d in %.1f ms", (Object) t.length(),
                (Object) mask.heads().size(), (Object) ms);

        Tensor attention = run.attention();
        Tensor full = null;
        AttentionPreview preview = null;
        if (attention.data().length <= fullAttentionCells) {
            full = attention;
        } else {
            int factor = AttentionPooling.factorFor(c.layers() * c.heads(), t.length(),
                    fullAttentionCells);
            preview = AttentionPooling.pool(attention, factor);
            warnings.add(AttentionPooling.warning(attention, fullAttentionCells, factor));
        }
        Tensor layerAttention = layer != null && head == null
                ? AttentionPooling.layer(attention, layer) : null;
        Tensor headAttention = head != null ? AttentionPooling.head(attention, layer, head) : null;
        boolean pruned = !mask.isEmpty();
        return new ModelAttentionResponse(t.tokens(), t.ids(), c.layers(), c.heads(),
                mask.heads(), full, preview, layer, head, layerAttention, headAttention,
                AttentionRollout.of(attention),
                run.unprunedEmbedding(), pruned ? run.embedding() : null,
                pruned ? run.cosine() : null, warnings, ms);
    }

    @POST
    @Path("/head-importance")
    @Operation(summary = "How much the sentence embedding moves when each head is pruned",
            description = """
                    For every layer and head of all-MiniLM-L6-v2: 1 − cosine between the \
                    sentence embedding with that one head pruned and the unpruned embedding \
                    (0 = no effect, up to 2). The 72 ablations run batched: an ablation at \
                    layer l starts from the unpruned input of layer l, and each pass carries \
                    many masked copies of the sentence. Texts over 128 tokens are cut with a \
                    warning.""")
    @APIResponse(responseCode = "200", description = "importance [layer][head]")
    @APIResponse(responseCode = "400", description = "Bad input: {error, field}")
    @APIResponse(responseCode = "429", description = "Busy: retry after Retry-After seconds")
    @APIResponse(responseCode = "503", description = "Past the time limit")
    @Blocking
    public CompletionStage<ModelHeadImportanceResponse> headImportance(ModelTextRequest request) {
        if (request == null) {
            throw new BadInputException("text", "the body must be a JSON object with text");
        }
        List<String> warnings = new ArrayList<>();
        Tokenized t = requests.tokenize("text", request.text(), warnings);
        long start = System.nanoTime();
        return gate.submit("model-head-importance", control -> {
            float[][] importance = model.headImportance(t.ids(), control);
            double ms = (System.nanoTime() - start) / 1e6;
            Log.debugf("model head importance L=%d in %.1f ms", (Object) t.length(), (Object) ms);
            return new ModelHeadImportanceResponse(t.tokens(), c.layers(), c.heads(), importance,
                    warnings, ms);
        });
    }

    @POST
    @Path("/similarity")
    @Operation(summary = "Cosine similarity of two sentences, before and after pruning heads",
            description = """
                    Embeds text and otherText with all-MiniLM-L6-v2 (mean of the last hidden \
                    state, L2-normalised) and returns the cosine between them with the full \
                    model (cosineBefore) and with the heads in prune pruned (cosineAfter). \
                    Texts over 128 tokens are cut with a warning.""")
    @APIResponse(responseCode = "200", description = "The two cosines")
    @APIResponse(responseCode = "400", description = "Bad input: {error, field}")
    @APIResponse(responseCode = "429", description = "Busy: retry after Retry-After seconds")
    @APIResponse(responseCode = "503", description = "Past the time limit")
    @Blocking
    public CompletionStage<ModelSimilarityResponse> similarity(ModelSimilarityRequest request) {
        if (request == null) {
            throw new BadInputException("text", "the body must be a JSON object with text");
        }
        List<String> warnings = new ArrayList<>();
        Tokenized a = requests.tokenize("text", request.text(), warnings);
        Tokenized b = requests.tokenize("otherText", request.otherText(), warnings);
        HeadMask mask = requests.prune(request.prune());
        List<HeadMask> masks = mask.isEmpty() ? List.of(mask)
                : List.of(HeadMask.none(c), mask);

        long start = System.nanoTime();
        return gate.submit("model-similarity", control -> {
            float[][] ea = model.embeddings(a.ids(), masks, control);
            float[][] eb = model.embeddings(b.ids(), masks, control);
            double ms = (System.nanoTime() - start) / 1e6;
            double before = MiniLm.cosine(ea[0], eb[0]);
            int last = masks.size() - 1;
            double after = MiniLm.cosine(ea[last], eb[last]);
            return new ModelSimilarityResponse(a.tokens(), b.tokens(), mask.heads(), before,
                    after, warnings, ms);
        });
    }
}
