package dev.mhanotebook.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.mhanotebook.engine.ComputeControl;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The ND4J forward pass against ONNX Runtime running the same ONNX file: the peer computes
 * {@code last_hidden_state} [1, L, 384] from {@code input_ids}, {@code attention_mask} (all 1)
 * and {@code token_type_ids} (all 0), and the sentence embedding is pooled from it the same way.
 */
class OnnxRuntimeAgreementTest {
    private static OrtEnvironment env;
    private static OrtSession session;

    @BeforeAll
    static void openPeer() throws IOException, OrtException {
        env = OrtEnvironment.getEnvironment();
        try (InputStream in = MiniLm.class.getClassLoader()
                .getResourceAsStream(MiniLm.MODEL_RESOURCE)) {
            session = env.createSession(in.readAllBytes(), new OrtSession.SessionOptions());
        }
    }

    @AfterAll
    static void closePeer() throws OrtException {
        session.close();
    }

    @Test
    void sampleSentenceHasTheReferenceTokenIds() {
        Tokenized t = ModelFixture.model().tokenize(ModelFixture.SAMPLE);
        assertArrayEquals(new long[] {101, 1996, 4111, 2134, 1005, 1056, 2892, 1996, 2395, 2138,
                2009, 2001, 2205, 5458, 1012, 102}, t.ids(), "ids of " + t.tokens());
        assertEquals("[CLS]", t.tokens().get(0));
        assertEquals("animal", t.tokens().get(2));
        assertEquals(false, t.truncated());
    }

    @Test
    void longTextIsTruncatedTo128TokensEndingInSep() {
        Tokenized t = ModelFixture.model().tokenize("word ".repeat(300));
        assertEquals(128, t.length());
        assertEquals("[SEP]", t.tokens().get(127));
        assertTrue(t.truncated());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        ModelFixture.SAMPLE,
        "Hi.",
        "Attention is all you need.",
        "The trophy doesn't fit into the brown suitcase because it is too large.",
        "Naïve café owners in Zürich sell crème brûlée for 12.50 CHF — don't they?",
        "A sentence-transformers model maps sentences and paragraphs to a 384-dimensional dense "
                + "vector space and can be used for tasks like clustering or semantic search; "
                + "it was trained on over one billion sentence pairs with a contrastive objective "
                + "that pulls paraphrases together and pushes unrelated sentences apart.",
        "word word word word word word word word word word word word word word word word word word "
                + "word word word word word word word word word word word word word word word word "
                + "word word word word word word word word word word word word word word word word "
                + "word word word word word word word word word word word word word word word word "
                + "word word word word word word word word word word word word word word word word "
                + "word word word word word word word word word word word word word word word word "
                + "word word word word word word word word word word word word word word word word "
                + "word word word word word word word word word word word word word word word word "
                + "and then some more words past the limit."
    })
    void lastHiddenStateAndEmbeddingMatchOnnxRuntime(String text) throws OrtException {
        MiniLm model = ModelFixture.model();
        Tokenized t = model.tokenize(text);
        ModelRun run = model.run(t.ids(), HeadMask.none(model.config()), ComputeControl.NONE);

        float[][] peer = peerLastHidden(t.ids());                                 // [L, 384]
        float[] ours = run.lastHidden().data();
        int d = model.config().modelDim();
        double maxDiff = 0;
        for (int i = 0; i < peer.length; i++) {
            for (int j = 0; j < d; j++) {
                maxDiff = Math.max(maxDiff, Math.abs(peer[i][j] - ours[i * d + j]));
            }
        }
        double cosine = MiniLm.cosine(meanPool(peer), run.embedding());
        System.out.printf(Locale.ROOT, "ORT vs ND4J: %3d tokens, max |diff| %.3g, cosine %.9f%n",
                t.length(), maxDiff, cosine);
        assertTrue(maxDiff <= 1e-4, "largest difference to ONNX Runtime is " + maxDiff);
        assertTrue(cosine >= 0.99999, "embedding cosine to ONNX Runtime is " + cosine);
    }

    private static float[][] peerLastHidden(long[] ids) throws OrtException {
        long[][] input = {ids};
        long[][] mask = {new long[ids.length]};
        Arrays.fill(mask[0], 1);
        long[][] types = {new long[ids.length]};
        try (OnnxTensor a = OnnxTensor.createTensor(env, input);
                OnnxTensor b = OnnxTensor.createTensor(env, mask);
                OnnxTensor c = OnnxTensor.createTensor(env, types);
                OrtSession.Result r = session.run(Map.of(
                        "input_ids", a, "attention_mask", b, "token_type_ids", c))) {
            return ((float[][][]) r.get("last_hidden_state").get().getValue())[0];
        }
    }

    private static float[] meanPool(float[][] hidden) {
        float[] mean = new float[hidden[0].length];
        for (float[] row : hidden) {
            for (int j = 0; j < mean.length; j++) {
                mean[j] += row[j] / hidden.length;
            }
        }
        return mean;
    }
}
